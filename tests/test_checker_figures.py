"""Figures that cases and questions restate are checked against the data, as the rule labels are
(tests/test_checker_fidelity.py): a revised limit, amount or article makes a stale name or label
fail here, loudly and by name.

Case file names carry a figure only as `age_<N>_<verdict>`: N is the profile's age at the case's
as-of date and sits at the limit of the age criterion the case checks (met) or one past it.

Case names (`name`, `example`) tie each figure to the data by what it says:
- article references (art.4 A, 5 (一)1.(3), 22.1): the place exists in the text;
- ages (56-year-old, aged exactly 40, turning 56): the profile's age at the as-of date (+1 for
  "turning"); "turns N" or "runs past N": the retirement age of the measure's note;
- money (77万元, 1000元): an amount of the result (a benefit, a total, a share);
- percentages (30%, 50/50): the funding shares of the result; months (6 months, 6 ×): the
  answer `flexible_months`;
- N周岁: in the text of the articles cited, or the retirement age of the measure's note;
- dates (2026-10-01): the case's as-of date, or a day a value or the text of the measure changes;
- other figures written against Chinese (15例次以上, 近5年, 两项): the cited text says them;
- any other figure (10 years, two achievements, 5-year): an answer of the profile, the length of
  a multiple answer, a parameter (limit, min, n, years, parts) or a label figure of the criteria
  and benefits the case's result shows, or an amount of the result.

Question labels, help and choice labels: each figure (with the unit written after it) appears in
the text of a place cited by a rule that uses the question, or is a parameter of such a rule.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pytest

import checker
from checker.citation import MEASURES, Citation, chinese_numeral, parse_chinese_numeral
from checker.engine import age_in_full_years
from checker import versions
from checker.errors import ValidationError
from checker.policy import change_dates, rules
from site_builder.text import load_measure, load_version
from tests.helpers import CASES, load_case

WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
# "one" is left out: it is the article in "one item", "one of", "one-off" far more than a figure.
CHECKED_WORDS = {w: n for w, n in WORDS.items() if n >= 2}
CN_NUMERAL = "一二两三四五六七八九十"
CJK = r"\u4e00-\u9fff"
# 三项, 两项: a count in Chinese (not 哪一项, 这一项, 每项, 同一项).
CN_COUNT = r"(?<![哪这每同])([" + CN_NUMERAL + r"]项)"
STEM_AGE = re.compile(r"_age_(\d+)_(met|review|not_met)$")


def text_on(measure: str, as_of: dt.date) -> versions.TextVersion:
    """The version of the measure's text in force on the case's as-of date."""
    return versions.in_force(measure, as_of)


@cache
def compact_text(version: versions.TextVersion, article: int) -> str:
    node = load_version(version).find(Citation(version.measure, article))
    return "".join("".join(node.lines()).split())


def case_rules(case: dict) -> dict:
    """The rules in force on the case's as-of date (values with dates)."""
    return rules(case["profile"]["measure"], dt.date.fromisoformat(case["as_of"]))


# --- article references ---------------------------------------------------------------------

REF_TOKENS = [
    ("sep", re.compile(r"(?:, |; )(?:art\.)?(?=\d|\s?\([" + CN_NUMERAL + r"]+\))")),
    ("cn", re.compile(r"\s?\(([" + CN_NUMERAL + r"]+)\)")),
    ("paren", re.compile(r"\((\d+)\)")),
    ("dot", re.compile(r"(\d+)\.(?![\d(])|(\d+)\.(?=\()")),
    ("compact", re.compile(r"\.(\d+)")),
    ("letter", re.compile(r" ([A-E])类?(?=[\s,;:/)]|$)")),
    ("article", re.compile(r"(\d+)")),
]
KIND_DEPTH = {"cn": 0, "letter": 0, "dot": 1, "paren": 2}


