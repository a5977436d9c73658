"""A catalog's header: the pipeline's fields, the team's kept, other tools' placeholders fixed."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.languages import PluralForms, language_name

PIPELINE_HEADER = ("Project-Id-Version", "Language", "MIME-Version", "Content-Type",
                   "Content-Transfer-Encoding", "Plural-Forms")
TEAM_HEADER = ("PO-Revision-Date", "Last-Translator", "Language-Team")
# The pipeline never revises a translation, so it knows neither when nor by whom one was last
# revised: these say so, and stay the same from one update to the next (no "now" date). A
# translator's tool replaces them when it saves the catalog, and update keeps its values.
NO_REVISION_DATE = "1970-01-01 00:00+0000"  # the Unix epoch: no date known
NO_TRANSLATOR = "not recorded (the catalog's history is in git)"
# Where xgettext, pybabel init and pybabel update leave a field for a person to fill in: FULL NAME
# <EMAIL@ADDRESS>, LANGUAGE <LL@li.org> (Babel: "es <LL@li.org>"), YEAR-MO-DA HO:MI+ZONE,
# PACKAGE VERSION, Report-Msgid-Bugs-To: EMAIL@ADDRESS.
PLACEHOLDERS = ("FULL NAME", "EMAIL@ADDRESS", "<LL@li.org>", "YEAR-MO-DA", "PACKAGE VERSION")


def placeholder(value: str) -> bool:
    """Whether a header value is a tool's placeholder rather than a value.

    >>> placeholder("es <LL@li.org>"), placeholder("María <maria@example.org>")
    (True, False)
    """
    return any(mark in value for mark in PLACEHOLDERS)


def revision_date(value: str | None) -> str | None:
    """The day (YYYY-MM-DD) of a PO-Revision-Date, or None when none is known: no field, a
    placeholder, or the pipeline's own NO_REVISION_DATE.

    >>> revision_date("2026-11-25 09:45+0000"), revision_date(NO_REVISION_DATE)
    ('2026-11-25', None)
    """
    if not value or value == NO_REVISION_DATE or placeholder(value):
        return None
    day = value[:10]
    return day if len(day) == 10 and day[:4].isdigit() and day[4] == "-" else None


def header(language: str, domain: str, old: Sequence[tuple[str, str]],
           rule: PluralForms) -> tuple[tuple[str, str], ...]:
    """The header of a language's catalog: the pipeline's fields, the team's fields as the
    catalog had them (or honest values where it had none, or a placeholder), then the other
    fields it had, less POT-Creation-Date and placeholders."""
    values = {key: value for key, value in old if not placeholder(value)}
    ours = {
        "Project-Id-Version": domain,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": rule.header,
    }
    team = {key: values[key] for key in TEAM_HEADER if values.get(key, "").strip()}
    team.setdefault("PO-Revision-Date", NO_REVISION_DATE)
    team.setdefault("Last-Translator", NO_TRANSLATOR)
    if "Language-Team" not in team:  # looked up only when missing: it loads CLDR data
        team["Language-Team"] = language_name(language)
    others = tuple((key, value) for key, value in values.items()
                   if key not in ours and key not in TEAM_HEADER and key != "POT-Creation-Date")
    ordered = [("Project-Id-Version", ours["Project-Id-Version"])]
    ordered += [(key, team[key]) for key in TEAM_HEADER]
    ordered += [(key, ours[key]) for key in PIPELINE_HEADER[1:]]
    return tuple(ordered) + others
