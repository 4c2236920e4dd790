"""What several test modules share that is not a fixture: the case files (format:
tests/cases/README.md), changed rule data, and forgetting what was read from the rule data and the
texts."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

from checker import _data, policy, versions
from site_builder import text

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(CASES_DIR.glob("*.toml"))

_questions = importlib.import_module("checker.questions")  # checker.questions is also a function


def load_case(path: Path) -> dict:
    return tomllib.loads(path.read_text("utf-8"))


def forget_rule_data() -> None:
    """Forget every cached reading of the rule data (the rules, their periods, notes, questions)
    and of the measures' texts: call it after changing either, and again after undoing it."""
    for module in (policy, versions, _questions):
        for f in vars(module).values():
            if hasattr(f, "cache_clear"):
                f.cache_clear()
    text.load_measure.cache_clear()
    text.load_version.cache_clear()


def replace_rule_files(monkeypatch, files: dict) -> None:
    """The checker reads each rules/<name> given in files ({name: parsed TOML}) as given there and
    the others as before, afresh from now on (monkeypatch undoes it after the test)."""
    real = _data.toml
    monkeypatch.setattr(_data, "toml", lambda name: files[name] if name in files else real(name))
    forget_rule_data()
