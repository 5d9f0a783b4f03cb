"""Numbers as the catalog says to show them: unit and decimals come from indicators.yaml."""
from __future__ import annotations

import pandas as pd

UNIT_EN = {"件": "cases", "项": "items", "人": "people", "条": "items", "次": "times", "期": "sessions",
           "学时": "hours", "万元": "×10k yuan"}


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


# How a figure's qualifier (etl: 余/多/以上/超过 → at_least, 近/约/左右 → approximate, 以下/不到 →
# at_most) is written in front of it: 「1300余名」 shows as ≥ 1,300 人, never as a bare 1,300 人.
QUALIFIER_PREFIX = {"at_least": "≥ ", "at_most": "≤ ", "approximate": {"zh": "约 ", "en": "≈ "}}


def fmt_value(value, unit: str, decimals: int, lang: str = "zh", qualifier: str | None = None) -> str:
    """64.29 '%' 2 → '64.29%'; 1951 '件' 0 → '1,951 件'; 0.13 '次' 2 → '0.13 次'; missing → '—'.
    `qualifier` (the facts' column): 'at_least' → '≥ 1,300 人', 'at_most' → '≤ 5.00%',
    'approximate' → '约 92.00%' ('≈ 92.00%' in English); 'exact', '' or None → no prefix."""
    if _missing(value):
        return "—"
    text = f"{float(value):,.{int(decimals)}f}"
    prefix = QUALIFIER_PREFIX.get(qualifier or "exact", "")
    prefix = prefix.get(lang, prefix["zh"]) if isinstance(prefix, dict) else prefix
    if unit == "%":
        return prefix + text + "%"
    unit = UNIT_EN.get(unit, unit) if lang == "en" else unit
    return prefix + f"{text} {unit}".rstrip()


def fmt_delta(delta, unit: str, decimals: int, lang: str = "zh") -> str:
    """A signed change: +2.50 百分点 (percentage points for % units), −3 件."""
    if _missing(delta):
        return "—"
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    if unit == "%":
        return f"{sign}{abs(float(delta)):,.{int(decimals)}f} {'pp' if lang == 'en' else '百分点'}"
    return sign + fmt_value(abs(float(delta)), unit, decimals, lang)
