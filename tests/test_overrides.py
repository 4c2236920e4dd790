"""The theme files overrides/ rewrites still match Material's originals they were written from
(tests/overrides_upstream.toml records each original's hash)."""

import hashlib
import re
import tomllib
from pathlib import Path

import material
import pytest

OVERRIDES = Path(__file__).resolve().parent.parent / "overrides"
MATERIAL_TEMPLATES = Path(material.__file__).resolve().parent / "templates"
UPSTREAM = tomllib.loads(Path(__file__).with_name("overrides_upstream.toml").read_text(encoding="utf-8"))["file"]
EXTENSION_POINTS = {"main.html"}  # empty in Material, meant to be replaced
LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.S)


@pytest.mark.parametrize("entry", UPSTREAM, ids=[e["override"] for e in UPSTREAM])
def test_original_unchanged(entry):
    original = MATERIAL_TEMPLATES / entry["override"]
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    where = " and ".join(f"overrides/{entry[k]}" for k in ("override", "moved_to") if k in entry)
    assert digest == entry["sha256"], (
        f"Material's {entry['override']} changed: carry its changes over to {where} "
        f"({entry['why']}), then record sha256 = {digest} in tests/overrides_upstream.toml")
    for key in ("override", "moved_to"):
        if key in entry:
            assert (OVERRIDES / entry[key]).is_file(), entry[key]


def test_every_shadowed_file_is_recorded():
    recorded = {e["override"] for e in UPSTREAM} | EXTENSION_POINTS
    shadowing = {str(p.relative_to(OVERRIDES)) for p in OVERRIDES.rglob("*")
                 if p.is_file() and (MATERIAL_TEMPLATES / p.relative_to(OVERRIDES)).is_file()}
    assert shadowing <= recorded, f"record these in tests/overrides_upstream.toml: {sorted(shadowing - recorded)}"


def test_search_partial_is_the_original_plus_a_name_unless_the_page_hides_search():
    """The copy differs from the original only by the dialog's aria-label and the condition
    around it all."""
    original = LEADING_COMMENT.sub("", (MATERIAL_TEMPLATES / "partials" / "search.html").read_text("utf-8"))
    copy = LEADING_COMMENT.sub("", (OVERRIDES / "partials" / "search.html").read_text("utf-8"))
    dialog = 'role="dialog"'
    assert original.count(dialog) == 1
    named = original.replace(dialog, dialog + " aria-label=\"{{ lang.t('search') }}\"")
    condition = '{%- if not (page and page.meta and "search" in (page.meta.hide or [])) %}\n'
    assert copy == condition + named + "{%- endif %}\n"
