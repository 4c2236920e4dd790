"""The site's navigation, made from the measures' `[measure]` tables (their nav titles, in their
order): the MkDocs hook (site_builder/hooks.py) sets it as `nav`, so mkdocs.yml lists no measure."""

from __future__ import annotations

from checker.measures import DESCRIPTIONS
from site_builder.guide.measure_pages import page_path
from site_builder.measures import compare_title

GUIDE_TOPICS = ("tiers", "benefits", "procedures")  # each measure's guide pages (page_path)


def nav() -> list[dict]:
    return [
        {"首页": "index.md"},
        *({d["nav"]["text"]: f"{m}.md"} for m, d in DESCRIPTIONS.items()),
        {"自测": "selfcheck.md"},
        {"指南": [
            {"政策指南": "guide/index.md"},
            *({d["nav"][topic]: page_path(m, topic)} for m, d in DESCRIPTIONS.items() for topic in GUIDE_TOPICS),
            {compare_title(): "guide/compare.md"},
            {"典型示例": "guide/examples.md"},
            {"术语与常见问题": "guide/glossary.md"},
            {"校园招聘": "guide/campus.md"},
            {"开放数据": "guide/opendata.md"},
        ]},
    ]
