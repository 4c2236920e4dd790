"""`python -m site_builder build` builds everything into site/; `... serve` serves the built site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_builder")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate pages and run mkdocs build --strict")
    build.add_argument("--site-dir", type=Path, default=None, help="output (default: site/)")
    serve = commands.add_parser(
        "serve", help="PREVIEW server for the built site (production: nginx, see DEPLOY.md)",
        description="A preview server for the built site, with the production headers. Not meant for "
                    "production: publish site/ with a web server such as nginx (DEPLOY.md).")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--root", type=Path, default=Path("site"), help="built site (default: site/)")
    args = parser.parse_args(argv)

    # Each command imports only what it runs: serving a built site loads neither MkDocs nor the
    # checker, and a build does not load the server.
    if args.command == "build":
        from site_builder.build import BuildError, build_site
        from site_builder.search import SearchWorkerChanged
        from site_builder.text import TextError

        try:
            timings = build_site(args.site_dir)
        except (BuildError, TextError, SearchWorkerChanged, FileNotFoundError) as error:
            # Problems in our sources or checks, or a setup step not run: one clear line, not a
            # traceback.
            print(f"build failed: {error}", file=sys.stderr)
            return 1
        print(f"built in {timings['total']:.1f} s")
        return 0

    from site_builder.server import make_server

    try:
        server = make_server(args.root, args.host, args.port)
    except (FileNotFoundError, OSError) as error:
        print(f"cannot serve: {error}", file=sys.stderr)
        return 1
    print(f"preview server: {args.root} at http://{args.host}:{server.server_port}/  (Ctrl-C stops; "
          "for production see DEPLOY.md)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
