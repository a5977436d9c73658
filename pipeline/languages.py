"""Facts about languages that the pipeline owns: plural rules (GNU gettext's conventions, from
a pinned table, never from a dependency's data) and language names."""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

# A Plural-Forms rule is checked on these numbers: every form it picks must exist.
_CHECKED_NUMBERS = range(0, 1001)
_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)


@dataclass(frozen=True)
class PluralForms:
    """A language's plural rule: how many forms, and the C expression of n that picks one."""

    count: int
    expression: str

    @property
    def header(self) -> str:
        """The Plural-Forms header value.

        >>> PluralForms(2, "(n != 1)").header
        'nplurals=2; plural=(n != 1);'
        """
        return f"nplurals={self.count}; plural={self.expression};"

    def form(self, n: int) -> int:
        """The index of the form used for n.

        >>> PluralForms(2, "(n > 1)").form(1), PluralForms(2, "(n > 1)").form(2)
        (0, 1)
        """
        return int(_compiled(self.expression)(n))


@cache
def _table() -> dict[str, dict[str, object]]:
    text = resources.files("pipeline").joinpath("data/plural-forms.json").read_text("utf-8")
    languages: dict[str, dict[str, object]] = json.loads(text)["languages"]
    return languages


def _keys(language: str) -> tuple[str, ...]:
    """The table keys a language tag may have, most specific first: pt-BR gives pt_BR, pt."""
    parts = re.split(r"[-_]", language)
    region = [part for part in parts[1:] if len(part) == 2 or part.isdigit()]
    base = parts[0].lower()
    return (f"{base}_{region[0].upper()}", base) if region else (base,)


def plural_forms(language: str) -> PluralForms | None:
    """The project's plural rule for a language tag (pipeline/data/plural-forms.json, from
    translate-toolkit's table), or None when the table does not know the language.

    >>> plural_forms("es").header
    'nplurals=2; plural=(n != 1);'
    >>> plural_forms("pt-BR").header
    'nplurals=2; plural=(n > 1);'
    """
    for key in _keys(language):
        row = _table().get(key)
        if row is not None:
            return PluralForms(int(str(row["nplurals"])), str(row["plural"]))
    return None


def known_languages() -> frozenset[str]:
    """Every language tag base the plural table knows."""
    return frozenset(_table())


@lru_cache(maxsize=64)
def _compiled(expression: str) -> Callable[[int], int]:
    return gettext.c2py(expression)


def parse_plural_forms(value: str) -> PluralForms | None:
    """A Plural-Forms header value as a rule, or None when it is not a valid one: a C
    expression of n that picks one of its nplurals forms for every n from 0 to 1,000.

    >>> parse_plural_forms("nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);").count
    3
    >>> parse_plural_forms("nplurals=2; plural=(n==1 ? 0 : n==2 ? 1 : 2);") is None
    True
    >>> parse_plural_forms("nplurals=INTEGER; plural=EXPRESSION;") is None
    True
    """
    match = _HEADER.match(value)
    if match is None or not 1 <= int(match.group(1)) <= 10:
        return None
    rule = PluralForms(int(match.group(1)), " ".join(match.group(2).split()))
    try:
        picked = {rule.form(n) for n in _CHECKED_NUMBERS}
    except (ValueError, SyntaxError, ZeroDivisionError, RecursionError):
        return None
    return rule if picked <= set(range(rule.count)) else None


@lru_cache(maxsize=256)  # an update names each language once per catalog
def language_name(language: str, in_language: str = "en") -> str:
    """The language's name, in another language (CLDR's, through Babel)."""
    from babel import Locale

    return str(Locale.parse(language).get_display_name(Locale.parse(in_language)))
