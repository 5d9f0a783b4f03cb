"""Document metadata detected from the text itself: title, district, type, period, date."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from etl.catalog import load_districts, load_rules
from etl.numbers import arabic_years, cn_to_number
from etl.text import InputError, Normalised, _drop_line, to_simplified

DOC_TYPES = ("annual_report", "multi_year_report", "plan")
_TITLE_END = re.compile(r"(报告|方案|通知|规划|纲要|意见|总结|计划)$")
_SPAN = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-—–~至到]\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SPACE_RUN = re.compile(r"\s+")
_SINCE = re.compile(r"((?:19|20)\d{2})年[^\d,;:。]{0,4}以来")
# A five-year planning cycle named in a title (「“十三五”时期…工作总结」) and its first year.
_CYCLE = re.compile(r"(十二五|十三五|十四五)")
_CYCLES = {"十二五": 2011, "十三五": 2016, "十四五": 2021}
_ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_CN_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
# A date line: the date alone (a signature's date) or after a label (发布时间：2023-01-15).
_DATE_LABEL = re.compile(r"^[\s(（\[【]*(?:发布|印发|成文|更新)?(?:时间|日期)")
# 《…》: a document's name cited inside a title; 印发《X》: the title is X's.
_CITED = re.compile(r"《[^》]*》")
_ISSUES = re.compile(r"印发《([^》]*)》")
# A span in brackets right after a plan's name is that plan's (「实施纲要（2015-2020）落实完成情况的报告」).
_PLAN_NAME_BEFORE = re.compile(r"(?:纲要|方案|规划|计划|意见|决定|条例)[(（]\s*$")
# An issuing body at the head of a title: the Party committee (中共X区委, 中国共产党X县委员会) or the
# government (X区人民政府) of an administrative unit, or an office or committee of either
# (X区人民政府办公室, 中共X区委全面依法治区委员会办公室); joint issuers follow one another
# (separated by spaces, 、 or nothing once spaces are dropped).
_UNIT_END = r"(?:新区|自治县|自治州|自治区|特别行政区|区|县|市|旗|省|州|盟)"
_ISSUER = re.compile(
    rf"(?:中国共产党|中共)?(?P<unit>[\u4e00-\u9fff]{{1,12}}?{_UNIT_END})"
    r"(?P<organ>(?:委员会|委|人民政府|政府)(?:全面依法治[区县市旗省州]委员会|依法治[区县市旗省州]办)?(?:办公室|办公厅)?"
    r"|全面依法治[区县市旗省州]委员会(?:办公室)?)[、,和\s]*")
# The higher levels a unit's full name may open with: 「湖南省长沙市岳麓区」 → 岳麓区.
_HIGHER = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{1,6}?市(?=[\u4e00-\u9fff]+(?:新区|自治县|区|县|市|旗)$))?")
# A title that opens with the district's name: 「某某区2021年法治政府建设年度报告」.
_LEADING_DISTRICT = re.compile(r"^(?:中共)?(?:[\u4e00-\u9fff]{2,3}省)?(?:[\u4e00-\u9fff]{2,3}市)?"
                               r"([\u4e00-\u9fff]{1,6}?(?:新区|自治县|区|县|旗))(?=(?:19|20)\d{2}|关于|法治)")


@dataclass(frozen=True)
class DocMeta:
    """A document's metadata: file name, title, district, type (annual_report / multi_year_report / plan), period
    (first and last year), date, and which fields were detected rather than given."""
    doc: str
    title: str
    district: str
    doc_type: str
    period_start: int | None
    period_end: int | None
    doc_date: str
    detected: str = ""

    @property
    def period(self) -> str:
        """'2020' or '2016-2020' (format_period); '' when the period is unknown."""
        return format_period(self.period_start, self.period_end)


def format_period(start: int | None, end: int | None) -> str:
    """'2020' or '2016-2020' from its first and last year; '' when the first is None."""
    if start is None:
        return ""
    return str(start) if end in (None, start) else f"{start}-{end}"


def parse_period(text: str) -> tuple[int, int]:
    """'2021' → (2021, 2021); '2016-2020' (or with — –) → (2016, 2020). InputError otherwise."""
    m = re.fullmatch(r"\s*((?:19|20)\d{2})\s*(?:[-—–~至到]\s*((?:19|20)\d{2}))?\s*", text or "")
    if not m or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise InputError(f"时期「{text}」格式不对，应为 YYYY 或 YYYY-YYYY (period must be YYYY or YYYY-YYYY)")
    return int(m.group(1)), int(m.group(2) or m.group(1))


def detect_title(raw: str) -> str:
    """The leading lines up to the one that ends like a title (…报告 / …方案 / …通知); else the
    first line when it reads as a headline (short, no sentence punctuation); else '' (a text that
    opens with a sentence has no title: its first sentence is not one)."""
    # Read lazily: a line is cleaned only when the loop reaches it (a report's paragraphs are long).
    lines = (_SPACE_RUN.sub("", l) for l in raw.splitlines()[:40] if l.strip() and not _drop_line(l))
    parts: list[str] = []
    first = None
    for line in islice(lines, 8):
        first = line if first is None else first
        if len(line) > 80 or line.endswith(("。", "：", ":")):
            break
        parts.append(line)
        if _TITLE_END.search(line):
            return "".join(parts)
    if first is not None and len(first) <= 40 and not re.search("[。，,；;！？!?]", first):
        return first
    return ""


def issuing_unit(title: str) -> str | None:
    """The administrative unit of the bodies that issue a title (「中共X区委 X区人民政府关于…」 → X区,
    「湖南省长沙市岳麓区人民政府…」 → 岳麓区): '' when they are of different units (unsure), None
    when the title does not open with an issuing body."""
    units, pos = [], 0
    while m := _ISSUER.match(title, pos):
        units.append(_HIGHER.sub("", m.group("unit")) or m.group("unit"))
        pos = m.end()
    if not units:
        return None
    return units[0] if len(set(units)) == 1 else ""


def detect_district(title: str, text: str) -> str:
    """The district a document is about: a known district (districts.csv, with its aliases) named
    in the title; else the unit of the bodies that issue it (「中共X区委 X区人民政府」 → X区; ''
    when they disagree, so the import asks); else a known district early in the text; else a
    unit the title opens with (「某某县2022年…」); else the known district the text names most."""
    districts = load_districts()

    def known(where: str) -> str:
        hits = [(where.find(n), d.name) for d in districts for n in (d.name, *d.aliases) if len(n) > 2 and n in where]
        return min(hits)[1] if hits else ""

    found = known(title)
    if found:
        return found
    unit = issuing_unit(title)
    if unit is not None:
        return unit
    found = known(text[:600])
    if found:
        return found
    m = _LEADING_DISTRICT.search(title)
    if m:
        return _HIGHER.sub("", m.group(1)) or m.group(1)
    counts = Counter(d.name for d in districts for n in (d.name, *d.aliases) if len(n) > 2 for _ in range(text.count(n)))
    return counts.most_common(1)[0][0] if counts else ""


def detect_type(title: str) -> str:
    """Document type from the title's own words: the name of a document it issues
    (印发《…实施方案》的通知 → plan), otherwise the title without the names it cites (a report on
    《…实施方案（2021—2025年）》 is a report), by the ordered rules of rules.yaml."""
    issued = _ISSUES.search(title)
    own = issued.group(1) if issued else _CITED.sub("", title)
    own = arabic_years(own)
    for rule in load_rules()["doc_types"]:
        if re.search(rule["pattern"], own):
            return rule["type"]
    return "annual_report"


def detect_period(title: str, doc_type: str, clean: str, doc_date: str) -> tuple[int | None, int | None]:
    """The period a document covers: from its title (二〇二〇年度 too; a multi-year report on
    「“十三五”时期」 covers 2016–2020, one titled 「2016—2020年…总结」 that span, one on a cited
    plan (「实施纲要（2015-2020）落实完成情况」) the five-year cycle its text names, else the start
    its text counts from most often), else its date line (a
    report dated before November covers the year before), else the year its opening names
    (「2022年，…」; years inside 《》 and spans do not count); (None, None) when none."""
    title = arabic_years(title)
    span = _SPAN.search(title)
    if doc_type == "plan" and span:
        return int(span.group(1)), int(span.group(2))
    cycle = _CYCLE.search(title)
    if doc_type == "multi_year_report" and cycle and not span:
        first = _CYCLES[cycle.group(1)]
        return first, first + 4
    own = _own_span(title)
    if doc_type == "multi_year_report" and own:
        return int(own.group(1)), int(own.group(2))
    if doc_type == "multi_year_report":
        end = int(span.group(2)) if span else None
        if end is None:
            years = [int(y) for y in _YEAR.findall(title)]
            end = max(years) if years else (int(doc_date[:4]) - 1 if doc_date else None)
        if end is None:
            return None, None
        # A completion report whose text names the five-year cycle that ends with it covers the
        # cycle (「“十三五”期间…」 in a report to 2020: 2016–2020), whatever year it counts from.
        for name in dict.fromkeys(_CYCLE.findall(clean)):
            if _CYCLES[name] + 4 == end:
                return _CYCLES[name], end
        # The report's own start: the start most often named in spans ending at `end`
        # and in "YYYY年以来" (a completion report of 2016-2020 says 「2016年以来」 again and again);
        # of two named as often, the earlier (the report covers every run of years it counts).
        votes = Counter(int(a) for a, b in _SPAN.findall(clean) if int(b) == end and int(a) < end)
        votes.update(int(y) for y in _SINCE.findall(clean) if int(y) < end)     # the title is in the text
        start = max(votes.items(), key=lambda kv: (kv[1], -kv[0]))[0] if votes else end - 4
        return start, end
    years = [int(y) for y in _YEAR.findall(title)]
    if years:
        return years[0], years[0]
    if span:
        return int(span.group(1)), int(span.group(2))
    if doc_date:
        y, month = int(doc_date[:4]), int(doc_date[5:7])
        return (y, y) if doc_type == "plan" or month >= 11 else (y - 1, y - 1)
    opening = _SPAN.sub(lambda m: "_" * len(m.group()), _CITED.sub(lambda m: "_" * len(m.group()), arabic_years(clean[:600])))
    # 「自2006年以来」 opens a span that ends at the unknown date of writing: not the text's year.
    m = re.search(r"(?<![到至自从\d])((?:19|20)\d{2})\s*年(?![底前后]|(?:\d{1,2}月)?[^\d,;:。]{0,4}以来)", opening)
    if m:
        y = int(m.group(1))
        return y, y
    return None, None


def _own_span(title: str) -> re.Match | None:
    """The span a title gives its own document: not inside a name it cites (《…》) nor in
    brackets right after a plan's name (「实施纲要（2015-2020）落实完成情况的报告」); None when none."""
    own = _CITED.sub(lambda m: "_" * len(m.group()), title)
    return next((m for m in _SPAN.finditer(own) if not _PLAN_NAME_BEFORE.search(own, 0, m.start())), None)


