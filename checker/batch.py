"""The recruiters' batch (python -m checker batch): read an applicants' CSV, evaluate each row,
write the report. The CLI (checker/cli.py) handles arguments and files; this module does the work.

Batch CSV (header row; UTF-8 with or without BOM, or GB18030/GBK as Excel and WPS save it on
Chinese Windows, see sniff_encoding): columns are question ids (see `questions`), plus an optional
`applicant` column copied to the report. Empty cell = not answered; bool cells true/false
(or 是/否); int cells ASCII digits; multi cells values separated by ";". A .xlsx file (first
sheet) is read the same way through openpyxl (checker/spreadsheet.py, the optional "xlsx" extra).

The report (report_row) has one row per valid applicant: line (the record's first line),
applicant, measure, programme (the one with the best verdict), tier (its highest tier met or
under review), tier_name, tier_verdict, verdict (the programme's: its highest tier's verdict,
else the best of its tiers), verdict_label, missing (what the next tier on the applicant's path
still needs, as actions; "；"-separated), next_tier (those actions → the tier and what it adds,
as the 自测 page shows it; both from checker/summary.py), total_yuan, employer_yuan, fund_yuan,
computed_from (the measure's title, the rule data's date and checksum, the as-of date, as every
result says). It is UTF-8 with BOM (or .xlsx); a cell a spreadsheet would run as a formula gets
a leading '. write_report writes it beside the target and moves it into place at the end.

Header problems (unknown, empty or duplicated names) stop the run before any row. Bad rows
(bad answers, cells over MAX_CELL, bytes of another encoding, CSV errors) are reported on stderr
by line number; the rest are still processed and the exit code is 1. Files of
PARALLEL_FROM_ROWS rows or more are split over --jobs processes (default: all cores); the report
is the same, in input order. Rows stream through: memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import multiprocessing
import os
import re
import tempfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, closing, contextmanager
from itertools import chain, islice
from pathlib import Path

from checker.engine import GOODNESS, VERDICT_LABELS, Result, evaluate
from checker.errors import ValidationError, error_lines
from checker.questions import by_id
from checker.policy import provenance
from checker.summary import next_tiers

REPORT_COLUMNS = ["line", "applicant", "measure", "programme", "tier", "tier_name", "tier_verdict", "verdict",
                  "verdict_label", "missing", "next_tier", "total_yuan", "employer_yuan", "fund_yuan",
                  "computed_from"]
PASS_THROUGH = "applicant"
_BOOLS = {"true": True, "false": False, "是": True, "否": False}
PARALLEL_FROM_ROWS = 2000  # below this, starting processes costs more than it saves
CHUNK_ROWS = 500  # rows per task sent to a process; a few tasks per process are in flight
MAX_CELL = 10_000  # characters; the longest valid answer (every choice of a multi question) is far shorter
_CSV_FIELD_LIMIT = 16 * 1024 * 1024  # the csv module's own limit: above it a field is not even read whole
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Bytes the file's encoding cannot decode arrive as lone surrogates (errors="surrogateescape").
_UNDECODABLE = re.compile("[\udc80-\udcff]")
SNIFF_LINES = 200  # non-ASCII lines looked at to tell UTF-8 from GB18030


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
            # ASCII digits only: int() also reads full-width and Arabic-Indic digits
            return int(cell) if cell.isascii() and cell.lstrip("-").isdigit() else cell
        except ValueError:  # "²" and 5000 digits pass the test: left as text, for evaluate to report
            return cell
    if kind == "multi":
        return [v.strip() for v in cell.split(";") if v.strip()]
    return cell


def report_row(result: Result) -> dict:
    """One report row: the best programme, its highest tier, the money, and the next tier as the
    checker's summary words it (the 自测 page shows the same, checker/summary.py)."""
    best = max(result.programmes, key=lambda p: GOODNESS[p.verdict])  # first of the best
    tier = best.highest
    step = next((n for n in next_tiers(result) if n["programme"] == best.programme["id"]), None)
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
        "missing": "；".join(a["text"] for a in step["actions"]) if step else "",
        "next_tier": step["text"] if step else "",
        "total_yuan": (money.total if money.total is not None else "") if money else 0,
        "employer_yuan": "" if employer is None else employer,
        "fund_yuan": "" if fund is None else fund,
        "computed_from": provenance(result.measure, result.as_of)["text"],
    }


