"""Values with dates, the versions of the text, and the version a result cites.

The tests of the mechanism revise the data in memory: `revise(measure, edit)` hands the checker a
copy of rules/<measure>.toml changed by `edit`, for the one test. The copy starts from the measure
as it stands today, without its history (one text version, each value the latest), so a real
revision of the measure does not move the dates and figures these tests use.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
import pathlib

import pytest

import checker
from checker import _data, api, dated, labels, policy, versions
from checker.citation import MEASURES
from checker.errors import RuleDataError
from site_builder.text import policy_dir
from site_builder.value_changes import value_changes
from tests.helpers import forget_rule_data, replace_rule_files

questions_module = importlib.import_module("checker.questions")  # checker.questions is also a function
POLICY = policy_dir()
D = dt.date.fromisoformat

# A 57-year-old holder of a national honour: over 55 (原则上 → 需评审), within 58.
A_57 = {"measure": "education", "situation": "recruit", "birth_date": "1970-01-15",
        "edu_honours": ["national_excellent_teacher"], "service_commitment": True}


@pytest.fixture
def revise(monkeypatch):
    """revise(measure, edit[, ask]): the checker reads rules/<measure>.toml as changed by edit(raw)
    (and rules/<measure>.questions.toml as changed by ask(raw), if given)."""
    def apply(measure, edit, ask=None):
        real = _data.toml
        files = {f"{measure}.toml": without_history(real(f"{measure}.toml"))}
        edit(files[f"{measure}.toml"])
        if ask:
            files[questions_module.measure_file(measure)] = copy.deepcopy(real(questions_module.measure_file(measure)))
            ask(files[questions_module.measure_file(measure)])
        replace_rule_files(monkeypatch, files)
    yield apply
    forget_rule_data()


def without_history(raw: dict) -> dict:
    """A copy of a measure's rule data as if it had always been as it is now."""
    raw = dated.resolve(copy.deepcopy(raw), dt.date.max)
    raw["measure"]["versions"] = [raw["measure"]["versions"][-1] | {"since": "publication"}]
    return raw


def raise_age_limit(raw):
    """Test-only history: edu art.4's 55 becomes 58 from 2027-01-01, C's 安家补助 10万 → 12万."""
    raw["criteria"]["age_high_level"]["limit"] = [{"value": 55}, {"since": "2027-01-01", "value": 58}]
    settling = next(b for b in raw["benefits"] if b["id"] == "settling")
    settling["amounts"]["a"] = [{"value": settling["amounts"]["a"]}, {"since": "2027-01-01", "value": 600000}]


# --- values with dates --------------------------------------------------------------------------

def test_an_evaluation_at_an_earlier_date_uses_the_value_then_in_force(revise):
    revise("education", raise_age_limit)
    before = checker.evaluate(A_57, as_of=D("2026-12-31")).to_dict()  # 56: over 55
    after = checker.evaluate(A_57, as_of=D("2027-01-01")).to_dict()   # 56: within 58
    find = lambda r: next(f for f in r["programmes"][0]["findings"] if f["criterion"] == "age_high_level")
    assert find(before)["verdict"] == "review" and find(before)["label"] == "高层次教育人才原则上不超过55周岁"
    assert "上限 55 周岁" in find(before)["values"]
    assert find(after)["verdict"] == "met" and find(after)["label"] == "高层次教育人才原则上不超过58周岁"
    settling = lambda r: next(b for b in r["programmes"][0]["benefits"] if b["id"] == "settling")
    assert settling(before)["amount"] == 500000 and settling(after)["amount"] == 600000
    total = lambda money: money["totals"]["total"]
    assert after["money_if_review"] is None and total(after["money"]) == total(before["money_if_review"]) + 100000


