"""假设分析 What-if: filter by thresholds, override values or targets, re-weight indicators;
statuses and ranks against the baseline side by side."""
import pandas as pd
import streamlit as st

from metrics import composite, targets
from metrics.compare import pick_period, scope_tag
from metrics.data import records
from ui import db, state
from ui.state import Header
from ui.text import term
from ui.widgets import edits, unit_label, value_text, value_texts

view = state.view()
frames = db.frames()
st.title(view.t("page.whatif"))
inds = state.indicators_in(frames, view)
ranked = inds[inds["direction"].isin(["higher", "lower"]) & inds["id"].isin(frames.measured)]
names = state.names(frames, view)
ids_by_name = {v: k for k, v in names.items()}
meta = {i: frames.indicator(i) for i in frames.indicators["id"]}
period = None if view.period == "latest" else view.period
facts = frames.facts_of(view.districts)
latest = pick_period(frames.best_of(view.districts), period, ["district", "indicator"])
unit_of = lambda i: unit_label(meta[i]["unit"], view.lang) if i in meta else ""
value_of = lambda v, i, q=None: value_text(v, meta.get(i, {"unit": "", "decimals": 2}), view.lang, q)

st.subheader(view.t("whatif.filter"))
OPS = {">": lambda a, b: a > b, "≥": lambda a, b: a >= b, "<": lambda a, b: a < b, "≤": lambda a, b: a <= b}
rules = st.data_editor(pd.DataFrame([{"indicator": names["online_service_rate"], "comparator": ">", "value": 80.0},
                                     {"indicator": names["litigation_loss_rate"], "comparator": "<", "value": 5.0}]),
                       num_rows="dynamic", key="whatif_rules", hide_index=True, column_config={
    "indicator": st.column_config.SelectboxColumn(view.t("col.indicator"), options=[names[i] for i in ranked["id"]],
                                                  required=True),
    "comparator": st.column_config.SelectboxColumn(view.t("col.condition"), options=list(OPS), required=True),
    "value": st.column_config.NumberColumn(view.t("col.threshold"), required=True, help=view.t("targets.threshold_help"))})
rules = rules.dropna().assign(indicator=lambda d: d["indicator"].map(ids_by_name)).dropna()
passing = []
figure = {(r["district"], r["indicator"]): r for r in records(latest[latest["indicator"].isin(set(rules["indicator"]))])}
for d in view.districts:   # each rule's figure looked up, not a frame per district
    ok = all((d, r.indicator) in figure and OPS[r.comparator](figure[d, r.indicator]["value"], r.value)
             for r in rules.itertuples())
    shown = lambda f: (view.t("whatif.value_at", value=value_of(f["value"], f["indicator"], f["qualifier"]), period=f["period"],
                              scope=term(view.lang, scope_tag(f))) if f is not None else view.t("none"))
    passing.append({"district": d, "ok": ok,
                    **{f"r{k}": shown(figure.get((d, r.indicator))) for k, r in enumerate(rules.itertuples())}})
state.show(view, pd.DataFrame(passing), {
    "district": "col.district", "ok": "col.meets_all",
    **{f"r{k}": Header(f"{names[r.indicator]} {r.comparator} {value_of(r.value, r.indicator)}")
       for k, r in enumerate(rules.itertuples())}}, download="whatif_filter", key="whatif-filter")
st.caption(view.t("whatif.missing_fails"))

st.subheader(view.t("whatif.edit"))
st.caption(view.t("whatif.edit_help"))
edit = latest.set_index("fact_id")[["district", "indicator", "period", "value"]].assign(
    indicator=lambda d: d["indicator"].map(names), unit=lambda d: latest.set_index("fact_id")["indicator"].map(unit_of))
edited = st.data_editor(edit, disabled=["district", "indicator", "period", "unit"], hide_index=True, key="whatif_values",
                        column_config={"district": view.t("col.district"), "indicator": view.t("col.indicator"),
                                       "period": view.t("col.period"), "unit": view.t("col.unit"),
                                       "value": st.column_config.NumberColumn(view.t("col.value_editable"))})
# the targets the statuses below can use: the selected districts' own and the chosen plan's (the
# standard's widget state from the previous run), never every target of a national warehouse
mine = frames.targets_of([*view.districts, st.session_state.get("whatif_standard")])
tedit = mine.set_index("target_id")[["district", "indicator", "period", "comparator", "value"]].assign(
    indicator=lambda d: d["indicator"].map(names), comparator=lambda d: d["comparator"].map(lambda c: view.label("cmp", c)),
    unit=lambda d: mine.set_index("target_id")["indicator"].map(unit_of))
tedited = st.data_editor(tedit, disabled=["district", "indicator", "period", "comparator", "unit"], hide_index=True,
                         key="whatif_targets",
                         column_config={"district": view.t("col.district"), "indicator": view.t("col.indicator"),
                                        "period": view.t("col.target_period"), "comparator": view.t("col.comparator"),
                                        "unit": view.t("col.unit"),
                                        "value": st.column_config.NumberColumn(view.t("col.target_editable"))})
