"""假设分析 What-if: filter by thresholds, override values or targets, re-weight indicators;
statuses and ranks against the baseline side by side."""
import pandas as pd
import streamlit as st

from metrics import composite, targets
from metrics.compare import pick_period, scope_tag
from metrics.data import best_facts
from ui import db, state
from ui.widgets import edits, value_text

view = st.session_state["view"]
frames = db.frames()
st.title("假设分析" if view.lang == "zh" else "What-if")
inds = state.indicators_in(frames, view)
ranked = inds[inds["direction"].isin(["higher", "lower"]) & inds["id"].isin(frames.measured)]
names = dict(zip(frames.indicators["id"], frames.indicators["name_zh"]))
period = None if view.period == "latest" else view.period
facts = frames.facts[frames.facts["district"].isin(view.districts)]
latest = pick_period(best_facts(facts), period, ["district", "indicator"])

st.subheader("1. 按阈值筛选区县")
rules = st.data_editor(pd.DataFrame([{"indicator": "online_service_rate", "comparator": ">", "value": 80.0},
                                     {"indicator": "litigation_loss_rate", "comparator": "<", "value": 5.0}]),
                       num_rows="dynamic", key="whatif_rules", column_config={
    "indicator": st.column_config.SelectboxColumn("指标", options=list(ranked["id"]), required=True),
    "comparator": st.column_config.SelectboxColumn("条件", options=[">", ">=", "<", "<="], required=True),
    "value": st.column_config.NumberColumn("阈值", required=True)})
ops = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}
passing = []
for d in view.districts:
    own = latest[latest["district"] == d].set_index("indicator")
    mine = own["value"]
    ok = all(r.indicator in mine and ops[r.comparator](mine[r.indicator], r.value)
             for r in rules.dropna().itertuples())
    shown = lambda i: (f"{value_text(own.loc[i, 'value'], frames.indicator(i), view.lang, own.loc[i, 'qualifier'])}"
                       f"（{own.loc[i, 'period']} · {scope_tag(own.loc[i].to_dict())}）" if i in own.index else "—")
    passing.append({"区县": d, "满足全部条件": "是" if ok else "否",
                    **{names.get(r.indicator, r.indicator): shown(r.indicator) for r in rules.dropna().itertuples()}})
state.show(view, pd.DataFrame(passing), hide_index=True)
st.caption("缺少数据的区县视为不满足条件（不把缺失当作 0）。")

st.subheader("2. 修改数值或目标，看状态变化")
edit = latest[["fact_id", "district", "indicator", "period", "value"]].assign(名称=lambda d: d["indicator"].map(names))
edited = st.data_editor(edit, disabled=["fact_id", "district", "indicator", "period", "名称"], hide_index=True,
                        key="whatif_values")
tedit = frames.targets[["target_id", "district", "indicator", "period", "comparator", "value"]].assign(
    名称=lambda d: d["indicator"].map(names))
tedited = st.data_editor(tedit, disabled=["target_id", "district", "indicator", "period", "comparator", "名称"],
                         hide_index=True, key="whatif_targets")
fact_edits, target_edits = edits(edit, edited, "fact_id"), edits(tedit, tedited, "target_id")
unchanged = not fact_edits and not target_edits
as_of = None   # each district as of its own latest report year
scenario = frames
if not unchanged:  # the selected districts' facts only: a copy of a national warehouse's facts would take seconds
    new_facts = facts.assign(value=facts["fact_id"].map(fact_edits).fillna(facts["value"]))
    new_targets = frames.targets.assign(value=frames.targets["target_id"].map(target_edits).fillna(frames.targets["value"]))
    scenario = frames.replace(facts=new_facts, targets=new_targets)
standard = st.selectbox("对照标准", ["本区目标", *sorted(set(frames.targets["district"]))], key="whatif_standard")
std = None if standard == "本区目标" else standard
base = db.metric(targets.target_status, districts=list(view.districts), standard=std, as_of=as_of)
what = base if unchanged else targets.target_status(scenario, districts=list(view.districts), standard=std, as_of=as_of)
side = base[["district", "name_zh", "target_period", "target_value", "actual_value", "status"]].assign(
    假设目标=what["target_value"].to_numpy(), 假设实际=what["actual_value"].to_numpy(), 假设状态=what["status"].to_numpy())
side["变化"] = ["→ " + b if a != b else "" for a, b in zip(side["status"], side["假设状态"])]
state.show(view, side.rename(columns={"district": "区县", "name_zh": "指标", "target_period": "目标时期",
                                  "target_value": "基准目标", "actual_value": "基准实际", "status": "基准状态"}),
             hide_index=True)

st.subheader("3. 综合得分与排名（可调权重）")
chosen = st.multiselect("参与综合的指标", list(ranked["id"]), default=list(ranked["id"][:4]), format_func=names.get,
                        key="whatif_indicators")
if chosen:
    weights = {i: st.slider(names[i], 0.0, 3.0, 1.0, 0.1, key=f"w_{i}") for i in chosen}
    min_cov = st.slider("参与排名所需的最低数据覆盖率（按权重）", 0.0, 1.0, composite.MIN_COVERAGE, 0.05,
                        key="whatif_min_coverage")
    b = db.metric(composite.composite_score, chosen, {i: 1.0 for i in chosen}, list(view.districts), period,
                  min_coverage=min_cov)
    w = (db.metric(composite.composite_score, chosen, weights, list(view.districts), period, min_coverage=min_cov)
         if unchanged else composite.composite_score(scenario, chosen, weights, list(view.districts), period,
                                                     min_coverage=min_cov))
    both = b[["district", "score", "rank", "coverage"]].merge(
        w[["district", "score", "rank", "rank_min", "rank_max", "n_indicators_used", "rank_note", "missing"]],
        on="district", suffixes=("_基准", "_假设"))
    state.show(view, both.rename(columns={"district": "区县", "coverage": "数据覆盖率", "rank_min": "排名区间下限",
                                      "rank_max": "排名区间上限", "n_indicators_used": "使用指标数",
                                      "rank_note": "排名说明", "missing": "缺少或不可比的指标"}), hide_index=True)
    st.caption(f"得分：每个数值在固定标尺上的位置（比率按 0–100%，其他单位按全库该指标最差—最好值），0 = 最差、100 = 最好，"
               f"按权重平均；不再按所选区县的最小—最大值拉伸（那样 0.01 个百分点的差距也会变成 0 到 100）。"
               f"只用各指标同一时期、同一口径的数据；缺失指标不计为 0，按覆盖率重新分配权重；覆盖率低于 {min_cov:.0%} 的区县不排名。"
               f"排名区间：权重上下浮动 20%，且有分子分母的比率在其 Wilson 95% 区间内变动时的最好与最差名次。")
    st.caption(w["note"].iloc[0] if len(w) else "")
