"""Command line: python -m checker evaluate|batch|schema|questions|rules.

Bad input → a precise message on stderr and a non-zero exit, never a traceback.

The batch's CSV format and report columns: see checker/batch.py.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import json
import os
import sys

from checker import policy
from checker.amounts import yuan_text
from checker.batch import PARALLEL_FROM_ROWS, BatchError, write_report
from checker.citation import MEASURE_SHORT_NAMES
from checker.engine import VERDICT_LABELS, Result, evaluate
from checker.errors import ValidationError, error_lines, json_error_text
from checker.profile import parse_date
from checker.questions import questions
from checker.schema import profile_schema

AS_OF_HELP = "评估日 YYYY-MM-DD（默认：今天）"
EXIT_CODES = """退出码：
  0    完成，没有错误
  1    批量评估已完成，但有的行有误（逐行列在标准错误输出中）
  2    文件、参数或回答有误，没有产生结果（已有的报告文件保持原样）
  130  被中断（Ctrl-C），已有的报告文件保持原样"""
# What a console lacking a character shows instead, best first (else "?"): a Chinese Windows
# console (GBK) has no ✓ or ✗.
_SUBSTITUTES = {"✓": ("√", "v"), "✗": ("×", "x"), "…": ("...",), "·": (".",), "；": (";",), "：": (":",),
                "（": ("(",), "）": (")",), "［": ("[",), "］": ("]",), "，": (",",), "、": (",",)}


class UsageError(Exception):
    """A bad file or argument: printed as one message, exit code 2."""


def _console_fallback(exc: UnicodeError):
    """Codec error handler: a character the console's encoding lacks (or a lone surrogate from
    a text answer) is printed as a substitute the encoding has, never a traceback."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        for candidate in (*_SUBSTITUTES.get(ch, ()), "\ufffd", "?"):
            try:
                candidate.encode(exc.encoding)
            except (UnicodeError, LookupError):
                continue
            out.append(candidate)
            break
    text = "".join(out)
    # The UTF-8 encoder takes only ASCII text back from a handler, but bytes; the CJK codecs only text.
    if codecs.lookup(exc.encoding).name == "utf-8":
        return text.encode("utf-8"), exc.end
    return text, exc.end


codecs.register_error("checker-console", _console_fallback)


def _console_safe() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a TextIOWrapper; test doubles may lack it
            stream.reconfigure(errors="checker-console")


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
    names = {p["id"]: p["name"] for p in d["programmes"]}
    lines = [f"{d['measure_name']} · 自测结果（评估日 {d['as_of']}）", d["provenance"]["text"], ""]
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
    money, shown = d["money"], summary["money"] or {}
    if money:
        t = money["totals"]
        basis = "、".join(f"{names[b['programme']]} {b['tier_name']}（{VERDICT_LABELS[b['verdict']]}）"
                          for b in money["basis"]) or "无已符合的层次"
        lines.append(f"资金测算依据：{basis}")
        for w in money["withheld"]:
            lines.append(f"  {names[w['programme']]} {w['tier_name']}："
                         f"未承诺服务年限，待遇不计入（否则约 {yuan_text(w['total'])}）")
        parts = [f"按计划发放 {yuan_text(t['scheduled'])}", f"按需申请 {yuan_text(t['on_application'])}"]
        if t["by_time_monthly"]:
            parts.append(f"按实际在合工作时长估算 {yuan_text(t['by_time_estimate'])}" if t["estimate"]
                         else f"另每月 {yuan_text(t['by_time_monthly'])}，按实际在合工作时长据实发放")
        total = "按实际在合工作时长据实发放" if t["total"] is None else yuan_text(t["total"])
        lines.append(f"资金测算：合计 {total}（{'，'.join(parts)}）")
        if t["employer"] is not None:
            lines.append(f"  用人单位承担 {yuan_text(t['employer'])}，区人才专项资金承担 {yuan_text(t['fund'])}")
        for s, split_text in zip(money["split"], shown.get("split_text", [])):
            lines.append(f"  {s['label']}" + (f"：{split_text}" if s["employer_percent"] is not None else ""))
        for y in money["yearly"]:
            period = f"（{y['from']} 至 {y['to']}）" if y["from"] else ""
            lines.append(f"  第 {y['year']} 年{period}：{yuan_text(y['total'])}")
        review = d["money_if_review"]
        if review:
            tiers = "、".join(f"{names[b['programme']]} {b['tier_name']}" for b in review["basis"])
            adds = "" if review["adds"] is None else f"，比可确定部分多 {yuan_text(review['adds'])}"
            lines.append(f"如评审认定为 {tiers}：合计 {yuan_text(review['totals']['total'])}{adds}")
        lines.append("")
    for n in d["notes"]:
        lines.append(f"注意：{n['text']}［{n['citation']['label']}］")
    lines.append(d["disclaimer"]["text"])
    return "\n".join(lines) + "\n"


