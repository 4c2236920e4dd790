"""Earlier versions of a measure's text stay on the site: the text in force at /education/ links
them; each has its own page, marked 历史版本（已失效）, kept out of the search.

Today each measure has one version, so the test adds a temporary earlier one: a copy of the text
with one figure changed, declared in memory the way a revision would declare it in
rules/<measure>.toml.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil

import pytest

import checker.policy
from checker import _data, versions
from site_builder import text
from site_builder.guide import guide_markdown
from site_builder.pages import measure_text_pages
from tests.helpers import forget_rule_data, replace_rule_files
from tests.test_checker_versions import without_history

OLD_FILE = "education.before-2026-03-01.txt"
OLD_PAGE = "versions/education-before-2026-03-01.md"


@pytest.fixture
def earlier_version(tmp_path, monkeypatch):
    """policy/ with an earlier education text (art.4: 原则上不超过50周岁) replaced on 2026-03-01."""
    for path in text.policy_dir().glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    current = (tmp_path / "education.txt").read_text("utf-8")
    assert "高层次教育人才包括A类、B类、C类，原则上不超过55周岁" in current  # art.4
    (tmp_path / OLD_FILE).write_text(current.replace("C类，原则上不超过55周岁", "C类，原则上不超过50周岁"), "utf-8")
    raw = copy.deepcopy(_data.toml("education.toml"))
    checksum = lambda name: versions.checksum_of((tmp_path / name).read_bytes())
    raw["measure"]["versions"] = [{"since": "publication", "checksum": checksum(OLD_FILE)},
                                  {"since": "2026-03-01", "checksum": checksum("education.txt")}]
    monkeypatch.setattr(text, "POLICY_DIR", tmp_path)
    replace_rule_files(monkeypatch, {"education.toml": raw})
    yield tmp_path
    forget_rule_data()


def test_the_text_in_force_links_each_earlier_version_which_has_its_own_page(earlier_version):
    pages = {p.src_uri: p.markdown for p in measure_text_pages()}
    assert {"education.md", OLD_PAGE, "health.md"} <= set(pages)
    assert not any(uri.startswith("versions/education") for uri in set(pages) - {OLD_PAGE})
    current, old = pages["education.md"], pages[OLD_PAGE]
    assert "现行文本，自 2026-03-01 起施行。历史版本（已失效）：" in current
    assert f"[自发布之日起实施，2026-03-01 起失效]({OLD_PAGE})" in current
    assert "不超过55周岁" in current and "不超过50周岁" not in current
    head = old.split("---", 2)[1]
    assert "exclude: true" in head and "boost" not in head and "历史版本，已失效" in head
    assert '!!! warning "历史版本（已失效）"' in old and "自 2026-03-01 起已由新版本取代" in old
    assert "[《合川区教育人才引进培养办法（试行）》](../education.md)" in old
    assert "不超过50周岁" in old and 'class="hc-literate' not in old  # today's rules do not annotate it
    assert ("历史版本" in pages["health.md"]) == (len(versions.text_versions("health")) > 1)


def test_a_version_whose_file_changed_is_caught(earlier_version):
    (earlier_version / OLD_FILE).write_text("changed", "utf-8")
    old = versions.text_versions("education")[0]
    assert versions.checksum_of((earlier_version / OLD_FILE).read_bytes()) != old.checksum


def test_the_built_site_serves_the_earlier_version_outside_the_search(earlier_version, tmp_path_factory):
    """Through MkDocs: the page is built, linked from the text in force, and absent from the index."""
    from site_builder.build import mkdocs_build

    site = mkdocs_build(site_dir=tmp_path_factory.mktemp("site"))
    old = (site / "versions" / "education-before-2026-03-01" / "index.html").read_text("utf-8")
    assert "历史版本（已失效）" in old and "不超过50周岁" in old and 'href="../../education/"' in old
    current = (site / "education" / "index.html").read_text("utf-8")
    assert 'href="../versions/education-before-2026-03-01/"' in current
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert any(loc.startswith("education/") for loc in locations)
    assert not any(loc.startswith("versions/") for loc in locations)


def test_a_text_not_yet_in_force_is_refused_by_the_build(earlier_version, monkeypatch):
    """The page at /education/ is the text in force: a revised text is added on the day it takes
    effect (its values may be dated ahead; its text may not)."""
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    raw = _data.toml("education.toml")
    raw["measure"]["versions"][1]["since"] = tomorrow
    forget_rule_data()
    with pytest.raises(ValueError, match=f"policy/education.txt takes effect on {tomorrow}"):
        list(measure_text_pages())


def test_the_text_in_force_says_from_when_each_dated_value_applies(monkeypatch):
    """Values dated in the rule data are listed under the text in force, worded from the data of
    the day each takes effect (the label template filled with the new value)."""
    raw = without_history(_data.toml("education.toml"))  # a real revision moves none of the lines below
    raw["criteria"]["age_high_level"]["limit"] = [{"value": 55}, {"since": "2026-09-01", "value": 58}]
    settling = next(b for b in raw["benefits"] if b["id"] == "settling")
    settling["amounts"]["c"] = [{"value": settling["amounts"]["c"]}, {"since": "2026-09-01", "value": 120000}]
    living = next(b for b in raw["benefits"] if b["id"] == "living")
    living["amounts"]["d"] = [{"value": living["amounts"]["d"]}, {"since": "2026-10-01", "value": 200}]
    raw["criteria"]["young_age"]["limit"] = [{"value": 40}, {"since": "2026-11-01", "value": 42}]
    replace_rule_files(monkeypatch, {"education.toml": raw})
    try:
        page = next(p.markdown for p in measure_text_pages() if p.src_uri == "education.md")
        guide = guide_markdown(checker.policy.load(dt.date(2026, 6, 1)))
        guide = [guide["guide/education-tiers.md"], guide["guide/education-benefits.md"]]
    finally:
        forget_rule_data()
    lines = [line for line in page.splitlines() if line.startswith("- 自 ")]
    for guide_page in guide:  # the guide's figures are the build day's: it lists the changes too
        assert [line.strip() for line in guide_page.splitlines() if line.strip().startswith("- 自 ")] == lines
    assert lines == ["- 自 2026-09-01 起：高层次教育人才原则上不超过58周岁（此前：高层次教育人才原则上不超过55周岁）",
                     "- 自 2026-09-01 起：C类教育人才安家补助12万元（此前：10万元）",
                     "- 自 2026-10-01 起：D类教育人才生活资助200元/月（此前：100元/月）",
                     # a criterion of one tier whose label does not name it: the tier is named
                     "- 自 2026-11-01 起：青年骨干：原则上不超过42周岁（此前：原则上不超过40周岁）"]
    assert "规则数据中的数值变动" in page and "历史版本" not in page  # one text version: none to link
