"""The result in plain words: tier and verdict, money per year, obligations, what gets further.

`build(result)` is the `summary` of `Result.to_dict()`; the page, the print view, the CLI text
and the batch report display it and never work any of it out again. Everything comes from the
evaluated result and the rule data (amounts, obligations, procedures); no policy number is typed
here. `yuan_text` (checker/amounts.py) is the one way an amount is written for a reader.

Readings (see README): 教研/科研资助 (kind on_application) is money a project applies for and is
paid against expenses after review, not income, so it is kept apart from what the person is
paid. A programme none of whose tiers is open to the chosen situation (its path criterion
fails) is 不适用, not 不符合.
"""

from __future__ import annotations

from checker import money as money_mod
from checker.amounts import yuan_text
from checker.benefit_kinds import KINDS
from checker.operators import OPERATORS
from checker.questions import by_id
from checker.verdicts import MET, NOT_MET, REVIEW, UNANSWERED, VERDICT_LABELS
NOT_APPLICABLE, NOT_APPLICABLE_LABEL = "not_applicable", "不适用"
INFINITE = float("inf")
PATH_FIELD = "situation"  # the question whose `in` criteria say which path a tier belongs to
NO_PROCEDURE_TEXT = "向用人单位了解申报和引进安排"  # a tier on a path no procedure article names


# --- which programmes apply, which tier is next ----------------------------------------------

def _off_path(tier) -> bool:
    """A tier is off the chosen path when its path criterion (调入 / 应届 / 柔性 / 区内) fails."""
    return any(o.verdict == NOT_MET and o.criterion.get("op") == "in" and o.criterion.get("field") == PATH_FIELD
               for o in tier.outcomes)


def _applies(programme) -> bool:
    return not all(_off_path(t) for t in programme.tiers)


def _applying(result) -> list:
    """The programmes open to the chosen path (all of them when none is)."""
    return [p for p in result.programmes if _applies(p)] or list(result.programmes)


def _actions(tier, outcome) -> tuple[float, list[dict]]:
    """(cost, actions) that would turn one criterion into met: the cheapest alternative of an
    any-of, every missing part of an all-of; a hard limit (age, path) cannot be acted on."""
    c = outcome.criterion
    if outcome.verdict in (MET, REVIEW):
        return 0, []
    op = OPERATORS[c["op"]]
    if op.group:
        parts = [_actions(tier, tier.outcome(child)) for child in c["of"]]
        if op.needs_every:
            return sum(p[0] for p in parts), [a for p in parts for a in p[1]]
        return min(parts, key=lambda p: p[0])
    action = {"criterion": c["id"], "citation": c["citation"].to_dict()}
    if outcome.verdict == UNANSWERED:
        field = c.get("field")
        label = by_id()[field]["label"] if field in by_id() else c["label"]
        return 1, [{**action, "kind": "answer", "text": f"请回答：{label}"}]
    step = op.action(c, tier.answer(c.get("field", "")))
    if step is None:  # a hard limit (age, path)
        return INFINITE, []
    cost, text = step
    return cost, [{**action, "kind": "meet", "text": text}]


def _tier_actions(tier) -> tuple[float, list[dict]]:
    cost, actions = 0, []
    for o in tier.outcomes:
        c, a = _actions(tier, o)
        cost += c
        actions += [x for x in a if x not in actions]
    return cost, actions


def _target(programme):
    """The tier worth aiming at on the chosen path: the nearest reachable one above the tier
    reached; with none reached, the one needing fewest steps (the lower one on a tie)."""
    tiers = programme.tiers
    reached = tiers.index(programme.highest) if programme.highest else len(tiers)
    candidates = []
    for index, t in enumerate(tiers[:reached]):
        if _off_path(t) or t.verdict in (MET, REVIEW):
            continue
        cost, actions = _tier_actions(t)
        if cost != INFINITE and actions:
            candidates.append((index, cost, t, actions))
    if not candidates:
        return None
    if programme.highest:
        _, _, tier, actions = candidates[-1]
    else:
        _, _, tier, actions = min(candidates, key=lambda c: (c[1], -c[0]))
    return tier, actions


# --- money -------------------------------------------------------------------------------

def _benefit_value(b) -> int | None:
    """What one benefit is worth at a tier: its total, or per month when paid by time."""
    return b.amount if b.spec.by_time else b.total


def _gain(rules: dict, programme, target, answers: dict) -> list[dict]:
    """How much more (per benefit) the target tier gives than the tier reached (or than nothing)."""
    now = {b.entry["id"]: b for b in programme.benefits}
    gains = []
    for b in money_mod.benefits_for(rules, programme.programme["id"], target.tier["id"], answers):
        value = _benefit_value(b)
        if value is None:
            continue
        before = _benefit_value(now[b.entry["id"]]) if b.entry["id"] in now else 0
        more = value - (before or 0)
        if more <= 0:
            continue
        monthly = b.spec.by_time
        project = b.spec.project
        text = f"{b.entry['name']}{'每月' if monthly else ''}{'多' if before else ''}{yuan_text(more)}"
        if project:
            text += "（项目经费，按需申请）"
        gains.append({"benefit": b.entry["id"], "name": b.entry["name"], "difference": more,
                      "per_month": monthly, "project": project, "text": text})
    return sorted(gains, key=lambda g: g["project"])  # money paid to the person first


