"""Writes pipeline/data/plural-forms.json from translate-toolkit's language data (run by
`nox -s plural-table`); tests/test_languages.py holds the committed table to it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "plural-forms.json"


def wrapped(expression: str) -> str:
    """The expression inside one pair of parentheses, as msginit writes it: `(n != 1)`; a
    constant stays bare (`0`)."""
    if expression.isdigit():
        return expression
    depth = 0
    for index, char in enumerate(expression):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(expression) - 1:
            return f"({expression})"
    return expression if expression.startswith("(") else f"({expression})"


def _cldr_rows(known: set[str]) -> dict[str, dict[str, object]]:
    """Babel's gettext form of CLDR's rule, for each language translate-toolkit lacks."""
    from babel import Locale, localedata
    from babel.messages.plurals import get_plural

    rows: dict[str, dict[str, object]] = {}
    for identifier in localedata.locale_identifiers():
        code = identifier.split("_")[0]
        if code in known or code in rows or code == "root":
            continue
        plural = get_plural(Locale.parse(code))
        rows[code] = {"name": Locale.parse(code).english_name, "nplurals": plural.num_plurals,
                      "plural": wrapped(plural.plural_expr), "source": "cldr"}
    return rows


def table_text() -> str:
    """The table's bytes: translate-toolkit's rows, then CLDR's (through the locked Babel) for
    the languages it lacks."""
    from importlib.metadata import version

    from translate.lang import data

    languages = {code: {"name": name, "nplurals": count, "plural": wrapped(expression.strip())}
                 for code, (name, count, expression) in data.languages.items()}
    languages.update(_cldr_rows(set(languages)))
    document = {"source": f"translate-toolkit {version('translate-toolkit')}, "
                          "translate/lang/data.py (the rules Weblate uses; GNU gettext's "
                          "conventions); rows marked cldr: the CLDR rule as Babel "
                          f"{version('babel')} writes it for gettext, for languages that "
                          "translate-toolkit lacks",
                "languages": dict(sorted(languages.items()))}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> int:
    TABLE.write_text(table_text(), encoding="utf-8")
    print(f"wrote {TABLE.relative_to(Path.cwd()) if TABLE.is_relative_to(Path.cwd()) else TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
