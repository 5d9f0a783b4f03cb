"""Document metadata detected from the text: title, district, type, period."""
import pytest

from etl.documents import detect, detect_district, detect_title, detect_type, parse_period
from etl.text import InputError, normalise


@pytest.mark.parametrize("title, doc_type", [
    ("渝北区2021年法治政府建设年度报告", "annual_report"),
    ("重庆市北碚区人民政府关于2020年度法治政府建设情况的报告", "annual_report"),
    ("重庆市渝北区人民政府关于法治政府建设实施纲要（2015-2020）落实完成情况的报告", "multi_year_report"),
    ("关于印发《重庆市綦江区法治政府建设实施方案(2021—2025年)》的通知", "plan"),
    ("某某县2016—2020年法治政府建设工作总结", "multi_year_report"),
])
def test_document_type_from_title(title, doc_type):
    assert detect_type(title) == doc_type


@pytest.mark.parametrize("title, district", [
    ("重庆市北碚区人民政府关于2020年度法治政府建设情况的报告", "北碚区"),
    ("两江新区全面依法治区委员会关于印发《重庆两江新区法治政府建设任务分解方案》的通知", "两江新区"),
    ("北京市朝阳区人民政府关于2021年法治政府建设情况的报告", "朝阳区"),
    ("广东省广州市天河区人民政府关于2022年度法治政府建设工作情况的报告", "天河区"),
    ("浙江省义乌市人民政府关于2021年度法治政府建设情况的报告", "义乌市"),
    ("某某县2022年法治政府建设年度报告", "某某县"),
])
def test_district_from_title_known_or_not(title, district):
    assert detect_district(title, "") == district


def test_title_spans_the_leading_lines_up_to_its_ending():
    raw = " 两江新区全面依法治区委员会\n\n关于印发《重庆两江新区法治政府建设任务\n\n分解方案（2021—2025年）》的通知\n各街道：\n"
    assert detect_title(raw) == "两江新区全面依法治区委员会关于印发《重庆两江新区法治政府建设任务分解方案（2021—2025年）》的通知"


def test_a_completion_report_covers_the_years_it_keeps_counting_from():
    raw = ("重庆市某区人民政府\n关于法治政府建设实施纲要（2015-2020）落实完成情况的报告\n"
           "制定了《某区法治政府建设实施方案（2016-2020年）》。2016年以来，共办理行政复议案件406件。"
           "2016年以来，法律援助案件8064件。")
    meta = detect("a.txt", raw, normalise(raw))
    assert (meta.doc_type, meta.period) == ("multi_year_report", "2016-2020")


def test_record_overrides_detection_and_says_what_was_detected():
    raw = "渝北区2021年法治政府建设年度报告\n全年受理行政复议案件32件。"
    meta = detect("a.txt", raw, normalise(raw), {"district": "北碚区", "period": "2020"})
    assert (meta.district, meta.period, meta.doc_type) == ("北碚区", "2020", "annual_report")
    assert meta.detected == "title,doc_type"


@pytest.mark.parametrize("bad", ["20x1", "2021-2019", "21", ""])
def test_malformed_periods_are_refused(bad):
    with pytest.raises(InputError, match="YYYY"):
        parse_period(bad)


def test_periods_accept_dashes_of_every_kind():
    assert parse_period("2016—2020") == parse_period("2016-2020") == (2016, 2020)


# --- Issue 15, kind 7: document type and period ----------------------------------------------------

@pytest.mark.parametrize("title, doc_type", [
    ("示例区关于2022年度法治政府建设工作计划执行情况的报告", "annual_report"),
    ("示例区关于贯彻落实《法治政府建设实施纲要（2021—2025年）》2022年工作情况的报告", "annual_report"),
    ("示例区召开法治政府建设工作会议部署2023年工作计划", "annual_report"),
    ("区司法局出台《关于加强行政复议工作的意见》", "annual_report"),
    ("示例区2023年法治政府建设工作要点", "plan"),
    ("关于印发《示例区2023年法治政府建设工作计划》的通知", "plan"),
    ("示例省2022年行政应诉工作情况通报", "annual_report"),
])
def test_document_type_from_the_titles_own_words_not_the_names_it_cites(title, doc_type):
    assert detect_type(title) == doc_type


@pytest.mark.parametrize("raw", [
    "根据《示例区法治政府建设实施方案（2021—2025年）》部署，2022年各项工作有序推进。全年办理行政复议案件95件。",
    "近日，区委依法治区办印发《关于加强法治政府建设的意见》和年度工作计划，\n全区行政复议案件95件。",
])
def test_a_text_that_opens_with_a_sentence_has_no_title_and_is_a_report(raw):
    meta = detect("a.txt", raw, normalise(raw))
    assert meta.title == "" and meta.doc_type == "annual_report"


@pytest.mark.parametrize("title, period", [
    ("示例区人民政府关于二〇二一年度法治政府建设情况的报告", "2021"),      # case c03
    ("示例区人民政府关于二零二二年法治政府建设情况的报告", "2022"),
    ("示例县二〇一九年度依法行政工作报告", "2019"),
])
def test_titles_with_chinese_digit_years_give_the_period(title, period):
    raw = title + "\n全年共办理行政复议案件73件。"
    assert detect("a.txt", raw, normalise(raw)).period == period


def test_the_reports_year_comes_from_its_opening_not_the_most_frequent_year():
    raw = ("根据《示例区法治政府建设实施方案（2021—2025年）》部署，2022年各项工作有序推进。"
           "对照2021年目标，2021年制定的制度全部落实，到2025年全面建成法治政府，2021年的经验得到推广。")
    assert detect("a.txt", raw, normalise(raw)).period == "2022"


@pytest.mark.parametrize("raw, date, period", [
    ("示例区法治政府建设情况\n发布时间：2023-02-10 来源：区司法局\n2022年3月15日，区政府召开常务会议。", "2023-02-10", "2022"),
    ("示例区法治政府建设情况\n2022年3月15日，区政府召开常务会议。\n示例区人民政府\n2022年12月20日", "2022-12-20", "2022"),
    ("示例区法治政府建设情况\n全年办理行政复议案件95件。\n示例区人民政府\n二〇二三年一月十日", "2023-01-10", "2022"),
])
def test_the_date_comes_from_a_date_line_not_from_a_sentence(raw, date, period):
    meta = detect("a.txt", raw, normalise(raw))
    assert (meta.doc_date, meta.period) == (date, period)
