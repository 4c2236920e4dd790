"""Evaluate a profile against the rule data: criteria → tiers → programmes → money.

The evaluator is generic: it knows the operators of the data (rules/*.toml), never a policy
number. Explanatory text is built lazily, so a batch run that only needs verdicts stays fast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from checker import money as money_mod
from checker import summary as summary_mod
from checker.errors import ValidationError
from checker.policy import provenance, rules
from checker.profile import validate
from checker.questions import by_id, choice_label, rank, shown_ids
from checker.universities import FLAG_LABELS, LIST_NAMES, MOE_LIST, lookup

MET, NOT_MET, REVIEW, UNANSWERED = "met", "not_met", "review", "unanswered"
VERDICT_LABELS = {MET: "符合", NOT_MET: "不符合", REVIEW: "需评审", UNANSWERED: "待补充"}
# How good a verdict is for the person (used to combine any-of alternatives).
GOODNESS = {MET: 3, REVIEW: 2, UNANSWERED: 1, NOT_MET: 0}
GRANTING = (MET, REVIEW)
MISSING = (NOT_MET, UNANSWERED)  # what a tier still needs
# Operators whose "values" text already names what was compared (used when listing a group).
SELF_DESCRIBING_OPS = {"age_at_most", "at_least", "rank_at_least", "count_at_least", "university"}


def combine_all(verdicts) -> str:
    """All-of: any not_met → not_met; else any unanswered → unanswered; else any review → review."""
    verdicts = set(verdicts)
    for v in (NOT_MET, UNANSWERED, REVIEW):
        if v in verdicts:
            return v
    return MET


def combine_any(verdicts) -> str:
    """Any-of: the best alternative counts (met > review > unanswered > not_met)."""
    return max(verdicts, key=GOODNESS.__getitem__, default=NOT_MET)


def age_in_full_years(birth: dt.date, on: dt.date) -> int:
    """周岁: completed years; the birthday itself completes the year."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(eq=False)
class Outcome:
    """The verdict of one criterion; values/reason are Chinese text, built on demand."""

    criterion: dict
    verdict: str
    _explain: Callable[[], tuple[str, str]]

    @property
    def explained(self) -> tuple[str, str]:
        return self._explain()

    def finding(self) -> dict:
        values, reason = self._explain()
        return {
            "criterion": self.criterion["id"],
            "label": self.criterion["label"],
            "verdict": self.verdict,
            "verdict_label": VERDICT_LABELS[self.verdict],
            "values": values,
            "reason": reason,
            "citation": self.criterion["citation"].to_dict(),
        }


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


