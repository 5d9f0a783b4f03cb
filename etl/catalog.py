"""Load the declarative catalogs: indicators (with their phrasings), districts and scopes."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from etl.settings import CATALOG_DIR
from etl.text import _nfkc

# libyaml's parser when PyYAML was built with it (same documents, ten times faster)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _words(entry: dict, key: str) -> tuple:
    """The word list ``key`` of a catalog entry, each word as the extractor matches it (``norm_phrase``)."""
    return tuple(norm_phrase(w) for w in entry.get(key, []))


def norm_phrase(s: str) -> str:
    """A catalog wording as the extractor matches it: NFKC, without spaces (「行政 复议」 → 「行政复议」)."""
    return "".join(c for ch in s for c in _nfkc(ch) if not c.isspace())


@dataclass(frozen=True)
class Phrase:
    """One catalog wording of an indicator: the words (``text``), the context words one of which its sentence must
    hold, the ``unless`` words that must not stand near it, whether the figure stands before it, and the other
    per-wording rules of indicators.yaml."""
    text: str
    indicator: str
    context: tuple = ()
    unless: tuple = ()
    before: bool = False
    value: float | None = None
    zero: bool = False
    subject: tuple = ()         # words of which one must stand before the wording in its clause
    others: tuple = ()          # bodies before it in its clause whose count its figure is then
    pooled: tuple = ()          # words between it and its figure that pool other items with it


@dataclass(frozen=True)
class Indicator:
    """One indicator of etl/catalog/indicators.yaml: id, names, category, unit ('%', '件' …), decimals shown,
    direction (higher / lower / neutral is better), its wordings and derivations."""
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
    nil_outcomes: tuple = ()      # the denominator's other outcomes: all of them → the rate is 0


@dataclass(frozen=True)
class Catalog:
    """The loaded catalog: indicators by id, categories, unit conversions, wordings by text and one compiled pattern
    of every wording (longest first)."""
    indicators: dict            # id -> Indicator
    categories: dict            # id -> {zh, en}
    units: dict                 # catalog unit -> {written unit: factor}
    phrases: dict               # phrase text -> tuple[Phrase]
    phrase_re: re.Pattern       # longest-first alternation of every phrase

    def candidates(self, text: str) -> tuple:
        """The Phrases written exactly ``text`` (one text may name several indicators, each with its
        context words); () for text that is no phrasing."""
        return self.phrases.get(text, ())

    @cached_property
    def plain(self) -> frozenset:
        """The wordings none of whose claims has context, subject or ``unless`` words: their
        first claim counts wherever they stand, without reading the sentence."""
        return frozenset(t for t, claims in self.phrases.items()
                         if not any(p.unless or p.subject or p.context for p in claims))

    @cached_property
    def concluded_ids(self) -> frozenset:
        """Ids of the concluded counts (litigation_concluded …): some received count's `concluded`."""
        return frozenset(i.concluded for i in self.indicators.values() if i.concluded)

    @cached_property
    def nil_rates(self) -> tuple:
        """The ratio indicators with `nil_outcomes` (litigation_loss_rate)."""
        return tuple(i for i in self.indicators.values() if i.nil_outcomes and i.derive.get("ratio"))


class CatalogError(ValueError):
    """A catalog or rules file that does not follow its schema; the message names the file,
    the entry and the key, in Chinese then English."""


# The schema of indicators.yaml: every key an entry may have, with its type; `True` marks the
# required ones. A key not listed here (a misspelt `contxt:`) is an error.
_TOP_KEYS = {"categories": (dict, True), "indicators": (list, True), "units": (dict, True)}
_INDICATOR_KEYS = {
    "id": (str, True), "name_zh": (str, True), "name_en": (str, True), "category": (str, True),
    "unit": (str, True), "decimals": (int, True), "direction": (str, True), "phrases": (list, True),
    "headline": (bool, False), "additive": (bool, False), "derive": (dict, False),
    "zero_phrases": (list, False), "nil_outcomes": (list, False), "concluded": (str, False), "whole_district": (bool, False),
}
_PHRASE_KEYS = {"text": (str, True), "context": (list, False), "unless": (list, False), "subject": (list, False),
                "others": (list, False), "pooled": (list, False), "before": (bool, False), "value": ((int, float), False)}