def _cmd_evaluate(args) -> int:
    try:
        with open(args.profile, encoding="utf-8-sig") as fh:  # Windows Notepad writes a BOM
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
    if args.jobs < 1:
        raise UsageError("--jobs 应为正整数")
    try:
        written, bad = write_report(args.applicants, args.output, sys.stderr, as_of, jobs=args.jobs)
    except OSError as exc:
        raise UsageError(f"无法读写文件 {exc.filename}：{_os_error_text(exc)}") from None
    sys.stderr.write(f"已评估 {written} 行，错误 {bad} 行，报告写入 {args.output}\n")
    return 1 if bad else 0


def build_parser() -> argparse.ArgumentParser:
    common = {"epilog": EXIT_CODES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    description = f"合川区{'、'.join(MEASURE_SHORT_NAMES.values())}人才政策自测"
    parser = argparse.ArgumentParser(prog="python -m checker", description=description, **common)
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="评估一份回答（JSON 文件）", **common)
    ev.add_argument("profile", help="回答文件（JSON 对象 {问题编号: 回答}）")
    ev.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text：中文文字）")
    ev.add_argument("--as-of", help=AS_OF_HELP)
    ev.set_defaults(run=_cmd_evaluate)
    batch = sub.add_parser("batch", help="批量评估申请人 CSV，输出报告 CSV", **common)
    batch.add_argument("applicants", help="申请人 CSV（UTF-8 或 GB18030/GBK，表头为问题编号）；"
                                          "也可以是 .xlsx（需要 openpyxl）")
    batch.add_argument("-o", "--output", required=True,
                       help="报告 CSV 的路径（UTF-8 带 BOM；以 .xlsx 结尾时写成 .xlsx）；"
                            "写完后才替换已有文件，不能与申请人文件相同")
    batch.add_argument("--as-of", help=AS_OF_HELP)
    batch.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                       help=f"{PARALLEL_FROM_ROWS} 行及以上的文件使用的进程数（默认：全部 CPU 核）")
    batch.set_defaults(run=_cmd_batch)
    for name, producer, text in (("schema", profile_schema, "输出回答（profile）的 JSON Schema"),
                                 ("questions", questions, "以 JSON 输出自测问题")):
        p = sub.add_parser(name, help=text)
        p.set_defaults(run=lambda args, producer=producer: _print_json(producer()))
    rules = sub.add_parser("rules",
                           help="以 JSON 输出规则数据（层次、金额、资金分担；数值为评估日施行的，另附历次变动）")
    rules.add_argument("--as-of", help=AS_OF_HELP)
    rules.set_defaults(run=lambda args: _print_json(policy.load(_as_of(args.as_of))))
    return parser


def main(argv: list[str] | None = None) -> int:
    _console_safe()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except ValidationError as exc:
        sys.stderr.write("输入有误：\n" + "".join(f"  {line}\n" for line in error_lines(exc.errors)))
        return 2
    except (UsageError, BatchError) as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("已中断\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
