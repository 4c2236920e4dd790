"""Properties of the checker over generated profiles (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

import checker
from checker.api import handle_json
from checker.citation import MEASURES
from checker.engine import GOODNESS
from site_builder.text import load_measure

AS_OF = dt.date(2026, 6, 1)
QUESTIONS = checker.questions()
UNIVERSITIES = ["西南大学", "北京师范大学", "重庆大学", "重庆医科大学", "南京大学金陵学院", "中国石油大学",
                "哈尔滨工业大学（威海）", "第二军医大学", "某某大学"]
ACHIEVEMENT_FIELDS = [q["id"] for q in QUESTIONS if q["type"] == "multi"]


def answer(q: dict):
    kind = q["type"]
    values = [c["value"] for c in q.get("choices", [])]
    if kind == "choice":
        return st.sampled_from(values)
    if kind == "multi":
        return st.lists(st.sampled_from(values), unique=True)
    if kind == "bool":
        return st.booleans()
    if kind == "int":
        return st.integers(q.get("min", 0), min(q.get("max", 100), 40))
    if kind == "date":
        low = dt.date(1950, 1, 1) if q["id"] == "birth_date" else dt.date(2020, 1, 1)
        high = AS_OF if q["id"] == "birth_date" else dt.date(2030, 12, 31)
        return st.dates(low, high).map(dt.date.isoformat)
    return st.sampled_from(UNIVERSITIES)


@st.composite
def profiles(draw, measure=None):
    profile = {"measure": measure or draw(st.sampled_from(list(MEASURES)))}
    for q in QUESTIONS[1:]:
        if draw(st.integers(0, 4)):  # most questions answered, some left open
            profile[q["id"]] = draw(answer(q))
    return consistent(profile)


def consistent(profile: dict) -> dict:
    """Lower an answer that the cross-checks of questions.toml would reject (lead cases above
    cases, full-time level above the degree, 主任 years above 副主任 years)."""
    from checker.questions import checks

    for c in checks():
        field, other = c["field"], c["not_above"]
        if field in profile and other in profile:
            if isinstance(profile[field], int):
                profile[field] = min(profile[field], profile[other])
            else:
                choices = lambda qid: [ch["value"] for ch in next(q for q in QUESTIONS if q["id"] == qid)["choices"]]
                position = lambda v: choices(other).index(v) if v in choices(other) else -1
                if position(profile[field]) > position(profile[other]):
                    profile[field] = [v for v in choices(field) if position(v) <= position(profile[other])][-1]
    return profile


def tier_goodness(result) -> dict:
    return {(p.programme["id"], t.tier["id"]): GOODNESS[t.verdict] for p in result.programmes for t in p.tiers}


def highest_rank(result) -> dict:
    """Per programme, how high the highest eligible tier is (larger is better; -1 = none)."""
    out = {}
    for p in result.programmes:
        out[p.programme["id"]] = -1 if p.highest is None else len(p.tiers) - p.tiers.index(p.highest)
    return out


@settings(max_examples=150, deadline=None)
@given(profiles())
def test_any_valid_profile_evaluates_and_every_finding_cites_a_real_article(profile):
    first = checker.evaluate(profile, as_of=AS_OF).to_dict()
    again = checker.evaluate(profile, as_of=AS_OF).to_dict()
    assert (json.dumps(first, ensure_ascii=False, sort_keys=True)
            == json.dumps(again, ensure_ascii=False, sort_keys=True))
    text = load_measure(first["measure"])
    anchors = {node.anchor for node in text.nodes()}
    for p in first["programmes"]:
        assert p["verdict"] in GOODNESS
        for t in p["tiers"]:
            for f in t["findings"]:
                assert f["citation"]["anchor"] in anchors, f
                assert f["citation"]["measure"] == first["measure"]
        for b in p["benefits"]:
            assert b["citation"]["anchor"] in anchors
    for n in first["notes"]:
        assert n["citation"]["anchor"] in anchors


@settings(max_examples=150, deadline=None)
@given(profiles(), st.sampled_from(ACHIEVEMENT_FIELDS), st.data())
def test_adding_an_achievement_or_honour_never_lowers_the_tier(profile, field, data):
    question = next(q for q in QUESTIONS if q["id"] == field)
    selected = profile.get(field) or []
    unused = [c["value"] for c in question["choices"] if c["value"] not in selected]
    if not unused:
        return
    more = dict(profile, **{field: selected + [data.draw(st.sampled_from(unused))]})
    before, after = checker.evaluate(profile, as_of=AS_OF), checker.evaluate(more, as_of=AS_OF)
    for pid, rank in highest_rank(before).items():
        assert highest_rank(after)[pid] >= rank, pid
    if field in profile:  # answered before: no tier's verdict may get worse
        good_before, good_after = tier_goodness(before), tier_goodness(after)
        assert all(good_after[k] >= v for k, v in good_before.items())


@settings(max_examples=150, deadline=None)
@given(profiles(), st.integers(1, 365 * 30))
def test_being_older_never_raises_eligibility(profile, days):
    if "birth_date" not in profile:
        return
    older_birth = dt.date.fromisoformat(profile["birth_date"]) - dt.timedelta(days=days)
    older = dict(profile, birth_date=older_birth.isoformat())
    good_young = tier_goodness(checker.evaluate(profile, as_of=AS_OF))
    good_old = tier_goodness(checker.evaluate(older, as_of=AS_OF))
    assert all(good_old[k] <= v for k, v in good_young.items())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
field_names = st.sampled_from([q["id"] for q in QUESTIONS] + ["", "unknown", "as_of"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(field_names, json_values, max_size=6) | json_values)
def test_malformed_input_only_raises_the_validation_error(profile):
    try:
        result = checker.evaluate(profile, as_of=AS_OF)
    except checker.ValidationError as exc:
        assert exc.errors and all(set(e) == {"field", "message"} for e in exc.errors)
        assert str(exc)
    else:
        json.dumps(result.to_dict())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40) | json_values.map(json.dumps)
       | st.dictionaries(st.sampled_from(["profile", "as_of", "x"]), json_values).map(json.dumps))
def test_the_json_bridge_never_raises(request):
    response = json.loads(handle_json(request))
    assert set(response) in ({"ok", "result"}, {"ok", "errors"})
    if not response["ok"]:
        assert all(set(e) == {"field", "message"} for e in response["errors"])


def shown_by_definition(profile: dict) -> set[str]:
    """The show_if grammar read literally (recursive), as the browser evaluates it."""
    questions = {q["id"]: q for q in QUESTIONS}

    def holds(cond):
        value = profile.get(cond["field"])
        if value is None:
            return False
        return any(v in cond["in"] for v in value) if isinstance(value, list) else value in cond["in"]

    def shown(q):
        return all(shown(questions[c["field"]]) and holds(c) for c in q["show_if"])

    return {q["id"] for q in QUESTIONS if shown(q)}


@settings(max_examples=200, deadline=None)
@given(profiles())
def test_the_fast_visibility_matches_the_grammar(profile):
    from checker.questions import shown_ids

    assert shown_ids(profile) == shown_by_definition(profile)


@settings(max_examples=100, deadline=None)
@given(profiles(), st.randoms(use_true_random=False))
def test_the_result_ignores_key_order_and_leaves_the_profile_alone(profile, rnd):
    snapshot = json.dumps(profile, sort_keys=True)
    keys = list(profile)
    rnd.shuffle(keys)
    shuffled = {k: (rnd.sample(profile[k], len(profile[k])) if isinstance(profile[k], list) else profile[k])
                for k in keys}
    first = checker.evaluate(profile, as_of=AS_OF).to_dict()
    assert checker.evaluate(shuffled, as_of=AS_OF).to_dict() == first
    assert json.dumps(profile, sort_keys=True) == snapshot


@settings(max_examples=150, deadline=None)
@given(profiles())
def test_a_programme_never_reads_firmer_than_the_tier_it_names(profile):
    """The programme's verdict is its highest tier's (met or review); with none, no tier is met or
    under review; "missing" is exactly each tier's not_met / unanswered findings."""
    for p in checker.evaluate(profile, as_of=AS_OF).to_dict()["programmes"]:
        verdicts = {t["id"]: t["verdict"] for t in p["tiers"]}
        if p["highest_tier"] is None:
            assert not {"met", "review"} & set(verdicts.values())
            assert p["verdict"] in ("unanswered", "not_met")
        else:
            assert p["verdict"] == verdicts[p["highest_tier"]]
            above = [t["id"] for t in p["tiers"]][:[t["id"] for t in p["tiers"]].index(p["highest_tier"])]
            assert all(verdicts[t] in ("unanswered", "not_met") for t in above)
        for t in p["tiers"]:
            assert t["missing"] == [f for f in t["findings"] if f["verdict"] in ("not_met", "unanswered")]
            assert (t["verdict"] in ("not_met", "unanswered")) == bool(t["missing"])


