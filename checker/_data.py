"""Read the TOML and CSV files shipped inside the package (works from a wheel under Pyodide)."""

from __future__ import annotations

import csv
import io
import tomllib
import zlib
from functools import cache
from importlib import resources


@cache
def toml(name: str) -> dict:
    return tomllib.loads(resources.files("checker").joinpath("rules").joinpath(name).read_text("utf-8"))


@cache
def csv_rows(name: str) -> tuple[dict, ...]:
    text = resources.files("checker").joinpath("data").joinpath(name).read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


VERSION_FILE = "version.toml"  # the date the data last changed and its checksum


@cache
def checksum() -> str:
    """A short checksum of every rule and data file (rules/*.toml but the version file, data/*.csv),
    so a result names the exact data it was computed from."""
    # CRC-32, not hashlib: Pyodide ships hashlib as a separate package the 自测 page never loads.
    crc = 0
    for folder, suffix in (("rules", ".toml"), ("data", ".csv")):
        files = resources.files("checker").joinpath(folder)
        for name in sorted(f.name for f in files.iterdir() if f.name.endswith(suffix) and f.name != VERSION_FILE):
            crc = zlib.crc32(f"{folder}/{name}\n".encode(), crc)
            crc = zlib.crc32(files.joinpath(name).read_bytes(), crc)
    return f"{crc:08x}"
