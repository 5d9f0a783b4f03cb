"""A realistic SYNTHETIC corpus of district rule-of-law documents, with every figure it states known.

SYNTHETIC: written only to temporary folders by the benchmarks; never shipped, never shown in the
app. Modelled on the structure of the seed documents (data/raw): real length (annual reports
18–26 KB, 2016–2020 completion reports 28–36 KB, 2021–2025 plans 32–40 KB of UTF-8), section
headings and numbered paragraphs, narrative paragraphs full of figures that are not indicators
(「理清行政许可事项717项」), statements of catalog indicators in the seeds' sentence frames with
many of the catalog's phrasings, lists of indicators in one sentence, 「分别」 lists, scopes
(全区 / 区级行政机关 / 区政府 / 部门、镇街, complementary parts of a total), multi-year
statements (「2016年以来」, 「2017年以来」, single years inside a five-year report), change
statements (「同比上升…」, 「较上年提高…个百分点」), counts with their rates or without them
(the rate derived), zero statements (「无败诉案件」), 万/亿 amounts, 余 quantifiers, plans with
targets (不低于 / 不超过 / 达到…以上 / 到2022年底 / 年年底前…全覆盖 / 不高于上年度全市平均值),
standing targets in reports, and documents laid out like PDF text (hard line breaks, spaces
around numbers).

The sentence frames come from the seeds and the catalog's wordings; the truth of each statement
is what a careful reader takes from it by the README's rules (the broadest scope, the sum of
complementary scopes, the period its marker gives, a derived rate from its two counts, no figure
for a change). The generator is not tuned to the extractor: a frame the extractor misses is
reported by :func:`score`, never removed.

Each district has one value per indicator and year (a seeded random walk), so a single year
quoted in a five-year report equals that year's annual report and a 2016–2020 count is the sum
of its years.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Values: one series per district, indicator and year.
# (low, high, decimals); counts are integers. Rates in %.
RANGES = {
    "litigation_loss_rate": (0, 12, 2), "litigation_cases": (20, 600, 0), "head_appearance_rate": (20, 100, 2),
    "reconsideration_cases": (20, 400, 0), "reconsideration_fulfilment_rate": (90, 100, 2),
    "people_mediation_cases": (800, 16000, 0), "people_mediation_success_rate": (90, 99.9, 2),
    "admin_mediation_cases": (500, 22000, 0), "admin_mediation_success_rate": (70, 95, 2),
    "reconsideration_correction_rate": (3, 25, 2), "key_dept_mediation_org_rate": (60, 100, 2),
    "labor_arbitration_cases": (600, 4000, 0), "labor_arbitration_closure_rate": (85, 99.5, 2),
    "labor_arbitration_mediation_rate": (40, 80, 2), "petition_ontime_rate": (95, 100, 2),
    "petition_satisfaction_rate": (90, 100, 2), "online_service_rate": (40, 99, 2),
    "approval_time_compression_rate": (50, 92, 1), "immediate_handling_rate": (20, 70, 1),
    "average_visits": (0.05, 0.6, 2), "zero_visit_items": (100, 1500, 0), "good_review_rate": (98, 99.99, 2),
    "negative_review_callback_rate": (90, 100, 2), "normative_doc_review_rate": (95, 100, 2),
    "normative_docs_in_force": (60, 260, 0), "normative_docs_post_evaluated": (1, 12, 0),
    "major_decision_review_rate": (95, 100, 2), "major_enforcement_review_rate": (95, 100, 2),
    "enforcement_officers": (400, 3000, 0), "suggestion_satisfaction_rate": (95, 100, 2),
    "judicial_suggestion_response_rate": (95, 100, 2), "disclosure_requests": (20, 700, 0),
    "disclosure_request_response_rate": (98, 100, 2), "proactive_disclosure_items": (8000, 90000, 0),
    "audit_rectified_funds": (800, 90000, 0), "law_awareness_rate": (85, 99, 2), "legal_aid_cases": (200, 3000, 0),
    "supervision_coverage_rate": (80, 100, 2), "online_available_rate": (70, 100, 2), "litigation_concluded": (10, 500, 0),
}
RATE_100 = {"normative_doc_review_rate", "major_decision_review_rate", "major_enforcement_review_rate",
            "disclosure_request_response_rate", "judicial_suggestion_response_rate", "suggestion_satisfaction_rate",
            "reconsideration_fulfilment_rate", "negative_review_callback_rate", "key_dept_mediation_org_rate",
            "supervision_coverage_rate"}  # often exactly 100 in the seeds


@lru_cache(maxsize=None)
def _base(seed: int, district: str, ind: str) -> tuple[float, float]:
    r = random.Random(f"{seed}|{district}|{ind}")
    lo, hi, _ = RANGES[ind]
    return r.uniform(lo + 0.1 * (hi - lo), hi - 0.2 * (hi - lo)), r.uniform(-0.04, 0.06)


@lru_cache(maxsize=None)
def value(seed: int, district: str, ind: str, year: int) -> float:
    """The district's figure for one indicator and year, rounded to the indicator's decimals."""
    lo, hi, dec = RANGES[ind]
    base, trend = _base(seed, district, ind)
    r = random.Random(f"{seed}|{district}|{ind}|{year}")
    if ind == "litigation_loss_rate" and r.random() < 0.25:
        return 0.0
    if ind in RATE_100 and r.random() < 0.5:
        return 100.0
    if dec == 0 or ind in ("average_visits",):
        v = base * (1 + trend) ** (year - 2016) * r.uniform(0.85, 1.15)
    else:
        v = base + trend * (hi - lo) * 0.5 * (year - 2016) + r.uniform(-2, 2) * (hi - lo) / 20
    v = min(max(v, lo), hi)
    return float(round(v)) if dec == 0 else round(v, dec)


def span_value(seed: int, district: str, ind: str, y0: int, y1: int) -> float:
    """A span's figure: the sum of its years for counts, their mean for rates."""
    vals = [value(seed, district, ind, y) for y in range(y0, y1 + 1)]
    dec = RANGES[ind][2]
    return float(sum(vals)) if dec == 0 else round(sum(vals) / len(vals), dec)


