"""Fuzzing the readers of untrusted text: any input gives a result or a PipelineError, never an
unexpected exception (docs/errors.md).

The source loader gets arbitrary bytes and mutated copies of the reference page; the catalog
reader arbitrary text and mutated copies of the project's catalogs (and what it reads, it writes
back the same); the Markdown renderer arbitrary text, whose HTML never has a script, an event
handler or a link with an unsafe scheme; the XLIFF, TMX and TBX readers arbitrary bytes and
mutated documents with XML's own punctuation (DOCTYPEs, entities, CDATA) inserted.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.agency import xliff
from pipeline.errors import PipelineError
from pipeline.memory import tmx
from pipeline.model import MemoryUnit
from pipeline.po import pofile
from pipeline.po.model import Catalog, Entry
from pipeline.qa.term_import import read_tbx
from pipeline.render.markup import inline_html
from pipeline.source.load import load_page
from tests.conftest import ROOT

EXAMPLES = 250
PAGE = (ROOT / "source/pages/achilles-tendonitis.yaml").read_text(encoding="utf-8")
CATALOGS = [(ROOT / f"locales/{name}").read_text(encoding="utf-8")
            for name in ("es/LC_MESSAGES/achilles-tendonitis.po", "ar/LC_MESSAGES/site.po")]
# What the grammars care about: YAML and PO punctuation, Markdown and HTML, schemes, escapes.
PIECES = ("\n", "  ", "- ", ": ", '"', "'", "\\", "#", "#~ ", "#| ", "#, fuzzy", "msgid ",
          "msgstr ", "msgstr[1] ", "msgid_plural ", "msgctxt ", "[", "]", "(", ")", "{", "}",
          "<", ">", "&", "&#x09;", "&colon;", "*", "**", "_", "`", "!", "|", ">-", "&a ", "*a",
          "!!python/object:os.system ", "%", "\t", "\r", "\0", "\x85", "\u2028", "\u202e",
          "\ufeff", "javascript:", "JaVaScRiPt:", "data:", "vbscript:", "https://x.org",
          "<script>", "onerror=", "slug", "sections", "nplurals=3", "é", "ق", "1")
runs = st.tuples(st.sampled_from(PIECES), st.integers(1, 700)).map(lambda run: run[0] * run[1])
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=8) | runs, max_size=40).map("".join)
strings = st.text(st.characters(exclude_categories=("Cs",)), max_size=30).map(
    lambda text: text.replace("\\", "\\\\").replace('"', '\\"'))
KEYWORDS = ("msgid", "msgstr", "msgid_plural", "msgstr[0]", "msgstr[1]", "msgstr[2]", "msgctxt",
            "#~ msgid", "#~ msgstr", "#| msgid", "#~| msgid")
po_lines = st.one_of(
    st.tuples(st.sampled_from(KEYWORDS), strings).map(lambda line: f'{line[0]} "{line[1]}"'),
    strings.map(lambda text: f'"{text}"'),
    st.sampled_from(("", "#, fuzzy", "#, python-brace-format", "#. a note", "# a comment",
                     "#: source/pages/p.yaml:title", 'msgid ""', 'msgstr ""',
                     '"Language: es\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
                     '"Content-Type: text/plain; charset=UTF-8\\n"')),
    texts)
po_texts = st.lists(po_lines, max_size=30).map(lambda lines: 'msgid ""\nmsgstr ""\n'
                                                '"Language: es\\n"\n\n' + "\n".join(lines))


@st.composite
def mutated(draw: st.DrawFn, original: str) -> str:
    """The text with a few random cuts, insertions, duplications and swaps of lines."""
    text = original
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(("cut", "insert", "truncate", "duplicate", "swap")))
        if kind == "cut":
            text = text[:where] + text[where + draw(st.integers(1, 80)):]
        elif kind == "insert":
            text = text[:where] + draw(texts) + text[where:]
        elif kind == "truncate":
            text = text[:where]
        else:
            lines = text.split("\n")
            first, second = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
            if kind == "duplicate":
                lines.insert(second, lines[first])
            else:
                lines[first], lines[second] = lines[second], lines[first]
            text = "\n".join(lines)
    return text


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "page.yaml"


def _load(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    with suppress(PipelineError):
        load_page(path)


@pytest.mark.slow
@settings(max_examples=EXAMPLES)
@given(st.binary(max_size=400) | texts.map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_the_source_loader_on_arbitrary_bytes(scratch: Path, data: bytes) -> None:
    _load(scratch, data)


@pytest.mark.slow
@settings(max_examples=EXAMPLES)
@given(mutated(PAGE))
def test_the_source_loader_on_mutated_pages(scratch: Path, text: str) -> None:
    _load(scratch, text.encode("utf-8", "surrogatepass"))


def _read(text: str) -> None:
    """Read a catalog; one that reads is written back, and that reads as the same catalog."""
    try:
        catalog = pofile.parse(text, Path("x.po"))
    except PipelineError:
        return
    again = pofile.parse(pofile.render(catalog).decode("utf-8"), Path("x.po"))
    assert again == catalog


@pytest.mark.slow
@settings(max_examples=EXAMPLES)
@given(texts | po_texts)
def test_the_catalog_reader_on_arbitrary_text(text: str) -> None:
    _read(text)


@pytest.mark.slow
@settings(max_examples=EXAMPLES)
@given(st.sampled_from(CATALOGS).flatmap(mutated))
def test_the_catalog_reader_on_mutated_catalogs(text: str) -> None:
    _read(text)


@settings(max_examples=EXAMPLES)
@given(st.binary(max_size=300))
def test_the_catalog_reader_on_arbitrary_bytes(scratch: Path, data: bytes) -> None:
    path = scratch.with_suffix(".po")
    path.write_bytes(data)
    with suppress(PipelineError):
        pofile.read(path)


# Text a catalog can hold (no control character but newline and tab), and comment lines.
held = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="".join(
    chr(code) for code in (*range(9), *range(11, 32), 127))), max_size=40)
comment_lines = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                        max_size=30).filter(lambda line: line.strip() == line).map(lambda line:
                                                                                   (line,))
entries = st.builds(
    Entry, msgid=held.filter(bool), msgstr=held, msgctxt=st.none() | held,
    comments=st.just(()) | comment_lines, translator_comments=st.just(()) | comment_lines,
    flags=st.sampled_from(((), ("fuzzy",), ("python-brace-format",))),
    previous_msgid=st.none() | held, obsolete=st.booleans(),
    locations=st.lists(st.from_regex(r"[a-z/.:0-9]{1,20}", fullmatch=True), max_size=3).map(
        tuple))


@pytest.mark.slow
@settings(max_examples=EXAMPLES)
@given(st.lists(entries, max_size=5, unique_by=lambda entry: entry.key))
def test_what_the_writer_writes_the_reader_reads(written: list[Entry]) -> None:
    # an obsolete entry is written last, with its translator comments and flags only
    kept = [replace(entry, comments=(), locations=(), previous_msgid=None) if entry.obsolete
            else entry for entry in sorted(written, key=lambda entry: entry.obsolete)]
    catalog = Catalog(("A catalog.",), (("Language", "es"), ("Plural-Forms",
                             "nplurals=2; plural=(n != 1);")), tuple(kept))
    assert pofile.parse(pofile.render(catalog).decode("utf-8"), Path("x.po")) == catalog


class Elements(HTMLParser):
    """Every start tag of a fragment, with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")


