"""The official text of a measure as a model: measure → chapter → article → items (recursive).

`parse_measure(measure_id, text)` reads the plain text as published (title line, `第一章  总    则`
chapter lines, `第一条  ……` article lines, numbered items on their own lines) and
`load_measure(measure_id)` reads the committed copy under `policy/`. Numbers and anchors come from
`checker.citation`, so an item's `citation.anchor` is the id it carries on the page.

The parser copes with the raw text's quirks: irregular and full-width spaces, blank lines anywhere,
trailing spaces, items on their own lines, and numbered sub-items two levels deep:

    （一） → 1.  → （1）      e.g. health 第五条（一）1.（3） = article-5-1-1-3
    A类：                     the category paragraphs of education 第四条 = article-4-a

A line that starts with no marker continues the node above it as a further paragraph, so no text is
ever dropped. Anything the parser cannot place (text before the first chapter, an article or item
number out of sequence) raises `TextError` with the line number, rather than guessing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Union

from checker.citation import MEASURES, Citation, chinese_numeral, parse_chinese_numeral
from checker.versions import TextVersion

# The official texts, policy/<measure>.txt. HC_POLICY_DIR names another folder: the seam a test
# uses to build a sample measure (with HC_RULES_DIR, checker/_data.py); nothing else sets it.
POLICY_DIR_VARIABLE = "HC_POLICY_DIR"
POLICY_DIR = Path(__file__).resolve().parent.parent / "policy"


def policy_dir() -> Path:
    override = os.environ.get(POLICY_DIR_VARIABLE)
    return Path(override) if override else POLICY_DIR

_NUMERAL = "[一二三四五六七八九十]+"
_CHAPTER = re.compile(rf"^第({_NUMERAL})章\s*(.+)$")
_ARTICLE = re.compile(rf"^第({_NUMERAL})条\s*(.*)$")

# Item markers, outermost level first. Each: (kind, pattern); group 1 is the number.
_ITEM_MARKERS = (
    ("category", re.compile(r"^([A-Z])类：")),
    ("chinese", re.compile(rf"^（({_NUMERAL})）")),
    ("dot", re.compile(r"^(\d{1,2})[.．](?!\d)")),
    ("paren", re.compile(r"^（(\d{1,2})）")),
)
# Nesting rank of each marker kind: a marker closes every open item of the same or deeper rank.
_RANK = {"category": 0, "chinese": 0, "dot": 1, "paren": 2}


class TextError(ValueError):
    """The text does not have the structure of a measure; the message names the line."""


def _squash(text: str) -> str:
    """Drop all whitespace: Chinese prose has none, so any is typographic padding (总    则)."""
    return "".join(text.split())


def _printed_lines(lead: str, paragraphs: tuple[str, ...], children: tuple["Item", ...]) -> Iterator[str]:
    """A node as printed: its number (`lead`) and first paragraph on one line, the further
    paragraphs on their own lines, then its items."""
    first, *rest = paragraphs or ("",)
    yield (lead + first).rstrip()  # a bare "第N条" line has no padding after the number
    yield from rest
    for child in children:
        yield from child.lines()


@dataclass(frozen=True)
class Item:
    """A numbered item: （一）, 1., （1） or A类：, with its own paragraphs and sub-items."""

    citation: Citation
    marker: str  # as printed, e.g. "（一）", "1.", "A类："
    paragraphs: tuple[str, ...]  # the first follows the marker on its line
    children: tuple["Item", ...] = ()

    @property
    def anchor(self) -> str:
        return self.citation.anchor

    @property
    def text(self) -> str:
        """The item's own text (marker excluded, sub-items excluded)."""
        return "\n".join(self.paragraphs)

    def walk(self) -> Iterator["Item"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def lines(self) -> Iterator[str]:
        """The item as printed: marker line, continuation paragraphs, then its sub-items."""
        return _printed_lines(self.marker, self.paragraphs, self.children)


@dataclass(frozen=True)
class Article:
    """第N条: the lead paragraph(s) after the number, then its items."""

    citation: Citation
    paragraphs: tuple[str, ...]
    items: tuple[Item, ...] = ()

    @property
    def number(self) -> int:
        return self.citation.article

    @property
    def anchor(self) -> str:
        return self.citation.anchor

    @property
    def heading(self) -> str:
        return f"第{chinese_numeral(self.number)}条"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def walk_items(self) -> Iterator[Item]:
        for item in self.items:
            yield from item.walk()

    def lines(self) -> Iterator[str]:
        """The article as printed: 第N条 and its lead paragraph, further paragraphs, its items."""
        return _printed_lines(f"{self.heading}  ", self.paragraphs, self.items)


@dataclass(frozen=True)
class Chapter:
    """第N章 and its articles."""

    number: int
    title: str  # whitespace removed: "总则"
    articles: tuple[Article, ...]

    @property
    def heading(self) -> str:
        return f"第{chinese_numeral(self.number)}章 {self.title}"

    @property
    def anchor(self) -> str:
        return f"chapter-{self.number}"


Node = Union[Article, Item]


@dataclass(frozen=True)
class Measure:
    """One measure's complete text."""

    id: str
    title: str
    chapters: tuple[Chapter, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for chapter in self.chapters for a in chapter.articles)

    def nodes(self) -> Iterator[Node]:
        """Every anchored node in document order: each article, then its items depth first."""
        for article in self.articles:
            yield article
            yield from article.walk_items()

    def find(self, citation: Citation) -> Node:
        """The article or item a citation points to; KeyError if there is none."""
        if citation.measure != self.id:
            raise KeyError(f"{citation.anchor} is in {citation.measure}, not {self.id}")
        for node in self.nodes():
            if node.citation == citation:
                return node
        raise KeyError(f"no {citation.anchor} in {self.id}")

    def plain_text(self) -> str:
        """The text rebuilt from the model, one printed line per line."""
        lines = [self.title]
        for chapter in self.chapters:
            lines.append(f"第{chinese_numeral(chapter.number)}章  {chapter.title}")
            for article in chapter.articles:
                lines.extend(article.lines())
        return "\n".join(lines) + "\n"


# --- parsing -----------------------------------------------------------------------------------


class _OpenItem:
    """An item still being read (mutable while parsing, frozen into Item at the end)."""

    def __init__(self, kind: str, number: str, marker: str, text: str, path: tuple[str, ...]):
        self.kind, self.number, self.marker, self.path = kind, number, marker, path
        self.paragraphs = [text] if text else []
        self.children: list[_OpenItem] = []

    def freeze(self, measure_id: str, article: int) -> Item:
        return Item(
            citation=Citation(measure_id, article, self.path),
            marker=self.marker,
            paragraphs=tuple(self.paragraphs),
            children=tuple(c.freeze(measure_id, article) for c in self.children),
        )


class _OpenArticle:
    def __init__(self, number: int, text: str):
        self.number = number
        self.paragraphs = [text] if text else []
        self.items: list[_OpenItem] = []
        self.stack: list[_OpenItem] = []  # the chain of open items, outermost first

    def freeze(self, measure_id: str) -> Article:
        return Article(
            citation=Citation(measure_id, self.number),
            paragraphs=tuple(self.paragraphs),
            items=tuple(i.freeze(measure_id, self.number) for i in self.items),
        )


def _match_item(line: str) -> tuple[str, str, str, str] | None:
    """(kind, number for the anchor, marker as printed, rest of the line) or None."""
    for kind, pattern in _ITEM_MARKERS:
        m = pattern.match(line)
        if m:
            raw = m.group(1)
            if kind == "category":
                number = raw.lower()
            elif kind == "chinese":
                number = str(parse_chinese_numeral(raw))
            else:
                number = str(int(raw))
            marker = m.group(0)
            if kind == "dot":
                marker = f"{int(raw)}."  # "1．" and "1. " print as "1."
            return kind, number, marker, line[m.end():].strip()
    return None


def _expected_next(kind: str, siblings: list[_OpenItem]) -> str:
    if kind == "category":
        return chr(ord("a") + len(siblings))
    return str(len(siblings) + 1)


def _add_item(article: _OpenArticle, line: str, lineno: int) -> bool:
    found = _match_item(line)
    if found is None:
        return False
    kind, number, marker, rest = found
    stack = article.stack
    while stack and _RANK[stack[-1].kind] >= _RANK[kind]:
        stack.pop()
    parent = stack[-1] if stack else None
    siblings = parent.children if parent else article.items
    expected = _expected_next(kind, siblings)
    if number != expected:
        raise TextError(
            f"line {lineno}: item {marker} in 第{chinese_numeral(article.number)}条 "
            f"out of sequence (expected number {expected})"
        )
    if siblings and siblings[-1].kind != kind:
        raise TextError(f"line {lineno}: item {marker} mixes numbering styles with its siblings")
    path = (parent.path if parent else ()) + (number,)
    item = _OpenItem(kind, number, marker, rest, path)
    siblings.append(item)
    stack.append(item)
    return True


def parse_measure(measure_id: str, text: str, expected_title: str | None = None) -> Measure:
    """Parse the published plain text of one measure into its model (an earlier version of the
    text may carry another title: `expected_title`, default the measure's title)."""
    if measure_id not in MEASURES:
        raise TextError(f"unknown measure: {measure_id!r}")
    expected_title = expected_title or MEASURES[measure_id]
    title: str | None = None
    chapters: list[tuple[int, str, list[_OpenArticle]]] = []
    article: _OpenArticle | None = None
    last_article = 0

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()  # str.strip also removes full-width spaces (U+3000)
        if not line:
            continue  # blank lines carry no meaning in the published text
        if title is None:
            title = _squash(line)
            continue
        if m := _CHAPTER.match(line):
            number = parse_chinese_numeral(m.group(1))
            if number != len(chapters) + 1:
                raise TextError(f"line {lineno}: chapter {number} out of sequence")
            chapters.append((number, _squash(m.group(2)), []))
            article = None
            continue
        if m := _ARTICLE.match(line):
            number = parse_chinese_numeral(m.group(1))
            if number != last_article + 1:
                raise TextError(
                    f"line {lineno}: 第{m.group(1)}条 out of sequence "
                    f"(expected 第{chinese_numeral(last_article + 1)}条)"
                )
            if not chapters:
                raise TextError(f"line {lineno}: article before the first chapter")
            last_article = number
            article = _OpenArticle(number, (m.group(2) or "").strip())
            chapters[-1][2].append(article)
            continue
        if article is None:
            raise TextError(f"line {lineno}: text outside any article: {line[:30]!r}")
        if _add_item(article, line, lineno):
            continue
        # A line without a marker continues the innermost open node.
        target = article.stack[-1] if article.stack else article
        target.paragraphs.append(line)

    if title is None or not chapters:
        raise TextError("no title or no chapter found")
    if title != _squash(expected_title):
        raise TextError(f"title {title!r} is not {expected_title!r}")
    return Measure(
        id=measure_id,
        title=title,
        chapters=tuple(
            Chapter(number, chapter_title, tuple(a.freeze(measure_id) for a in articles))
            for number, chapter_title, articles in chapters
        ),
    )


@lru_cache(maxsize=None)
def load_measure(measure_id: str) -> Measure:
    """The committed official text of `measure_id` (a key of MEASURES), parsed."""
    if measure_id not in MEASURES:
        raise KeyError(f"unknown measure: {measure_id!r}")
    path = policy_dir() / f"{measure_id}.txt"
    return parse_measure(measure_id, path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_version(version: TextVersion) -> Measure:
    """A version of a measure's text as `checker.versions` declares it (the last is the one in force,
    policy/<id>.txt; earlier ones policy/<id>.before-<date>.txt)."""
    if version.current:
        return load_measure(version.measure)
    return parse_measure(version.measure, (policy_dir() / version.file).read_text(encoding="utf-8"), version.title)


def lookup(citation: Citation) -> Node:
    """The article or item a citation points to, from the committed text."""
    return load_measure(citation.measure).find(citation)
