"""Every text a person reads on screen, one message table per language (``ZH``, ``EN``), and the
helpers that turn codes and metrics' notes into words.

- ``t(lang, key, **values)``: a message, formatted; a missing key is a KeyError (tests check that
  both tables hold the same keys with the same placeholders).
- ``label(lang, group, code)``: a code of the warehouse or of metrics/ (a target status 达标, a
  trend verdict 点数不足以检验, a flag kind ambiguous_change, a document type, a comparator …) as
  words: key ``group.code``; an unknown code is shown as it is (data added later must never crash
  a page).
- ``note(lang, text, terms)``: metrics/ writes its notes in Chinese from a few templates
  (``尚未到期（2022 年），按 2021 年进度``); in English each ``；``-separated part is matched against
  the ``note.*`` templates of ``ZH`` and rewritten with the ``EN`` template of the same key. The
  values caught by a template go through ``terms`` (scope words, indicator names …). Messages of
  the ETL written as 「中文 (English)」 are cut to the view's language (``bilingual``).
District names, document titles and quotes stay as written.
"""
from __future__ import annotations

import re
import string
from functools import cache

ZH: dict[str, str] = {
    # app and sidebar
    "app.title": "法治政府建设指标看板", "side.lang": "语言", "side.districts": "区县", "side.period": "时期",
    "side.latest": "最新", "side.search": "查找区县",
    "side.search_hint": "共 {n} 个区县，输入名称的一部分（可用空格分隔多个）", "side.category": "指标类别", "side.all": "全部", "side.present": "演示模式（大字号）",
    "side.version": "数据版本：{built} · {docs} 份文件 · {facts} 条数据",
    "side.unknown": "未识别的参数 {key}={value}，已改用默认值",
    "page.overview": "总览", "page.compare": "区县对比", "page.trends": "趋势", "page.targets": "目标",
    "page.whatif": "假设分析", "page.evidence": "证据", "page.data": "数据", "page.import": "数据导入",
    "title.compare": "区县对比",
    # shared
    "download.csv": "下载 CSV", "download.xlsx": "下载 XLSX", "yes": "是", "no": "否", "none": "—",
    "no_data": "暂无数据", "no_selection_data": "所选区县在此时期没有该指标的数据", "indicator": "指标",
    "doc.label": "《{title}》（{period}）", "sep": "、", "list_sep": "；",
    "unknown_indicator": "未识别的指标 indicator={value}，已改用默认值",
    # units (catalog units; % is written without a space)
    "unit.%": "%", "unit.件": "件", "unit.项": "项", "unit.人": "人", "unit.条": "条", "unit.次": "次",
    "unit.期": "期", "unit.学时": "学时", "unit.万元": "万元", "unit.pp": "百分点", "unit.per_year": "{unit}/年",
    "axis.with_unit": "{name}（{unit}）",
    # codes
    "status.达标": "达标", "status.逾期达标": "逾期达标", "status.未达标": "未达标", "status.未到期": "未到期",
    "status.暂无数据": "暂无数据", "status.缺少参照值": "缺少参照值",
    "trend.上升": "上升", "trend.下降": "下降", "trend.无显著趋势": "无显著趋势", "trend.数据不足": "数据不足",
    "trend.点数不足以检验": "点数不足以检验",
    "flag.ambiguous_change": "变化表述不明（百分点或百分比）", "flag.change_points": "以百分点表示的变化",
    "flag.change_percent": "相对变化", "flag.change_count": "增减量", "flag.conflict": "来源之间不一致",
    "flag.future_year": "报告期之后的年份", "flag.unknown_year": "年份不明（如「今年」而无成文日期）", "flag.out_of_range": "超出合理范围", "flag.list_mismatch": "数值与年份不能对应",
    "doc_type.annual_report": "年度报告", "doc_type.multi_year_report": "多年总结", "doc_type.plan": "规划/方案",
    "doc_type.auto": "自动识别",
    "cmp.>=": "≥", "cmp.<=": "≤", "cmp.=": "=", "cmp.>": ">", "cmp.<": "<", "cmp.rank": "排名",
    "kind.actual": "实际", "kind.target": "目标",
    "span.annual": "年度", "span.cumulative": "多年累计",
    "action.set": "修改数值", "action.reject": "驳回", "action.undo": "撤销",
    "tbl.facts": "数据", "tbl.targets": "目标",
    "met.True": "按期", "met.False": "未按期",
    "standard.own": "本区目标", "standard.plan": "其他区县的规划", "standard.custom": "自定义阈值",
    # words inside metrics' notes and labels (scope words, kinds): Chinese as is
    "term.全区": "全区", "term.区政府": "区政府", "term.行政机关": "行政机关", "term.区级行政机关": "区级行政机关",
    "term.部门": "部门", "term.镇街": "镇街", "term.部门、镇街": "部门、镇街", "term.口径未说明": "口径未说明",
    "term.未说明": "未说明", "term.年度": "年度", "term.多年累计": "多年累计", "term.全库最差—最好": "全库最差—最好",
    "term.自定义": "自定义", "term.上升": "上升", "term.下降": "下降", "term.无显著趋势": "无显著趋势",
    "term.未说明范围": "未说明范围",
    # metrics' notes: the Chinese templates are the ones metrics/ writes
    "note.no_data": "无数据", "note.neutral": "中性指标（无好坏方向），不排名",
    "note.alone": "同期同口径无其他区县，不排名", "note.other_set": "{diff}与排名组（{set}）不同，不排名",
    "sub.diff_period": "时期 {period}", "sub.diff_scope": "口径{scope}", "sub.diff_both": "时期 {period}、口径{scope}",
    "sub.years_scope": "{years} 年为{scope}",
    "note.approximate": "约数", "note.at_least": "下限值（至少）", "note.at_most": "上限值（至多）",
    "note.derived": "推算值", "note.derived_formula": "推算值（{formula}）",
    "note.span_differs": "{a}（{ka}）与{b}（{kb}）期间不同，不可直接比较",
    "note.overlap": "{a} 与 {b} 期间重叠，不可直接比较", "note.scope_differs": "口径不同（{a}→{b}），不可直接比较",
    "note.gap_years": "间隔 {n} 年",
    "note.scale": "{name}：标尺 {worst}（最差）—{best}（最好），{how}", "note.neutral_unscored": "{name} 为中性指标，未计分",
    "note.no_score": "无可计分数据（没有与其他区县同期同口径的数据）", "note.low_coverage": "覆盖率 {c} 低于 {m}，不排名",
    "note.ref_missing": "缺少参照值：{ref}（{year} 年）", "note.ref": "参照值：{area} {year} 年 {value}",
    "note.ref_source": "参照值：{area} {year} 年 {value}（{source}）",
    "note.projection": "Theil–Sen 外推（n={n}，{direction}，p={p}）", "note.not_significant": "趋势不显著，外推仅供参考",
    "note.unreachable_horizon": "按当前趋势 {years} 年内达不到", "note.unreachable": "按当前趋势达不到目标",
    "note.insufficient": "数据不足",
    "note.bound_low": "实际值为下限（至少），真实值可能更高，此判断未必成立",
    "note.bound_high": "实际值为上限（至多），真实值可能更低，此判断未必成立",
    "note.by_span": "按 {period} 多年累计值判断", "note.late": "期限 {deadline} 年未达标，{period} 年才达标",
    "note.slipped": "期限 {deadline} 年曾达标，{period} 年未达标",
    "note.not_due": "尚未到期（{deadline} 年），按 {period} 年进度",
    "note.not_due_span": "尚未到期（{deadline} 年），按 {period} 多年累计值进度",
    "note.none_in_window": "目标期间内无数据（最近为 {period} 年）", "note.none_until": "截至 {year} 年尚无该指标的数据",
    "note.none": "尚无该指标的数据", "note.deadline_unknown": "期限 {deadline} 年无数据，是否按期达标未知",
    "note.too_few": "仅 {n} 个年度数据点，至少需要 {min} 个", "note.constant": "各年数值相同",
    "note.untestable": "n={n}，这组数值任何排列可达到的最小 p 值为 {p}（≥ α={alpha}），无论趋势如何都不可能显著",
    "note.mixed_scope": "序列口径不一（{detail}），趋势可能来自口径变化",
    "fmt.range": "{lo}–{hi}",
    "chart.group": "（组{group}）",
    "chart.district": "区县",
    "chart.value": "数值",
    "chart.period": "时期",
    "chart.scope": "口径",
    "chart.comparability": "可比性",
    "chart.source": "来源",
    "chart.quote": "原文",
    "chart.indicator": "指标",
    "chart.note": "说明",
    "chart.cell": "{value}（{period}）",
    "chart.standing": "相对水平（1 = 最好，0 = 最差；仅同期同口径之间比较）",
    "chart.year": "年份",
    "chart.actual": "实际",
    "chart.target": "目标",
    "chart.status": "状态",
    "chart.actual_period": "实际值时期",
    "chart.target_source": "目标出处",
    "chart.bullet_axis": "实际值（条）与目标值（竖线），各指标单位",
    "overview.brief": "下载会议简报（可打印 HTML）",
    "overview.brief_docx": "下载会议简报（Word）",
    "overview.only_targets": "该区县目前只有规划目标（{n} 条），尚无实际数据；请在「{targets}」页查看，或在「{imports}」页导入年度报告。",
    "overview.delta": "{delta}（较{since}）",
    "overview.change_note": "变化：{note}",
    "overview.target": "{status}（目标 {cmp} {value}，{period}）",
    "overview.no_target": "无本区目标",
    "overview.cumulative": "（多年累计）",
    "overview.help": "原文：「{quote}」\n\n来源：{source}\n\n时期：{period}\n\n口径：{scope}\n\n目标：{targets}",
    "overview.flags": "说明：{flags}",
    "col.district": "区县",
    "col.value": "数值",
    "col.period": "时期",
    "col.scope": "口径",
    "col.rank": "排名",
    "col.group": "统计分组",
    "col.counts": "分子 / 分母",
    "col.ci": "95% 区间（Wilson）",
    "col.comparability": "可比性说明",
    "col.quote": "原文",
    "col.source": "来源",
    "compare.ranked": "排名只在同一时期、同一口径的数据之间进行：本表排名组为「{set}」（{n} 个区县）；其余数据灰色显示、不排名，原因见「可比性说明」。",
    "compare.unranked": "所选数据没有两个以上同一时期、同一口径的区县，均不排名（灰色）；可在侧栏选择具体时期。",
    "compare.neutral": "该指标无好坏方向，不排名。",
    "compare.missing": "无数据：{districts}",
    "compare.fisher": "统计分组：Fisher 精确检验（Holm 校正），同字母的区县差异不显著，不应分先后。",
    "compare.heatmap": "区县 × 指标",
    "compare.heatmap_note": "每格注明时期。颜色按方向处理，且只在每个指标的排名组（同一时期、同一口径）之内比较：蓝色为相对最好、橙红为相对最差（败诉率越低越好）；其他时期或口径的数据为灰色，不参与比较（悬停可见原因）。",
    "trends.mixed": " · 口径不一",
    "trends.too_few": "只有 {n} 个年度数据点，至少需要 {min} 个才能检验趋势；多年累计值不计入。",
    "trends.ci": "{lo} 至 {hi}（实际置信度 {conf}）",
    "col.trend": "趋势",
    "col.n_points": "年度数据点",
    "col.slope": "斜率（每年）",
    "col.slope_ci": "斜率区间",
    "col.tau": "Kendall τ",
    "col.p": "p 值",
    "col.min_p": "可达最小 p 值",
    "col.note": "说明",
    "col.span": "类型",
    "trends.slope_unit": "斜率单位：{unit}。",
    "trends.method": "趋势：Mann–Kendall 检验（双侧，α = 0.05）与 Theil–Sen 斜率；年度数据点少于 4 个时不检验，标为「数据不足」；这组数值任何排列都达不到 p < 0.05 时（如 4 个点，最小 p = 0.083）标为「点数不足以检验」，而不是「无显著趋势」。斜率区间按 Sen (1968) 计算，括号内为其在该点数下的实际置信度（4 个点时为 91.7%，并非 95%）。",
    "trends.chart_note": "蓝点为年度值，灰色虚线为 Theil–Sen 趋势线；灰色横条为多年累计值（跨越其年份），不作为年度点参与趋势检验。",
    "trends.series": "数据序列",
    "targets.standard": "对照标准",
    "targets.which_plan": "采用哪个区县的规划",
    "col.indicator": "指标",
    "col.comparator": "比较",
    "col.threshold": "阈值",
    "col.applies": "适用时期",
    "targets.threshold_help": "按该指标的单位填写（比率填百分数，如 80 表示 80%）",
    "targets.period_help": "YYYY 或 YYYY-YYYY；留空表示任何年份",
    "targets.as_of": "评估年份",
    "targets.own_year": "各区县按各自最新报告年份",
    "targets.year": "{year} 年（所有区县）",
    "targets.as_of_help": "默认每个区县按它自己最新一份报告的年份评估：导入其他区县更新的报告不会改变本区县的状态。",
    "targets.none": "所选区县没有目标",
    "col.as_of": "评估年份",
    "col.target_of": "目标所属区县",
    "col.target": "目标",
    "col.target_period": "目标时期",
    "col.deadline": "期限",
    "col.actual": "实际值",
    "col.actual_period": "实际值时期",
    "col.actual_scope": "实际值口径",
    "col.status": "状态",
    "col.met_by_deadline": "是否按期",
    "col.gap": "差距（正 = 优于目标）",
    "col.projected": "期限时预测值",
    "col.year_reached": "预计达标年份",
    "col.projection_note": "预测说明",
    "col.target_source": "目标出处",
    "col.target_quote": "目标原文",
    "targets.note": "评估年份：每个区县默认按自己最新报告的年份，只用该年及以前的数据。未到期：期限未到，显示已有数据的进度；暂无数据：目标期间内（或至今）没有数据。逾期达标：期限当年未达标、之后才达标。差距以指标自身单位计，正数表示优于目标；预测基于 Theil–Sen 趋势（不低于 0，比率不高于 100%），年度数据少于 4 个时为「数据不足」。",
    "whatif.filter": "1. 按阈值筛选区县",
    "col.condition": "条件",
    "whatif.value_at": "{value}（{period} · {scope}）",
    "col.meets_all": "满足全部条件",
    "whatif.missing_fails": "缺少数据的区县视为不满足条件（不把缺失当作 0）。",
    "whatif.edit": "2. 修改数值或目标，看状态变化",
    "whatif.edit_help": "在「数值」或「目标值」列中直接修改（按各指标单位填写，比率填百分数）；只影响本页的假设结果，不改动数据库。",
    "col.unit": "单位",
    "col.value_editable": "数值（可修改）",
    "col.target_editable": "目标值（可修改）",
    "col.base_target": "基准目标",
    "col.base_actual": "基准实际值",
    "col.base_status": "基准状态",
    "col.new_target": "假设目标",
    "col.new_actual": "假设实际值",
    "col.new_status": "假设状态",
    "col.change": "变化",
    "whatif.composite": "3. 综合得分与排名（可调权重）",
    "whatif.chosen": "参与综合的指标",
    "whatif.min_coverage": "参与排名所需的最低数据覆盖率（按权重）",
    "col.score_base": "基准得分（0–100）",
    "col.rank_base": "基准排名",
    "col.coverage": "数据覆盖率",
    "col.score_new": "假设得分（0–100）",
    "col.rank_new": "假设排名",
    "col.rank_range": "排名区间（权重 ±20%）",
    "col.n_used": "使用指标数",
    "col.rank_note": "排名说明",
    "col.missing": "缺少或不可比的指标",
    "whatif.score_note": "得分：每个数值在固定标尺上的位置（比率按 0–100%，其他单位按全库该指标最差—最好值），0 = 最差、100 = 最好，按权重平均；不按所选区县的最小—最大值拉伸（那样 0.01 个百分点的差距也会变成 0 到 100）。只用各指标同一时期、同一口径的数据；缺失指标不计为 0，按覆盖率重新分配权重；覆盖率低于 {min} 的区县不排名。排名区间：权重上下浮动 20%，且有分子分母的比率在其 Wilson 95% 区间内变动时的最好与最差名次。",
    "evidence.search": "搜索原文或指标名",
    "evidence.relative": "相对目标：{reference}",
    "evidence.nothing": "没有符合条件的数据",
    "evidence.count": "共 {n} 条。点选一行查看原文上下文。已人工修改的数字在「人工修改」列注明修改人、时间和原因。",
    "col.kind": "类型",
    "col.formula": "推算方法",
    "col.correction": "人工修改",
    "evidence.source": "来源：{source}",
    "evidence.pack": "导出证据包（XLSX）",
    "data.documents": "文件",
    "col.title": "标题",
    "col.doc_type": "类型",
    "col.doc_date": "成文日期",
    "col.n_chars": "字数",
    "col.encoding": "编码",
    "col.file": "文件名",
    "col.reason": "原因",
    "data.dropped": "有 {n} 份文件未能使用，没有进入数据库；请按说明补全后重新构建。",
    "data.coverage": "覆盖情况（指标 × 区县与时期）",
    "data.coverage_note": "每格为该区县该时期的数值（同一时期有多个口径时取范围最广的）；空白表示报告中没有该指标。另有目标 {n} 条（见「{targets}」页）。",
    "data.flags": "标记与冲突",
    "data.no_flags": "没有标记",
    "col.flag_kind": "类型",
    "data.superseded": "未采用的提及",
    "col.mention_status": "处理",
    "data.superseded_note": "同一文件中范围较窄、重复、被合并、属于参照平均值或年内部分时段的数字：保留在此，未作为该区县的数据（“处理”列说明原因）。",
    "import.who": "操作人姓名（记录在每条修改中）",
    "import.reports": "1. 导入报告",
    "import.uploader": "选择一个或多个报告文件（.txt / .docx / .pdf / .html，每个不超过 20 MB）",
    "import.uploader_help": "操作方法：点上面框内的按钮（Streamlit 组件自带的英文「Upload」或「Browse files」，即「上传 / 选择文件」）在电脑上选取文件，也可以把文件直接拖到框里；框内「20MB per file」意为每个文件不超过 20 MB。可一次选择同一批的多份报告；每份文件分别预览，确认后一起导入（全部成功或全部不导入）。区县、时期、类型留空则从正文识别；只上传一份时可在下方指定。",
    "import.district": "区县（留空则自动识别）",
    "import.period": "时期 YYYY 或 YYYY-YYYY（留空则自动识别）",
    "import.refused": "✗ {name}：未能导入",
    "import.confirm_new": "确认作为新区县导入",
    "import.preview": "{name}：{district} · {period} · {facts} 条数据、{targets} 条目标",
    "import.detected": "识别结果：**{district}** · {period} · {type} · 《{title}》",
    "import.no_figures": "文件中未找到任何指标数据：{why}",
    "import.take": "导入此文件",
    "col.take": "采用",
    "import.reason": "审核说明（记录在修改中）",
    "import.reason_default": "导入审核",
    "import.do": "确认导入 {n} 份文件",
    "import.who_first": "请先填写操作人姓名。",
    "import.added": "已导入「{name}」（{district} {period}）：{facts} 条数据、{targets} 条目标",
    "import.corrections": "2. 修改或撤销",
    "import.corrections_help": "列出侧栏所选区县的数据；要修改其他区县的数据，请先在侧栏选择该区县。",
    "import.no_facts": "所选区县没有数据可修改",
    "import.pick": "选择一条数据",
    "import.corrected": "（已修改）",
    "import.quote": "原文：「{quote}」（{source}）",
    "import.new_value": "新数值（{unit}）",
    "import.reject": "此数据有误，删除（驳回）",
    "import.fix_reason": "修改原因",
    "import.save": "保存修改",
    "import.saved": "已记录修改 #{id}",
    "col.correction_id": "编号",
    "col.made_at": "时间",
    "col.who": "操作人",
    "col.action": "操作",
    "col.table": "对象",
    "col.before": "原值",
    "col.after": "新值",
    "col.fix_reason": "原因",
    "col.active": "有效",
    "import.undo_id": "撤销修改编号",
    "import.undo": "撤销",
    "import.anonymous": "未署名",
    "import.undone": "已撤销修改 #{id}",
    "import.reference": "3. 参照数据（全市平均等）",
    "import.reference_help": "相对目标（如「不高于上年度全市平均值」）需要参照数据：下载模板，按列填写 area（地区，如 全市）、indicator（指标编号，见模板示例）、year、value、source 后上传。",
    "import.template": "下载模板 CSV",
    "import.reference_upload": "上传参照数据 CSV",
    "import.reference_do": "写入参照数据",
    "import.reference_done": "已写入 {n} 条参照数据",
    "choose": "请选择",
    "term.全市前列": "全市前列",
    "term.上年度全市平均值": "上年度全市平均值",
    "term.全市平均值": "全市平均值",
    "term.全市平均": "全市平均",
    "note.qualified": "{period}为{qualifier}",
    "term.约数": "约数",
    "term.下限值（至少）": "下限值（至少）",
    "term.上限值（至多）": "上限值（至多）",
}