class _Evaluator:
    """Evaluates criteria for one profile; each criterion once (tiers share them)."""

    def __init__(self, measure_rules: dict, answers: dict, as_of: dt.date) -> None:
        self.rules, self.answers, self.as_of = measure_rules, answers, as_of
        self.cache: dict[str, Outcome] = {}

    def outcome(self, cid: str) -> Outcome:
        if cid not in self.cache:
            c = self.rules["criteria"][cid]
            self.cache[cid] = getattr(self, "_op_" + c["op"])(c)
        return self.cache[cid]

    def _unanswered(self, c: dict) -> Outcome:
        return Outcome(c, UNANSWERED, lambda: ("尚未回答", f"请回答：{by_id()[c['field']]['label']}"))

    # --- operators ---------------------------------------------------------------------------

    def _op_in(self, c):
        value = self.answers.get(c["field"])
        if value is None:
            return self._unanswered(c)
        verdict = MET if value in c["values"] else REVIEW if value in c.get("review_values", []) else NOT_MET
        allowed = lambda: "、".join(choice_label(c["field"], v) for v in c["values"])
        return Outcome(c, verdict, lambda: (
            f"所选情况：{choice_label(c['field'], value)}",
            {MET: "适用于所选情况", REVIEW: c.get("review_reason", "需评审"),
             NOT_MET: "仅适用于：" + allowed()}[verdict]))

    def _op_true(self, c):
        value = self.answers.get(c["field"])
        if value is None:
            return self._unanswered(c)
        if c.get("declaration"):
            explain = lambda: (f"本人声明：{'符合' if value else '不符合'}",
                               f"本人声明符合，最终由{c.get('confirmed_by', '评审')}认定" if value else "本人声明不符合该条件")
        else:
            explain = lambda: (f"回答：{_yes_no(value)}",
                               "具备该条件" if value else "不具备该条件")
        return Outcome(c, MET if value else NOT_MET, explain)

    def _op_claim(self, c):
        value = self.answers.get(c["field"])
        if value is None:
            return self._unanswered(c)
        return Outcome(c, REVIEW if value else NOT_MET, lambda: (
            f"本人声明：{_yes_no(value)}",
            "本人声明具备；是否符合由专家评审认定" if value else "不具备该情形"))

    def _op_age_at_most(self, c):
        birth = self.answers.get(c["field"])
        if birth is None:
            return self._unanswered(c)
        age, limit, principle = age_in_full_years(birth, self.as_of), c["limit"], c.get("principle", False)
        if age <= limit:
            verdict = MET
        else:
            verdict = REVIEW if principle else NOT_MET
        suffix = "（原则上）" if principle else ""

        def explain():
            values = f"年龄 {age} 周岁，上限 {limit} 周岁{suffix}"
            if verdict == MET:
                return values, f"未超过年龄上限（{limit} 周岁本身仍符合）"
            over = f"，超出 {age - limit} 岁"
            if verdict == REVIEW:
                return values + over, "超过年龄上限；条文为“原则上”，超龄能否认定由评审决定"
            return values + over, "超过年龄上限"
        return Outcome(c, verdict, explain)

    def _op_at_least(self, c):
        value = self.answers.get(c["field"])
        if value is None:
            return self._unanswered(c)
        ok, unit = value >= c["min"], c.get("unit", "")
        return Outcome(c, MET if ok else NOT_MET, lambda: (
            f"{by_id()[c['field']]['label']}：{value} {unit}，需 {c['min']} {unit}以上",
            "达到要求（含本数）" if ok else f"尚差 {c['min'] - value} {unit}"))

    def _op_rank_at_least(self, c):
        value = self.answers.get(c["field"])
        if value is None:
            return self._unanswered(c)
        ok = rank(c["field"], value) >= rank(c["field"], c["min"])
        return Outcome(c, MET if ok else NOT_MET, lambda: (
            f"{by_id()[c['field']]['label']}：{choice_label(c['field'], value)}，"
            f"需{choice_label(c['field'], c['min'])}及以上",
            "达到要求（更高的也符合）" if ok else "未达到要求"))

    def _op_any_in(self, c):
        selected = self.answers.get(c["field"])
        if selected is None:
            return self._unanswered(c)
        hits = [v for v in selected if v in c["values"]]
        claims = [v for v in selected if v in c.get("review_values", [])]
        verdict = MET if hits else REVIEW if claims else NOT_MET

        def explain():
            chosen = "、".join(choice_label(c["field"], v) for v in hits + claims) or "无"
            reason = {MET: "具备所列条件",
                      REVIEW: "所报为“同等层次”，由专家评审认定是否同等",
                      NOT_MET: "未具备所列条件"}[verdict]
            return f"相关所选：{chosen}", reason
        return Outcome(c, verdict, explain)

    def _op_count_at_least(self, c):
        """At least n distinct items of this list (each answer counts once; a higher item of the
        same kind from another list counts as declared in the data)."""
        selected = self.answers.get(c["field"])
        if selected is None:
            return self._unanswered(c)
        counted = [e for e in c["counts"] if e["value"] in selected]
        claims = [e for e in c["equivalent"] if e["value"] in selected]
        items = len({e["item"] for e in counted})
        claimed = 1 if claims else 0  # 其他同等层次条件 is one item of the list
        n = c["n"]
        verdict = MET if items >= n else REVIEW if items + claimed >= n else NOT_MET

        def explain():
            def one(e):
                via = f"，{e['why']}" if e.get("why") else ""
                return f"{choice_label(c['field'], e['value'])}（计入{e['item'].label}{via}）"
            parts = [one(e) for e in counted + claims]
            extra = "，另报“其他同等层次条件”" if claimed else ""
            values = f"具备 {items} 项{extra}，需 {n} 项" + ("：" + "；".join(parts) if parts else "")
            reason = {MET: "达到所需项数",
                      REVIEW: "计入“其他同等层次条件”才达到所需项数，由专家评审认定",
                      NOT_MET: f"尚差 {n - items - claimed} 项"}[verdict]
            return values, reason
        return Outcome(c, verdict, explain)

    def _op_university(self, c):
        name = self.answers.get(c["field"])
        if name is None:
            return self._unanswered(c)
        found = lookup(name)
        wanted = "或".join(FLAG_LABELS[f] for f in c["flags"])
        not_on = "不在" + "、".join(LIST_NAMES[f] for f in c["flags"]) + "上"
        if found.status == "ambiguous":
            return Outcome(c, UNANSWERED, lambda: (f"毕业院校：{name}", f"校名不唯一，请填写毕业证上的全称（{found.note}）"))
        if found.status == "unknown":
            return Outcome(c, REVIEW, lambda: (
                f"毕业院校：{name}（未在{MOE_LIST}及内置名单中找到）",
                f"请核对填写的是否为毕业证上的学校全称；是否属于{wanted}院校由审核认定"))
        ok = any(f in found.flags for f in c["flags"])
        tags = "、".join(FLAG_LABELS[f] for f in FLAG_LABELS if f in found.flags) or "不属于所列类别"
        if found.status == "branch":
            verdict = REVIEW if ok else NOT_MET
            return Outcome(c, verdict, lambda: (
                f"毕业院校：{name}，为{found.name}的校区（{tags}）",
                f"校区不单独列入名单（{found.note}）；是否按本部认定由审核决定" if ok else not_on))
        shown = name if found.name == name else f"{name}，即{found.name}"
        if found.status == "listed":
            return Outcome(c, NOT_MET, lambda: (f"毕业院校：{shown}（{found.listed_on}所列院校）", not_on))
        return Outcome(c, MET if ok else NOT_MET, lambda: (
            f"毕业院校：{shown}（{tags}）", f"属于{wanted}院校" if ok else not_on))

    def _op_review(self, c):
        return Outcome(c, REVIEW, lambda: ("", c["reason"]))

    def _group(self, c, combine):
        children = [self.outcome(x) for x in c["of"]]
        verdict = combine([o.verdict for o in children])

        def explain():
            parts = [self._leaf_text(leaf) for leaf in self._leaves(c)]
            by_verdict = lambda v: "、".join(o.criterion["label"] for o in children if o.verdict == v)
            if combine is combine_any:
                reason = {MET: f"满足其一：{by_verdict(MET)}", REVIEW: f"需评审：{by_verdict(REVIEW)}",
                          UNANSWERED: f"待补充：{by_verdict(UNANSWERED)}", NOT_MET: "所列情形均不满足"}[verdict]
            else:
                reason = {MET: "各项均符合", REVIEW: f"需评审：{by_verdict(REVIEW)}",
                          UNANSWERED: f"待补充：{by_verdict(UNANSWERED)}", NOT_MET: f"未满足：{by_verdict(NOT_MET)}"}[verdict]
            return "；".join(parts), reason
        return Outcome(c, verdict, explain)

    def _leaves(self, c) -> list[Outcome]:
        """The leaf outcomes under a group, in order, each once."""
        out = []
        for child in c["of"]:
            o = self.outcome(child)
            for leaf in self._leaves(o.criterion) if o.criterion["op"] in ("all", "any") else [o]:
                if leaf not in out:
                    out.append(leaf)
        return out

    @staticmethod
    def _leaf_text(o: Outcome) -> str:
        values, _ = o.explained
        verdict = VERDICT_LABELS[o.verdict]
        if o.criterion["op"] in SELF_DESCRIBING_OPS and o.verdict != UNANSWERED:
            return f"{values}（{verdict}）"
        return f"{o.criterion['label']}：{verdict}" + (f"（{values}）" if values else "")

    def _op_all(self, c):
        return self._group(c, combine_all)

    def _op_any(self, c):
        return self._group(c, combine_any)


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


def _notes(measure_rules: dict, scope: str, programme: str) -> list[dict]:
    return [n for n in measure_rules["notes"] if n["scope"] == scope and programme in n["programmes"]]


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
        notes = _notes(measure_rules, "programme", p["id"])
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
            for n in _notes(measure_rules, scope, p.programme["id"]):
                if n not in notes and (not n.get("tiers") or p.highest.tier["id"] in n["tiers"]):
                    notes.append(n)
    for p in granting:
        for n in _notes(measure_rules, "tier", p.programme["id"]):
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
