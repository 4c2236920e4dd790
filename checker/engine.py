"""Evaluate a profile against the rule data: criteria → tiers → programmes → money.

The evaluator is generic: each criterion is evaluated by its operator (checker/operators.py),
and no policy number is typed here. Explanatory text is built lazily, so a batch run that only
needs verdicts stays fast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from checker import money as money_mod
from checker import summary as summary_mod
from checker.errors import ValidationError
from checker.operators import OPERATORS, age_in_full_years  # noqa: F401 (age_in_full_years: API)
from checker.policy import notes as notes_in_force
from checker.policy import provenance, rules
from checker.profile import validate
from checker.questions import shown_ids
from checker.verdicts import (GOODNESS, MET, MISSING, NOT_MET, REVIEW,  # noqa: F401 (re-exported)
                              UNANSWERED, VERDICT_LABELS, Outcome, combine_all, combine_any)


class _Evaluator:
    """Evaluates criteria for one profile; each criterion once (tiers share them)."""

    def __init__(self, measure_rules: dict, answers: dict, as_of: dt.date) -> None:
        self.rules, self.answers, self.as_of = measure_rules, answers, as_of
        self.cache: dict[str, Outcome] = {}

    def outcome(self, cid: str) -> Outcome:
        if cid not in self.cache:
            c = self.rules["criteria"][cid]
            self.cache[cid] = OPERATORS[c["op"]].outcome(c, self)
        return self.cache[cid]


class TierResult:
    """A tier's verdict; its findings are evaluated only when asked for (a not_met criterion
    decides the verdict on its own, so irrelevant programmes cost one criterion each)."""

    def __init__(self, tier: dict, criterion_ids: list[str], evaluator: "_Evaluator") -> None:
        self.tier, self._ids, self._ev = tier, criterion_ids, evaluator
        seen = set()
        for cid in criterion_ids:
            verdict = evaluator.outcome(cid).verdict
            if verdict == NOT_MET:
                self.verdict = NOT_MET
                return
            seen.add(verdict)
        self.verdict = combine_all(seen)

    @property
    def outcomes(self) -> list[Outcome]:
        return [self._ev.outcome(cid) for cid in self._ids]

    def to_dict(self) -> dict:
        findings = [o.finding() for o in self.outcomes]
        return {
            "id": self.tier["id"],
            "name": self.tier["name"],
            "verdict": self.verdict,
            "verdict_label": VERDICT_LABELS[self.verdict],
            "findings": findings,
            "missing": [f for f in findings if f["verdict"] in MISSING],
        }

    def outcome(self, cid: str) -> Outcome:
        """Any criterion's outcome for this profile (the summary walks groups with it)."""
        return self._ev.outcome(cid)

    def answer(self, field: str):
        return self._ev.answers.get(field)

    @property
    def missing_labels(self) -> list[str]:
        return [o.criterion["label"] for o in self.outcomes if o.verdict in MISSING]


