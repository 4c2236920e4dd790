"""The recruiters' batch (python -m checker batch): read an applicants' CSV, evaluate each row,
write the report. The CLI (checker/cli.py) handles arguments and files; this module does the work.

Batch CSV (UTF-8, header row): columns are question ids (see `questions`), plus an optional
`applicant` column copied to the report. Empty cell = not answered; bool cells true/false
(or 是/否); int cells digits; multi cells values separated by ";". The report has one row per
valid applicant: line, applicant, measure, programme (the one with the best verdict), tier (its
highest tier met or under review), tier_name, tier_verdict, verdict (the programme's: its
highest tier's verdict, else the best of its tiers), verdict_label,
missing (what the nearest higher tier open to the applicant's path still needs, or, with
no tier, what the best tier needs; "；"-separated), total_yuan, employer_yuan,
fund_yuan. Bad rows are reported on stderr by line number; the rest are still processed and the
exit code is 1. Files of PARALLEL_FROM_ROWS rows or more are split over --jobs processes
(default: all cores); the report is the same, in input order.
"""

from __future__ import annotations

import csv
import datetime as dt

from checker.engine import GOODNESS, NOT_MET, VERDICT_LABELS, Result, evaluate
from checker.errors import ValidationError
from checker.questions import by_id

REPORT_COLUMNS = ["line", "applicant", "measure", "programme", "tier", "tier_name", "tier_verdict", "verdict",
                  "verdict_label", "missing", "total_yuan", "employer_yuan", "fund_yuan"]
PASS_THROUGH = "applicant"
_BOOLS = {"true": True, "false": False, "是": True, "否": False}


class BatchError(Exception):
    """The file as a whole cannot be processed (no header, unknown columns): one message."""


def parse_cell(question: dict, cell: str):
    """A CSV cell as the answer type of its question (validation proper happens in evaluate)."""
    cell = cell.strip()
    if cell == "":
        return None
    kind = question["type"]
    if kind == "bool":
        return _BOOLS.get(cell.lower(), cell)
    if kind == "int":
        try:
            return int(cell) if cell.lstrip("-").isdigit() else cell
        except ValueError:  # "²" and 5000 digits pass isdigit(): left as text, for evaluate to report
            return cell
    if kind == "multi":
        return [v.strip() for v in cell.split(";") if v.strip()]
    return cell


def report_row(result: Result) -> dict:
    """One report row: the best programme, its highest tier, what the next tier needs, the money."""
    best = max(result.programmes, key=lambda p: GOODNESS[p.verdict])  # first of the best
    tier = best.highest
    if tier is None:
        needs = best.deciding
    else:  # the nearest higher tier open to this person's path (调入 / 应届 / 柔性 / 区内)
        above = best.tiers[:best.tiers.index(tier)]
        needs = next((t for t in reversed(above) if not any(
            o.verdict == NOT_MET and o.criterion.get("field") == "situation" for o in t.outcomes)), None)
    money = result.money
    employer, fund = money.shares() if money else (None, None)
    return {
        "measure": result.measure,
        "programme": best.programme["id"],
        "tier": tier.tier["id"] if tier else "",
        "tier_name": tier.tier["name"] if tier else "",
        "tier_verdict": tier.verdict if tier else "",
        "verdict": best.verdict,
        "verdict_label": VERDICT_LABELS[best.verdict],
        "missing": "；".join(needs.missing_labels) if needs else "",
        "total_yuan": money.total if money else 0,
        "employer_yuan": "" if employer is None else employer,
        "fund_yuan": "" if fund is None else fund,
    }


def _evaluate_rows(rows: list, as_of: dt.date) -> list[tuple[int, dict | None, str | None]]:
    """Evaluate (line, applicant, profile) rows into (line, report row | None, error | None)."""
    out = []
    for line, applicant, profile in rows:
        try:
            result = evaluate(profile, as_of=as_of)
        except ValidationError as exc:
            out.append((line, None, str(exc)))
            continue
        out.append((line, {"line": line, "applicant": applicant, **report_row(result)}, None))
    return out


def _evaluate_in_parallel(rows: list, as_of: dt.date, jobs: int) -> list:
    """Split the rows over `jobs` processes; results come back in input order."""
    from concurrent.futures import ProcessPoolExecutor  # not in the Pyodide path
    import multiprocessing

    size = -(-len(rows) // jobs)
    chunks = [rows[i:i + size] for i in range(0, len(rows), size)]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return [item for part in pool.map(_evaluate_rows, chunks, [as_of] * len(chunks)) for item in part]


PARALLEL_FROM_ROWS = 2000  # below this, starting processes costs more than it saves


def run_batch(rows_in, rows_out, errors_out, as_of: dt.date, jobs: int = 1) -> tuple[int, int]:
    """Evaluate every row of a CSV reader; return (rows written, bad rows)."""
    reader = csv.reader(rows_in)
    header = next(reader, None)
    if not header:
        raise BatchError("CSV 为空或缺少表头")
    questions_by_id = by_id()
    unknown = [c for c in header if c not in questions_by_id and c != PASS_THROUGH]
    if unknown:
        raise BatchError(f"未知的列：{', '.join(unknown)}（列名应为问题编号，见 python -m checker questions）")
    columns = [(i, c, questions_by_id[c]) for i, c in enumerate(header) if c != PASS_THROUGH]
    applicant_at = header.index(PASS_THROUGH) if PASS_THROUGH in header else None
    rows, problems = [], []
    for cells in reader:
        if not cells:
            continue  # a blank line
        if len(cells) > len(header):
            problems.append((reader.line_num, None, "列数多于表头"))
            continue
        profile = {}
        for i, column, question in columns:
            if i < len(cells) and cells[i]:
                answer = parse_cell(question, cells[i])
                if answer is not None:
                    profile[column] = answer
        applicant = cells[applicant_at] if applicant_at is not None and applicant_at < len(cells) else ""
        rows.append((reader.line_num, applicant, profile))
    if jobs > 1 and len(rows) >= PARALLEL_FROM_ROWS:
        results = _evaluate_in_parallel(rows, as_of, jobs)
    else:
        results = _evaluate_rows(rows, as_of)
    writer = csv.DictWriter(rows_out, REPORT_COLUMNS)
    writer.writeheader()
    written = 0
    for line, report_row, error in sorted(results + problems, key=lambda r: r[0]):
        if error is not None:
            errors_out.write(f"第 {line} 行：{error}\n")
        else:
            writer.writerow(report_row)
            written += 1
    return written, len(results) + len(problems) - written