# ---------------------------------------------------------------------------------------------
# Statement frames. Mini-language: [a|b|c] one of the alternatives; {ind} the figure of an
# indicator (a known fact); {ind:wan} written in 万 (5.3万余条), {ind:yi} a 万元 amount written in
# 亿元; {?ind} a figure of the indicator where the catalog has it (else a figure of nothing);
# {=ind} no text, a known fact derived from the counts written; {0=ind} no text, a known
# fact of value 0 (a zero statement); {~ind} a figure of the indicator for a narrower scope (not
# a fact); {#} a figure that is not an indicator; {pct} a change in percent; {pts} in points.
# Frames are grouped by the category of their first indicator (which section they go in).
FRAMES = {
    "functions": [
        "全区[行政审批时限压缩率|审批时限压缩比|行政许可事项办理时限压缩]{approval_time_compression_rate}%，"
        "[即办事项率|即办件比例|即办件率|即办率|即办件占比]{immediate_handling_rate}%，"
        "[平均跑动次数|平均跑送次数|平均跑腿次数]{average_visits}次，[全程网办比例|全程网办率|全流程网上办率]{online_service_rate}%",
        "持续提升服务效率，行政许可事项时限压缩比{approval_time_compression_rate}%、即办件比例{immediate_handling_rate}%、"
        "平均跑动次数{average_visits}次，[全程网办比例|全程网办占比|全流程网上办理率]{online_service_rate}%",
        "大力推进“互联网+政务服务”，政务服务事项[全程网上办理率|网上办理率|全流程网办率|网上全流程办理率]达到{online_service_rate}%",
        "政务服务事项[网上可办率|网上可办比例|网上可办事项占比]达到{?online_available_rate}%",
        "全区政务服务事项[全程网办率|全程网办比例]为{online_service_rate}%，较上年提高{pts}个百分点",
        "发布“[零跑动|零跑腿]”事项{zero_visit_items}项，“网上办”事项占比{#}%",
        "推行好差评制度，实现{#}种渠道评价，群众主动评价率提升，好评率{good_review_rate}%",
        "建立差评核实整改机制，实名差评回访率达到{negative_review_callback_rate}%",
    ],
    "rules": [
        "全区目前共[保留并公布行政规范性文件|保留行政规范性文件]{normative_docs_in_force}件",
        "清理后[现行有效行政规范性文件|现行有效的行政规范性文件]共{normative_docs_in_force}件，已在区政府门户网站公布",
        "严格落实合法性审核机制，行政规范性文件合法性审核率达{normative_doc_review_rate}%",
        "规范性文件报备率及[审查率|审核率]均达{normative_doc_review_rate}%",
        "对涉及民生领域的重要规范性文件{normative_docs_post_evaluated}件开展了后评估",
    ],
    "decisions": [
        "重大行政决策[合法性审查率|法律顾问参与率、合法性审查率和集体讨论率均]达{major_decision_review_rate}%",
        "坚持重大行政决策事项年度目录公开制度，合法性审查率为{major_decision_review_rate}%",
    ],
    "enforcement": [
        "[实现重大执法决定法制审核率|重大执法决定法制审核率达|法制审核率达到]{major_enforcement_review_rate}%",
        "全区目前共有行政执法人员{enforcement_officers}余名，全部实行持证上岗",
        "全区共有持证执法人员{enforcement_officers}人，组织执法人员参加公共法律知识考试",
    ],
    "oversight": [
        "按时保质办结人大代表建议、政协提案{#}件，满意和基本满意率达{suggestion_satisfaction_rate}%",
        "及时办理答复代表建议和政协提案共计{#}件，[满意率|满意度]达{suggestion_satisfaction_rate}%",
        "及时办理司法建议及检察建议，[办复率|按期办复率|反馈率]达{judicial_suggestion_response_rate}%",
        "共受理群众向区政府提起的依申请公开{disclosure_requests}件，答复率{disclosure_request_response_rate}%",
        "全年受理政府信息公开申请{disclosure_requests}件，按时答复率为{disclosure_request_response_rate}%",
        "主动公开各类政府信息{proactive_disclosure_items:wan}万余条",
        "通过政府门户网站主动公开政府信息{proactive_disclosure_items}条",
        "督促审计发现问题整改，审计整改资金{audit_rectified_funds:yi}亿元",
        "完成审计项目{#}个，[整改资金|整改问题资金]{audit_rectified_funds}万元",
    ],
    "disputes": [
        "全年收到以区政府为被告的行政诉讼案件{litigation_cases}件，区政府负责人出庭应诉率达{~head_appearance_rate}%，"
        "已审结{?litigation_concluded}件中无败诉案件{0=litigation_loss_rate}。区级行政机关负责人出庭应诉{#}件，负责人出庭应诉率达到{head_appearance_rate}%",
        "以区政府为被告的诉讼案件{litigation_cases=a}件，以部门、镇街为被告的诉讼案件{litigation_cases=b}件",
        "全区共发生[行政诉讼案件|行政应诉案件]{litigation_cases}件，[行政诉讼败诉率|行政案件败诉率|行政诉讼平均败诉率]{litigation_loss_rate}%",
        "依法做好行政应诉工作，全区行政机关负责人出庭应诉率{head_appearance_rate}%，败诉率为{litigation_loss_rate}%",
        "区政府行政诉讼[平均败诉率|败诉率]为零{0=litigation_loss_rate}",
        "行政诉讼案件审结{?litigation_concluded}件，[无一败诉|零败诉|未发生败诉]{0=litigation_loss_rate}",
        "全年受理行政复议案件{reconsideration_cases}件，[办结|审结]{reconsideration_closed}件",
        "共办理全区[行政复议案件|行政复议申请]{reconsideration_cases}件，行政复议[纠错率|复议纠错率]为{reconsideration_correction_rate}%",
        "全区受理行政复议{reconsideration_cases}件，同比上升{pct}%，行政复议决定履行率达{reconsideration_fulfilment_rate}%",
        "全区人民调解组织受理矛盾纠纷{people_mediation_cases}件，成功调处{people_mediation_success}件，"
        "调解成功率达{people_mediation_success_rate}%",
        "全区各级调解组织共调解民间纠纷{people_mediation_cases}件，调解成功{people_mediation_success}件{=people_mediation_success_rate}，"
        "调解协议涉及金额{#}万元",
        "各级人民调解组织[调处矛盾纠纷|调解矛盾纠纷|调解各类矛盾纠纷|调处各类矛盾纠纷|调解各类纠纷]{people_mediation_cases}件，"
        "[人民调解成功率|调处成功率]为{people_mediation_success_rate}%",
        "全区受理行政调解{admin_mediation_cases}件，成功率为{admin_mediation_success_rate}%",
        "行政调解组织共受理行政调解案件{admin_mediation_cases}件，成功调解{admin_mediation_success}件，"
        "[成功率|调解成功率]为{admin_mediation_success_rate}%",
        "全区受理行政调解案件{admin_mediation_cases}件，调解成功{admin_mediation_success}件{=admin_mediation_success_rate}",
        "全区重点部门行政调解组织建成率达{key_dept_mediation_org_rate}%",
        "共立案受理[劳动人事争议案件|劳动争议案件]{labor_arbitration_cases}件，已结案件{#}件，结案率{labor_arbitration_closure_rate}%，"
        "其中调解（含撤回）结案{#}件，[调（撤）率|调撤率|调解撤诉率]为{labor_arbitration_mediation_rate}%",
        "接到群众来信来访{#}件次，受理率100%，[按期办结率|及时办结率]{petition_ontime_rate}%，[满意率为|信访事项满意率]{petition_satisfaction_rate}%",
        "信访事项[按期办结率|及时办结率]达{petition_ontime_rate}%，信访满意率{petition_satisfaction_rate}%",
    ],
    "leadership": [
        "全区法治宣传教育普及率达{law_awareness_rate}%，“七五”普法总结验收顺利通过",
        "开展公民法治素养测评，法治素养测评合格率为{law_awareness_rate}%",
        "全年办理法律援助案件{legal_aid_cases}件，为受援人挽回经济损失{#}万元",
        "法律援助实现应援优援[|，]援助各类案件{legal_aid_cases}件，持续实现了法律援助“零”投诉",
        "开展法治政府建设专项督察，督察覆盖率达{supervision_coverage_rate}%",
    ],
}
# Change statements of a rate without its level: never a figure (a flag).
CHANGE_FRAMES = [
    "{p}同比[上升|下降]{pct}%", "{p}较上年[提高|下降]{pts}个百分点", "{p}比上年提升{pct}%",
]
CHANGE_PHRASES = {
    "online_service_rate": "全程网办率", "immediate_handling_rate": "即办件比例", "good_review_rate": "政务服务好评率",
    "law_awareness_rate": "法治宣传教育普及率", "head_appearance_rate": "行政机关负责人出庭应诉率",
    "reconsideration_correction_rate": "行政复议纠错率", "petition_ontime_rate": "信访事项按期办结率",
}
# Target frames: ([text], comparator, target values). {t} the target; period from the marker.
TARGET_FRAMES = [
    ("重点部门行政调解组织建成率达{t}%", "key_dept_mediation_org_rate", ">=", (100,)),
    ("行政规范性文件合法性审核率达{t}%", "normative_doc_review_rate", ">=", (100,)),
    ("每年至少对{t}件行政规范性文件开展后评估", "normative_docs_post_evaluated", ">=", (1, 2, 3)),
    ("实名差评回访率达到{t}%", "negative_review_callback_rate", ">=", (100,)),
    ("[行政复议决定履行率|复议决定履行率]达{t}%", "reconsideration_fulfilment_rate", ">=", (100,)),
    ("全区行政机关负责人出庭应诉率达{t}%以上", "head_appearance_rate", ">=", (80, 90, 95)),
    ("认真办理司法建议和检察建议，及时反馈办理情况，按期办复率达{t}%", "judicial_suggestion_response_rate", ">=", (100,)),
    ("人大代表和政协委员提出的关于政府工作的意见和建议，满意度达{t}%以上", "suggestion_satisfaction_rate", ">=", (95, 98)),
    ("依申请公开政府信息的答复率达{t}%", "disclosure_request_response_rate", ">=", (100,)),
    ("确保行政执法人员每人每年接受不少于{t}学时的综合法律知识和专业法律知识培训", "officer_training_hours", ">=", (40, 60)),
    ("政府领导班子每年应当举办[两|三]期以上法治专题讲座", "law_lectures_per_year", ">=", None),
    ("实现对区政府各部门、各街镇督察全覆盖", "supervision_coverage_rate", ">=", (100,)),
    ("行政诉讼败诉率不高于上年度全市平均值", "litigation_loss_rate", "<=", ()),
    ("行政诉讼败诉率控制在{t}%以内", "litigation_loss_rate", "<=", (5, 8, 10)),
    ("[全程网办率|全程网办比例]不低于{t}%", "online_service_rate", ">=", (80, 90, 95)),
    ("即办件比例达到{t}%以上", "immediate_handling_rate", ">=", (50, 60, 70)),
    ("[平均跑动次数|平均跑腿次数]不超过{t}次", "average_visits", "<=", (0.3, 0.2, 0.5)),
    ("[行政审批时限压缩率|审批时限压缩比]达到{t}%以上", "approval_time_compression_rate", ">=", (80, 85, 90)),
    ("全区法治宣传教育普及率达到{t}%", "law_awareness_rate", ">=", (95, 98)),
    ("人民调解成功率保持在{t}%以上", "people_mediation_success_rate", ">=", (95, 98)),
    ("重大执法决定法制审核率达{t}%", "major_enforcement_review_rate", ">=", (100,)),
    ("重大行政决策合法性审查率达到{t}%", "major_decision_review_rate", ">=", (100,)),
]

