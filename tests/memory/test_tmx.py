"""TMX: what we write validates against the TMX 1.4b DTD and is read by translate-toolkit; what
other tools write (UTF-16, inline codes) is read; unsafe or malformed files import nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile

from pipeline.errors import PipelineError
from pipeline.memory import tmx
from pipeline.model import MemoryUnit
from tests.conftest import DATA

UNITS = [
    MemoryUnit("Weeks 0 to 12", "Semanas 0 a 12", "es", "achilles-tendonitis"),
    MemoryUnit('Say "no" to <steroid> & rest', 'Diga "no" a <esteroides> y repose', "es",
               "import:agency.tmx"),
    MemoryUnit("Control\x0bcharacter", "Carácter\x0bde control", "es", "site"),
]


def test_written_tmx_is_valid_against_the_dtd_and_deterministic() -> None:
    data = tmx.render(UNITS, "en")
    assert data == tmx.render(list(reversed(UNITS)), "en")
    dtd = etree.DTD(str(DATA / "tmx14b.dtd"))
    document = etree.fromstring(data)
    assert dtd.validate(document), dtd.error_log.filter_from_errors()


def test_translate_toolkit_reads_what_we_write(tmp_path: Path) -> None:
    path = tmp_path / "es.tmx"
    path.write_bytes(tmx.render(UNITS, "en"))
    store = tmxfile.parsefile(str(path))
    pairs = {(unit.source, unit.target) for unit in store.units}
    assert ("Weeks 0 to 12", "Semanas 0 a 12") in pairs
    assert ('Say "no" to <steroid> & rest', 'Diga "no" a <esteroides> y repose') in pairs


def test_round_trip() -> None:
    back = tmx.parse(tmx.render(UNITS, "en"), Path("es.tmx"), "en")
    assert sorted(back, key=repr) == sorted(
        [MemoryUnit(u.source.replace("\x0b", ""), u.target.replace("\x0b", ""), u.language,
                    u.origin) for u in UNITS], key=repr)


def test_other_tools_tmx_utf16_with_inline_codes() -> None:
    units = tmx.read(DATA / "tmx/agency-utf16.tmx", "en")
    found = {(unit.language, unit.source): unit for unit in units}
    heel = found["es-ES", "Plantar fasciitis is pain in the heel from overuse."]
    assert heel.target == "La fascitis plantar es dolor en el talón por uso excesivo."
    assert heel.origin == "import:agency-utf16.tmx"
    stretch = found["DE-de", "Stretch the calf for 30 seconds three times a day."]
    assert stretch.target == "Dehnen Sie die Wade dreimal täglich 30 Sekunden lang."
    assert stretch.origin == "plantar-fasciitis"
    assert ("fr-FR", "Plantar fasciitis is pain in the heel from overuse.") in found
    assert len(units) == 4


def test_malformed_tmx_names_file_and_line() -> None:
    path = DATA / "tmx/malformed.tmx"
    with pytest.raises(PipelineError) as caught:
        tmx.read(path, "en")
    assert caught.value.line == 8
    assert str(caught.value).startswith(f"{path}:8:")
    assert "not well-formed XML (mismatched tag)" in str(caught.value)


@pytest.mark.parametrize(("name", "line", "entity"), [("external-entity.tmx", 2, "secret"),
                                                      ("entity-expansion.tmx", 3, "a")])
def test_entities_are_refused_without_being_fetched_or_expanded(name: str, line: int,
                                                                entity: str) -> None:
    with pytest.raises(PipelineError, match=f"refused: the TMX declares an entity \\('{entity}'"
                       r"\), which could read other files") as caught:
        tmx.read(DATA / "tmx" / name, "en")
    assert caught.value.line == line


def test_a_doctype_naming_the_dtd_by_file_name_is_read() -> None:
    data = tmx.render(UNITS[:1], "en").replace(b"<tmx ",
                                               b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx ')
    assert tmx.parse(data, Path("es.tmx"), "en") == (UNITS[0],)


def test_elements_nested_too_deeply_are_refused() -> None:
    data = tmx.render(UNITS[:1], "en").replace(b"<seg>Semanas", b"<seg>" + b"<hi>" * 100)
    with pytest.raises(PipelineError, match="nests elements more than 64 deep"):
        tmx.parse(data, Path("es.tmx"), "en")