EN: dict[str, str] = {
    "app.title": "Rule-of-law indicator dashboard", "side.lang": "Language", "side.districts": "Districts",
    "side.period": "Period", "side.latest": "Latest", "side.search": "Find districts",
    "side.search_hint": "{n} districts: type part of a name (several separated by spaces)", "side.category": "Indicator category", "side.all": "All",
    "side.present": "Presentation mode (large text)",
    "side.version": "Data version: {built} · {docs} documents · {facts} figures",
    "side.unknown": "Unrecognised parameter {key}={value}, using the default",
    "page.overview": "Overview", "page.compare": "Compare", "page.trends": "Trends", "page.targets": "Targets",
    "page.whatif": "What-if", "page.evidence": "Evidence", "page.data": "Data", "page.import": "Import",
    "title.compare": "Compare districts",
    "download.csv": "Download CSV", "download.xlsx": "Download XLSX", "yes": "yes", "no": "no", "none": "—",
    "no_data": "No data", "no_selection_data": "The selected districts have no figures of this indicator for this period",
    "indicator": "Indicator",
    "doc.label": "“{title}” ({period})", "sep": ", ", "list_sep": "; ",
    "unknown_indicator": "Unrecognised indicator indicator={value}, using the default",
    "unit.%": "%", "unit.件": "cases", "unit.项": "items", "unit.人": "people", "unit.条": "items", "unit.次": "times",
    "unit.期": "sessions", "unit.学时": "hours", "unit.万元": "CNY 10k", "unit.pp": "pp", "unit.per_year": "{unit}/yr",
    "axis.with_unit": "{name} ({unit})",
    "status.达标": "Met", "status.逾期达标": "Met late", "status.未达标": "Not met", "status.未到期": "Not yet due",
    "status.暂无数据": "No data", "status.缺少参照值": "Reference missing",
    "trend.上升": "Rising", "trend.下降": "Falling", "trend.无显著趋势": "No significant trend",
    "trend.数据不足": "Too few data", "trend.点数不足以检验": "Too few points to test",
    "flag.ambiguous_change": "Ambiguous change (points or percent)", "flag.change_points": "Change in points",
    "flag.change_percent": "Relative change", "flag.change_count": "Change in count",
    "flag.conflict": "Sources disagree", "flag.future_year": "Year after the report's period", "flag.unknown_year": "Year unknown (「今年」 without a date line)",
    "flag.out_of_range": "Out of range", "flag.list_mismatch": "Values and years do not pair",
    "doc_type.annual_report": "Annual report", "doc_type.multi_year_report": "Multi-year review",
    "doc_type.plan": "Plan", "doc_type.auto": "Detect",
    "cmp.>=": "≥", "cmp.<=": "≤", "cmp.=": "=", "cmp.>": ">", "cmp.<": "<", "cmp.rank": "rank",
    "kind.actual": "Actual", "kind.target": "Target",
    "span.annual": "annual", "span.cumulative": "multi-year",
    "action.set": "value changed", "action.reject": "rejected", "action.undo": "undone",
    "tbl.facts": "figures", "tbl.targets": "targets",
    "met.True": "on time", "met.False": "late",
    "standard.own": "Own targets", "standard.plan": "Another district's plan", "standard.custom": "Custom thresholds",
    "term.全区": "district-wide", "term.区政府": "district government", "term.行政机关": "agencies",
    "term.区级行政机关": "district agencies", "term.部门": "departments", "term.镇街": "towns and streets",
    "term.部门、镇街": "departments, towns and streets", "term.口径未说明": "scope not stated",
    "term.未说明": "not stated", "term.年度": "annual", "term.多年累计": "multi-year",
    "term.全库最差—最好": "worst–best in the warehouse", "term.自定义": "custom", "term.上升": "rising",
    "term.下降": "falling", "term.无显著趋势": "no significant trend", "term.未说明范围": "unstated scope",
    "note.no_data": "no data", "note.neutral": "neutral indicator (no better direction): not ranked",
    "note.alone": "no other district of the same period and scope: not ranked",
    "note.other_set": "{diff} differs from the ranked set ({set}): not ranked",
    "sub.diff_period": "period {period}", "sub.diff_scope": "scope {scope}",
    "sub.diff_both": "period {period} and scope {scope}", "sub.years_scope": "{years}: {scope}",
    "note.approximate": "approximate", "note.at_least": "lower bound (at least)", "note.at_most": "upper bound (at most)",
    "note.derived": "derived", "note.derived_formula": "derived ({formula})",
    "note.span_differs": "{a} ({ka}) and {b} ({kb}) are different spans: not comparable",
    "note.overlap": "{a} and {b} overlap: not comparable", "note.scope_differs": "scope differs ({a}→{b}): not comparable",
    "note.gap_years": "{n}-year gap",
    "note.scale": "{name}: scale {worst} (worst)–{best} (best), {how}",
    "note.neutral_unscored": "{name} is neutral, not scored",
    "note.no_score": "nothing to score (no figure of the same period and scope as other districts)",
    "note.low_coverage": "coverage {c} below {m}: not ranked",
    "note.ref_missing": "reference value missing: {ref} ({year})", "note.ref": "reference: {area} {year} {value}",
    "note.ref_source": "reference: {area} {year} {value} ({source})",
    "note.projection": "Theil–Sen projection (n={n}, {direction}, p={p})",
    "note.not_significant": "trend not significant, projection indicative only",
    "note.unreachable_horizon": "not reached within {years} years at the current trend",
    "note.unreachable": "not reached at the current trend", "note.insufficient": "too few data",
    "note.bound_low": "the actual is a lower bound (at least): the true figure may be higher, so this may not hold",
    "note.bound_high": "the actual is an upper bound (at most): the true figure may be lower, so this may not hold",
    "note.by_span": "judged by the {period} multi-year figure",
    "note.late": "missed in the deadline year {deadline}, met in {period}",
    "note.slipped": "met in the deadline year {deadline}, not met in {period}",
    "note.not_due": "not yet due ({deadline}); progress as of {period}",
    "note.not_due_span": "not yet due ({deadline}); progress by the {period} multi-year figure",
    "note.none_in_window": "no figure within the target's period (latest: {period})",
    "note.none_until": "no figure of this indicator up to {year}", "note.none": "no figure of this indicator yet",
    "note.deadline_unknown": "no figure for the deadline year {deadline}: whether it was met on time is unknown",
    "note.too_few": "only {n} annual points; at least {min} are needed", "note.constant": "the same value every year",
    "note.untestable": "n={n}: the smallest p any ordering of these values can reach is {p} (≥ α={alpha}), "
                       "so no trend could be significant",
    "note.mixed_scope": "the series mixes scopes ({detail}); the trend may come from the change of scope",
    "fmt.range": "{lo}–{hi}",
    "chart.group": " (group {group})",
    "chart.district": "District",
    "chart.value": "Value",
    "chart.period": "Period",
    "chart.scope": "Scope",
    "chart.comparability": "Comparability",
    "chart.source": "Source",
    "chart.quote": "Quote",
    "chart.indicator": "Indicator",
    "chart.note": "Note",
    "chart.cell": "{value} ({period})",
    "chart.standing": "Standing (1 = best, 0 = worst; only within the same period and scope)",
    "chart.year": "Year",
    "chart.actual": "Actual",
    "chart.target": "Target",
    "chart.status": "Status",
    "chart.actual_period": "Period of the actual",
    "chart.target_source": "Target source",
    "chart.bullet_axis": "Actual (bar) and target (tick), in each indicator's unit",
    "overview.brief": "Download the meeting brief (printable HTML)",
    "overview.brief_docx": "Download the meeting brief (Word)",
    "overview.only_targets": "This district has plan targets only ({n}) and no figures yet: see the {targets} page, or import its annual reports on the {imports} page.",
    "overview.delta": "{delta} (vs {since})",
    "overview.change_note": "Change: {note}",
    "overview.target": "{status} (target {cmp} {value}, {period})",
    "overview.no_target": "no own target",
    "overview.cumulative": " (multi-year)",
    "overview.help": "Quote: 「{quote}」\n\nSource: {source}\n\nPeriod: {period}\n\nScope: {scope}\n\nTargets: {targets}",
    "overview.flags": "Notes: {flags}",
    "col.district": "District",
    "col.value": "Value",
    "col.period": "Period",
    "col.scope": "Scope",
    "col.rank": "Rank",
    "col.group": "Statistical group",
    "col.counts": "Count / total",
    "col.ci": "95% interval (Wilson)",
    "col.comparability": "Comparability",
    "col.quote": "Quote",
    "col.source": "Source",
    "compare.ranked": "Ranks compare figures of the same period and scope only: the ranked set here is “{set}” ({n} districts); other figures are grey and unranked, the reason is under Comparability.",
    "compare.unranked": "No two selected districts have figures of the same period and scope, so none is ranked (grey); choose a period in the sidebar.",
    "compare.neutral": "This indicator has no better direction: not ranked.",
    "compare.missing": "No data: {districts}",
    "compare.fisher": "Statistical groups: Fisher's exact test (Holm-adjusted); districts sharing a letter do not differ significantly and should not be ordered.",
    "compare.heatmap": "District × indicator",
    "compare.heatmap_note": "Each cell gives its period. Colours follow each indicator's direction and compare only within its ranked set (same period and scope): blue is relatively best, vermillion relatively worst (a lower loss rate is better); figures of another period or scope are grey and not compared (hover for the reason).",
    "trends.mixed": " · mixed scopes",
    "trends.too_few": "Only {n} annual points; at least {min} are needed to test a trend; multi-year figures do not count.",
    "trends.ci": "{lo} to {hi} (actual confidence {conf})",
    "col.trend": "Trend",
    "col.n_points": "Annual points",
    "col.slope": "Slope (per year)",
    "col.slope_ci": "Slope interval",
    "col.tau": "Kendall τ",
    "col.p": "p-value",
    "col.min_p": "Smallest reachable p",
    "col.note": "Note",
    "col.span": "Kind",
    "trends.slope_unit": "Slope unit: {unit}.",
    "trends.method": "Trend: Mann–Kendall test (two-sided, α = 0.05) with the Theil–Sen slope; fewer than 4 annual points are not tested (“Too few data”); when no ordering of the values could reach p < 0.05 (4 points: smallest p = 0.083) the verdict is “Too few points to test”, not “No significant trend”. The slope interval follows Sen (1968); in brackets its actual confidence for that number of points (91.7% with 4 points, not 95%).",
    "trends.chart_note": "Blue dots are annual figures, the dashed grey line the Theil–Sen trend; grey bars are multi-year figures (spanning their years), never points of the trend test.",
    "trends.series": "The figures",
    "targets.standard": "Standard",
    "targets.which_plan": "Whose plan",
    "col.indicator": "Indicator",
    "col.comparator": "Comparator",
    "col.threshold": "Threshold",
    "col.applies": "Applies to",
    "targets.threshold_help": "In the indicator's unit (rates in percent: 80 means 80%)",
    "targets.period_help": "YYYY or YYYY-YYYY; empty for any year",
    "targets.as_of": "Judged as of",
    "targets.own_year": "Each district's latest report year",
    "targets.year": "{year} (all districts)",
    "targets.as_of_help": "By default each district is judged as of its own latest report, so importing another district's newer report never changes this district's status.",
    "targets.none": "The selected districts have no targets",
    "col.as_of": "Judged as of",
    "col.target_of": "Target of",
    "col.target": "Target",
    "col.target_period": "Target period",
    "col.deadline": "Deadline",
    "col.actual": "Actual",
    "col.actual_period": "Period of the actual",
    "col.actual_scope": "Scope of the actual",
    "col.status": "Status",
    "col.met_by_deadline": "On time",
    "col.gap": "Gap (+ = better than target)",
    "col.projected": "Projected at deadline",
    "col.year_reached": "Year reached (projected)",
    "col.projection_note": "Projection",
    "col.target_source": "Target source",
    "col.target_quote": "Target quote",
    "targets.note": "Judged as of: by default each district's latest report year, using figures up to that year only. Not yet due: the deadline is ahead; progress so far is shown. No data: no figure within the target's period (or so far). Met late: missed in the deadline year, met afterwards. The gap is in the indicator's unit, positive = better than the target; projections follow the Theil–Sen trend (never below 0, rates at most 100%), “too few data” with fewer than 4 annual figures.",
    "whatif.filter": "1. Filter districts by thresholds",
    "col.condition": "Condition",
    "whatif.value_at": "{value} ({period} · {scope})",
    "col.meets_all": "Meets every condition",
    "whatif.missing_fails": "A district without the figure does not meet the condition (a missing figure is never taken as 0).",
    "whatif.edit": "2. Change figures or targets and see the statuses change",
    "whatif.edit_help": "Edit the Value or Target column (in each indicator's unit, rates in percent); this changes only the scenario on this page, never the data.",
    "col.unit": "Unit",
    "col.value_editable": "Value (editable)",
    "col.target_editable": "Target (editable)",
    "col.base_target": "Baseline target",
    "col.base_actual": "Baseline actual",
    "col.base_status": "Baseline status",
    "col.new_target": "Scenario target",
    "col.new_actual": "Scenario actual",
    "col.new_status": "Scenario status",
    "col.change": "Change",
    "whatif.composite": "3. Composite score and rank (adjustable weights)",
    "whatif.chosen": "Indicators in the composite",
    "whatif.min_coverage": "Minimum coverage (by weight) to be ranked",
    "col.score_base": "Baseline score (0–100)",
    "col.rank_base": "Baseline rank",
    "col.coverage": "Coverage",
    "col.score_new": "Scenario score (0–100)",
    "col.rank_new": "Scenario rank",
    "col.rank_range": "Rank range (weights ±20%)",
    "col.n_used": "Indicators used",
    "col.rank_note": "Rank note",
    "col.missing": "Missing or incomparable indicators",
    "whatif.score_note": "Score: each figure's place on a fixed scale (rates on 0–100%, other units between the warehouse's worst and best figure of the indicator), 0 = worst, 100 = best, averaged by weight; never stretched over the selected districts' minimum and maximum (which would turn a 0.01-point lead into 0 to 100). Only figures of the same period and scope per indicator are used; a missing indicator is not counted as 0, the weights are shared out by coverage; districts below {min} coverage are not ranked. Rank range: the best and worst rank with every weight ±20% and rates with counts anywhere in their Wilson 95% interval.",
    "evidence.search": "Search quotes or indicator names",
    "evidence.relative": "relative target: {reference}",
    "evidence.nothing": "Nothing matches",
    "evidence.count": "{n} rows. Select a row to see its quote in context. Figures changed by a reviewer say who, when and why under Correction.",
    "col.kind": "Kind",
    "col.formula": "Derived as",
    "col.correction": "Correction",
    "evidence.source": "Source: {source}",
    "evidence.pack": "Export the evidence pack (XLSX)",
    "data.documents": "Documents",
    "col.title": "Title",
    "col.doc_type": "Type",
    "col.doc_date": "Date",
    "col.n_chars": "Characters",
    "col.encoding": "Encoding",
    "col.file": "File name",
    "col.reason": "Reason",
    "data.dropped": "{n} documents could not be used and are not in the data; complete them as described and rebuild.",
    "data.coverage": "Coverage (indicator × district and period)",
    "data.coverage_note": "Each cell is the district's figure for that period (the broadest scope when several are given); blank: the reports do not give it. There are also {n} targets (see {targets}).",
    "data.flags": "Flags and conflicts",
    "data.no_flags": "No flags",
    "col.flag_kind": "Kind",
    "data.superseded": "Mentions not used",
    "col.mention_status": "Handling",
    "data.superseded_note": "Figures of a narrower scope, repeated, summed, of a reference average or of a part of the year in the same document: kept here, not used as the district's figure (the Handling column says why).",
    "import.who": "Your name (recorded with every change)",
    "import.reports": "1. Import reports",
    "import.uploader": "Choose one or more report files (.txt / .docx / .pdf / .html, up to 20 MB each)",
    "import.uploader_help": "Click the button in the box above (Upload or Browse files) to pick files, or drag them onto the box. You can choose a whole batch of reports at once: each file is previewed on its own and the accepted ones are imported together (all or nothing). District, period and type are detected from the text when left empty; with a single file you can set them below.",
    "import.district": "District (empty: detect)",
    "import.period": "Period YYYY or YYYY-YYYY (empty: detect)",
    "import.refused": "✗ {name}: cannot be imported",
    "import.confirm_new": "Import as a new district",
    "import.preview": "{name}: {district} · {period} · {facts} figures, {targets} targets",
    "import.detected": "Detected: **{district}** · {period} · {type} · “{title}”",
    "import.no_figures": "No figures found in the file: {why}",
    "import.take": "Import this file",
    "col.take": "Use",
    "import.reason": "Review note (recorded with the changes)",
    "import.reason_default": "import review",
    "import.do": "Import {n} files",
    "import.who_first": "Enter your name first.",
    "import.added": "Imported “{name}” ({district} {period}): {facts} figures, {targets} targets",
    "import.corrections": "2. Correct or undo",
    "import.corrections_help": "Lists the figures of the districts chosen in the sidebar; to correct another district, choose it there first.",
    "import.no_facts": "The selected districts have no figures to correct",
    "import.pick": "Choose a figure",
    "import.corrected": " (corrected)",
    "import.quote": "Quote: 「{quote}」 ({source})",
    "import.new_value": "New value ({unit})",
    "import.reject": "This figure is wrong: reject it",
    "import.fix_reason": "Reason",
    "import.save": "Save the correction",
    "import.saved": "Correction #{id} stored",
    "col.correction_id": "No.",
    "col.made_at": "When",
    "col.who": "Who",
    "col.action": "Action",
    "col.table": "Applies to",
    "col.before": "Before",
    "col.after": "After",
    "col.fix_reason": "Reason",
    "col.active": "In force",
    "import.undo_id": "Number of the correction to undo",
    "import.undo": "Undo",
    "import.anonymous": "anonymous",
    "import.undone": "Correction #{id} undone",
    "import.reference": "3. Reference figures (city averages …)",
    "import.reference_help": "Relative targets (such as “at most last year's city average”) need reference figures: download the template, fill in area, indicator (the indicator's code, as in the example), year, value and source, and upload it.",
    "import.template": "Download the CSV template",
    "import.reference_upload": "Upload reference figures (CSV)",
    "import.reference_do": "Store the reference figures",
    "import.reference_done": "{n} reference figures stored",
    "choose": "Choose",
    "term.全市前列": "among the city's best",
    "term.上年度全市平均值": "last year's city average",
    "term.全市平均值": "the city average",
    "term.全市平均": "city average",
    "note.qualified": "{period} is {qualifier}",
    "term.约数": "approximate",
    "term.下限值（至少）": "a lower bound (at least)",
    "term.上限值（至多）": "an upper bound (at most)",
}