# ---------------------------------------------------------------------------------------------
# Narrative: sentences of the seeds' kind, full of figures that are not indicators.
ORGS = ("区发展改革委", "区市场监管局", "区生态环境局", "区城市管理局", "区交通局", "区住房城乡建委", "区卫生健康委",
        "区应急局", "区民政局", "区人力社保局", "区规划自然资源局", "区农业农村委", "区教委", "区公安分局")
ACTS = ("《重大行政决策程序暂行条例》", "《优化营商环境条例》", "《行政处罚法》", "《民法典》", "《政府信息公开条例》",
        "《信访工作条例》", "《法治政府建设实施纲要》", "《行政复议法》")
NARRATIVE = (
    "深入学习贯彻习近平法治思想，全面落实党政主要负责人履行推进法治建设第一责任人职责，把法治政府建设纳入全区经济社会发展总体规划和年度工作计划",
    "理清行政许可事项{n3}项，全部实行目录化、编码化、动态化管理",
    "对应取消区级行政许可事项{n2}项，承接市级下放的行政许可事项{n2}项，调整审批事项{n1}项",
    "理清了区级、镇街两级公共服务事项{n3}项，行政权责清单{n4}项，并同步编制了实施清单",
    "机构改革后设置政府工作部门{n2}个，整合划转职责近{n2}项，对{n2}项交叉职责进行分工",
    "常态化开展“双随机一公开”抽查，编制了监管清单{n3}项，实施清单{n3}项，{n2}个单位抽查信息按时公示",
    "建立健全公平竞争审查机制，废止违反公平竞争的政府规范性文件{n1}件、部门规范性文件{n1}件",
    "目前全区共有民营经济市场主体{d1}万户，新增市场主体{n4}户",
    "建立了三级公共法律服务实体平台，安排{n3}余名专业律师到中心、入镇街、进村居",
    "组织专业律师队伍服务民营经济发展，为受疫情影响的企业作出复工复产提示{n3}条",
    "{org}牵头制定了《{topic}工作实施方案》，明确任务{n2}项、责任单位{n2}个",
    "坚持区政府常务会议会前学法制度，全年集体学习{act}等法律法规{n1}次",
    "组织{n3}名副科级以上干部参加新提任领导干部法治理论知识考试，合格率达{r}%",
    "推进生态环境保护等{n1}个领域综合执法，区级组建了{n1}支综合执法队伍，建立了{n2}个综合执法办（大队）",
    "理清了镇街自有执法权{n2}项和委托执法权{n2}项，规范了执法程序",
    "组织开展行政执法案卷评查，抽查执法案卷{n3}卷，评查结果纳入年度考核",
    "{org}开展执法全过程记录，配备执法记录仪{n3}台，建成标准化询问室{n1}间",
    "举办行政执法人员专题培训班{n1}期，培训行政执法人员{n4}人次",
    "建成区、镇街、村（社区）三级综治中心{n2}个，配备专职网格员{n3}名",
    "建立{n1}家律师事务所调解工作室，规范律师调解工作",
    "组织开展“宪法宣传周”“民法典宣传月”等主题法治宣传{n4}多场（次），发放宣传资料{n2}万余份",
    "“{dn}普法”微信公众号持续推送普法信息{n3}条，阅读量达{n2}万人次",
    "印制防疫海报、宣传单、手册{n2}万余册，发布依法抗疫各类信息、资讯{n3}余条",
    "建立了领导干部尊法学法守法用法长效机制，全区{n2}名副处级以上领导干部参加法治理论考试",
    "与四川省{n1}个市县建立合作机制，推出{n2}个事项跨省通办，设立通办专窗{n1}个",
    "制作电子印章{n2}个，电子证照模板{n3}余个，为全程网上办理提供支撑",
    "区级政务服务中心综合窗口占比达到{r}%，街镇综合窗口占比达到{r}%",
    "梳理公布“一件事一次办”套餐{n2}件，推行容缺受理事项{n2}项",
    "企业开办实现全流程网上办理、{n1}个工作日办结，一次性一套公章免费刻制",
    "小型低风险建设项目实现全流程网上受理，办结时限控制在{n1}个工作日内",
    "建设落实全面从严治党主体责任和监督责任监督管理系统，探索建立了政治生态评价标准，实现了对权力的精准监督",
    "对权力集中的部门和岗位主要领导及副职领导定期进行交流，重要单位内部科室建立了负责人交流轮岗制度",
    "在财政资金分配使用上建立健全内部控制制度，完成经济责任审计项目{n2}个",
    "开展领导干部自然资源资产离任审计，对{n1}名处级干部履职情况进行了审计",
    "完善政府新闻发言人和突发事件信息发布机制，召开新闻发布会{n2}场",
    "区政府向区人大常委会专题报告{y}年度法治政府建设情况，并根据审议意见制定整改措施{n2}条",
    "每年第一季度均按规定向同级党委、人大常委会和上一级政府报告上一年度法治政府建设情况，并通过区政府门户网向社会公开",
    "在辖区开展法治政府建设专项督察，对{n2}个区级重点单位和{n2}个镇街进行督察，对存在问题的单位通报并督促整改",
    "健全群体性事件应急预案，完善重大涉稳情报信息共享和周研判机制，未发生重大群体性事件",
    "整合{n2}个区级部门及{n2}个镇街复议职责，统一使用全国复议工作平台，规范案件办理流程",
    "积极探索诉源治理，建立“调解+司法确认”衔接机制，全年司法确认{n3}件",
    "深入推进依法信访，全面落实诉访分离制度，提高了防范化解社会矛盾实效",
    "持续深化“放管服”改革，大力推进“减环节、减时间、减材料、减跑动”，政务服务便利度持续提升",
    "建立健全政府购买服务管理制度，政府采购服务的项目{n3}个，执行金额{d2}亿元",
    "{org}依法严惩涉企违法行为，审慎适用强制措施，杜绝超范围超时限超权限现象发生",
    "成立区民营经济发展服务中心，收集解决企业反映问题{n3}个，办结率{r}%",
    "推进“互联网+监管”，归集监管行为数据{n4}条，建立企业信用档案{n4}户",
    "组织{n2}个部门开展跨部门联合抽查{n2}次，抽查企业{n3}户",
    "全区{n2}个镇街全部建立了公共法律服务工作站，{n3}个村（社区）实现法律顾问全覆盖",
    "全年开展法治文化进社区、进企业、进校园活动{n3}场，受众{n2}万人次",
)
TOPICS = ("法治化营商环境", "行政执法三项制度", "政务公开", "公共法律服务体系建设", "诉源治理", "基层依法治理",
          "法治乡村建设", "重大行政决策", "行政复议体制改革", "证明事项告知承诺制")