def test_a_value_changes_on_its_since_day_and_rules_are_compiled_once_per_period(revise):
    revise("education", raise_age_limit)
    assert policy.change_dates("education") == (D("2027-01-01"),)
    assert policy.rules("education", D("2026-01-01")) is policy.rules("education", D("2026-12-31"))
    assert policy.rules("education", D("2027-01-01")) is policy.rules("education", D("2030-05-05"))
    assert policy.rules("education", D("2026-12-31"))["criteria"]["top_age"]["limit"] == 55  # not dated


def test_load_shows_the_current_values_and_the_dated_history(revise):
    revise("education", raise_age_limit)
    data = policy.load(D("2027-06-01"))["measures"]["education"]
    c = data["criteria"]["age_high_level"]
    assert c["limit"] == 58 and c["label"] == "高层次教育人才原则上不超过58周岁"
    assert c["history"] == {"limit": [{"since": None, "value": 55}, {"since": "2027-01-01", "value": 58}]}
    settling = next(b for b in data["benefits"] if b["id"] == "settling")
    assert settling["amounts"]["a"] == 600000 and set(settling["history"]) == {"amounts.a"}
    assert "history" not in data["criteria"]["top_age"]
    assert policy.load(D("2026-06-01"))["measures"]["education"]["criteria"]["age_high_level"]["limit"] == 55


@pytest.mark.parametrize("measure", MEASURES)
def test_an_entry_shows_its_history_exactly_when_a_value_of_it_is_dated(measure):
    """On the real data (none is dated today) as on any: history and change dates agree."""
    raw, data = _data.toml(f"{measure}.toml"), policy.load()["measures"][measure]
    for cid, c in data["criteria"].items():
        assert ("history" in c) == bool(dated.dated_values(raw["criteria"][cid]))
    dates = {h["since"] for section in ("criteria", "benefits", "funding", "notes")
             for e in (data[section].values() if section == "criteria" else data[section])
             for history in e.get("history", {}).values() for h in history if h["since"]}
    dates |= {day.isoformat() for span in policy.spans(measure).values() for day in span if day}  # criteria
    assert sorted(dates) == [d.isoformat() for d in policy.change_dates(measure)]


def test_an_as_of_date_before_a_values_first_date_is_rejected(revise):
    revise("education", lambda raw: raw["criteria"]["age_high_level"].update(
        limit=[{"since": "2020-01-01", "value": 55}]))
    assert checker.evaluate(A_57, as_of=D("2020-01-01")).programmes[0].verdict == "met"  # 49 then
    with pytest.raises(checker.ValidationError) as info:
        checker.evaluate(A_57, as_of=D("2019-12-31"))
    assert info.value.errors[0]["field"] == "as_of" and "2020-01-01" in info.value.errors[0]["message"]
    reply = json.loads(api.handle_json(json.dumps({"profile": A_57, "as_of": "2019-12-31"})))
    assert reply["ok"] is False and reply["errors"][0]["field"] == "as_of"


@pytest.mark.parametrize("value, message", [
    ([{"since": "2027-01-01", "value": 1}, {"value": 2}], "only the first"),
    ([{"value": 1}, {"since": "2027-13-01", "value": 2}], "YYYY-MM-DD"),
    ([{"value": 1}, {"since": "2027-1-1", "value": 2}], "YYYY-MM-DD"),
    ([{"since": "2027-01-01", "value": 1}, {"since": "2027-01-01", "value": 2}], "not after"),
    ([{"value": 1}, {"since": "2027-01-01", "value": 2, "note": "x"}], "unknown key 'note'"),
    ([{"value": [1]}], "a number or a word"),
    ([], "a list of"),
])
def test_a_malformed_dated_value_is_refused_naming_where(value, message):
    with pytest.raises(RuleDataError, match=message) as info:
        dated.parse(value, "criteria.x.limit")
    assert "criteria.x.limit" in str(info.value)


