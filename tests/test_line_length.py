"""Lines stay readable: no Python line wider than pyproject.toml's `line-length` (ruff's E501,
which counts a Chinese character as two columns)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).with_name("ruff")  # installed with the test extra


def test_no_line_is_too_long():
    run = subprocess.run([str(RUFF), "check", "--output-format", "concise", "--no-cache", "."],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
