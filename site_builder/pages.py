"""Generated pages: each generator returns the pages it makes; the build adds them to the site.

A generator is a function of no arguments returning an iterable of `GeneratedPage(src_uri,
markdown)` (site_builder/generated.py), where `src_uri` is the page's path as if it lived in
`docs/` (e.g. "education.md" → /education/). Register it by appending to `PAGE_GENERATORS`;
nothing else is needed. Pages never
land in `docs/`: the MkDocs hook in `site_builder/hooks.py` hands them to MkDocs in memory.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import jinja2
from markupsafe import Markup

from checker.citation import MEASURES
from checker.versions import TextVersion, text_versions
from site_builder.generated import GeneratedPage, PageGenerator
from site_builder.guide import article_rules, guide_pages
from site_builder.home import home_pages
from site_builder.selfcheck import selfcheck_pages
from site_builder.text import load_measure, load_version
from site_builder.value_changes import value_changes

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=None)
def templates() -> jinja2.Environment:
    """Jinja2 environment for the Markdown templates under site_builder/templates/."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # the official text goes into HTML blocks
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


# Blocks shown under each article of the full text (the guide's literate view): functions
# (measure_id, article_number) -> HTML, "" when they have nothing for that article.
ARTICLE_ANNOTATORS: list[Callable[[str, int], str]] = [article_rules]


# Search weight of the official text's sections against every other page's (default 1), so a
# search for a term of the measures lists the articles that contain it before the guide pages.
TEXT_SEARCH_BOOST = 4


def version_page(version: TextVersion) -> str:
    """Where an earlier version of a text lives: versions/<id>-before-<date>.md."""
    return f"versions/{version.measure}-before-{version.until.isoformat()}.md"


def measure_text_pages() -> Iterable[GeneratedPage]:
    """The complete text of each measure at /education/ and /health/ (the version in force), and
    each earlier version at /versions/<id>-before-<date>/, marked 已失效 and kept out of search."""
    template = templates().get_template("measure.md.j2")
    for measure_id in MEASURES:
        def annotate(article, measure_id=measure_id):
            return Markup("".join(f(measure_id, article.number) for f in ARTICLE_ANNOTATORS))

        *earlier, current = text_versions(measure_id)
        if current.since is not None and current.since > dt.date.today():
            # The site shows one text as 现行: a revision's text goes in on the day it takes effect.
            raise ValueError(f"policy/{current.file} takes effect on {current.since} (rules/{measure_id}.toml, "
                             "versions): add a revised text on the day it takes effect, not before")
        markdown = template.render(
            measure=load_measure(measure_id), annotate=annotate, search_boost=TEXT_SEARCH_BOOST, version=None,
            earlier=[(v, version_page(v)) for v in earlier], current_since=current.since_text,
            changes=value_changes(measure_id),
        )
        yield GeneratedPage(f"{measure_id}.md", markdown)
        for v in earlier:
            markdown = template.render(
                measure=load_version(v), annotate=lambda article: "", search_boost=TEXT_SEARCH_BOOST, version=v,
                current_link=f"../{measure_id}.md", current_title=current.title,
            )
            yield GeneratedPage(version_page(v), markdown)


# Every page generator of the site, in nav order where the nav is automatic.
PAGE_GENERATORS: list[PageGenerator] = [
    home_pages,
    measure_text_pages,
    selfcheck_pages,
    guide_pages,
]


def generate_pages() -> list[GeneratedPage]:
    pages = [page for generator in PAGE_GENERATORS for page in generator()]
    seen: set[str] = set()
    for page in pages:
        if page.src_uri in seen:
            raise ValueError(f"two generators make {page.src_uri}")
        seen.add(page.src_uri)
    return pages