def test_only_values_may_carry_dates(revise):
    revise("education", lambda raw: raw["criteria"]["age_high_level"].update(
        field=[{"value": "birth_date"}, {"since": "2027-01-01", "value": "other"}]))
    with pytest.raises(RuleDataError, match="criteria.age_high_level.field: this key cannot carry dated values"):
        policy.rules("education", D("2026-01-01"))


# --- criteria with dates -----------------------------------------------------------------------

# A health C recruit who meets every condition of C today (health art.5 (三)).
C_RECRUIT = {"measure": "health", "situation": "recruit", "birth_date": "1986-01-01", "service_commitment": True,
             "health_title": "deputy_senior", "health_degree": "master", "health_full_time_degree": "master",
             "health_a_declaration": True, "health_b_declaration": True, "health_c_declaration": True,
             "health_years_affiliated_hospital": 9, "health_years_tertiary_hospital": 12,
             "health_years_deputy_director": 0, "health_years_director": 0, "health_overseas_achievement": False,
             "health_achievements": ["general_project_leader", "committee_standing", "committee_member"]}


def add_annual_review(raw):
    """Test-only revision: health C gains 近3年年度考核合格 from 2026-10-01 (a new condition)."""
    raw["criteria"]["c_annual_review"] = {"label": "近3年年度考核合格", "cite": "5.3.1", "op": "true",
                                          "field": "health_annual_review", "since": "2026-10-01"}
    raw["tiers"]["c"]["criteria"].append("c_annual_review")


def ask_annual_review(raw):
    section = next(s for s in raw["section"] if any(q["id"] == "health_c_declaration" for q in s["question"]))
    section["question"].append({"id": "health_annual_review", "label": "近3年年度考核是否均为合格及以上？",
                                "type": "bool", "group": "C类条件"})


def test_a_criterion_applies_from_its_since_day(revise):
    revise("health", add_annual_review, ask_annual_review)
    assert policy.change_dates("health") == (D("2026-10-01"),)
    c = lambda r: next(p for p in r["programmes"] if p["id"] == "introduction")
    before = c(checker.evaluate(C_RECRUIT, as_of=D("2026-09-30")).to_dict())
    after = c(checker.evaluate(C_RECRUIT, as_of=D("2026-10-01")).to_dict())
    assert before["highest_tier"] == "c" and "c_annual_review" not in [f["criterion"] for f in before["findings"]]
    assert after["highest_tier"] != "c"  # the new answer is needed now
    tier_c = next(t for t in after["tiers"] if t["id"] == "c")
    assert tier_c["verdict"] == "unanswered"
    assert [f["verdict"] for f in tier_c["findings"] if f["criterion"] == "c_annual_review"] == ["unanswered"]
    answered = c(checker.evaluate({**C_RECRUIT, "health_annual_review": True}, as_of=D("2026-10-01")).to_dict())
    assert answered["highest_tier"] == "c"
    assert "c_annual_review" in [f["criterion"] for f in answered["findings"]]
    # The rules in force: absent before, in the tier's list after; the question is on the form either way.
    assert "c_annual_review" not in policy.rules("health", D("2026-09-30"))["criteria"]
    assert "c_annual_review" not in policy.rules("health", D("2026-09-30"))["tiers"]["c"]["criteria"]
    assert policy.rules("health", D("2026-10-01"))["tiers"]["c"]["criteria"][-1] == "c_annual_review"
    assert "health_annual_review" in questions_module.by_id()
    assert policy.load(D("2026-06-01"))["question_use"]["health_annual_review"] == [
        "health/flexible/c", "health/introduction/c"]


