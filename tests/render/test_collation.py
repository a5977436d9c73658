"""Collation: ICU's order for each language, where it differs from the default order."""

from __future__ import annotations

import pytest

from pipeline.render import collation

# Condition names in each language's dictionary order, which ICU's collator for the language
# gives and its root order (CLDR's default) does not: each list is sorted differently there.
DICTIONARY_ORDER = {
    # ñ is a letter after n; ch and ll are no longer letters of their own
    "es": ["Cáncer", "Ceguera", "Chikunguña", "Diabetes", "Llaga", "Lupus", "Nefritis",
           "Ñame alergia", "Otitis"],
    # å, ä, ö are letters after z, in that order
    "sv": ["Astma", "Vattkoppor", "Whiplash", "Yrsel", "Zoonos", "Ångest", "Äggstockscancer",
           "Ödem", "Övervikt"],
    # ç after c, ğ after g, dotless I before dotted İ, ö after o, ş after s, ü after u
    "tr": ["Cilt kanseri", "Çölyak", "Hepatit", "Ilık ateş", "Işık hassasiyeti",  # noqa: RUF001
           "İnme", "İshal", "Jinekomasti", "Orak hücre", "Ödem", "Sinüzit",
           "Şeker hastalığı", "Uyuz", "Ülser"],  # noqa: RUF001
    # ć after c, ł after l, ś after s, ź then ż after z
    "pl": ["Czyrak", "Ćwiczenia", "Lumbago", "Łokieć tenisisty", "Łuszczyca",
           "Mózgowe porażenie", "Nadciśnienie", "Ospa", "Sepsa", "Ślepota", "Świnka",
           "Zapalenie", "Źrenica", "Żółtaczka"],
    # the alphabet's order, alef with hamza as alef, and Arabic before Latin script
    "ar": ["إسهال", "التهاب المفاصل", "أنفلونزا", "تمزق الوتر", "ثعلبة", "حصبة", "ذبحة صدرية",
           "ربو", "سكري", "صداع", "كزاز", "يرقان", "PRP"],
}


@pytest.mark.parametrize("language", sorted(DICTIONARY_ORDER))
def test_collation_is_icus_order_for_the_language(language: str) -> None:
    expected = DICTIONARY_ORDER[language]
    shuffled = sorted(expected, key=lambda word: word[::-1])
    assert sorted(shuffled, key=lambda word: collation.sort_key(word, language)) == expected
    root = sorted(shuffled, key=lambda word: collation.sort_key(word, "root"))
    assert root != expected, "the language's rules, not the default order"


@pytest.mark.parametrize(("language", "words", "expected"), [
    # ä, ö, ü sort with a, o, u, accents second; ß as ss
    ("de", ["Übelkeit", "Ulkus", "Ödem", "Ohrenschmerzen", "Ärger", "Akne", "Masern", "Maßnahme",
            "Masse"],
     ["Akne", "Ärger", "Masern", "Masse", "Maßnahme", "Ödem", "Ohrenschmerzen", "Übelkeit",
      "Ulkus"]),
    ("en", ["Zoo", "éclair", "Eagle", "apple", "Apple"],
     ["apple", "Apple", "Eagle", "éclair", "Zoo"]),
    ("es", ["oso", "n\u0303u", "ñoño", "nube"], ["nube", "ñoño", "n\u0303u", "oso"]),
    ("ar-XB", ["PRP", "ربو"], ["ربو", "PRP"]),
])
def test_collation_sorts_accents_case_decomposed_text_and_pseudo_languages(
        language: str, words: list[str], expected: list[str]) -> None:
    assert sorted(words, key=lambda word: collation.sort_key(word, language)) == expected