def sniff_encoding(path: Path) -> str:
    """The encoding of an applicants' file: UTF-8 (with or without BOM) or GB18030 (a superset of
    GBK, what Excel and WPS on Chinese Windows save as "CSV"). Lines that are pure ASCII say
    nothing; of the others, the majority decides, so one damaged line does not flip a file."""
    with open(path, "rb") as fh:
        if fh.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
            return "utf-8-sig"
        fh.seek(0)
        utf8 = gb = 0
        for line in fh:
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8 += 1
            except UnicodeDecodeError:
                try:
                    line.decode("gb18030")
                    gb += 1
                except UnicodeDecodeError:
                    pass
            if utf8 + gb >= SNIFF_LINES:
                break
    return "gb18030" if gb > utf8 else "utf-8"


def open_applicants(path: Path):
    """The file as text; bytes its encoding cannot decode become that row's error, not a crash."""
    return open(path, encoding=sniff_encoding(path), errors="surrogateescape", newline="")


def _columns(header: list[str]) -> tuple[list, int | None]:
    """[(index, question id, question)] and the applicant column's index; every problem of the
    header is reported at once, by column name, before any row runs."""
    names = [c.strip() for c in header]
    if names:
        names[0] = names[0].lstrip("\ufeff")
    questions_by_id, problems, seen = by_id(), [], {}
    for i, name in enumerate(names, 1):
        seen.setdefault(name, []).append(i)
    for name, at in seen.items():
        if name == "":
            problems.append(f"第 {'、'.join(map(str, at))} 列的列名为空")
        elif _UNDECODABLE.search(name):
            problems.append(f"第 {at[0]} 列的列名含有无法识别的字节（文件应为 UTF-8 或 GB18030 编码）")
        elif len(at) > 1:
            problems.append(f"列 {name} 重复（第 {'、'.join(map(str, at))} 列）")
    unknown = [n for n in seen if n and not _UNDECODABLE.search(n) and n not in questions_by_id and n != PASS_THROUGH]
    if unknown:
        problems.append(f"未知的列：{', '.join(unknown)}（列名应为问题编号，见 python -m checker questions）")
    if problems:
        raise BatchError("表头有误：" + "；".join(problems))
    columns = [(i, c, questions_by_id[c]) for i, c in enumerate(names) if c != PASS_THROUGH]
    return columns, names.index(PASS_THROUGH) if PASS_THROUGH in names else None


def csv_rows(reader):
    """(line, cells, None) per record of a csv.reader, or (line, None, error) for one it cannot
    read; line is the record's FIRST line (a quoted cell may span several). Blank lines are skipped."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:  # the rest of the record is skipped by the reader itself
            yield line, None, "CSV 格式错误（例如引号不成对或单元格过大）"
            continue
        if cells:
            yield line, cells, None


@contextmanager
def _big_csv_fields():
    """Let the csv module read a long cell whole, so that it becomes its row's error (MAX_CELL)."""
    limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _records(rows, header: list[str], columns: list, applicant_at: int | None):
    """(line, applicant, profile, None) per row, or (line, None, None, error) for a bad one."""
    for line, cells, error in rows:
        if error is not None:
            yield line, None, None, error
            continue
        if len(cells) > len(header):
            yield line, None, None, f"列数多于表头（表头 {len(header)} 列，本行 {len(cells)} 列）"
            continue
        if max(map(len, cells)) > MAX_CELL:
            long = [header[i] or f"第 {i + 1} 列" for i, cell in enumerate(cells) if len(cell) > MAX_CELL]
            yield line, None, None, f"{'、'.join(long)}：内容过长（每格最多 {MAX_CELL} 个字符）"
            continue
        if _UNDECODABLE.search("".join(cells)):
            yield line, None, None, "含有无法识别的字节（文件应为 UTF-8 或 GB18030 编码）"
            continue
        profile = {}
        for i, column, question in columns:
            if i < len(cells) and cells[i]:
                answer = parse_cell(question, cells[i])
                if answer is not None:
                    profile[column] = answer
        applicant = cells[applicant_at] if applicant_at is not None and applicant_at < len(cells) else ""
        yield line, applicant, profile, None


def _evaluate_rows(records: list, as_of: dt.date) -> list[tuple[int, dict | None, str | None]]:
    """Records into (line, report row | None, error | None)."""
    out = []
    for line, applicant, profile, error in records:
        if error is not None:
            out.append((line, None, error))
            continue
        try:
            result = evaluate(profile, as_of=as_of)
        except ValidationError as exc:
            out.append((line, None, "; ".join(error_lines(exc.errors))))
            continue
        out.append((line, {"line": line, "applicant": applicant, **report_row(result)}, None))
    return out