SECTIONS = (
    ("functions", "依法全面履行政府职能"), ("rules", "完善依法行政制度体系"), ("decisions", "推进行政决策科学化、民主化、法治化"),
    ("enforcement", "坚持严格规范公正文明执法"), ("oversight", "强化对行政权力的制约和监督"),
    ("disputes", "依法有效化解社会矛盾纠纷"), ("leadership", "全面提高政府工作人员法治思维和依法行政能力"),
)
PLAN_TASKS = (
    "深入推进“放管服”改革，持续精简行政许可事项，全面实行行政许可事项清单管理",
    "全面落实证明事项告知承诺制，严禁违法设定证明事项，推动减证便民",
    "加快建设服务型政府，完善首问负责、一次告知、一窗受理、掌上办理、一网通办等机制",
    "依法制定行政规范性文件，严禁越权发文、严控发文数量、严格制发程序",
    "严格落实重大行政决策程序，把公众参与、专家论证、风险评估、合法性审查、集体讨论决定作为法定程序",
    "深化行政执法体制改革，推进综合行政执法，合理配置执法力量，推动执法重心向基层下移",
    "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度",
    "加大重点领域执法力度，加强食品药品、公共卫生、自然资源、生态环境、安全生产等关系群众切身利益的重点领域执法",
    "健全突发事件应对体系，完善突发事件应对制度，提高突发事件依法处置能力",
    "加强行政复议能力建设，推动相关机构设置、人员配备与所承担的工作任务相适应",
    "加强行政机关负责人出庭应诉工作，严格落实信息共享、定期通报制度",
    "健全行政争议实质性化解机制，推动诉源治理，支持法院依法受理和审理行政案件",
    "全面推进政务公开，坚持以公开为常态、不公开为例外，用政府更加公开透明赢得人民群众更多理解和支持",
    "加强对行政权力的制约和监督，形成监督合力，坚决查处违纪违法行为",
    "坚持和发展新时代“枫桥经验”，完善人民调解、行政调解、司法调解联动工作体系",
    "推进法治政府建设信息化，加快推进政务数据有序共享，提升“互联网+监管”水平",
    "加强党对法治政府建设的领导，各级党委（党组）要把法治政府建设摆到工作全局更加突出的位置",
    "健全领导干部学法用法机制，把法治教育纳入干部教育培训总体规划",
)
PLAN_OWNERS = ("牵头单位：区司法局；责任单位：区级各部门、各镇街", "牵头单位：区政府办公室；责任单位：区级有关部门",
               "牵头单位：区发展改革委、区市场监管局；责任单位：各镇街", "责任单位：区级各行政执法部门")
