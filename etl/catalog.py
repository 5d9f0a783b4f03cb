"""Load the declarative catalogs: indicators (with their phrasings), districts and scopes."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from etl.settings import CATALOG_DIR
from etl.text import _nfkc


def norm_phrase(s: str) -> str:
    return "".join(c for ch in s for c in _nfkc(ch) if not c.isspace())


@dataclass(frozen=True)
class Phrase:
    text: str
    indicator: str
    context: tuple = ()
    unless: tuple = ()
    before: bool = False
    value: float | None = None
    zero: bool = False


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    category: str
    unit: str
    decimals: int
    direction: str
    headline: bool = False
    additive: bool = False
    derive: dict = field(default_factory=dict)
    phrases: tuple = ()
    concluded: str = ""         # id of the concluded-count counterpart of a received count
    whole_district: bool = False  # one procedure's figure is not this indicator


@dataclass(frozen=True)
class Catalog:
    indicators: dict            # id -> Indicator
    categories: dict            # id -> {zh, en}
    units: dict                 # catalog unit -> {written unit: factor}
    phrases: dict               # phrase text -> tuple[Phrase]
    phrase_re: re.Pattern       # longest-first alternation of every phrase

    def candidates(self, text: str) -> tuple:
        return self.phrases.get(text, ())


@lru_cache(maxsize=4)
def load_catalog(path: str | None = None) -> Catalog:
    with open(path or CATALOG_DIR / "indicators.yaml", encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    indicators, phrases = {}, {}
    for item in doc["indicators"]:
        plist = []
        for p in item.get("phrases", []):
            p = {"text": p} if isinstance(p, str) else dict(p)
            plist.append(Phrase(norm_phrase(p["text"]), item["id"], tuple(norm_phrase(c) for c in p.get("context", [])),
                                tuple(norm_phrase(c) for c in p.get("unless", [])), bool(p.get("before", False)),
                                p.get("value")))
        for z in item.get("zero_phrases", []):
            plist.append(Phrase(norm_phrase(z), item["id"], (), (), False, 0.0, True))
        ind = Indicator(item["id"], item["name_zh"], item["name_en"], item["category"], str(item["unit"]),
                        int(item["decimals"]), item["direction"], bool(item.get("headline", False)),
                        bool(item.get("additive", False)), item.get("derive") or {}, tuple(plist),
                        item.get("concluded", ""), bool(item.get("whole_district", False)))
        if ind.id in indicators:
            raise ValueError(f"indicator id {ind.id} appears twice in the catalog")
        indicators[ind.id] = ind
        for p in plist:
            phrases.setdefault(p.text, []).append(p)
    ordered = sorted(phrases, key=len, reverse=True)
    phrase_re = re.compile("|".join(re.escape(p) for p in ordered))
    return Catalog(indicators, doc.get("categories", {}), {str(k): v for k, v in doc["units"].items()},
                   {k: tuple(v) for k, v in phrases.items()}, phrase_re)


@dataclass(frozen=True)
class District:
    name: str
    aliases: tuple
    parent: str


@lru_cache(maxsize=2)
def load_districts() -> tuple:
    with open(CATALOG_DIR / "districts.csv", encoding="utf-8", newline="") as f:
        return tuple(District(r["name"], tuple(a for a in r["aliases"].split("|") if a), r["parent"])
                     for r in csv.DictReader(f))


@lru_cache(maxsize=2)
def load_rules() -> dict:
    """Scopes, period words, comparator cues, document types: the grammar's word lists."""
    with open(CATALOG_DIR / "rules.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)