def _split_options(rules: dict, money: dict) -> list[dict]:
    """While the employer type is not answered (it is optional): the split for each type."""
    out = []
    for s in money["split"]:
        if s["employer_percent"] is not None:
            continue
        total = sum(i["total"] or 0 for i in money["items"] if i["programme"] == s["programme"])
        for f in rules["funding"]:
            if s["programme"] in f["programmes"] and f["when"]:
                employer, fund = money_mod.split_amount(total, f["employer_percent"])
                out.append({"programme": s["programme"], "label": f["label"], "employer": employer,
                            "fund": fund, "citation": f["citation"].to_dict(),
                            "text": f"用人单位{yuan_text(employer)}，区人才专项资金{yuan_text(fund)}"})
    return out


def _money(rules: dict, d: dict, money: dict | None, scenario) -> dict | None:
    """The money lines of one money dict of the result (firm, or after a favourable review) and
    the checker.money.Money it comes from."""
    if not money or not money["items"]:
        return None
    kinds = {i["benefit"]: KINDS[i["kind"]] for i in money["items"]}
    income = money_mod.income(b for _, b in scenario.items())
    personal_total = sum(i["total"] or 0 for i in money["items"]
                         if not (kinds[i["benefit"]].project or kinds[i["benefit"]].by_time))
    lines = []
    if income.per_year is not None:
        lines.append(f"每年约{yuan_text(income.per_year)}（税前）")
    names = "、".join(dict.fromkeys(i["name"] for i in money["items"]
                                    if not kinds[i["benefit"]].project and i["total"]))
    if personal_total:
        span = f"{income.years}年" if income.years else ""
        lines.append(f"{span}合计{yuan_text(personal_total)}（{names}）")
    by_time = []
    for p in d["programmes"]:
        for b in p["benefits"]:
            if KINDS[b["kind"]].by_time and any(i["benefit"] == b["id"] for i in money["items"]):
                by_time.append(f"{b['name']}每月{yuan_text(b['amount'])}，按实际在合工作月数发放")
    lines += by_time
    project = [i for i in money["items"] if kinds[i["benefit"]].project]
    project_total = sum(i["total"] or 0 for i in project)
    if project:
        lines.append("另可申请" + "、".join(f"{i['name']}{yuan_text(i['total'])}" for i in project)
                     + "（项目经费，按需申请、经评审拨付，不是个人收入）")
    totals = money["totals"]
    return {
        "per_year": income.per_year,
        "years": income.years or 0,
        "personal_total": personal_total,
        "project_total": project_total,
        "lines": lines,
        "items": [{"benefit": i["benefit"], "name": i["name"], "total": i["total"],
                   "project": kinds[i["benefit"]].project,
                   "text": yuan_text(i["total"])} for i in money["items"]],
        "totals_text": {k: yuan_text(v) for k, v in totals.items() if isinstance(v, int) and not isinstance(v, bool)},
        "yearly_text": [{"year": y["year"], "text": yuan_text(y["total"]),
                         "amounts": {k: yuan_text(v) for k, v in y["amounts"].items()}} for y in money["yearly"]],
        "split_text": [_split_text(s) for s in money["split"]],
        "split_options": _split_options(rules, money),
    }


def _split_text(s: dict) -> str:
    if s["employer_percent"] is None:
        return "未填写用人单位类型：下面分别列出各类单位的资金分担"
    return (f"用人单位{s['employer_percent']}%（{yuan_text(s['employer'])}），"
            f"区人才专项资金{s['fund_percent']}%（{yuan_text(s['fund'])}）")


# --- obligations, next step --------------------------------------------------------------

def _obligations(result, d: dict) -> dict | None:
    """One line from the `obligation` phrases of the benefits paid and the notes shown."""
    rules = result._rules
    items = []
    paid = {i["benefit"] for key in ("money", "money_if_review") for i in (d.get(key) or {}).get("items", [])}
    for b in rules["benefits"]:
        if b.get("obligation") and b["id"] in paid:
            items.append({"id": b["id"], "text": b["obligation"], "citation": b["citation"].to_dict()})
    shown = {n["id"] for n in d["notes"]}
    for n in rules["notes"]:
        if n.get("obligation") and n["id"] in shown:
            items.append({"id": n["id"], "text": n["obligation"], "citation": n["citation"].to_dict()})
    items.sort(key=lambda i: _article_order(i["citation"]))
    if not items:
        return None
    return {"items": items, "text": "；".join(i["text"] for i in items)}


def _article_order(citation: dict) -> tuple:
    """Text order of a citation: article, then item (anchor "article-8-1")."""
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in citation["anchor"].split("-")[1:])


