"""The PO format's lexical rules, shared by the reader and writer (pofile) and the line checks of
other layouts (polines)."""

PAGE_WIDTH = 79  # GNU gettext's default output page width.
# No line holds a control character other than a tab (a damaged file): gettext would cut the
# string at a NUL.
CONTROL = r"\x00-\x08\x0a-\x1f\x7f"
# A quoted string (unrolled: a run of plain characters, then escapes each followed by a run; 4x
# faster).
STRING = rf'"[^"\\{CONTROL}]*(?:\\[^{CONTROL}][^"\\{CONTROL}]*)*"'
# Letters of Latin-1, Latin Extended-A, Greek and Cyrillic: one column each, and gettext breaks
# text around them as around ASCII letters (tested against gettext_wrap and msgcat).
LETTERS = r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0391-\u03a1\u03a3-\u03ce\u0400-\u045f"
# Printable ASCII words and those letters between single spaces, without the characters gettext
# may also break after or before ( - / ( ) { } > ) or escapes: such text breaks after the last
# space that fits.
PLAIN = rf"[!-'*+,.0-=?-\[\]-z|~ {LETTERS}]"


def escape(text: str) -> str:
    """The text as a PO string holds it, between its quotes and before it is wrapped."""
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\t", "\\t").replace("\r", "\\r"))
