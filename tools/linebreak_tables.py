"""Write pipeline/data/linebreak.txt from the libunistring that GNU gettext's msgcat uses here."""

# Run by a maintainer, never by the pipeline: `python tools/linebreak_tables.py`. It reads the
# installed library's own tables through ctypes (its line breaking class of every code point,
# its table of class pairs) and asks uc_width for every code point, so the file holds exactly
# what msgcat wraps with, whatever adjustments the library makes to the Unicode data.

from __future__ import annotations

import ctypes
import ctypes.util
import subprocess
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "linebreak.txt"
# libunistring's class numbers (lib/unilbrk/lbrktables.h): 0-32 index the pair table, 33 and
# up are resolved before it is used.
CLASSES = ("WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP1", "CP2", "EX", "IN", "NS", "OP1", "OP2",
           "QU", "IS", "NU", "PO", "PR", "SY", "AL", "H2", "H3", "ID1", "ID2", "JL", "JV", "JT",
           "HL", "RI", "ZWJ", "EB", "EM", "BK", "CR", "LF", "CM", "ZW", "SP", "CB", "AI", "SA",
           "XX")
PAIRED = 33
PAIR = {1: "D", 2: "I", 3: "P"}  # direct, indirect (after spaces only), prohibited
XX = CLASSES.index("XX")
LAST = 0x110000


class _Classes(ctypes.Structure):
    """The layout of libunistring 1.0's three-level table (lib/unilbrk/lbrkprop1.h)."""

    _fields_ = (("level1", ctypes.c_int * 15), ("level2", ctypes.c_int * (4 << 9)),
                ("level3", ctypes.c_ubyte * (246 << 7)))


def _class(table: _Classes, code: int) -> int:
    """unilbrkprop_lookup of lib/unilbrk/lbrktables.h."""
    first = code >> 16
    if first < len(table.level1) and (second := table.level1[first]) >= 0:
        third = table.level2[second + ((code >> 7) & 511)]
        if third >= 0:
            return int(table.level3[third + (code & 127)])
    return XX


def _runs(values: list[tuple[str, int]]) -> list[str]:
    lines = []
    previous = None
    for code, value in enumerate(values):
        if value != previous:
            lines.append(f"{code:04X} {value[0]} {value[1]}")
            previous = value
    return lines


def _version(library: str) -> str:
    """The Debian package that installed the library, for the file's header."""
    found = subprocess.run(["dpkg", "-S", library], capture_output=True, text=True, check=False)
    package = found.stdout.split(":")[0] if found.returncode == 0 else "?"
    shown = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                           capture_output=True, text=True, check=False)
    return f"{package} {shown.stdout}" if shown.returncode == 0 else library


def main() -> int:
    name = ctypes.util.find_library("unistring")
    if name is None:
        print("libunistring is not installed", file=sys.stderr)
        return 1
    library = ctypes.CDLL(name)
    classes = _Classes.in_dll(library, "libunistring_unilbrkprop")
    pairs = (ctypes.c_ubyte * (PAIRED * PAIRED)).in_dll(library, "libunistring_unilbrk_table")
    library.uc_width.restype = ctypes.c_int
    library.uc_width.argtypes = (ctypes.c_uint32, ctypes.c_char_p)
    values = [(CLASSES[_class(classes, code)], library.uc_width(code, b"UTF-8"))
              for code in range(LAST)]
    expected = {"A": ("AL", 1), " ": ("SP", 1), "\n": ("LF", -1), "0": ("NU", 1),
                ".": ("IS", 1), "\u0301": ("CM", 0), "\u4e00": ("ID1", 2)}
    if any(values[ord(char)] != value for char, value in expected.items()):
        print(f"{name}: not the table layout of libunistring 1.0", file=sys.stderr)
        return 1
    lines = [
        f"# Line breaking as GNU gettext's PO writer does it: {_version(name)}.",
        "# Written by tools/linebreak_tables.py from the library's own tables; do not edit.",
        "# The class pairs: a row for the class before a break opportunity, a column for the",
        "# class after it: D a break, I a break only after spaces, P no break.",
        "pairs " + " ".join(CLASSES[:PAIRED]),
    ]
    lines += [f"{CLASSES[row]} " + "".join(PAIR[pairs[row * PAIRED + column]]
                                          for column in range(PAIRED))
              for row in range(PAIRED)]
    lines += ["# Each code point from the first of a line to the next line's: its class, then its",
              "# columns (uc_width, encoding UTF-8; -1 for a control character, counted as 0).",
              "codes"]
    lines += _runs(values)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(lines)} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
