"""The command line, run in-process: every bad input gives a message and an exit code, never a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

import checker
from checker import policy
from checker.cli import main

PROFILE = {"measure": "education", "situation": "recruit", "birth_date": "1976-03-10",
           "edu_honours": ["national_model_teacher"], "service_commitment": True, "school_type": "compulsory"}


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


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def test_batch_reports_bad_rows_by_line_and_processes_the_rest(tmp_path, capsys):
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    header = ["applicant", "measure", "situation", "birth_date", "edu_honours", "service_commitment", "school_type",
              "institution_urban_quality", "health_title"]
    write_csv(applicants, header, [
        ["张三", "education", "recruit", "1976-03-10", "national_model_teacher;provincial_backbone_teacher", "true", "compulsory", "", ""],
        ["李四", "education", "recruit", "1976-02-30", "", "true", "", "", ""],
        ["王五", "health", "in_district", "1990-01-01", "", "", "", "是", "wizard"],
        ["赵六", "education", "recruit", "1970-06-01", "provincial_special_teacher", "否", "", "", ""],
    ])
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 1
    err = capsys.readouterr().err
    assert "第 3 行" in err and "birth_date" in err
    assert "第 4 行" in err and "health_title" in err
    rows = list(csv.DictReader(open(report, encoding="utf-8")))
    assert [r["applicant"] for r in rows] == ["张三", "赵六"]
    first, last = rows
    assert (first["line"], first["programme"], first["tier"], first["verdict"], first["total_yuan"]) == \
        ("2", "introduction", "a", "met", "770000")
    assert (first["employer_yuan"], first["fund_yuan"]) == ("0", "770000")
    # 赵六 is 56 and refuses the commitment: nothing, and the report says what the top tier still needs
    assert (last["tier"], last["verdict"], last["total_yuan"]) == ("", "not_met", "0")
    assert "承诺在我区最低服务5年以上" in last["missing"]


def test_batch_reports_a_cell_that_is_not_an_integer(tmp_path, capsys):
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(applicants, ["measure", "situation", "years_affiliated_hospital"],
              [["health", "recruit", "²"], ["health", "recruit", "3.5"], ["health", "recruit", "9" * 5000],
               ["health", "recruit", " 12 "]])
    assert main(["batch", str(applicants), "-o", str(report)]) == 1
    err = capsys.readouterr().err
    assert all(f"第 {line} 行：years_affiliated_hospital: 应为整数" in err for line in (2, 3, 4)), err
    assert "Traceback" not in err
    assert [r["line"] for r in csv.DictReader(open(report, encoding="utf-8"))] == ["5"]


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
    assert schema["properties"]["measure"]["enum"] == ["education", "health", None]


@pytest.mark.parametrize("command, check", [
    ("questions", lambda data: data == checker.questions()),
    ("rules", lambda data: data == policy.load() and set(data["measures"]) == {"education", "health"}),
])
def test_questions_and_rules_print_json(command, check, capsys):
    assert main([command]) == 0
    assert check(json.loads(capsys.readouterr().out))


def test_batch_missing_names_the_next_tier_open_to_the_path(tmp_path, capsys):
    """An E graduate is told what D needs; a D graduate is not told to become a recruit with honours."""
    applicants, report = tmp_path / "in.csv", tmp_path / "out.csv"
    header = ["measure", "situation", "university", "edu_degree", "edu_full_time_degree", "normal_major", "fresh_graduate",
              "service_commitment"]
    write_csv(applicants, header, [
        ["education", "graduate", "重庆大学", "master", "master", "true", "true", "true"],
        ["education", "graduate", "西南大学", "master", "master", "true", "true", "true"],
    ])
    assert main(["batch", str(applicants), "-o", str(report), "--as-of", "2026-06-01"]) == 0
    e_row, d_row = list(csv.DictReader(open(report, encoding="utf-8")))
    assert (e_row["tier"], e_row["tier_verdict"], e_row["missing"]) == ("e", "review", "教育部直属重点师范类高等院校毕业")
    assert (d_row["tier"], d_row["missing"]) == ("d", "")


def test_batch_in_parallel_writes_the_same_report(tmp_path):
    """Files of PARALLEL_FROM_ROWS rows or more use all cores; the report must not change."""
    import io
    import pathlib
    import tomllib

    from checker.cli import PARALLEL_FROM_ROWS, run_batch

    profiles = [tomllib.loads(p.read_text("utf-8"))["profile"]
                for p in sorted(pathlib.Path(__file__).parent.joinpath("cases").glob("*.toml"))]
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
    text = out.getvalue()
    reports, errors = [], []
    for jobs in (1, 2):
        report, err = io.StringIO(), io.StringIO()
        counts = run_batch(io.StringIO(text), report, err, dt.date(2026, 6, 1), jobs=jobs)
        reports.append((counts, report.getvalue()))
        errors.append(err.getvalue())
    assert reports[0] == reports[1] and errors[0] == errors[1]
    assert reports[0][0][1] > 0 and "第 " in errors[0]  # the invalid case rows are reported in both


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
    import tomllib

    case = tomllib.loads((Path(__file__).parent / "cases" / "edu_flexible_a.toml").read_text("utf-8"))
    path = tmp_path / "flexible.json"
    path.write_text(json.dumps(case["profile"], ensure_ascii=False, default=str), "utf-8")
    assert main(["evaluate", str(path), "--as-of", str(case["as_of"])]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("资金测算："))
    amounts = [float(n) * (10000 if unit else 1) for n, unit in re.findall(r"([\d.]+)(万)?元", line)]
    total, *parts = amounts
    assert total > 0 and sum(parts) == total, line