LANGS = {"zh": ZH, "en": EN}


def t(lang: str, key: str, /, **values) -> str:
    """The message ``key`` in ``lang`` ('zh' or 'en'), formatted with ``values``. KeyError when
    the key is missing (a test checks both tables hold every key)."""
    text = LANGS[lang][key]
    return text.format(**values) if values else text


def has(lang: str, key: str) -> bool:
    """True when the message table of ``lang`` ('zh' or 'en') holds ``key``."""
    return key in LANGS[lang]


def label(lang: str, group: str, code) -> str:
    """A code as words: ``label('en', 'status', '达标')`` → 'Met'. Missing or empty code → ''; an
    unknown code → the code itself."""
    if code is None or code != code or code == "":
        return ""
    return LANGS[lang].get(f"{group}.{code}", str(code))


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message, e.g. {'n', 'district'}: both languages must use the same."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


# -- metrics' notes --------------------------------------------------------------------------

@cache
def _templates(prefix: str) -> list[tuple[str, re.Pattern]]:
    """(key, regex of its Chinese template) of the keys starting with ``prefix``, the longest
    templates first so that a specific template wins over a general one."""
    out = []
    for key, text in ZH.items():
        if not key.startswith(prefix):
            continue
        rx = ""
        for lit, field, _, _ in string.Formatter().parse(text):
            rx += re.escape(lit) + (f"(?P<{field}>.+?)" if field else "")
        out.append((key, re.compile(rx)))
    return sorted(out, key=lambda kv: -len(ZH[kv[0]]))


