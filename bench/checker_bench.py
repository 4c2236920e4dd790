"""Checker throughput: evaluations per second for single profiles, a 10,000-row batch CSV in
process, and a 100,000-row batch through the command line (time and peak memory, --jobs 1 and 2).

Run: .venv/bin/python bench/checker_bench.py [--rows N] [--cli-rows N]. Prints figures; asserts nothing.
Target (issue 3): the 10,000-row batch in under 1 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import threading
import time
import tomllib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import checker  # noqa: E402
from checker.batch import run_batch  # noqa: E402
from checker.citation import MEASURES  # noqa: E402
from checker.questions import shown_ids  # noqa: E402

AS_OF = dt.date(2026, 6, 1)
CASES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "cases"


def case_profiles() -> list[dict]:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        case = tomllib.loads(path.read_text("utf-8"))
        if "errors" not in case["expect"]:
            out.append(case["profile"])
    return out


def generated_csv(rows: int, seed: int = 3) -> str:
    """Applicants as a recruiter's form would record them: both measures, every path, each
    question the path asks answered 80% of the time, with random valid values (so most rows
    fail some criterion; none is rejected)."""
    rng = random.Random(seed)
    questions = checker.questions()
    header = ["applicant"] + [q["id"] for q in questions]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for i in range(rows):
        row = {"applicant": f"A{i:05d}", "measure": rng.choice(list(MEASURES)),
               "situation": rng.choice(["graduate", "recruit", "in_district", "flexible"])}
        typed = {"measure": row["measure"], "situation": row["situation"],
                 "edu_school_urban_quality": True, "health_institution_urban_quality": True}
        shown = shown_ids(typed)
        for q in questions[2:]:
            if q["id"] not in shown or rng.random() < 0.2:
                continue
            kind, values = q["type"], [c["value"] for c in q.get("choices", [])]
            if kind == "choice":
                row[q["id"]] = rng.choice(values)
            elif kind == "multi":
                row[q["id"]] = ";".join(rng.sample(values, rng.randint(0, min(3, len(values)))))
            elif kind == "bool":
                row[q["id"]] = rng.choice(["true", "false"])
            elif kind == "int":
                row[q["id"]] = str(rng.randint(0, 20))
            elif kind == "date":
                row[q["id"]] = (dt.date(1965, 1, 1) + dt.timedelta(days=rng.randint(0, 13000))).isoformat()
            else:
                row[q["id"]] = rng.choice(["西南大学", "重庆大学", "重庆医科大学", "北京师范大学", "某某学院"])
        writer.writerow([row.get(h, "") for h in header])
    return buf.getvalue()


def _memory_kb(pid: int) -> tuple[int, int]:
    """(resident memory of a process and its descendants, the process's own peak so far), in kB
    (Linux /proc; zeros elsewhere)."""
    total, own_peak, stack = 0, 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in pathlib.Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                elif line.startswith("VmHWM:") and p == pid:
                    own_peak = int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                stack += [int(c) for c in pathlib.Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total, own_peak


def cli_batch(path: pathlib.Path, jobs: int) -> tuple[float, float, int, int, str]:
    """Run `python -m checker batch` as recruiters do: (wall s, CPU s of all its processes, peak kB
    of the whole process tree sampled every 10 ms, peak kB of the main process, its summary line)."""
    root = pathlib.Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "checker", "batch", str(path), "-o", str(path.with_suffix(".report.csv")),
               "--as-of", AS_OF.isoformat(), "--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, done = [0, 0], threading.Event()

    def sample():
        while not done.is_set():
            tree, own = _memory_kb(proc.pid)
            peak[:] = max(peak[0], tree), max(peak[1], own)
            done.wait(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stderr = proc.stderr.read()  # a pipe left unread would block the batch
    _, status, usage = os.wait4(proc.pid, 0)  # its usage includes the worker processes it reaped
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    summary = stderr.decode("utf-8", "replace").strip().splitlines()[-1]
    return elapsed, usage.ru_utime + usage.ru_stime, peak[0], peak[1], summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--cli-rows", type=int, default=100_000)
    args = parser.parse_args()

    profiles = case_profiles()
    checker.evaluate(profiles[0], as_of=AS_OF)  # load the data once
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for p in profiles:
            checker.evaluate(p, as_of=AS_OF)
    elapsed = time.perf_counter() - start
    print(f"evaluate (verdicts only): {rounds * len(profiles) / elapsed:,.0f} evaluations/s")
    start = time.perf_counter()
    for _ in range(rounds):
        for p in profiles:
            checker.evaluate(p, as_of=AS_OF).to_dict()
    elapsed = time.perf_counter() - start
    print(f"evaluate + to_dict (full result JSON): {rounds * len(profiles) / elapsed:,.0f} evaluations/s")

    text = generated_csv(args.rows)
    for jobs in (1, os.cpu_count() or 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        written, bad = run_batch(io.StringIO(text), io.StringIO(), io.StringIO(), AS_OF, jobs=jobs)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        # CPU time (this process only) is printed for one job: the machine is shared, so wall
        # time varies with others' load.
        cpu_text = f", {cpu:.2f} s CPU" if jobs == 1 else ""
        print(f"batch, {jobs} process(es): {args.rows:,} rows in {elapsed:.2f} s wall{cpu_text} "
              f"({args.rows / elapsed:,.0f} rows/s; {written} written, {bad} rejected)")

    with tempfile.TemporaryDirectory() as scratch:
        path = pathlib.Path(scratch) / "applicants.csv"
        path.write_text(generated_csv(args.cli_rows), encoding="utf-8")
        size = path.stat().st_size / 1e6
        for jobs in (1, 2):
            elapsed, cpu, tree_kb, main_kb, summary = cli_batch(path, jobs)
            print(f"CLI batch --jobs {jobs}: {args.cli_rows:,} rows ({size:.0f} MB) in {elapsed:.1f} s wall, "
                  f"{cpu:.1f} s CPU; "
                  f"peak memory {tree_kb / 1024:.0f} MB for all processes, {main_kb / 1024:.0f} MB for the "
                  f"main one; {summary}")


if __name__ == "__main__":
    main()
