"""Open data: the rule data, questions and benefit tables as JSON (+ JSON Schema) and CSV, and
the university reference tables, written into the built site under data/ by a post-build step;
`opendata_page()` documents the files, their fields and the version.

Everything is derived from `checker.policy.load()` and `checker/data/`, the same data the
checker evaluates with.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html import escape
from pathlib import Path

import checker.policy
from checker.benefit_kinds import KINDS
from checker.citation import MEASURE_SHORT_NAMES, MEASURES
from checker.money import MONTHS_PER_YEAR, Benefit
from checker.operators import criterion_schema

DATA_DIR = "data"
CHECKER_DATA = Path(checker.policy.__file__).resolve().parent / "data"
UNIVERSITY_FILES = ("universities.csv", "university_aliases.csv")

# file name → (title, fields: name → meaning). The page documents exactly these.
CSV_FILES = {
    "benefits.csv": ("各类人才的待遇标准（每行一个类别的一项待遇）", {
        "measure": "办法：" + " / ".join(f"{m} {short}" for m, short in MEASURE_SHORT_NAMES.items()),
        "programme": "项目：introduction 引进、flexible 柔性引进、training 培养、paired_support 定向帮扶",
        "benefit": "待遇标识", "benefit_name": "待遇名称", "tier": "人才类别标识（a–e、top、young、paired）",
        "tier_name": "人才类别名称",
        "kind": "发放方式（" + "、".join(f"{k} {spec.label}" for k, spec in KINDS.items() if spec.has_amount) + "）",
        "amount_yuan": "金额（元）；按月发放的为每月金额", "term_total_yuan": "整个期限合计（元）；按实际时长的为空",
        "citation": "依据条款", "url": "条款在本站的地址（相对站点根目录）",
    }),
    "criteria.csv": ("各项条件（每行一个条件）", {
        "measure": "办法", "criterion": "条件标识", "label": "条件（办法原文的概括）",
        "op": "判断方式", "field": "对应的自测问题标识", "limit": "年龄上限（周岁）", "min": "最低值或最低等级",
        "n": "须具备的项数", "principle": "是否为“原则上”的限制（true：超出需评审）",
        "citation": "依据条款", "url": "条款地址",
    }),
    "funding.csv": ("待遇资金的分担（每行一种单位类型）", {
        "measure": "办法", "programmes": "适用项目（以空格分隔）", "label": "说明",
        "employer_percent": "用人单位承担比例（%）", "fund_percent": "区人才专项资金承担比例（%）",
        "principle": "是否为“原则上”的比例", "citation": "依据条款", "url": "条款地址",
    }),
    "questions.csv": ("自测问题（每行一个问题）", {
        "id": "问题标识（即 JSON 中回答的键）", "label": "问题", "type": "类型：choice、multi、bool、date、int、text",
        "group": "分组", "choices": "可选答案（value=label，以 | 分隔）", "show_if": "显示条件（JSON）",
    }),
}
JSON_FILE = "rules.json"
SCHEMA_FILE = "rules.schema.json"


def _csv(rows: list[dict], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in row.items()})
    return out.getvalue()


def tables(data: dict) -> dict[str, list[dict]]:
    """The CSV tables as rows."""
    benefits, criteria, funding = [], [], []
    for measure, rules in data["measures"].items():
        for b in rules["benefits"]:
            for tier, amount in b.get("amounts", {}).items():
                total = Benefit(b, tier, amount).total
                benefits.append({"measure": measure, "programme": b["programme"], "benefit": b["id"],
                                 "benefit_name": b["name"], "tier": tier, "tier_name": rules["tiers"][tier]["name"],
                                 "kind": b["kind"], "amount_yuan": amount,
                                 "term_total_yuan": "" if total is None else total,
                                 "citation": b["citation"]["label"], "url": b["citation"]["url"]})
        for cid, c in rules["criteria"].items():
            criteria.append({"measure": measure, "criterion": cid, "label": c["label"], "op": c["op"],
                             "field": c.get("field", ""), "limit": c.get("limit", ""), "min": c.get("min", ""),
                             "n": c.get("n", ""), "principle": bool(c.get("principle")),
                             "citation": c["citation"]["label"], "url": c["citation"]["url"]})
        for f in rules["funding"]:
            funding.append({"measure": measure, "programmes": " ".join(f["programmes"]), "label": f["label"],
                            "employer_percent": f["employer_percent"], "fund_percent": f["fund_percent"],
                            "principle": bool(f.get("principle")), "citation": f["citation"]["label"],
                            "url": f["citation"]["url"]})
    questions = [{"id": q["id"], "label": q["label"], "type": q["type"], "group": q["group"],
                  "choices": "|".join(f"{c['value']}={c['label']}" for c in q.get("choices", [])),
                  "show_if": json.dumps(q.get("show_if", []), ensure_ascii=False)} for q in data["questions"]]
    return {"benefits.csv": benefits, "criteria.csv": criteria, "funding.csv": funding, "questions.csv": questions}


_CITATION = {"type": "object", "required": ["measure", "article", "anchor", "label", "url"],
             "properties": {"measure": {"enum": list(MEASURES)}, "article": {"type": "integer", "minimum": 1},
                            "anchor": {"type": "string", "pattern": "^article-\\d+(-[0-9a-z]+)*$"},
                            "label": {"type": "string"}, "url": {"type": "string"}}}


# The dated values of an entry (checker/dated.py): {"limit" | "amounts.c": [{"since", "value"}]}.
_HISTORY = {"type": "object", "additionalProperties": {"type": "array", "minItems": 1, "items": {
    "type": "object", "required": ["since", "value"],
    "properties": {"since": {"type": ["string", "null"], "format": "date"}, "value": {}}}}}
# The versions of a measure's text (checker/versions.py), oldest first; the last is in force.
_TEXT_VERSIONS = {"type": "array", "minItems": 1, "items": {
    "type": "object", "required": ["since", "until", "current", "file", "checksum", "title", "since_text"],
    "properties": {"since": {"type": ["string", "null"]}, "until": {"type": ["string", "null"]},
                   "current": {"type": "boolean"}, "file": {"type": "string"},
                   "checksum": {"type": "string", "pattern": "^[0-9a-f]{8}$"}, "title": {"type": "string"},
                   "since_text": {"type": "string"}}}}


def json_schema() -> dict:
    cited = {"type": "object", "required": ["citation"],
             "properties": {"citation": {"$ref": "#/$defs/citation"}, "history": _HISTORY}}
    measure = {
        "type": "object",
        "required": ["measure", "name", "disclaimer", "criteria", "tiers", "programmes", "benefits", "funding",
                     "notes", "not_modelled", "text_versions"],
        "properties": {
            "measure": {"enum": list(MEASURES)}, "name": {"type": "string"}, "text_versions": _TEXT_VERSIONS,
            "disclaimer": cited,
            "criteria": {"type": "object", "additionalProperties": {
                "allOf": [cited, criterion_schema({"$ref": "#/$defs/citation"})]}},  # one per operator
            "tiers": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["name", "criteria"],
                "properties": {"name": {"type": "string"},
                               "criteria": {"type": "array", "items": {"type": "string"}}}}},
            "programmes": {"type": "array", "items": {"allOf": [cited], "required": ["id", "name", "tiers"]}},
            "benefits": {"type": "array", "items": {
                "allOf": [cited], "required": ["id", "programme", "name", "kind"],
                "properties": {"kind": {"enum": sorted(KINDS)},
                               "amounts": {"type": "object",
                                           "additionalProperties": {"type": "integer", "minimum": 0}}}}},
            "funding": {"type": "array", "items": {
                "allOf": [cited], "required": ["programmes", "label", "employer_percent", "fund_percent"],
                "properties": {"employer_percent": {"type": "integer", "minimum": 0, "maximum": 100},
                               "fund_percent": {"type": "integer", "minimum": 0, "maximum": 100}}}},
            "notes": {"type": "array", "items": {"allOf": [cited], "required": ["id", "scope", "text"]}},
            "not_modelled": {"type": "array", "items": {"allOf": [cited], "required": ["article", "reason"]}},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_FILE, "title": f"合川区{'、'.join(MEASURE_SHORT_NAMES.values())}人才引进培养办法：规则数据",
        "type": "object", "required": ["version", "months_per_year", "questions", "measures"],
        "properties": {
            "version": {"type": "string"}, "months_per_year": {"const": MONTHS_PER_YEAR},
            "questions": {"type": "array", "items": {"type": "object", "required": ["id", "label", "type", "group"]}},
            "measures": {"type": "object", "required": list(MEASURES),
                         "additionalProperties": {"$ref": "#/$defs/measure"}},
        },
        "$defs": {"citation": _CITATION, "measure": measure},
    }


def rules_document(data: dict) -> dict:
    return {"version": checker.policy.version()["checksum"], "months_per_year": MONTHS_PER_YEAR, **data}


def write_open_data(site_dir: Path) -> None:
    """Post-build step: data/ with rules.json, rules.schema.json, the CSV tables and universities."""
    data = checker.policy.load()
    target = site_dir / DATA_DIR
    target.mkdir(parents=True, exist_ok=True)
    dump = lambda obj: json.dumps(obj, ensure_ascii=False, indent=1) + "\n"  # noqa: E731
    (target / JSON_FILE).write_text(dump(rules_document(data)), encoding="utf-8")
    (target / SCHEMA_FILE).write_text(dump(json_schema()), encoding="utf-8")
    for name, rows in tables(data).items():
        # utf-8-sig: spreadsheet programs then read the Chinese text correctly.
        (target / name).write_text(_csv(rows, list(CSV_FILES[name][1])), encoding="utf-8-sig")
    for name in UNIVERSITY_FILES:
        shutil.copyfile(CHECKER_DATA / name, target / name)


def opendata_page(data: dict) -> str:
    link = lambda name: f'<a href="../../{DATA_DIR}/{name}" download><code>{name}</code></a>'  # noqa: E731
    # The data's own values (education, instalments, a–e …) are code, not words of the page.
    values = lambda text: re.sub(r"\b(?!JSON\b)[a-z][A-Za-z0-9_]*\b", r"<code>\g<0></code>", escape(text))  # noqa: E731
    out = ["# 开放数据", "",
           "本站使用的全部规则数据都可以下载。它们与自测程序使用的数据完全相同，"
           "每一项都注明依据条款（`citation`：条款名称和本站地址）。", "",
           f"数据版本：`{checker.policy.version()['checksum']}`（规则文件和院校名单内容的校验码，与自测结果中规则数据的校验码相同，"
           "数据一有变动即改变）。", "",
           "## JSON {: #json }", "",
           f"<p>{link(JSON_FILE)}：全部规则（问题、条件、人才类别、项目、待遇、出资、说明），"
           f"结构由 {link(SCHEMA_FILE)}（JSON Schema <code>2020-12</code>）描述。</p>", "",
           "顶层字段：`version` 数据版本；`months_per_year` 每年月数（按月待遇的期限合计用）；"
           "`questions` 自测问题；`measures` 按办法（`education`、`health`）分列：`criteria` 条件、`tiers` 人才类别、"
           "`programmes` 项目、`benefits` 待遇（`amounts` 按类别的金额，元；按月发放的为每月金额）、"
           "`funding` 出资比例、`notes` 说明、`not_modelled` 自测不使用的条款及原因。", "",
           "## CSV {: #csv }", "", "CSV 文件为 UTF-8 编码（带 BOM，便于电子表格软件打开），第一行为字段名。", ""]
    for name, (title, fields) in CSV_FILES.items():
        heading = title.split("（", 1)[0]  # the file's name is on the download link below
        out += [f'### {heading} {{: #{name.replace(".", "-")} }}', "", f"<p>{link(name)}：{values(title)}</p>", "",
                '<div class="hc-table" markdown>', "", "| 字段 | 含义 |", "|---|---|"]
        out += [f"| `{field}` | {values(meaning)} |" for field, meaning in fields.items()]
        out += ["", "</div>", ""]
    out += ["## 院校名单 {: #universities }", "",
            f"<p>{link(UNIVERSITY_FILES[0])}：院校名单（字段 <code>name</code> 全称、<code>province</code> 省份、"
            "<code>is_985</code>、<code>is_211</code>、<code>is_double_first_class</code> 双一流、"
            "<code>is_moe_normal</code> 教育部直属师范大学、<code>is_medical</code> 医学类院校，仅供参考）；"
            f"{link(UNIVERSITY_FILES[1])}：别名（分校区、曾用名、校内学院）对应的院校全称。</p>", "",
            "来源：教育部全国高等学校名单的公开镜像及多个公开整理的院校数据集，几个来源不一致时按多数确定。"
            "“是否医学类院校”一栏不完整，自测只把它作为提示，并请本人确认。", ""]
    return "\n".join(out)
