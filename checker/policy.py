"""The rule data of both measures (rules/<measure>.toml), checked and with citations resolved.

`load()` returns, for the guide pages and `python -m checker rules`:

    {"questions": [...],
     "question_use": {question id: ["education/introduction/a", "health/flexible/funding", ...]},
     "measures": {"education": {
         "measure", "name", "disclaimer": {"interpreters", "citation"},
         "criteria": {id: {"id", "label", "op", "citation", op parameters..., "of": [ids] for all/any}},
         "tiers": {id: {"id", "name", "criteria": [ids]}},
         "programmes": [{"id", "name", "citation", "tiers": [{"tier", "also": [criterion ids]}]}],
         "benefits": [{"id", "programme", "name", "kind", "citation", "condition", "obligation"?,
                       "amounts": {tier: 元} (per month for monthly kinds), "parts"/"years"/"tiers"}],
         "funding": [{"programmes", "label", "when": [conditions], "employer_percent",
                      "fund_percent", "principle", "citation"}],
         "notes": [{"id", "scope": "money"|"programme", "programmes", "text", "citation",
                    "procedure" (title, for a note that describes a procedure), "tiers" (who goes
                    through it), "situations" (on which paths, when not all), "obligation" (the
                    short phrase of the result's obligations line)}],
         "not_modelled": [{"article", "reason", "citation"}]}, "health": {...}}}

Every `cite` of the TOML becomes `citation` = Citation.to_dict(). Inside the package the
compiled form (`rules(measure)`) keeps Citation objects.
"""

from __future__ import annotations

import copy
from functools import cache

from checker import _data
from checker.citation import MEASURES, Citation
from checker.questions import by_id, questions

OPS = {"in", "true", "claim", "age_at_most", "at_least", "rank_at_least", "any_in", "count_at_least",
       "university", "medical_school", "review", "all", "any"}
BENEFIT_KINDS = {"instalments", "on_application", "monthly", "monthly_by_time", "one_off", "in_kind"}


def _cite(measure: str, entry: dict) -> dict:
    entry = dict(entry)
    entry["citation"] = Citation.parse(measure, entry.pop("cite"))
    return entry


def _check(measure: str, rules: dict) -> None:
    """Fail loudly on a typo in the data: unknown op, field, choice value or reference."""
    questions_by_id = by_id()
    for cid, c in rules["criteria"].items():
        assert c["op"] in OPS, (measure, cid, c["op"])
        if c["op"] in ("all", "any"):
            assert all(child in rules["criteria"] for child in c["of"]), (measure, cid)
            continue
        if c["op"] == "review":
            continue
        q = questions_by_id[c["field"]]
        allowed = {ch["value"] for ch in q.get("choices", [])}
        for key in ("values", "review_values"):
            assert set(c.get(key, [])) <= allowed, (measure, cid, key)
        if c["op"] == "rank_at_least":
            assert c["min"] in allowed, (measure, cid)
    for tid, t in rules["tiers"].items():
        assert all(x in rules["criteria"] for x in t["criteria"]), (measure, tid)
    programme_ids = {p["id"] for p in rules["programmes"]}
    for p in rules["programmes"]:
        for entry in p["tiers"]:
            assert entry["tier"] in rules["tiers"], (measure, p["id"])
            assert all(x in rules["criteria"] for x in entry["also"]), (measure, p["id"])
    for b in rules["benefits"]:
        assert b["kind"] in BENEFIT_KINDS and b["programme"] in programme_ids, (measure, b["id"])
    for f in rules["funding"]:
        assert set(f["programmes"]) <= programme_ids and f["employer_percent"] + f["fund_percent"] == 100
    tiers_of = {p["id"]: {e["tier"] for e in p["tiers"]} for p in rules["programmes"]}
    for n in rules["notes"]:
        assert set(n["programmes"]) <= programme_ids and n["scope"] in ("money", "programme"), n["id"]
        assert set(n.get("tiers", ())) <= set().union(*(tiers_of[p] for p in n["programmes"])), n["id"]


@cache
def rules(measure: str) -> dict:
    """The compiled rules of one measure (Citation objects; shared, do not mutate)."""
    if measure not in MEASURES:
        raise KeyError(measure)
    raw = _data.toml(f"{measure}.toml")
    compiled = {
        "measure": measure,
        "name": MEASURES[measure],
        "disclaimer": _cite(measure, raw["disclaimer"]),
        "criteria": {cid: {"id": cid, **_cite(measure, c)} for cid, c in raw["criteria"].items()},
        "tiers": {tid: {"id": tid, **t} for tid, t in raw["tiers"].items()},
        "programmes": [_cite(measure, p) for p in raw["programmes"]],
        "benefits": [_cite(measure, b) for b in raw["benefits"]],
        "funding": [_cite(measure, f) for f in raw["funding"]],
        "notes": [_cite(measure, n) for n in raw["notes"]],
        "not_modelled": [{**n, "citation": Citation(measure, n["article"])} for n in raw["not_modelled"]],
    }
    _check(measure, compiled)
    return compiled


def _jsonable(value):
    if isinstance(value, Citation):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _criterion_fields(r: dict, cid: str) -> set[str]:
    c = r["criteria"][cid]
    if c["op"] in ("all", "any"):
        return set().union(*(_criterion_fields(r, child) for child in c["of"]))
    return {c[k] for k in ("field", "hint_field") if k in c}


def question_use() -> dict[str, list[str]]:
    """Which measure/programme/tier (or funding, money) needs each question: "education/introduction/a"."""
    use: dict[str, set] = {}
    for measure in MEASURES:
        r = rules(measure)
        for p in r["programmes"]:
            for entry in p["tiers"]:
                for cid in entry["also"] + r["tiers"][entry["tier"]]["criteria"]:
                    for field in _criterion_fields(r, cid):
                        use.setdefault(field, set()).add(f"{measure}/{p['id']}/{entry['tier']}")
        for f in r["funding"]:
            for cond in f["when"]:
                for pid in f["programmes"]:
                    use.setdefault(cond["field"], set()).add(f"{measure}/{pid}/funding")
        for b in r["benefits"]:
            if b["kind"] == "monthly":
                use.setdefault("start_date", set()).add(f"{measure}/{b['programme']}/schedule")
            if b["kind"] == "monthly_by_time":
                use.setdefault("flexible_months", set()).add(f"{measure}/{b['programme']}/estimate")
    return {q["id"]: sorted(use.get(q["id"], ())) for q in questions()}


@cache
def _load() -> dict:
    return {"questions": questions(), "question_use": question_use(),
            "measures": {m: _jsonable(rules(m)) for m in MEASURES}}


def load() -> dict:
    """All rule data as plain JSON-able structures (a fresh copy)."""
    return copy.deepcopy(_load())
