"""The guide pages as generated Markdown (no browser): every figure comes from the rule data,
procedures come from the text, the QR code follows site_url, open data matches the data."""

from __future__ import annotations

import copy
import csv
import json
import re

import pytest

import checker.policy
from checker.citation import MEASURES, Citation
from site_builder.guide import guide_markdown
from site_builder import siteconfig
from site_builder.guide.campus import campus_page, graduate_url, qr_svg, site_url
from site_builder.guide.common import per_month, yuan
from site_builder.guide.measure_pages import page_path, procedure_steps
from site_builder.home import home_markdown
from site_builder.opendata import json_schema, rules_document, tables, write_open_data
from site_builder.text import load_measure

MONEY_PAGES = lambda m: {page_path(m, "benefits"), "guide/compare.md"}  # noqa: E731


def _sentinel_data():
    """A copy of the rule data with every amount, age limit and share replaced by a distinctive
    value no page could contain by chance; returns (data, [(measure, what, text, pages)])."""
    data = copy.deepcopy(checker.policy.load())
    expected = []
    serial = 0
    for measure, rules in data["measures"].items():
        for b in rules["benefits"]:
            for tier in list(b.get("amounts", {})):
                serial += 1
                if b["kind"] in ("monthly", "monthly_by_time"):
                    b["amounts"][tier] = 7000 + serial
                    shown = per_month(7000 + serial)
                else:
                    b["amounts"][tier] = 3_000_000 + serial * 10_001
                    shown = yuan(3_000_000 + serial * 10_001)
                pages = MONEY_PAGES(measure)
                if b["programme"] == "introduction" and tier in ("d", "e"):
                    pages = pages | {"guide/campus.md"}
                expected.append((measure, f"{b['id']}.{tier}", shown, pages))
        for cid, c in rules["criteria"].items():
            if c["op"] == "age_at_most":
                serial += 1
                c["limit"] = 60 + serial
                expected.append((measure, cid, f"不超过{60 + serial}周岁", {"guide/compare.md"}))
        for f in rules["funding"]:
            serial += 1
            f["employer_percent"], f["fund_percent"] = serial, 100 - serial
            expected.append((measure, f["label"], f"{serial}%", MONEY_PAGES(measure)))
    return data, expected


def test_every_amount_limit_and_share_on_the_pages_comes_from_the_data():
    data, expected = _sentinel_data()
    pages = guide_markdown(data)
    for measure, what, shown, where in expected:
        missing = [page for page in where if shown not in pages[page]]
        assert not missing, f"{measure} {what}: {shown} not shown on {missing}"


