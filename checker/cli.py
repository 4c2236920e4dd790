"""Command line: python -m checker evaluate|batch|schema|questions|rules.

Bad input → a precise message on stderr and a non-zero exit, never a traceback.

The batch's CSV format and report columns: see checker/batch.py.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys

from checker import policy
from checker.batch import PARALLEL_FROM_ROWS, BatchError, run_batch
from checker.engine import VERDICT_LABELS, Result, evaluate
from checker.errors import ValidationError, json_error_text
from checker.profile import parse_date
from checker.questions import questions
from checker.schema import profile_schema

AS_OF_HELP = "评估日 YYYY-MM-DD（默认：今天）"


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
    lines = [f"{d['measure_name']} · 自测结果（评估日 {d['as_of']}）", ""]
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
        names = {p["id"]: p for p in d["programmes"]}
        basis = "、".join(f"{names[b['programme']]['name']} {names[b['programme']]['highest_tier_name']}"
                          f"（{VERDICT_LABELS[b['verdict']]}）" for b in money["basis"])
        lines.append(f"资金测算依据：{basis}")
        parts = [f"按计划发放 {t['scheduled']} 元", f"按需申请 {t['on_application']} 元"]
        if t["by_time_estimate"]:
            parts.append(f"按实际在合工作时长估算 {t['by_time_estimate']} 元")
        lines.append(f"资金测算：合计 {t['total']} 元（{'，'.join(parts)}）")
        if t["employer"] is not None:
            lines.append(f"  用人单位承担 {t['employer']} 元，区人才专项资金承担 {t['fund']} 元")
        for s in money["split"]:
            lines.append(f"  {s['label']}")
        for y in money["yearly"]:
            period = f"（{y['from']} 至 {y['to']}）" if y["from"] else ""
            lines.append(f"  第 {y['year']} 年{period}：{y['total']} 元")
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
    except (UsageError, BatchError) as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
