"""The single JSON bridge the browser calls: handle_json(request) -> response, never raises for bad input."""

from __future__ import annotations

import json

from checker.engine import evaluate
from checker.errors import ValidationError, json_error_text
from checker.profile import parse_date

_KEYS = {"profile", "as_of"}


def _fail(errors: list[dict]) -> str:
    return json.dumps({"ok": False, "errors": errors}, ensure_ascii=False)


def handle_json(request: str) -> str:
    """Request {"profile": {...}, "as_of": "YYYY-MM-DD"?} → {"ok": true, "result"} | {"ok": false, "errors"}."""
    try:
        data = json.loads(request)
    except (TypeError, ValueError, RecursionError) as exc:
        return _fail([{"field": "request", "message": f"不是有效的 JSON：{json_error_text(exc)}"}])
    if not isinstance(data, dict):
        return _fail([{"field": "request", "message": "应为 JSON 对象 {\"profile\": {...}}"}])
    errors = [{"field": k, "message": "未知字段（只接受 profile 和 as_of）"} for k in data if k not in _KEYS]
    if "profile" not in data:
        errors.append({"field": "profile", "message": "必填"})
    as_of = None
    if data.get("as_of") is not None:
        as_of = parse_date(data["as_of"], "as_of", errors)
    if errors:
        return _fail(errors)
    try:
        result = evaluate(data["profile"], as_of=as_of)  # None: today
    except ValidationError as exc:
        return _fail(exc.errors)
    return json.dumps({"ok": True, "result": result.to_dict()}, ensure_ascii=False)
