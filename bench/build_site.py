"""Time a full site build (generated pages + mkdocs build --strict + post-build steps) and print
the size of the built site, in total and per kind of file. Target: a full build under 10 s.

    .venv/bin/python bench/build_site.py [--runs 3]

Builds into a temporary directory, so site/ is left alone. The first run starts from empty build
caches (the checker wheel and the precompressed copies, as on a fresh clone); the others reuse
them, as a writer's rebuilds do.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import site_builder.assets as assets  # noqa: E402
from site_builder.build import build_site  # noqa: E402

COMPRESSED_SUFFIXES = (".br", ".gz")


def kind_of(path: str) -> str:
    """Group a built file by what it is for."""
    if path.endswith(COMPRESSED_SUFFIXES):
        return "precompressed copies (.br/.gz)"
    if path.endswith(".map"):
        return "source maps"
    if path.endswith(".html"):
        section = path.split("/", 1)[0] if "/" in path else "home" if path == "index.html" else path
        return f"HTML pages: {section}"
    if path.startswith("search/"):
        return "search index"
    if path.startswith("assets/pyodide/"):
        return "Pyodide runtime"
    if path.startswith("assets/checker/"):
        return "checker wheel"
    if path.startswith(("assets/javascripts/", "assets/stylesheets/")):
        return "theme scripts and styles"
    return "other"


def sizes(site_dir: Path) -> dict[str, int]:
    """Bytes per kind; HTML kinds are named with their page count."""
    totals: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for file in site_dir.rglob("*"):
        if file.is_file():
            kind = kind_of(file.relative_to(site_dir).as_posix())
            totals[kind] += file.stat().st_size
            counts[kind] += 1
    return {
        (f"{kind} ({counts[kind]} pages)" if kind.startswith("HTML") else kind): size
        for kind, size in totals.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp) / "site"
        assets.WHEEL_CACHE = Path(tmp) / "wheels"
        assets.PRECOMPRESS_CACHE = Path(tmp) / "precompressed"
        for run in range(args.runs):
            timings = build_site(site_dir)
            seconds.append(timings["total"])
            if run == 0:
                first_precompress = timings.get("precompress", 0.0)
            steps = ", ".join(f"{k} {v:.2f}" for k, v in timings.items() if k != "total")
            cold = "  [cold: empty build caches, first build in this process]" if run == 0 else ""
            print(f"run {run + 1}: {timings['total']:.2f} s  ({steps}){cold}")
        by_kind = sizes(site_dir)

    # Brotli at its highest quality costs ~20 s for the 9.6 MB wasm, once per machine (cached by
    # content): worth it, since every visitor downloads ~0.4 MB less than at quality 9.
    print(f"\ncold full build: {seconds[0]:.2f} s, of which {first_precompress:.2f} s first-time "
          f"precompression; generate + mkdocs + other steps: {seconds[0] - first_precompress:.2f} s "
          "(target < 10 s)")
    if len(seconds) > 1:
        print(f"rebuild: median {statistics.median(seconds[1:]):.2f} s over {len(seconds) - 1} runs")
    print("\nbuilt site size:")
    for kind, size in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {size / 1024:10.1f} KiB  {kind}")
    total = sum(by_kind.values())
    served = total - by_kind.get("precompressed copies (.br/.gz)", 0) - by_kind.get("source maps", 0)
    print(f"  {total / 1024:10.1f} KiB  total on disk")
    print(f"  {served / 1024:10.1f} KiB  total without precompressed copies and source maps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
