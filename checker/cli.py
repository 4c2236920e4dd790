"""Command line: python -m checker evaluate|batch|schema|questions|rules.

Bad input → a precise message on stderr and a non-zero exit, never a traceback.

Batch CSV (UTF-8, header row): columns are question ids (see `questions`), plus an optional
`applicant` column copied to the report. Empty cell = not answered; bool cells true/false
(or 是/否); int cells digits; multi cells values separated by ";". The report has one row per
valid applicant: line, applicant, measure, programme (the one with the best verdict), tier (its
highest tier met or under review), tier_name, tier_verdict, verdict (the programme's: its
highest tier's verdict, else the best of its tiers), verdict_label,
missing (what the next tier on the applicant's path still needs, as actions; "；"-separated),
next_tier (those actions → the tier and what it adds, as the 自测 page shows it), total_yuan, employer_yuan,
fund_yuan. Bad rows are reported on stderr by line number; the rest are still processed and the
exit code is 1. Files of PARALLEL_FROM_ROWS rows or more are split over --jobs processes
(default: all cores); the report is the same, in input order.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys

from checker import policy
from checker.engine import GOODNESS, VERDICT_LABELS, Result, evaluate
from checker.errors import ValidationError, json_error_text
from checker.profile import parse_date
from checker.questions import by_id, questions
from checker.schema import profile_schema
from checker.summary import next_tiers

REPORT_COLUMNS = ["line", "applicant", "measure", "programme", "tier", "tier_name", "tier_verdict", "verdict",
                  "verdict_label", "missing", "next_tier", "total_yuan", "employer_yuan", "fund_yuan"]
PASS_THROUGH = "applicant"
AS_OF_HELP = "评估日 YYYY-MM-DD（默认：今天）"
_BOOLS = {"true": True, "false": False, "是": True, "否": False}


class UsageError(Exception):
    """A bad file or argument: printed as one message, exit code 2."""


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _print_json(data) -> int:
    sys.stdout.write(_dump(data) + "\n")
    return 0


def _os_error_text(exc: OSError) -> str:
    """Why a file could not be opened, in Chinese (the system's own message is English)."""
    for kind, text in ((FileNotFoundError, "文件或目录不存在"), (IsADirectoryError, "这是一个目录"),
                       (PermissionError, "没有访问权限")):
        if isinstance(exc, kind):
            return text
    return f"系统错误 {exc.errno}" if exc.errno else "系统错误"


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    errors: list = []
    date = parse_date(text, "--as-of", errors)
    if errors:
        raise ValidationError(errors)
    return date


def render_text(result: Result) -> str:
    """The result in Chinese, for a terminal: the checker's summary first, then the trace."""
    d = result.to_dict()
    marks = {"met": "✓", "not_met": "✗", "review": "?", "unanswered": "…"}
    summary = d["summary"]
    lines = [f"{d['measure_name']} · 自测结果（评估日 {d['as_of']}）", ""]
    lines += [f"  {line}" for line in summary["lines"]]
    lines += ["", "—— 逐条判断 ——", ""]
    status = {p["id"]: p for p in summary["programmes"]}
    for p in d["programmes"]:
        head = f"【{p['name']}】{status[p['id']]['status_label']}"
        if p["highest_tier_name"]:
            head += f" · 最高可能层次：{p['highest_tier_name']}"
        lines.append(head)
        if not status[p["id"]]["applies"]:
            lines += ["  不适用于所选情况", ""]
            continue
        for t in p["tiers"]:
            lines.append(f"  {t['name']}：{t['verdict_label']}")
            for f in t["findings"]:
                detail = f"；{f['values']}" if f["values"] else ""
                lines.append(f"    {marks[f['verdict']]} {f['label']}（{f['verdict_label']}{detail}；{f['reason']}）"
                             f"［{f['citation']['label']}］")
        for b in p["benefits"]:
            lines.append(f"  待遇 · {b['name']}：{b['description']}［{b['citation']['label']}］")
        for n in p["notes"]:
            lines.append(f"  说明：{n['text']}［{n['citation']['label']}］")
        lines.append("")
    money, shown = d["money"], summary["money"]
    if money:
        t, text = money["totals"], shown["totals_text"]
        names = {p["id"]: p for p in d["programmes"]}
        basis = "、".join(f"{names[b['programme']]['name']} {names[b['programme']]['highest_tier_name']}"
                          f"（{VERDICT_LABELS[b['verdict']]}）" for b in money["basis"])
        lines.append(f"资金测算依据：{basis}")
        parts = [f"按计划发放 {text['scheduled']}", f"按需申请 {text['on_application']}"]
        if t["by_time_estimate"]:
            parts.append(f"按实际在合工作时长估算 {text['by_time_estimate']}")
        lines.append(f"资金测算：合计 {text['total']}（{'，'.join(parts)}）")
        if t["employer"] is not None:
            lines.append(f"  用人单位承担 {text['employer']}，区人才专项资金承担 {text['fund']}")
        for s, split_text in zip(money["split"], shown["split_text"]):
            lines.append(f"  {s['label']}" + (f"：{split_text}" if s["employer_percent"] is not None else ""))
        for y, y_text in zip(money["yearly"], shown["yearly_text"]):
            period = f"（{y['from']} 至 {y['to']}）" if y["from"] else ""
            lines.append(f"  第 {y['year']} 年{period}：{y_text['text']}")
        lines.append("")
    for n in d["notes"]:
        lines.append(f"注意：{n['text']}［{n['citation']['label']}］")
    lines.append(d["disclaimer"]["text"])
    return "\n".join(lines) + "\n"


def _cmd_evaluate(args) -> int:
    try:
        with open(args.profile, encoding="utf-8") as fh:
            profile = json.load(fh)
    except OSError as exc:
        raise UsageError(f"无法读取 {args.profile}：{_os_error_text(exc)}") from None
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{args.profile} 不是有效的 JSON：{json_error_text(exc)}") from None
    result = evaluate(profile, as_of=_as_of(args.as_of))
    sys.stdout.write(_dump(result.to_dict()) + "\n" if args.format == "json" else render_text(result))
    return 0


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


def summarise(result: Result) -> dict:
    """One report row: the best programme, its highest tier, the money, and the next tier as the
    checker's summary words it (the page shows the same)."""
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
        out.append((line, {"line": line, "applicant": applicant, **summarise(result)}, None))
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
        raise UsageError("CSV 为空或缺少表头")
    questions_by_id = by_id()
    unknown = [c for c in header if c not in questions_by_id and c != PASS_THROUGH]
    if unknown:
        raise UsageError(f"未知的列：{', '.join(unknown)}（列名应为问题编号，见 python -m checker questions）")
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


def _cmd_batch(args) -> int:
    as_of = _as_of(args.as_of)
    try:
        with open(args.applicants, encoding="utf-8-sig", newline="") as fin, \
                open(args.output, "w", encoding="utf-8", newline="") as fout:
            written, bad = run_batch(fin, fout, sys.stderr, as_of, jobs=args.jobs)
    except OSError as exc:
        raise UsageError(f"无法读写文件 {exc.filename}：{_os_error_text(exc)}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{args.applicants} 不是 UTF-8 编码的 CSV") from None
    except csv.Error as exc:
        raise UsageError(f"CSV 格式错误：{exc}") from None
    sys.stderr.write(f"已评估 {written} 行，错误 {bad} 行，报告写入 {args.output}\n")
    return 1 if bad else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m checker", description="合川区教育、卫生人才政策自测")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="评估一份回答（JSON 文件）")
    ev.add_argument("profile", help="回答文件（JSON 对象 {问题编号: 回答}）")
    ev.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text：中文文字）")
    ev.add_argument("--as-of", help=AS_OF_HELP)
    ev.set_defaults(run=_cmd_evaluate)
    batch = sub.add_parser("batch", help="批量评估申请人 CSV，输出报告 CSV")
    batch.add_argument("applicants", help="申请人 CSV（UTF-8，表头为问题编号）")
    batch.add_argument("-o", "--output", required=True, help="报告 CSV 的路径")
    batch.add_argument("--as-of", help=AS_OF_HELP)
    batch.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                       help=f"{PARALLEL_FROM_ROWS} 行及以上的文件使用的进程数（默认：全部 CPU 核）")
    batch.set_defaults(run=_cmd_batch)
    for name, producer, text in (("schema", profile_schema, "输出回答（profile）的 JSON Schema"),
                                 ("questions", questions, "以 JSON 输出自测问题"),
                                 ("rules", policy.load, "以 JSON 输出规则数据（层次、金额、资金分担）")):
        p = sub.add_parser(name, help=text)
        p.set_defaults(run=lambda args, producer=producer: _print_json(producer()))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except ValidationError as exc:
        sys.stderr.write("输入有误：\n" + "".join(f"  {e['field']}: {e['message']}\n" for e in exc.errors))
        return 2
    except UsageError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