@dataclass
class ProgrammeResult:
    """A programme's tiers; `firm` is the highest tier met, `possible` a higher one under review.

    `highest` (possible, else firm) names the programme and its verdict; the money is shown for
    both: what the person can count on (firm) and what a favourable review would add (possible).
    """

    programme: dict
    tiers: list[TierResult]
    verdict: str
    firm: TierResult | None
    possible: TierResult | None
    money_conditions: list[Outcome]
    benefits: list = field(default_factory=list)
    firm_benefits: list = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)

    @property
    def highest(self) -> TierResult | None:
        return self.possible or self.firm

    @property
    def money_verdict(self) -> str:
        """Whether the programme's money condition holds (edu art.8 / health art.9: the 5-year
        commitment); met when the programme has none."""
        return combine_all(o.verdict for o in self.money_conditions)

    @property
    def deciding(self) -> TierResult:
        if self.highest is not None:
            return self.highest
        return max(self.tiers, key=lambda t: GOODNESS[t.verdict])  # first of the best

    def to_dict(self) -> dict:
        tiers = [t.to_dict() for t in self.tiers]
        deciding = tiers[self.tiers.index(self.deciding)]
        tier_id = lambda t: t.tier["id"] if t else None
        tier_name = lambda t: t.tier["name"] if t else None
        return {
            "id": self.programme["id"],
            "name": self.programme["name"],
            "verdict": self.verdict,
            "verdict_label": VERDICT_LABELS[self.verdict],
            "highest_tier": tier_id(self.highest),
            "highest_tier_name": tier_name(self.highest),
            "firm_tier": tier_id(self.firm),
            "firm_tier_name": tier_name(self.firm),
            "possible_tier": tier_id(self.possible),
            "possible_tier_name": tier_name(self.possible),
            "citation": self.programme["citation"].to_dict(),
            "tiers": tiers,
            "findings": deciding["findings"],
            "money_conditions": [o.finding() for o in self.money_conditions],
            "benefits": [money_mod.benefit_dict(b) for b in self.benefits],
            "notes": [{"text": n["text"], "citation": n["citation"].to_dict()} for n in self.notes],
        }


@dataclass
class Result:
    """The outcome of `evaluate`; `to_dict()` is the documented, deterministic JSON shape."""

    measure: str
    as_of: dt.date
    situation: str | None
    programmes: list[ProgrammeResult]
    money: money_mod.Money | None
    money_if_review: money_mod.Money | None
    notes: list[dict]
    _rules: dict = field(repr=False)

    @property
    def answers(self) -> dict:
        """The answers the rules saw (those to questions the form shows for this profile)."""
        return self.programmes[0].tiers[0]._ev.answers if self.programmes else {}

    def to_dict(self) -> dict:
        d = self._base_dict()
        d["summary"] = summary_mod.build(self, d)  # plain words first: see checker/summary.py
        return d

    def _base_dict(self) -> dict:
        disclaimer = self._rules["disclaimer"]
        citation = disclaimer["citation"]
        money = self.money.to_dict() if self.money else None
        if_review = self.money_if_review.to_dict() if self.money_if_review else None
        if if_review is not None:
            firm_total = money["totals"]["total"] if money else 0
            known = if_review["totals"]["total"] is not None and firm_total is not None
            if_review["adds"] = if_review["totals"]["total"] - firm_total if known else None
        return {
            "measure": self.measure,
            "measure_name": self._rules["name"],
            "as_of": self.as_of.isoformat(),
            "situation": self.situation,
            "provenance": provenance(self.measure, self.as_of),
            "disclaimer": {
                "text": ("本结果是根据您的回答所作的自我测评，仅供参考，不是官方认定。能否认定为相应层次、"
                         "享受相应待遇，以用人单位申报、主管部门审核和专家评审的结果为准。"
                         f"本办法由{disclaimer['interpreters']}负责解释（{citation.label}）。"),
                "interpreters": disclaimer["interpreters"],
                "citation": citation.to_dict(),
            },
            "programmes": [p.to_dict() for p in self.programmes],
            "money": money,
            "money_if_review": if_review,
            "notes": [{"id": n["id"], "text": n["text"], "citation": n["citation"].to_dict()} for n in self.notes],
        }


def visible_answers(clean: dict) -> dict:
    """Keep only answers to questions the form shows for this profile (the rest are ignored)."""
    shown = shown_ids(clean)
    return {k: v for k, v in clean.items() if k in shown}


