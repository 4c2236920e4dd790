"""Read the TOML and CSV files shipped inside the package (works from a wheel under Pyodide)."""

from __future__ import annotations

import csv
import io
import tomllib
from functools import cache
from importlib import resources


@cache
def toml(name: str) -> dict:
    return tomllib.loads(resources.files("checker").joinpath("rules").joinpath(name).read_text("utf-8"))


@cache
def csv_rows(name: str) -> tuple[dict, ...]:
    text = resources.files("checker").joinpath("data").joinpath(name).read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))
