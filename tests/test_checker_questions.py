"""The question data: the id naming scheme."""

from __future__ import annotations

import checker
from checker.citation import MEASURES
from checker.questions import question_prefix


def _measures_asking(question: dict) -> set[str]:
    """The measures whose form shows this question, read from its show_if."""
    for condition in question["show_if"]:
        if condition["field"] == "measure":
            return set(condition["in"])
    return set(MEASURES)


def test_question_ids_follow_the_naming_scheme():
    """A question only one measure asks starts with that measure's prefix and `_`; a question
    shared by every measure starts with no measure's prefix."""
    prefixes = {m: question_prefix(m) + "_" for m in MEASURES}
    assert len(set(prefixes.values())) == len(prefixes)
    for q in checker.questions():
        asking = _measures_asking(q)
        starts = {m for m, prefix in prefixes.items() if q["id"].startswith(prefix)}
        if len(asking) == 1:
            assert starts == asking, f"{q['id']}: asked only by {asking}, should start with {prefixes[min(asking)]}"
        else:
            assert asking == set(MEASURES) and not starts, f"{q['id']}: shared, so no measure prefix"
