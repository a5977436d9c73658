"""Command line: `python -m pipeline VERB`, one verb per pipeline stage; errors as path:line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.agency import command as xliffcli
from pipeline.errors import PipelineError, describe, shown_path, system_advice
from pipeline.model import Severity
from pipeline.report import terminal

if TYPE_CHECKING:
    from pipeline import flow

# Each verb imports what it needs when it runs: `merge` of a large catalog does not wait for the
# modules of the site build (docs/performance.md).


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the project folder holding pyproject.toml (default: here)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an internal error (also: PIPELINE_DEBUG=1)")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    verbs.add_parser("extract", help="write locales/templates/*.pot from source/")
    update_verb = verbs.add_parser(
        "update", help="extract, then bring every language's catalogs up to date")
    update_verb.add_argument("--check", action="store_true",
                             help="write nothing; exit 1 if any catalog is out of date (for CI)")
    update_verb.add_argument("--json", action="store_true", help="print JSON for machines")
    update_verb.add_argument("--prune-obsolete", action="store_true",
                             help="move obsolete entries out of the catalogs into memory/")
    build_verb = verbs.add_parser("build", help="write localized HTML and JSON into outputs/")
    build_verb.add_argument("--strict", action="store_true",
                            help="exit 1 if a page is withheld in a language (for CI)")
    status_verb = verbs.add_parser("status", help="how much of each page is translated")
    status_verb.add_argument("--json", action="store_true", help="print JSON for machines")
    status_verb.add_argument("--lang", action="append", help="only this language (repeatable)")
    status_verb.add_argument("--page", action="append", help="only this page (repeatable)")
    _memory_parser(verbs)
    merge = verbs.add_parser("merge", help="merge any catalog with a template, like msgmerge")
    merge.add_argument("old", type=Path, metavar="OLD.po")
    merge.add_argument("template", type=Path, metavar="NEW.pot")
    merge.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.po")
    merge.add_argument("--lang", help="the catalog's language, if its header has none")
    merge.add_argument("--json", action="store_true", help="print the counts as JSON")
    _qa_parsers(verbs)
    xliffcli.add_parser(verbs)
    status_verb.add_argument("--diff", action="store_true",
                             help="show what changed in the English of every stale entry")
    status_verb.add_argument("--fail-under", type=float, metavar="PERCENT",
                             help="exit 1 if a page has under PERCENT of its words current "
                                  "in a language (for CI)")
    return parser


def _extract(args: argparse.Namespace) -> int:
    from pipeline import flow
    from pipeline.config import load_settings

    console = terminal.console()
    written = flow.extract(load_settings(args.root.resolve()))
    changed = [item for item in written if item.changed]
    if not args.quiet:
        console.print(f"extract: {len(written)} templates, {len(changed)} changed")
        for item in changed:
            console.print(f"  wrote {item.path.relative_to(args.root.resolve())}")
    return 0


def _update(args: argparse.Namespace) -> int:
    from pipeline import flow
    from pipeline.config import load_settings

    console = terminal.console()
    root = args.root.resolve()
    with _progress(args, "updating catalogs") as progress:
        results = flow.update(load_settings(root), write=not args.check, progress=progress,
                              prune_obsolete=args.prune_obsolete)
    if args.check:
        stale = [item for item in results if item.changed]
        for item in stale:
            print(f"{item.path.relative_to(root)}: out of date with source/; run `nox -s update`",
                  file=sys.stderr)
        if not args.quiet and not stale:
            console.print(f"update --check: all {len(results)} catalogs are up to date")
        return 1 if stale else 0
    if args.json:
        print(terminal.update_json(results, root))
    elif not args.quiet:
        terminal.print_update(results, console)
    return 0


def _build(args: argparse.Namespace) -> int:
    from pipeline import flow
    from pipeline.config import load_settings

    console = terminal.console()
    root = args.root.resolve()
    with _progress(args, "building pages") as progress:
        result = flow.build(load_settings(root), progress)
    withdrawn = sum(item.withdrawn for item in result.withheld)
    if not args.quiet:
        console.print(f"build: {len(result.rebuilt)} page versions built, "
                      f"{len(result.written)} files written, {result.unchanged} unchanged, "
                      f"{len(result.removed)} removed; {len(result.withheld)} page versions "
                      f"withheld ({withdrawn} withdrawn)")
        for path in result.written:
            console.print(f"  wrote {path.relative_to(root)}")
    # Plain print, even when quiet: a page readers no longer get is a problem, and its
    # reasons quote English that rich would read as markup.
    for item in result.withheld:
        what = "withdrawn (published before; its files removed)" if item.withdrawn \
            else "withheld"
        print(f"{item.language}/{item.slug}: {what}: {'; '.join(item.reasons)}",
              file=sys.stderr)
    return 1 if args.strict and result.withheld else 0


def _status(args: argparse.Namespace) -> int:
    import json

    from pipeline import flow
    from pipeline.config import load_settings
    from pipeline.report import status, statusview

    console = terminal.console()
    with _progress(args, "reading catalogs") as progress:
        rows = flow.status(load_settings(args.root.resolve()), args.lang, args.page, progress)
    if args.json:
        print(json.dumps(status.as_json(rows), indent=2, ensure_ascii=False))
    elif args.diff:
        statusview.print_diffs(rows, console)
    else:
        statusview.print_status(rows, console)
    if args.fail_under is None:
        return 0
    below = status.failing(rows, args.fail_under)
    for item in below:
        print(f"{item.path}: {item.share():.1%} of the words are current, under "
              f"--fail-under {args.fail_under:g}%", file=sys.stderr)
    return 1 if below else 0


@contextmanager
def _progress(args: argparse.Namespace, description: str) -> Iterator[flow.Progress]:
    """A progress bar on a terminal's stderr; nothing when quiet or not a terminal."""
    from rich.console import Console
    from rich.progress import Progress

    from pipeline import flow

    console = Console(stderr=True)
    if args.quiet or not console.is_terminal:
        yield flow.no_progress
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _memory_parser(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    memory = verbs.add_parser("memory", help="the translation memory: search, import, export")
    actions = memory.add_subparsers(dest="action", required=True, metavar="ACTION")
    search = actions.add_parser("search", help="best matches for some English (concordance)")
    search.add_argument("text")
    search.add_argument("--lang", required=True)
    search.add_argument("--min", type=float, default=50.0, help="lowest score shown (percent)")
    search.add_argument("--limit", type=int, default=5)
    search.add_argument("--json", action="store_true")
    export = actions.add_parser("export", help="write a language's memory as TMX 1.4b")
    export.add_argument("--lang", required=True)
    export.add_argument("-o", "--output", type=Path, required=True)
    imported = actions.add_parser("import", help="keep a TMX file's units in memory/")
    imported.add_argument("file", type=Path)
    imported.add_argument("--trusted", action="store_true",
                          help="its exact matches may be filled in as current translations "
                               "(only for a memory the clinic has reviewed; by default they "
                               "arrive as suggestions)")
    stats = actions.add_parser("stats", help="units per language and origin")
    stats.add_argument("--json", action="store_true")


def _memory(args: argparse.Namespace) -> int:
    import json

    from pipeline import flow
    from pipeline.config import load_settings

    console = terminal.console()
    settings = load_settings(args.root.resolve())
    if args.action == "search":
        matches = flow.memory_search(settings, args.text, args.lang, args.min, args.limit)
        if args.json:
            print(json.dumps([{"score": match.score, "source": match.unit.source,
                               "translation": match.unit.target, "origin": match.unit.origin,
                               "status": match.unit.status.value}
                              for match in matches], indent=2, ensure_ascii=False))
            return 0
        terminal.print_matches(matches, args.lang, console)
        return 0
    if args.action == "export":
        count = flow.memory_export(settings, args.lang, args.output)
        if not args.quiet:
            console.print(f"memory export: {count} units of {args.lang} to {args.output}")
        return 0
    if args.action == "import":
        result = flow.memory_import(settings, args.file, args.trusted)
        if not args.quiet:
            kept = ", ".join(f"{count} {language}" for language, count in result.kept.items())
            trust = "trusted" if args.trusted else "offered as suggestions until a translator " \
                "accepts them"
            console.print(f"memory import: kept {kept} in memory/, {trust}")
            for language, count in sorted(result.skipped.items()):
                console.print(f"  skipped {count} units in {language}: not a configured "
                              "language")
        return 0
    rows = flow.memory_stats(settings)
    if args.json:
        print(json.dumps([{"language": language, "origin": kind, "units": count}
                          for language, kind, count in rows], indent=2))
        return 0
    terminal.print_stats(rows, console)
    return 0


def _qa_parsers(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = verbs.add_parser("check", help="translator QA: every check on every translation")
    check.add_argument("--json", action="store_true", help="print JSON for machines")
    check.add_argument("--lang", action="append", help="only this language (repeatable)")
    check.add_argument("--page", action="append", help="only this page (repeatable)")
    glossary = verbs.add_parser("glossary", help="the per-language glossaries in glossary/")
    actions = glossary.add_subparsers(dest="action", required=True, metavar="ACTION")
    imported = actions.add_parser("import", help="merge a CSV (term,translation,note) or TBX "
                                                 "file into glossary/<lang>.yaml")
    imported.add_argument("file", type=Path)
    imported.add_argument("--lang", required=True)


def _check(args: argparse.Namespace) -> int:
    import json

    from pipeline import flow
    from pipeline.config import load_settings

    report = flow.check(load_settings(args.root.resolve()), args.lang, args.page)
    failed = 1 if report.count(Severity.ERROR) else 0
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return failed
    # Plain print, not rich: findings quote Markdown such as [text](url), which rich reads as
    # markup.
    text = terminal.check_text(report, args.quiet)
    if text:
        print(text)
    return failed


def _glossary(args: argparse.Namespace) -> int:
    from pipeline import flow
    from pipeline.config import load_settings

    result = flow.glossary_import(load_settings(args.root.resolve()), args.file, args.lang)
    if not args.quiet:
        where = shown_path(result.path, args.root.resolve())
        terminal.say(f"glossary import: {result.read} read, {result.added} added, "
                    f"{result.changed} changed, {result.unchanged} unchanged; "
                    f"{'wrote' if result.written else 'no change to'} {where}")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from pipeline.po.pomerge import merge_files

    counts = merge_files(args.old, args.template, args.output, args.lang)
    if args.json:
        import json
        from dataclasses import asdict

        print(json.dumps({**asdict(counts), "output": str(args.output)}, indent=2))
    elif not args.quiet:  # plain: rich would take 20 ms to load, and read [..] in a name as markup
        terminal.say(f"merge: {counts.kept} kept, {counts.cosmetic} cosmetic, "
                     f"{counts.fuzzy} fuzzy, {counts.new} untranslated, "
                     f"{counts.obsoleted} obsolete -> {args.output}")
    return 0


VERBS = {"merge": _merge, "extract": _extract, "update": _update, "build": _build,
         "status": _status,
         "memory": _memory, "check": _check, "glossary": _glossary, "xliff": xliffcli.run}


READ_ONLY_VERBS = frozenset({"status", "check"})  # every other verb writes (the cache too)
LOCK_FILE = "pipeline.lock"
DEBUG_VARIABLE = "PIPELINE_DEBUG"


@contextmanager
def _locked(args: argparse.Namespace) -> Iterator[None]:
    """The project lock around a verb that writes (docs/errors.md); none for a read-only verb."""
    if args.verb in READ_ONLY_VERBS or args.verb == "merge":  # merge needs no project
        yield
        return
    from pipeline import flow
    from pipeline.config import load_settings
    from pipeline.runtime import fsio

    settings = load_settings(args.root.resolve())
    flow.fence(settings)  # before the lock, which removes temporary files in these folders
    folders = (settings.locales_dir, settings.outputs_dir, settings.memory_dir,
               settings.root / "glossary", settings.cache_dir)
    with fsio.project_lock(settings.cache_dir / LOCK_FILE, folders):
        yield


def main(argv: Sequence[str] | None = None) -> int:
    """Run a verb: 0 when done, 1 for problems to fix in the project's files (printed as
    `path:line: message`), 2 for a wrong command line or an internal error (a bug)."""
    args = _parser().parse_args(argv)
    try:
        with _locked(args):
            return VERBS[args.verb](args)
    except PipelineError as error:
        print(describe(error, args.root.resolve()), file=sys.stderr)
        return 1
    except BrokenPipeError:  # a reader such as `head` had enough: no message, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as error:  # the machine's, not the pipeline's: permissions, disk space
        path = error.filename or ""
        print(describe(PipelineError(system_advice(error), path or None), args.root.resolve()),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: every file is as it was or complete; run the command again",
              file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug or os.environ.get(DEBUG_VARIABLE):
            import traceback

            traceback.print_exc()
        print(f"internal error: {type(error).__name__}: {error}\nThis is a bug in the pipeline, "
              "not a problem in your files; please report it with the command you ran. Run "
              f"again with --debug (or {DEBUG_VARIABLE}=1) to see the traceback.",
              file=sys.stderr)
        return 2
