"""The status report on a terminal: shares of words per state, publication, and diffs."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape

from pipeline.po import states
from pipeline.report import status, terminal

STATUS_HEADERS = ("current", "stale", "critical", "suggested", "missing", "reviewed",
                  "published")


def print_status(rows: Sequence[status.Row], console: Console) -> None:
    """The table of shares per page and language, whether each is published, then why each
    withheld one is."""
    table = terminal.table("catalog", STATUS_HEADERS, text=("published",))
    for item in rows:
        table.add_row(escape(f"{item.language}/{item.domain}"), *cells(item), _published(item))
    table.add_section()
    for language in dict.fromkeys(item.language for item in rows):
        table.add_row(f"{language}: all pages",
                      *cells(status.total(item for item in rows if item.language == language)),
                      "-")
    terminal.print_table(console, "status: share of words current, stale (critical), suggested, "
                        "missing; entries reviewed; page published or withheld", table)
    for item in rows:
        if item.published is False:
            console.print(terminal.wrapped(f"{item.language}/{item.domain}: withheld: "
                                          f"{'; '.join(item.reasons)}"), markup=False)


def _published(item: status.Row) -> str:
    if item.published is None:
        return "-"
    return "yes" if item.published else "[bold red]withheld[/bold red]"


def cells(item: status.Row) -> list[str]:
    """The shares of a row, colored."""
    current = item.share()
    style = "green" if current == 1 else "yellow" if current >= 0.8 else "red"
    shares = [f"{item.share(key):.0%}" if item.words[key] else "-"
              for key in (states.State.STALE, status.CRITICAL_KEY, states.State.SUGGESTED,
                          states.State.UNTRANSLATED)]
    if item.words[status.CRITICAL_KEY]:
        shares[1] = f"[bold red]{shares[1]}[/bold red]"
    reviewed = str(item.entries[status.REVIEWED_KEY] or "-")
    return [f"[{style}]{current:.0%}[/{style}]", *shares, reviewed]


def print_diffs(rows: Sequence[status.Row], console: Console) -> None:
    """Each stale entry at its line, with a word diff of its English."""
    shown = 0
    for item in rows:
        for detail in item.details:
            if detail.state != states.State.STALE or detail.previous is None:
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
