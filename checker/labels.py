"""Label templates: a label that states a value of the data names it instead of typing it again.

    label = "原则上不超过{limit}周岁"                      # the entry's own limit, in force that day
    label = "近5年业绩显著，具备所列任意{n:zh}项条件"       # 三项 / 两项: a count in Chinese numerals
    label = "工作{a_affiliated_years.min}年以上且……"       # a group names a value of its parts

A field is a key of the entry itself (after the dated values are resolved), `<criterion id>.<key>`
for a criterion of the same measure, or `amounts.<tier>`. Format specs: `zh` (Chinese numeral as
counts are written: 两 for 2) and `yuan` (50万元, 500元). Texts without braces are left as they are.
"""

from __future__ import annotations

import string

from checker.citation import chinese_numeral
from checker.errors import RuleDataError
from checker.amounts import yuan_text

TEMPLATE_KEYS = ("label", "condition", "text")  # the texts of an entry that may be templates


def count_numeral(n: int) -> str:
    """How the measures write a count before a measure word: 两项, 三项."""
    return "两" if n == 2 else chinese_numeral(n)


class _Formatter(string.Formatter):
    def get_field(self, field_name, args, kwargs):
        value = kwargs
        for part in field_name.split("."):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(field_name)
            value = value[part]
        return value, field_name

    def format_field(self, value, format_spec):
        if format_spec == "zh":
            return count_numeral(value)
        if format_spec == "yuan":
            return yuan_text(value)
        if format_spec:
            raise ValueError(f"unknown format {format_spec!r} (known: zh, yuan)")
        return str(value)


_FORMATTER = _Formatter()


def render(template: str, fields: dict, where: str) -> str:
    """The text of a template with its fields filled in; RuleDataError names `where` on a bad field."""
    if "{" not in template and "}" not in template:
        return template
    try:
        return _FORMATTER.format(template, **fields)
    except KeyError as exc:
        raise RuleDataError(f"{where}: unknown field {exc.args[0]!r} in {template!r}") from None
    except (ValueError, IndexError, TypeError) as exc:
        raise RuleDataError(f"{where}: {exc} in {template!r}") from None


def render_entry(entry: dict, where: str, criteria: dict | None = None) -> dict:
    """A copy of an entry whose template texts are filled from its own values (and, by id, from
    the criteria of its measure)."""
    fields = {**(criteria or {}), **entry}
    return {k: render(v, fields, f"{where}.{k}") if k in TEMPLATE_KEYS and isinstance(v, str) else v
            for k, v in entry.items()}
