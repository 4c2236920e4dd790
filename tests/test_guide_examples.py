"""The worked-examples page: the cases say themselves that they are examples (`example = "…"`),
the page groups them by measure (every measure of MEASURES) and closes each group with that
measure's own disclaimer."""

from __future__ import annotations

import datetime as dt
import shutil

import checker
from checker.citation import MEASURES
from site_builder.guide import examples


def disclaimer(measure: str) -> str:
    return checker.evaluate({"measure": measure}, as_of=dt.date(2026, 6, 1)).to_dict()["disclaimer"]["text"]


def groups(page: str) -> dict[str, str]:
    """The page split at its measure headings: measure → the text of its group."""
    out, rest = {}, page
    for measure in reversed(MEASURES):
        rest, _, group = rest.rpartition(f"{{: #{measure} }}")
        assert rest, f"no group for {measure}"
        out[measure] = group
    return out


def test_every_example_case_is_shown_in_its_measures_group_with_its_own_disclaimer():
    page = examples.examples_page()
    shown = examples.worked_examples()
    assert shown, "no case says it is a worked example"
    by_group = groups(page)
    for e in shown:
        measure = e["case"]["profile"]["measure"]
        assert f"：{e['title']} {{: #example-" in by_group[measure], e["stem"]
    for measure, group in by_group.items():
        has_examples = any(e["case"]["profile"]["measure"] == measure for e in shown)
        assert (disclaimer(measure) in group) == has_examples, measure
        for other in MEASURES:
            if disclaimer(other) != disclaimer(measure):
                assert disclaimer(other) not in group, (measure, other)


def test_the_page_reads_the_examples_from_the_cases_not_from_file_names(tmp_path, monkeypatch):
    """Renaming an example case keeps it on the page; a case without `example` is not shown."""
    for e in examples.worked_examples():
        shutil.copy(examples.CASES / f"{e['stem']}.toml", tmp_path / f"renamed_{e['stem']}.toml")
    before = examples.examples_page()
    monkeypatch.setattr(examples, "CASES", tmp_path)
    assert examples.examples_page() == before
    first = sorted(tmp_path.glob("*.toml"))[0]
    text = first.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("example = "))
    first.write_text(text.replace(title + "\n", ""), "utf-8")
    assert examples.examples_page() != before
    assert len(examples.worked_examples()) == len(list(tmp_path.glob("*.toml"))) - 1
