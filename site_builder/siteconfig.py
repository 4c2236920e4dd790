"""What the pages read from `mkdocs.yml`: the public address (`site_url`) and the deployer's
settings under `extra` (contacts of the departments, the campus event). A setting left empty is
not shown; nothing here supplies a default a reader could mistake for a real address or number.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.utils.yaml import yaml_load

MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"

# Hosts reserved for examples and local use (RFC 2606, RFC 6761): a QR code must never print them.
PLACEHOLDER_SUFFIXES = (".example", ".invalid", ".test", ".localhost", ".local")
PLACEHOLDER_HOSTS = {"example.com", "example.org", "example.net", "localhost", "127.0.0.1"}

# Not a "mkdocs" logger: under --strict MkDocs turns its own warnings into errors, and a
# placeholder address is a reminder for the deployer, not a broken build.
log = logging.getLogger("site_builder")


@lru_cache(maxsize=None)
def load(config_file: Path = MKDOCS_YML) -> dict:
    return yaml_load(config_file.read_text(encoding="utf-8")) or {}


def site_url(config_file: Path = MKDOCS_YML) -> str | None:
    """The configured public address ending in "/", or None when it is not set."""
    url = (load(config_file).get("site_url") or "").strip()
    return url.rstrip("/") + "/" if url else None


def is_placeholder(url: str | None) -> bool:
    """True when `url` is unset, not http(s), or on a host reserved for examples."""
    if not url:
        return True
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return True
    return host in PLACEHOLDER_HOSTS or host.endswith(PLACEHOLDER_SUFFIXES) or ".example." in f".{host}."


def extra(config_file: Path = MKDOCS_YML) -> dict:
    return load(config_file).get("extra") or {}


def filled(settings: dict | None, keys: tuple[str, ...]) -> dict[str, str]:
    """The fields of `settings` among `keys` that are set (non-empty), in `keys` order."""
    settings = settings or {}
    return {k: str(settings[k]).strip() for k in keys if str(settings.get(k) or "").strip()}
