"""Facts about languages: the one parser of language tags (langcodes) and what follows from a
tag (its primary language, its BCP 47 and POSIX spellings, Babel's locale, which tags match),
plural rules (GNU gettext's conventions, from a pinned table, never from a dependency's data)
and language names."""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# A Plural-Forms rule is checked on these numbers: every form it picks must exist.
_CHECKED_NUMBERS = range(0, 1001)
_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)


@dataclass(frozen=True)
class Tag:
    """A language tag's parts: es-MX is ("es", None, "MX"), zh_Hant_TW ("zh", "Hant", "TW")."""

    language: str
    script: str | None = None
    territory: str | None = None

    @property
    def primary(self) -> Tag:
        return Tag(self.language)


@lru_cache(maxsize=1024)
def parse(tag: str) -> Tag | None:
    """A language tag in any case, with - or _ between its parts (as TMX, XLIFF, TBX and Babel
    write them), or None when it is not one.

    >>> parse("pt_BR"), parse("ES-es"), parse("not a tag")
    (Tag(language='pt', script=None, territory='BR'), Tag(language='es', script=None, \
territory='ES'), None)
    """
    text = tag.strip().replace("_", "-")
    if text.lower() in _bare_codes():
        return Tag(text.lower())
    import langcodes  # here: its registry takes 50 ms to load, a fifth of a small `merge`

    if not text or not langcodes.tag_is_valid(text):
        return None
    found = langcodes.Language.get(text, normalize=False)
    if not found.language or not found.language.isalpha():
        return None
    return Tag(found.language.lower(), found.script, found.territory)


# Codes of the plural table that langcodes' registry does not know (gettext's "me"; codes
# registered after it): parse() leaves them to langcodes, as it would any other tag.
_UNREGISTERED = frozenset({"me", "tok", "isv", "xdq"})


@cache
def _bare_codes() -> frozenset[str]:
    """The plural table's bare language codes ("es", "ast"): parse() reads these without
    langcodes, as langcodes would (tests/test_languages.py compares every one)."""
    return frozenset(key for key in _table() if key.isalpha()) - _UNREGISTERED


def canonical(tag: str) -> str | None:
    """A tag's canonical BCP 47 form (case, separators, deprecated codes), or None when it is
    not a tag: the form configured languages must have, since folders and files are named so.

    >>> canonical("pt_br"), canonical("iw"), canonical("es./../x")
    ('pt-BR', 'he', None)
    """
    import langcodes

    return langcodes.standardize_tag(tag.strip().replace("_", "-")) if parse(tag) else None


def primary(tag: str) -> str:
    """The primary language of a tag: "es" for es-MX, es_MX and ES."""
    parsed = parse(tag)
    return parsed.language if parsed else tag.strip().lower()


@lru_cache(maxsize=1024)  # every link, lang and date of a build names its language
def bcp47(tag: str) -> str:
    """A tag as the web writes it (HTML lang, hreflang, JSON-LD, folder names): pt-BR."""
    parsed = parse(tag)
    return "-".join(filter(None, (parsed.language, parsed.script, parsed.territory))) \
        if parsed else tag


def posix(tag: str) -> str:
    """A tag as Babel and ICU name locales: pt_BR."""
    return bcp47(tag).replace("-", "_")


@lru_cache(maxsize=1024)  # every link, lang and date of a build names its language
def locale(tag: str) -> Locale:
    """Babel's locale (CLDR's data) for a tag."""
    from babel import Locale

    return Locale.parse(posix(tag))


def same_language(one: str, other: str) -> bool:
    """Two tags of one primary language: en, en-US and en_GB."""
    return primary(one) == primary(other)


def covers(language: str, tag: str) -> bool:
    """A configured language takes what a file tagged so holds: es takes es, es-ES and es_MX;
    pt-BR takes pt-BR and pt_BR only."""
    wanted, found = parse(language), parse(tag)
    return wanted is not None and found is not None and (
        found == wanted or (wanted == wanted.primary and found.language == wanted.language))


def match(tag: str, languages: Sequence[str]) -> str | None:
    """The configured language a tag from a file means: es, es-ES, es_ES and ES-es all give es
    when only es is configured; es-MX gives es-MX when that is configured.

    >>> match("ES-es", ["de", "es"]), match("es_MX", ["es", "es-MX"]), match("fr", ["es"])
    ('es', 'es-MX', None)
    """
    found = parse(tag)
    if found is None:
        return None
    configured = {parse(language): language for language in languages}
    return configured.get(found) or configured.get(found.primary)


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
    parsed = parse(language) or Tag(language.lower())
    return (f"{parsed.language}_{parsed.territory}", parsed.language) if parsed.territory \
        else (parsed.language,)


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


@lru_cache(maxsize=256)  # every catalog's header, read on each run: a few distinct values
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
    return str(locale(language).get_display_name(locale(in_language)))