def test_the_text_page_lists_a_condition_added_or_dropped_on_its_day(revise):
    """The text page's list of changes (site_builder/value_changes.py) names a dated criterion
    on the day it starts, and one dated `until` on the day it stops, with its tier."""
    revise("health", add_annual_review, ask_annual_review)
    label = policy.rules("health", D("2026-10-01"))["criteria"]["c_annual_review"]["label"]
    assert [line for line in value_changes("health") if label in line] == [
        f"自 2026-10-01 起：C类卫生人才：新增条件：{label}"]

    def until(raw):
        add_annual_review(raw)
        raw["criteria"]["c_annual_review"] |= {"since": "2026-01-01", "until": "2026-10-01"}
    revise("health", until)  # on top of the first revision: the question is there already
    assert [line for line in value_changes("health") if label in line] == [
        f"自 2026-01-01 起：C类卫生人才：新增条件：{label}", f"自 2026-10-01 起：C类卫生人才：不再要求：{label}"]


def test_the_fidelity_check_skips_a_criterion_before_its_since(revise):
    """A new condition cites an item only the new text has: the earlier period does not check it."""
    from tests.test_checker_fidelity import entries, periods, text_of

    revise("health", lambda raw: (add_annual_review(raw), raw["criteria"]["c_annual_review"].update(cite="5.3.1.7")),
           ask_annual_review)
    assert list(periods("health")) == [dt.date.min, D("2026-10-01")]
    assert "criteria.c_annual_review" not in dict(entries("health", dt.date.min))
    for _, entry in entries("health", dt.date.min):
        text_of(entry["citation"], dt.date.min)  # every item the earlier rules cite is in the text then
    assert "criteria.c_annual_review" in dict(entries("health", D("2026-10-01")))


def test_a_criterion_stops_applying_on_its_until_day(revise):
    revise("health", lambda raw: raw["criteria"]["c_declaration"].update(until="2027-01-01"))
    assert "c_declaration" in policy.rules("health", D("2026-12-31"))["tiers"]["c"]["criteria"]
    assert "c_declaration" not in policy.rules("health", D("2027-01-01"))["tiers"]["c"]["criteria"]
    profile = {k: v for k, v in C_RECRUIT.items() if k != "health_c_declaration"}
    c = lambda day: next(p for p in checker.evaluate(profile, as_of=D(day)).to_dict()["programmes"]
                         if p["id"] == "introduction")["highest_tier"]
    assert c("2026-12-31") != "c" and c("2027-01-01") == "c"


@pytest.mark.parametrize("edit, message", [
    (lambda raw: raw["criteria"]["c_post"].update(since="2026-10-1"), r"criteria\.c_post\.since must be a date"),
    (lambda raw: raw["criteria"]["c_post"].update(since=20261001), r"criteria\.c_post\.since must be a date"),
    (lambda raw: raw["criteria"]["c_post"].update(since="2027-01-01", until="2027-01-01"),
     r"criteria\.c_post\.until: 2027-01-01 is not after since"),
    # c_tertiary_and_post needs c_post in every period it applies in.
    (lambda raw: raw["criteria"]["c_post"].update(since="2026-10-01"),
     r"criteria\.c_tertiary_and_post\.of: 'c_post' applies only since 2026-10-01"),
    (lambda raw: raw["tiers"]["c"].update(since="2026-10-01"), r"tiers\.c\.since: only a criterion"),
])
def test_a_bad_criterion_date_is_refused_naming_file_and_key(revise, edit, message):
    revise("health", edit)
    with pytest.raises(RuleDataError, match=r"rules/health\.toml, " + message):
        policy.rules("health", D("2026-06-01"))


def test_a_group_may_start_with_its_parts(revise):
    def edit(raw):
        for cid in ("c_post", "c_tertiary_and_post", "c_experience"):
            raw["criteria"][cid]["since"] = "2026-10-01"
    revise("health", edit)
    assert "c_experience" not in policy.rules("health", D("2026-06-01"))["tiers"]["c"]["criteria"]
    assert "c_experience" in policy.rules("health", D("2026-10-01"))["tiers"]["c"]["criteria"]


# --- label templates ----------------------------------------------------------------------------

