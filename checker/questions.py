"""The questions of the form, as data, and the show_if grammar.

The data is split by measure: rules/questions.toml holds the questions every measure asks,
rules/<measure>.questions.toml each measure's own. Questions come in sections; a section states
once what its questions share (show_if, group). The shared file's sections give the form order;
a section of the shared file that names only a `slot` is where the measures' sections with that
slot go, measure by measure (in MEASURES order), each file's sections in file order. A measure's
questions implicitly start their show_if with `measure in [<measure>]`. questions() returns the
flat compiled list, each question with its full show_if, so the form and the browser glue never
see sections.
"""

from __future__ import annotations

import copy
from functools import cache, lru_cache

from checker import _data
from checker.citation import MEASURES
from checker.measures import DESCRIPTIONS
from checker.errors import RuleDataError

TYPES = ("choice", "multi", "bool", "date", "int", "text")
SUGGESTIONS = ("universities",)  # what a text question may suggest as the person types
SHARED_FILE = "questions.toml"
SECTION_KEYS = {"slot", "show_if", "group", "question"}
# A compiled question's keys, in the order its JSON has always had (CLI `questions`, the page).
QUESTION_KEYS = ("id", "label", "help", "type", "suggest", "min", "max", "group", "show_if", "choices")


def measure_file(measure: str) -> str:
    """The file of a measure's own questions (in rules/)."""
    return f"{measure}.questions.toml"


@cache
def _files() -> dict[str | None, dict]:
    """The raw data: None → the shared file, measure → its own file ({} when it has none)."""
    out = {None: _data.toml(SHARED_FILE)}
    for measure in MEASURES:
        try:
            out[measure] = _data.toml(measure_file(measure))
        except FileNotFoundError:
            out[measure] = {}
    return out


def _where(measure: str | None) -> str:
    return f"rules/{measure_file(measure) if measure else SHARED_FILE}"


@cache
def _questions() -> tuple[dict, ...]:
    files = _files()
    slots = [s["slot"] for s in files[None].get("section", ()) if "slot" in s]
    placed: dict[str, list] = {slot: [] for slot in slots}
    for measure in MEASURES:
        for section in files[measure].get("section", ()):
            if section.get("slot") not in placed:
                raise RuleDataError(f"{_where(measure)}: section slot {section.get('slot')!r} not in {slots}")
            placed[section["slot"]].append((measure, section))
    out = []
    for section in files[None].get("section", ()):
        if "slot" in section:
            if set(section) != {"slot"}:
                raise RuleDataError(f"{_where(None)}: slot {section['slot']!r} has more than its name")
            for measure, placed_section in placed[section["slot"]]:
                out.extend(_section(placed_section, measure))
        else:
            out.extend(_section(section, None))
    ids = [q["id"] for q in out]
    if len(ids) != len(set(ids)):
        raise RuleDataError(f"rules: question ids used twice: {sorted({i for i in ids if ids.count(i) > 1})}")
    return tuple(out)


def _section(section: dict, measure: str | None) -> list[dict]:
    """The compiled questions of a section: its show_if (after the measure's) and group given
    to each of its questions."""
    where = _where(measure)
    if set(section) - SECTION_KEYS or not section.get("question"):
        unknown = sorted(set(section) - SECTION_KEYS)
        raise RuleDataError(f"{where}: a section with no question or unknown keys {unknown}")
    shared_show_if = ([{"field": "measure", "in": [measure]}] if measure else []) + section.get("show_if", [])
    out = []
    for raw in section["question"]:
        q = {"help": "", **raw, "show_if": shared_show_if + raw.get("show_if", [])}
        if "group" in section:
            q.setdefault("group", section["group"])
        if q.get("type") not in TYPES:
            raise RuleDataError(f"{where}, {q.get('id')}: unknown type {q.get('type')!r}")
        if "suggest" in q and (q["type"] != "text" or q["suggest"] not in SUGGESTIONS):
            raise RuleDataError(f"{where}, {q['id']}: suggest {q['suggest']!r} on a {q['type']} question")
        if q["id"] == "measure" and measure is None:
            q.update(_measure_question())
        if q["type"] in ("choice", "multi"):
            q.setdefault("choices", [])
        if set(q) - set(QUESTION_KEYS):
            raise RuleDataError(f"{where}, {q['id']}: unknown keys {sorted(set(q) - set(QUESTION_KEYS))}")
        out.append({key: q[key] for key in QUESTION_KEYS if key in q})
    return out


def _measure_question() -> dict:
    """The choices (and their help) of the `measure` question: the measures, from their [measure]
    tables."""
    return {"choices": [{"value": m, "label": d["short_name"]} for m, d in DESCRIPTIONS.items()],
            "help": "，".join(f"{d['short_name']}人才适用于{d['serves']}" for d in DESCRIPTIONS.values()) + "。"}


@cache
def checks() -> tuple[dict, ...]:
    """Pairs of answers checked against each other ([[check]] of the question files; a measure's
    checks compare its own or shared questions)."""
    out = []
    for measure, data in _files().items():
        for c in data.get("check", ()):
            for key in ("field", "not_above"):
                q = by_id().get(c.get(key))
                if q is None or (measure and not _asked_only_by(q) <= {measure}):
                    raise RuleDataError(f"{_where(measure)}, check: {c.get(key)!r} is neither this file's nor shared")
            out.append(c)
    return tuple(out)


def _asked_only_by(question: dict) -> set[str]:
    """The measures a question is limited to by its show_if (empty when every measure asks it)."""
    return next((set(c["in"]) for c in question["show_if"] if c["field"] == "measure"), set())


def question_prefix(measure: str) -> str:
    """What the ids of a measure's own questions start with (`edu` for edu_honours); questions
    shared by every measure start with no measure's prefix."""
    return DESCRIPTIONS[measure]["question_prefix"]  # the [measure] table of rules/<measure>.toml


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
