"""The operators of the rule data (`op` of each criterion in rules/*.toml), one class each.

An operator is everything the product knows about one kind of criterion: its parameters (checked
when the rules load, and the rules schema), how it compiles, how it evaluates and explains an
answer, what gets a person past it (the summary), and how the guide words it. Adding an operator
is adding one class here with `@operator`; the policy checks, the engine, the summary and the
guide pages read `OPERATORS`.
"""

from __future__ import annotations

from typing import Callable, ClassVar

from checker.citation import Citation
from checker.questions import by_id, choice_label, rank
from checker.universities import FLAG_LABELS, LIST_NAMES, MOE_LIST, lookup
from checker.verdicts import (MET, NOT_MET, REVIEW, UNANSWERED, VERDICT_LABELS, Outcome, combine_all,
                              combine_any)

OPERATORS: dict[str, "Operator"] = {}

# JSON Schemas of the parameter types.
STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
CITATION = "citation"  # stands for the schema of a resolved citation (see `criterion_schema`)
COUNTED = {"type": "array", "items": {"type": "object", "required": ["value", "item"],
                                      "properties": {"value": STRING, "item": CITATION,
                                                     "from": {"anyOf": [CITATION, {"type": "null"}]},
                                                     "why": STRING}}}


def operator(cls):
    """Register an operator class under its `name`."""
    OPERATORS[cls.name] = cls()
    return cls


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def age_in_full_years(birth, on) -> int:
    """周岁: completed years; the birthday itself completes the year."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class Operator:
    """The defaults: a criterion on the answer to the question `field`."""

    name: ClassVar[str]
    params: ClassVar[dict] = {}  # required parameter → JSON Schema
    optional: ClassVar[dict] = {}  # optional parameter → JSON Schema
    reads_answer: ClassVar[bool] = True  # it has a `field` and is unanswered while it is
    group: ClassVar[bool] = False  # made of other criteria (`of`)
    self_describing: ClassVar[bool] = False  # its values text names what was compared
    guide_badge: ClassVar[tuple[str, str] | None] = None  # (text, style) beside it on the tiers page
    guide_hint: ClassVar[str | None] = None  # said after its label on the tiers page
    lists_choices: ClassVar[bool] = False  # the tiers page lists its choices under it
    guide_words: ClassVar[str] = ""  # how the full text's literate view words it (guide_text)

    # --- rule data ---------------------------------------------------------------------------

    def compile(self, measure: str, c: dict) -> dict:
        """The criterion as the engine reads it (citations in parameters resolved)."""
        return c

    def check(self, c: dict, criteria: dict, require: Callable[[bool, str], None]) -> None:
        """Fail loudly on a typo: a missing parameter, an unknown field or choice value."""
        for key in self.params:
            require(key in c, f"op {self.name} needs {key!r}")
        if not self.reads_answer:
            return
        questions = by_id()
        require(c.get("field") in questions, f"unknown question {c.get('field')!r}")
        q = questions[c["field"]]
        allowed = {ch["value"] for ch in q.get("choices", [])}
        for key in ("values", "review_values"):
            require(set(c.get(key, [])) <= allowed, f"{key} not among the choices of {q['id']}")
        self.check_choices(c, q, allowed, require)

    def check_choices(self, c: dict, q: dict, allowed: set, require) -> None:
        pass

    def fields(self, c: dict, criteria: dict) -> set[str]:
        """The questions the criterion reads (question_use)."""
        return {c["field"]} if self.reads_answer else set()

    def schema(self) -> dict:
        """JSON Schema of a compiled criterion with this operator (`CITATION` for a citation)."""
        properties = {"op": {"const": self.name}, "id": STRING, "label": STRING, **self.params, **self.optional}
        if self.reads_answer:
            properties["field"] = STRING
        required = ["label", "op", *self.params] + (["field"] if self.reads_answer else [])
        return {"type": "object", "required": required, "properties": properties}

    # --- evaluation --------------------------------------------------------------------------

    def outcome(self, c: dict, ev) -> Outcome:
        """The criterion's outcome for the evaluator's answers (`ev.answers`, `ev.as_of`)."""
        if not self.reads_answer:
            return self.evaluate(c, None, ev)
        value = ev.answers.get(c["field"])
        if value is None:
            return Outcome(c, UNANSWERED, lambda: ("尚未回答", f"请回答：{by_id()[c['field']]['label']}"))
        return self.evaluate(c, value, ev)

    def evaluate(self, c: dict, value, ev) -> Outcome:
        raise NotImplementedError

    def action(self, c: dict, value) -> tuple[float, str] | None:
        """(cost, text) of what turns a criterion that is not met into met; None for a hard limit
        nobody can act on. The cost ranks the alternatives of an any-of."""
        return 1, c["label"]

    # --- guide ---------------------------------------------------------------------------------

    def guide_text(self, c: dict, label: Callable[[str], str]) -> str:
        """The criterion's values in words (`label` names a choice value of its field)."""
        return self.guide_words


