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
"""

from __future__ import annotations

from pathlib import Path

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
