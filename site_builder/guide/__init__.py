"""The guide: what the measures mean for a person, generated from the checker's rule data.

`guide_pages()` is a page generator (site_builder.pages.PAGE_GENERATORS). It makes, under
/guide/: per measure the tiers, benefits and procedures pages; the comparison, worked examples,
glossary/FAQ, campus kit and open-data pages; and an index. Every figure comes from
`checker.policy.load()` (or, on the examples page, from `checker.evaluate`); every line links to
the article it rests on. `guide_pages(data)` takes a (modified) copy of the rule data, which is how
the tests prove that no figure is typed by hand.

`install_guide_assets` is a post-build step (site_builder.build.POST_BUILD_STEPS): it copies the
guide's stylesheet (screen and print) into the built site, and the QR encoder web/qr.js loads
(npm package qrcode-generator, pinned in package.json) from node_modules.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import checker.policy
from site_builder.generated import GeneratedPage
from site_builder.guide.campus import campus_page
from site_builder.guide.compare import compare_page
from site_builder.guide.examples import examples_page
from site_builder.guide.glossary import glossary_page
from site_builder.guide.literate import article_rules
from site_builder.guide.measure_pages import benefits_page, page_path, procedures_page, tiers_page
from site_builder.measures import compare_title
from site_builder.opendata import opendata_page

__all__ = ["guide_pages", "guide_markdown", "install_guide_assets", "article_rules"]

STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "guide" / "guide.css"
STYLESHEET_TARGET = "assets/hc/guide.css"
QR_ENCODER = Path(__file__).resolve().parents[2] / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs"
QR_ENCODER_TARGET = "assets/hc/vendor/qrcode-generator.mjs"  # web/qr.js imports it from here


def _index(data: dict) -> str:
    out = ["# 政策指南", "",
           "不读条文，也能看懂：每一类人才的条件、待遇、程序，一目了然。每一行都链接到办法原文的对应条款；"
           "所有金额和限制都直接取自自测程序使用的同一份规则数据。", ""]
    names = {"tiers": "类别与条件", "benefits": "待遇、出资与资格保持", "procedures": "办理程序"}
    for measure, rules in data["measures"].items():
        out += [f"## {rules['name']} {{: #{measure} }}", ""]
        out += [f"- [{title}]({page_path(measure, topic).removeprefix('guide/')})" for topic, title in names.items()]
        out.append("")
    out += ["## 更多 {: #more }", "",
            f"- [{compare_title()}](compare.md)", "- [典型示例](examples.md)", "- [术语与常见问题](glossary.md)",
            "- [校园招聘（可打印海报）](campus.md)", "- [开放数据](opendata.md)", "- [自测](../selfcheck.md)", ""]
    return "\n".join(out)


def guide_markdown(data: dict | None = None) -> dict[str, str]:
    """Source path → Markdown of every guide page."""
    data = data if data is not None else checker.policy.load()
    questions = {q["id"]: q for q in data["questions"]}
    pages = {"guide/index.md": _index(data)}
    for measure, rules in data["measures"].items():
        pages[page_path(measure, "tiers")] = tiers_page(measure, rules, questions)
        pages[page_path(measure, "benefits")] = benefits_page(measure, rules)
        pages[page_path(measure, "procedures")] = procedures_page(measure, rules)
    pages["guide/compare.md"] = compare_page(data)
    pages["guide/examples.md"] = examples_page()
    pages["guide/glossary.md"] = glossary_page(data)
    pages["guide/campus.md"] = campus_page(data)
    pages["guide/opendata.md"] = opendata_page(data)
    return {src: _wrapped(markdown) for src, markdown in pages.items()}


def _wrapped(markdown: str) -> str:
    """The page body inside `<div class="hc-guide">` (after any front matter): the scope of the
    guide's styles."""
    front = ""
    if markdown.startswith("---\n"):
        end = markdown.index("\n---\n", 4) + len("\n---\n")
        front, markdown = markdown[:end], markdown[end:]
    return f'{front}<div class="hc-guide" markdown>\n\n{markdown}\n\n</div>\n'


def guide_pages():
    """Page generator: the guide pages under /guide/."""
    for src, markdown in guide_markdown().items():
        yield GeneratedPage(src, markdown)


def install_guide_assets(site_dir: Path) -> None:
    target = site_dir / STYLESHEET_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STYLESHEET, target)
    if not QR_ENCODER.is_file():
        raise FileNotFoundError("node_modules/qrcode-generator is missing: run scripts/setup (npm ci)")
    encoder = site_dir / QR_ENCODER_TARGET
    encoder.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(QR_ENCODER, encoder)
