"""Parity: the checker wheel in real Pyodide (Node.js, the npm package, offline) answers every
test case and every form profile exactly as CPython does — the full response JSON — with the
site's trimmed standard library (site_builder/stdlib.py). The list of modules that zip holds
is recorded again here with the full standard library and compared with the committed one.

`python -m tests.test_selfcheck_parity --write-stdlib-modules` rewrites that list."""

from __future__ import annotations

import json
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.api import handle_json
from site_builder.assets import PYODIDE_FILES, PYODIDE_NPM, pyodide_file, wheel_file
from site_builder.stdlib import LEFT_OUT, MODULES_FILE, compiled_stdlib, required_entries, trimmed_stdlib
from site_builder.wheel import browser_modules, imported_names, module_path
from tests.helpers import CASES, load_case

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "tests" / "pyodide" / "driver.mjs"
PROFILES = json.loads((ROOT / "tests" / "pyodide" / "selfcheck_profiles.json").read_text(encoding="utf-8"))
AS_OF = "2026-06-01"  # fixed, so both sides judge ages and dates on the same day
STARTUP_SECONDS = 60


class PyodideChecker:
    """The Node driver: one Pyodide for the whole session, JSON lines both ways."""

    def __init__(self, runtime: Path, wheel: Path, stdlib: Path | None = None):
        node = shutil.which("node")
        if node is None:
            pytest.fail("node is missing (Node.js >= 18 runs the pyodide npm package)")
        self.process = subprocess.Popen(
            [node, str(DRIVER), str(runtime), str(wheel)] + ([str(stdlib)] if stdlib else []),
            cwd=ROOT, text=True, encoding="utf-8",
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

    def modules(self, imports: list[str]) -> list[str]:
        """Import `imports` in Pyodide; the zip entries of every standard library module loaded."""
        self.next_id += 1
        self.process.stdin.write(json.dumps({"id": self.next_id, "modules": imports}) + "\n")
        self.process.stdin.flush()
        reply = self._read(30)
        assert reply["id"] == self.next_id and "error" not in reply, reply
        return reply["modules"]

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def checker_wheel() -> Path:
    # The copy the site serves (trimmed to what the browser imports), built from the current
    # sources (not site/'s copy, which may be older).
    return wheel_file()


def served_runtime(folder: Path) -> Path:
    """Pyodide's files as the site serves them (its runtime module minified), and the npm
    package's full standard library, in `folder`."""
    for name in PYODIDE_FILES:
        (folder / name).write_bytes(pyodide_file(name))
    (folder / "python_stdlib.zip").symlink_to(PYODIDE_NPM / "python_stdlib.zip")
    return folder


@pytest.fixture(scope="session")
def runtime_dir(tmp_path_factory) -> Path:
    return served_runtime(tmp_path_factory.mktemp("pyodide"))


@pytest.fixture(scope="session")
def pyodide_checker(tmp_path_factory, runtime_dir, checker_wheel):
    """Pyodide as the browser gets it: the served runtime, the site's trimmed standard library
    (compiled) and wheel."""
    stdlib = tmp_path_factory.mktemp("stdlib") / "python_stdlib.zip"
    stdlib.write_bytes(compiled_stdlib(trimmed_stdlib(PYODIDE_NPM / "python_stdlib.zip")))
    checker = PyodideChecker(runtime_dir, checker_wheel, stdlib)
    yield checker
    checker.close()


def load_cases() -> list[tuple[str, dict]]:
    """(file name, request) for every case in tests/cases (format: tests/cases/README.md)."""
    cases = []
    for path in CASES:
        case = load_case(path)
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


ERROR_REQUESTS = ['{"profile": {"measure": "nowhere"}}', "not json", '{"profile": {"measure": "health", "bogus": 1}}']


@pytest.mark.parametrize("request_text", ERROR_REQUESTS)
def test_errors_match_cpython(pyodide_checker, request_text):
    assert json.loads(pyodide_checker.handle_json(request_text)) == json.loads(handle_json(request_text))
    assert json.loads(handle_json(request_text))["ok"] is False


# --- the trimmed standard library ---------------------------------------------------------


def lazy_imports() -> list[str]:
    """Every standard library module the browser's checker modules name in an import statement,
    at any depth: an import inside a function runs only on some answers, which the cases may
    not reach."""
    names = set()
    for module in browser_modules():
        names |= imported_names(module_path(module).read_text(encoding="utf-8"))
    return sorted(name for name in names if name.split(".")[0] != "checker")


def record_loaded_entries(runtime: Path, wheel: Path) -> list[str]:
    """Run everything the browser runs in Pyodide with the full standard library; return the
    zip entries of the standard library modules that were loaded (frozen ones aside)."""
    full = PyodideChecker(runtime, wheel)
    try:
        for name in sorted(PROFILES.keys() - {"_comment"}):
            full.handle_json(json.dumps({"profile": PROFILES[name]["profile"], "as_of": AS_OF}))
        for _, request in CASE_LIST:
            full.handle_json(json.dumps(request, ensure_ascii=False, default=str))
        for text in ERROR_REQUESTS:
            full.handle_json(text)
        return full.modules(lazy_imports())
    finally:
        full.close()


@pytest.fixture(scope="session")
def loaded_entries(runtime_dir, checker_wheel) -> list[str]:
    return record_loaded_entries(runtime_dir, checker_wheel)


def needed(loaded: list[str]) -> list[str]:
    """The entries the trimmed zip must hold: those loaded, less the optional ones."""
    return [entry for entry in loaded if entry not in LEFT_OUT]


def test_stdlib_module_list_is_current(loaded_entries):
    recorded = needed(loaded_entries)
    committed = required_entries()
    missing = sorted(set(recorded) - set(committed))
    unused = sorted(set(committed) - set(recorded))
    assert not missing and not unused, (
        f"the trimmed standard library lacks {missing} and holds unused {unused}: run "
        "`.venv/bin/python -m tests.test_selfcheck_parity --write-stdlib-modules` and review the diff"
    )


def test_left_out_modules_are_still_loaded_with_the_full_library(loaded_entries):
    # A module left out that nothing loads any more is a stale entry of LEFT_OUT.
    assert sorted(set(LEFT_OUT) - set(loaded_entries)) == []


def python_steps(script: Path) -> list[str]:
    """The Python a script runs through pyodide.runPython with literal strings, spacing dropped."""
    literal = r'"(?:[^"\\]|\\.)*"'
    calls = re.findall(rf"pyodide\.runPython\(({literal}(?:\s*\+\s*{literal})*)\)", script.read_text(encoding="utf-8"))
    return [re.sub(r'"\s*\+\s*"', "", call) for call in calls]


def test_the_driver_takes_the_workers_python_steps():
    # Were they to differ, the modules recorded here would not be the ones the browser loads.
    worker = python_steps(ROOT / "web" / "selfcheck-worker.js")
    assert len(worker) == 2 and set(worker) <= set(python_steps(DRIVER))


def test_frozen_modules_are_not_recorded(loaded_entries):
    # os, site and codecs are loaded, from the runtime's frozen copies (the trimmed Pyodide boots
    # without them, as every test here shows): the full library's copies are not what ran.
    assert not {"os.py", "site.py", "codecs.py"} & set(loaded_entries)


def test_trimmed_stdlib_holds_every_listed_module(pyodide_checker):
    # Importing them all again in the trimmed Pyodide finds each in its zip.
    entries = required_entries()
    names = [e.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for e in entries]
    loaded = [entry.removesuffix("c") if entry.endswith(".pyc") else entry for entry in pyodide_checker.modules(names)]
    assert sorted(loaded) == sorted(entries)  # each compiled: x.py's module comes from x.pyc


def test_trimmed_stdlib_lacks_the_rest(pyodide_checker):
    # The zip really is trimmed: a module nothing needs cannot be imported.
    assert "xml/dom/minidom.py" not in required_entries()
    assert not {"xml/dom/minidom.py", "xml/dom/minidom.pyc"} & set(pyodide_checker.modules(["xml.dom.minidom"]))


if __name__ == "__main__" and sys.argv[1:] == ["--write-stdlib-modules"]:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        entries = needed(record_loaded_entries(served_runtime(Path(scratch)), wheel_file()))
    header = "# Standard library modules the 自测 loads in Pyodide (zip entries); see site_builder/stdlib.py.\n"
    MODULES_FILE.write_text(header + "".join(f"{e}\n" for e in entries), encoding="utf-8")
    print(f"{MODULES_FILE.relative_to(ROOT)}: {len(entries)} entries")
