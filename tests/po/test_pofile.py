"""PO files: what we write is msgcat's canonical form, and GNU gettext, polib and Babel read it."""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.po import pofile, polines, posyntax
from pipeline.po.model import Catalog, Entry
from pipeline.po.pofile import parse, read, render

LONG = ("Achilles tendonitis, more accurately tendinopathy, is overuse irritation and wear of "
        "the Achilles tendon, the heel cord that connects the calf to the heel.")
ARABIC = ("التهاب وتر العرقوب هو ألم وتيبّس في وتر الكعب بسبب الإفراط في الاستخدام، ويُعدّ برنامج "
          "التمارين التدريجية أساس العلاج.")
CATALOG = Catalog(
    header_comment=("Spanish translation.", "Draft: not clinically reviewed."),
    header=(("Project-Id-Version", "demo"), ("Language", "es"), ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
            ("Plural-Forms", "nplurals=2; plural=(n != 1);")),
    entries=(
        Entry("Symptoms", "Síntomas", locations=("source/pages/a.yaml:symptoms.title",),
              comments=("Heading of the section 'Symptoms'",)),
        Entry(LONG, LONG.upper(), comments=("Introduction, paragraph 1, sentence 1 of 2",),
              locations=tuple(f"source/pages/achilles-tendonitis.yaml:faq.{n}.answer.s1"
                              for n in range(1, 5)),
              translator_comments=("reviewed-by: maria", "")),
        Entry("Weeks 0 to 10", "Semanas 0 a 12", flags=("fuzzy",), previous_msgid="Weeks 0 to 12"),
        Entry(ARABIC, ARABIC, flags=("fuzzy",), previous_msgid=LONG),
        Entry("{count} page", msgid_plural="{count} pages",
              msgstr_plural=("{count} página", "{count} páginas"),
              flags=("python-brace-format",)),
        Entry("Line one\nline two, long enough to need wrapping at the page width of gettext's",
              "Línea uno\nlínea dos", msgctxt="a context"),
        Entry("Untranslated \"quoted\" text with a \\ backslash", ""),
        Entry("Gone from the page", "Ya no está en la página", obsolete=True,
              translator_comments=("kept",)),
    ),
)


def test_render_is_what_msgcat_writes(tmp_path: Path) -> None:
    path = tmp_path / "demo.po"
    path.write_bytes(render(CATALOG))
    canonical = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
    assert canonical == path.read_bytes()


def test_msgfmt_check_passes(tmp_path: Path) -> None:
    path = tmp_path / "demo.po"
    path.write_bytes(render(CATALOG))
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_round_trip_keeps_everything() -> None:
    back = parse(render(CATALOG).decode("utf-8"), Path("demo.po"))
    assert back == CATALOG


def test_polib_and_babel_read_what_we_write(tmp_path: Path) -> None:
    path = tmp_path / "demo.po"
    path.write_bytes(render(CATALOG))
    by_polib = polib.pofile(str(path))
    assert by_polib.find("Weeks 0 to 10").previous_msgid == "Weeks 0 to 12"
    assert len(by_polib.obsolete_entries()) == 1
    with path.open("rb") as stream:
        by_babel = read_po(stream)
    assert by_babel.get(LONG).string == LONG.upper()
    assert by_babel.get("{count} page").string == ("{count} página", "{count} páginas")
    assert by_babel.locale is not None and str(by_babel.locale) == "es"


@pytest.mark.parametrize(("text", "line"), [
    ('msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "open\nmsgstr "x"\n', 5),
    ('msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "a" stray"\nmsgstr "x"\n', 5),
])
def test_syntax_errors_name_the_line(text: str, line: int) -> None:
    with pytest.raises(PipelineError) as caught:
        parse(text, Path("es.po"))
    assert caught.value.line == line
    assert str(caught.value).startswith(f"es.po:{line}: not a valid PO file")


def test_wrong_charset_and_empty_files(tmp_path: Path) -> None:
    latin = tmp_path / "latin.po"
    latin.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
                      b'\nmsgid "a"\nmsgstr "\xe9"\n')
    with pytest.raises(PipelineError, match=r"latin\.po:6: not UTF-8"):
        read(latin)
    empty = tmp_path / "empty.po"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"empty\.po: the catalog is empty"):
        read(empty)


# The layout msgcat writes is read in one pass; any other is read line by line. Both must give
# the same catalog: the same text in CRLF line ends, or with a translator tool's spacing, takes
# the second reader.
OTHER_LAYOUTS = [
    lambda text: text.replace("\n", "\r\n"),
    lambda text: text.replace("msgid ", "msgid\t").replace("msgstr ", "msgstr  "),
    lambda text: text.replace('"\n', '" \t\n').replace("#, fuzzy", "#,  fuzzy "),
]


@pytest.mark.parametrize("layout", OTHER_LAYOUTS)
def test_every_layout_reads_as_the_canonical_one(layout: Callable[[str], str]) -> None:
    text = render(CATALOG).decode("utf-8")
    assert layout(text) != text
    canonical, other = parse(text, Path("a.po")), parse(layout(text), Path("b.po"))
    assert other == canonical == CATALOG
    assert [entry.line for entry in other.entries] == [entry.line for entry in canonical.entries]


