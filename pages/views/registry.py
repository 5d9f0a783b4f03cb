"""The page registry: app.py and the page tests read this one list. Titles come from ui/text.py
(keys ``page.<slug>``)."""
from dataclasses import dataclass

from ui import text


@dataclass(frozen=True)
class PageSpec:
    slug: str
    path: str
    icon: str

    def title(self, lang: str) -> str:
        return text.t(lang, f"page.{self.slug}")

    @property
    def title_zh(self) -> str:
        return self.title("zh")

    @property
    def title_en(self) -> str:
        return self.title("en")


PAGES = (
    PageSpec("overview", "pages/views/overview.py", ":material/dashboard:"),
    PageSpec("compare", "pages/views/compare.py", ":material/leaderboard:"),
    PageSpec("trends", "pages/views/trends.py", ":material/trending_up:"),
    PageSpec("targets", "pages/views/targets.py", ":material/flag:"),
    PageSpec("whatif", "pages/views/whatif.py", ":material/tune:"),
    PageSpec("evidence", "pages/views/evidence.py", ":material/format_quote:"),
    PageSpec("data", "pages/views/data.py", ":material/table:"),
    PageSpec("import", "pages/views/imports.py", ":material/upload:"),
)
