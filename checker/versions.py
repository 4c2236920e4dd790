"""The versions of a measure's text (policy/): which one is in force on a day, and its checksum.

Declared by the `versions` key of the `[measure]` table of rules/<measure>.toml, oldest first:

    versions = [
      { since = "publication", checksum = "1a2b3c4d" },
      { since = "2027-03-01", checksum = "5e6f7a8b", title = "合川区教育人才引进培养办法" },
    ]

The last version is policy/<measure>.txt, the text in force; each earlier one stays as
policy/<measure>.before-<the next version's since>.txt. A version holds from its `since`
(inclusive) until the next one's. `since = "publication"` (the first version only): in force from
the measure's publication, a date the text does not give (本办法自发布之日起实施), so no as-of date
is too early for it; with a date, an as-of date before the first version is rejected.
`checksum` is the CRC-32 of the file's bytes: the checker's wheel does not ship the text, so the
data records it, and tests/test_checker_versions.py fails (printing the new one) when the file
changes. `title` only where a version's title is not the measure's current one.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from functools import cache

from checker import _data, dated
from checker.citation import MEASURES
from checker.errors import RuleDataError, ValidationError

PUBLICATION = "publication"
VERSION_KEYS = frozenset({"since", "checksum", "title"})


@dataclass(frozen=True)
class TextVersion:
    measure: str
    since: dt.date | None  # None: from publication (no date in the text)
    until: dt.date | None  # the next version's since (exclusive); None: in force now
    checksum: str
    title: str

    @property
    def current(self) -> bool:
        return self.until is None

    @property
    def file(self) -> str:
        """Its file under policy/."""
        return f"{self.measure}.txt" if self.current else f"{self.measure}.before-{self.until.isoformat()}.txt"

    @property
    def since_text(self) -> str:
        return "自发布之日起实施" if self.since is None else f"自 {self.since.isoformat()} 起施行"

    def to_dict(self) -> dict:
        return {"since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "current": self.current, "file": self.file, "checksum": self.checksum, "title": self.title,
                "since_text": self.since_text}


def checksum_of(data: bytes) -> str:
    """The checksum recorded for a text file (CRC-32, as for the rule data: no hashlib in the 自测)."""
    return f"{zlib.crc32(data):08x}"


def _fail(measure: str, where: str, what: str):
    raise RuleDataError(f"rules/{measure}.toml, measure.versions{where}: {what}")


@cache
def text_versions(measure: str) -> tuple[TextVersion, ...]:
    """The versions of the measure's text, oldest first (the last is in force)."""
    if measure not in MEASURES:
        raise KeyError(measure)
    declared = _data.toml(f"{measure}.toml").get("measure", {}).get("versions")
    if not isinstance(declared, list) or not declared:
        _fail(measure, "", "missing: a list of {since, checksum} tables, oldest first")
    starts: list[dt.date | None] = []
    for i, v in enumerate(declared):
        if not isinstance(v, dict) or v.keys() - VERSION_KEYS:
            _fail(measure, f"[{i}]", f"a table with the keys {', '.join(sorted(VERSION_KEYS))}")
        since = v.get("since")
        if since == PUBLICATION and i == 0:
            starts.append(None)
            continue
        day = dated.iso_date(since)
        if day is None:
            _fail(measure, f"[{i}].since", f"a date \"YYYY-MM-DD\" (or \"{PUBLICATION}\" for the first), not {since!r}")
        if starts and starts[-1] is not None and day <= starts[-1]:
            _fail(measure, f"[{i}].since", f"{day} is not after the version before it")
        starts.append(day)
    for i, v in enumerate(declared):
        if not (isinstance(v.get("checksum"), str) and len(v["checksum"]) == 8):
            _fail(measure, f"[{i}].checksum", "the 8-digit checksum of the text file (a test prints it)")
    return tuple(TextVersion(measure, starts[i], starts[i + 1] if i + 1 < len(starts) else None,
                             v["checksum"], v.get("title", MEASURES[measure]))
                 for i, v in enumerate(declared))


def in_force(measure: str, as_of: dt.date) -> TextVersion:
    """The version of the text in force on `as_of`; an as-of date before the first version is rejected."""
    versions = text_versions(measure)
    first = versions[0].since
    if first is not None and as_of < first:
        raise ValidationError([{"field": "as_of", "message": f"评估日期 {as_of.isoformat()} 早于《{versions[0].title}》"
                                                             f"的施行日期 {first.isoformat()}，无法评估"}])
    return next(v for v in reversed(versions) if v.since is None or v.since <= as_of)