@settings(max_examples=150, deadline=None)
@given(profiles())
def test_the_split_per_programme_adds_up_to_the_totals(profile):
    """Who pays what: the per-programme split and the totals are the same money (art. 22/23);
    the yearly table adds up to the scheduled total."""
    money = checker.evaluate(profile, as_of=AS_OF).to_dict()["money"]
    if money is None:
        return
    totals, split = money["totals"], money["split"]
    assert totals["scheduled"] == sum(y["total"] for y in money["yearly"])  # the yearly table is the schedule
    assert [s["programme"] for s in split] == [b["programme"] for b in money["basis"]]
    if totals["employer"] is None:
        assert totals["fund"] is None and any(s["employer"] is None for s in split)
        return
    assert totals["employer"] == sum(s["employer"] for s in split)
    assert totals["fund"] == sum(s["fund"] for s in split)
    assert totals["employer"] + totals["fund"] == totals["total"]


SINGLE_LISTS = {"health_achievements": ("health", "recruit"), "edu_training_achievements": ("education", "in_district"),
                "health_training_achievements": ("health", "in_district")}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(SINGLE_LISTS)), st.data())
def test_adding_an_achievement_to_a_single_list_never_lowers_a_tier(field, data):
    """Each programme's achievements are one list (edu art.12; health art.5, 13): ticking one more
    answer never makes any tier's verdict worse, nor the highest tier lower."""
    measure, situation = SINGLE_LISTS[field]
    profile = dict(data.draw(profiles(measure)), situation=situation)
    profile = consistent(profile)
    question = next(q for q in QUESTIONS if q["id"] == field)
    values = [c["value"] for c in question["choices"]]
    selected = data.draw(st.lists(st.sampled_from(values), unique=True))
    more = selected + [data.draw(st.sampled_from([v for v in values if v not in selected] or values))]
    before = checker.evaluate(dict(profile, **{field: selected}), as_of=AS_OF)
    after = checker.evaluate(dict(profile, **{field: list(dict.fromkeys(more))}), as_of=AS_OF)
    good_before, good_after = tier_goodness(before), tier_goodness(after)
    assert all(good_after[k] >= v for k, v in good_before.items())
    for pid, rank in highest_rank(before).items():
        assert highest_rank(after)[pid] >= rank, pid