_DIRECTIONS = ("higher", "lower", "neutral")


def _check_keys(where: str, item, keys: dict) -> None:
    if not isinstance(item, dict):
        raise CatalogError(f"{where}：应为映射 (must be a mapping)")
    for k in item:
        if k not in keys:
            raise CatalogError(f"{where}：未知字段「{k}」，可用字段：{', '.join(keys)} (unknown key)")
    for k, (typ, required) in keys.items():
        if k not in item:
            if required:
                raise CatalogError(f"{where}：缺少字段「{k}」 (missing key)")
            continue
        v = item[k]
        if not isinstance(v, typ) or (typ is int and isinstance(v, bool)):
            names = typ.__name__ if isinstance(typ, type) else " | ".join(t.__name__ for t in typ)
            raise CatalogError(f"{where}：字段「{k}」的值「{v}」应为 {names} (wrong type)")


def _check_words(where: str, words) -> None:
    if not all(isinstance(w, str) and w for w in words):
        raise CatalogError(f"{where}：应为非空文字的列表 (must be a list of non-empty strings)")


def validate_catalog(doc, source: str = "indicators.yaml") -> None:
    """Check a loaded indicators.yaml against its schema: known keys only, required keys and
    types, unique ids, categories, units, directions and referenced ids that exist.
    Raises CatalogError naming the entry and the key."""
    _check_keys(source, doc, _TOP_KEYS)
    ids = [item.get("id") for item in doc["indicators"] if isinstance(item, dict)]
    for n, item in enumerate(doc["indicators"], 1):
        where = f"{source} 第 {n} 个指标（{item.get('id', '?') if isinstance(item, dict) else '?'}）"
        _check_keys(where, item, _INDICATOR_KEYS)
        if ids.count(item["id"]) > 1:
            raise CatalogError(f"{where}：指标 id 重复 (indicator id appears twice)")
        if item["direction"] not in _DIRECTIONS:
            raise CatalogError(f"{where}：direction「{item['direction']}」应为 {' / '.join(_DIRECTIONS)} (unknown direction)")
        if item["category"] not in doc["categories"]:
            raise CatalogError(f"{where}：类别「{item['category']}」未在 categories 中定义 (unknown category)")
        if str(item["unit"]) not in {str(u) for u in doc["units"]}:
            raise CatalogError(f"{where}：单位「{item['unit']}」未在 units 中定义 (unknown unit)")
        if not item["phrases"]:
            raise CatalogError(f"{where}：phrases 不能为空 (no phrasing)")
        for k, p in enumerate(item["phrases"], 1):
            if isinstance(p, str):
                _check_words(f"{where} 第 {k} 个表述", [p])
                continue
            _check_keys(f"{where} 第 {k} 个表述", p, _PHRASE_KEYS)
            for key in ("context", "unless", "subject", "others", "pooled"):
                _check_words(f"{where} 第 {k} 个表述的 {key}", p.get(key, []))
        _check_words(f"{where} 的 zero_phrases", item.get("zero_phrases", []))
        _check_words(f"{where} 的 nil_outcomes", item.get("nil_outcomes", []))
        derive = item.get("derive", {})
        _check_keys(f"{where} 的 derive", derive, {"ratio": (list, False)})
        refs = list(derive.get("ratio", [])) + ([item["concluded"]] if "concluded" in item else [])
        if "ratio" in derive and len(derive["ratio"]) != 2:
            raise CatalogError(f"{where}：derive.ratio 应为 [分子, 分母] (ratio must be [numerator, denominator])")
        for ref in refs:
            if ref not in ids:
                raise CatalogError(f"{where}：引用了不存在的指标「{ref}」 (unknown indicator id)")


LOADED: dict[str, str] = {}   # catalog file name → sha256 of the bytes this process parsed (the extractor it runs)


