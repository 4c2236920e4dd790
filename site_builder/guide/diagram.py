"""Procedure diagrams as inline SVG, generated at build time (no script, no CDN, no CSS inline).

A procedure is a list of steps (plain text from the parsed measure). The diagram is a vertical
flow of boxes, one per step, with the text wrapped inside; it scales to the page width through
its viewBox. The SVG is decorative for assistive technology (`aria-hidden`): the same steps are
always printed next to it as an ordered list.
"""

from __future__ import annotations

import re
from html import escape

WIDTH = 340
BOX_WIDTH = 300
CHARS_PER_LINE = 18  # full-width characters that fit in BOX_WIDTH at FONT_SIZE, less one for 禁则
FONT_SIZE = 14
LINE_HEIGHT = 20
PADDING = 10
GAP = 28  # room for the arrow between two boxes


def short_text(step: str) -> str:
    """A step as the diagram shows it: parenthesised detail （包括……） dropped, end mark removed."""
    text = re.sub(r"（包括[^）]*）", "", step)
    return text.rstrip("。；;")


# Chinese line breaking (禁则): these never start a line, and those never end one.
NO_LINE_START = "，、。；：？！）》」』”’%"
NO_LINE_END = "（《「『“‘"


def wrap(text: str, width: int = CHARS_PER_LINE) -> list[str]:
    """Lines of at most `width` characters, one more where a closing mark is pulled back onto
    the line before (a line never starts with "，" or "、"), one less where an opening mark is
    pushed down to the next line."""
    lines: list[str] = []
    rest = text
    while len(rest) > width:
        cut = width
        if rest[cut] in NO_LINE_START:
            cut += 1
            while cut < len(rest) and rest[cut] in NO_LINE_START:  # "）。" hangs as a pair
                cut += 1
        elif rest[cut - 1] in NO_LINE_END:
            cut -= 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines + [rest] if rest or not lines else lines


def procedure_svg(steps: list[str], title: str) -> str:
    parts: list[str] = []
    y = PADDING
    x = (WIDTH - BOX_WIDTH) // 2
    for index, step in enumerate(steps, start=1):
        lines = wrap(f"{index}. {short_text(step)}")
        height = len(lines) * LINE_HEIGHT + 2 * PADDING
        parts.append(
            f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{height}" rx="8" '
            'fill="#eef1fb" stroke="#3f51b5" stroke-width="1.5"/>'
        )
        for n, line in enumerate(lines):
            baseline = y + PADDING + (n + 1) * LINE_HEIGHT - 5
            parts.append(
                f'<text x="{x + PADDING}" y="{baseline}" font-size="{FONT_SIZE}" '
                f'fill="#1a1a1a">{escape(line)}</text>'
            )
        y += height
        if index < len(steps):
            mid = WIDTH // 2
            parts.append(
                f'<line x1="{mid}" y1="{y}" x2="{mid}" y2="{y + GAP - 6}" stroke="#3f51b5" stroke-width="2"/>'
                f'<polygon points="{mid - 6},{y + GAP - 8} {mid + 6},{y + GAP - 8} {mid},{y + GAP}" fill="#3f51b5"/>'
            )
            y += GAP
    height = y + PADDING
    return (
        f'<svg class="hc-diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="sans-serif" aria-hidden="true" focusable="false">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