def test_labels_are_filled_from_the_values_in_force():
    r = policy.rules("health", D("2026-06-01"))
    assert r["criteria"]["a_achievements"]["label"] == "近5年业绩显著，具备所列任意三项条件"
    assert r["criteria"]["b_achievements"]["label"] == "近5年业绩突出，具备所列任意两项条件"
    assert r["criteria"]["c_post"]["label"] == "担任本专科主任1年以上或副主任2年以上"
    assert r["funding"][0]["label"] == "城区优质医疗机构：用人单位承担90%，区人才专项资金承担10%"


@pytest.mark.parametrize("template, message", [
    ("不超过{limt}周岁", "unknown field 'limt'"), ("{limit:cn}", "unknown format"), ("{limit", "criteria.x.label"),
])
def test_a_bad_template_is_refused_naming_where(template, message):
    with pytest.raises(RuleDataError, match=message):
        labels.render_entry({"label": template, "limit": 55}, "criteria.x")


def test_template_formats():
    fields = {"n": 2, "m": 3, "amount": 500000, "small": 500}
    assert labels.render("{n:zh}项、{m:zh}项、{amount:yuan}、{small:yuan}", fields, "x") == "两项、三项、50万元、500元"


# --- versions of the text -----------------------------------------------------------------------

@pytest.mark.parametrize("measure", MEASURES)
def test_every_version_of_the_text_is_declared_with_its_checksum(measure):
    """The checksum recorded for each version is that of its file under policy/, and every file
    of the measure under policy/ is a declared version. After changing a text, copy the checksum
    printed here into the [measure] versions of rules/<measure>.toml (then update version.toml)."""
    declared = versions.text_versions(measure)
    for v in declared:
        actual = versions.checksum_of((POLICY / v.file).read_bytes())
        assert v.checksum == actual, f"rules/{measure}.toml: versions, since {v.since}: checksum = \"{actual}\""
    on_disk = {p.name for p in POLICY.glob(f"{measure}.*txt") if p.name.split(".")[0] == measure}
    assert on_disk == {v.file for v in declared}
    assert declared[-1].current and declared[-1].file == f"{measure}.txt"


def two_versions(raw):
    """Test-only history: the text in force since 2027-03-01; the one before was published earlier."""
    raw["measure"]["versions"] = [{"since": "publication", "checksum": "0badc0de", "title": "旧办法（试行）"},
                                  raw["measure"]["versions"][0] | {"since": "2027-03-01"}]


def test_the_version_in_force_is_picked_by_the_as_of_date(revise):
    revise("education", two_versions)
    old, new = versions.text_versions("education")
    assert (old.file, new.file) == ("education.before-2027-03-01.txt", "education.txt")
    assert versions.in_force("education", D("2027-02-28")) == old and old.until == D("2027-03-01")
    assert versions.in_force("education", D("2027-03-01")) == new and new.current
    assert versions.in_force("education", D("1990-01-01")) == old  # from publication: no lower bound
    data = policy.load(D("2027-06-01"))["measures"]["education"]["text_versions"]
    assert [v["since"] for v in data] == [None, "2027-03-01"] and data[1]["since_text"] == "自 2027-03-01 起施行"


def test_an_as_of_date_before_the_measure_took_effect_is_rejected(revise):
    revise("education", lambda raw: raw["measure"]["versions"][0].update(since="2027-03-01"))
    with pytest.raises(checker.ValidationError) as info:
        checker.evaluate(A_57, as_of=D("2027-02-28"))
    assert info.value.errors == [{"field": "as_of", "message": (
        "评估日期 2027-02-28 早于《合川区教育人才引进培养办法（试行）》的施行日期 2027-03-01，无法评估")}]
    assert checker.evaluate(A_57, as_of=D("2027-03-01")).programmes[0].verdict == "review"


