"""The page registry: app.py and the page tests read this one list."""
from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    slug: str
    path: str
    title_zh: str
    title_en: str


PAGES = (
    PageSpec("data", "pages/data.py", "数据", "Data"),
)
