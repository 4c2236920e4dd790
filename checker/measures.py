"""The measures: discovered from the rule files that have a `[measure]` table, each checked strictly.

A measure is `rules/<id>.toml` with a `[measure]` table; nothing else lists the measures. The table
holds everything the product says about the measure besides its rules:

    [measure]
    title = "合川区教育人才引进培养办法（试行）"   # the full title, as the text's first line
    short_name = "教育"                          # 教育办法第五条, 教育人才
    order = 1                                    # position among the measures (nav, tables, choices)
    question_prefix = "edu"                      # the measure's own question ids start with edu_
    person = "教师"                              # who it is for: 我是教师 (home page)
    work = "当老师"                              # 来合川当老师、当医生 (home page)
    serves = "学校教师和管理人员"                # 教育人才适用于…… (help of the form's first question)
    preset = "teacher"                           # the 自测 link that preselects it: ?path=teacher
    versions = [{ since = "publication", checksum = "77ef632f" }]   # the text's versions
                                                 # (checked by checker/versions.py)
    [measure.nav]                                # the nav titles of its pages
    text = "教育人才办法全文"                    # the full text at /<id>/
    tiers = "教育人才类别与条件"                 # guide/<id>-tiers, -benefits, -procedures
    benefits = "教育人才待遇"
    procedures = "教育人才办理程序"
    [measure.disclaimer]                         # who interprets the measure, and where it says so
    interpreters = "区委人才办和区教委"
    cite = "24"
    [measure.notes]                              # which note ([[notes]] id) plays which role
    service_commitment = "service_commitment"    # (see NOTE_ROLES; a role may be left out)
    [measure.programmes]                         # which programme ([[programmes]] id) plays which role
    introduction = "introduction"                # (see PROGRAMME_ROLES; a role may be left out)

A file or key that breaks this raises RuleDataError naming the file and the key.
"""

from __future__ import annotations

from checker import _data
from checker.errors import RuleDataError

# key → type; every key is required.
KEYS = {"title": str, "short_name": str, "order": int, "question_prefix": str, "person": str, "work": str,
        "serves": str, "preset": str, "nav": dict, "disclaimer": dict, "notes": dict, "programmes": dict,
        "versions": list}
NAV_KEYS = ("text", "tiers", "benefits", "procedures")
DISCLAIMER_KEYS = ("interpreters", "cite")
# The roles a note can play on the pages: the service commitment (campus poster, glossary), the
# 现场考核招聘 procedure (campus poster: its tiers are those recruited on campus) and the three
# ways of keeping or losing the benefits (benefits page, 保持待遇资格).
NOTE_ROLES = ("service_commitment", "campus_recruitment", "annual_assessment", "benefits_end", "benefits_clawback")
# The roles a programme can play on the pages: the recruitment of new talent (home page's 待遇一览,
# campus poster, the compare page's yearly income).
PROGRAMME_ROLES = ("introduction",)
# Presets the 自测 has besides the measures' own (site_builder.selfcheck.PRESETS).
RESERVED_PRESETS = ("graduate",)


def _require(ok: bool, file: str, key: str, what: str) -> None:
    if not ok:
        raise RuleDataError(f"rules/{file}, {key}: {what}")


def check(file: str, table, note_ids: set[str], programme_ids: set[str]) -> dict:
    """The `[measure]` table of rules/`file`, checked: every key known, present and of its type."""
    _require(isinstance(table, dict), file, "measure", "must be a table")
    for key in table.keys() - KEYS.keys():
        _require(False, file, f"measure.{key}", f"unknown key (known: {', '.join(KEYS)})")
    for key, kind in KEYS.items():
        _require(key in table, file, f"measure.{key}", "missing")
        value = table[key]
        _require(isinstance(value, kind) and not isinstance(value, bool), file, f"measure.{key}",
                 f"must be a {kind.__name__}, not {value!r}")
        _require(value != "", file, f"measure.{key}", "must not be empty")
    for name, keys in (("nav", NAV_KEYS), ("disclaimer", DISCLAIMER_KEYS)):
        sub = table[name]
        for key in sub.keys() - set(keys):
            _require(False, file, f"measure.{name}.{key}", f"unknown key (known: {', '.join(keys)})")
        for key in keys:
            _require(isinstance(sub.get(key), str) and sub[key] != "", file, f"measure.{name}.{key}",
                     "missing, or not a non-empty string")
    for role, note_id in table["notes"].items():
        _require(role in NOTE_ROLES, file, f"measure.notes.{role}", f"unknown role (known: {', '.join(NOTE_ROLES)})")
        _require(note_id in note_ids, file, f"measure.notes.{role}", f"no [[notes]] entry with id {note_id!r}")
    for role, programme_id in table["programmes"].items():
        _require(role in PROGRAMME_ROLES, file, f"measure.programmes.{role}",
                 f"unknown role (known: {', '.join(PROGRAMME_ROLES)})")
        _require(programme_id in programme_ids, file, f"measure.programmes.{role}",
                 f"no [[programmes]] entry with id {programme_id!r}")
    _require(table["question_prefix"].isidentifier() and "_" not in table["question_prefix"], file,
             "measure.question_prefix", "must be a word of letters and digits")
    _require(table["preset"] not in RESERVED_PRESETS, file, "measure.preset", f"{table['preset']!r} is taken")
    return table


def _discover() -> dict[str, dict]:
    found = {}
    for name in _data.rule_files():
        measure, _, suffix = name.rpartition(".")
        if "." in measure or suffix != "toml":
            continue  # <measure>.questions.toml and the like: not a measure's own file
        raw = _data.toml(name)
        if "measure" not in raw:
            continue
        note_ids = {n.get("id") for n in raw.get("notes", ())}
        programme_ids = {p.get("id") for p in raw.get("programmes", ())}
        found[measure] = check(name, raw["measure"], note_ids, programme_ids)
    for key in ("order", "short_name", "question_prefix", "preset", "title"):
        seen: dict = {}
        for measure, table in found.items():
            _require(table[key] not in seen, f"{measure}.toml", f"measure.{key}",
                     f"{table[key]!r} is already the {key} of {seen.get(table[key])}")
            seen[table[key]] = measure
    if not found:
        raise RuleDataError("rules/: no rule file has a [measure] table")
    return dict(sorted(found.items(), key=lambda item: item[1]["order"]))


# measure id → its [measure] table, in `order`.
DESCRIPTIONS: dict[str, dict] = _discover()