def _read(path) -> str:
    """The text of a catalog file, its sha256 recorded in ``LOADED`` under its name."""
    data = Path(path).read_bytes()
    LOADED[Path(path).name] = hashlib.sha256(data).hexdigest()
    return data.decode("utf-8")


@lru_cache(maxsize=4)
def load_catalog(path: str | None = None) -> Catalog:
    """The indicator catalog (indicators.yaml, or the file at ``path``), checked against its
    schema (CatalogError on an unknown or missing key, a wrong type, an unknown id)."""
    doc = yaml.load(_read(path or CATALOG_DIR / "indicators.yaml"), Loader=_YAML_LOADER)
    validate_catalog(doc, str(path or "indicators.yaml"))
    indicators, phrases = {}, {}
    for item in doc["indicators"]:
        plist = []
        for p in item.get("phrases", []):
            p = {"text": p} if isinstance(p, str) else dict(p)
            plist.append(Phrase(norm_phrase(p["text"]), item["id"], _words(p, "context"), _words(p, "unless"),
                                bool(p.get("before", False)), p.get("value"), subject=_words(p, "subject"),
                                others=_words(p, "others"), pooled=_words(p, "pooled")))
        for z in item.get("zero_phrases", []):
            plist.append(Phrase(norm_phrase(z), item["id"], (), (), False, 0.0, True))
        ind = Indicator(item["id"], item["name_zh"], item["name_en"], item["category"], str(item["unit"]),
                        int(item["decimals"]), item["direction"], bool(item.get("headline", False)),
                        bool(item.get("additive", False)), item.get("derive") or {}, tuple(plist),
                        item.get("concluded", ""), bool(item.get("whole_district", False)),
                        _words(item, "nil_outcomes"))
        indicators[ind.id] = ind
        for p in plist:
            phrases.setdefault(p.text, []).append(p)
    phrase_re = re.compile(longest_first(phrases))
    return Catalog(indicators, doc.get("categories", {}), {str(k): v for k, v in doc["units"].items()},
                   {k: tuple(v) for k, v in phrases.items()}, phrase_re)


