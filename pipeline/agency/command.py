"""Command line of the xliff verb: `python -m pipeline xliff export|import` (docs/xliff.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import describe, shown_path
from pipeline.report import terminal


def add_parser(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    xliff = verbs.add_parser("xliff", help="exchange a language's catalogs with agencies' CAT "
                                           "tools as XLIFF 1.2")
    actions = xliff.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write a language's entries as XLIFF 1.2")
    export.add_argument("--lang", required=True)
    export.add_argument("--page", action="append", help="only this page (repeatable)")
    export.add_argument("--state", help="only entries in these states, comma-separated: "
                                        "current, stale, suggested, untranslated (default: all)")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlf")
    imported = actions.add_parser("import", help="merge a translated XLIFF into the catalogs")
    imported.add_argument("file", type=Path, metavar="FILE.xlf")


def run(args: argparse.Namespace) -> int:
    from pipeline.agency import exchange as agency
    from pipeline.config import load_settings

    root = args.root.resolve()
    settings = load_settings(root)
    if args.action == "export":
        done = agency.export(settings, args.lang, args.page, agency.parse_states(args.state),
                             args.output)
        shown = shown_path(args.output.resolve(), root)
        if not args.quiet and not done.units:
            terminal.say(f"xliff export: no entry of {args.lang} to export in those states and "
                        f"pages; {shown} not written")
        elif not args.quiet:
            terminal.say(f"xliff export: {done.units} units of {args.lang} in {done.files} "
                        f"catalogs to {shown}")
            if done.plurals:
                terminal.say(f"  {done.plurals} plural entries left out: XLIFF 1.2 has no plural "
                            "forms; translate them in the catalogs")
        return 0
    result = agency.import_file(settings, args.file)
    if not args.quiet:
        terminal.say(f"xliff import: {result.current} translated, {result.review} for review "
                    f"(fuzzy), {result.unchanged} unchanged, {result.empty} without a "
                    f"translation; {result.archived} replaced translations kept in memory/")
        for path in result.written:
            print(f"  wrote {shown_path(path, root)}")
    for error in result.refused:
        print(describe(error, root), file=sys.stderr)
    return 1 if result.refused else 0
