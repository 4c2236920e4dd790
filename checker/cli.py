"""Command line: python -m checker evaluate|batch|schema|questions|rules.

Bad input → a precise message on stderr and a non-zero exit, never a traceback.

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

import argparse
import csv
import datetime as dt
import json
import os
import sys

from checker import policy
from checker.engine import GOODNESS, NOT_MET, VERDICT_LABELS, Result, evaluate
from checker.errors import ValidationError, json_error_text
from checker.profile import parse_date
from checker.questions import by_id, questions
from checker.schema import profile_schema

REPORT_COLUMNS = ["line", "applicant", "measure", "programme", "tier", "tier_name", "tier_verdict", "verdict",
                  "verdict_label", "missing", "total_yuan", "employer_yuan", "fund_yuan"]
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
    """The result in Chinese, for a terminal."""
    d = result.to_dict()
    marks = {"met": "✓", "not_met": "✗", "review": "?", "unanswered": "…"}
    names = {p["id"]: p["name"] for p in d["programmes"]}
    lines = [f"{d['measure_name']} · 自测结果（评估日 {d['as_of']}）", d["provenance"]["text"], ""]
    for p in d["programmes"]:
        head = f"【{p['name']}】{p['verdict_label']}"
        if p["highest_tier_name"]:
            head += f" · 最高可能层次：{p['highest_tier_name']}"
        lines.append(head)
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
    money = d["money"]
    if money:
        t = money["totals"]
        basis = "、".join(f"{names[b['programme']]} {b['tier_name']}（{VERDICT_LABELS[b['verdict']]}）"
                          for b in money["basis"]) or "无已符合的层次"
        lines.append(f"资金测算依据：{basis}")
        for w in money["withheld"]:
            lines.append(f"  {names[w['programme']]} {w['tier_name']}：未承诺服务年限，待遇不计入（否则约 {w['total']} 元）")
        parts = [f"按计划发放 {t['scheduled']} 元", f"按需申请 {t['on_application']} 元"]
        if t["by_time_monthly"]:
            parts.append(f"按实际在合工作时长估算 {t['by_time_estimate']} 元" if t["estimate"]
                         else f"另每月 {t['by_time_monthly']} 元，按实际在合工作时长据实发放")
        total = "按实际在合工作时长据实发放" if t["total"] is None else f"{t['total']} 元"
        lines.append(f"资金测算：合计 {total}（{'，'.join(parts)}）")
        if t["employer"] is not None:
            lines.append(f"  用人单位承担 {t['employer']} 元，区人才专项资金承担 {t['fund']} 元")
        for s in money["split"]:
            lines.append(f"  {s['label']}")
        for y in money["yearly"]:
            period = f"（{y['from']} 至 {y['to']}）" if y["from"] else ""
            lines.append(f"  第 {y['year']} 年{period}：{y['total']} 元")
        review = d["money_if_review"]
        if review:
            tiers = "、".join(f"{names[b['programme']]} {b['tier_name']}" for b in review["basis"])
            adds = "" if review["adds"] is None else f"，比可确定部分多 {review['adds']} 元"
            lines.append(f"如评审认定为 {tiers}：合计 {review['totals']['total']} 元{adds}")
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
        "total_yuan": (money.total if money.total is not None else "") if money else 0,
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