@operator
class In(Operator):
    name = "in"
    params = {"values": STRINGS}
    optional = {"review_values": STRINGS, "review_reason": STRING}
    guide_words = "回答为其一即可"

    def evaluate(self, c, value, ev):
        verdict = MET if value in c["values"] else REVIEW if value in c.get("review_values", []) else NOT_MET
        allowed = lambda: "、".join(choice_label(c["field"], v) for v in c["values"])
        return Outcome(c, verdict, lambda: (
            f"所选情况：{choice_label(c['field'], value)}",
            {MET: "适用于所选情况", REVIEW: c.get("review_reason", "需评审"),
             NOT_MET: "仅适用于：" + allowed()}[verdict]))

    def action(self, c, value):
        return None  # the situation or a fact of the past: nothing to act on


@operator
class TrueAnswer(Operator):
    name = "true"
    optional = {"declaration": BOOLEAN, "confirmed_by": STRING}
    guide_words = "回答“是”"

    def evaluate(self, c, value, ev):
        if c.get("declaration"):
            explain = lambda: (f"本人声明：{'符合' if value else '不符合'}",
                               f"本人声明符合，最终由{c.get('confirmed_by', '评审')}认定" if value
                               else "本人声明不符合该条件")
        else:
            explain = lambda: (f"回答：{_yes_no(value)}",
                               "具备该条件" if value else "不具备该条件")
        return Outcome(c, MET if value else NOT_MET, explain)


@operator
class Claim(Operator):
    name = "claim"
    guide_badge = ("需评审", "review")
    guide_words = "回答“是”时需评审"

    def evaluate(self, c, value, ev):
        return Outcome(c, REVIEW if value else NOT_MET, lambda: (
            f"本人声明：{_yes_no(value)}",
            "本人声明具备；是否符合由专家评审认定" if value else "不具备该情形"))


@operator
class AgeAtMost(Operator):
    name = "age_at_most"
    params = {"limit": INTEGER}
    optional = {"principle": BOOLEAN}
    self_describing = True

    def evaluate(self, c, birth, ev):
        age, limit, principle = age_in_full_years(birth, ev.as_of), c["limit"], c.get("principle", False)
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

    def action(self, c, value):
        return None  # nobody gets younger

    def guide_text(self, c, label):
        return f"年龄不超过{c['limit']}周岁" + ("（原则上：超出需评审）" if c.get("principle") else "")


@operator
class AtLeast(Operator):
    name = "at_least"
    params = {"min": INTEGER}
    optional = {"unit": STRING}
    self_describing = True

    def evaluate(self, c, value, ev):
        ok, unit = value >= c["min"], c.get("unit", "")
        return Outcome(c, MET if ok else NOT_MET, lambda: (
            f"{by_id()[c['field']]['label']}：{value} {unit}，需 {c['min']} {unit}以上",
            "达到要求（含本数）" if ok else f"尚差 {c['min'] - value} {unit}"))

    def action(self, c, value):
        if not isinstance(value, int):
            return super().action(c, value)
        # The gap is the cost: 2 more years beat 8 more years (alternatives of an any-of).
        gap = c["min"] - value
        return gap, f"{c['label']}（还差{gap}{c.get('unit', '')}）"

    def guide_text(self, c, label):
        return f"不少于{c['min']}{c.get('unit', '')}"