CN_DIGITS = {2: "两", 3: "三"}


@dataclass(frozen=True)
class Known:
    """One figure or target the generator wrote. kind: actual | target | change (a change
    statement of an indicator whose level the document does not give: must not become a
    figure). value in the catalog unit (None for a relative target or a change)."""
    kind: str
    indicator: str
    period: str
    value: float | None
    comparator: str = ""
    frame: str = ""        # the frame with its alternatives chosen, before figures


@dataclass(frozen=True)
class SynthReport:
    name: str
    district: str
    doc_type: str        # annual_report | multi_year_report | plan
    period: str
    text: str
    known: tuple = field(default=())


# ---------------------------------------------------------------------------------------------
_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{([^{}]*)\}")


def _choose(r: random.Random, frame: str) -> str:
    return _CHOICE.sub(lambda m: r.choice(m.group(1).split("|")), frame)


@lru_cache(maxsize=1)
def catalog_ids() -> frozenset:
    from etl.catalog import load_catalog
    return frozenset(load_catalog().indicators)


def _fmt(v: float, dec: int) -> str:
    return str(int(round(v))) if dec == 0 else f"{v:.{dec}f}".rstrip("0").rstrip(".")


class _Writer:
    """Renders frames for one document; collects its Known rows."""

    def __init__(self, r: random.Random, seed: int, district: str, period: str):
        self.r, self.seed, self.district, self.period = r, seed, district, period
        self.known: list[Known] = []

    def figure(self, ind: str, when: tuple[int, int]) -> float:
        return (value(self.seed, self.district, ind, when[0]) if when[0] == when[1]
                else span_value(self.seed, self.district, ind, *when))

    def statement(self, frame: str, when: tuple[int, int], period: str) -> str:
        r = self.r
        text = _choose(r, frame)
        vals: dict[str, float] = {}
        out_known: list[Known] = []

        def slot(m: re.Match) -> str:
            s = m.group(1)
            if s == "#":
                return str(r.randint(2, 480))
            if s == "pct":
                return f"{r.uniform(1, 30):.2f}"
            if s == "pts":
                return f"{r.uniform(0.5, 9):.1f}"
            if s.startswith("="):     # derived from the two counts written
                return ""
            if s.startswith("0="):
                out_known.append(Known("actual", s[2:], period, 0.0, frame=text))
                return ""
            if s.startswith("?"):         # an indicator only where the catalog has it
                if s[1:] not in catalog_ids():
                    return str(r.randint(2, 480))
                s = s[1:]
            if s.startswith("~"):
                lo, hi, dec = RANGES[s[1:]]
                return _fmt(r.uniform(lo, hi), dec)
            ind, _, how = s.partition(":")
            ind, _, part = ind.partition("=")
            if ind == "people_mediation_success":
                v = round(self.figure("people_mediation_cases", when) * self.figure("people_mediation_success_rate", when) / 100)
            elif ind == "admin_mediation_success":
                v = round(self.figure("admin_mediation_cases", when) * self.figure("admin_mediation_success_rate", when) / 100)
            elif ind == "reconsideration_closed":
                v = round(self.figure("reconsideration_cases", when) * r.uniform(0.75, 1.0))
            else:
                v = self.figure(ind, when)
            dec = RANGES.get(ind, (0, 0, 0))[2]
            if part:                  # complementary parts of a total: 区政府 + 部门、镇街
                a = round(v * 0.45)
                if part == "a":
                    return str(a)
                out_known.append(Known("actual", ind, period, float(v), frame=text))
                return str(int(v - a))
            if how == "wan":
                w = max(round(v / 10000, 1), 0.1)
                vals[ind] = w * 10000
                out_known.append(Known("actual", ind, period, round(w * 10000, 6), frame=text))
                return _fmt(w, 1)
            if how == "yi":
                y = max(round(v / 10000, 2), 0.01)
                out_known.append(Known("actual", ind, period, round(y * 10000, 6), frame=text))
                return _fmt(y, 2)
            vals[ind] = v
            out_known.append(Known("actual", ind, period, float(v), frame=text))
            return _fmt(v, dec)

        rendered = _SLOT.sub(slot, text)
        for m in _SLOT.finditer(text):
            s = m.group(1)
            if s.startswith("="):
                rate = s[1:]
                num, den = {"people_mediation_success_rate": ("people_mediation_success", "people_mediation_cases"),
                            "admin_mediation_success_rate": ("admin_mediation_success", "admin_mediation_cases")}[rate]
                out_known.append(Known("actual", rate, period, round(vals[num] / vals[den] * 100, 2), frame=text))
        self.known.extend(out_known)
        return rendered

    def target(self, spec: tuple, period: str) -> str:
        frame, ind, comp, choices = spec
        text = _choose(self.r, frame)
        if choices is None:        # 「两期以上」: the number in Chinese digits
            n = next(k for k, w in CN_DIGITS.items() if f"{w}期" in text)
            self.known.append(Known("target", ind, period, float(n), comp, text))
            return text
        if not choices:            # relative: no value
            self.known.append(Known("target", ind, period, None, comp, text))
            return text
        t = self.r.choice(choices)
        self.known.append(Known("target", ind, period, float(t), comp, text))
        return text.replace("{t}", _fmt(t, 2))


def district_names(n: int, seed: int = 7) -> list[str]:
    """``n`` district names: the 41 of Chongqing first (the catalog's), then SYNTHETIC names
    (合成…区/县) for province and national scale."""
    from etl.catalog import load_districts
    real = [d.name for d in load_districts()]
    if n <= len(real):
        return real[:n]
    syll = "安宝昌承德丰光和华嘉金康乐林龙明宁平庆仁荣瑞山泰通文新兴阳永云正中"
    out = list(real)
    k = len(syll)
    i = 0
    while len(out) < n:
        a, b, c = i // (k * k), (i // k) % k, i % k
        out.append(f"合成{syll[a] if a else ''}{syll[b]}{syll[c]}{'区' if i % 3 else '县'}")
        i += 1
    return out


def _narrative(r: random.Random, district: str, year: int) -> str:
    fill = {"n1": lambda: r.randint(2, 12), "n2": lambda: r.randint(10, 99), "n3": lambda: r.randint(100, 999),
            "n4": lambda: r.randint(1000, 9999), "d1": lambda: f"{r.uniform(1, 30):.1f}",
            "d2": lambda: f"{r.uniform(1, 60):.2f}", "r": lambda: f"{r.uniform(80, 99.9):.1f}",
            "org": lambda: r.choice(ORGS), "act": lambda: r.choice(ACTS), "topic": lambda: r.choice(TOPICS),
            "y": lambda: year, "dn": lambda: district[:-1] if len(district) > 2 else district}
    return _SLOT.sub(lambda m: str(fill[m.group(1)]()), r.choice(NARRATIVE))