def longest_first(words) -> str:
    """A pattern matching any of ``words``: at each position the longest word that starts there,
    like ``"|".join(sorted(words, key=len, reverse=True))``, but shaped as a trie (行政复议案件|
    行政复议纠错率 → 行政复议(?:案件|纠错率)), so the engine tries one branch per character instead
    of every word, about twice as fast on report text."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}                 # a word ends here

    def pattern(node: dict) -> str:
        alts = [re.escape(ch) + pattern(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body   # greedy: the longer word first

    return pattern(trie)


@dataclass(frozen=True)
class District:
    """A district of etl/catalog/districts.csv: its name, aliases (other spellings) and parent (city or province)."""
    name: str
    aliases: tuple
    parent: str


@lru_cache(maxsize=2)
def load_districts() -> tuple:
    """Every District of etl/catalog/districts.csv, in file order. OSError when the file is missing."""
    rows = csv.DictReader(io.StringIO(_read(CATALOG_DIR / "districts.csv"), newline=""))
    return tuple(District(r["name"], tuple(a for a in r["aliases"].split("|") if a), r["parent"]) for r in rows)


# The schema of rules.yaml: each key with the shape of its value. "regex" is one pattern,
# "regex_map" a mapping of names to patterns, a list of key names a list of such mappings.
_PERIOD_NAMES = ("part_year", "part_half", "part_quarter", "since", "span", "year_list", "deadline", "year", "plan_cycle", "recent", "this_year", "as_of", "whole_year", "each_year")
_RULES_SCHEMA = {
    "scopes": ("level", "pattern"), "scope_rank": "rank_map", "own_level": "word_map", "place": "regex", "averages": "regex", "units": "regex", "parts": "regex", "part_actors": "regex", "periods": "regex_map",
    "list_joint": "regex", "list_clause": "regex", "elliptic": "regex", "from_level": "regex", "to_level": "regex", "basis": "regex",
    "procedures": "regex", "bodies": "regex", "share_clause": "regex", "level_clause": "regex", "count_clause": "regex",
    "concluded_words": "regex", "received_words": "regex", "handled_words": "regex", "other_stages": "regex",
    "joined_before": "regex", "joined_after": "regex", "each": "regex", "task_after": "regex",
    "applied_words": "regex", "accepted_verbs": "regex",
    "bare_count_nouns": "regex", "goal_run": "regex",
    "carried_over": "regex", "at_least": "regex", "at_most": "regex", "target_cues": "regex", "not_target_cues": "regex",
    "negations": "regex", "value_words": "value_map", "relative": ("comparator", "pattern"), "change_verbs": "regex",
    "change_before": "regex", "change": "regex",
    "doc_types": ("type", "pattern"),
}


def _regex(where: str, pattern) -> None:
    if not isinstance(pattern, str):
        raise CatalogError(f"{where}：应为正则表达式文字 (must be a regular expression string)")
    try:
        re.compile(pattern)
    except re.error as e:
        raise CatalogError(f"{where}：正则表达式有误：{e} (bad regular expression)") from None


def validate_rules(doc, source: str = "rules.yaml") -> None:
    """Check a loaded rules.yaml: every key known and present, patterns that compile, list
    entries with exactly their keys, period names the extraction knows. Raises CatalogError."""
    if not isinstance(doc, dict):
        raise CatalogError(f"{source}：应为映射 (must be a mapping)")
    for k in doc:
        if k not in _RULES_SCHEMA:
            raise CatalogError(f"{source}：未知字段「{k}」 (unknown key)")
    for k, shape in _RULES_SCHEMA.items():
        where = f"{source} 的 {k}"
        if k not in doc:
            raise CatalogError(f"{where}：缺少 (missing key)")
        v = doc[k]
        if shape == "regex":
            _regex(where, v)
        elif isinstance(shape, tuple):
            if not isinstance(v, list) or not v:
                raise CatalogError(f"{where}：应为非空列表 (must be a non-empty list)")
            for n, item in enumerate(v, 1):
                _check_keys(f"{where} 第 {n} 项", item, {key: (str, True) for key in shape})
                _regex(f"{where} 第 {n} 项的 pattern", item["pattern"])
        elif not isinstance(v, dict) or not v:
            raise CatalogError(f"{where}：应为非空映射 (must be a non-empty mapping)")
        elif shape == "regex_map":
            for name, pattern in v.items():
                if name not in _PERIOD_NAMES:
                    raise CatalogError(f"{where}：未知时期名「{name}」，可用：{', '.join(_PERIOD_NAMES)} (unknown period name)")
                _regex(f"{where}.{name}", pattern)
        elif shape in ("rank_map", "value_map") and not all(isinstance(x, (int, float)) for x in v.values()):
            raise CatalogError(f"{where}：值应为数字 (values must be numbers)")
        elif shape == "word_map" and not all(isinstance(x, str) for x in v.values()):
            raise CatalogError(f"{where}：值应为文字 (values must be strings)")


@lru_cache(maxsize=2)
def load_rules() -> dict:
    """Scopes, period words, comparator cues, document types: the grammar's word lists, checked
    against their schema (CatalogError naming the key)."""
    doc = yaml.load(_read(CATALOG_DIR / "rules.yaml"), Loader=_YAML_LOADER)
    validate_rules(doc)
    return doc


def unused_mappings(texts, catalog: Catalog | None = None) -> dict:
    """Catalog phrasings and district aliases that match nothing in ``texts`` (normalised
    document texts), as owid's unused-mapping warning: {'phrases': [(indicator id, wording)],
    'aliases': [(district, alias)]}, each sorted. A phrasing is used when its wording occurs in
    a text (context words not considered); an alias when the name or alias occurs."""
    cat = catalog or load_catalog()
    found: set = set()
    for t in texts:
        found.update(m.group() for m in cat.phrase_re.finditer(t))
    phrases = sorted({(p.indicator, p.text) for text, claims in cat.phrases.items() if text not in found for p in claims})
    aliases = sorted((d.name, a) for d in load_districts() for a in (d.name, *d.aliases)
                     if a and not any(a in t for t in texts))
    return {"phrases": phrases, "aliases": aliases}