def test_a_changed_amount_changes_every_page_that_showed_it():
    """Rebuild with one amount changed: each page showing the old figure in the row of that tier
    now shows the new one, and no page keeps the old total of that tier."""
    original = guide_markdown()
    data = copy.deepcopy(checker.policy.load())
    settling = next(b for b in data["measures"]["health"]["benefits"] if b["id"] == "settling")
    old = settling["amounts"]["d"]
    settling["amounts"]["d"] = old + 123_4500
    changed = guide_markdown(data)
    differing = {page for page in original if original[page] != changed[page]}
    assert {"guide/health-benefits.md", "guide/compare.md", "guide/campus.md"} <= differing
    assert yuan(old + 123_4500) in changed["guide/health-benefits.md"]
    row = next(line for line in changed["guide/health-benefits.md"].splitlines() if line.startswith("| D类卫生人才"))
    assert yuan(old) not in row


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def _visible(markdown: str) -> str:
    """Page text without what is not a figure: citation links (labels like 第五条（一）1.（3）),
    link targets, anchors, HTML attributes, code (identifiers, the data version) and inline SVG
    (the diagrams repeat the listed steps)."""
    text = re.sub(r"<svg.*?</svg>", "", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"<code>.*?</code>", "", text)
    text = re.sub(r"\[[^\]]*\]\([^)]*\)\{: \.hc-cite \}", "", text)
    text = re.sub(r'<a class="hc-cite"[^>]*>.*?</a>', "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\{:[^}]*\}", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    return text


def _data_numbers(data: dict) -> set[str]:
    """Every number of the rule data (values and digits inside its texts) and what the pages
    derive from them: 万元 forms, term totals, per-tier sums."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            found.add(str(value))
            if value >= 10000:
                found.update(_numbers(yuan(value)))
        elif isinstance(value, str):
            found.update(_numbers(value))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    for rules in data["measures"].values():
        # Income paid to the person (instalments, monthly) a year and over its schedule.
        income: dict[tuple[str, str], list[int]] = {}
        for b in rules["benefits"]:
            for tier, amount in b.get("amounts", {}).items():
                if b["kind"] == "instalments":
                    paid, years = amount, b["parts"]
                elif b["kind"] == "monthly":
                    paid, years = amount * b["years"] * 12, b["years"]
                else:
                    continue
                total, span = income.get((b["programme"], tier), [0, 0])
                income[(b["programme"], tier)] = [total + paid, max(span, years)]
        for total, years in income.values():
            walk(total)
            walk(round(total / years))
            found.update(_numbers(yuan(round(total / years))))
        totals: dict[tuple[str, str], int] = {}
        for b in rules["benefits"]:
            for tier, amount in b.get("amounts", {}).items():
                total = amount * b["years"] * 12 if b["kind"] == "monthly" else amount
                if b["kind"] != "monthly_by_time":
                    totals[(b["programme"], tier)] = totals.get((b["programme"], tier), 0) + total
                walk(total)
                if b["kind"] == "monthly":
                    walk(b["years"] * 12)
        for total in totals.values():
            walk(total)
    return found


def _quoted_numbers() -> set[str]:
    """Numbers of the policy text itself (the procedures pages quote the articles verbatim)."""
    return set().union(*(_numbers(load_measure(m).plain_text()) for m in MEASURES))


def _generated_pages(data: dict | None = None) -> dict[str, str]:
    """The guide pages and the home page, from `data` (default: the rule data)."""
    return {**guide_markdown(data), "index.md": home_markdown(data, settings={})}


@pytest.mark.parametrize("page", [p for p in _generated_pages() if p != "guide/examples.md"])
def test_no_page_types_a_figure(page):
    """Every number a generated page shows is a number of the data (or quoted from the text)."""
    allowed = _data_numbers(checker.policy.load())
    if page.endswith("-procedures.md"):
        allowed |= _quoted_numbers()
    stray = _numbers(_visible(_generated_pages()[page])) - allowed
    assert not stray, f"{page} shows numbers not in the rule data: {sorted(stray)}"


def test_scan_catches_a_typed_figure():
    """The scan above is not vacuous: a figure typed into a page is reported."""
    allowed = _data_numbers(checker.policy.load())
    page = guide_markdown()["guide/health-benefits.md"] + "\n安家补助最高可达 987654 元。"
    assert _numbers(_visible(page)) - allowed == {"987654"}


def test_worked_examples_show_what_the_checker_answers():
    import datetime as dt

    import checker
    from site_builder.guide.examples import worked_examples

    page = guide_markdown()["guide/examples.md"]
    for example in worked_examples():
        stem, case = example["stem"], example["case"]
        result = checker.evaluate(case["profile"], as_of=dt.date.fromisoformat(case["as_of"])).to_dict()
        if result["money"]:
            assert yuan(result["money"]["totals"]["total"]) in page, stem
        for programme in result["programmes"]:
            if programme["highest_tier_name"]:
                assert programme["highest_tier_name"] in page, stem


@pytest.mark.parametrize("measure", list(MEASURES))
def test_procedure_steps_are_the_items_of_the_text(measure):
    page = guide_markdown()[page_path(measure, "procedures")]
    rules = checker.policy.load()["measures"][measure]
    for note_id in ("transfer_procedure", "training_selection"):
        note = next(n for n in rules["notes"] if n["id"] == note_id)
        article = load_measure(measure).find(Citation(measure, note["citation"]["article"]))
        assert [text for text, _, _ in procedure_steps(note["citation"])] == [i.text for i in article.items]
        for item in article.items:
            assert item.text.replace("“", "&ldquo;") in page or item.text in page
    assert page.count('<svg class="hc-diagram"') == 3
    assert page.count('aria-hidden="true"') >= 3 and page.count('<ol class="hc-steps">') == 3


def test_poster_qr_code_is_drawn_from_the_page_address_and_fixed_only_for_a_real_site_url(caplog):
    """No build-time code for a placeholder host (the build warns, the page says what to set);
    a real site_url gets a build-time code of its graduate path as the no-script fallback."""
    data = checker.policy.load()
    with caplog.at_level("WARNING", logger="site_builder"):
        placeholder = campus_page(data, base_url="")
    assert "data-hc-qr=\"selfcheck/?path=graduate\"" in placeholder
    assert "<svg" not in placeholder.split("hc-qr-slot", 1)[1].split("</div>", 1)[0]
    assert "填写本站的正式网址" in placeholder and ".example" not in placeholder
    assert any("site_url" in r.getMessage() for r in caplog.records)

    real = campus_page(data, base_url="https://talent.hc.gov.cn/")
    assert qr_svg("https://talent.hc.gov.cn/selfcheck/?path=graduate") in real
    assert graduate_url("https://talent.hc.gov.cn/") == "https://talent.hc.gov.cn/selfcheck/?path=graduate"


@pytest.mark.parametrize("url, placeholder", [
    ("https://rencai.hechuan.example/", True), ("https://example.org/talent/", True),
    ("http://localhost:8000/", True), ("", True), (None, True), ("ftp://talent.hc.gov.cn/", True),
    ("https://talent.hc.gov.cn/", False), ("https://www.hc.gov.cn/rencai/", False),
])
def test_placeholder_hosts_are_recognised(url, placeholder):
    assert siteconfig.is_placeholder(url) is placeholder


def test_site_url_is_read_from_mkdocs_yml(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: 'https://a.hc.gov.cn/b'\n", encoding="utf-8")
    assert site_url(config) == "https://a.hc.gov.cn/b/"
    other = tmp_path / "other.yml"
    other.write_text("site_name: x\nsite_url: https://rencai.hechuan.example/\n", encoding="utf-8")
    assert site_url(other) is None
    bare = tmp_path / "bare.yml"
    bare.write_text("site_name: x\n", encoding="utf-8")
    assert site_url(bare) is None


def test_campus_event_fields_are_shown_only_when_set():
    data = checker.policy.load()
    assert 'class="hc-event"' not in campus_page(data, base_url="", settings={"campus": {"date": "", "venue": " "}})
    page = campus_page(data, base_url="", settings={"campus": {"date": "某月某日", "venue": "某大学体育馆"}})
    assert "<strong>时间</strong>：某月某日" in page and "<strong>地点</strong>：某大学体育馆" in page
    assert "联系方式" not in page


def test_home_page_money_comes_from_the_data():
    """The home page's per-year and 5-year figures follow the data: rebuilt from sentinel data it
    shows the sentinel's per-year income and total for each tier, and no figure of the real data."""
    data, _ = _sentinel_data()
    page = home_markdown(data, settings={})
    for measure, rules in data["measures"].items():
        settling = next(b for b in rules["benefits"] if b["id"] == "settling")
        living = next(b for b in rules["benefits"] if b["id"] == "living")
        for tier, amount in settling["amounts"].items():
            total = amount + living["amounts"].get(tier, 0) * living["years"] * 12
            row = next(line for line in page.splitlines() if line.startswith(f"| {rules['tiers'][tier]['name']} "))
            assert f"**{yuan(round(total / settling['parts']))}**" in row and yuan(total) in row
    real = home_markdown(checker.policy.load(), settings={})
    assert yuan(100000) in real and yuan(100000) not in page  # e.g. health D's 科研资助


def test_home_page_entries_open_the_selfcheck_with_a_preset():
    from site_builder.selfcheck import PRESETS

    page = home_markdown(settings={})
    for preset, title in (("teacher", "我是教师"), ("doctor", "我是医生"), ("graduate", "我是应届毕业生")):
        assert f"[**{title}**" in page and f"(selfcheck.md?path={preset})" in page
        assert preset in PRESETS
    assert PRESETS["teacher"] == {"measure": "education"} and PRESETS["doctor"] == {"measure": "health"}


def test_home_page_names_the_measures_bodies_and_trial_status():
    page = home_markdown(settings={})
    for measure in MEASURES:
        name = checker.policy.load()["measures"][measure]["name"]
        assert f"**《{name}》**" in page and "试行办法" in page
    assert "由区委人才办统筹、区教委具体负责" in page and "由区委人才办统筹、区卫生计生委具体负责" in page
    assert "自发布之日起实施" in page


def test_home_page_contacts_show_only_what_is_configured():
    """Departments the measures name are listed; an address or phone only when configured."""
    bare = home_markdown(settings={"contacts": {"区教委": {"address": "", "phone": ""}}})
    contact = bare.split("## 咨询", 1)[1].split("!!!", 1)[0]
    for department in ("区委人才办", "区教委", "区卫生计生委"):
        assert f"**{department}**" in contact
    assert "电话" not in contact and "地址" not in contact
    assert not re.search(r"\d", contact)  # no number is invented
    configured = home_markdown(settings={"contacts": {"区教委": {"phone": "023-00000000", "address": ""}}})
    line = next(l for l in configured.splitlines() if l.startswith("- **区教委**"))
    assert line.endswith("电话：023-00000000") and "地址" not in line


def test_open_data_files_match_the_rule_data(tmp_path):
    import jsonschema

    write_open_data(tmp_path)
    data = checker.policy.load()
    document = json.loads((tmp_path / "data" / "rules.json").read_text(encoding="utf-8"))
    schema = json.loads((tmp_path / "data" / "rules.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema)
    assert document == json.loads(json.dumps(rules_document(data), ensure_ascii=False))
    with open(tmp_path / "data" / "benefits.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    expected = {(m, b["id"], t): a for m, r in data["measures"].items() for b in r["benefits"]
                for t, a in b.get("amounts", {}).items()}
    assert {(r["measure"], r["benefit"], r["tier"]): int(r["amount_yuan"]) for r in rows} == expected
    for name in tables(data):
        assert (tmp_path / "data" / name).is_file()
    assert (tmp_path / "data" / "universities.csv").read_bytes().startswith("name,".encode())


def test_schema_rejects_a_broken_document():
    import jsonschema

    document = json.loads(json.dumps(rules_document(checker.policy.load()), ensure_ascii=False))
    document["measures"]["health"]["benefits"][0]["amounts"]["a"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json_schema())


def test_literate_view_shows_the_rules_of_each_implemented_article():
    from site_builder.guide.literate import article_rules

    block = article_rules("education", 8)
    assert "<details" in block and "安家补助" in block and "settling" not in block and yuan(500000) in block
    assert article_rules("education", 1).count("未建模") == 1
    full_text = next(p for p in __import__("site_builder.pages", fromlist=["x"]).measure_text_pages()
                     if p.src_uri == "health.md").markdown
    assert full_text.count('class="hc-literate') == len(load_measure("health").articles)


def test_grouped_conditions_are_nested_under_their_group():
    """health A's education condition is all-of two parts: they are a sub-list of it."""
    import markdown

    html = markdown.markdown(guide_markdown()["guide/health-tiers.md"], extensions=["md_in_html", "attr_list"])
    group = html.index("全日制普通高校研究生学历并取得硕士以上学位（以下各项均须满足）")
    part = html.index("全日制普通高校学历", group)
    assert html[group:part].count("<ul>") == 1 and "</li>" not in html[group:part]


def test_glossary_explains_the_measures_terms_and_links_where_they_are_used():
    from site_builder.guide.glossary import TERMS

    required = ["择优调动", "考核招聘", "公开招聘", "柔性引进", "一事一议", "同等层次", "原则上", "周岁",
                "双一流", "城区优质学校", "镇街薄弱学校"]
    assert set(required) <= set(TERMS)
    page = guide_markdown()["guide/glossary.md"]
    for term in TERMS:
        section = page.split(f"### {term} ", 1)[1].split("\n### ", 1)[0]
        in_text = [m for m in MEASURES if any(term in "".join(a.lines()) for a in load_measure(m).articles)]
        for measure in in_text:
            assert f"](../{measure}.md#article-" in section, (term, measure)


def test_glossary_names_the_assessing_body_of_each_measure_from_its_data():
    """年度考核 names the body that the article of each measure's annual_assessment note names, so a
    measure without that note drops out and a third one would add its own."""
    from site_builder.guide.glossary import glossary_page

    def assessment(data) -> str:
        return glossary_page(data).split("### 年度考核 ", 1)[1].split("\n\n")[1]

    data = copy.deepcopy(checker.policy.load())
    assert assessment(data).startswith("区教委或区卫生计生委每年对新引进人才")
    del data["measures"]["health"]["description"]["notes"]["annual_assessment"]
    assert assessment(data).startswith("区教委每年对新引进人才")
    note = next(n for n in data["measures"]["education"]["notes"] if n["id"] == "annual_assessment")
    note["citation"] = {**note["citation"], "article": 3, "label": "教育办法第三条"}
    with pytest.raises(ValueError, match="教育办法第三条 .*annual_assessment note of rules/education.toml"):
        glossary_page(data)


def test_literate_view_names_answers_as_the_form_does_not_by_rule_id():
    """The folded block under an article shows the form's labels (e.g. 硕士研究生), not ids."""
    from checker.policy import load
    from site_builder.guide.literate import article_rules

    data = load()
    labels = {(q["id"], c["value"]): c["label"] for q in data["questions"] for c in q.get("choices", ())}
    checked = 0
    for measure, rules in data["measures"].items():
        for criterion in rules["criteria"].values():
            values = criterion.get("values", []) if criterion["op"] == "any_in" else (
                [criterion["min"]] if criterion["op"] == "rank_at_least" else [])
            block = article_rules(measure, criterion["citation"]["article"])
            for value in values:
                assert labels[(criterion["field"], value)] in block
                assert f"“{value}”" not in block and f"：{value}" not in block and f"、{value}" not in block
                checked += 1
    assert checked > 10


def test_who_goes_through_which_procedure_comes_from_the_rule_data():
    """The tiers page links each tier to its procedure (edu art.6: C类及以上; art.7: D类、E类) and the
    campus poster covers the tiers recruited on campus, both as the rule data says."""
    original = guide_markdown()
    assert original["guide/education-tiers.md"].count("#transfer-procedure") == 3  # A, B, C
    assert "（D类、E类）" in original["guide/campus.md"]

    data = copy.deepcopy(checker.policy.load())
    rules = data["measures"]["education"]
    next(n for n in rules["notes"] if n["id"] == "transfer_procedure")["tiers"] = ["a", "b"]
    for measure in data["measures"].values():
        next(n for n in measure["notes"] if n["id"] == "campus_recruitment")["tiers"] = ["e"]
    changed = guide_markdown(data)
    assert changed["guide/education-tiers.md"].count("#transfer-procedure") == 2
    assert "（E类）" in changed["guide/campus.md"] and "D类教育人才" not in changed["guide/campus.md"]


@pytest.mark.parametrize("measure", list(MEASURES))
def test_no_line_of_a_procedure_diagram_starts_with_a_comma(measure):
    """Chinese line breaking in the diagrams: no line starts with "，" or "、" (or another closing
    mark), and the lines still hold every character of the step."""
    import html

    from site_builder.guide.diagram import NO_LINE_START

    page = guide_markdown()[page_path(measure, "procedures")]
    lines = [html.unescape(t) for t in re.findall(r"<text [^>]*>([^<]*)</text>", page)]
    assert len(lines) > 10
    assert [line for line in lines if line[:1] in NO_LINE_START] == []


def test_wrap_pulls_a_closing_mark_back_and_pushes_an_opening_mark_down():
    from site_builder.guide.diagram import wrap

    text = "甲" * 18 + "，乙、丙" + "丁" * 30
    assert wrap(text, 18)[0] == "甲" * 18 + "，" and "".join(wrap(text, 18)) == text
    assert wrap("甲" * 17 + "（乙）", 18) == ["甲" * 17, "（乙）"]
    assert all(not line.startswith(("，", "、")) for line in wrap("、".join(["甲乙丙"] * 20), 18))