_SPLIT = re.compile(r"( · |、|→|，)")


def term(lang: str, value: str, terms: dict | None = None) -> str:
    """A word or short phrase inside a note ('区政府', '2021 · 全区', '全程网办率、败诉率') in
    ``lang``: known scope words, span kinds and ``terms`` (e.g. indicator names zh → en) are
    translated piece by piece; anything else (district names, years) is kept."""
    if lang == "zh" or not value:
        return value
    terms = terms or {}

    def one(w: str) -> str:
        return terms.get(w) or LANGS[lang].get(f"term.{w}", w)
    if value in terms or f"term.{value}" in LANGS[lang]:
        return one(value)
    pieces = _SPLIT.split(value)
    return "".join(({"、": ", ", "，": ", "}.get(p, p) if i % 2 else one(p)) for i, p in enumerate(pieces))


def split_parts(text: str) -> list[str]:
    """'a；b（c；d）' → ['a', 'b（c；d）']: split at '；' outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "（(" and 1 or ch in "）)" and -1 or 0
        if ch == "；" and depth <= 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [p.strip() for p in parts + [cur] if p.strip()]


def _match(lang: str, part: str, prefix: str, terms: dict | None) -> str | None:
    for key, rx in _templates(prefix):
        m = rx.fullmatch(part)
        if m:
            caught = {k: (sub(lang, v, terms) if k in ("diff", "detail") else _formula(lang, v) if k == "formula"
                          else term(lang, v, terms)) for k, v in m.groupdict().items()}
            return LANGS[lang][key].format(**caught)
    return None


def _formula(lang: str, formula: str) -> str:
    """'0 / 15：已审结15件中无败诉案件' (a formula with the report's words after '：'): the words
    quoted in English, since they are the report's own."""
    calc, sep, words = formula.partition("：")
    return f"{calc} 「{words}」" if sep and lang == "en" else formula


def sub(lang: str, text: str, terms: dict | None = None) -> str:
    """A part inside a note ('时期 2020、口径区政府', '2017、2018 年为全区；2020 年为区政府')."""
    return t(lang, "list_sep").join(_match(lang, p, "sub.", terms) or term(lang, p, terms) for p in split_parts(text))


def note(lang: str, text, terms: dict | None = None) -> str:
    """A note of metrics/ (parts joined by '；') in ``lang``; '' for a missing note. A part that
    matches no template is kept (an ETL message 「中文 (English)」 is cut to the language)."""
    if text is None or text != text or text == "":
        return ""
    text = str(text)
    if lang == "zh":
        return text
    return t(lang, "list_sep").join(_match(lang, p, "note.", terms) or bilingual(lang, term(lang, p, terms))
                                    for p in split_parts(text))


_BI = re.compile(r"^(?P<zh>.*?)\s*\((?P<en>[^()（）]*[A-Za-z][^()（）]*)\)\s*$", re.S)


def bilingual(lang: str, text) -> str:
    """An ETL message written 「中文 (English)」 cut to one language; other text unchanged."""
    if text is None or text != text:
        return ""
    m = _BI.match(str(text))
    if not m or not re.search(r"[\u4e00-\u9fff]", m.group("zh")):
        return str(text)
    return m.group("en") if lang == "en" else m.group("zh")