CN_NUM = "一二三四五六七八九十"


def _paragraphs(r: random.Random, district: str, year: int, statements: dict, target_bytes: int,
                head: list[str], tail: list[str]) -> list[str]:
    """Sections of numbered paragraphs, each a few narrative sentences with the section's
    statements placed among them, filled with narrative until the text reaches target_bytes."""
    secs = {key: [] for key, _ in SECTIONS}
    for key, items in statements.items():
        for s in items:
            secs[key].append(s)
    paras: dict[str, list[list[str]]] = {key: [] for key, _ in SECTIONS}
    for key in secs:
        for s in secs[key]:
            paras[key].append([s])
        if not paras[key]:
            paras[key].append([])
    size = sum(len(x.encode()) for x in head + tail)
    keys = [k for k, _ in SECTIONS]
    for key in keys:
        for p in paras[key]:
            for _ in range(2):
                p.insert(r.randint(0, len(p)), _narrative(r, district, year))
    size += sum(len("。".join(p).encode()) + 8 for ps in paras.values() for p in ps)
    while size < target_bytes:
        key = r.choice(keys)
        p = r.choice(paras[key]) if r.random() < 0.6 else None
        s = _narrative(r, district, year)
        if p is None or len(p) > 6:
            paras[key].append([s, _narrative(r, district, year)])
            size += len(s.encode()) * 2 + 8
        else:
            p.insert(r.randint(0, len(p)), s)
            size += len(s.encode()) + 3
    out = list(head)
    for i, (key, name) in enumerate(SECTIONS):
        out.append(f"（{CN_NUM[i]}）{name}")
        for j, p in enumerate(paras[key], 1):
            out.append(f"{j}. " + "。".join(p) + "。")
    return out + tail


def _pdf_layout(r: random.Random, lines: list[str]) -> list[str]:
    """Text as it comes out of a PDF: spaces around numbers, hard line breaks every ~30
    characters (never inside a number)."""
    out = []
    width = r.randint(28, 34)
    title = lines.index("") if "" in lines else 0    # title lines are set on lines of their own
    out, lines = lines[:title], lines[title:]
    for line in lines:
        line = re.sub(r"(?<=[\u4e00-\u9fff])(\d+(?:\.\d+)?)(?=[\u4e00-\u9fff%])", r" \1 ", line).replace(" %", "%")
        if len(line) <= width:
            out.append(line)
            continue
        cur = ""
        for tok in re.findall(r"[ \d.%]+|.", line):
            if len(cur) + len(tok) > width and cur:
                out.append(cur)
                cur = ""
            cur += tok
        if cur:
            out.append(cur)
    return out


def frame_indicators(frame: str) -> set:
    """Indicators a frame states (or states a narrower-scope figure of)."""
    out = set()
    for s in _SLOT.findall(frame):
        if s in ("#", "pct", "pts"):
            continue
        s = s.lstrip("~?").split(":")[0]
        s = s.split("=")[1] if s.startswith(("=", "0=")) else s.split("=")[0]
        out.add(s)
    return out


def _pick_frames(r: random.Random, share: float, skip: set) -> dict:
    """Per section, frames whose indicators are not in ``skip``; one frame per indicator."""
    used: set = set(skip)
    out: dict = {}
    for key, frames in FRAMES.items():
        for frame in r.sample(frames, len(frames)):
            inds = frame_indicators(frame)
            if inds & used or r.random() > share:
                continue
            used |= inds
            out.setdefault(key, []).append(frame)
    return out


def annual_report(district: str, year: int, seed: int, r: random.Random) -> SynthReport:
    w = _Writer(r, seed, district, str(year))
    when = (year, year)
    change_inds = r.sample(sorted(CHANGE_PHRASES), 2)
    frames = _pick_frames(r, 0.75, set(change_inds))
    statements: dict = {}
    for key, fs in frames.items():
        for frame in fs:
            marker = r.choice(("", "", "全年", f"{year}年，", f"{year}年度"))
            statements.setdefault(key, []).append(marker + w.statement(frame, when, str(year)))
    for ind in change_inds[:1]:
        frame = _choose(r, r.choice(CHANGE_FRAMES)).replace("{p}", CHANGE_PHRASES[ind])
        text = _SLOT.sub(lambda m: f"{r.uniform(1, 30):.2f}" if m.group(1) == "pct" else f"{r.uniform(0.5, 9):.1f}", frame)
        w.known.append(Known("change", ind, str(year), None, frame=frame))
        statements.setdefault("functions" if ind in ("online_service_rate", "immediate_handling_rate", "good_review_rate")
                              else "disputes" if ind != "law_awareness_rate" else "leadership", []).append("全区" + text)
    title = r.choice((f"{district}{year}年法治政府建设年度报告", f"重庆市{district}人民政府关于{year}年度法治政府建设情况的报告",
                      f"{district}人民政府关于{year}年法治政府建设工作情况的报告"))
    head = [title, "", f"{year}年，{district}坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻习近平法治思想，"
                       f"全面推进依法行政，法治政府建设取得新成效。现将有关情况报告如下。", f"一、{year}年法治政府建设主要举措和成效"]
    plans = []
    for spec in r.sample([t for t in TARGET_FRAMES if t[3] and t[2] == ">=" and "每年" not in t[0]], r.randint(0, 2)):
        if spec[1] in {k.indicator for k in w.known}:
            continue
        y = year + 1
        plans.append(f"力争到{y}年底，" + w.target(spec, str(y)))
    tail = ["二、存在的不足和原因", "。".join(_narrative(r, district, year) for _ in range(3)) + "。",
            f"三、{year + 1}年工作打算", "。".join([*plans, *(_narrative(r, district, year) for _ in range(2))]) + "。",
            "", f"{district}人民政府", f"{year + 1}年1月{r.randint(5, 28)}日"]
    lines = _paragraphs(r, district, year, statements, r.randint(18_000, 26_000), head, tail)
    if r.random() < 0.25:
        lines = _pdf_layout(r, lines)
    name = f"syn_{year}_{district}_annual.txt"
    return SynthReport(name, district, "annual_report", str(year), "\n".join(lines) + "\n", tuple(w.known))


