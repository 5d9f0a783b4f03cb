"""Numbers as the catalog says to show them: unit and decimals come from indicators.yaml."""
from __future__ import annotations

import pandas as pd

UNIT_EN = {"件": "cases", "项": "items", "人": "people", "条": "items", "次": "times", "期": "sessions",
           "学时": "hours", "万元": "×10k yuan"}


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def fmt_value(value, unit: str, decimals: int, lang: str = "zh") -> str:
    """64.29 '%' 2 → '64.29%'; 1951 '件' 0 → '1,951 件'; 0.13 '次' 2 → '0.13 次'; missing → '—'."""
    if _missing(value):
        return "—"
    text = f"{float(value):,.{int(decimals)}f}"
    if unit == "%":
        return text + "%"
    unit = UNIT_EN.get(unit, unit) if lang == "en" else unit
    return f"{text} {unit}".rstrip()


def fmt_delta(delta, unit: str, decimals: int, lang: str = "zh") -> str:
    """A signed change: +2.50 百分点 (percentage points for % units), −3 件."""
    if _missing(delta):
        return "—"
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    if unit == "%":
        return f"{sign}{abs(float(delta)):,.{int(decimals)}f} {'pp' if lang == 'en' else '百分点'}"
    return sign + fmt_value(abs(float(delta)), unit, decimals, lang)