@pytest.mark.parametrize("versions_value, message", [
    ([], "missing"), ([{"since": "2027-03-01"}], "checksum"),
    ([{"since": "publication", "checksum": "12345678"}, {"since": "publication", "checksum": "12345678"}], "since"),
    ([{"since": "2027-03-01", "checksum": "12345678"}, {"since": "2027-03-01", "checksum": "12345678"}], "not after"),
    ([{"since": "publication", "checksum": "12345678", "url": "x"}], "a table with the keys"),
])
def test_a_malformed_version_list_is_refused(revise, versions_value, message):
    revise("education", lambda raw: raw["measure"].update(versions=versions_value))
    with pytest.raises(RuleDataError, match=message):
        versions.text_versions("education")


# --- the version a result cites -----------------------------------------------------------------

def test_a_result_cites_the_text_version_in_force_and_the_rule_data(revise):
    result = checker.evaluate(A_57, as_of=D("2026-06-01")).to_dict()["provenance"]
    then = versions.in_force("education", D("2026-06-01"))
    assert result["text_checksum"] == then.checksum and result["text_since"] == then.to_dict()["since"]
    assert f"文本校验码 {then.checksum}" in result["text"] and result["rules_checksum"] in result["text"]
    # The rule checksum covers the recorded text checksums, so a new text changes it too.
    assert then.checksum in (pathlib.Path(checker.__file__).parent / "rules" / "education.toml").read_text("utf-8")
    revise("education", two_versions)
    current = versions.text_versions("education")[-1]
    earlier = checker.evaluate(A_57, as_of=D("2027-02-28")).to_dict()["provenance"]
    later = checker.evaluate(A_57, as_of=D("2027-03-01")).to_dict()["provenance"]
    assert (earlier["text_checksum"], earlier["measure_name"]) == ("0badc0de", "旧办法（试行）")
    assert later["text_checksum"] == current.checksum and later["text_since"] == "2027-03-01"
    assert "自 2027-03-01 起施行" in later["text"] and "依据《旧办法（试行）》" in earlier["text"]


def test_the_cli_prints_the_rules_in_force_on_a_date(revise, capsys):
    from checker.cli import main

    revise("education", raise_age_limit)
    limit = lambda: json.loads(capsys.readouterr().out)["measures"]["education"]["criteria"]["age_high_level"]["limit"]
    assert main(["rules", "--as-of", "2026-12-31"]) == 0 and limit() == 55
    assert main(["rules", "--as-of", "2027-01-01"]) == 0 and limit() == 58
    revise("education", lambda raw: raw["measure"]["versions"][0].update(since="2027-03-01"))
    assert main(["rules", "--as-of", "2027-02-28"]) == 2
    assert "as_of" in capsys.readouterr().err


def test_the_fidelity_check_reads_each_period_against_its_text(revise):
    """A dated value is checked against the text in force in its period: 58 is not in art.4."""
    from tests.test_checker_fidelity import entries, expected_phrases, periods, text_of

    revise("education", raise_age_limit)
    days = list(periods("education"))
    assert days == [dt.date.min, D("2027-01-01")]
    unsaid = {day: [where for where, entry in entries("education", day) for forms in expected_phrases(entry)
                    if not any(form in text_of(entry["citation"], day) for form in forms)] for day in days}
    assert unsaid[dt.date.min] == [] and "criteria.age_high_level" in unsaid[D("2027-01-01")]


def test_open_data_carries_the_history_and_the_text_versions(revise):
    import jsonschema

    from site_builder.opendata import json_schema, rules_document

    revise("education", raise_age_limit)
    document = json.loads(json.dumps(rules_document(policy.load(D("2027-06-01"))), ensure_ascii=False))
    jsonschema.validate(document, json_schema())
    education = document["measures"]["education"]
    assert education["criteria"]["age_high_level"]["history"]["limit"][1] == {"since": "2027-01-01", "value": 58}
    assert education["text_versions"][-1]["current"] and education["text_versions"][-1]["file"] == "education.txt"
    education["criteria"]["age_high_level"]["history"]["limit"][1].pop("since")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json_schema())