@operator
class RankAtLeast(Operator):
    name = "rank_at_least"
    params = {"min": STRING}
    self_describing = True

    def check_choices(self, c, q, allowed, require):
        require(c["min"] in allowed, f"min {c['min']!r} not a choice of {q['id']}")

    def evaluate(self, c, value, ev):
        ok = rank(c["field"], value) >= rank(c["field"], c["min"])
        return Outcome(c, MET if ok else NOT_MET, lambda: (
            f"{by_id()[c['field']]['label']}：{choice_label(c['field'], value)}，"
            f"需{choice_label(c['field'], c['min'])}及以上",
            "达到要求（更高的也符合）" if ok else "未达到要求"))

    def action(self, c, value):
        if value is None:
            return super().action(c, value)
        return 1, f"{c['label']}（目前：{choice_label(c['field'], value)}）"

    def guide_text(self, c, label):
        return f"至少为“{label(c['min'])}”"


@operator
class AnyIn(Operator):
    name = "any_in"
    params = {"values": STRINGS}
    optional = {"review_values": STRINGS}
    lists_choices = True

    def evaluate(self, c, selected, ev):
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

    def guide_text(self, c, label):
        return (f"任一项：{'、'.join(label(v) for v in c['values'])}"
                + ("（同等层次需评审）" if c.get("review_values") else ""))


@operator
class CountAtLeast(Operator):
    """At least n distinct items of a list of the text: `counts` maps an answer to the item it
    satisfies (`item`, and `from`/`why` when it counts as declared elsewhere); `equivalent` are the
    answers that claim 其他同等层次条件, one item of the list."""

    name = "count_at_least"
    params = {"n": INTEGER, "counts": COUNTED, "equivalent": COUNTED}
    self_describing = True
    lists_choices = True

    def compile(self, measure, c):
        for key in ("counts", "equivalent"):
            c[key] = [{**e, "item": Citation.parse(measure, e["item"]),
                       "from": Citation.parse(measure, e["from"]) if "from" in e else None} for e in c[key]]
        return c

    def check_choices(self, c, q, allowed, require):
        values = [e["value"] for e in c["counts"] + c["equivalent"]]
        require(set(values) <= allowed, f"counts or equivalent not among the choices of {q['id']}")
        require(len(values) == len(set(values)), "an answer counted twice in one list")
        for e in c["counts"] + c["equivalent"]:
            require(e["item"].article == c["citation"].article and e["item"].path[:-1] == c["citation"].path,
                    f"{e['value']}: item {e['item'].label} is not an item of {c['citation'].label}")
            require((e["from"] is None) == ("why" not in e), f"{e['value']}: from and why go together")

    def evaluate(self, c, selected, ev):
        """Each answer counts once; a higher item of the same kind from another list counts as
        declared in the data."""
        counted, claims, items, claimed = self._tally(c, selected)
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

    def action(self, c, value):
        if not isinstance(value, list):
            return super().action(c, value)
        _, _, items, claimed = self._tally(c, value)
        return 1, f"{c['label']}（还差{c['n'] - items - claimed}项）"

    @staticmethod
    def _tally(c, selected) -> tuple[list, list, int, int]:
        """The answers that count, those that claim 其他同等层次条件, the distinct items met, and
        the one item the claims add (其他同等层次条件 is one item of the list)."""
        counted = [e for e in c["counts"] if e["value"] in selected]
        claims = [e for e in c["equivalent"] if e["value"] in selected]
        return counted, claims, len({e["item"] for e in counted}), 1 if claims else 0

    def guide_text(self, c, label):
        return f"至少{c['n']}项" + ("（含同等层次时需评审）" if c["equivalent"] else "")


