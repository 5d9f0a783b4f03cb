"""The page registry: app.py and the page tests read this one list."""
from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    slug: str
    path: str
    title_zh: str
    title_en: str
    icon: str


PAGES = (
    PageSpec("overview", "pages/views/overview.py", "总览", "Overview", ":material/dashboard:"),
    PageSpec("compare", "pages/views/compare.py", "区县对比", "Compare", ":material/leaderboard:"),
    PageSpec("trends", "pages/views/trends.py", "趋势", "Trends", ":material/trending_up:"),
    PageSpec("targets", "pages/views/targets.py", "目标", "Targets", ":material/flag:"),
    PageSpec("whatif", "pages/views/whatif.py", "假设分析", "What-if", ":material/tune:"),
    PageSpec("evidence", "pages/views/evidence.py", "证据", "Evidence", ":material/format_quote:"),
    PageSpec("data", "pages/views/data.py", "数据", "Data", ":material/table:"),
    PageSpec("import", "pages/views/imports.py", "数据导入", "Import", ":material/upload:"),
)
