"""Command line: `python -m pipeline VERB`, one verb per pipeline stage; errors as path:line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from pipeline import flow, states, status
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
    status_verb.add_argument("--diff", action="store_true",
                             help="show what changed in the English of every stale entry")
    status_verb.add_argument("--fail-under", type=float, metavar="PERCENT",
                             help="exit 1 if a page has under PERCENT of its words current "
                                  "in a language (for CI)")
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
    with _progress(args, "updating catalogs") as progress:
        results = flow.update(load_settings(root), write=not args.check, progress=progress)
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
        for column in ("catalog", "kept", "cosmetic", "stale", "new", "obsoleted", "written"):
            table.add_column(column, justify="left" if column == "catalog" else "right")
        for item in results:
            counts = item.counts
            table.add_row(f"{item.language}/{item.domain}", str(counts.kept),
                          str(counts.cosmetic), str(counts.fuzzy),
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
    with _progress(args, "reading catalogs") as progress:
        rows = flow.status(load_settings(args.root.resolve()), args.lang, args.page, progress)
    if args.json:
        print(json.dumps(status.as_json(rows), indent=2, ensure_ascii=False))
    elif args.diff:
        _print_diffs(rows, console)
    else:
        _print_status(rows, console)
    if args.fail_under is None:
        return 0
    below = status.failing(rows, args.fail_under)
    for item in below:
        print(f"{item.path}: {item.share():.1%} of the words are current, under "
              f"--fail-under {args.fail_under:g}%", file=sys.stderr)
    return 1 if below else 0


def _print_status(rows: Sequence[status.Row], console: Console) -> None:
    table = Table(title="share of words: current, stale (critical), suggested, missing",
                  title_justify="left")
    table.add_column("page", no_wrap=True)
    for header in ("lang", "current", "stale", "critical", "suggested", "missing", "reviewed"):
        table.add_column(header, justify="left" if header == "lang" else "right")
    for item in rows:
        table.add_row(item.domain, item.language, *_cells(item))
    table.add_section()
    for language in dict.fromkeys(item.language for item in rows):
        table.add_row("all pages", language,
                      *_cells(status.total(item for item in rows if item.language == language)))
    console.print(table)


def _cells(item: status.Row) -> list[str]:
    current = item.share()
    style = "green" if current == 1 else "yellow" if current >= 0.8 else "red"
    shares = [f"{item.share(key):.0%}" if item.words[key] else "-"
              for key in (states.STALE, status.CRITICAL_KEY, states.SUGGESTED,
                          states.UNTRANSLATED)]
    if item.words[status.CRITICAL_KEY]:
        shares[1] = f"[bold red]{shares[1]}[/bold red]"
    reviewed = str(item.entries[status.REVIEWED_KEY] or "-")
    return [f"[{style}]{current:.0%}[/{style}]", *shares, reviewed]


def _print_diffs(rows: Sequence[status.Row], console: Console) -> None:
    shown = 0
    for item in rows:
        for detail in item.details:
            if detail.state != states.STALE or detail.previous is None:
                continue
            shown += 1
            marker = " [bold red]critical[/bold red]" if detail.change == "critical" else ""
            since = f", since {detail.since}" if detail.since else ""
            console.print(f"{item.path}:{detail.line}: stale{since}{marker}",
                          markup=True, highlight=False)
            pieces = []
            for kind, text in status.word_diff(detail.previous, detail.msgid):
                escaped = escape(text)
                pieces.append({"=": escaped, "-": f"[red][-{escaped}-][/red]",
                               "+": f"[green]{{+{escaped}+}}[/green]"}[kind])
            console.print("    " + " ".join(pieces))
    if not shown:
        console.print("no stale entries")


@contextmanager
def _progress(args: argparse.Namespace, description: str) -> Iterator[flow.Progress]:
    """A progress bar on a terminal's stderr; nothing when quiet or not a terminal."""
    console = Console(stderr=True)
    if args.quiet or not console.is_terminal:
        yield flow.no_progress
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


VERBS = {"extract": _extract, "update": _update, "build": _build, "status": _status}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Logs and pipes get a width that fits every table; a terminal keeps its own.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 110)
    try:
        return VERBS[args.verb](args, console)
    except PipelineError as error:
        print(error, file=sys.stderr)
        return 1