def assert_safe(html: str) -> None:
    """No script, no event handler, no link or source with an unsafe scheme (as a browser
    reads a URL: without its whitespace and control characters, in any case)."""
    assert "<script" not in html.lower()
    for tag, attrs in Elements(html).tags:
        assert tag in ("a", "strong", "em", "code", "br"), tag
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), name
            folded = "".join(char for char in (value or "") if char > " ").lower()
            assert not folded.startswith(UNSAFE_SCHEMES), value


@pytest.mark.slow
@settings(max_examples=2 * EXAMPLES)
@given(texts)
def test_the_markdown_renderer_never_lets_markup_or_script_through(text: str) -> None:
    assert_safe(inline_html(text))


# The readers of XML from other tools: XLIFF from agencies, TMX, TBX.
XML_PIECES = ("<!DOCTYPE xliff [", "<!ENTITY a \"b\">", "<!ENTITY % p SYSTEM \"x\">", "%p;", "]>",
              "&a;", "&#0;", "&#x1F;", "<![CDATA[", "]]>", "</", "/>", "<g>", "<mrk>", "<ph/>",
              "<trans-unit id=\"x\">", "<source>", "<target state=\"translated\">", "<file ",
              "xmlns=\"x\"", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "\ufeff", "\ud7ff")
xml_texts = st.lists(st.sampled_from(XML_PIECES) | st.sampled_from(PIECES) | runs,
                     max_size=20).map("".join)


@st.composite
def xml_mutated(draw: st.DrawFn, original: str) -> str:
    text = draw(mutated(original))
    where = draw(st.integers(0, len(text)))
    return text[:where] + draw(xml_texts) + text[where:]


def _xliff_sample() -> str:
    unit = xliff.OutUnit("Weeks 0 to 12 & **rest**", "ctx", "Semanas 0 a 12", "translated", True,
                         None, (("location", "source/pages/p.yaml:s1"), ("glossary", "a = b")),
                         (xliff.Alternative("Weeks 0 to 10", "Semanas 0 a 10", xliff.PROPOSAL,
                                            "p", "94"),))
    return xliff.render([xliff.OutFile("locales/es/LC_MESSAGES/p.po", "p", (unit,))], "en",
                        "es").decode("utf-8")


XML_SAMPLES = {
    "xliff": _xliff_sample(),
    "tmx": tmx.render([MemoryUnit("Weeks 0 to 12", "Semanas 0 a 12", "es", "p")], "en").decode(),
    "tbx": (ROOT / "tests/qa/test_glossary.py").read_text("utf-8").split('TBX2 = """', 1)[1]
    .split('"""', 1)[0],
}


def _read_xml(kind: str, data: bytes) -> None:
    path = Path(f"x.{kind}")
    with suppress(PipelineError):
        if kind == "xliff":
            xliff.parse(data, path)
        elif kind == "tmx":
            tmx.parse(data, path, "en")
        else:
            read_tbx(data, path, "es", "en")


@pytest.mark.slow
@settings(max_examples=EXAMPLES)
@given(st.sampled_from(sorted(XML_SAMPLES)).flatmap(
    lambda kind: st.tuples(st.just(kind), xml_mutated(XML_SAMPLES[kind]))))
def test_the_xml_readers_on_mutated_documents(case: tuple[str, str]) -> None:
    kind, text = case
    _read_xml(kind, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=EXAMPLES)
@given(st.sampled_from(sorted(XML_SAMPLES)), st.binary(max_size=300))
def test_the_xml_readers_on_arbitrary_bytes(kind: str, data: bytes) -> None:
    _read_xml(kind, data)
