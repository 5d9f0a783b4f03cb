"""The indicator catalog against its schema and the spec's list of ids."""
import csv
import itertools

from etl.catalog import load_catalog, load_districts
from tests.conftest import SHARED

import pytest


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
