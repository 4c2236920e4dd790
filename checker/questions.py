"""The questions of the form, as data (rules/questions.toml), and the show_if grammar."""

from __future__ import annotations

import copy
from functools import cache

from checker import _data

TYPES = ("choice", "multi", "bool", "date", "int", "text")


@cache
def _questions() -> tuple[dict, ...]:
    out = []
    for q in _data.toml("questions.toml")["question"]:
        q = dict(q)
        q.setdefault("help", "")
        q.setdefault("show_if", [])
        if q["type"] in ("choice", "multi"):
            q.setdefault("choices", [])
        out.append(q)
    return tuple(out)


def questions() -> list[dict]:
    """Every question in form order (a fresh copy: callers may mutate it)."""
    return copy.deepcopy(list(_questions()))


@cache
def by_id() -> dict[str, dict]:
    return {q["id"]: q for q in _questions()}


def condition_holds(condition: dict, profile: dict) -> bool:
    """{"field", "in"}: holds when the answer (or, for a multi, any selected value) is listed."""
    value = profile.get(condition["field"])
    if value is None:
        return False
    if isinstance(value, list):
        return any(v in condition["in"] for v in value)
    return value in condition["in"]


def is_shown(question: dict, profile: dict) -> bool:
    """A question is asked when ALL its show_if conditions hold and the ones they depend on are shown."""
    for cond in question["show_if"]:
        parent = by_id()[cond["field"]]
        if not is_shown(parent, profile) or not condition_holds(cond, profile):
            return False
    return True


def shown_ids(profile: dict) -> set[str]:
    """Ids of the questions the form shows for this profile, in one pass (show_if only refers
    to earlier questions, which a test checks)."""
    shown = set()
    for qid, conditions in _show_if():
        for field, allowed in conditions:
            value = profile.get(field)
            if field not in shown or value is None:
                break
            if isinstance(value, list):
                if not any(v in allowed for v in value):
                    break
            elif value not in allowed:
                break
        else:
            shown.add(qid)
    return shown


@cache
def _show_if() -> tuple:
    return tuple((q["id"], tuple((c["field"], tuple(c["in"])) for c in q["show_if"])) for q in _questions())


@cache
def _ranks(question_id: str) -> dict:
    return {c["value"]: i for i, c in enumerate(by_id()[question_id]["choices"])}


def rank(question_id: str, value: str) -> int:
    """Position of a choice in its question (choices are listed lowest first)."""
    return _ranks(question_id)[value]


def choice_label(question_id: str, value) -> str:
    for c in by_id()[question_id].get("choices", []):
        if c["value"] == value:
            return c["label"]
    return str(value)
