"""校园招聘 kit: a one-screen summary for graduates (the tiers each measure recruits on campus: its
note in the role campus_recruitment), a QR code that
opens the self-check's graduate path, the event (date, venue, contact) when configured, and an A4
print layout.

The QR code is drawn in the browser from the address the page was opened at (web/qr.js), so a
printed poster points to where it was printed from. A code made at build time, shown when scripts
are off, is kept only when `site_url` in mkdocs.yml is a real address: a placeholder host is never
printed; the build warns instead.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import segno

from site_builder import siteconfig
from site_builder.assets import offline_box
from site_builder.guide.common import MEASURE_SHORT_NAMES, cite
from site_builder.guide.measure_pages import criterion_lines, benefit_table
from site_builder.measures import joined, role_note, role_programme

PAGE = "guide/campus.md"
SELFCHECK_PATH = "selfcheck/?path=graduate"
EVENT_FIELDS = {"date": "时间", "venue": "地点", "contact": "联系方式"}


def site_url(config_file: Path = siteconfig.MKDOCS_YML) -> str | None:
    """The site's public address from mkdocs.yml, ending in "/"; None when unset or a placeholder."""
    url = siteconfig.site_url(config_file)
    return None if siteconfig.is_placeholder(url) else url


def graduate_url(base: str) -> str:
    return base + SELFCHECK_PATH


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (segno), dark on white, sized by CSS; the URL is its text equivalent."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="hc-qr", omitsize=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="二维码：{escape(url)}" data-url="{escape(url)}" ', 1)


def qr_box(base_url: str | None) -> list[str]:
    """The poster's QR code: drawn by web/qr.js from the page's own address; the build-time code
    (or, without a real site_url, a note for whoever prints it) shows until then."""
    if base_url:
        url = graduate_url(base_url)
        fallback, shown = qr_svg(url), escape(url)
    else:
        siteconfig.log.warning(
            "site_url in mkdocs.yml (%s) is not a real address: the campus poster's QR code is "
            "drawn in the browser only; set site_url before printing without scripts.",
            siteconfig.site_url() or "unset")
        fallback = ('<p class="hc-qr-missing">二维码在浏览器启用脚本后显示。网站管理员：在网站配置中填写本站的'
                    "正式网址后，未启用脚本时也能显示二维码。</p>")
        shown = ""
    return [
        f'<div class="hc-qr-box" data-hc-qr="{SELFCHECK_PATH}" data-hc-qr-label="二维码：用手机打开自测">',
        f'<div class="hc-qr-slot" data-hc-qr-slot>{fallback}</div>',
        f'<p>扫码用手机自测：我可能属于哪一类？<br><span class="hc-url" data-hc-qr-text>{shown}</span></p>',
        "</div>",
    ]


def event_lines(settings: dict) -> list[str]:
    """The recruiting event's date, venue and contact, those that are configured."""
    fields = siteconfig.filled(settings.get("campus"), tuple(EVENT_FIELDS))
    if not fields:
        return []
    items = "".join(f"<li><strong>{EVENT_FIELDS[k]}</strong>：{escape(v)}</li>" for k, v in fields.items())
    return [f'<ul class="hc-event">{items}</ul>', ""]


def graduate_tiers(rules: dict) -> list[str]:
    """The tiers recruited on campus: those the rule data sends through 现场考核招聘 (none when the
    measure names no note in that role)."""
    procedure = role_note(rules, "campus_recruitment")
    return procedure.get("tiers", []) if procedure else []


def campus_page(data: dict, base_url: str | None = None, settings: dict | None = None) -> str:
    """`base_url`: the public address for the build-time code (default: a real `site_url`)."""
    base_url = base_url if base_url is not None else site_url()
    settings = settings if settings is not None else siteconfig.extra()
    questions = {q["id"]: q for q in data["questions"]}
    # The measures that recruit on campus (a measure without a campus_recruitment note does not),
    # each with the programme that recruits.
    measures = {m: rules for m, rules in data["measures"].items()
                if graduate_tiers(rules) and role_programme(rules, "introduction")}
    recruiting = {m: role_programme(rules, "introduction") for m, rules in measures.items()}
    recruited = sorted({t for rules in measures.values() for t in graduate_tiers(rules)})
    tier_letters = "、".join(f"{t.upper()}类" for t in recruited)
    poster = [
        '<div class="hc-poster" markdown>',
        "",
        "# 合川区引才：应届毕业生看这里 {: #campus }",
        "",
        f"合川区面向优秀应届毕业生引进**急需紧缺{joined(MEASURE_SHORT_NAMES[m] + '人才' for m in measures)}"
        f"（{tier_letters}）**，"
        "现场考核、现场体检、现场签约。下面是各类人才可享受的待遇标准：",
        "",
        *event_lines(settings),
    ]
    for measure, rules in measures.items():
        table = benefit_table(rules, recruiting[measure]["id"], only=set(graduate_tiers(rules)))
        poster += [f"## {MEASURE_SHORT_NAMES[measure]}人才 {{: #{measure} }}", "",
                   '<div class="hc-table" markdown>', "", *table, "", "</div>", ""]
        commitment = role_note(rules, "service_commitment")
        if commitment:
            poster += [f"{escape(commitment['text'])} {cite(commitment['citation'], PAGE)}", ""]
    poster += [
        *qr_box(base_url),
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
    for measure, rules in measures.items():
        for entry in recruiting[measure]["tiers"]:
            if entry["tier"] not in graduate_tiers(rules):
                continue
            tier = rules["tiers"][entry["tier"]]
            details += [f"### {tier['name']} {{: #{measure}-{entry['tier']} }}", ""]
            for cid in tier["criteria"] + entry["also"]:
                details += criterion_lines(rules, questions, cid, PAGE)
            details.append("")
        procedure = role_note(rules, "campus_recruitment")
        if procedure:
            details += [f"**{MEASURE_SHORT_NAMES[measure]}人才怎样招聘**：{escape(procedure['text'])} "
                        f"{cite(procedure['citation'], PAGE)}", ""]
    details += ["</div>", ""]
    return "\n".join(["---", "title: 校园招聘", "---", "", *poster, *details])
