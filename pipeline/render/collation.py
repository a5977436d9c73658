"""Sort keys in a language's alphabetical order: ICU's collator, with CLDR's rules for it."""

from __future__ import annotations

from functools import lru_cache

import icu

from pipeline.build import pseudo
from pipeline.languages import posix

SortKey = tuple[bytes, str]  # ICU's key, then the text itself, so that no two texts tie


@lru_cache(maxsize=64)  # a collator is built once per language and process
def _collator(language: str) -> icu.Collator:
    """The language's collator; ICU falls back to its root order (CLDR's default, which
    sorts most Latin-script languages right) for a language it has no rules for."""
    collator = icu.Collator.createInstance(icu.Locale(posix(language)))
    # canonically equivalent texts (a translator's decomposed "ñ") sort as one
    collator.setAttribute(icu.UCollAttribute.NORMALIZATION_MODE, icu.UCollAttributeValue.ON)
    return collator


def sort_key(text: str, language: str) -> SortKey:
    """A key that sorts texts as the language's dictionaries do (`language` a Babel code or a
    BCP 47 tag; a pseudo-language sorts as its base language)."""
    key: bytes = _collator(pseudo.base_language(language)).getSortKey(text)
    return key, text
