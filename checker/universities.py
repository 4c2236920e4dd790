"""Look a university up by name in data/universities.csv through data/university_aliases.csv.

Names are matched exactly after normalising spaces and brackets, never by substring: an
independent college such as 南京大学金陵学院 is not 南京大学.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from checker import _data

FLAG_LABELS = {
    "is_985": "985",
    "is_211": "211",
    "is_double_first_class": "双一流",
    "is_moe_normal": "教育部直属师范大学",
    "is_medical": "医学类",
}


@dataclass(frozen=True)
class Lookup:
    """status: found | branch (a campus mapped to its university) | ambiguous | unknown."""

    status: str
    name: str | None = None
    flags: frozenset = frozenset()
    note: str = ""


def normalise(name: str) -> str:
    table = str.maketrans({"(": "（", ")": "）", " ": None, "\u3000": None, "\t": None})
    return name.translate(table).strip()


@cache
def _tables() -> tuple[dict, dict]:
    rows = {r["name"]: frozenset(k for k in FLAG_LABELS if r[k] == "true") for r in _data.csv_rows("universities.csv")}
    aliases = {normalise(r["alias"]): r for r in _data.csv_rows("university_aliases.csv")}
    return rows, aliases


@cache
def lookup(query: str) -> Lookup:
    rows, aliases = _tables()
    name = normalise(query)
    if name in rows:
        return Lookup("found", name, rows[name])
    alias = aliases.get(name)
    if alias is None:
        return Lookup("unknown")
    official = alias["official_name"]
    if not official:
        return Lookup("ambiguous", note=alias["note"])
    status = "branch" if alias["kind"] == "branch_campus" else "found"
    return Lookup(status, official, rows.get(official, frozenset()), alias["note"])
