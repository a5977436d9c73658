"""Glossaries: the committed ones, their comments in catalogs, and CSV and TBX import."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.model import texts
from pipeline.po import pofile
from pipeline.po.model import Catalog, Entry
from pipeline.qa import glossary
from pipeline.qa.glossary import Glossary, Term
from pipeline.source import load as source
from tests.conftest import ROOT, run_cli, snapshot

ES = "locales/es/LC_MESSAGES/achilles-tendonitis.po"
INTRO = ("Achilles tendonitis, more accurately tendinopathy, is overuse irritation and wear of "
         "the Achilles tendon, the heel cord that connects the calf to the heel.")


@pytest.mark.parametrize("language", ["es", "de", "ar"])
def test_the_committed_glossaries_are_canonical_and_cover_the_page(language: str) -> None:
    path = glossary.path_of(ROOT, language)
    loaded = glossary.load(ROOT, language)
    assert glossary.render(loaded) == path.read_bytes(), "import would rewrite it"
    assert set(loaded.do_not_translate) == {"PRP", "MRI", "Dr. Lee"}
    english = " ".join(text.value for page in source.load_pages(ROOT / "source")
                       for text in texts(page))
    for term in loaded.terms:
        assert any(isinstance(item, Term) and item.term == term.term
                   for item in glossary.uses(english, loaded)), f"{term.term} is not on the page"
    for key in ("tendinopathy", "heel cord", "rupture", "steroid", "eccentric"):
        assert any(term.term == key for term in loaded.terms)


def test_the_three_glossaries_list_the_same_english() -> None:
    terms = {language: sorted(term.term for term in glossary.load(ROOT, language).terms)
             for language in ("es", "de", "ar")}
    assert terms["es"] == terms["de"] == terms["ar"]


def test_a_broken_glossary_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    path = glossary.path_of(tmp_path, "es")
    path.parent.mkdir()
    path.write_text("terms:\n  - term: calf\n    translation: pantorrilla\n"
                    "  - term: calf\n    translation: ternero\n"
                    "  - term: rest\n    traduccion: reposo\n"
                    "do_not_translate:\n  - 12\n", encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        glossary.load(tmp_path, "es")
    message = str(caught.value)
    assert f"{path}:7:5: terms[2]: unknown field 'traduccion'" in message
    assert f"{path}:6:5: terms[2]: missing field 'translation'" in message
    assert f"{path}:9:5: do_not_translate[0] must be text, not a number" in message
    assert f"{path}:4:5: terms[1]: 'calf' is listed twice; keep one" in message


def test_uses_prefers_the_longest_term_and_knows_plurals_and_hyphens() -> None:
    words = Glossary("es", (Term("tendon", "tendón"), Term("Achilles tendon", "tendón de Aquiles"),
                            Term("heel cord", "tendón del talón"), Term("injury", "lesión")),
                     ("Dr. Lee", "PRP"))
    found = glossary.uses("Dr. Lee's heel-cord: the Achilles tendon, two tendons, injuries; "
                          "prp", words)
    assert [item if isinstance(item, str) else item.term for item in found] == \
        ["Dr. Lee", "heel cord", "Achilles tendon", "tendon", "injury"]
    assert glossary.translates("Los TENDONES", Term("tendon", "tendón"))
    assert glossary.translates("die Achillessehne", Term("tendon", "Sehne"))


# Letters whose case re.IGNORECASE folds differently from str.lower(): the dotted and dotless
# i, the long s, the Kelvin sign, the sharp s; and dashes, spaces and an apostrophe.
_LETTERS = st.sampled_from("aAiIyYsSkKeE\u0130\u0131\u017f\u212a\u00df\u1e9e\u00e9- '\u2011.")
_WORDS = st.text(_LETTERS, min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(terms=st.lists(_WORDS, min_size=1, max_size=5), names=st.lists(_WORDS, max_size=3),
       english=st.lists(_WORDS, max_size=6).map(" ".join))
def test_uses_finds_with_its_quick_test_what_it_finds_without(
        terms: list[str], names: list[str], english: str) -> None:
    words = Glossary("es", tuple(Term(term, "x") for term in dict.fromkeys(terms)),
                     tuple(dict.fromkeys(names)))
    plurals = [term[:-1] + "ies" if term.endswith("y") else term + "s" for term in terms[:2]]
    english = " ".join([english, *terms[:1], *plurals]).upper()
    quick = glossary.uses(english, words)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(glossary, "_could_match", lambda *_: True)
        plain = glossary.uses(english, words)
    assert quick == plain


def test_annotate_regenerates_comments_and_never_piles_them_up() -> None:
    words = Glossary("es", (Term("tendinopathy", "tendinopatía"),), ("PRP",))
    entry = Entry("PRP helps tendinopathy.", "El PRP ayuda.",
                         comments=("FAQ answer", "glossary: old = viejo", "stale since 2026-11-20"))
    catalog = Catalog((), (), (entry, replace(entry, msgid="Gone", obsolete=True)))
    once = glossary.annotate(catalog, words)
    assert once.entries[0].comments == ("FAQ answer", "glossary: PRP (do not translate)",
                                        "glossary: tendinopathy = tendinopatía",
                                        "stale since 2026-11-20")
    assert glossary.annotate(once, words) == once
    assert once.entries[1].comments == ("FAQ answer", "stale since 2026-11-20")
    assert glossary.annotate(once, Glossary("es")).entries[0].comments == \
        ("FAQ answer", "stale since 2026-11-20")


def _comments(project: Path, msgid: str) -> tuple[str, ...]:
    catalog = pofile.read(project / ES)
    return next(entry.comments for entry in catalog.entries if entry.msgid == msgid)


def test_update_shows_glossary_terms_as_comments_regenerated_each_time(project: Path) -> None:
    run_cli(project, "update")
    assert "glossary: tendinopathy = tendinopatía" in _comments(project, INTRO)
    before = snapshot(project / "locales")
    run_cli(project, "update")
    assert snapshot(project / "locales") == before, "a second update changes no byte"

    path = glossary.path_of(project, "es")
    path.write_text(path.read_text("utf-8").replace("translation: tendinopatía",
                                                    "translation: tendinopatía aquílea"), "utf-8")
    run_cli(project, "update")
    comments = _comments(project, INTRO)
    assert "glossary: tendinopathy = tendinopatía aquílea" in comments
    assert "glossary: tendinopathy = tendinopatía" not in comments
    assert len([c for c in comments if c.startswith("glossary: ")]) == 6
    assert run_cli(project, "update", "--check").returncode == 0

    path.unlink()
    run_cli(project, "update")
    assert not [c for c in _comments(project, INTRO) if c.startswith("glossary: ")]
    german = (project / "locales/de/LC_MESSAGES/achilles-tendonitis.po").read_text("utf-8")
    assert "#. glossary: tendinopathy = Tendinopathie" in german


# --- import --------------------------------------------------------------------------------

def test_csv_import_merges_sorted_and_stably(project: Path, tmp_path: Path) -> None:
    csv = tmp_path / "terms.csv"
    csv.write_text("term,translation,note\n"
                   "plantar fascia,fascia plantar,the band under the foot\n"
                   '"tendinopathy","tendinopatía crónica",""\n'
                   "NSAID,,a name kept as it is\n", encoding="utf-8")
    before = glossary.load(project, "es")
    result = run_cli(project, "glossary", "import", str(csv), "--lang", "es")
    assert "3 read, 2 added, 1 changed, 0 unchanged; wrote glossary/es.yaml" in result.stdout
    after = glossary.load(project, "es")
    terms = {term.term: term for term in after.terms}
    assert terms["plantar fascia"] == Term("plantar fascia", "fascia plantar",
                                           "the band under the foot")
    assert terms["tendinopathy"].translation == "tendinopatía crónica"
    assert terms["tendinopathy"].note == next(term.note for term in before.terms
                                              if term.term == "tendinopathy")
    assert "NSAID" in after.do_not_translate
    listed = [term.term.casefold() for term in after.terms]
    assert listed == sorted(listed)
    data = glossary.path_of(project, "es").read_bytes()
    again = run_cli(project, "glossary", "import", str(csv), "--lang", "es")
    assert "0 added, 0 changed, 3 unchanged; no change to glossary/es.yaml" in again.stdout
    assert glossary.path_of(project, "es").read_bytes() == data


@pytest.mark.parametrize(("text", "where", "message"), [
    ("english,spanish\ncalf,pantorrilla\n", 1, "the first row must name the columns"),
    ("term,translation\ncalf,pantorrilla\ncalf,ternero\n", 3, "'calf' is listed twice"),
    ("term,translation\n,pantorrilla\n", 2, "expected term,translation with a term"),
])
def test_a_bad_csv_names_its_line_and_writes_nothing(project: Path, tmp_path: Path, text: str,
                                                     where: int, message: str) -> None:
    csv = tmp_path / "terms.csv"
    csv.write_text(text, encoding="utf-8")
    before = glossary.path_of(project, "es").read_bytes()
    result = run_cli(project, "glossary", "import", str(csv), "--lang", "es", check=False)
    assert result.returncode == 1
    assert f"{csv}:{where}: {message}" in result.stderr
    assert glossary.path_of(project, "es").read_bytes() == before


TBX2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>exported</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="t1">
      <descrip type="definition">A thick band of tissue under the foot.</descrip>
      <langSet xml:lang="en-US"><tig><term>plantar fascia</term></tig></langSet>
      <langSet xml:lang="es-ES">
        <tig><term>fascia plantar</term></tig>
        <tig><term>aponeurosis plantar</term></tig>
      </langSet>
    </termEntry>
    <termEntry id="t2">
      <langSet xml:lang="en"><ntig><termGrp><term>bursitis</term></termGrp></ntig></langSet>
      <langSet xml:lang="de"><ntig><termGrp><term>Bursitis</term></termGrp></ntig></langSet>
    </termEntry>
  </body></text>
</martif>
"""
TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en"><termSec><term>shin splints</term></termSec></langSec>
      <langSec xml:lang="es">
        <termSec><term>periostitis tibial</term><note>the common name</note></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


