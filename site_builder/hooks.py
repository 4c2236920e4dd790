"""MkDocs hook (mkdocs.yml `hooks:`): set the nav (made from the measures' descriptions) and add
the generated pages to the build, in memory.

Works for `mkdocs build` and `mkdocs serve` alike, so a writer's preview shows generated pages too.
"""

from __future__ import annotations

import sys
from pathlib import Path

# MkDocs loads hooks by file path; make the repository importable for `mkdocs serve` as well.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from mkdocs.structure.files import File, Files  # noqa: E402

from site_builder.nav import nav  # noqa: E402
from site_builder.pages import generate_pages  # noqa: E402


def on_config(config):
    if config["nav"] is not None:
        raise ValueError("the nav is generated (site_builder/nav.py); remove nav: from mkdocs.yml")
    config["nav"] = nav()
    return config


def on_files(files: Files, config) -> Files:
    for page in generate_pages():
        if files.get_file_from_path(page.src_uri) is not None:
            raise ValueError(f"{page.src_uri} is generated; remove the copy from docs/")
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    return files