def references(name: str, measure: str) -> tuple[list[Citation], list[tuple[int, int]]]:
    """The places a name refers to (art.N and what follows), and the spans they take."""
    citations, spans, article = [], [], None
    starts = [(m.end(), True) for m in re.finditer(r"art\.\s?", name)]
    starts += [(m.start(), False) for m in re.finditer(r"(?<=[;,] )\([" + CN_NUMERAL + r"]+\)", name)]
    consumed = set()
    for start, new_article in sorted(starts):
        if start in consumed:
            continue
        pos, path, pending, expect_article = start, [], False, new_article
        while pos < len(name):
            for kind, pattern in REF_TOKENS:
                m = pattern.match(name, pos)
                if m is None or (kind == "article") != expect_article and kind not in ("sep", "cn"):
                    continue
                break
            else:
                break
            if kind == "sep":
                expect_article = name[m.end()].isdigit()
            elif kind == "article":
                if pending:
                    citations.append(Citation(measure, article, tuple(v for _, v in path)))
                article, path, pending, expect_article = int(m.group(1)), [], True, False
            else:
                value = next(g for g in m.groups() if g)
                if kind == "cn":
                    value = str(parse_chinese_numeral(value.replace("两", "二")))
                elif kind == "letter":
                    value = value.lower()
                depth = KIND_DEPTH.get(kind, path[-1][0] + 1 if path else 0)
                if pending and path and path[-1][0] >= depth:
                    citations.append(Citation(measure, article, tuple(v for _, v in path)))
                while path and path[-1][0] >= depth:
                    path.pop()
                path.append((depth, value))
                pending, expect_article = True, False
            consumed.add(m.end())
            pos = m.end()
        if pending:
            citations.append(Citation(measure, article, tuple(v for _, v in path)))
        spans.append((start, pos))
    return citations, spans


# --- what a case's figures may be tied to -----------------------------------------------------


def yuan_amounts(result: dict) -> set[int]:
    """Every amount of the result: benefits, totals, shares, yearly and monthly amounts."""
    out = set()
    for p in result["programmes"]:
        for b in p["benefits"]:
            out |= {b[k] for k in ("amount", "total") if b.get(k) is not None}
    for money in (result["money"], result["money_if_review"]):
        if not money:
            continue
        out |= {v for v in money["totals"].values() if isinstance(v, int) and not isinstance(v, bool)}
        out |= {i["total"] for i in money["items"] if i["total"] is not None}
        out |= {w["total"] for w in money["withheld"] if w["total"] is not None}
        out |= {y["total"] for y in money["yearly"]} | {m["amount"] for m in money["monthly"]}
        out |= {s[k] for s in money["split"] for k in ("employer", "fund") if s[k] is not None}
        if money.get("adds") is not None:
            out.add(money["adds"])
    return out


def percents(result: dict) -> set[tuple[int, int]]:
    return {(s["employer_percent"], s["fund_percent"])
            for money in (result["money"], result["money_if_review"]) if money for s in money["split"]}


def criteria_shown(r: dict, result: dict) -> set[str]:
    """The criteria of every tier the result shows (groups opened) and of the money conditions."""
    out, todo = set(), [f["criterion"] for p in result["programmes"] for t in p["tiers"] for f in t["findings"]]
    todo += [f["criterion"] for p in result["programmes"] for f in p["money_conditions"]]
    while todo:
        cid = todo.pop()
        if cid not in out:
            out.add(cid)
            todo += r["criteria"][cid].get("of", [])
    return out


def plain_figures(case: dict, result: dict) -> set[float]:
    profile, r = case["profile"], case_rules(case)
    out = {v for v in profile.values() if isinstance(v, int) and not isinstance(v, bool)}
    out |= {len(v) for v in profile.values() if isinstance(v, list)}
    for cid in criteria_shown(r, result):
        c = r["criteria"][cid]
        out |= {c[k] for k in ("limit", "min", "n") if isinstance(c.get(k), int)}
        out |= {int(d) for d in re.findall(r"\d+", c["label"])}
    benefit_ids = {b["id"] for p in result["programmes"] for b in p["benefits"]}
    for b in r["benefits"]:
        if b["id"] in benefit_ids:
            out |= {b[k] for k in ("years", "parts") if k in b}
            out |= {int(d) for key in ("name", "condition", "obligation") for d in re.findall(r"\d+", b.get(key, ""))}
    return out | yuan_amounts(result)


def age_at(case: dict) -> int | None:
    try:
        birth = dt.date.fromisoformat(case["profile"]["birth_date"])
    except (KeyError, ValueError):  # no birth date, or the invalid one a bad-input case sends
        return None
    return age_in_full_years(birth, dt.date.fromisoformat(case["as_of"]))


