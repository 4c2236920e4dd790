"""Chinese search: the measures' own terms stay whole, in the index and in the query.

Index side: Material's search plugin cuts Chinese text with jieba; `search_terms.txt` (the jieba
user dictionary named in mkdocs.yml) keeps terms such as 安家补助, 一事一议, 人才培养基地 whole,
which jieba's default dictionary would split.

Query side: Material's search worker (9.8.1) segments a Chinese query greedily against the
index's tokens, but never tries the whole query — its loop stops one character short
(`j < query.length`). So 一事一议 became the query 一* (a token from elsewhere in the text) and
matched every section; 生活资助 became 生活*. `patch_search_worker` (a post-build step) lets the
loop reach the end, so a query that is itself an index token stays whole. The build fails if the
worker no longer contains the expected code, so a Material upgrade cannot drop the fix silently.

Which measure: an article's section is titled 第N条 in both texts, and most articles never name
their own measure, so 卫生 拔尖人才 条件 used to rank the education text's articles first.
`tag_article_sections` (a post-build step) appends the measure (（卫生办法）) to the title of each
section of the two texts in the search index, so a query naming the measure ranks its articles
first, and a result says which measure it is from.
"""

from __future__ import annotations

import json
from pathlib import Path

import jieba

from checker.citation import MEASURE_SHORT_NAMES

TERMS_FILE = Path(__file__).resolve().parent / "search_terms.txt"

# The greedy segmenter's inner loop in Material 9.8.1's minified search worker, and the fix.
_SEGMENT_LOOP = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
_SEGMENT_LOOP_FIXED = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


class SearchWorkerChanged(RuntimeError):
    pass


def search_terms() -> list[str]:
    """The terms of the jieba user dictionary (first column of each line)."""
    lines = TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def patch_search_worker(site_dir: Path) -> None:
    """Post-build step: let Material's query segmenter keep a whole-token query whole."""
    workers = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise SearchWorkerChanged(f"expected one Material search worker, found {workers}")
    source = workers[0].read_text(encoding="utf-8")
    if source.count(_SEGMENT_LOOP_FIXED) == 1:
        return  # already patched (a rebuild that kept the file)
    if source.count(_SEGMENT_LOOP) != 1:
        raise SearchWorkerChanged(
            f"{workers[0].name}: the query segmenter changed; re-check site_builder/search.py"
        )
    workers[0].write_text(source.replace(_SEGMENT_LOOP, _SEGMENT_LOOP_FIXED), encoding="utf-8")


# The plugin's zh separator keeps \u200b between the words jieba cut (mkdocs.yml).
_WORD_BREAK = "\u200b"


def _segmented(text: str) -> str:
    return _WORD_BREAK.join(word for word in jieba.cut(text) if word)


def tag_article_sections(site_dir: Path) -> None:
    """Post-build step: the search index titles each section of a measure's text with its measure."""
    index_file = site_dir / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    tags = {f"{m}/#": _segmented(f"（{short}办法）") for m, short in MEASURE_SHORT_NAMES.items()}
    for doc in index["docs"]:
        tag = next((t for prefix, t in tags.items() if doc["location"].startswith(prefix)), None)
        if tag and not doc["title"].endswith(tag):
            doc["title"] += _WORD_BREAK + tag
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
