"""The whole build: generated pages + `mkdocs build --strict`, then the post-build steps.

A post-build step is a function `step(site_dir: Path) -> None` that works on the built site
(copy assets in, precompress, check something). Register it by appending to `POST_BUILD_STEPS`;
steps run in list order after MkDocs has written `site/`.
"""

from __future__ import annotations

import os
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from mkdocs.commands.build import build
from mkdocs.config import load_config

from site_builder.assets import install_selfcheck_assets, minify_scripts, precompress, write_service_worker
from site_builder.guide import install_guide_assets
from site_builder.opendata import write_open_data
from site_builder.search import patch_search_worker, tag_article_sections

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "mkdocs.yml"

PostBuildStep = Callable[[Path], None]

# Script types a browser executes; a <script type="application/json"> is data, CSP ignores it.
_EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class BuildError(RuntimeError):
    pass


class _InlineScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[int] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs:
            if (attrs.get("type") or "").strip().lower() in _EXECUTABLE_SCRIPT_TYPES:
                self.found.append(self.getpos()[0])
        if any(name.startswith("on") for name in attrs):
            self.found.append(self.getpos()[0])


def check_no_inline_scripts(site_dir: Path) -> None:
    """Fail if a page holds an inline script or event handler: the CSP (`script-src 'self'`)
    would block it. Theme scripts that were inline live in overrides/ as files instead."""
    problems = []
    for page in sorted(site_dir.rglob("*.html")):
        finder = _InlineScriptFinder()
        finder.feed(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(site_dir)}:{line}" for line in finder.found]
    if problems:
        raise BuildError("inline scripts would be blocked by the CSP: " + ", ".join(problems))


# Every post-build step, in the order they run.
POST_BUILD_STEPS: list[PostBuildStep] = [
    check_no_inline_scripts,
    patch_search_worker,
    tag_article_sections,
    install_selfcheck_assets,
    install_guide_assets,
    minify_scripts,  # after the steps that copy scripts in
    write_open_data,
    write_service_worker,  # after every step that adds files: it lists them for offline use
    precompress,  # last: compresses what the others wrote
]


def mkdocs_build(config_file: Path = CONFIG_FILE, site_dir: Path | None = None) -> Path:
    """`mkdocs build --strict` in-process (the hook adds the generated pages)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # before load_config: the theme reads it

    options = {"strict": True}
    if site_dir is not None:
        options["site_dir"] = str(site_dir)
    config = load_config(str(config_file), **options)
    build(config)
    return Path(config["site_dir"])


def build_site(site_dir: Path | None = None) -> dict[str, float]:
    """Build everything into `site_dir` (default: mkdocs.yml's, i.e. site/). Returns timings."""
    timings = {}
    start = time.perf_counter()
    built = mkdocs_build(site_dir=site_dir)
    timings["mkdocs"] = time.perf_counter() - start
    for step in POST_BUILD_STEPS:
        step_start = time.perf_counter()
        step(built)
        timings[step.__name__] = time.perf_counter() - step_start
    timings["total"] = time.perf_counter() - start
    return timings