def retirement_ages(case: dict) -> set[int]:
    return {n["retirement_age"] for n in case_rules(case)["notes"] if "retirement_age" in n}


# --- the checks -------------------------------------------------------------------------------

# (pattern, what the figure must be); group 1 is the figure. Tried in order; each figure once.
CONTEXTS = [
    ("date", re.compile(r"(\d{4}-\d{2}-\d{2})")),
    ("age", re.compile(r"(\d+)-year-old")),
    ("age", re.compile(r"aged (?:exactly )?(\d+)")),
    ("age", re.compile(r"exactly (\d+)(?![\d.])(?! ?(?:years?\b|[%万元]))")),
    ("age+1", re.compile(r"turning (\d+)")),
    ("retirement", re.compile(r"(?:turns|runs past) (\d+)(?![\d.])(?! ?(?:years?\b|周岁))")),
    ("money", re.compile(r"(\d+(?:\.\d+)?) ?(?:万元|万|元)")),
    ("share", re.compile(r"(\d+)/(\d+)(?= |$|,)")),
    ("percent", re.compile(r"(\d+)%")),
    ("months", re.compile(r"(\d+) (?:months?\b|×)")),
    ("limit", re.compile(r"(\d+) ?周岁")),
    ("text", re.compile(r"(\d+) ?([" + CJK + r"])")),
    ("text", re.compile(r"[" + CJK + r"](\d+)")),
    ("text", re.compile(CN_COUNT)),
    ("plain", re.compile(r"(?<![\w.])(\d+)(?![\w])")),
    ("plain", re.compile(r"\b(" + "|".join(CHECKED_WORDS) + r")\b(?!-off)", re.I)),
]


def dates_of(measure: str, case: dict) -> set[str]:
    days = set(change_dates(measure)) | {v.since for v in versions.text_versions(measure) if v.since}
    return {case["as_of"]} | {d.isoformat() for d in days}


