"""The rule data of both measures (rules/<measure>.toml), checked and with citations resolved.

`load()` returns, for the guide pages and `python -m checker rules`:

    {"questions": [...],
     "question_use": {question id: ["education/introduction/a", "health/flexible/funding", ...]},
     "measures": {"education": {
         "measure", "name", "disclaimer": {"interpreters", "citation"},
         "description": the rest of the [measure] table (checker/measures.py: short_name, order,
                        question_prefix, person, work, serves, preset, nav, notes = role → note id,
                        programmes = role → programme id),
         "criteria": {id: {"id", "label", "op", "citation", op parameters..., "of": [ids] for all/any,
                           "since"/"until" for a criterion that applies only for a time}},
         "tiers": {id: {"id", "name", "criteria": [ids]}},
         "programmes": [{"id", "name", "citation", "tiers": [{"tier", "also": [criterion ids]}],
                         "money_requires": [criterion ids] (conditions of the money, not the tiers),
                         "benefits_of": {"programme", "benefits"} (pays another programme's benefits at
                         each tier entry's "pays_as" tier: 提升奖励)}],
         "benefits": [{"id", "programme", "name", "kind", "citation", "condition", "obligation"?,
                       "amounts": {tier: 元} (per month for monthly kinds), "parts"/"years"/"tiers"}],
         "funding": [{"programmes", "label", "when": [conditions], "employer_percent",
                      "fund_percent", "principle", "citation"}],
         "notes": [{"id", "scope": "money"|"programme"|"withheld"|"retirement", "programmes", "text", "citation",
                    "retirement_age" (retirement notes), "when" (tier notes: [{field, in}]),
                    "procedure" (title, for a note that describes a procedure), "tiers" (who goes
                    through it), "situations" (on which paths, when not all), "obligation" (the
                    short phrase of the result's obligations line)}],
         "not_modelled": [{"article", "reason", "citation"}]}, "health": {...}}}

Every `cite` of the TOML becomes `citation` = Citation.to_dict(). Inside the package the
compiled form (`rules(measure, as_of)`) keeps Citation objects.

Values with dates (checker/dated.py): `rules(measure, as_of)` holds the values in force on
`as_of`, and label templates (checker/labels.py) are filled from them; it is compiled once per
period between two change dates. `load(as_of)` shows the values in force on `as_of` (default
today); an entry with dated values also carries `history` ({"limit": [{"since", "value"}]}), and
each measure its `text_versions` (checker/versions.py). A criterion with `since`/`until`
(`spans`) is left out of the rules of a period it does not apply in, tiers' lists included.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
from functools import cache

from checker import _data, dated, labels, versions
from checker.benefit_kinds import KINDS
from checker.citation import MEASURES, Citation
from checker.measures import DESCRIPTIONS
from checker.errors import RuleDataError, ValidationError
from checker.operators import OPERATORS
from checker.questions import by_id, questions

# money: shown where the programme grants money; programme: shown in the programme; withheld:
# shown where the programme's money is withheld (its money_requires not met); retirement: shown
# when the schedule of the money runs past the note's retirement_age; tier: shown when the
# programme grants one of the note's `tiers` and every condition of `when` ({field, in}) holds.
NOTE_SCOPES = {"money", "programme", "withheld", "retirement", "tier"}


def _cite(measure: str, entry: dict) -> dict:
    entry = dict(entry)
    entry["citation"] = Citation.parse(measure, entry.pop("cite"))
    return entry


def _criterion(measure: str, cid: str, c: dict) -> dict:
    """A criterion with its citations resolved, those of its parameters too (its operator's
    compile); an unknown op is left for _check to name."""
    out = {"id": cid, **_cite(measure, c)}
    return OPERATORS[out["op"]].compile(measure, out) if out["op"] in OPERATORS else out


def _require(ok: bool, measure: str, where: str, what: str) -> None:
    if not ok:
        raise RuleDataError(f"rules/{measure}.toml, {where}: {what}")


def _check(measure: str, rules: dict) -> None:
    """Fail loudly on a typo in the data: unknown op, field, choice value or reference."""
    questions_by_id = by_id()
    criteria = rules["criteria"]
    for cid, c in criteria.items():
        where = f"criteria.{cid}"
        _require(c["op"] in OPERATORS, measure, where, f"unknown op {c['op']!r}")
        OPERATORS[c["op"]].check(c, criteria, lambda ok, what: _require(ok, measure, where, what))
    for tid, t in rules["tiers"].items():
        for x in t["criteria"]:
            _require(x in criteria, measure, f"tiers.{tid}", f"unknown criterion {x!r}")
    programme_ids = {p["id"] for p in rules["programmes"]}
    for p in rules["programmes"]:
        for entry in p["tiers"]:
            _require(entry["tier"] in rules["tiers"], measure, f"programme {p['id']}",
                     f"unknown tier {entry['tier']!r}")
            for x in entry["also"]:
                _require(x in criteria, measure, f"programme {p['id']}", f"unknown criterion {x!r}")
        for x in p.get("money_requires", []):
            _require(x in criteria, measure, f"programme {p['id']}.money_requires", f"unknown criterion {x!r}")
        if "benefits_of" in p:
            source = p["benefits_of"]
            known = {b["id"]: b for b in rules["benefits"] if b["programme"] == source["programme"]}
            for bid in source["benefits"]:
                _require(bid in known, measure, f"programme {p['id']}.benefits_of", f"unknown benefit {bid!r}")
                for entry in p["tiers"]:
                    if "pays_as" in entry:
                        _require(entry["pays_as"] in known[bid].get("amounts", {}), measure,
                                 f"programme {p['id']}", f"{bid} has no amount for {entry['pays_as']!r}")
    for b in rules["benefits"]:
        _require(b["kind"] in KINDS, measure, f"benefit {b['id']}", f"unknown kind {b['kind']!r}")
        for key in KINDS[b["kind"]].needs:
            _require(key in b, measure, f"benefit {b['id']}", f"kind {b['kind']} needs {key!r}")
        _require(b["programme"] in programme_ids, measure, f"benefit {b['id']}",
                 f"unknown programme {b['programme']!r}")
    for f in rules["funding"]:
        _require(set(f["programmes"]) <= programme_ids, measure, f"funding {f['label']}", "unknown programme")
        _require(f["employer_percent"] + f["fund_percent"] == 100, measure, f"funding {f['label']}",
                 "shares do not add up to 100")
    tiers_of = {p["id"]: {e["tier"] for e in p["tiers"]} for p in rules["programmes"]}
    for n in rules["notes"]:
        where = f"notes {n['id']}"
        _require(set(n["programmes"]) <= programme_ids, measure, where, "unknown programme")
        _require(n["scope"] in NOTE_SCOPES, measure, where, f"unknown scope {n['scope']!r}")
        _require(set(n.get("tiers", ())) <= set().union(*(tiers_of[p] for p in n["programmes"])), measure, where,
                 "a tier its programmes do not have")
        _require((n["scope"] == "retirement") == ("retirement_age" in n), measure, where,
                 "retirement notes, and only they, carry retirement_age")
        for cond in n.get("when", []):
            _require(cond["field"] in questions_by_id, measure, where, f"unknown question {cond['field']!r}")


def _raw(measure: str) -> dict:
    return _data.toml(f"{measure}.toml")


RULE_SECTIONS = ("criteria", "tiers", "programmes", "benefits", "funding", "notes")


@cache
def spans(measure: str) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """(since, until) of every criterion that applies only for a time (checker/dated.py, `span`):
    a revision that adds or removes a condition. A group applies only while all of its parts do."""
    raw = _raw(measure)
    for key in (k for k in RULE_SECTIONS if k != "criteria"):
        entries = raw[key].items() if isinstance(raw[key], dict) else enumerate(raw[key])
        for i, entry in entries:
            bound = next((b for b in ("since", "until") if b in entry), None)
            if bound:
                raise RuleDataError(f"rules/{measure}.toml, {key}.{i}.{bound}: only a criterion applies for a time")
    criteria = raw["criteria"]
    out = {cid: dated.span(c, f"rules/{measure}.toml, criteria.{cid}") for cid, c in criteria.items()}
    for cid, c in criteria.items():
        for part in c.get("of", []) if isinstance(c.get("of"), list) else ():
            if part in out and not dated.within(out[cid], out[part]):
                raise RuleDataError(f"rules/{measure}.toml, criteria.{cid}.of: {part!r} applies only "
                                    f"{dated.span_text(out[part])}, but {cid!r} applies {dated.span_text(out[cid])}")
    return {cid: s for cid, s in out.items() if s != (None, None)}


@cache
def change_dates(measure: str) -> tuple[dt.date, ...]:
    """The days on which a value of the measure's rule data changes, or a criterion starts or
    stops applying, sorted."""
    raw = _raw(measure)
    bounds = {d for s in spans(measure).values() for d in s if d is not None}
    return tuple(sorted(set(dated.change_dates({k: raw[k] for k in RULE_SECTIONS})) | bounds))


def period(measure: str, as_of: dt.date) -> dt.date | None:
    """The start of the period of unchanged values that holds `as_of` (None: the measure's start)."""
    dates = change_dates(measure)
    i = bisect.bisect_right(dates, as_of)
    return dates[i - 1] if i else None


def rules(measure: str, as_of: dt.date | None = None) -> dict:
    """The compiled rules of one measure with the values in force on `as_of` (default today;
    Citation objects; shared, do not mutate). An as-of date before the measure's first text
    version, or before the first date of a value that has one, raises ValidationError (as_of)."""
    if measure not in MEASURES:
        raise KeyError(measure)
    as_of = as_of or dt.date.today()
    versions.in_force(measure, as_of)
    return _compiled(measure, period(measure, as_of))


def notes(measure: str, as_of: dt.date, scope: str, programme: str) -> tuple[dict, ...]:
    """The notes of one scope that a programme shows, in force on `as_of`, in data order (indexed
    once per period: every evaluation asks for them)."""
    return _notes_by(measure, period(measure, as_of)).get((scope, programme), ())


@cache
def _notes_by(measure: str, on: dt.date | None) -> dict[tuple[str, str], tuple[dict, ...]]:
    index: dict[tuple[str, str], list[dict]] = {}
    for n in _compiled(measure, on)["notes"]:
        for programme in n["programmes"]:
            index.setdefault((n["scope"], programme), []).append(n)
    return {key: tuple(found) for key, found in index.items()}


def _history(entry: dict) -> dict:
    h = dated.history(entry)
    return {"history": h} if h else {}


def _applying(measure: str, raw: dict, on: dt.date | None) -> dict:
    """The rule sections without the criteria that do not apply on `on` (their `since` is later, or
    their `until` is not later): gone from the criteria, the tiers' lists and the programmes'."""
    gone = {cid for cid, s in spans(measure).items() if not dated.applies(s, on)}
    if not gone:
        return raw
    raw = copy.deepcopy(raw)
    raw["criteria"] = {cid: c for cid, c in raw["criteria"].items() if cid not in gone}
    keep = lambda ids: [x for x in ids if x not in gone]
    for t in raw["tiers"].values():
        t["criteria"] = keep(t["criteria"])
    for p in raw["programmes"]:
        for entry in p["tiers"]:
            entry["also"] = keep(entry["also"])
        if "money_requires" in p:
            p["money_requires"] = keep(p["money_requires"])
    return raw


@cache
def _compiled(measure: str, on: dt.date | None) -> dict:
    raw = _applying(measure, _raw(measure), on)
    data = dated.resolve({k: raw[k] for k in RULE_SECTIONS}, on)
    criteria = data["criteria"]
    render = lambda where, entry, raw_entry: {**labels.render_entry(entry, where, criteria), **_history(raw_entry)}
    lists = {key: [render(f"{key}[{i}]", e, raw[key][i]) for i, e in enumerate(data[key])]
             for key in ("programmes", "benefits", "funding", "notes")}
    compiled = {
        "measure": measure,
        "name": MEASURES[measure],
        "disclaimer": _cite(measure, raw["measure"]["disclaimer"]),
        "description": {k: v for k, v in DESCRIPTIONS[measure].items() if k not in ("disclaimer", "versions")},
        "criteria": {cid: _criterion(measure, cid, render(f"criteria.{cid}", c, raw["criteria"][cid]))
                     for cid, c in criteria.items()},
        "tiers": {tid: {"id": tid, **t} for tid, t in data["tiers"].items()},
        **{key: [_cite(measure, e) for e in entries] for key, entries in lists.items()},
        "not_modelled": [{**n, "citation": Citation(measure, n["article"])} for n in raw["not_modelled"]],
    }
    _check(measure, compiled)
    return compiled


@cache
def version() -> dict:
    """When the rule data last changed (rules/version.toml, kept by hand) and its checksum
    (computed; a test checks the two agree, so a data change must update the date)."""
    recorded = _data.toml(_data.VERSION_FILE)
    return {"changed": recorded["changed"], "checksum": _data.checksum(), "recorded_checksum": recorded["checksum"]}


def provenance(measure: str, as_of) -> dict:
    """What a result was computed from, in words a reader understands: the version of the text in
    force on the as-of date (title, since, checksum), the rule data's date and checksum (which covers
    the texts' recorded checksums, so it changes with either), the assessment date. Worked out
    once per measure and day (a batch asks on every row); each caller gets its own copy."""
    return dict(_provenance(measure, as_of))


@cache
def _provenance(measure: str, as_of) -> dict:
    v = version()
    text = versions.in_force(measure, as_of)
    since = "" if text.since is None else f"，{text.since_text}"
    return {
        "measure_name": text.title,
        "text_since": text.since.isoformat() if text.since else None,
        "text_checksum": text.checksum,
        "rules_changed": v["changed"],
        "rules_checksum": v["checksum"],
        "as_of": as_of.isoformat(),
        "text": (f"依据《{text.title}》（文本校验码 {text.checksum}{since}）；"
                 f"规则数据更新于 {v['changed']}（校验码 {v['checksum']}）；评估日期 {as_of.isoformat()}"),
    }


def _jsonable(value):
    if isinstance(value, Citation):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _every_period(measure: str):
    """The compiled rules of each period of a measure (a period whose values are not all in force
    yet, before a value's first date, is left out)."""
    for on in (None, *change_dates(measure)):
        try:
            yield _compiled(measure, on)
        except ValidationError:
            continue


def _criterion_fields(r: dict, cid: str) -> set[str]:
    c = r["criteria"][cid]
    return OPERATORS[c["op"]].fields(c, r["criteria"])


def question_use() -> dict[str, list[str]]:
    """Which measure/programme/tier (or funding, money) needs each question: "education/introduction/a",
    in any period of the rule data (a criterion with dates reads its question in some only)."""
    use: dict[str, set] = {}
    for measure, r in ((m, r) for m in MEASURES for r in _every_period(m)):
        for p in r["programmes"]:
            for entry in p["tiers"]:
                for cid in entry["also"] + r["tiers"][entry["tier"]]["criteria"]:
                    for field in _criterion_fields(r, cid):
                        use.setdefault(field, set()).add(f"{measure}/{p['id']}/{entry['tier']}")
            for cid in p.get("money_requires", []):
                for field in _criterion_fields(r, cid):
                    use.setdefault(field, set()).add(f"{measure}/{p['id']}/money")
        for f in r["funding"]:
            for cond in f["when"]:
                for pid in f["programmes"]:
                    use.setdefault(cond["field"], set()).add(f"{measure}/{pid}/funding")
        for n in r["notes"]:
            for cond in n.get("when", []):
                for pid in n["programmes"]:
                    use.setdefault(cond["field"], set()).add(f"{measure}/{pid}/note")
        for b in r["benefits"]:
            if KINDS[b["kind"]].asks:
                question, purpose = KINDS[b["kind"]].asks
                use.setdefault(question, set()).add(f"{measure}/{b['programme']}/{purpose}")
    return {q["id"]: sorted(use.get(q["id"], ())) for q in questions()}


@cache
def _load(as_of: dt.date) -> dict:
    return {"questions": questions(), "question_use": question_use(),
            "measures": {m: {**_jsonable(rules(m, as_of)),
                             "text_versions": [v.to_dict() for v in versions.text_versions(m)]} for m in MEASURES}}


def load(as_of: dt.date | None = None) -> dict:
    """All rule data as plain JSON-able structures (a fresh copy), with the values in force on
    `as_of` (default today)."""
    return copy.deepcopy(_load(as_of or dt.date.today()))
