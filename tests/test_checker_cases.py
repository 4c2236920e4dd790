"""Run every readable case in tests/cases/*.toml (format: tests/cases/README.md)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import checker
from checker.citation import MEASURES, Citation
from checker.engine import combine_all
from site_builder.text import load_measure
from tests.helpers import CASES, load_case

NONE = "none"  # TOML has no null


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path):
    case = load_case(path)
    expect = case["expect"]
    as_of = dt.date.fromisoformat(case["as_of"])
    if "errors" in expect:
        with pytest.raises(checker.ValidationError) as info:
            checker.evaluate(case["profile"], as_of=as_of)
        assert sorted({e["field"].split("[")[0] for e in info.value.errors}) == sorted(expect["errors"])
        return
    result = checker.evaluate(case["profile"], as_of=as_of).to_dict()
    programmes = {p["id"]: p for p in result["programmes"]}
    tiers = {f"{p['id']}.{t['id']}": t for p in result["programmes"] for t in p["tiers"]}
    for pid, verdict in expect.get("verdicts", {}).items():
        assert programmes[pid]["verdict"] == verdict, pid
    for key in ("highest_tier", "firm_tier", "possible_tier"):
        for pid, tier in expect.get(key, {}).items():
            assert programmes[pid][key] == (None if tier == NONE else tier), (key, pid)
    for key, verdict in expect.get("tier_verdicts", {}).items():
        assert tiers[key]["verdict"] == verdict, key
    for key, verdict in expect.get("criteria", {}).items():
        tier_key, criterion = key.rsplit(".", 1)
        findings = {f["criterion"]: f for f in tiers[tier_key]["findings"]}
        assert findings[criterion]["verdict"] == verdict, key
    for key, text in expect.get("values_contain", {}).items():
        tier_key, criterion = key.rsplit(".", 1)
        findings = {f["criterion"]: f for f in tiers[tier_key]["findings"]}
        finding = findings[criterion]
        assert text in finding["label"] + finding["values"] + finding["reason"], key
    for pid, ids in expect.get("benefits", {}).items():
        assert sorted(b["id"] for b in programmes[pid]["benefits"]) == sorted(ids), pid
    for pid, verdict in expect.get("money_conditions", {}).items():
        assert combine_all(f["verdict"] for f in programmes[pid]["money_conditions"]) == verdict, pid
    for key, missing in expect.get("missing", {}).items():
        assert sorted(f["criterion"] for f in tiers[key]["missing"]) == sorted(missing), key
    for pid, note_ids in expect.get("programme_notes", {}).items():
        texts = [n["text"] for n in programmes[pid]["notes"]]
        rules = checker.policy.rules(result["measure"])
        for note_id in note_ids:
            note = next(n for n in rules["notes"] if n["id"] == note_id)
            assert note["text"] in texts, note_id
    if "notes" in expect:
        assert set(expect["notes"]) <= {n["id"] for n in result["notes"]}
    assert not set(expect.get("notes_absent", [])) & {n["id"] for n in result["notes"]}
    for text in expect.get("notes_contain", []):
        assert any(text in n["text"] for n in result["notes"]), text
    if "money" in expect:
        check_money(result["money"], expect["money"])
    if "money_if_review" in expect:
        check_money(result["money_if_review"], expect["money_if_review"])
    provenance = result["provenance"]
    assert provenance["measure_name"].endswith("（试行）") and provenance["as_of"] == case["as_of"]
    assert provenance["rules_checksum"] in provenance["text"] and case["as_of"] in provenance["text"]


def check_money(money, expect):
    if expect == NONE:
        assert money is None
        return
    assert money is not None
    totals = money["totals"]
    for key in ("total", "scheduled", "on_application", "employer", "fund", "by_time_estimate", "by_time_monthly",
                "estimate"):
        if key in expect:
            assert totals[key] == (None if expect[key] == NONE else expect[key]), key
    if "adds" in expect:
        assert money["adds"] == expect["adds"]
    if "tiers" in expect:
        assert [f"{b['programme']}.{b['tier']}" for b in money["basis"]] == expect["tiers"]
    if "withheld" in expect:
        assert [w["total"] for w in money["withheld"]] == expect["withheld"]
    if "yearly_totals" in expect:
        assert [y["total"] for y in money["yearly"]] == expect["yearly_totals"]
    if "months" in expect:
        assert len(money["monthly"]) == expect["months"]
    if "first_month" in expect:
        first = money["monthly"][0]["month"] if money["monthly"] else None
        assert first == (None if expect["first_month"] == NONE else expect["first_month"])


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_is_well_formed(path):
    """Every case names itself as a sentence, cites real places and uses known expectation keys."""
    case = load_case(path)
    assert {"name", "cite", "as_of", "profile", "expect"} <= set(case) <= {"name", "cite", "as_of", "profile", "expect",
                                                                          "example"}
    if "example" in case:  # a worked example of the guide: who the person is, in Chinese
        assert case["example"].strip() and not re.search(r"[A-Za-z]", case["example"])
        assert "errors" not in case["expect"], "an example must have a result to show"
    assert len(case["name"]) > 20
    cites = case["cite"] if isinstance(case["cite"], list) else [case["cite"]]
    for ref in cites:
        measure, _, place = ref.partition(" ")
        load_measure(measure).find(Citation.parse(measure, place))  # raises on an unknown measure or place
    assert set(case["expect"]) <= {"verdicts", "highest_tier", "firm_tier", "possible_tier", "tier_verdicts",
                                   "criteria", "values_contain", "benefits", "missing", "money_conditions",
                                   "programme_notes", "notes", "notes_absent", "notes_contain", "money",
                                   "money_if_review", "errors"}


def test_every_tier_of_every_programme_is_reached_by_a_case():
    covered = set()
    for path in CASES:
        case = load_case(path)
        for programme, tier in case["expect"].get("highest_tier", {}).items():
            covered.add((case["profile"].get("measure"), programme, tier))
    for measure in MEASURES:
        for p in checker.policy.rules(measure)["programmes"]:
            for entry in p["tiers"]:
                assert (measure, p["id"], entry["tier"]) in covered, (measure, p["id"], entry["tier"])
