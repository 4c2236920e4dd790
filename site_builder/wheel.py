"""Build the checker as a pure-Python wheel, the only Python package the browser loads.

Pyodide unpacks it straight into site-packages (no micropip), so it must stay `py3-none-any`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_wheel(out_dir: Path) -> Path:
    """Build the project's wheel into out_dir and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # A fixed timestamp makes the wheel byte-identical between builds of the same sources,
    # so its content-hashed URL (and browser caches) survive rebuilds.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps",
             "--quiet", "--wheel-dir", scratch, str(ROOT)],
            check=True, env=env, cwd=ROOT,
        )
        wheels = list(Path(scratch).glob("*-py3-none-any.whl"))
        if len(wheels) != 1:
            raise RuntimeError(f"expected one pure-Python wheel, got {wheels}")
        target = out_dir / wheels[0].name
        target.write_bytes(wheels[0].read_bytes())
    return target
