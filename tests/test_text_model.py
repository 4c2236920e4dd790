"""The committed text of both measures, parsed: nothing lost, numbered without gaps, anchors
unique and reachable by Citation."""

from pathlib import Path

import pytest

from checker.citation import MEASURES, Citation
from site_builder.text import load_measure, lookup

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_COUNTS = {"education": 25, "health": 26}


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("measure_id", MEASURES)
def test_text_rebuilt_from_the_model_equals_the_source(measure_id):
    source = (ROOT / "policy" / f"{measure_id}.txt").read_text(encoding="utf-8")
    rebuilt = load_measure(measure_id).plain_text()
    assert squash(rebuilt) == squash(source)
    # Same lines too: every line of the source is one node's printed line.
    assert [squash(l) for l in rebuilt.splitlines()] == [
        squash(l) for l in source.splitlines() if l.strip()
    ]


@pytest.mark.parametrize("measure_id", MEASURES)
def test_articles_run_from_the_first_to_the_last_without_gaps(measure_id):
    # Every measure needs its count here: a measure without one fails (KeyError), never skipped.
    numbers = [a.number for a in load_measure(measure_id).articles]
    assert numbers == list(range(1, ARTICLE_COUNTS[measure_id] + 1))


@pytest.mark.parametrize("measure_id", MEASURES)
def test_every_anchor_is_unique(measure_id):
    anchors = [node.anchor for node in load_measure(measure_id).nodes()]
    assert len(anchors) == len(set(anchors))


@pytest.mark.parametrize("measure_id", MEASURES)
def test_five_chapters_general_provisions_first_and_last(measure_id):
    chapters = load_measure(measure_id).chapters
    assert [c.number for c in chapters] == [1, 2, 3, 4, 5]
    assert (chapters[0].title, chapters[-1].title) == ("总则", "附则")


def test_citations_find_the_text_they_name():
    assert lookup(Citation.parse("education", "8.1")).text.startswith("安家补助。")
    assert lookup(Citation.parse("health", "5.1.2.4")).text == "硕士研究生导师，从事本专业20年以上；"
    assert lookup(Citation("education", 4, ("a",))).marker == "A类："
    assert lookup(Citation.parse("health", "26")).text.startswith("本办法自发布之日起实施")


def test_health_article_5_point_3_is_the_age_limit_of_tier_a():
    node = lookup(Citation.parse("health", "5.1.1.3"))
    assert node.anchor == "article-5-1-1-3"
    assert node.citation.label == "第五条（一）1.（3）"
    assert node.text == "原则上不超过55周岁；"


def test_education_article_4_has_five_categories():
    article = lookup(Citation.parse("education", "4"))
    assert [i.anchor for i in article.items] == [f"article-4-{c}" for c in "abcde"]


def test_a_citation_to_nothing_is_a_key_error():
    with pytest.raises(KeyError):
        lookup(Citation.parse("education", "8.9"))
    with pytest.raises(KeyError):
        lookup(Citation.parse("education", "26"))