def _chunks(items, size: int):
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def start_method() -> str:
    """fork where the OS has it (no re-import in the children), else spawn (Windows; macOS lacks
    nothing but Python warns there)."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _evaluate_in_parallel(records, as_of: dt.date, jobs: int):
    """Chunks of records over `jobs` processes; results come back in input order, and only a few
    chunks per process are in flight, so memory does not grow with the file."""
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(start_method())) as pool:
        pending = deque()
        for chunk in _chunks(records, CHUNK_ROWS):
            pending.append(pool.submit(_evaluate_rows, chunk, as_of))
            if len(pending) > 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _evaluated(records, as_of: dt.date, jobs: int):
    if jobs > 1:
        head = list(islice(records, PARALLEL_FROM_ROWS))
        records = chain(head, records)
        if len(head) == PARALLEL_FROM_ROWS:
            yield from _evaluate_in_parallel(records, as_of, jobs)
            return
    for chunk in _chunks(records, CHUNK_ROWS):
        yield from _evaluate_rows(chunk, as_of)


def neutralise(value):
    """A text cell a spreadsheet would run as a formula, written as text (the usual leading ')."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def run_rows(rows, write_row, errors_out, as_of: dt.date, jobs: int = 1) -> tuple[int, int]:
    """Evaluate (line, cells, error) rows, the first being the header, into report rows passed to
    write_row, streaming, in input order; bad rows go to errors_out by line. Return (rows
    written, bad rows)."""
    rows = iter(rows)
    _, header, error = next(rows, (None, None, None))
    if error is not None:
        raise BatchError(f"表头有误：{error}")
    if not header:
        raise BatchError("文件为空或缺少表头")
    columns, applicant_at = _columns(header)
    write_row(REPORT_COLUMNS)
    written = bad = 0
    for line, row, error in _evaluated(_records(rows, header, columns, applicant_at), as_of, jobs):
        if error is not None:
            errors_out.write(f"第 {line} 行：{error}\n")
            bad += 1
        else:
            write_row([neutralise(row[c]) for c in REPORT_COLUMNS])
            written += 1
    return written, bad


def run_batch(rows_in, rows_out, errors_out, as_of: dt.date, jobs: int = 1) -> tuple[int, int]:
    """run_rows from a CSV text stream to a CSV text stream."""
    with _big_csv_fields():
        return run_rows(csv_rows(csv.reader(rows_in)), csv.writer(rows_out).writerow, errors_out, as_of, jobs)


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def _new_file_mode(target: Path) -> int:
    """mkstemp makes a private file; the report gets the mode an ordinary new file would."""
    try:
        return os.stat(target).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _is_xlsx(path: Path) -> bool:
    return path.suffix.lower() == ".xlsx"


def write_report(applicants: Path, output: Path, errors_out, as_of: dt.date, jobs: int = 1) -> tuple[int, int]:
    """Run the batch from a file into a report file, safely: the report is written to a temporary
    file beside the target and moved into place only when the run completes, so a fatal error
    leaves an existing report as it was, and the input is never the output. A .xlsx path is read
    or written through openpyxl (the optional "xlsx" extra); anything else is CSV."""
    applicants, output = Path(applicants), Path(output)
    if _same_file(applicants, output):
        raise BatchError(f"报告路径 {output} 就是申请人文件本身，请另选报告路径")
    if output.is_dir():
        raise BatchError(f"报告路径 {output} 是一个目录")
    if not output.parent.is_dir():
        raise BatchError(f"报告路径 {output} 所在的目录不存在")
    spreadsheet = None
    if _is_xlsx(applicants) or _is_xlsx(output):
        from checker import spreadsheet  # openpyxl: never loaded for CSV, nor in the browser
    with ExitStack() as stack:
        stack.enter_context(_big_csv_fields())
        if _is_xlsx(applicants):
            rows = stack.enter_context(closing(spreadsheet.read_rows(applicants)))
        else:
            rows = csv_rows(csv.reader(stack.enter_context(open_applicants(applicants))))
        try:
            fd, temp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
        except OSError as exc:
            exc.filename = str(output)  # not the temporary name, which the user never chose
            raise
        try:
            if _is_xlsx(output):
                os.close(fd)
                with spreadsheet.RowWriter(temp) as write_row:
                    counts = run_rows(rows, write_row, errors_out, as_of, jobs)
            else:
                # UTF-8 with BOM: Excel and WPS read a CSV without one in the system's code page.
                with open(fd, "w", encoding="utf-8-sig", newline="") as rows_out:
                    counts = run_rows(rows, csv.writer(rows_out).writerow, errors_out, as_of, jobs)
            os.chmod(temp, _new_file_mode(output))
            os.replace(temp, output)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
    return counts
