"""Altair charts drawn on the server (vl-convert: Vega-Lite → SVG/PNG, no browser), for the
printable HTML brief and the Word brief. No streamlit import.

vl-convert draws text only with fonts it knows; a family it does not find draws *nothing* (no
boxes, no error), and a font without Chinese glyphs would draw boxes. So a chart is drawn only
with a CJK font found on disk (Noto/Source Han/WenQuanYi/Droid on Linux, YaHei/SimHei/SimSun on
Windows, PingFang/Hiragino on macOS), whose folder is registered with vl-convert and which a
one-glyph probe has shown to draw. `cjk_font()` returns None when there is none, and callers
leave the chart out with a sentence saying why.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import altair as alt
import vl_convert as vlc

# (file name pattern, family name the file declares); the first match on disk wins.
CJK_FONT_FILES = [
    ("NotoSansCJK*", "Noto Sans CJK SC"), ("NotoSansSC*", "Noto Sans SC"), ("SourceHanSans*", "Source Han Sans SC"),
    ("NotoSerifCJK*", "Noto Serif CJK SC"), ("wqy-microhei*", "WenQuanYi Micro Hei"),
    ("wqy-zenhei*", "WenQuanYi Zen Hei"), ("DroidSansFallback*", "Droid Sans Fallback"),
    ("msyh.tt*", "Microsoft YaHei"), ("simhei.ttf", "SimHei"), ("simsun.tt*", "SimSun"),
    ("PingFang*", "PingFang SC"), ("Hiragino Sans GB*", "Hiragino Sans GB")]
NO_CJK_FONT = ("服务器上未找到中文字体（如 Debian 的 fonts-noto-cjk），图表未生成，以免中文显示为方框 "
               "(no CJK font on the server: chart left out)")


def font_roots() -> list[Path]:
    """Folders searched for fonts, existing ones only: the system's, the user's, Windows' and macOS'."""
    roots = ["/usr/share/fonts", "/usr/local/share/fonts", Path.home() / ".local/share/fonts", Path.home() / ".fonts",
             Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts", "/System/Library/Fonts", "/Library/Fonts"]
    return [Path(r) for r in roots if Path(r).is_dir()]


def _draws(family: str) -> bool:
    """Whether vl-convert draws '中文' in `family` (an unknown family draws nothing at all)."""
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'><text x='2' y='16' "
           f"font-family='{family}' font-size='14'>{{}}</text></svg>")
    return vlc.svg_to_png(svg.format("中文")) != vlc.svg_to_png(svg.format(""))


@cache
def cjk_font() -> str | None:
    """Family name of a CJK font vl-convert draws with (its folder registered once per process),
    or None when no known CJK font file is found or none draws."""
    for pattern, family in CJK_FONT_FILES:
        for root in font_roots():
            for path in sorted(root.rglob(pattern)):
                vlc.register_font_directory(str(path.parent))
                if _draws(family):
                    return family
    return None


def _spec(chart: alt.TopLevelMixin, font: str) -> dict:
    return chart.configure(font=font).to_dict()


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes | None:
    """PNG bytes of an unconfigured Altair chart drawn with the CJK font (`scale` × its pixel size),
    or None when `cjk_font()` finds none."""
    font = cjk_font()
    return vlc.vegalite_to_png(_spec(chart, font), scale=scale) if font else None


def chart_svg(chart: alt.TopLevelMixin, fallback: str) -> str:
    """SVG markup of an unconfigured Altair chart. Text stays text: the reader's browser draws it
    with the first font it has of `fallback` (a CSS font list), after the server's CJK font."""
    font = cjk_font()
    return vlc.vegalite_to_svg(_spec(chart, f"{font}, {fallback}" if font else fallback))
