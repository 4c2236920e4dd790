"""The 自测 page: a plain HTML form generated at build time from `checker.questions()`.

The form shows and can be filled in before any Python has loaded; web/selfcheck.js adds the
skip logic (each question's `show_if`, kept as JSON on its element) and hands the answers to
the checker running in a Pyodide worker. No answer is ever put in a URL's query string or sent
anywhere: the form has no action, and its submit button stays disabled until the script that
intercepts submission is attached.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import checker
import checker.policy
from checker.measures import DESCRIPTIONS
from checker.universities import suggestions
from site_builder.assets import offline_box, preload_links, runtime
from site_builder.generated import GeneratedPage
from site_builder.guide.measure_pages import page_path, procedure_anchor, procedure_notes
from site_builder.measures import text_name

PAGE_SRC = "selfcheck.md"  # served at selfcheck/
ROOT_ID = "hc-selfcheck"
BOOL_CHOICES = [{"value": "true", "label": "是"}, {"value": "false", "label": "否"}]
# Short paths into the form: the campus poster's QR code opens ?path=graduate, the home page's
# entries each measure's (its [measure] table's preset: ?path=teacher, ?path=doctor); each preselects answers.
GRADUATE_PRESET = "graduate"
PRESETS = {GRADUATE_PRESET: {"situation": "graduate"},
           **{d["preset"]: {"measure": m} for m, d in DESCRIPTIONS.items()}}
NONE_LABEL = "以上都没有"  # sends [] for a check-list: answered, none
# Check-lists whose choices name a level by the prefix of their value are grouped by level.
LEVELS = {"national": "全国层次", "provincial": "省（市）级（重庆市级的荣誉属于省（市）级）"}
QR_MODULE = Path(__file__).resolve().parent.parent / "web" / "qr.js"
OPTIONAL_NOTE = "不确定可以不填：结果会分别列出各类单位的资金分担。"


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _help(question: dict) -> str:
    text = question.get("help")
    return f'<p class="hc-help" id="hc-help-{_attr(question["id"])}">{escape(text)}</p>' if text else ""


def _level(value: str) -> str | None:
    prefix = value.split("_", 1)[0]
    return prefix if prefix in LEVELS else None


def _choices(question: dict, kind: str) -> str:
    """The choices; a check-list grouped by level where its values name one, ending with 以上都没有."""
    qid = question["id"]
    choices = BOOL_CHOICES if question["type"] == "bool" else question.get("choices", [])
    grouped = kind == "checkbox" and len({_level(c["value"]) for c in choices} - {None}) > 1
    items, level = [], None
    for n, choice in enumerate(choices):
        if grouped and _level(choice["value"]) != level:
            level = _level(choice["value"])
            items.append(f'<p class="hc-level">{escape(LEVELS.get(level, "其他"))}</p>')
        input_id = f"hc-{qid}-{n}"
        items.append(
            f'<label class="hc-choice" for="{_attr(input_id)}"><input type="{kind}" id="{_attr(input_id)}" '
            f'name="{_attr(qid)}" value="{_attr(choice["value"])}"> {escape(choice["label"])}</label>'
        )
    if kind == "checkbox":
        input_id = f"hc-{qid}-none"
        items.append(f'<label class="hc-choice hc-none" for="{_attr(input_id)}"><input type="checkbox" '
                     f'id="{_attr(input_id)}" data-none="1" value=""> {NONE_LABEL}</label>')
    return "".join(items)


def _input(question: dict) -> str:
    qid, kind = question["id"], question["type"]
    attrs = [f'id="hc-{_attr(qid)}"', f'name="{_attr(qid)}"']
    if question.get("help"):
        attrs.append(f'aria-describedby="hc-help-{_attr(qid)}"')
    if kind == "int":
        attrs += ['type="number"', 'step="1"', 'inputmode="numeric"']
        attrs += [f'{bound}="{int(question[bound])}"' for bound in ("min", "max") if question.get(bound) is not None]
    elif kind == "date":
        attrs.append('type="date"')
    else:
        attrs.append('type="text"')
    if question.get("suggest"):  # names offered as the person types, built here: nothing is fetched
        attrs += [f'list="hc-{_attr(qid)}-list"', 'autocomplete="off"']
        return f'<input {" ".join(attrs)}>{_datalist(question)}'
    return f'<input {" ".join(attrs)}>'


def _datalist(question: dict) -> str:
    names = {"universities": suggestions}[question["suggest"]]()
    options = "".join(f'<option value="{_attr(n)}">' for n in names)
    return f'<datalist id="hc-{_attr(question["id"])}-list">{options}</datalist>'


def question_html(question: dict, use: dict | None = None) -> str:
    """One question as a fieldset (choices) or a labelled input; hidden until its show_if holds
    and, with `use` ({"paths", "optional"} from `question_paths`), on paths that use it."""
    qid, kind = question["id"], question["type"]
    show_if = question.get("show_if") or []
    use = use or {}
    data = (
        f'class="hc-q" data-qid="{_attr(qid)}" data-type="{_attr(kind)}" '
        f"data-show-if='{_attr(json.dumps(show_if, ensure_ascii=False))}'"
        + (f" data-used-on='{_attr(json.dumps(use['paths']))}'" if use.get("paths") else "")
        + (" hidden" if show_if else "")
    )
    # Shown by web/selfcheck.js on the paths where the answer only splits the money.
    on = _attr(json.dumps(use.get("optional", [])))
    optional = (f'<span class="hc-optional" data-optional-on=\'{on}\' hidden>（选填）</span>'
                if use.get("optional") else "")
    note = (f'<p class="hc-help hc-optional-note" data-optional-on=\'{on}\' hidden>{OPTIONAL_NOTE}</p>'
            if use.get("optional") else "")
    if kind in ("choice", "multi", "bool"):
        input_kind = "checkbox" if kind == "multi" else "radio"
        return (
            f"<fieldset {data}><legend>{escape(question['label'])}{optional}</legend>{_help(question)}{note}"
            f'<div class="hc-choices">{_choices(question, input_kind)}</div></fieldset>'
        )
    if kind in ("date", "int", "text"):
        return (
            f'<div {data}><label for="hc-{_attr(qid)}">{escape(question["label"])}{optional}</label>'
            f"{_help(question)}{note}{_input(question)}</div>"
        )
    raise ValueError(f"question {qid!r}: unknown type {kind!r}")


def question_paths(data: dict | None = None) -> dict[str, dict]:
    """Per question: the "measure:situation" pairs on which a rule uses it (from the rule data's
    question_use and each tier's path criterion), and whether it only splits the money (then
    it is optional there: the result shows the split for each answer)."""
    data = data if data is not None else checker.policy.load()
    situations = [c["value"] for c in next(q for q in data["questions"] if q["id"] == "situation")["choices"]]
    paths: dict[str, set] = {}  # "measure/programme/tier" → situations
    for measure, rules in data["measures"].items():
        for p in rules["programmes"]:
            every = set()
            for entry in p["tiers"]:
                on = set(situations)
                for cid in entry["also"] + rules["tiers"][entry["tier"]]["criteria"]:
                    c = rules["criteria"][cid]
                    if c["op"] == "in" and c.get("field") == "situation":
                        on &= set(c["values"])
                paths[f"{measure}/{p['id']}/{entry['tier']}"] = on
                every |= on
            paths[f"{measure}/{p['id']}"] = every  # funding, schedule, money, notes …: the programme's paths
    out = {}
    for qid, uses in data["question_use"].items():
        if not uses or qid in ("measure", "situation"):
            continue
        on = {}  # pair → the uses there
        for u in uses:
            for s in paths.get(u, paths[u.rsplit("/", 1)[0]]):
                on.setdefault(f"{u.split('/')[0]}:{s}", []).append(u)
        optional = sorted(pair for pair, here in on.items() if all(u.endswith("/funding") for u in here))
        out[qid] = {"paths": sorted(on), "optional": optional}
    return out


def form_html(questions: list[dict], uses: dict | None = None) -> str:
    """The whole form, questions grouped in the order the checker gives them."""
    parts, group = [], object()  # a sentinel no question's group equals
    for question in questions:
        if question.get("group") != group:
            if parts:
                parts.append("</div>")
            group = question.get("group")
            parts.append('<div class="hc-group">')
            if group:  # the group is a Chinese section title
                parts.append(f'<h2 class="hc-group-title">{escape(group)}</h2>')
        parts.append(question_html(question, (uses or {}).get(question["id"])))
    if parts:
        parts.append("</div>")
    return (
        '<form class="hc-form" autocomplete="off" novalidate data-search-exclude>'
        + "".join(parts)
        + '<p class="hc-actions"><button type="submit" class="md-button md-button--primary hc-submit" disabled>'
        "查看结果</button></p><p class=\"hc-queued\" role=\"status\" aria-live=\"polite\" hidden></p></form>"
    )


def procedures(data: dict | None = None) -> dict:
    """Where the result's "next step" points: per measure, the guide's procedures page and the
    anchor there of each procedure note (the checker's summary names the note)."""
    data = data if data is not None else checker.policy.load()
    out = {}
    for measure, rules in data["measures"].items():
        anchors = {n["id"]: procedure_anchor(n["id"]) for n in procedure_notes(rules)}
        page = page_path(measure, "procedures").removesuffix(".md") + "/"
        out[measure] = {"page": page, "anchors": anchors}
    return out


def page_markdown(questions: list[dict], *, runtime: dict, next_steps: dict | None = None,
                  site_name: str = "", uses: dict | None = None) -> str:
    """The page source. `runtime` holds the site-root-relative asset paths the script needs;
    `next_steps` the procedures the result links to (default: from the rule data)."""
    data = " ".join(f'data-{key}="{_attr(value)}"' for key, value in runtime.items())
    presets = _attr(json.dumps(PRESETS, ensure_ascii=False))
    fallback = _attr(json.dumps(fallback_pages(), ensure_ascii=False))
    steps = _attr(json.dumps(next_steps if next_steps is not None else procedures(), ensure_ascii=False))
    uses = uses if uses is not None else question_paths()
    # The result's QR code uses the site's encoder (web/qr.js → assets/hc/qr.js) when it ships.
    qr = ' data-qr=""' if QR_MODULE.is_file() else ""
    return "\n".join([
        "---",
        "title: 自测",
        "description: 回答几个问题，看看自己可能属于哪一层次的人才、可以享受哪些待遇。",
        # No site search here: on a weak network its index and worker (~35 KB) would share the
        # bandwidth the checker's runtime needs (overrides/partials/search.html).
        "hide: [search]",
        "---",
        "",
        "# 自测：我可能属于哪一层次？",
        "",
        "回答下面的问题，马上就能看到您可能符合的人才层次、依据的条款和可享受的待遇。"
        "您的回答只在您自己的设备上计算，不会发送到任何地方。",
        "",
        f'<div id="{ROOT_ID}" class="hc-selfcheck" data-state="loading" data-presets="{presets}"'
        f' data-fallback="{fallback}" data-procedures="{steps}" data-site-name="{_attr(site_name)}"{qr} {data}>',
        preload_links(runtime),
        # The page's search entry is its introduction: the status, the no-script notice and the
        # form's many labels are not (data-search-exclude, Material's search plugin).
        '<p class="hc-status" role="status" aria-live="polite" data-search-exclude>'
        '<span class="hc-status-text">正在准备测算工具……表格可以先填写。</span></p>',
        '<noscript><p class="hc-error-text" data-search-exclude>自测需要在浏览器中启用脚本。您也可以直接阅读政策原文：'
        + "、".join(f'<a href="../{m}/">{text_name(m)}</a>' for m in DESCRIPTIONS) + "。</p></noscript>",
        # Problems with the tool or a share link show beside the status, where the page opens.
        '<div class="hc-error" role="alert" hidden></div>',
        form_html(questions, uses),
        '<section class="hc-result" aria-live="polite" data-state="empty" hidden></section>',
        offline_box(),
        "</div>",
        "",
    ])


def fallback_pages() -> list[list[str]]:
    """[path from the site root, nav title] of the pages that say what the checker would: each
    measure's tiers and benefits, then the full texts. The page offers them when the checker
    cannot run (web/selfcheck.js)."""
    guide = [[page_path(m, topic).removesuffix(".md") + "/", d["nav"][topic]]
             for m, d in DESCRIPTIONS.items() for topic in ("tiers", "benefits")]
    return guide + [[f"{m}/", d["nav"]["text"]] for m, d in DESCRIPTIONS.items()]


def selfcheck_pages():
    """Page generator (site_builder.pages.PAGE_GENERATORS): the 自测 page at selfcheck/."""
    yield GeneratedPage(PAGE_SRC, page_markdown(checker.questions(), runtime=runtime()))