@pytest.mark.parametrize(("document", "expected"), [
    (TBX2, Term("plantar fascia", "fascia plantar", "A thick band of tissue under the foot.")),
    (TBX3, Term("shin splints", "periostitis tibial", "the common name")),
])
def test_tbx_import(project: Path, tmp_path: Path, document: str, expected: Term) -> None:
    tbx = tmp_path / "terms.tbx"
    tbx.write_text(document, encoding="utf-8")
    result = run_cli(project, "glossary", "import", str(tbx), "--lang", "es")
    assert "1 read, 1 added" in result.stdout
    assert expected in glossary.load(project, "es").terms


HOSTILE = [
    ('<?xml version="1.0"?>\n<!DOCTYPE martif [\n  <!ENTITY secret SYSTEM "file:///etc/passwd">\n'
     ']>\n<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&secret;</term></tig>'
     '</langSet></termEntry></body></text></martif>\n', 3, "declares an entity ('secret')"),
    ('<?xml version="1.0"?>\n\n<!DOCTYPE martif SYSTEM "http://example.org/tbx.dtd">\n<martif/>\n',
     3, "<!DOCTYPE> names its DTD at 'http://example.org/tbx.dtd'"),
    ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
     '<martif>&lol2;</martif>\n', 2, "declares an entity ('lol')"),
]


