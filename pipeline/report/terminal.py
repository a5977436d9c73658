"""Reports for people: tables and lines that fit COLUMNS, else the terminal, else 80 columns."""

from __future__ import annotations

import shutil
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pipeline.errors import shown_path

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console
    from rich.table import Table

    from pipeline import updating
    from pipeline.memory import index as memory
    from pipeline.qa import checks

DEFAULT_WIDTH = 80  # a pipe or a log without COLUMNS: what every report is made to fit


def width() -> int:
    """COLUMNS if set, else the terminal's width, else DEFAULT_WIDTH (a pipe, a log)."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def wrapped(text: str, indent: str = "  ") -> str:
    """A line of prose folded to the width at spaces, its continuation lines indented."""
    return textwrap.fill(text, width(), subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False)


def say(text: str) -> None:
    """A plain report line, folded to the width (no rich: [..] in a name is not markup)."""
    print(wrapped(text))


def console() -> Console:
    from rich.console import Console

    class Reporting(Console):
        def on_broken_pipe(self) -> None:
            # rich's own exits 1; the CLI ends every report in a closed pipe alike (cli.main)
            raise BrokenPipeError

    return Reporting(highlight=False, width=width())


def table(name: str, headers: Sequence[str], text: Iterable[str] = ()) -> Table:
    """A table with one column of names, folded when the width is short, then columns that keep
    their header whole (numbers, right-aligned, unless named in `text`)."""
    from rich import box
    from rich.table import Table

    made = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                 header_style="bold")
    made.add_column(name, overflow="fold", ratio=1)
    texts = set(text)
    for header in headers:
        made.add_column(header, justify="left" if header in texts else "right", no_wrap=True,
                        min_width=len(header))
    return made


def print_table(out: Console, title: str, body: Table) -> None:
    """A title line (wrapped, not padded to the table's width), then the table."""
    out.print(wrapped(title), markup=False)
    out.print(body)


UPDATE_HEADERS = ("kept", "cosmetic", "stale", "new", "memory", "obsolete", "written")


def print_update(results: Sequence[updating.UpdateResult], out: Console) -> None:
    """What update did to each catalog; then the catalogs a translator must look at, and why."""
    from rich.markup import escape

    from pipeline.config import TEMPLATES_FOLDER

    templates = [item.domain for item in results if item.language == TEMPLATES_FOLDER]
    results = [item for item in results if item.language != TEMPLATES_FOLDER]
    body = table("catalog", UPDATE_HEADERS)
    for item in results:
        counts = item.counts
        body.add_row(escape(f"{item.language}/{item.domain}"), str(counts.kept),
                     str(counts.cosmetic), str(counts.fuzzy), str(counts.new),
                     f"{counts.memory_exact} + {counts.memory_fuzzy}?", str(counts.obsoleted),
                     "yes" if item.changed else "-")
    print_table(out, "update: entries kept, edited (cosmetic or stale), new (of which the "
                "memory filled + suggested?), obsolete", body)
    if templates:
        out.print(wrapped(f"templates written or removed: {', '.join(templates)}"),
                  markup=False)
    for item in results:
        name = f"{item.language}/{item.domain}"
        if item.counts.doubled:
            out.print(wrapped(f"{name}: {item.counts.doubled} obsolete entries had the English "
                              "of a live entry: moved to memory/, offered as suggestions"),
                      markup=False)
        if item.counts.replural:
            out.print(wrapped(f"{name}: {item.counts.replural} plural entries keep all their "
                              "forms but not the rule's count: fuzzy, for a translator to "
                              "review"), markup=False)


def update_json(results: Sequence[updating.UpdateResult], root: Path) -> str:
    """What update did to each catalog, for machines: the counts under their own names."""
    import json
    from dataclasses import asdict


    return json.dumps([{"path": shown_path(item.path, root),
                        "language": item.language, "domain": item.domain,
                        "counts": asdict(item.counts), "written": item.changed}
                       for item in results], indent=2)


def print_matches(matches: Sequence[memory.Match], language: str, out: Console) -> None:
    """Concordance: score, English, translation and origin, the texts wrapped side by side."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    if not matches:
        out.print("no match")
        return
    body = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                 header_style="bold")
    body.add_column("score", justify="right", no_wrap=True, min_width=5)
    for header in ("English", "translation", "origin"):
        body.add_column(header, overflow="fold", ratio=2 if header != "origin" else 1)
    for match in matches:
        body.add_row(f"{match.score:.0f}%", escape(match.unit.source),
                     escape(match.unit.target), escape(match.unit.origin))
    print_table(out, f"memory matches ({language})", body)


def print_stats(rows: Sequence[tuple[str, str, int]], out: Console) -> None:
    body = table("language", ("origin", "units"), text=("origin",))
    for language, kind, count in rows:
        body.add_row(language, kind, str(count))
    print_table(out, "translation memory", body)


def check_text(report: checks.Report, quiet: bool) -> str:
    """Findings as GNU lines, `path:line: severity: check: message`, one block per file, whole
    whatever the width (editors and CI read them); then the counts, folded to the width."""
    paths = list(dict.fromkeys(finding.path for finding in report.findings))
    blocks = ["\n".join(str(finding) for finding in report.findings if finding.path == path)
              for path in paths]
    if not quiet:
        blocks.append(wrapped(_check_summary(report, len(paths))))
    return "\n\n".join(blocks)


def _check_summary(report: checks.Report, files: int) -> str:
    from pipeline.model import Severity

    def counted(severity: str) -> str:
        count = report.count(severity)
        return f"{count} {severity}{'' if count == 1 else 's'}"

    by_check = Counter(finding.check for finding in report.findings)
    details = ", ".join(f"{name}: {count}" for name, count in sorted(by_check.items()))
    return (f"check: {counted(Severity.ERROR)}, {counted(Severity.WARNING)} in {files} of "
            f"{len(report.catalogs)} catalogs" + (f" ({details})" if details else ""))
