"""Read the TOML and CSV files shipped inside the package (works from a wheel under Pyodide).

They are read from the package's folder next to this file (the wheel is unpacked, never zipped):
importlib.resources would add seven standard library modules to what the 自测 page downloads.

The one seam for other rule data: the environment variable HC_RULES_DIR names a folder read
instead of the package's rules/ (all of it: the measures' files, questions.toml, version.toml).
A test uses it to run a sample measure through the checker and the site build; nothing else does.
"""

from __future__ import annotations

import csv
import io
import os
import tomllib
import zlib
from functools import cache
from pathlib import Path

RULES_DIR_VARIABLE = "HC_RULES_DIR"
PACKAGE = Path(__file__).parent


def _folder(name: str):
    override = os.environ.get(RULES_DIR_VARIABLE) if name == "rules" else None
    return Path(override) if override else PACKAGE / name


def rules_folder():
    """The rules folder: the package's rules/, or the folder HC_RULES_DIR names."""
    return _folder("rules")


def rule_files() -> list[str]:
    """The names of the files in the rules folder, sorted."""
    return sorted(f.name for f in _folder("rules").iterdir() if f.is_file())


@cache
def toml(name: str) -> dict:
    return tomllib.loads(_folder("rules").joinpath(name).read_text("utf-8"))


@cache
def csv_rows(name: str) -> tuple[dict, ...]:
    text = (PACKAGE / "data" / name).read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


VERSION_FILE = "version.toml"  # the date the data last changed and its checksum


@cache
def checksum() -> str:
    """A short checksum of every rule and data file (rules/*.toml but the version file, data/*.csv),
    so a result names the exact data it was computed from."""
    # CRC-32, not hashlib: Pyodide ships hashlib as a separate package the 自测 page never loads.
    crc = 0
    for folder, suffix in (("rules", ".toml"), ("data", ".csv")):
        files = _folder(folder)
        for name in sorted(f.name for f in files.iterdir() if f.name.endswith(suffix) and f.name != VERSION_FILE):
            crc = zlib.crc32(f"{folder}/{name}\n".encode(), crc)
            crc = zlib.crc32(files.joinpath(name).read_bytes(), crc)
    return f"{crc:08x}"
