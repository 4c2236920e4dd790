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
import checker

PAGE_SRC = "selfcheck.md"  # served at selfcheck/
ROOT_ID = "hc-selfcheck"
BOOL_CHOICES = [{"value": "true", "label": "是"}, {"value": "false", "label": "否"}]
# Short paths into the form: the campus poster's QR code opens ?path=graduate, the home page's
# entries ?path=teacher / ?path=doctor (each preselects answers).
PRESETS = {"graduate": {"situation": "graduate"}, "teacher": {"measure": "education"},
           "doctor": {"measure": "health"}}


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _help(question: dict) -> str:
    text = question.get("help")
    return f'<p class="hc-help" id="hc-help-{_attr(question["id"])}">{escape(text)}</p>' if text else ""


def _choices(question: dict, kind: str) -> str:
    qid = question["id"]
    choices = BOOL_CHOICES if question["type"] == "bool" else question.get("choices", [])
    items = []
    for n, choice in enumerate(choices):
        input_id = f"hc-{qid}-{n}"
        items.append(
            f'<label class="hc-choice" for="{_attr(input_id)}"><input type="{kind}" id="{_attr(input_id)}" '
            f'name="{_attr(qid)}" value="{_attr(choice["value"])}"> {escape(choice["label"])}</label>'
        )
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
    from checker.universities import suggestions

    names = {"universities": suggestions}[question["suggest"]]()
    options = "".join(f'<option value="{_attr(n)}">' for n in names)
    return f'<datalist id="hc-{_attr(question["id"])}-list">{options}</datalist>'


def question_html(question: dict) -> str:
    """One question as a fieldset (choices) or a labelled input; hidden until its show_if holds."""
    qid, kind = question["id"], question["type"]
    show_if = question.get("show_if") or []
    data = (
        f'class="hc-q" data-qid="{_attr(qid)}" data-type="{_attr(kind)}" '
        f"data-show-if='{_attr(json.dumps(show_if, ensure_ascii=False))}'"
        + (" hidden" if show_if else "")
    )
    if kind in ("choice", "multi", "bool"):
        input_kind = "checkbox" if kind == "multi" else "radio"
        return (
            f"<fieldset {data}><legend>{escape(question['label'])}</legend>{_help(question)}"
            f'<div class="hc-choices">{_choices(question, input_kind)}</div></fieldset>'
        )
    if kind in ("date", "int", "text"):
        return (
            f'<div {data}><label for="hc-{_attr(qid)}">{escape(question["label"])}</label>'
            f"{_help(question)}{_input(question)}</div>"
        )
    raise ValueError(f"question {qid!r}: unknown type {kind!r}")


def form_html(questions: list[dict]) -> str:
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
        parts.append(question_html(question))
    if parts:
        parts.append("</div>")
    return (
        '<form class="hc-form" autocomplete="off" novalidate data-search-exclude>'
        + "".join(parts)
        + '<p class="hc-actions"><button type="submit" class="md-button md-button--primary hc-submit" disabled>'
        "查看结果</button></p></form>"
    )


def procedures(data: dict | None = None) -> dict:
    """Where the result's "next step" points: per measure, the guide's procedures page and, per
    "programme:tier", the procedure (title, anchor on that page) the tier goes through."""
    import checker.policy
    from site_builder.guide.measure_pages import page_path, procedure_anchor, procedure_notes

    data = data if data is not None else checker.policy.load()
    out = {}
    for measure, rules in data["measures"].items():
        tiers = {}
        for n in procedure_notes(rules):
            for programme in n["programmes"]:
                for tier in n.get("tiers", ()):
                    tiers[f"{programme}:{tier}"] = {"title": n["procedure"], "anchor": procedure_anchor(n["id"])}
        page = page_path(measure, "procedures").removesuffix(".md") + "/"
        out[measure] = {"page": page, "tiers": tiers}
    return out


def page_markdown(questions: list[dict], *, runtime: dict, next_steps: dict | None = None) -> str:
    """The page source. `runtime` holds the site-root-relative asset paths the script needs;
    `next_steps` the procedures the result links to (default: from the rule data)."""
    from site_builder.assets import preload_links

    data = " ".join(f'data-{key}="{_attr(value)}"' for key, value in runtime.items())
    presets = _attr(json.dumps(PRESETS, ensure_ascii=False))
    steps = _attr(json.dumps(next_steps if next_steps is not None else procedures(), ensure_ascii=False))
    return "\n".join([
        "---",
        "title: 自测",
        "description: 回答几个问题，看看自己可能属于哪一层次的人才、可以享受哪些待遇。",
        "---",
        "",
        "# 自测：我可能属于哪一层次？",
        "",
        "回答下面的问题，马上就能看到你可能符合的人才层次、依据的条款和可享受的待遇。"
        "你的回答只在你自己的设备上计算，不会发送到任何地方。",
        "",
        f'<div id="{ROOT_ID}" class="hc-selfcheck" data-state="loading" data-presets="{presets}" data-procedures="{steps}" {data}>',
        preload_links(runtime),
        # The page's search entry is its introduction: the status, the no-script notice and the
        # form's many labels are not (data-search-exclude, Material's search plugin).
        '<p class="hc-status" role="status" aria-live="polite" data-search-exclude>'
        '<span class="hc-status-text">正在准备检查程序……表格可以先填写。</span></p>',
        '<noscript><p class="hc-error-text" data-search-exclude>自测需要在浏览器中启用 JavaScript。你也可以直接阅读政策原文：'
        '<a href="../education/">教育人才引进培养办法</a>、<a href="../health/">卫生人才引进培养办法</a>。'
        "</p></noscript>",
        form_html(questions),
        '<div class="hc-error" role="alert" hidden></div>',
        '<section class="hc-result" aria-live="polite" data-state="empty" hidden></section>',
        "</div>",
        "",
    ])


def selfcheck_pages():
    """Page generator (site_builder.pages.PAGE_GENERATORS): the 自测 page at selfcheck/."""
    from site_builder.assets import runtime
    from site_builder.pages import GeneratedPage  # here, not at the top: pages.py imports us

    yield GeneratedPage(PAGE_SRC, page_markdown(checker.questions(), runtime=runtime()))
