"""校园招聘 kit: a one-screen summary for graduates (tiers D/E of both measures), a QR code that
opens the self-check's graduate path at the configured `site_url`, and an A4 print layout."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import segno

from site_builder.assets import offline_box
from site_builder.guide.common import MEASURE_SHORT_NAMES, cite, note
from site_builder.guide.measure_pages import criterion_lines, benefit_table

PAGE = "guide/campus.md"
SELFCHECK_PATH = "selfcheck/?path=graduate"
MKDOCS_YML = Path(__file__).resolve().parents[2] / "mkdocs.yml"


def site_url(config_file: Path = MKDOCS_YML) -> str:
    """The site's public address, as configured in mkdocs.yml (`site_url:`), ending in "/"."""
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config_file.read_text(encoding="utf-8"), re.M)
    if not match:
        raise ValueError("mkdocs.yml has no site_url: the campus QR code needs the public address")
    return match.group(1).rstrip("/") + "/"


def graduate_url(base: str | None = None) -> str:
    return (base or site_url()) + SELFCHECK_PATH


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (segno), dark on white, sized by CSS; the URL is its text equivalent."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="hc-qr", omitsize=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="二维码：{escape(url)}" data-url="{escape(url)}" ', 1)


def graduate_tiers(rules: dict) -> list[str]:
    """The tiers recruited on campus: those the rule data sends through 现场考核招聘."""
    return note(rules, "campus_recruitment")["tiers"]


def campus_page(data: dict, base_url: str | None = None) -> str:
    url = graduate_url(base_url)
    questions = {q["id"]: q for q in data["questions"]}
    recruited = sorted({t for rules in data["measures"].values() for t in graduate_tiers(rules)})
    tier_letters = "、".join(f"{t.upper()}类" for t in recruited)
    poster = [
        '<div class="hc-poster" markdown>',
        "",
        "# 合川区引才：应届毕业生看这里 {: #campus }",
        "",
        f"合川区面向优秀应届毕业生引进**急需紧缺教育人才和卫生人才（{tier_letters}）**，"
        "现场考核、现场体检、现场签约。下面是各类人才可享受的待遇标准：",
        "",
    ]
    for measure, rules in data["measures"].items():
        table = benefit_table(rules, "introduction", only=set(graduate_tiers(rules)))
        poster += [f"## {MEASURE_SHORT_NAMES[measure]}人才 {{: #{measure} }}", "",
                   '<div class="hc-table" markdown>', "", *table, "", "</div>", ""]
        commitment = note(rules, "service_commitment")
        if commitment:
            poster += [f"{escape(commitment['text'])} {cite(commitment['citation'], PAGE)}", ""]
    poster += [
        '<div class="hc-qr-box">',
        qr_svg(url),
        f'<p>扫码用手机自测：我可能属于哪一类？<br><span class="hc-url">{escape(url)}</span></p>',
        "</div>",
        "",
        '<p class="hc-poster-note">自测结果仅供参考，不是正式认定。</p>',
        "",
        "</div>",
        "",
    ]
    details = ['<div class="hc-noprint" markdown>', "",
               "## 条件一览 {: #conditions }", "",
               '<p class="hc-print-hint">招聘展位可直接打印本页：打印时只保留上方的A4海报。</p>', "",
               offline_box(), ""]
    for measure, rules in data["measures"].items():
        for entry in next(p for p in rules["programmes"] if p["id"] == "introduction")["tiers"]:
            if entry["tier"] not in graduate_tiers(rules):
                continue
            tier = rules["tiers"][entry["tier"]]
            details += [f"### {tier['name']} {{: #{measure}-{entry['tier']} }}", ""]
            for cid in tier["criteria"] + entry["also"]:
                details += criterion_lines(rules, questions, cid, PAGE)
            details.append("")
        procedure = note(rules, "campus_recruitment")
        if procedure:
            details += [f"**{MEASURE_SHORT_NAMES[measure]}人才怎样招聘**：{escape(procedure['text'])} "
                        f"{cite(procedure['citation'], PAGE)}", ""]
    details += ["</div>", ""]
    return "\n".join(["---", "title: 校园招聘", "---", "", *poster, *details])
