"""Citations into the text of the measures, and the anchor scheme every page and rule shares.

An article is `article-N`; each numbered item below it appends its own number:
（一） → 1, 1. → 1, （1） → 1, and the category paragraphs "A类：" of education article 4 → a.
So `article-5-1-2-3` is health article 5, item （一）, sub-item 2., point （3）. The scheme is
public (links get shared), so it never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from checker.measures import DESCRIPTIONS

# id → full title, and id → short name (教育), in the measures' order: the rule files' [measure] tables.
MEASURES = {m: d["title"] for m, d in DESCRIPTIONS.items()}
MEASURE_SHORT_NAMES = {m: d["short_name"] for m, d in DESCRIPTIONS.items()}

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """Write 1..99 the way the measures number their articles and items (十二, 二十六)."""
    if not 0 < n < 100:
        raise ValueError(f"numeral out of range: {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def parse_chinese_numeral(text: str) -> int:
    """Read 一..九十九 as written in 第二十六条 or （三）."""
    if not text or any(c not in _DIGITS[1:] + "十" for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        return _DIGITS.index(text)
    tens_part, _, ones_part = text.partition("十")
    if len(tens_part) > 1 or len(ones_part) > 1:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    tens = _DIGITS.index(tens_part) if tens_part else 1
    ones = _DIGITS.index(ones_part) if ones_part else 0
    return tens * 10 + ones


@dataclass(frozen=True, order=True)
class Citation:
    """A place in a measure: an article, or an item inside it (path of item numbers)."""

    measure: str
    article: int
    path: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure: {self.measure!r}")

    @classmethod
    def parse(cls, measure: str, ref: str) -> "Citation":
        """Read a compact reference such as "8", "8.1" or "5.1.2.3" (article, then item path)."""
        head, *path = str(ref).split(".")
        return cls(measure, int(head), tuple(path))

    @property
    def anchor(self) -> str:
        return "-".join(["article", str(self.article), *self.path])

    @property
    def url(self) -> str:
        """Link relative to the site root."""
        return f"{self.measure}/#{self.anchor}"

    @property
    def label(self) -> str:
        """How a reader names the place: 第五条（一）2.（3）."""
        parts = [f"第{chinese_numeral(self.article)}条"]
        for depth, number in enumerate(self.path):
            if not number.isdigit():
                parts.append(f"{number.upper()}类")
            elif depth == 0:
                parts.append(f"（{chinese_numeral(int(number))}）")
            elif depth == 1:
                parts.append(f"{number}.")
            else:
                parts.append(f"（{number}）")
        return "".join(parts)

    def to_dict(self) -> dict:
        return dict(self._dict)  # a copy: callers may change it

    @cached_property
    def _dict(self) -> dict:
        # Built once per citation: every finding of every result carries one.
        return {
            "measure": self.measure,
            "article": self.article,
            "anchor": self.anchor,
            "label": f"{MEASURE_SHORT_NAMES[self.measure]}办法{self.label}",
            "url": self.url,
        }
