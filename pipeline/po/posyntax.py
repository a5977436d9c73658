"""The PO format's lexical rules, shared by the reader and writer (pofile) and the line checks of
other layouts (polines)."""

PAGE_WIDTH = 79  # GNU gettext's default output page width.
FIX = "fix it in your PO editor or restore the file from git"  # the advice of every syntax error
# No line holds a control character other than a tab (a damaged file): gettext would cut the
# string at a NUL.
CONTROL = r"\x00-\x08\x0a-\x1f\x7f"
# A quoted string (unrolled: a run of plain characters, then escapes each followed by a run; 4x
# faster).
STRING = rf'"[^"\\{CONTROL}]*(?:\\[^{CONTROL}][^"\\{CONTROL}]*)*"'
# Letters of Latin-1, Latin Extended-A, Greek and Cyrillic: one column each, and of the line
# breaking class of ASCII letters (AL), as ASCII letters are.
LETTERS = r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0391-\u03a1\u03a3-\u03ce\u0400-\u045f"
# Characters of one column whose line breaking classes are AL, NU, QU, PR, PO, IS or EX: ASCII
# but for the space, ( ) - / > [ ] { } | and the escaped \ and ", and those letters.
WORD = rf"[!#-'*+,.0-=?-Z^-z~{LETTERS}]"
# Where two of them let a line break between them (EX then AL, PR, PO or NU; PR or PO then PR
# or PO; IS then AL, PR or PO), or a space does not (before IS or EX). Words of WORD between
# single spaces without these break at every space and nowhere else (powrap.plain, tested
# against libunistring's tables).
_AL = rf"#&*<=@A-Z^_`a-z~{LETTERS}"
BREAK_INSIDE = rf"[!?][{_AL}$+%0-9]|[$+%][$+%]|[,.:;][{_AL}$+%]| [!?,.:;]"
# gettext writes these escapes for the C escapes, the backslash and the quote, and any other
# character as it is.
ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
           "\v": "\\v", "\\": "\\\\", '"': '\\"'}


def escape(text: str) -> str:
    """The text as a PO string holds it, between its quotes and before it is wrapped."""
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\t", "\\t").replace("\r", "\\r").replace("\a", "\\a").replace("\b", "\\b")
            .replace("\f", "\\f").replace("\v", "\\v"))
