"""The JSON bridge, the questions as data and the public surface of the package."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import checker
from checker import policy
from checker.api import handle_json
from checker.citation import MEASURES
from checker.questions import TYPES

PROFILE = {"measure": "health", "situation": "in_district", "health_institution_urban_quality": True,
           "health_paired_support": True}


def test_public_surface():
    assert sorted(checker.__all__) == ["Citation", "Result", "ValidationError", "evaluate", "questions"]


def test_bridge_returns_the_result_dict():
    response = json.loads(handle_json(json.dumps({"profile": PROFILE, "as_of": "2026-06-01"})))
    assert response == {"ok": True, "result": checker.evaluate(PROFILE, as_of=dt.date(2026, 6, 1)).to_dict()}


@pytest.mark.parametrize("request_text, fields", [
    ("not json", ["request"]),
    ("[]", ["request"]),
    ('{"as_of": "2026-06-01"}', ["profile"]),
    ('{"profile": {"measure": "health"}, "as_of": "yesterday"}', ["as_of"]),
    ('{"profile": {"measure": "law"}, "extra": 1}', ["extra"]),
    ('{"profile": {"measure": "law", "birth_date": 1990}}', ["measure", "birth_date"]),
    ('{"profile": {"situation": "recruit"}}', ["measure"]),
])
def test_bridge_errors_name_the_field(request_text, fields):
    response = json.loads(handle_json(request_text))
    assert response["ok"] is False
    assert [e["field"] for e in response["errors"]] == fields


@pytest.mark.parametrize("request_text, message", [
    ('{"profile": {"measure": "health"},\n  oops}', "不是有效的 JSON：第 2 行第 3 列有误"),
    ("[" * 100_000 + "]" * 100_000, "不是有效的 JSON：嵌套层数过多"),
    ('{"profile": {"measure": "health", "health_years_director": ' + "9" * 5000 + "}}",
     "不是有效的 JSON：无法解析（例如数字过长）"),
])
def test_bridge_says_why_the_json_is_refused_in_chinese(request_text, message):
    response = json.loads(handle_json(request_text))
    assert response["errors"] == [{"field": "request", "message": message}]


def test_birth_date_after_the_assessment_date_is_an_error():
    with pytest.raises(checker.ValidationError) as info:
        checker.evaluate({"measure": "education", "birth_date": "2030-01-01"}, as_of=dt.date(2026, 6, 1))
    assert info.value.errors[0]["field"] == "birth_date"


def test_every_date_before_1900_is_an_error():
    with pytest.raises(checker.ValidationError) as info:
        checker.evaluate({"measure": "health", "birth_date": "1899-12-31", "start_date": "1800-01-01"},
                         as_of=dt.date(2026, 6, 1))
    assert info.value.errors == [{"field": "birth_date", "message": "日期早于 1900 年"},
                                 {"field": "start_date", "message": "日期早于 1900 年"}]


def test_hidden_answers_are_ignored():
    """A stale answer for a question the form hides (here: honours on the graduate path) changes nothing."""
    base = {"measure": "education", "situation": "graduate", "birth_date": "2001-01-01"}
    stale = dict(base, edu_honours=["national_model_teacher"])
    day = dt.date(2026, 6, 1)
    assert checker.evaluate(base, as_of=day).to_dict() == checker.evaluate(stale, as_of=day).to_dict()


def test_questions_are_well_formed():
    questions = checker.questions()
    ids = [q["id"] for q in questions]
    assert ids[:2] == ["measure", "situation"] and len(ids) == len(set(ids))
    assert [c["value"] for c in questions[0]["choices"]] == list(MEASURES)
    assert [c["value"] for c in questions[1]["choices"]] == ["graduate", "recruit", "in_district", "flexible"]
    seen = set()
    for q in questions:
        assert q["type"] in TYPES and q["label"] and q["group"] and isinstance(q["help"], str)
        assert set(q) <= {"id", "label", "help", "type", "choices", "min", "max", "show_if", "group", "suggest"}
        for cond in q["show_if"]:
            assert set(cond) == {"field", "in"} and cond["field"] in seen, (q["id"], cond)
        if q["type"] in ("choice", "multi"):
            values = [c["value"] for c in q["choices"]]
            assert values and len(values) == len(set(values)) and all(c["label"] for c in q["choices"])
        seen.add(q["id"])


def test_every_question_is_used_by_a_rule_and_every_rule_field_is_a_question():
    used = {"measure", "start_date", "flexible_months"}  # the money part reads these two
    for measure in MEASURES:
        r = policy.rules(measure)
        for c in r["criteria"].values():
            used |= {c[k] for k in ("field", "hint_field") if k in c}
        for f in r["funding"]:
            used |= {cond["field"] for cond in f["when"]}
        for n in r["notes"]:
            used |= {cond["field"] for cond in n.get("when", [])}
    assert used == {q["id"] for q in checker.questions()}
    use = policy.load()["question_use"]
    assert [q for q, places in use.items() if not places] == ["measure"]
    assert "education/introduction/d" in use["edu_university"] and "health/introduction/a" in use["birth_date"]


def _fields(r: dict, cid: str, keys=("field",)) -> set[str]:
    c = r["criteria"][cid]
    if c["op"] in ("all", "any"):
        return set().union(*(_fields(r, child, keys) for child in c["of"]))
    return {c[k] for k in keys if k in c}


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("situation", ["graduate", "recruit", "in_district", "flexible"])
def test_each_path_asks_exactly_what_its_rules_need(measure, situation):
    """Every fact an applicable tier uses is asked on that path (else it could never be met),
    and nothing else is asked, except the birth date on the education graduate path (D/E have
    no age limit; one birth-date question serves every path)."""
    from checker.questions import shown_ids

    r = policy.rules(measure)
    needed, hints = {"measure", "situation"}, set()
    for p in r["programmes"]:
        for entry in p["tiers"]:
            paths = [r["criteria"][c] for c in entry["also"] if r["criteria"][c].get("field") == "situation"]
            if all(situation in c["values"] for c in paths):
                for cid in entry["also"] + r["tiers"][entry["tier"]]["criteria"] + p.get("money_requires", []):
                    needed |= _fields(r, cid)
                    hints |= _fields(r, cid, ("hint_field",))  # optional: a hint, not a condition
                for f in r["funding"]:
                    if p["id"] in f["programmes"]:
                        needed |= {cond["field"] for cond in f["when"]}
                for n in r["notes"]:
                    if p["id"] in n["programmes"]:
                        needed |= {cond["field"] for cond in n.get("when", [])}
                if any(b["kind"] == "monthly" for b in r["benefits"] if b["programme"] == p["id"]):
                    needed.add("start_date")
                if any(b["kind"] == "monthly_by_time" for b in r["benefits"] if b["programme"] == p["id"]):
                    needed.add("flexible_months")
    needed.discard("situation")
    profile = {"measure": measure, "situation": situation,  # the answers below open follow-up questions
               "edu_school_urban_quality": True, "health_institution_urban_quality": True,
               "health_med_degree_level": "doctor", "is_trainee": True, "promotion_tier": "a"}
    shown = shown_ids(profile) - {"situation"}
    exceptions = {"birth_date"} if (measure, situation) == ("education", "graduate") else set()
    assert needed - shown == set(), "needed but never asked"
    assert shown - needed - hints == exceptions, "asked but not used on this path"


def test_the_checker_imports_only_the_standard_library():
    """The same package runs under Pyodide with nothing else to download. The one exception: the
    batch's .xlsx module may import openpyxl (the optional "xlsx" extra), inside functions only."""
    import ast
    import pathlib
    import sys

    optional = {"spreadsheet.py": {"openpyxl"}}
    for path in pathlib.Path(checker.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            for name in names:
                top = name.split(".")[0]
                if top in optional.get(path.name, ()) and node not in tree.body:
                    continue
                assert top == "checker" or top in sys.stdlib_module_names, (path.name, name)


def test_result_shape_is_the_documented_contract():
    """The browser and the guide pages read these keys (checker/README.md); change them only together."""
    profile = {"measure": "health", "situation": "recruit", "birth_date": "1976-01-01", "health_title": "senior",
               "health_degree": "doctor", "health_full_time_degree": "doctor",
               "health_years_affiliated_hospital": 20, "health_years_deputy_director": 5,
               "health_a_declaration": True,
               "health_achievements": ["key_project_leader", "science_award_a", "chief_expert"],
               "service_commitment": True, "start_date": "2026-07-15", "health_institution_urban_quality": True}
    d = checker.evaluate(profile, as_of=dt.date(2026, 6, 1)).to_dict()
    assert set(d) == {"measure", "measure_name", "as_of", "situation", "provenance", "disclaimer", "programmes",
                      "money", "money_if_review", "notes", "summary"}
    assert set(d["provenance"]) == {"measure_name", "text_since", "text_checksum", "rules_changed", "rules_checksum",
                                    "as_of", "text"}
    assert set(d["disclaimer"]) == {"text", "interpreters", "citation"}
    programme = d["programmes"][0]
    assert set(programme) == {"id", "name", "verdict", "verdict_label", "highest_tier", "highest_tier_name",
                              "firm_tier", "firm_tier_name", "possible_tier", "possible_tier_name",
                              "citation", "tiers", "findings", "money_conditions", "benefits", "notes"}
    assert set(programme["tiers"][0]) == {"id", "name", "verdict", "verdict_label", "findings", "missing"}
    assert set(programme["findings"][0]) == {"criterion", "label", "verdict", "verdict_label", "values", "reason",
                                             "citation"}
    assert set(programme["findings"][0]["citation"]) == {"measure", "article", "anchor", "label", "url"}
    assert set(programme["benefits"][0]) == {"id", "name", "kind", "amount", "total", "description", "citation"}
    assert set(programme["notes"][0]) == {"text", "citation"}
    money = d["money"]
    assert set(money) == {"basis", "withheld", "start_date", "items", "totals", "yearly", "monthly", "split"}
    assert set(money["basis"][0]) == {"programme", "tier", "tier_name", "verdict"}
    assert set(money["totals"]) == {"total", "scheduled", "on_application", "by_time_estimate", "by_time_monthly",
                                    "estimate", "employer", "fund"}
    assert set(money["yearly"][0]) == {"year", "from", "to", "amounts", "total"}
    assert set(money["monthly"][0]) == {"index", "month", "amount"}
    assert set(money["split"][0]) == {"programme", "label", "employer_percent", "fund_percent", "employer", "fund",
                                      "verdict", "citation"}
    assert set(d["notes"][0]) == {"id", "text", "citation"}
    assert money["yearly"][0]["from"] == "2026-08" and money["monthly"][-1]["month"] == "2031-07"


@pytest.mark.parametrize("birth, on, age", [
    ("1971-06-01", "2026-06-01", 55),   # the birthday completes the year
    ("1971-06-02", "2026-06-01", 54),
    ("2000-02-29", "2026-02-28", 25),   # a 29 February birthday completes the year on 1 March
    ("2000-02-29", "2026-03-01", 26),
])
def test_age_in_full_years(birth, on, age):
    from checker.engine import age_in_full_years

    assert age_in_full_years(dt.date.fromisoformat(birth), dt.date.fromisoformat(on)) == age


def test_money_shows_the_floor_and_what_a_favourable_review_adds():
    """B under review (同等层次) and C met: the programme says 需评审 like the B it names; the money
    counts C's (firm) and, separately, B's after a favourable review, with the difference."""
    profile = {"measure": "education", "situation": "recruit", "birth_date": "1980-01-01", "service_commitment": True,
               "edu_honours": ["provincial_equivalent_b", "provincial_backbone_teacher"]}
    d = checker.evaluate(profile, as_of=dt.date(2026, 6, 1)).to_dict()
    intro = d["programmes"][0]
    assert (intro["highest_tier"], intro["verdict"]) == ("b", "review")
    assert (intro["firm_tier"], intro["possible_tier"]) == ("c", "b")
    assert d["money"]["basis"] == [
        {"programme": "introduction", "tier": "c", "tier_name": "C类教育人才", "verdict": "met"}]
    review = d["money_if_review"]
    assert review["basis"] == [
        {"programme": "introduction", "tier": "b", "tier_name": "B类教育人才", "verdict": "review"}]
    assert review["adds"] == review["totals"]["total"] - d["money"]["totals"]["total"] > 0


def test_every_unambiguous_alias_names_a_known_institution():
    """Short names, campuses and old names map to a name of the flag table or the MOE lists."""
    from checker.universities import _tables

    rows, aliases, moe, _ = _tables()
    for alias, row in aliases.items():
        assert not row["official_name"] or row["official_name"] in rows or row["official_name"] in moe, alias
        assert alias not in rows and alias not in moe, alias  # an alias never shadows a real name
