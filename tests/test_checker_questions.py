"""The question data: the id naming scheme, the split by measure and the form order."""

from __future__ import annotations

import copy
import sys

import pytest

import checker
from checker import _data
from checker.citation import MEASURES
from checker.errors import RuleDataError
from tests.helpers import forget_rule_data, replace_rule_files

qs = sys.modules["checker.questions"]  # the module (checker.questions is also the function)

COMPILED = checker.questions()
POSITION = {q["id"]: n for n, q in enumerate(COMPILED)}


def _sections(measure: str | None) -> list[dict]:
    """The sections of the shared file (None) or of a measure's own file, as written."""
    name = qs.measure_file(measure) if measure else qs.SHARED_FILE
    return _data.toml(name).get("section", [])


def _ids(sections) -> list[str]:
    return [q["id"] for s in sections for q in s.get("question", [])]


def test_question_ids_follow_the_naming_scheme():
    """A measure's own questions start with its prefix and `_`; the shared ones with none."""
    prefixes = {m: qs.question_prefix(m) + "_" for m in MEASURES}
    assert len(set(prefixes.values())) == len(prefixes)
    for measure, prefix in prefixes.items():
        own = _ids(_sections(measure))
        assert own and all(i.startswith(prefix) for i in own), [i for i in own if not i.startswith(prefix)]
    shared = _ids(_sections(None))
    assert [i for i in shared if i.startswith(tuple(prefixes.values()))] == []
    assert {"measure", "situation"} <= set(shared)


def test_a_measures_questions_are_shown_only_for_that_measure():
    """The compiled show_if of a measure's question starts with `measure in [<measure>]`, then the
    section's conditions, then the question's own; a shared question has no measure condition."""
    by_id = {q["id"]: q for q in COMPILED}
    for measure in (None, *MEASURES):
        for section in _sections(measure):
            head = ([{"field": "measure", "in": [measure]}] if measure else []) + section.get("show_if", [])
            for q in section.get("question", []):
                assert by_id[q["id"]]["show_if"] == head + q.get("show_if", []), q["id"]
                assert by_id[q["id"]]["group"] == q.get("group", section.get("group")), q["id"]
    shared = set(_ids(_sections(None)))
    assert all(all(c["field"] != "measure" for c in by_id[i]["show_if"]) for i in shared)
    assert len(COMPILED) == len(shared) + sum(len(_ids(_sections(m))) for m in MEASURES)


def test_form_order_follows_the_files():
    """Shared questions keep the shared file's order, each measure's its own file's order; a
    measure's section sits where the shared file names its slot; within a slot the measures
    follow one another in MEASURES order."""
    shared = _ids(_sections(None))
    assert sorted(shared, key=POSITION.get) == shared
    slot_bounds = {}  # slot → (position of the shared question before it, of the one after it)
    before = -1
    for n, section in enumerate(_sections(None)):
        if "slot" in section:
            after = next((POSITION[i] for s in _sections(None)[n + 1:] for i in _ids([s])), len(COMPILED))
            slot_bounds[section["slot"]] = (before, after)
        elif section.get("question"):
            before = POSITION[_ids([section])[-1]]
    last_in_slot = {}
    for measure in MEASURES:
        own = _ids(_sections(measure))
        assert sorted(own, key=POSITION.get) == own, measure
        for section in _sections(measure):
            low, high = slot_bounds[section["slot"]]
            positions = [POSITION[i] for i in _ids([section])]
            assert low < min(positions) and max(positions) < high, (measure, section["slot"])
            assert min(positions) > last_in_slot.get(section["slot"], -1), (measure, section["slot"])
        for section in _sections(measure):
            last_in_slot[section["slot"]] = max(last_in_slot.get(section["slot"], -1),
                                                *(POSITION[i] for i in _ids([section])))


def test_a_section_in_an_unknown_slot_is_a_rule_data_error(monkeypatch):
    """A typo in a measure file's slot names the file, not a traceback deep in the form."""
    measure = next(iter(MEASURES))
    broken = copy.deepcopy(_data.toml(qs.measure_file(measure)))
    broken["section"][0]["slot"] = "nowhere"
    replace_rule_files(monkeypatch, {qs.measure_file(measure): broken})
    try:
        with pytest.raises(RuleDataError, match=rf"rules/{qs.measure_file(measure)}: section slot 'nowhere'"):
            qs.questions()
    finally:
        forget_rule_data()


def test_a_measures_checks_compare_its_own_or_shared_questions():
    """Cross-answer checks live with the measure whose questions they compare."""
    for measure in MEASURES:
        own = set(_ids(_sections(measure)))
        for check in _data.toml(qs.measure_file(measure)).get("check", []):
            assert {check["field"], check["not_above"]} & own, check
    files = [qs.SHARED_FILE, *(qs.measure_file(m) for m in MEASURES)]
    assert len(qs.checks()) == sum(len(_data.toml(name).get("check", [])) for name in files)
