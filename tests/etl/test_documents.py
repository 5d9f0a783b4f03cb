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
