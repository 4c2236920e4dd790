"""The questions of the form, as data (rules/questions.toml), and the show_if grammar."""

from __future__ import annotations

import copy
from functools import cache, lru_cache

from checker import _data
from checker.measures import DESCRIPTIONS
from checker.errors import RuleDataError

TYPES = ("choice", "multi", "bool", "date", "int", "text")
SUGGESTIONS = ("universities",)  # what a text question may suggest as the person types


@cache
def _questions() -> tuple[dict, ...]:
    out = []
    for q in _data.toml("questions.toml")["question"]:
        q = dict(q)
        if q.get("type") not in TYPES:
            raise RuleDataError(f"rules/questions.toml, {q.get('id')}: unknown type {q.get('type')!r}")
        if "suggest" in q and (q["type"] != "text" or q["suggest"] not in SUGGESTIONS):
            raise RuleDataError(f"rules/questions.toml, {q['id']}: suggest {q['suggest']!r} on a {q['type']} question")
        if q.get("id") == "measure":
            q.update(_measure_question())
        q.setdefault("help", "")
        q.setdefault("show_if", [])
        if q["type"] in ("choice", "multi"):
            q.setdefault("choices", [])
        out.append(q)
    return tuple(out)


def _measure_question() -> dict:
    """The choices (and their help) of the `measure` question: the measures, from their [measure] tables."""
    return {"choices": [{"value": m, "label": d["short_name"]} for m, d in DESCRIPTIONS.items()],
            "help": "，".join(f"{d['short_name']}人才适用于{d['serves']}" for d in DESCRIPTIONS.values()) + "。"}


@cache
def checks() -> tuple[dict, ...]:
    """Pairs of answers checked against each other ([[check]] of questions.toml)."""
    out = tuple(_data.toml("questions.toml").get("check", ()))
    for c in out:
        for key in ("field", "not_above"):
            if c.get(key) not in by_id():
                raise RuleDataError(f"rules/questions.toml, check: unknown question {c.get(key)!r}")
    return out


def questions() -> list[dict]:
    """Every question in form order (a fresh copy: callers may mutate it)."""
    return copy.deepcopy(list(_questions()))


@cache
def by_id() -> dict[str, dict]:
    return {q["id"]: q for q in _questions()}


def shown_ids(profile: dict) -> frozenset[str]:
    """Ids of the questions the form shows for this profile (shared, do not mutate).

    A question shows when ALL its show_if conditions hold ({field, in}: the answer, or for a
    multi any selected value, is listed) and the questions they refer to are shown."""
    key = tuple(_hashable(profile.get(f)) for f in _condition_fields())
    return _shown_for(key)


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


@cache
def _condition_fields() -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for _, conditions in _show_if() for f, _ in conditions))


@lru_cache(maxsize=1024)
def _shown_for(key: tuple) -> frozenset[str]:
    """One pass in form order (show_if only refers to earlier questions, which a test checks);
    depends only on the answers that conditions mention, hence the cache."""
    profile = dict(zip(_condition_fields(), key))
    shown = set()
    for qid, conditions in _show_if():
        for field, allowed in conditions:
            value = profile.get(field)
            if field not in shown or value is None:
                break
            if isinstance(value, tuple):
                if not any(v in allowed for v in value):
                    break
            elif value not in allowed:
                break
        else:
            shown.add(qid)
    return frozenset(shown)


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
