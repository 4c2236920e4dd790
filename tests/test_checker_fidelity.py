"""The rule data says only what the text says: every number sits in the article it cites, and
every article is either used by a rule or listed as not modelled, with a reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from checker import _data, dated, policy, versions
from checker.citation import MEASURES, Citation, chinese_numeral
from checker.errors import ValidationError
from checker.labels import TEMPLATE_KEYS
from checker.amounts import yuan_text
from checker.policy import rules
from site_builder.text import load_measure, load_version


def text_of(citation: Citation, day: dt.date | None = None) -> str:
    """The cited article or item as printed in the text in force on `day` (default: the text in
    force now), sub-items included, whitespace removed."""
    text = load_measure(citation.measure) if day is None else load_version(versions.in_force(citation.measure, day))
    node = text.find(citation)
    return "".join("".join(node.lines()).split())


def periods(measure: str):
    """The first day of each period of unchanged rule data (values with dates) and text (its
    versions): a revised text whose new figure the data does not date yet fails too."""
    start = versions.text_versions(measure)[0].since or dt.date.min
    texts = [v.since for v in versions.text_versions(measure)[1:]]
    for day in sorted({start, *policy.change_dates(measure), *texts}):
        try:
            policy.rules(measure, day)
        except ValidationError:
            continue  # a value whose first date is later: no evaluation runs on that day
        yield day


def entries(measure: str, day: dt.date | None = None):
    """Every entry of the data that carries a citation, with where it sits (for messages)."""
    r = rules(measure, day)
    yield "disclaimer", r["disclaimer"]
    yield from _cited(r)


def _cited(r: dict):
    """The criteria, programmes, benefits, funding and notes of rule data (compiled or raw)."""
    for cid, c in r["criteria"].items():
        yield f"criteria.{cid}", c
    for key in ("programmes", "benefits", "funding", "notes"):
        for i, entry in enumerate(r[key]):
            yield f"{key}[{i}]", entry


def count_forms(n: int) -> set[str]:
    """How the text writes "any n of": 之一, 两项, 三项."""
    forms = {f"{chinese_numeral(n)}项"}
    if n == 1:
        forms.add("之一")
    if n == 2:
        forms.add("两项")
    return forms


def amount_form(amount: int, kind: str) -> str:
    if kind in ("monthly", "monthly_by_time"):
        return f"{amount}元/月"
    return f"{amount // 10000}万元" if amount % 10000 == 0 else f"{amount}元"


def expected_phrases(entry: dict) -> list[set[str]]:
    """For each number of an entry, the ways the cited text may write it (any one must appear)."""
    out = []
    op = entry.get("op")
    if op == "age_at_most":
        out.append({f"{entry['limit']}周岁"})
    if op == "at_least":
        out.append({f"{entry['min']}{entry['unit']}"})
    if op == "count_at_least":
        out.append(count_forms(entry["n"]))
    if entry.get("principle"):
        out.append({"原则上"})
    for amount in entry.get("amounts", {}).values():
        out.append({amount_form(amount, entry["kind"])})
    if "parts" in entry:
        out.append({f"分{entry['parts']}年"})
    if "years" in entry:
        out.append({f"{entry['years']}年"})
    if "employer_percent" in entry:
        if entry["fund_percent"] == 100:
            out.append({"全额"})
        else:
            out.append({f"{entry['employer_percent']}%"})
            out.append({f"{entry['fund_percent']}%"})
    for key in ("label", "text", "condition", "reason", "name"):
        for digits in re.findall(r"\d+", entry.get(key, "")):
            out.append({digits})
    return out


@pytest.mark.parametrize("measure", MEASURES)
def test_every_citation_points_into_the_text(measure):
    for where, entry in entries(measure):
        text_of(entry["citation"])  # KeyError names the missing anchor


@pytest.mark.parametrize("measure", MEASURES)
def test_every_number_appears_in_the_cited_text(measure):
    """In every period of the rule data, against the text in force then."""
    problems = []
    for day in periods(measure):
        for where, entry in entries(measure, day):
            text = text_of(entry["citation"], day)
            for forms in expected_phrases(entry):
                if not any(form in text for form in forms):
                    problems.append(f"{day} {where}: {sorted(forms)} not in {entry['citation'].label}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("measure", MEASURES)
def test_every_article_is_modelled_or_explained(measure):
    r = rules(measure)
    cited = {entry["citation"].article for _, entry in entries(measure)}
    not_modelled = {n["article"]: n["reason"] for n in r["not_modelled"]}
    assert all(reason.strip() for reason in not_modelled.values())
    assert not cited & set(not_modelled), "an article is both used and listed as not modelled"
    articles = {a.number for a in load_measure(measure).articles}
    assert articles == cited | set(not_modelled), sorted(articles ^ (cited | set(not_modelled)))


def test_the_fidelity_check_catches_a_wrong_number():
    """The check above is not vacuous: a limit the text does not say is reported."""
    entry = dict(rules("education")["criteria"]["age_high_level"], limit=56)
    text = text_of(entry["citation"])
    assert not all(any(f in text for f in forms) for forms in expected_phrases(entry))


@pytest.mark.parametrize("measure", MEASURES)
def test_every_tier_has_its_amounts(measure):
    """A tier named in an amount table of a benefit exists, and the introduction tiers all have 安家补助."""
    r = rules(measure)
    settling = next(b for b in r["benefits"] if b["id"] == "settling")
    intro = next(p for p in r["programmes"] if p["id"] == "introduction")
    assert [t["tier"] for t in intro["tiers"]] == list(settling["amounts"])
    for b in r["benefits"]:
        assert set(b.get("amounts", {})) | set(b.get("tiers", [])) <= set(r["tiers"])


def _related(a: Citation, b: Citation) -> bool:
    """One place contains the other (same article, one item path a prefix of the other)."""
    shorter, longer = sorted((a.path, b.path), key=len)
    return a.article == b.article and longer[:len(shorter)] == shorter


@pytest.mark.parametrize("measure", MEASURES)
def test_every_part_of_a_group_is_cited_where_the_group_is(measure):
    """A part of an all/any group cites the group's article or item (or a place inside it), so a
    condition shared by several articles is one criterion per article (e.g. 硕士 in health art. 5,
    6 and 13 are three criteria)."""
    criteria = rules(measure)["criteria"]
    problems = [f"{cid} ({c['citation'].label}) uses {part} ({criteria[part]['citation'].label})"
                for cid, c in criteria.items() for part in c.get("of", [])
                if not _related(c["citation"], criteria[part]["citation"])]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("measure", MEASURES)
def test_every_tier_criterion_is_cited_in_its_own_tier(measure):
    """A tier's own criteria cite a place of that tier's list: health 拔尖人才 (13.1) and 青年骨干
    (13.2) each cite their own 遵纪守法 item, not the article as a whole."""
    r = rules(measure)
    for tid in ("top", "young"):
        places = {r["criteria"][cid]["citation"] for cid in r["tiers"][tid]["criteria"]}
        assert all(len(p.path) >= 1 for p in places), (tid, sorted(p.label for p in places))
        assert len({p.path[0] for p in places}) == 1, (tid, sorted(p.label for p in places))


def test_the_recorded_rule_data_version_is_current():
    """Every result names the data's date and checksum (rules/version.toml): after a change of
    rules/*.toml or data/*.csv, set `changed` to the day and `checksum` to the one computed here."""
    from checker.policy import version

    v = version()
    assert v["recorded_checksum"] == v["checksum"], f"update checker/rules/version.toml: checksum = \"{v['checksum']}\""


@pytest.mark.parametrize("measure", MEASURES)
def test_every_counted_answer_cites_the_item_it_meets_and_where_it_comes_from(measure):
    """Achievements are one list per programme: each answer a count criterion counts names the item
    of that tier's list it meets and, for a higher item of another list, that item too."""
    for cid, c in rules(measure)["criteria"].items():
        for e in c.get("counts", []) + c.get("equivalent", []):
            text_of(e["item"])
            if e["from"] is not None:
                text_of(e["from"])
                assert e["from"] != e["item"] and e["why"], (cid, e["value"])


def _values(raw_value) -> list:
    """Every value a plain or dated value takes."""
    return [v for _, v in dated.parse(raw_value, "")]


def _parameters(entry: dict, criteria: dict) -> list[tuple[str, object]]:
    """(key, value) of every dated-able value of a raw entry, those of a group's parts included."""
    out = [(key, v) for key in dated.DATED_KEYS if key in entry for v in _values(entry[key])]
    out += [("amounts", v) for raw in entry.get("amounts", {}).values() for v in _values(raw)]
    for part in entry.get("of", []):
        out += _parameters(criteria[part], criteria)
    return out


def typed_figures(template: str, entry: dict, criteria: dict) -> list[str]:
    """The figures a template types that are also values of its entry (or of a group's parts)."""
    typed = re.sub(r"\{[^}]*\}", "", template)
    found = []
    for key, value in _parameters(entry, criteria):
        if isinstance(value, bool) or not isinstance(value, int):
            continue
        forms = {str(value)} | ({yuan_text(value)} if key == "amounts" else set())
        forms |= count_forms(value) - {"之一"} if key == "n" else set()
        found += [f for f in forms if re.search(rf"(?<!\d){re.escape(f)}(?!\d)", typed)]
    return found


def _raw_entries(measure: str):
    return _cited(_data.toml(f"{measure}.toml"))


@pytest.mark.parametrize("measure", MEASURES)
def test_no_label_types_a_value_of_its_entry(measure):
    """A label (condition, text) that states a value of its entry names it as a template field
    ("原则上不超过{limit}周岁"), so a revised value changes the label with it. 之一 is the text's own
    way to say "any one of": a count label using it must count one."""
    criteria = _data.toml(f"{measure}.toml")["criteria"]
    problems = []
    for where, entry in _raw_entries(measure):
        for key in TEMPLATE_KEYS:
            if isinstance(entry.get(key), str):
                problems += [f"{where}.{key}: types {f}" for f in typed_figures(entry[key], entry, criteria)]
                if "之一" in entry[key] and entry.get("op") == "count_at_least" and set(_values(entry["n"])) != {1}:
                    problems.append(f"{where}.{key}: says 之一 but n is not 1")
    assert not problems, "\n".join(problems)


def test_the_typed_figure_check_catches_a_restated_value():
    criteria = _data.toml("health.toml")["criteria"]
    entry = {"label": "原则上不超过55周岁", "limit": [{"value": 55}, {"since": "2027-01-01", "value": 58}]}
    assert typed_figures(entry["label"], entry, criteria) == ["55"]
    assert typed_figures("担任本专科主任1年以上", criteria["c_post"], criteria) == ["1"]
    assert typed_figures("具备所列任意三项条件", {"n": 3}, criteria) == ["三项"]
    assert typed_figures("共50万元", {"amounts": {"a": 500000}}, criteria) == ["50万元"]
    assert typed_figures("原则上不超过{limit}周岁，近5年", {"limit": 55}, criteria) == []
