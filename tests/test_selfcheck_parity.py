"""Parity: the checker wheel in real Pyodide (Node.js, the npm package, offline) answers every
test case and every form profile exactly as CPython does — the full response JSON."""

from __future__ import annotations

import json
import select
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from checker.api import handle_json
from site_builder.wheel import build_wheel

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "tests" / "pyodide" / "driver.mjs"
PROFILES = json.loads((ROOT / "tests" / "pyodide" / "selfcheck_profiles.json").read_text(encoding="utf-8"))
CASES = ROOT / "tests" / "cases"
AS_OF = "2026-06-01"  # fixed, so both sides judge ages and dates on the same day
STARTUP_SECONDS = 60


class PyodideChecker:
    """The Node driver: one Pyodide for the whole session, JSON lines both ways."""

    def __init__(self, wheel: Path):
        node = shutil.which("node")
        if node is None:
            pytest.fail("node is missing (Node.js >= 18 runs the pyodide npm package)")
        self.process = subprocess.Popen(
            [node, str(DRIVER), str(wheel)], cwd=ROOT, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        hello = self._read(STARTUP_SECONDS)
        if not hello.get("ready"):
            self.close()
            pytest.fail(f"Pyodide driver did not start: {hello.get('error', hello)[:2000]}")
        self.python = hello["python"]
        self.next_id = 0

    def _read(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"no answer from the Pyodide driver within {timeout} s")
        return json.loads(line)

    def handle_json(self, request: str) -> str:
        self.next_id += 1
        self.process.stdin.write(json.dumps({"id": self.next_id, "request": request}) + "\n")
        self.process.stdin.flush()
        reply = self._read(30)
        assert reply["id"] == self.next_id
        if "error" in reply:
            raise AssertionError(f"Pyodide raised: {reply['error']}")
        return reply["response"]

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def pyodide_checker(tmp_path_factory):
    # Build the wheel from the current sources (not site/'s copy, which may be older).
    checker = PyodideChecker(build_wheel(tmp_path_factory.mktemp("wheel")))
    yield checker
    checker.close()


def load_cases() -> list[tuple[str, dict]]:
    """(file name, request) for every case in tests/cases (format: tests/cases/README.md)."""
    cases = []
    for path in sorted(CASES.glob("*.toml")):
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        request = {"profile": case["profile"]}
        if "as_of" in case:
            request["as_of"] = str(case["as_of"])  # TOML may read it as a date
        cases.append((path.stem, request))
    return cases


CASE_LIST = load_cases()


def assert_same(pyodide_checker, request: dict):
    text = json.dumps(request, ensure_ascii=False, default=str)  # TOML dates become strings
    expected = json.loads(handle_json(text))
    actual = json.loads(pyodide_checker.handle_json(text))
    assert actual == expected
    return expected


def test_pyodide_runs_its_own_python(pyodide_checker):
    assert pyodide_checker.python.startswith("3.14")


@pytest.mark.parametrize("name", sorted(PROFILES.keys() - {"_comment"}))
def test_form_profiles_match_cpython(pyodide_checker, name):
    expected = assert_same(pyodide_checker, {"profile": PROFILES[name]["profile"], "as_of": AS_OF})
    # A form profile is a valid answer set: parity of two identical error lists would prove little.
    assert expected["ok"] is True, expected.get("errors")


def test_there_are_cases_to_compare():
    assert len(CASE_LIST) >= 20


@pytest.mark.parametrize(("name", "request_"), CASE_LIST, ids=[name for name, _ in CASE_LIST])
def test_checker_cases_match_cpython(pyodide_checker, name, request_):
    assert_same(pyodide_checker, request_)


@pytest.mark.parametrize(
    "request_text",
    ['{"profile": {"measure": "nowhere"}}', "not json", '{"profile": {"measure": "health", "bogus": 1}}'],
)
def test_errors_match_cpython(pyodide_checker, request_text):
    assert json.loads(pyodide_checker.handle_json(request_text)) == json.loads(handle_json(request_text))
    assert json.loads(handle_json(request_text))["ok"] is False
