"""Seeded text of the kinds the pipeline's catalogs hold, for the tests against msgcat."""
# ruff: noqa: RUF001  (dashes, quotes and signs that look like ASCII are the point of these texts)

from __future__ import annotations

import random

# Runs of characters that line breaking treats differently: abbreviations, URLs, numbers with
# units and symbols, quotes and dashes, scripts with their own rules (Arabic with lam-alef,
# Hebrew with maqaf, CJK, Thai, Devanagari), emoji with modifiers, ZWJ sequences and flags,
# combining marks, spaces of other kinds, escapes, and format directives.
PIECES = (
    "U.S.", "p.m.", "a.m.", "e.g.", "i.e.", "Dr.", "etc.", "vs.", "No.", "St.", "U.K.", "Ph.D.",
    "https://www.example.org/guide", "http://example.com/a-b_c?x=1&y=2#top", "www.nhs.uk",
    "info@example-clinic.org", "example.com/path/to/page.html", "ftp://x.y/z",
    "5 mg", "5mg", "38.5 °C", "38.5°C", "100 °F", "10–12 weeks", "10-12", "1,000", "3/4",
    "50%", "50 %", "$20", "€5", "£3.50", "±2", "2×3", "÷", "5 µg", "6'2\"", "20/20", "1.5–2 L",
    "1st", "2nd", "24/7", "9:30", "–", "—", "-", "‐", "‑", "…", "...", "/", "\\", "|", "#",
    "“quoted”", "‘single’", "«guillemets»", "„low“", "\"ascii\"", "'apos'", "(paren)",
    "[bracket]", "{brace}", "<angle>", "!", "?", ";", ":", ",", ".", "¡Hola!", "¿Qué?",
    "التهاب", "لا", "الألم", "إلى", "مُعدّ", "،", "؛", "؟", "٣٨٫٥", "لأن", "ﻻ", "ﻷ",
    "שלום", "בית־חולים", "א-ב", "תל־אביב", "״", "׳",
    "中文", "医生。", "「引用」", "ありがとう", "ッ", "ー", "、", "한국어", "병원", "ㄱ", "ㅏ",
    "ภาษาไทย", "โรงพยาบาล", "हिन्दी", "क्षत्रिय", "।", "॥",
    "👍", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "🇺🇸", "🇺🇸🇬🇧", "🇺", "❤️", "☺", "⚕", "©", "®", "™",
    "e\u0301", "\u0301", "a\u0308\u0323", "\u200d", "\u200c", "\u200b", "\u00a0", "\u202f",
    "\u2060", "\ufeff", "\u00ad", "\u2028", "\u0085", "\u3000",
    "\t", "\a", "\b", "\f", "\v", "\r", "\\n", "\\", "\"",
    "{count}", "{name.attr}", "{0:>5}", "{x:{y}}", "{{", "}}", "{bad", "{0[1]}", "{a:é<5}",
    "%s", "%(name)s", "%d%%",
)
WORDS = ("the", "tendon", "pain", "Achilles", "heel", "calf", "rest", "ice", "weeks", "and",
         "of", "to", "a", "in", "is", "may", "your", "doctor", "surgery", "physiotherapy",
         "anti-inflammatory", "well-known", "Schmerzen", "Sehne", "tendinitis", "médico",
         "inflamación", "ж", "боль", "πόνος", "Ärztin", "naïve", "façade")
LONG = ("Pneumonoultramicroscopicsilicovolcanoconiosis", "x" * 90, "ab" * 50,
        "https://www.example.org/" + "segment/" * 12, "لا" * 45, "中" * 45, "1" * 85)


def text(rng: random.Random) -> str:
    """A text of words, pieces and separators; now and then long, or of several lines."""
    parts = []
    for _ in range(rng.choice((1, 2, 3, 5, 8, 12, 20, 30))):
        roll = rng.random()
        parts.append(rng.choice(WORDS) if roll < 0.45 else rng.choice(LONG) if roll < 0.48
                     else rng.choice(PIECES))
        parts.append(rng.choice((" ", " ", " ", " ", "", "  ", "\n", " \n", "\n\n")
                                if rng.random() < 0.3 else (" ",)))
    result = "".join(parts)
    return result.rstrip(" ") if rng.random() < 0.8 else result


BRACES = ("{a}", "{count}", "{0}", "{name.attr}", "{x[0]}", "{x[key]}", "{0:>5}", "{n:,}",
          "{v:.2f}", "{a:{b}}", "{a:{{}", "{{", "}}", "{", "}", "{a", "{a.}", "{a[}", "{a[0",
          "{é}", "{a:é<5}", "{:}", "{a:b:c}", "{a!r}", "{a.b.c[1]}")


def brace_text(rng: random.Random) -> str:
    """A short text of Python brace format directives, valid and not, among short and long
    words: where gettext holds breaks depends on the directives' lengths."""
    parts = [rng.choice(BRACES) if rng.random() < 0.4 else
             rng.choice(("a", "é", "中", "ab", "x.y", "-", "U.S.")) if rng.random() < 0.6 else
             rng.choice(LONG)[: rng.randrange(5, 40)] for _ in range(rng.randrange(1, 8))]
    return "".join(part + rng.choice((" ", "", "  ", "/")) for part in parts).rstrip()
