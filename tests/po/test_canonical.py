"""Clean in git: a catalog another tool saved with other wrapping loses nothing, and the next
update writes it back in canonical form (what msgcat writes) in one step."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import polib
import pytest

from pipeline.po import pofile
from pipeline.po.model import Catalog
from tests.conftest import run_cli

CATALOGS = ("locales/es/LC_MESSAGES/achilles-tendonitis.po", "locales/ar/LC_MESSAGES/site.po",
            "locales/ar/LC_MESSAGES/achilles-tendonitis.po")
PAGE = "source/pages/achilles-tendonitis.yaml"


def _polib(width: int) -> Callable[[Path], None]:
    def save(path: Path) -> None:
        polib.pofile(str(path), wrapwidth=width).save(str(path))
    return save


def _msgcat_no_wrap(path: Path) -> None:
    path.write_bytes(subprocess.run(["msgcat", "--no-wrap", str(path)], capture_output=True,
                                    check=True).stdout)


def _text(catalog: Catalog) -> list[tuple[object, ...]]:
    """Every translation, flag and comment of a catalog. A tool that wraps comments (polib)
    writes a long comment as several lines, which a reader cannot tell from several comments:
    their text is compared."""
    return [(entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, entry.msgstr_plural,
             entry.flags, entry.previous_msgid, entry.obsolete, entry.locations,
             " ".join(entry.comments), " ".join(entry.translator_comments))
            for entry in catalog.entries]


@pytest.fixture
def worked(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project with a translator's work in its catalogs: a review, a stale entry with its
    previous English, an obsolete entry, a memory suggestion with a long note, format flags;
    all as update writes them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    page = project / PAGE
    text = page.read_text("utf-8").replace("Improvement is gradual.",
                                           "Improvement is slow but steady.")
    page.write_text(text.replace("          - Load and training-volume management\n", ""),
                    encoding="utf-8")
    path = project / CATALOGS[0]
    catalog = pofile.read(path)
    entries = tuple(replace(entry, translator_comments=("reviewed: Dr. García, 2026-11-21",
                                                        "a second comment line"))
                    if entry.msgid == "Symptoms" else entry for entry in catalog.entries)
    path.write_bytes(pofile.render(replace(catalog, entries=entries)))
    arabic = project / CATALOGS[2]
    catalog = pofile.read(arabic)
    note = ("memory: 91% from achilles-tendonitis: Treating the tendinopathy with a structured "
            "program protects the tendon.")
    entries = tuple(replace(entry, msgstr="ترجمة مقترحة", flags=("fuzzy",),
                            comments=(*entry.comments, note))
                    if entry.msgid.startswith("Treating the tendonitis") else entry
                    for entry in catalog.entries)
    arabic.write_bytes(pofile.render(replace(catalog, entries=entries)))
    run_cli(project, "update")
    assert note in (project / CATALOGS[2]).read_text("utf-8")
    return project


@pytest.mark.parametrize("save", [_polib(76), _polib(0), _msgcat_no_wrap],
                         ids=["polib-wrap-76", "polib-no-wrap", "msgcat-no-wrap"])
def test_another_tool_s_wrapping_is_read_without_loss_and_undone_by_one_update(
        worked: Path, save: Callable[[Path], None]) -> None:
    canonical = {name: (worked / name).read_bytes() for name in CATALOGS}
    catalogs = {name: pofile.read(worked / name) for name in CATALOGS}
    spanish = catalogs[CATALOGS[0]]
    stale = next(entry for entry in spanish.entries if entry.previous_msgid)
    assert stale.fuzzy and stale.previous_msgid == "Improvement is gradual."
    assert any(entry.obsolete for entry in spanish.entries)
    assert any(entry.translator_comments for entry in spanish.entries)
    for name in CATALOGS:
        save(worked / name)
    assert any((worked / name).read_bytes() != canonical[name] for name in CATALOGS), \
        "the other tool wrapped differently"
    for name in CATALOGS:
        assert _text(pofile.read(worked / name)) == _text(catalogs[name]), \
            f"{name}: read with a loss"
    run_cli(worked, "update")
    for name in CATALOGS:
        assert (worked / name).read_bytes() == canonical[name], f"{name}: not canonical again"
        again = subprocess.run(["msgcat", str(worked / name)], capture_output=True,
                               check=True).stdout
        assert again == canonical[name]
    assert run_cli(worked, "update", "--check").returncode == 0
