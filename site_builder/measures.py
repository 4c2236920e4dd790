"""How the site speaks of the measures as a group, and of a note by the role it plays.

Everything comes from the rule files' `[measure]` tables (checker/measures.py), so a third
measure's rule file is all the site needs to name it: 教育、卫生与科技, 三项办法, 三个办法对照.
"""

from __future__ import annotations

from checker.citation import MEASURE_SHORT_NAMES
from checker.labels import count_numeral


def joined(words, last: str = "和") -> str:
    """甲和乙; 甲、乙和丙: a list as a sentence names it (`last` joins the last two)."""
    words = list(words)
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + last + words[-1]


def compare_title() -> str:
    """The comparison page's title in the nav and in links to it: 两个办法对照."""
    return f"{count_numeral(len(MEASURE_SHORT_NAMES))}个办法对照"


def text_name(measure: str) -> str:
    """教育人才引进培养办法: the measure named without the district and （试行）."""
    return f"{MEASURE_SHORT_NAMES[measure]}人才引进培养办法"


def role_note(rules: dict, role: str) -> dict | None:
    """The note that plays `role` (checker.measures.NOTE_ROLES) in a measure, if it names one."""
    note_id = rules["description"]["notes"].get(role)
    return next((n for n in rules["notes"] if n["id"] == note_id), None) if note_id else None


def role_programme(rules: dict, role: str) -> dict | None:
    """The programme that plays `role` (checker.measures.PROGRAMME_ROLES) in a measure, if it names one."""
    programme_id = rules["description"]["programmes"].get(role)
    return next((p for p in rules["programmes"] if p["id"] == programme_id), None) if programme_id else None
