"""The one type every page generator returns (see site_builder/pages.py, PAGE_GENERATORS).

It lives apart from pages.py so the generators (home, selfcheck, guide) can import it at the top
without importing the module that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # path as if under docs/, e.g. "education.md" or "guide/tiers.md"
    markdown: str


PageGenerator = Callable[[], Iterable[GeneratedPage]]