def test_what_other_tools_write_reads_as_before() -> None:
    """An obsolete entry's previous English (#~|) and a previous context are skipped, a flag
    line's spacing and a location without a line number are kept as polib read them."""
    text = ('# Header.\nmsgid ""\nmsgstr ""\n"Language: es\\n"\n\n#: a.yaml:1 b.yaml\n'
            '#,fuzzy-free\n#, fuzzy,  c-format\n#| msgctxt "old"\n#| msgid "Old"\n'
            'msgid "New"\nmsgstr "Nuevo"\n\n#, fuzzy\n#~| msgid "Gone before"\n'
            '#~ msgid "Gone"\n#~ msgstr "Ido"\n')
    with pytest.raises(PipelineError, match=r"^x\.po:7: not a valid PO file"):
        parse(text, Path("x.po"))  # "#,fuzzy-free": a marker needs its space
    catalog = parse(text.replace("#,fuzzy-free\n", ""), Path("x.po"))
    assert catalog.header_comment == ("Header.",) and catalog.header == (("Language", "es"),)
    new, gone = catalog.entries
    assert (new.locations, new.flags, new.previous_msgid) == (("a.yaml:1", "b.yaml"),
                                                             ("fuzzy", "c-format"), "Old")
    assert (gone.obsolete, gone.flags, gone.previous_msgid) == (True, ("fuzzy",), None)


# Prose: words, numbers, punctuation after a word, and the letters that break as ASCII letters
# do (posyntax.LETTERS). (tests/po/test_powrap.py has texts of every other kind.)
words = st.from_regex(rf"[A-Za-z'{posyntax.LETTERS}]{{1,12}}[.,;:!?]?|[0-9]{{1,4}}|[0-9]{{1,3}}%",
                      fullmatch=True)


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(words, min_size=1, max_size=40).map(" ".join), min_size=1,
                max_size=20))
def test_long_text_is_wrapped_as_msgcat_wraps_it(texts: list[str]) -> None:
    catalog = Catalog((), CATALOG.header, tuple(Entry(f"{number} {text}", text)
                                                for number, text in enumerate(texts)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.po"
        path.write_bytes(render(catalog))
        canonical = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
    assert canonical.decode("utf-8") == render(catalog).decode("utf-8")


def test_line_separators_in_a_translation_are_text_in_every_layout() -> None:
    """U+2028 and U+0085 are not line ends for gettext, in msgcat's layout or any other."""
    catalog = Catalog((), CATALOG.header, (Entry("Two\u2028lines", "Dos\u2028líneas\x85"),))
    text = render(catalog).decode("utf-8")
    assert parse(text, Path("a.po")) == parse(text.replace("\n", "\r\n"), Path("b.po")) == catalog


# --- the one-pass reader reads what polib reads ----------------------------------------------

held = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="".join(
    chr(code) for code in (*range(9), *range(11, 32), 127))), max_size=200)
plain_words = st.lists(st.from_regex(rf"[A-Za-z0-9.,;:'!?%\"{posyntax.LETTERS}]{{1,14}}",
                                     fullmatch=True),
                       min_size=1, max_size=40).map(" ".join)
texts = held | plain_words | st.sampled_from(["", "\n", "a\n", "a\nb", "a\u2028b", "x" * 90,
                                              "tab\there", " lead", "trail ", "two  spaces"])
lines = st.tuples(st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                          min_size=1, max_size=20).filter(lambda line: line.strip() == line))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(Entry, msgid=texts.filter(bool), msgstr=texts,
                          msgctxt=st.none() | texts, comments=st.just(()) | lines,
                          translator_comments=st.just(()) | lines,
                          flags=st.sampled_from(((), ("fuzzy",), ("c-format", "fuzzy"))),
                          previous_msgid=st.none() | texts, obsolete=st.booleans(),
                          locations=st.lists(st.from_regex(r"[a-z/.:0-9]{1,30}",
                                                           fullmatch=True),
                                             max_size=6).map(tuple))
                | st.builds(Entry, msgid=texts.filter(bool), msgid_plural=texts,
                            msgstr_plural=st.tuples(texts, texts)),
                max_size=6, unique_by=lambda entry: entry.key))
def test_the_one_pass_reader_reads_what_polib_reads(entries: list[Entry]) -> None:
    # an obsolete entry is written with its translator comments and flags only
    entries = [dataclasses.replace(entry, comments=(), locations=(), previous_msgid=None)
               if entry.obsolete else entry for entry in entries]
    text = render(Catalog(("A catalog.",), CATALOG.header, tuple(entries))).decode("utf-8")
    fast, slow = pofile._read_canonical(text), polines.read(text, Path("x.po"))
    assert fast is not None
    assert fast == slow
    assert [entry.line for entry in fast.entries] == [entry.line for entry in slow.entries]
