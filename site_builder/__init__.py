"""Builds the public site: parses the measures' text, generates pages, runs MkDocs, serves it.

Commands (from the repository root, with the project's venv):

    python -m site_builder build            # generate pages + mkdocs build --strict → site/
    python -m site_builder serve [--host 127.0.0.1] [--port 8000] [--root site]

Extension points — each is one entry in one list:

* A generated page: write `def my_pages() -> Iterable[GeneratedPage]` returning
  `GeneratedPage("guide/tiers.md", markdown)` and append it to `PAGE_GENERATORS` in
  `site_builder/pages.py`. The MkDocs hook (`site_builder/hooks.py`) adds the pages in memory, so
  nothing generated lands in `docs/`; add the page to `nav()` in `site_builder/nav.py` if it belongs in the nav.
  Templates go in `site_builder/templates/` (`pages.templates()` is the Jinja2 environment).
* A post-build step (copy assets into site/, precompress, check something): write
  `def my_step(site_dir: Path) -> None` and append it to `POST_BUILD_STEPS` in
  `site_builder/build.py`. Steps run in order after MkDocs has written the site.

The text model: `site_builder.text.load_measure("education")` returns the parsed measure;
`site_builder.text.lookup(Citation(...))` returns the article or item a citation points to.
The server (`site_builder/server.py`) sends the CSP and security headers with every response.
"""
