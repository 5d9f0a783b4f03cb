"""Synthetic annual reports in the style of the real ones, with known figures.

SYNTHETIC: written only to temporary folders by the benchmarks; never shipped, never shown in
the app. Each report is a dozen real-looking paragraphs; its figures come from a seeded RNG and
are returned alongside, so the benchmark can measure recall at scale.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

FILLER = (
    "深入学习贯彻习近平法治思想，全面落实党政主要负责人履行推进法治建设第一责任人职责，"
    "把法治政府建设纳入全区经济社会发展总体规划和年度工作计划，统筹推进各项任务落实。",
    "健全依法决策机制，严格落实公众参与、专家论证、风险评估、合法性审查和集体讨论决定等法定程序，"
    "坚持重大行政决策事项年度目录公开制度，不断提升行政决策公信力和执行力。",
    "深化行政执法体制改革，全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度，"
    "持续开展行政执法案卷评查，促进严格规范公正文明执法。",
    "加强普法宣传教育，落实“谁执法谁普法”普法责任制，组织开展宪法宣传周、民法典宣传月等主题活动，"
    "推动全社会尊法学法守法用法。",
)

# (indicator, template, value generator, decimals). {v} is the figure; {y} the year.
TEMPLATES = (
    ("reconsideration_cases", "{y}年，全区受理行政复议案件{v}件，依法办结并公开行政复议决定书。", lambda r: r.randint(20, 400), 0),
    ("litigation_cases", "全年收到以区政府为被告的行政诉讼案件{v}件，依法积极应诉。", lambda r: r.randint(5, 300), 0),
    ("litigation_loss_rate", "全区行政诉讼败诉率为{v}%，低于全市平均水平。", lambda r: round(r.uniform(0, 12), 2), 2),
    ("head_appearance_rate", "区级行政机关负责人出庭应诉率达到{v}%。", lambda r: round(r.uniform(20, 100), 2), 2),
    ("approval_time_compression_rate", "全区行政审批时限压缩率{v}%，", lambda r: round(r.uniform(50, 95), 1), 1),
    ("immediate_handling_rate", "即办事项率{v}%，", lambda r: round(r.uniform(20, 70), 1), 1),
    ("average_visits", "平均跑动次数{v}次，", lambda r: round(r.uniform(0.05, 0.6), 2), 2),
    ("online_service_rate", "全程网办比例{v}%。", lambda r: round(r.uniform(50, 99), 2), 2),
    ("people_mediation_cases", "{y}年度全区各级调解组织共调解民间纠纷{v}件，", lambda r: r.randint(800, 12000), 0),
    ("people_mediation_success_rate", "调解成功率达{v}%。", lambda r: round(r.uniform(90, 100), 2), 2),
    ("admin_mediation_cases", "全区受理行政调解{v}件，", lambda r: r.randint(500, 20000), 0),
    ("admin_mediation_success_rate", "成功率为{v}%。", lambda r: round(r.uniform(70, 95), 2), 2),
    ("disclosure_requests", "共受理群众向区政府提起的依申请公开{v}件，", lambda r: r.randint(20, 700), 0),
    ("disclosure_request_response_rate", "答复率{v}%。", lambda r: 100, 0),
    ("law_awareness_rate", "全区法治宣传教育普及率达{v}%。", lambda r: round(r.uniform(85, 99), 2), 2),
    ("legal_aid_cases", "全年办理法律援助案件{v}件。", lambda r: r.randint(200, 3000), 0),
)


@dataclass(frozen=True)
class SynthReport:
    name: str
    district: str
    year: int
    text: str
    figures: tuple  # (indicator, period, value)


def district_names(n: int) -> list[str]:
    syllables = "安宝昌承德丰光和华嘉江金康乐林龙明南宁平庆仁荣瑞山泰通万文新兴阳永云正中"
    out = []
    k = len(syllables)
    for i in range(n):
        a, b, c = i // (k * k), (i // k) % k, i % k
        out.append(f"合成{syllables[a] if a else ''}{syllables[b]}{syllables[c]}{'区' if i % 3 else '县'}")
    return out


def report(district: str, year: int, seed: int) -> SynthReport:
    r = random.Random(seed)
    title = (f"{district}{year}年法治政府建设年度报告" if r.random() < 0.5
             else f"重庆市{district}人民政府关于{year}年度法治政府建设情况的报告")
    parts, figures = [title, "", f"{year}年，{district}坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。"], []
    paragraph = []
    for i, (ind, tpl, gen, dec) in enumerate(TEMPLATES):
        v = gen(r)
        paragraph.append(tpl.format(v=f"{v:.{dec}f}" if dec else v, y=year))
        figures.append((ind, str(year), float(v)))
        if tpl.endswith("。") or i == len(TEMPLATES) - 1:
            parts.append("".join(paragraph) + ("" if paragraph[-1].endswith("。") else "。"))
            parts.append(r.choice(FILLER))
            paragraph = []
    parts.extend(r.sample(FILLER, len(FILLER)))
    name = f"synthetic_{abs(hash(district)) % 10**8:08d}_{year}.txt"
    return SynthReport(name, district, year, "\n".join(parts) + "\n", tuple(figures))


def corpus(n_districts: int, years: range = range(2012, 2022), seed: int = 7):
    for d_i, district in enumerate(district_names(n_districts)):
        for year in years:
            yield report(district, year, seed * 1_000_003 + d_i * 101 + year)
