"""A third measure, made only for this test, passes through the checker and the site build.

tests/sample_measure/ holds its text (science.txt), its rule file with a [measure] table
(science.toml) and two cases. Nothing else is changed: the two seams HC_RULES_DIR
(checker/_data.py) and HC_POLICY_DIR (site_builder/text.py) point at copies of checker/rules/ and
policy/ with the sample added. Each step runs in a subprocess, so the measures are discovered
afresh, as they would be in a checkout that had the third measure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "sample_measure"
CASES = sorted(SAMPLE.glob("science_*.toml"))


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "checker" / "rules", root / "rules")
    shutil.copytree(ROOT / "policy", root / "policy")
    shutil.copy(SAMPLE / "science.toml", root / "rules")
    shutil.copy(SAMPLE / "science.txt", root / "policy")
    return {**os.environ, "HC_RULES_DIR": str(root / "rules"), "HC_POLICY_DIR": str(root / "policy"),
            "NO_MKDOCS_2_WARNING": "1"}


def run(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_sample_is_a_third_measure_of_the_checker(env, tmp_path):
    found = json.loads(run(env, "-c", "import json, checker; from checker.citation import MEASURES; "
                                      "print(json.dumps([list(MEASURES), checker.questions()[0]]))"))
    measures, question = found
    assert measures == ["education", "health", "science"]  # in the [measure] tables' order
    assert [c["value"] for c in question["choices"]] == measures and question["choices"][2]["label"] == "科技"
    assert "科技人才适用于科研机构和企业的科技人员" in question["help"]
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"measure": "science", "situation": "recruit", "birth_date": "1981-01-01",
                                   "service_commitment": True}), encoding="utf-8")
    result = json.loads(run(env, "-m", "checker", "evaluate", str(profile), "--format", "json",
                            "--as-of", "2026-06-01"))
    introduction = next(p for p in result["programmes"] if p["id"] == "introduction")
    assert introduction["highest_tier"] == "a" and introduction["verdict"] == "review"
    assert result["disclaimer"]["interpreters"] == "区委人才办和区科技局"
    assert result["disclaimer"]["citation"]["label"] == "科技办法第六条"
    assert "合川区科技人才引进培养办法（试行）" in result["provenance"]["text"]
    # Without the sample files the measure does not exist: the seam is what adds it.
    plain = {k: v for k, v in env.items() if k not in ("HC_RULES_DIR", "HC_POLICY_DIR")}
    assert "science" not in run(plain, "-c", "from checker.citation import MEASURES; print(list(MEASURES))")


def test_the_sample_cases_pass_and_each_of_its_tiers_needs_one(env):
    """The cases run through the case runner of tests/cases; the "every tier is reached by a case"
    check covers the third measure too: without the case for tier B it fails, naming it."""
    code = f"""
import pathlib, tests.test_checker_cases as t
cases = [pathlib.Path(p) for p in {[str(p) for p in CASES]!r}]
for case in cases:
    t.test_case(case)
real = t.CASES
t.CASES = [*real, *cases]
t.test_every_tier_of_every_programme_is_reached_by_a_case()
t.CASES = [*real, *(c for c in cases if not c.stem.endswith("_b"))]
try:
    t.test_every_tier_of_every_programme_is_reached_by_a_case()
except AssertionError as missing:
    print(missing)
"""
    assert len(CASES) == 2
    assert run(env, "-c", code).strip() == "('science', 'introduction', 'b')"


def test_the_site_builds_with_the_sample_measure(env, tmp_path):
    site = tmp_path / "site"
    run(env, "-c", "import sys; from pathlib import Path; from site_builder.build import mkdocs_build; "
                   "from site_builder.opendata import write_open_data; "
                   "write_open_data(mkdocs_build(site_dir=Path(sys.argv[1])))", str(site))

    def page(path: str) -> str:
        return (site / path / "index.html").read_text(encoding="utf-8")

    text = page("science")
    assert "合川区科技人才引进培养办法（试行）" in text and 'id="article-3-a"' in text
    titles = {"tiers": "科技人才类别与条件", "benefits": "科技人才待遇", "procedures": "科技人才办理程序"}
    for topic, title in titles.items():
        assert title in page(f"guide/science-{topic}")  # its nav entry
    assert "A类科技人才" in page("guide/science-tiers") and "30万元" in page("guide/science-benefits")
    home = page("")
    nav = home[home.index('class="md-nav md-nav--primary"'):]
    for title, href in (("科技人才办法全文", "science/"), ("科技人才类别与条件", "guide/science-tiers/"),
                        ("三个办法对照", "guide/compare/")):
        assert f'href="{href}"' in nav and title in nav, title
    assert nav.index("卫生人才办法全文") < nav.index("科技人才办法全文") < nav.index("自测")
    assert "我是科研人员" in home and "selfcheck/?path=scientist" in home and "三项办法" in home
    assert "合川区教育、卫生、科技人才政策" in home and "来合川当老师、当医生、做科研" in home
    assert "区教委、区卫生计生委或区科技局每年对新引进人才" in page("guide/glossary")  # 年度考核
    compare = page("guide/compare")
    assert "教育、卫生与科技人才办法对照" in compare and "<th>科技人才</th>" in compare
    selfcheck = page("selfcheck")
    assert 'value="science"' in selfcheck and "scientist" in selfcheck and "guide/science-tiers/" in selfcheck
    rules = json.loads((site / "data" / "rules.json").read_text(encoding="utf-8"))
    assert list(rules["measures"]) == ["education", "health", "science"]