@pytest.mark.parametrize(("document", "line", "refused"), HOSTILE)
def test_a_tbx_with_entities_or_a_dtd_url_is_refused_and_nothing_written(
        project: Path, tmp_path: Path, document: str, line: int, refused: str) -> None:
    tbx = tmp_path / "evil.tbx"
    tbx.write_text(document, encoding="utf-8")
    before = snapshot(project / "glossary")
    result = run_cli(project, "glossary", "import", str(tbx), "--lang", "es", check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tbx}:{line}: refused: the TBX")
    assert refused in result.stderr
    assert snapshot(project / "glossary") == before
    assert "root:" not in result.stdout + result.stderr


def test_a_tbx_that_is_not_tbx_or_not_xml(project: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.tbx"
    broken.write_text('<martif>\n  <text><body>\n</martif>\n', encoding="utf-8")
    result = run_cli(project, "glossary", "import", str(broken), "--lang", "es", check=False)
    assert result.stderr.startswith(f"{broken}:3:3: not well-formed XML (mismatched tag)")
    other = tmp_path / "other.tbx"
    other.write_text("<tmx><body/></tmx>", encoding="utf-8")
    result = run_cli(project, "glossary", "import", str(other), "--lang", "es", check=False)
    assert "not a TBX document: the root element is <tmx>" in result.stderr
    empty = tmp_path / "empty.tbx"
    empty.write_text(TBX2, encoding="utf-8")
    result = run_cli(project, "glossary", "import", str(empty), "--lang", "ar", check=False)
    assert "no term entry with both en and ar terms" in result.stderr


def test_import_refuses_other_formats_and_languages(project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "terms.xlsx"
    sheet.write_bytes(b"PK")
    result = run_cli(project, "glossary", "import", str(sheet), "--lang", "es", check=False)
    assert "unknown glossary format" in result.stderr
    csv = tmp_path / "terms.csv"
    csv.write_text("term,translation\ncalf,mollet\n", encoding="utf-8")
    result = run_cli(project, "glossary", "import", str(csv), "--lang", "fr", check=False)
    assert "not a configured language: fr" in result.stderr
    assert not glossary.path_of(project, "fr").exists()
