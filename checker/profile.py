"""Validate a profile (flat {question id: answer}) against the questions; list every bad field."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from checker.citation import MEASURE_SHORT_NAMES
from checker.errors import RuleDataError, ValidationError
from checker.questions import by_id, checks, rank, shown_ids

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # also the profile schema's; \d would take full-width digits
MAX_TEXT = 200  # also the profile schema's maxLength
LATEST_YEAR = 9899  # a schedule runs a few years from start_date: its months must keep four-digit years
_DATE = re.compile(DATE_PATTERN)


def parse_date(value, field: str, errors: list) -> dt.date | None:
    if not isinstance(value, str) or not _DATE.match(value):
        errors.append({"field": field, "message": f"应为 YYYY-MM-DD 格式的日期，收到 {value!r}"})
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append({"field": field, "message": f"不存在的日期：{value}"})
        return None


@cache
def _allowed(question_id: str) -> tuple:
    return tuple(c["value"] for c in by_id()[question_id].get("choices", []))


def _check(q: dict, value, errors: list):
    """Return the normalised answer, or append an error. None means not answered."""
    field, kind = q["id"], q["type"]
    allowed = _allowed(field)
    if kind == "choice":
        if not isinstance(value, str) or value not in allowed:
            errors.append({"field": field, "message": f"应为以下之一：{', '.join(allowed)}；收到 {value!r}"})
            return None
        return value
    if kind == "multi":
        if not isinstance(value, list):
            errors.append({"field": field, "message": "应为取值列表（多选）"})
            return None
        ok, seen = True, set()  # linear in the length of the list, however long
        for i, item in enumerate(value):
            if not isinstance(item, str) or item not in allowed:
                errors.append({"field": f"{field}[{i}]",
                               "message": f"应为以下之一：{', '.join(allowed)}；收到 {item!r}"})
                ok = False
            elif item in seen:
                errors.append({"field": f"{field}[{i}]", "message": f"重复的取值：{item}"})
                ok = False
            else:
                seen.add(item)
        return [v for v in allowed if v in seen] if ok else None  # in choice order: deterministic
    if kind == "bool":
        if not isinstance(value, bool):
            errors.append({"field": field, "message": f"应为 true 或 false，收到 {value!r}"})
            return None
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append({"field": field, "message": f"应为整数，收到 {value!r}"})
            return None
        low, high = q.get("min"), q.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            errors.append({"field": field, "message": f"应在 {low} 到 {high} 之间，收到 {value}"})
            return None
        return value
    if kind == "date":
        return parse_date(value, field, errors)
    if kind == "text":
        if not isinstance(value, str):
            errors.append({"field": field, "message": f"应为文字，收到 {value!r}"})
            return None
        if len(value) > MAX_TEXT:
            errors.append({"field": field, "message": f"过长（最多 {MAX_TEXT} 个字符）"})
            return None
        return value.strip() or None
    raise RuleDataError(f"rules/*questions.toml, {field}: unknown question type {kind!r}")


def _position(question_id: str, value) -> int:
    """An answer's size for comparing two questions: the int, or the rank among the choices of
    `question_id` (a value that question lacks, such as 无全日制学历, is the lowest)."""
    if isinstance(value, int):
        return value
    values = _allowed(question_id)
    return rank(question_id, value) if value in values else -1


def _cross_check(clean: dict) -> list[dict]:
    """Answers that contradict each other: one error per pair, on the first field, naming both."""
    shown, questions, errors = shown_ids(clean), by_id(), []
    for c in checks():
        field, other = c["field"], c["not_above"]
        if field in shown and other in shown and field in clean and other in clean:
            if _position(other, clean[field]) > _position(other, clean[other]):
                more = "高于" if questions[field]["type"] == "choice" else "多于"
                errors.append({"field": field, "message": f"“{questions[field]['label']}”不能{more}"
                                                          f"“{questions[other]['label']}”，请核对这两项回答"})
    return errors


def validate(profile, as_of: dt.date) -> dict:
    """Return {question id: normalised answer} for answered questions, or raise ValidationError.

    Unknown fields are rejected. Answers to questions the form would not show (their show_if
    does not hold) are accepted and then ignored by the rules, as the form ignores them.
    """
    if not isinstance(profile, dict):
        raise ValidationError([{"field": "profile", "message": "应为 JSON 对象 {问题编号: 回答}"}])
    questions, errors, clean = by_id(), [], {}
    for key, value in profile.items():
        if not isinstance(key, str) or key not in questions:
            errors.append({"field": str(key), "message": "未知字段（不是自测问题的编号）"})
            continue
        if value is None:
            continue
        answer = _check(questions[key], value, errors)
        if answer is not None:
            clean[key] = answer
    for key in (qid for qid, q in questions.items() if q["type"] == "date"):
        if key in clean and clean[key].year < 1900:
            errors.append({"field": key, "message": "日期早于 1900 年"})
        elif key in clean and clean[key].year > LATEST_YEAR:
            errors.append({"field": key, "message": f"日期晚于 {LATEST_YEAR} 年"})
    if "birth_date" in clean and clean["birth_date"] > as_of:
        errors.append({"field": "birth_date", "message": f"出生日期晚于评估日 {as_of.isoformat()}"})
    if not errors:
        errors += _cross_check(clean)
    if "measure" not in clean and not any(e["field"] == "measure" for e in errors):
        choices = "或".join(MEASURE_SHORT_NAMES.values())
        errors.append({"field": "measure", "message": f"必填：请选择您想了解的办法（{choices}）"})
    if errors:
        raise ValidationError(errors)
    return clean
