"""Glossary and FAQ. The explanations are prose (no figures); where each term is used comes from
searching the parsed text of every measure, and the FAQ answers quote the rule data. A term whose
explanation names each measure's own body (年度考核: who assesses) takes it from that measure's data."""

from __future__ import annotations

import re
from html import escape

from checker.citation import MEASURES
from checker.labels import count_numeral
from site_builder.guide.common import MEASURE_SHORT_NAMES, cite
from site_builder.measures import compare_title, joined, role_note
from site_builder.text import load_measure

PAGE = "guide/glossary.md"

# term → plain explanation. Terms are searched in the text as written; "／" separates variants.
# {assessors}: the bodies that carry out each measure's 年度考核 (`assessors`), joined by 或.
TERMS = {
    "择优调动": ("把已在其他地方工作的优秀人才调入合川区的学校或医疗机构。C类及以上人才随时受理、随时办理，"
                 "按用人单位初审、主管部门考察核实、专家评审、区委人才工作领导小组会议研究确定的程序进行。"),
    "考核招聘": ("通过考核（而不是统一的招聘考试）择优招聘人才的方式。"
                 "D类、E类人才通过到院校举办专场引才活动“现场考核招聘”引进，现场考核、现场体检、现场签约。"),
    "公开招聘": "按事业单位公开招聘的一般规定，面向社会公开报名、考试、择优聘用。",
    "柔性引进": ("人才不调入合川，人事关系保留在原单位，按实际需要到区内学校或医疗机构工作；"
                 "生活资助按实际在合工作时长据实发放。"),
    "一事一议": ("对事业具有重大推动作用、确需突破待遇限额的人才，不按标准待遇，"
                 "而是单独研究、提交区委人才工作领导小组会议审定。自测无法判断，结果为“需评审”。"),
    "同等层次": ("办法列举之外、但与所列荣誉或业绩水平相当的条件。"
                 "是否“同等”由评审认定，自测中选择此项的结果为“需评审”。"),
    "原则上": "一般应遵守、但允许例外的限制。自测中超出“原则上”的年龄上限时结果为“需评审”，而不是“不符合”。",
    "周岁": "从出生日期起算的实足年龄，每过一次生日增加一岁。自测按评估当天计算周岁，恰好达到上限的仍算“不超过”。",
    "双一流": "国家“世界一流大学和一流学科”建设高校。自测使用院校名单判断，分校区、独立学院不等同于本部。",
    "城区优质学校": ("区内城区的优质学校（办法未列出具体名单，请向用人单位或区教委确认）。"
                     "它影响非义务教育阶段学校引进人才的出资比例，也是定向帮扶的选派来源。"),
    "镇街薄弱学校": "区内镇街的薄弱学校，是定向帮扶和青年骨干挂职锻炼的去向。",
    "城区优质医疗机构": ("区内城区的优质医疗机构（办法未列出具体名单，请向用人单位或区卫生计生委确认）。"
                         "它影响引进人才待遇的出资比例，也是定向帮扶的选派来源。"),
    "镇街薄弱医疗机构": "区内镇街的薄弱医疗机构，是定向帮扶的去向。",
    "应届毕业生": "当年毕业的高校毕业生。D类、E类教育人才须为优秀应届毕业生；“优秀”由现场考核招聘认定。",
    "全日制": "脱产在校学习取得的学历（区别于在职、非全日制学历）。",
    "区人才专项资金": "区里设立的人才工作专项资金，按办法规定的比例与用人单位分担各项待遇。",
    "年度考核": ("{assessors}每年对新引进人才和培养对象的工作业绩和业务能力进行的考核；"
                 "考核不合格的不再享受待遇。"),
    "安家补助": ("给引进人才用于安家的补助，为税前金额，分年平均发放，"
                 "完成年度工作目标任务且年度考核合格以上才兑现当年部分。"),
    "拔尖人才": "区内学校或医疗机构中实绩突出、处于领先地位的人才，经择优选拔进行重点培养。",
    "青年骨干": "区内具有成长潜力的年轻教师或卫生人员，经择优选拔进行重点培养。",
    "定向帮扶": "从城区优质学校或医疗机构择优选派人员到镇街薄弱学校或医疗机构工作一段时间。",
}


# The article that the annual-assessment note cites: "区教委负责每年对新引进人才……进行考核".
_ASSESSOR = re.compile(r"(?P<body>[^，。；]+?)负责每年对")


def assessors(data: dict) -> list[str]:
    """Who carries out the 年度考核 of each measure that has one (its `annual_assessment` note), as
    the article that note cites names it."""
    out = []
    for measure, rules in data["measures"].items():
        note = role_note(rules, "annual_assessment")
        if note is None:
            continue
        article = next(a for a in load_measure(measure).articles
                       if a.citation.article == note["citation"]["article"])
        match = _ASSESSOR.search(article.text)
        if match is None:
            raise ValueError(f"{note['citation']['label']} (the annual_assessment note of rules/{measure}.toml) "
                             "does not say who 负责每年 assesses")
        out.append(match["body"])
    return out


def _uses(term: str) -> list[str]:
    """Links to every article of either measure whose text contains the term."""
    links = []
    for measure in MEASURES:
        for article in load_measure(measure).articles:
            text = "".join(article.lines())
            if term in text:
                citation = article.citation.to_dict()
                links.append(cite(citation, PAGE))
    return links


def _slug(index: int) -> str:
    return f"term-{index}"


def glossary_page(data: dict) -> str:
    out = ["# 术语与常见问题", "", "## 术语 {: #terms }", "",
           f"每个术语后列出{count_numeral(len(MEASURES))}个办法中使用它的条款。", ""]
    words = {"assessors": joined(dict.fromkeys(assessors(data)), "或")}
    for index, (term, meaning) in enumerate(TERMS.items(), start=1):
        meaning = meaning.format(**words)
        uses = _uses(term)
        where = "见：" + "、".join(uses) if uses else "办法原文未直接使用此词。"
        out += [f"### {term} {{: #{_slug(index)} }}", "", escape(meaning), "", where, ""]
    out += ["## 常见问题 {: #faq }", ""]
    for measure, rules in data["measures"].items():
        short = MEASURE_SHORT_NAMES[measure]
        d = rules["disclaimer"]
        out += [f"### 自测结果是正式认定吗？（{short}） {{: #faq-{measure}-official }}", "",
                f"不是。自测只是根据您填写的情况对照办法条文作出的参考，是否符合、属于哪一类，"
                f"以评审和主管部门的认定为准。"
                f"本办法由{escape(d['interpreters'])}负责解释（{cite(d['citation'], PAGE)}）。", ""]
        commitment = role_note(rules, "service_commitment")
        if commitment:
            out += [f"### 不签服务承诺也能享受待遇吗？（{short}） {{: #faq-{measure}-commitment }}", "",
                    f"{escape(commitment['text'])} {cite(commitment['citation'], PAGE)}", ""]
        settling = next((b for b in rules["benefits"] if b["id"] == "settling"), None)
        if settling:
            out += [f"### {settling['name']}怎么发？（{short}） {{: #faq-{measure}-settling }}", "",
                    f"分{settling['parts']}年平均发放，{escape(settling['condition'])}。"
                    f"{cite(settling['citation'], PAGE)}", ""]
    out += ["### 超过年龄上限就一定不符合吗？ {: #faq-age }", "",
            "办法中的年龄上限多为“原则上不超过”，超出时自测结果为“需评审”而不是“不符合”，由评审认定。"
            f"各类人才的年龄上限见[{compare_title()}](compare.md#age)。", ""]
    return "\n".join(out)
