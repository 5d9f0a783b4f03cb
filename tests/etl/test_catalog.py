"""The indicator catalog against its schema and the spec's list of ids."""
import copy
import csv
import itertools

import pytest
import yaml

from etl.catalog import CatalogError, load_catalog, load_districts, validate_catalog, validate_rules
from etl.settings import CATALOG_DIR
from tests.conftest import SHARED


def spec_ids():
    path = SHARED / "spec" / "indicators.csv"
    if not path.exists():
        pytest.skip("shared/spec not beside the repository")
    with open(path, encoding="utf-8") as f:
        return [r["id"] for r in csv.DictReader(f)]


def test_catalog_holds_every_spec_id():
    cat = load_catalog()
    missing = set(spec_ids()) - set(cat.indicators)
    assert not missing


def test_every_indicator_has_names_unit_direction_and_a_phrasing():
    cat = load_catalog()
    for ind in cat.indicators.values():
        assert ind.name_zh and ind.name_en, ind.id
        assert ind.unit in cat.units, f"{ind.id}: unit {ind.unit} has no unit table"
        assert ind.direction in ("higher", "lower", "neutral"), ind.id
        assert ind.category in cat.categories, ind.id
        assert ind.phrases, ind.id


def test_no_phrasing_is_claimed_by_two_indicators_under_overlapping_contexts():
    """Two indicators may share a wording only under disjoint contexts, or when the
    context-free claim excludes (``unless``) every context of the other."""
    cat = load_catalog()
    for text, claims in cat.phrases.items():
        for a, b in itertools.combinations(claims, 2):
            if a.indicator == b.indicator:
                continue
            if a.context and b.context:
                assert not set(a.context) & set(b.context), f"{text}: {a.indicator} / {b.indicator}"
            else:
                free, other = (a, b) if not a.context else (b, a)
                assert other.context and set(other.context) <= set(free.unless), \
                    f"phrasing {text} maps to {a.indicator} and {b.indicator}"


def test_derivations_name_existing_indicators():
    cat = load_catalog()
    for ind in cat.indicators.values():
        for dep in ind.derive.get("ratio", []):
            assert dep in cat.indicators, f"{ind.id} derives from unknown {dep}"


def test_district_names_are_unique():
    names = [d.name for d in load_districts()]
    assert len(names) == len(set(names)) and {"渝北区", "北碚区", "两江新区", "綦江区"} <= set(names)


# --- strict schema ---------------------------------------------------------------------------------


def shipped(name):
    with open(CATALOG_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_the_shipped_catalog_and_rules_follow_their_schema():
    validate_catalog(shipped("indicators.yaml"))
    validate_rules(shipped("rules.yaml"))


def edited(change):
    doc = copy.deepcopy(shipped("indicators.yaml"))
    change(doc)
    return doc


@pytest.mark.parametrize("change, message", [
    (lambda d: d["indicators"][0]["phrases"].append({"text": "败诉率", "contxt": ["诉讼"]}), "未知字段「contxt」"),
    (lambda d: d["indicators"][0].update(headlien=True), "未知字段「headlien」"),
    (lambda d: d["indicators"][0].pop("unit"), "缺少字段「unit」"),
    (lambda d: d["indicators"][0].update(decimals="two"), "字段「decimals」的值「two」应为 int"),
    (lambda d: d["indicators"][0].update(direction="up"), "direction「up」"),
    (lambda d: d["indicators"][0].update(category="nowhere"), "类别「nowhere」"),
    (lambda d: d["indicators"][0].update(derive={"ratio": ["litigation_losses", "no_such_id"]}), "不存在的指标「no_such_id」"),
    (lambda d: d["indicators"][1].update(concluded="litigation_closed"), "不存在的指标「litigation_closed」"),
    (lambda d: d["indicators"].append(copy.deepcopy(d["indicators"][0])), "id 重复"),
    (lambda d: d["indicators"][0]["phrases"].append({"text": "败诉率", "context": "诉讼"}), "context"),
    (lambda d: d.update(unit={}), "未知字段「unit」"),
])
def test_a_catalog_off_its_schema_is_an_error_naming_entry_and_key(change, message):
    with pytest.raises(CatalogError, match=message):
        validate_catalog(edited(change))


def edited_rules(change):
    doc = copy.deepcopy(shipped("rules.yaml"))
    change(doc)
    return doc


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(target_cue="力争"), "未知字段「target_cue」"),
    (lambda d: d.pop("at_most"), "at_most：缺少"),
    (lambda d: d.update(at_least="不低于|(以上"), "at_least：正则表达式有误"),
    (lambda d: d["periods"].update(fiscal_year="财年"), "未知时期名「fiscal_year」"),
    (lambda d: d["scopes"].append({"level": "district", "patern": "全域"}), "未知字段「patern」"),
    (lambda d: d["scope_rank"].update(city="nine"), "值应为数字"),
])
def test_rules_off_their_schema_are_an_error_naming_the_key(change, message):
    with pytest.raises(CatalogError, match=message):
        validate_rules(edited_rules(change))


def test_unused_mappings_name_the_wordings_and_aliases_no_text_used():
    from etl.catalog import unused_mappings
    got = unused_mappings(["全区行政诉讼败诉率为3%，渝北区办理行政复议案件45件。"])
    assert ("litigation_loss_rate", "败诉率") in got["phrases"]        # 行政诉讼败诉率 matched, not 败诉率
    assert ("litigation_loss_rate", "行政诉讼败诉率") not in got["phrases"]
    assert ("reconsideration_cases", "行政复议案件") not in got["phrases"]
    assert ("online_service_rate", "全程网办率") in got["phrases"]
    assert ("渝北区", "渝北区") not in got["aliases"] and ("北碚区", "北碚区") in got["aliases"]