def _next_step(rules: dict, programme_id: str, tier_id: str, situation: str | None) -> dict | None:
    """The procedure the rule data sends this programme's tier on this path through (notes with
    `procedure`, `tiers` and optionally `situations`): a senior doctor at D is no campus recruit."""
    for n in rules["notes"]:
        if not (n.get("procedure") and programme_id in n["programmes"] and tier_id in n.get("tiers", ())):
            continue
        if situation in n.get("situations", (situation,)):
            return {"procedure": n["procedure"], "note": n["id"], "text": n["text"],
                    "citation": n["citation"].to_dict()}
    return None


# --- the summary -------------------------------------------------------------------------

def _programme_line(p, applies: bool) -> dict:
    if not applies:
        status, label = NOT_APPLICABLE, NOT_APPLICABLE_LABEL
    else:
        status, label = p.verdict, VERDICT_LABELS[p.verdict]
    tier = p.highest
    if not applies:
        text = f"{p.programme['name']}：不适用于所选情况"
    elif tier:
        text = f"{p.programme['name']}：{tier.tier['name']}（{label}）"
    elif p.verdict == UNANSWERED:
        text = f"{p.programme['name']}：还需补充回答"
    else:
        text = f"{p.programme['name']}：暂未达到任何层次"
    return {"id": p.programme["id"], "name": p.programme["name"], "applies": applies, "status": status,
            "status_label": label, "tier": tier.tier["id"] if tier else None,
            "tier_name": tier.tier["name"] if tier else None, "text": text}


def next_tiers(result) -> list[dict]:
    """Per programme open to the chosen path: the next tier, the actions it takes, what it adds."""
    return next_tiers_of(result, _applying(result))


def next_tiers_of(result, applying: list) -> list[dict]:
    out = []
    for p in applying:
        target = _target(p)
        if target is None:
            continue
        tier, actions = target
        gains = _gain(result._rules, p, tier, result.answers)
        value = "，".join(g["text"] for g in gains)
        wanted = "；".join(a["text"] for a in actions)
        text = f"{wanted} → {tier.tier['name']}" + (f"，{value}" if value else "")
        out.append({"programme": p.programme["id"], "from_tier": p.highest.tier["id"] if p.highest else None,
                    "tier": tier.tier["id"], "tier_name": tier.tier["name"], "actions": actions,
                    "gain": gains, "text": text})
    return out


def build(result, d: dict) -> dict:
    """The summary of a Result (`d` is its to_dict() without the summary)."""
    rules = result._rules
    applying = _applying(result)
    programmes = [_programme_line(p, p in applying) for p in result.programmes]
    main = next((p for p in applying if p.highest), None)

    if main is None:
        main_line = None
        if any(p.verdict == UNANSWERED for p in applying):
            headline = "还需补充回答，才能判断您可能属于哪一层次"
        else:
            headline = "按您的回答，暂未达到任何层次"
    else:
        line = next(x for x in programmes if x["id"] == main.programme["id"])
        firm = main.firm if main.firm is not main.highest else None
        main_line = {"programme": line["id"], "programme_name": line["name"], "tier": line["tier"],
                     "tier_name": line["tier_name"], "verdict": main.verdict, "verdict_label": line["status_label"]}
        if main.verdict == MET:
            headline = f"您可能属于{line['tier_name']}（符合）"
        else:
            headline = f"您可能属于{line['tier_name']}（需评审，由专家评审认定）"
            if firm:
                headline += f"；可以确定的是{firm.tier['name']}"

    next_tiers = next_tiers_of(result, applying)

    step = None
    if main is not None:
        step = _next_step(rules, main.programme["id"], main.highest.tier["id"], result.situation)
    elif next_tiers:
        step = _next_step(rules, next_tiers[0]["programme"], next_tiers[0]["tier"], result.situation)

    money = _money(rules, d, d["money"], result.money)
    review = _money(rules, d, d.get("money_if_review"), result.money_if_review)
    if review:
        tiers = "、".join(b["tier_name"] for b in d["money_if_review"]["basis"])
        review["tiers"] = tiers
        review["text"] = f"如评审认定为{tiers}：" + "，".join(review["lines"][:2])
    if money is None and review:
        money = {**{k: v for k, v in review.items() if k not in ("tiers", "text")}, "lines": [review["text"]],
                 "firm": False}
    elif money:
        money["firm"] = True
        if review:
            money["lines"].append(review["text"])
    obligations = _obligations(result, d)
    lines = [headline]
    lines += [x["text"] for x in programmes if x["applies"] and x["id"] != (main_line or {}).get("programme")]
    if money:
        lines += money["lines"]
    if obligations:
        lines.append(f"须知：{obligations['text']}")
    lines += [f"更进一步：{n['text']}" for n in next_tiers]
    if step is None and main is not None:
        step = {"procedure": None, "note": None, "text": NO_PROCEDURE_TEXT, "citation": None}
    if step:
        lines.append(f"下一步：{step['procedure'] or step['text']}")
    return {"headline": headline, "main": main_line, "programmes": programmes, "money": money,
            "obligations": obligations, "next_tiers": next_tiers, "next_step": step, "lines": lines}