@operator
class University(Operator):
    name = "university"
    params = {"flags": {"type": "array", "items": {"enum": sorted(FLAG_LABELS)}}}
    self_describing = True
    guide_words = "按院校名单判断"

    def check_choices(self, c, q, allowed, require):
        require(set(c["flags"]) <= set(FLAG_LABELS), f"flags not among {sorted(FLAG_LABELS)}")

    def evaluate(self, c, name, ev):
        found = lookup(name)
        wanted = "或".join(FLAG_LABELS[f] for f in c["flags"])
        not_on = "不在" + "、".join(LIST_NAMES[f] for f in c["flags"]) + "上"
        if found.status == "ambiguous":
            return Outcome(c, UNANSWERED, lambda: (f"毕业院校：{name}",
                                                   f"校名不唯一，请填写毕业证上的全称（{found.note}）"))
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


@operator
class Review(Operator):
    """Decided by the experts only (e.g. 一事一议): always 需评审."""

    name = "review"
    params = {"reason": STRING}
    reads_answer = False
    guide_badge = ("需评审", "review")
    guide_words = "须由评审认定"

    def evaluate(self, c, value, ev):
        return Outcome(c, REVIEW, lambda: ("", c["reason"]))


class Group(Operator):
    """A criterion made of others (`of`), combined all-of or any-of."""

    params = {"of": STRINGS}
    reads_answer = False
    group = True
    needs_every: ClassVar[bool]  # all of its parts (else one of them): combine_all, else combine_any
    reasons: ClassVar[dict[str, str]]  # verdict → reason; {names} = the children with that verdict

    def check(self, c, criteria, require):
        super().check(c, criteria, require)
        for child in c["of"]:
            require(child in criteria, f"unknown criterion {child!r}")

    def fields(self, c, criteria):
        return set().union(*(OPERATORS[criteria[x]["op"]].fields(criteria[x], criteria) for x in c["of"]))

    def evaluate(self, c, value, ev):
        children = [ev.outcome(x) for x in c["of"]]
        verdict = (combine_all if self.needs_every else combine_any)(o.verdict for o in children)

        def explain():
            parts = [_leaf_text(leaf) for leaf in leaves(c, ev)]
            names = "、".join(o.criterion["label"] for o in children if o.verdict == verdict)
            return "；".join(parts), self.reasons[verdict].format(names=names)
        return Outcome(c, verdict, explain)


@operator
class AllOf(Group):
    name = "all"
    needs_every = True
    reasons = {MET: "各项均符合", REVIEW: "需评审：{names}", UNANSWERED: "待补充：{names}",
               NOT_MET: "未满足：{names}"}
    guide_hint = "以下各项均须满足"
    guide_words = "各项均须满足"


@operator
class AnyOf(Group):
    name = "any"
    needs_every = False
    reasons = {MET: "满足其一：{names}", REVIEW: "需评审：{names}", UNANSWERED: "待补充：{names}",
               NOT_MET: "所列情形均不满足"}
    guide_hint = "满足以下任一项即可"
    guide_words = "满足任一项即可"


def leaves(c: dict, ev) -> list[Outcome]:
    """The leaf outcomes under a group, in order, each once."""
    out = []
    for child in c["of"]:
        o = ev.outcome(child)
        for leaf in leaves(o.criterion, ev) if OPERATORS[o.criterion["op"]].group else [o]:
            if leaf not in out:
                out.append(leaf)
    return out


def _leaf_text(o: Outcome) -> str:
    values, _ = o.explained
    verdict = VERDICT_LABELS[o.verdict]
    if OPERATORS[o.criterion["op"]].self_describing and o.verdict != UNANSWERED:
        return f"{values}（{verdict}）"
    return f"{o.criterion['label']}：{verdict}" + (f"（{values}）" if values else "")


def criterion_schema(citation: dict) -> dict:
    """JSON Schema of any compiled criterion (`checker.policy.load()`): one of the operators'
    schemas, `citation` being the schema of a resolved citation."""
    def fill(node):
        if node == CITATION:
            return citation
        if isinstance(node, dict):
            return {k: fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        return node
    return {"oneOf": [fill(op.schema()) for op in OPERATORS.values()]}
