"""Look a university up by name: the flag table (data/universities.csv), the aliases
(data/university_aliases.csv: campuses, old names, short names, ambiguous names) and the full MOE
lists (data/moe_institutions.csv, data/moe_former_names.csv) that tell a correctly spelled
ordinary institution from a name no list holds.

Names are matched exactly after normalising spaces and brackets, never by substring: an
independent college such as 南京大学金陵学院 is an institution of its own, not 南京大学.
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
# The lists the flags stand for, named as a reason says which list a school is not on.
LIST_NAMES = {
    "is_985": "“985工程”高校名单",
    "is_211": "“211工程”高校名单",
    "is_double_first_class": "“双一流”建设高校名单",
    "is_moe_normal": "教育部直属师范大学名单（6所）",
    "is_medical": "医学类院校名单",
}
MOE_LIST = "教育部《全国高等学校名单》"
MOE_FORMER_LIST = "2017年教育部《全国高等学校名单》（旧校名）"
SUGGESTED_LEVEL = "本科"  # D/E need 本科 or above: the form suggests these names, the checker knows all


@dataclass(frozen=True)
class Lookup:
    """status: found (in the flag table, by name or alias) | branch (a campus mapped to its
    university) | listed (on an MOE list, not in the flag table: no flag) | ambiguous | unknown.
    `listed_on` names the MOE list a `listed` name is on."""

    status: str
    name: str | None = None
    flags: frozenset = frozenset()
    note: str = ""
    listed_on: str = ""


def normalise(name: str) -> str:
    table = str.maketrans({"(": "（", ")": "）", " ": None, "\u3000": None, "\t": None})
    return name.translate(table).strip()


@cache
def _tables() -> tuple[dict, dict, dict, dict]:
    rows = {r["name"]: frozenset(k for k in FLAG_LABELS if r[k] == "true") for r in _data.csv_rows("universities.csv")}
    aliases = {normalise(r["alias"]): r for r in _data.csv_rows("university_aliases.csv")}
    moe = {r["name"]: r for r in _data.csv_rows("moe_institutions.csv")}
    former = {r["former_name"]: r["current_name"] for r in _data.csv_rows("moe_former_names.csv")}
    return rows, aliases, moe, former


def _found(name: str, note: str = "") -> Lookup:
    rows, _, moe, _ = _tables()
    if name in rows:
        return Lookup("found", name, rows[name], note)
    if name in moe:
        return Lookup("listed", name, note=note, listed_on=MOE_LIST)
    return Lookup("unknown")


@cache
def lookup(query: str) -> Lookup:
    rows, aliases, moe, former = _tables()
    name = normalise(query)
    if name in rows or name in moe:
        return _found(name)
    alias = aliases.get(name)
    if alias is not None:
        official = alias["official_name"]
        if not official:
            return Lookup("ambiguous", note=alias["note"])
        if alias["kind"] == "branch_campus":
            return Lookup("branch", official, rows.get(official, frozenset()), alias["note"])
        return _found(official, alias["note"])
    if name in former:
        current = former[name]
        if current:
            return _found(current, "旧校名")
        return Lookup("listed", name, note="已合并或停办", listed_on=MOE_FORMER_LIST)
    return Lookup("unknown")


@cache
def suggestions() -> tuple[str, ...]:
    """Names the form offers as the person types: every 本科 institution of the MOE list, the
    flag table and the aliases that name one institution (campuses, old and short names)."""
    rows, aliases, moe, _ = _tables()
    names = set(rows) | {n for n, r in moe.items() if r["level"] == SUGGESTED_LEVEL}
    names |= {a for a, r in aliases.items() if r["official_name"]}
    return tuple(sorted(names))