def multi_year_report(district: str, seed: int, r: random.Random) -> SynthReport:
    """A 2016–2020 completion report: cumulative figures since 2016 or 2017, single years, and
    a standing target (period 2020–2025)."""
    w = _Writer(r, seed, district, "2016-2020")
    frames = _pick_frames(r, 0.8, set())
    statements: dict = {}
    for key, fs in frames.items():
        for frame in fs:
            frame = frame.replace("全年", "")
            pick = r.random()
            if "。" in frame:     # a marker would govern only the first sentence
                pick = 1.0
            if pick < 0.35:
                marker, when = r.choice(("2016年以来，", "自2016年以来，", "十三五期间，")), (2016, 2020)
            elif pick < 0.5:
                marker, when = "2017年以来，", (2017, 2020)
            elif pick < 0.7:
                y = r.randint(2016, 2020)
                marker, when = f"{y}年，", (y, y)
            else:
                marker, when = "", (2016, 2020)
            period = str(when[0]) if when[0] == when[1] else f"{when[0]}-{when[1]}"
            statements.setdefault(key, []).append(marker + w.statement(frame, when, period))
    t = r.choice((50, 60, 80))
    statements.setdefault("disputes", []).append(
        f"严格落实行政机关负责人出庭应诉制度，要求年均出庭应诉率不得低于{t}%")
    w.known.append(Known("target", "head_appearance_rate", "2020-2025", float(t), ">=", "年均出庭应诉率不得低于{t}%"))
    title = r.choice(("重庆市{d}人民政府\n关于法治政府建设实施纲要（2015-2020）落实完成情况的报告",
                      "{d}2016—2020年法治政府建设工作总结报告")).format(d=district)
    head = [*title.split("\n"), "", "一、法治政府建设的总体完成情况",
            f"{district}深入贯彻落实习近平总书记关于法治政府建设的重要指示和中央有关决策部署，对标对表《法治政府建设实施纲要"
            f"（2015—2020年）》，制定了《{district}法治政府建设实施方案（2016-2020年）》。2016年以来，已全面完成法治政府建设举措"
            f"{r.randint(100, 200)}项，每年第一季度均按规定报告上一年度法治政府建设情况。", "二、法治政府建设的主要举措和成效"]
    tail = ["三、存在的问题和下一步打算", "。".join(_narrative(r, district, 2020) for _ in range(4)) + "。", "",
            f"{district}人民政府", f"2020年12月{r.randint(5, 28)}日"]
    lines = _paragraphs(r, district, 2020, statements, r.randint(28_000, 36_000), head, tail)
    if r.random() < 0.2:
        lines = _pdf_layout(r, lines)
    name = f"syn_2020_{district}_summary.txt"
    return SynthReport(name, district, "multi_year_report", "2016-2020", "\n".join(lines) + "\n", tuple(w.known))


def plan(district: str, seed: int, r: random.Random) -> SynthReport:
    """A 2021–2025 implementation plan: numbered tasks, a dozen targets with deadlines."""
    w = _Writer(r, seed, district, "2021-2025")
    tasks: list[str] = []
    for spec in r.sample(TARGET_FRAMES, r.randint(9, 14)):
        if any(k.indicator == spec[1] for k in w.known):
            continue
        pick = r.random()
        if spec[1] == "supervision_coverage_rate":
            y = r.choice((2023, 2025))
            tasks.append(f"{y}年年底前" + w.target(spec, str(y)))
        elif pick < 0.25 and "每年" not in spec[0]:
            y = r.choice((2022, 2023))
            tasks.append(f"到{y}年底，" + w.target(spec, str(y)))
        elif pick < 0.35 and spec[3] and "每年" not in spec[0]:
            y = r.choice((2022, 2023, 2024))
            tasks.append(f"{y}年" + w.target(spec, str(y)))
        else:
            tasks.append(w.target(spec, "2021-2025"))
    full = f"{district}法治政府建设实施方案（2021—2025年）"
    title = r.choice((f"中共{district}委 {district}人民政府\n关于印发《{full}》的通知", full))
    lines = [*title.split("\n"), "", "各镇人民政府、街道办事处，区政府各部门，有关单位：",
             f"现将《{full}》印发给你们，请结合实际认真贯彻执行。", "", full, "",
             "为深入推进依法行政，加快建设法治政府，根据《法治政府建设实施纲要（2021—2025年）》，结合我区实际，制定本方案。",
             "一、总体要求", "。".join(_narrative(r, district, 2021) for _ in range(2)) + "。", "二、主要任务"]
    items = [[t] for t in r.sample(PLAN_TASKS, len(PLAN_TASKS))]
    for t in tasks:
        r.choice(items).append(t)
    size, target = sum(len(x.encode()) for x in lines), r.randint(32_000, 40_000)
    n = 0
    body = []
    while size < target or items:
        item = items.pop(0) if items else [r.choice(PLAN_TASKS)]
        item = [s for s in item]
        for _ in range(r.randint(2, 4)):
            item.insert(r.randint(1, len(item)), _narrative(r, district, 2021))
        n += 1
        para = f"{n}." + "。".join(item) + "。（" + r.choice(PLAN_OWNERS) + "）"
        body.append(para)
        size += len(para.encode())
    lines += body + ["三、保障措施", "。".join(_narrative(r, district, 2021) for _ in range(3)) + "。"]
    if r.random() < 0.2:
        lines = _pdf_layout(r, lines)
    name = f"syn_2021_{district}_plan.txt"
    return SynthReport(name, district, "plan", "2021-2025", "\n".join(lines) + "\n", tuple(w.known))


YEARS = range(2014, 2022)   # eight annual reports, a 2016–2020 completion report and a 2021–2025 plan


def district_documents(district: str, d_i: int, seed: int = 7, years: range | None = None) -> list[SynthReport]:
    """The ten documents of one district (deterministic for a seed); with ``years``, only the
    annual reports of those years."""
    out = [annual_report(district, year, seed, random.Random(f"{seed}|{d_i}|{year}")) for year in (years or YEARS)]
    if years is None:
        out.append(multi_year_report(district, seed, random.Random(f"{seed}|{d_i}|summary")))
        out.append(plan(district, seed, random.Random(f"{seed}|{d_i}|plan")))
    return out


def corpus(n_districts: int, seed: int = 7, years: range | None = None):
    """Ten documents per district for ``n_districts`` districts, in order (a generator); with
    ``years``, only the annual reports of those years."""
    for d_i, district in enumerate(district_names(n_districts, seed)):
        yield from district_documents(district, d_i, seed, years)


def _write_district(args) -> tuple[list[SynthReport], int]:
    folder, district, d_i, seed, years = args
    kept, size = [], 0
    docs = district_documents(district, d_i, seed)
    if years is not None:   # more annual reports, then the completion report and the plan
        docs = [annual_report(district, y, seed, random.Random(f"{seed}|{d_i}|{y}")) for y in years] + docs[-2:]
    for rep in docs:
        data = rep.text.encode("utf-8")
        (folder / rep.name).write_bytes(data)
        size += len(data)
        kept.append(SynthReport(rep.name, rep.district, rep.doc_type, rep.period, "", rep.known))
    return kept, size


