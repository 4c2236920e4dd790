"""What several test modules share that is not a fixture: the case files (format:
tests/cases/README.md)."""

from __future__ import annotations

import tomllib
from pathlib import Path

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(CASES_DIR.glob("*.toml"))


def load_case(path: Path) -> dict:
    return tomllib.loads(path.read_text("utf-8"))

