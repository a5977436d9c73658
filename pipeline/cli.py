"""Command line: `python -m pipeline VERB`, one verb per pipeline stage; errors as path:line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline import flow, status
from pipeline.config import load_settings
from pipeline.errors import PipelineError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the project folder holding pyproject.toml (default: here)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    verbs.add_parser("extract", help="write locales/templates/*.pot from source/")
    update_verb = verbs.add_parser(
        "update", help="extract, then bring every language's catalogs up to date")
    update_verb.add_argument("--check", action="store_true",
                             help="write nothing; exit 1 if any catalog is out of date (for CI)")
    verbs.add_parser("build", help="write localized HTML and JSON into outputs/")
    status_verb = verbs.add_parser("status", help="how much of each page is translated")
    status_verb.add_argument("--json", action="store_true", help="print JSON for machines")
    status_verb.add_argument("--lang", action="append", help="only this language (repeatable)")
    status_verb.add_argument("--page", action="append", help="only this page (repeatable)")
    return parser


def _extract(args: argparse.Namespace, console: Console) -> int:
    written = flow.extract(load_settings(args.root.resolve()))
    changed = [item for item in written if item.changed]
    if not args.quiet:
        console.print(f"extract: {len(written)} templates, {len(changed)} changed")
        for item in changed:
            console.print(f"  wrote {item.path.relative_to(args.root.resolve())}")
    return 0


def _update(args: argparse.Namespace, console: Console) -> int:
    root = args.root.resolve()
    results = flow.update(load_settings(root), write=not args.check)
    if args.check:
        stale = [item for item in results if item.changed]
        for item in stale:
            print(f"{item.path.relative_to(root)}: out of date with source/; run `nox -s update`",
                  file=sys.stderr)
        if not args.quiet and not stale:
            console.print(f"update --check: all {len(results)} catalogs are up to date")
        return 1 if stale else 0
    if not args.quiet:
        table = Table(title="update", title_justify="left")
        for column in ("catalog", "kept", "fuzzy", "new", "obsoleted", "written"):
            table.add_column(column, justify="left" if column == "catalog" else "right")
        for item in results:
            counts = item.counts
            table.add_row(f"{item.language}/{item.domain}", str(counts.kept), str(counts.fuzzy),
                          str(counts.new), str(counts.obsoleted), "yes" if item.changed else "-")
        console.print(table)
    return 0


def _build(args: argparse.Namespace, console: Console) -> int:
    root = args.root.resolve()
    result = flow.build(load_settings(root))
    if not args.quiet:
        console.print(f"build: {len(result.written)} files written, {result.unchanged} unchanged, "
                      f"{len(result.removed)} removed")
        for path in result.written:
            console.print(f"  wrote {path.relative_to(root)}")
    return 0


def _status(args: argparse.Namespace, console: Console) -> int:
    rows = flow.status(load_settings(args.root.resolve()), args.lang, args.page)
    if args.json:
        print(json.dumps(status.as_json(rows), indent=2, ensure_ascii=False))
        return 0
    table = Table(title="translation status: entries (words)", title_justify="left")
    table.add_column("page", no_wrap=True)
    table.add_column("lang")
    for header in ("translated", "fuzzy", "missing", "obsolete"):
        table.add_column(header, justify="right")
    table.add_column("done", justify="right")
    for item in rows:
        table.add_row(item.domain, item.language, *_cells(item))
    table.add_section()
    for language in dict.fromkeys(item.language for item in rows):
        total = status.total(item for item in rows if item.language == language)
        table.add_row("all pages", language, *_cells(total))
    console.print(table)
    return 0


def _cells(item: status.Row) -> list[str]:
    style = "green" if item.share == 1 else "yellow" if item.share >= 0.8 else "red"
    counts = [f"{item.entries[state]} ({item.words[state]})" if item.entries[state] else "-"
              for state in status.STATES]
    return [*counts, str(item.obsolete or "-"), f"[{style}]{item.share:.0%}[/{style}]"]


VERBS = {"extract": _extract, "update": _update, "build": _build, "status": _status}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(highlight=False)
    try:
        return VERBS[args.verb](args, console)
    except PipelineError as error:
        print(error, file=sys.stderr)
        return 1
