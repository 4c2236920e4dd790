"""The [measure] tables: each key checked strictly, the measures discovered from them."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from checker import policy
from checker.citation import MEASURE_SHORT_NAMES, MEASURES
from checker.errors import RuleDataError
from checker.measures import DESCRIPTIONS, NOTE_ROLES, PROGRAMME_ROLES, check

ROOT = Path(__file__).resolve().parent.parent
GOOD = DESCRIPTIONS["education"]
NOTES = {n["id"] for n in policy.rules("education")["notes"]}
PROGRAMMES = {p["id"] for p in policy.rules("education")["programmes"]}


def test_the_measures_are_the_rule_files_with_a_measure_table_in_their_order():
    files = sorted(p.stem for p in (ROOT / "checker" / "rules").glob("*.toml")
                   if "." not in p.stem and "measure" in tomllib.loads(p.read_text("utf-8")))
    assert sorted(MEASURES) == files and len(files) >= 2
    assert [DESCRIPTIONS[m]["order"] for m in MEASURES] == sorted(d["order"] for d in DESCRIPTIONS.values())
    for m, d in DESCRIPTIONS.items():
        assert MEASURES[m] == d["title"] and MEASURE_SHORT_NAMES[m] == d["short_name"]
        assert policy.rules(m)["disclaimer"]["interpreters"] == d["disclaimer"]["interpreters"]
        assert set(d["notes"]) <= set(NOTE_ROLES) and set(d["programmes"]) <= set(PROGRAMME_ROLES)


def _broken(change) -> dict:
    table = copy.deepcopy(GOOD)
    change(table)
    return table


@pytest.mark.parametrize("change, key", [
    (lambda t: t.pop("short_name"), "measure.short_name: missing"),
    (lambda t: t.update(colour="red"), "measure.colour: unknown key"),
    (lambda t: t.update(order="1"), "measure.order: must be a int"),
    (lambda t: t.update(order=True), "measure.order: must be a int"),
    (lambda t: t.update(title=""), "measure.title: must not be empty"),
    (lambda t: t["nav"].pop("tiers"), "measure.nav.tiers: missing"),
    (lambda t: t["nav"].update(glossary="术语"), "measure.nav.glossary: unknown key"),
    (lambda t: t["disclaimer"].update(cite=24), "measure.disclaimer.cite: missing, or not a non-empty string"),
    (lambda t: t["notes"].update(poster="service_commitment"), "measure.notes.poster: unknown role"),
    (lambda t: t["notes"].update(benefits_end="no_such_note"), "measure.notes.benefits_end: no [[notes]] entry"),
    (lambda t: t["programmes"].update(training="training"), "measure.programmes.training: unknown role"),
    (lambda t: t["programmes"].update(introduction="hiring"), "measure.programmes.introduction: no [[programmes]]"),
    (lambda t: t.pop("programmes"), "measure.programmes: missing"),
    (lambda t: t.update(question_prefix="edu_"), "measure.question_prefix: must be a word"),
    (lambda t: t.update(preset="graduate"), "measure.preset: 'graduate' is taken"),
])
def test_a_broken_measure_table_names_the_file_and_the_key(change, key):
    with pytest.raises(RuleDataError) as error:
        check("education.toml", _broken(change), NOTES, PROGRAMMES)
    assert str(error.value).startswith(f"rules/education.toml, {key}"), str(error.value)


def test_two_measures_with_one_order_are_refused(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "checker" / "rules", rules)
    health = rules / "health.toml"
    health.write_text(health.read_text("utf-8").replace("order = 2", "order = 1", 1), "utf-8")
    env = {**os.environ, "HC_RULES_DIR": str(rules)}
    done = subprocess.run([sys.executable, "-c", "import checker"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "RuleDataError: rules/health.toml, measure.order: 1 is already the order of education" in done.stderr
