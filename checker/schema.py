"""The JSON Schema of a profile, generated from the questions (one source of truth)."""

from __future__ import annotations

from checker.profile import DATE_PATTERN, MAX_TEXT
from checker.questions import questions


def _property(q: dict) -> dict:
    kind = q["type"]
    values = [c["value"] for c in q.get("choices", [])]
    if kind == "choice":
        schema = {"type": ["string", "null"], "enum": values + [None]}
    elif kind == "multi":
        schema = {"type": ["array", "null"], "items": {"enum": values}, "uniqueItems": True}
    elif kind == "bool":
        schema = {"type": ["boolean", "null"]}
    elif kind == "date":
        schema = {"type": ["string", "null"], "format": "date", "pattern": DATE_PATTERN}
    elif kind == "int":
        schema = {"type": ["integer", "null"]}
        if "min" in q:
            schema["minimum"] = q["min"]
        if "max" in q:
            schema["maximum"] = q["max"]
    else:
        schema = {"type": ["string", "null"], "maxLength": MAX_TEXT}
    return {"title": q["label"], "description": q["help"], **schema}


def profile_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "合川区人才政策自测：回答（profile）",
        "description": "{问题编号: 回答}；缺省或 null 表示未回答。未知字段会被拒绝。",
        "type": "object",
        "properties": {q["id"]: _property(q) for q in questions()},
        "required": ["measure"],
        "additionalProperties": False,
    }
