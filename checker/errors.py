"""The errors of the checker: invalid input (listing every bad field), and broken rule data."""

from __future__ import annotations

import json


class ValidationError(ValueError):
    """Raised for any bad input; `.errors` is a list of {"field": path, "message": reason}."""

    def __init__(self, errors: list[dict]) -> None:
        self.errors = [{"field": str(e["field"]), "message": str(e["message"])} for e in errors]
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in self.errors))


class RuleDataError(Exception):
    """The package's own rule data is inconsistent (a typo in rules/*.toml): a bug, not bad input."""


def json_error_text(exc: Exception) -> str:
    """Where a JSON text is broken, in Chinese (the json module's own message is English)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"第 {exc.lineno} 行第 {exc.colno} 列有误"
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 编码"
    if isinstance(exc, RecursionError):
        return "嵌套层数过多"
    if isinstance(exc, TypeError):
        return "应为 JSON 文本"
    return "无法解析（例如数字过长）"


ERRORS_SHOWN = 10  # a message lists the first errors, then how many more: huge input, short output
ERROR_CHARS = 200  # one error's text at most (a message may quote a long bad value)


def error_lines(errors: list[dict], shown: int = ERRORS_SHOWN) -> list[str]:
    """"field: message" for the first `shown` errors, each cut to ERROR_CHARS, then the count of the rest."""
    lines = []
    for e in errors[:shown]:
        line = f"{e['field']}: {e['message']}"
        lines.append(line if len(line) <= ERROR_CHARS else line[:ERROR_CHARS - 1] + "…")
    if len(errors) > shown:
        lines.append(f"……另有 {len(errors) - shown} 处错误")
    return lines