as_frame = lambda df, key: df.rename_axis(key).reset_index()
fact_edits = edits(as_frame(edit, "fact_id"), as_frame(edited, "fact_id"), "fact_id")
target_edits = edits(as_frame(tedit, "target_id"), as_frame(tedited, "target_id"), "target_id")
unchanged = not fact_edits and not target_edits
as_of = None   # each district as of its own latest report year
scenario = frames
if not unchanged:  # the selected districts' facts only: a copy of a national warehouse's facts would take seconds
    new_facts = facts.assign(value=facts["fact_id"].map(fact_edits).fillna(facts["value"]))
    new_targets = frames.targets.assign(value=frames.targets["target_id"].map(target_edits).fillna(frames.targets["value"]))
    scenario = frames.replace(facts=new_facts, targets=new_targets)
own_label = view.label("standard", "own")
standard = st.selectbox(view.t("targets.standard"), ["own", *frames.planning],
                        format_func=lambda s: own_label if s == "own" else s, key="whatif_standard")
std = None if standard == "own" else standard
base = db.metric(targets.target_status, districts=list(view.districts), standard=std, as_of=as_of)
what = base if unchanged else targets.target_status(scenario, districts=list(view.districts), standard=std, as_of=as_of)
other = {"unit": "", "decimals": 2}   # an indicator missing from the catalog
values_of = lambda df, col, qs=None: value_texts(df[col].tolist(), [meta.get(i, other) for i in df["indicator"]], view.lang,
                                                 None if qs is None else df[qs].tolist())
targets_of = lambda df: [f"{view.label('cmp', c)} {x if pd.notna(v) else term(view.lang, r)}" for c, v, x, r in
                         zip(df["comparator"], df["target_value"], values_of(df, "target_value"), df["reference"])]
side = base.assign(
    name=base["indicator"].map(names),
    base_target=targets_of(base), base_actual=values_of(base, "actual_value", "actual_qualifier"),
    base_status=[view.label("status", s) for s in base["status"]],
    new_target=targets_of(what), new_actual=values_of(what, "actual_value", "actual_qualifier"),
    new_status=[view.label("status", s) for s in what["status"]])
side["change"] = ["→ " + b if a != b else "" for a, b in zip(side["base_status"], side["new_status"])]
state.show(view, side, {"district": "col.district", "name": "col.indicator", "target_period": "col.target_period",
                        "base_target": "col.base_target", "base_actual": "col.base_actual", "base_status": "col.base_status",
                        "new_target": "col.new_target", "new_actual": "col.new_actual", "new_status": "col.new_status",
                        "change": "col.change"}, download="whatif_status", key="whatif-status",
           brief=["district", "name", "base_target", "base_actual", "base_status", "new_status", "change"])

st.subheader(view.t("whatif.composite"))
chosen = st.multiselect(view.t("whatif.chosen"), list(ranked["id"]), default=list(ranked["id"][:4]), format_func=names.get,
                        key="whatif_indicators", placeholder=view.t("choose"))
if chosen:
    weights = {i: st.slider(names[i], 0.0, 3.0, 1.0, 0.1, key=f"w_{i}") for i in chosen}
    min_cov = st.slider(view.t("whatif.min_coverage"), 0.0, 1.0, composite.MIN_COVERAGE, 0.05, key="whatif_min_coverage",
                        format="percent")
    b = db.metric(composite.composite_score, chosen, {i: 1.0 for i in chosen}, list(view.districts), period,
                  min_coverage=min_cov)
    w = (db.metric(composite.composite_score, chosen, weights, list(view.districts), period, min_coverage=min_cov)
         if unchanged else composite.composite_score(scenario, chosen, weights, list(view.districts), period,
                                                     min_coverage=min_cov))
    both = b[["district", "score", "rank", "coverage"]].merge(
        w[["district", "score", "rank", "rank_min", "rank_max", "n_indicators_used", "rank_note", "missing"]],
        on="district", suffixes=("_base", "_new"))
    score = lambda x: "" if pd.isna(x) else f"{x:.1f}"
    both = both.assign(
        score_base=both["score_base"].map(score), score_new=both["score_new"].map(score),
        coverage=both["coverage"].map(lambda c: f"{c:.0%}"),
        rank_range=[view.t("fmt.range", lo=int(a), hi=int(z)) if pd.notna(a) else ""
                    for a, z in zip(both["rank_min"], both["rank_max"])],
        rank_note=both["rank_note"].map(view.note), missing=both["missing"].map(lambda m: view.note(m)))
    state.show(view, both, {"district": "col.district", "score_base": "col.score_base", "rank_base": "col.rank_base",
                            "coverage": "col.coverage", "score_new": "col.score_new", "rank_new": "col.rank_new",
                            "rank_range": "col.rank_range", "n_indicators_used": "col.n_used",
                            "rank_note": "col.rank_note", "missing": "col.missing"},
               download="composite", key="composite",
               brief=["district", "score_base", "rank_base", "score_new", "rank_new", "rank_range", "coverage"])
    st.caption(view.t("whatif.score_note", min=f"{min_cov:.0%}"))
    st.caption(view.note(w["note"].iloc[0]) if len(w) else "")