def name_problems(stem: str, case: dict, text: str | None = None) -> list[str]:
    """What in a case's name (or `text`) is a figure the data does not back."""
    measure = case["profile"]["measure"]
    text = case["name"] if text is None else text
    problems = []
    if "errors" in case["expect"]:
        result = None
    else:
        result = checker.evaluate(case["profile"], as_of=dt.date.fromisoformat(case["as_of"])).to_dict()
    policy = text_on(measure, dt.date.fromisoformat(case["as_of"]))
    citations, spans = references(text, measure)
    for c in citations:
        try:
            load_version(policy).find(c)
        except KeyError:
            problems.append(f"refers to {c.label}, which the text of {measure} does not have")
    cited_articles = {c.article for c in citations}
    for ref in (case["cite"] if isinstance(case["cite"], list) else [case["cite"]]):
        cited_articles.add(Citation.parse(*ref.split(" ", 1)).article)
    known = {a.number for a in load_version(policy).articles}
    cited_text = "".join(compact_text(policy, a) for a in sorted(cited_articles & known))
    taken = [False] * len(text)
    for a, b in spans:
        taken[a:b] = [True] * (b - a)
    age = age_at(case)
    for kind, pattern in CONTEXTS:
        for m in pattern.finditer(text):
            if any(taken[m.start(1):m.end(1)]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            figure = m.group(1)
            value = CHECKED_WORDS.get(figure.lower()) if figure.isalpha() else None
            if kind == "date" and figure not in dates_of(measure, case):
                problems.append(f"{figure}: neither the as-of date nor a day the data or the text changes")
            elif kind == "age" and int(figure) != age:
                problems.append(f"{m.group(0)!r}: the profile is {age} at {case['as_of']}")
            elif kind == "age+1" and (age is None or int(figure) != age + 1):
                problems.append(f"{m.group(0)!r}: the profile turns {None if age is None else age + 1} next")
            elif kind == "retirement" and int(figure) not in retirement_ages(case):
                problems.append(f"{m.group(0)!r}: the retirement age of the data is {sorted(retirement_ages(case))}")
            elif kind == "money":
                unit = 10000 if "万" in m.group(0) else 1
                amount = round(float(figure) * unit)
                if result is None or amount not in yuan_amounts(result):
                    problems.append(f"{m.group(0)!r}: no amount of the result is {amount} 元")
            elif kind == "share" and (result is None or (int(figure), int(m.group(2))) not in percents(result)):
                problems.append(f"{m.group(0)!r}: not the shares of the result")
            elif kind == "percent" and (result is None or int(figure) not in {x for p in percents(result) for x in p}):
                problems.append(f"{m.group(0)!r}: not a share of the result")
            elif kind == "months" and int(figure) != case["profile"].get("flexible_months"):
                problems.append(f"{m.group(0)!r}: flexible_months is {case['profile'].get('flexible_months')}")
            elif kind == "limit" and "".join(m.group(0).split()) not in cited_text \
                    and int(figure) not in retirement_ages(case):
                problems.append(f"{m.group(0)!r}: neither in the text of the articles cited nor the retirement age")
            elif kind == "text":
                phrase = "".join(m.group(0).split())
                if phrase not in cited_text and not (figure in ("985", "211") and phrase[:3] in figure):
                    problems.append(f"{m.group(0)!r}: not in the text of the articles cited "
                                    f"({', '.join(map(str, sorted(cited_articles)))})")
            elif kind == "plain":
                number = value if value is not None else int(figure)
                if result is None or number not in plain_figures(case, result):
                    problems.append(f"{m.group(0)!r}: no answer, rule parameter or amount of the result is {number}")
    return problems


def stem_problems(stem: str, case: dict) -> list[str]:
    """A file name carries a figure only as age_<N>_<verdict>, at the limit or one past it."""
    m = STEM_AGE.search(stem)
    rest = stem[:m.start()] if m else stem
    problems = []
    words = [w for w in rest.split("_") if w.isdigit() or w in CHECKED_WORDS]
    if words:
        problems.append(f"{words}: a file name carries a figure only as age_<N>_met|review|not_met")
    if not m:
        return problems
    n, verdict = int(m.group(1)), m.group(2)
    if age_at(case) != n:
        problems.append(f"age_{n}: the profile is {age_at(case)} at {case['as_of']}")
    criteria = case_rules(case)["criteria"]
    ages = [(key, v) for key, v in case["expect"].get("criteria", {}).items()
            if criteria[key.rsplit(".", 1)[1]]["op"] == "age_at_most"]
    if not ages:
        problems.append(f"age_{n}: the case checks no age criterion (expect.criteria)")
    for key, expected in ages:
        c = criteria[key.rsplit(".", 1)[1]]
        if expected != verdict:
            problems.append(f"{key} is expected {expected}, the file name says {verdict}")
        at = c["limit"] if verdict == "met" else c["limit"] + 1
        if n != at:
            problems.append(f"age_{n}: {'the limit' if verdict == 'met' else 'one past the limit'} of {key} is {at}")
    return problems


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_figures_in_a_case_name_are_the_datas(path):
    case = load_case(path)
    problems = [f"file name: {p}" for p in stem_problems(path.stem, case)]
    problems += [f"name: {p}" for p in name_problems(path.stem, case)]
    if "example" in case:
        problems += [f"example: {p}" for p in name_problems(path.stem, case, case["example"])]
    assert not problems, "\n".join(problems)


def test_a_stale_age_in_a_name_or_file_name_is_caught(monkeypatch):
    """Not vacuous: an age the profile does not have, or a limit that moved, is reported."""
    path = next(p for p in CASES if STEM_AGE.search(p.stem) and STEM_AGE.search(p.stem).group(2) == "met")
    case = load_case(path)
    assert not stem_problems(path.stem, case)
    n = int(STEM_AGE.search(path.stem).group(1))
    assert stem_problems(path.stem.replace(f"age_{n}_", f"age_{n + 1}_"), case)
    assert name_problems(path.stem, case, f"a {n + 1}-year-old is met")
    assert name_problems(path.stem, case, "pays 123456元")
    assert name_problems(path.stem, case, "is in art.99 (一)")
    assert name_problems(path.stem, case, "from 1999-09-09")
    assert not name_problems(path.stem, case, f"on {case['as_of']}")
    key = next(k for k in case["expect"]["criteria"])
    criterion = case_rules(case)["criteria"][key.rsplit(".", 1)[1]]
    monkeypatch.setitem(criterion, "limit", criterion["limit"] + 1)  # a revised limit
    assert any("the limit" in p for p in stem_problems(path.stem, case))


def test_references_read_article_and_item_paths():
    refs, _ = references("x (health art.5 (二)1.(6), (三)1.(6), 9; art.14 (二)(三), 22.1)", "health")
    assert [c.anchor for c in refs] == ["article-5-2-1-6", "article-5-3-1-6", "article-9", "article-14-2",
                                        "article-14-3", "article-22-1"]
    refs, _ = references("y (edu art.4 A, 8, 22.1)", "education")
    assert [c.anchor for c in refs] == ["article-4-a", "article-8", "article-22-1"]


# --- question labels ----------------------------------------------------------------------------


@cache
def place_text(citation: Citation) -> str:
    """The cited article or item as printed, sub-items included, whitespace removed."""
    return "".join("".join(load_measure(citation.measure).find(citation).lines()).split())


def count_forms(n: int) -> set[str]:
    """How a count of items is written: 三项, and 两项 for two."""
    return {f"{chinese_numeral(n)}项"} | ({"两项"} if n == 2 else set())


def rules_in_every_period():
    """(measure, rules) for the values in force now and from each day a dated value changes."""
    for measure in MEASURES:
        for day in sorted({dt.date.today(), *change_dates(measure)}):
            try:
                yield measure, rules(measure, day)
            except ValidationError:  # before a value's first date
                continue


def question_places() -> dict[str, dict]:
    """question id → {"places": places cited by the rules that use it, "params": those rules'
    limits, minimums and counts in any period, "counts": the counts (n) alone}."""
    out: dict[str, dict] = {}
    entry_of = lambda field: out.setdefault(field, {"places": set(), "params": set(), "counts": set()})
    for measure, r in rules_in_every_period():
        for c in r["criteria"].values():
            if "field" not in c:
                continue
            entry = entry_of(c["field"])
            entry["places"].add(c["citation"])
            for e in c.get("counts", []) + c.get("equivalent", []):
                entry["places"] |= {e["item"]} | ({e["from"]} if e["from"] else set())
            entry["params"] |= {c[k] for k in ("limit", "min", "n") if isinstance(c.get(k), int)}
            if c["op"] == "count_at_least":
                entry["counts"].add(c["n"])
        for rule in r["funding"] + r["notes"]:
            for cond in rule.get("when", []):
                entry_of(cond["field"])["places"].add(rule["citation"])
    return out


def label_problems(question: dict, places: dict) -> list[str]:
    """Figures of a question's label, help and choice labels that neither the text cited by the
    rules using it says (with the unit after the figure) nor those rules' parameters are."""
    texts = [question["label"], question.get("help", "")] + [c["label"] for c in question.get("choices", [])]
    use = places.get(question["id"], {"places": set(), "params": set(), "counts": set()})
    text = "".join(place_text(c) for c in sorted(use["places"]))
    words = {form for n in use["counts"] for form in count_forms(n)}
    problems = []
    for label in texts:
        for m in re.finditer(r"(\d+) ?([" + CJK + r"]?)|" + CN_COUNT, label):
            phrase = "".join(m.group(0).split())
            parameter = m.group(1) and not m.group(2) and int(m.group(1)) in use["params"]
            if phrase in text or phrase in words or parameter:
                continue
            where = ", ".join(c.label for c in sorted(use["places"])) or "no rule that uses this question"
            problems.append(f"{question['id']}: {phrase!r} in {label!r} is not in {where}")
    return problems


def test_figures_in_question_labels_are_in_the_text_the_rules_cite():
    places = question_places()
    problems = [p for q in checker.questions() for p in label_problems(q, places)]
    assert not problems, "\n".join(problems)


def test_a_stale_figure_in_a_question_label_is_caught():
    places = question_places()
    question = next(q for q in checker.questions() if re.search(r"\d", q["label"]))
    assert not label_problems(question, places)
    stale = {**question, "label": re.sub(r"\d+", lambda m: str(int(m.group(0)) + 7), question["label"])}
    assert label_problems(stale, places)