def annual_years(n_documents: int) -> range:
    """The years of the annual reports of a corpus of ``n_documents`` documents per district (a
    completion report and a plan besides): 10 → 2014–2021 (the default), 20 → 2004–2021."""
    if n_documents < 3:
        raise ValueError(f"每个区县至少 3 份文件，收到 {n_documents} (at least 3 documents per district)")
    return range(YEARS.stop - (n_documents - 2), YEARS.stop)


def write_corpus(folder: Path, n_districts: int, seed: int = 7, workers: int = 1,
                 documents: int = 10) -> tuple[list[SynthReport], int]:
    """Write the corpus's files to ``folder`` (UTF-8), on ``workers`` processes: ``documents``
    per district (annual reports of ``annual_years(documents)``, a 2016–2020 completion report
    and a 2021–2025 plan). Return the reports without their text (to keep memory small) and the
    bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    years = None if documents == 10 else annual_years(documents)
    jobs = [(folder, district, d_i, seed, years) for d_i, district in enumerate(district_names(n_districts, seed))]
    if workers > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = list(pool.imap(_write_district, jobs, chunksize=8))
    else:
        parts = [_write_district(j) for j in jobs]
    return [r for kept, _ in parts for r in kept], sum(size for _, size in parts)


def phrasings_used(reports) -> tuple[int, int]:
    """(catalog phrasings that occur in the frames written, catalog phrasings), counted on the
    frames of the Known rows and the change and target frames."""
    from etl.catalog import load_catalog
    cat = load_catalog()
    texts = {k.frame for rep in reports for k in rep.known}
    blob = "\n".join(texts).replace("（", "(").replace("）", ")")
    used = sum(1 for p in cat.phrases if p in blob)
    return used, len(cat.phrases)


# ---------------------------------------------------------------------------------------------
def _close(a: float, b: float) -> bool:
    return abs(float(a) - b) <= max(0.011, 1e-6 * abs(b))


def score(con, reports) -> dict:
    """Recall and precision of a built warehouse (DuckDB connection) against the known figures
    and targets. Facts match on (doc, indicator, period) and value; targets on (doc, indicator,
    period, comparator) and value (NULL for a relative target). Rank targets are left out (none
    are written). Returns counts, recall/precision per kind, the worst frames (misses) and the
    commonest false figures (rule, indicator, an example quote)."""
    known_a, known_t, changes, frame_of = {}, {}, [], {}
    docs = {}
    for rep in reports:
        docs[rep.name] = rep
        for k in rep.known:
            if k.kind == "actual":
                known_a[(rep.name, k.indicator, k.period)] = k.value
                frame_of[("a", rep.name, k.indicator, k.period)] = k.frame
            elif k.kind == "target":
                known_t[(rep.name, k.indicator, k.period, k.comparator)] = k.value
                frame_of[("t", rep.name, k.indicator, k.period, k.comparator)] = k.frame
            else:
                changes.append((rep.name, k.indicator))
    facts = con.execute("SELECT doc, indicator, period, value, rule, quote FROM facts").fetchall()
    targets = con.execute("SELECT doc, indicator, period, comparator, value, rule, quote FROM targets "
                          "WHERE comparator <> 'rank'").fetchall()
    flags = {(d, i) for d, i in con.execute("SELECT doc, indicator FROM flags WHERE kind <> 'conflict'").fetchall()}
    meta = {d: (di, t, p) for d, di, t, p in con.execute("SELECT doc, district, doc_type, period FROM documents").fetchall()}

    def tally(rows, known, key_of, tag):
        hit, wrong = set(), {}
        for row in rows:
            key, v = key_of(row)
            if key in known and (v is None and known[key] is None or v is not None and known[key] is not None
                                 and _close(v, known[key])):
                hit.add(key)
            else:
                g = (row[-2].split("+")[0], row[1])
                wrong.setdefault(g, [0, row[-1], key in known])
                wrong[g][0] += 1
        missed = {}
        for key in known:
            if key not in hit:
                f = frame_of[(tag, *key)]
                missed[(key[1], f)] = missed.get((key[1], f), 0) + 1
        return len(hit), len(rows), len(known), missed, wrong

    fa = tally(facts, known_a, lambda r: ((r[0], r[1], r[2]), r[3]), "a")
    ta = tally(targets, known_t, lambda r: ((r[0], r[1], r[2], r[3]), r[4]), "t")
    meta_ok = sum(1 for rep in reports if meta.get(rep.name) == (rep.district, rep.doc_type, rep.period))
    fact_keys = {(d, i) for d, i, *_ in facts}
    return {
        "facts": {"hit": fa[0], "extracted": fa[1], "known": fa[2]},
        "targets": {"hit": ta[0], "extracted": ta[1], "known": ta[2]},
        "missed": sorted(((n, ind, f) for (ind, f), n in {**fa[3], **{("T " + k[0], k[1]): v for k, v in ta[3].items()}}.items()),
                         reverse=True),
        "false": sorted(((v[0], rule, ind, v[1], v[2]) for (rule, ind), v in {**fa[4], **{(k[0], "T " + k[1]): v
                                                                                         for k, v in ta[4].items()}}.items()),
                        reverse=True),
        "changes": {"written": len(changes), "flagged": sum(1 for c in changes if c in flags),
                    "became_figures": sum(1 for c in changes if c in fact_keys)},
        "documents": {"right": meta_ok, "total": len(reports)},
    }


def print_score(s: dict, top: int = 12) -> None:
    """Print :func:`score`'s result: recall and precision per kind and overall, then the frames
    missed most and the false figures seen most."""
    f, t = s["facts"], s["targets"]
    hit, ext, kn = f["hit"] + t["hit"], f["extracted"] + t["extracted"], f["known"] + t["known"]
    for label, d in (("figures", f), ("targets", t)):
        print(f"  {label:<8} recall {d['hit'] / max(d['known'], 1):.4f} ({d['hit']}/{d['known']})   "
              f"precision {d['hit'] / max(d['extracted'], 1):.4f} ({d['hit']}/{d['extracted']})")
    print(f"  all      recall {hit / max(kn, 1):.4f}   precision {hit / max(ext, 1):.4f}   (goal: both reported; guard ≥ 0.99)")
    c = s["changes"]
    print(f"  change statements without a level: {c['written']} written, {c['flagged']} flagged, "
          f"{c['became_figures']} became figures (should be 0)")
    print(f"  document district/type/period detected right: {s['documents']['right']}/{s['documents']['total']}")
    if s["missed"]:
        print("  frames missed most (count, indicator, frame):")
        for n, ind, frame in s["missed"][:top]:
            print(f"    {n:6d}  {ind:<34} {frame[:90]}")
    if s["false"]:
        print("  figures not written (or with a wrong value/period) most often (count, rule, indicator, example):")
        for n, rule, ind, quote, known_key in s["false"][:top]:
            print(f"    {n:6d}  {rule:<16} {ind:<34} {'(wrong value/period) ' if known_key else ''}{quote[:70]}")