def evaluate(profile: dict, *, as_of: dt.date | None = None) -> Result:
    """Evaluate every programme of the chosen measure for a profile; raises ValidationError."""
    if as_of is None:
        as_of = dt.date.today()
    elif not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise ValidationError([{"field": "as_of", "message": "应为日期（datetime.date）"}])
    clean = validate(profile, as_of)
    answers = visible_answers(clean)
    measure_rules = rules(clean["measure"], as_of)  # the values in force on the as-of date
    ev = _Evaluator(measure_rules, answers, as_of)
    programmes = []
    for p in measure_rules["programmes"]:
        tiers = []
        for entry in p["tiers"]:
            tier = measure_rules["tiers"][entry["tier"]]
            tiers.append(TierResult(tier, entry["also"] + tier["criteria"], ev))
        firm = next((t for t in tiers if t.verdict == MET), None)
        above = tiers[:tiers.index(firm)] if firm else tiers
        possible = next((t for t in above if t.verdict == REVIEW), None)
        highest = possible or firm
        # The programme says exactly what its highest granting tier says: an A under review
        # with a C met reads 需评审, never a firmer 符合 than the A it names (the money shows both).
        verdict = highest.verdict if highest else combine_any(t.verdict for t in tiers)
        conditions = [ev.outcome(cid) for cid in p.get("money_requires", [])]
        benefits_of = lambda t: money_mod.benefits_for(measure_rules, p["id"], t.tier["id"], answers) if t else []
        notes = list(notes_in_force(clean["measure"], as_of, "programme", p["id"]))
        programmes.append(ProgrammeResult(p, tiers, verdict, firm, possible, conditions,
                                          benefits_of(highest), benefits_of(firm), notes))
    granting = [p for p in programmes if p.highest is not None]
    money = money_mod.compute(measure_rules, [(p, p.firm, p.firm_benefits) for p in granting if p.firm], answers,
                              any_money=any(money_mod.has_money(p.benefits) for p in granting))
    money_if_review = None
    if any(p.possible and money_mod.has_money(p.benefits) for p in granting):
        money_if_review = money_mod.compute(measure_rules, [(p, p.highest, p.benefits) for p in granting], answers)
    notes = []
    for p in granting:
        if not p.benefits:
            continue
        scopes = ["money"] + (["withheld"] if p.money_verdict == NOT_MET and money_mod.has_money(p.benefits) else [])
        for scope in scopes:
            for n in notes_in_force(clean["measure"], as_of, scope, p.programme["id"]):
                if n not in notes and (not n.get("tiers") or p.highest.tier["id"] in n["tiers"]):
                    notes.append(n)
    for p in granting:
        for n in notes_in_force(clean["measure"], as_of, "tier", p.programme["id"]):
            if p.highest.tier["id"] in n["tiers"] and all(answers.get(w["field"]) in w["in"] for w in n["when"]):
                notes.append(n)
    notes.sort(key=measure_rules["notes"].index)  # data order, whichever programme brought them
    notes += _retirement_notes(measure_rules, granting, answers, as_of)
    return Result(clean["measure"], as_of, answers.get("situation"), programmes, money, money_if_review, notes,
                  measure_rules)


def _retirement_notes(measure_rules: dict, granting: list, answers: dict, as_of: dt.date) -> list[dict]:
    """Edu art.19 / health art.20 (二): benefits end on retirement. Said when the longest schedule
    of the money (from the start date, else the assessment date) runs past the day the person
    reaches the note's retirement age (a reading of "usual retirement age", see checker/README.md)."""
    birth = answers.get("birth_date")
    if birth is None:
        return []
    out = []
    for n in measure_rules["notes"]:
        if n["scope"] != "retirement":
            continue
        years = max((money_mod.schedule_years(b) for p in granting if p.programme["id"] in n["programmes"]
                     for b in p.benefits if p.money_verdict != NOT_MET), default=0)
        if not years:
            continue
        start = answers.get("start_date") or as_of
        end = money_mod.add_years(start, years)
        retires = money_mod.add_years(birth, n["retirement_age"])
        if retires >= end:
            continue
        detail = (f"按您的出生日期，您将于 {retires.isoformat()[:7]} 年满{n['retirement_age']}周岁（通常退休年龄），"
                  f"早于待遇发放期（{years}年，至 {end.isoformat()[:7]}）结束。")
        out.append({**n, "text": detail + n["text"]})
    return out