def detect_date(raw: str) -> str:
    """The document's date from a date line near its head or its end (「2023年1月10日」,
    「发布时间：2023-01-15」, 「二〇二三年一月十日」), ISO 'YYYY-MM-DD'; '' when none. A date inside a
    sentence (「2022年3月15日，区政府召开…」) is an event's, not the document's."""
    lines = [l.strip() for l in raw.splitlines() if l.strip()]
    for line in lines[:12] + lines[-15:][::-1]:
        if len(line) > 20 and not _DATE_LABEL.match(line):
            continue                      # neither a date alone nor a labelled date (arabic_years keeps lengths)
        line = arabic_years(line)
        m = _ISO_DATE.search(line) or _CN_DATE.search(line)
        if m and not re.search("[。，,；;]", line[:m.start()]):
            y, mo, d = (int(g) if g.isdigit() else int(cn_to_number(g) or 0) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return ""


def detect(doc: str, raw: str, norm: Normalised, override: dict | None = None) -> DocMeta:
    """Metadata of one document (DocMeta); non-empty values of ``override`` (a metadata record or
    CLI options: title, district, doc_type, period) win over detection. Raises InputError for an
    unknown document type or a malformed period (「2021年」 is fine, 「21-20」 is not)."""
    override = {k: v for k, v in (override or {}).items() if v not in (None, "")}
    title = override.get("title") or detect_title(raw)
    probe = arabic_years(to_simplified(title))  # detection reads 二〇二一 as 2021 and 報告/區 as 报告/区; the stored title stays as written
    doc_type = override.get("doc_type") or detect_type(probe)
    if doc_type not in DOC_TYPES:
        raise InputError(f"文件类型「{doc_type}」未知，应为 {' / '.join(DOC_TYPES)} (unknown document type)")
    doc_date = override.get("doc_date") or detect_date(raw)
    if "period" in override:
        start, end = parse_period(str(override["period"]))
    else:
        start, end = detect_period(probe, doc_type, norm.text, doc_date)
    district = override.get("district") or detect_district(probe, norm.text)
    detected = ",".join(k for k in ("title", "district", "doc_type", "period") if k not in override)
    return DocMeta(doc, title, district, doc_type, start, end, doc_date, detected)

