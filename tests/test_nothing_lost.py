"""No translator's text is ever lost: random sequences of translator and maintainer actions,
through the CLI, after which every translation, draft, plural form and translator's comment ever
written can still be found in the catalogs or in memory/ (docs/errors.md)."""

from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline import cli
from pipeline.memory import tmx
from pipeline.model import MemoryUnit
from pipeline.po import pofile
from tests.conftest import run_cli
from tests.test_properties import Edit, Page, edited, pages, spanish_only_project, steps, write_page

EXAMPLES = 15
ACTIONS = ("translate", "draft", "comment", "edit", "rename", "remove", "restore", "prune",
           "import", "replural")
SITE = "locales/es/LC_MESSAGES/site.po"


@dataclass(frozen=True)
class Action:
    kind: str
    seed: int
    edit: Edit


@dataclass
class History:
    """The project as the actions left it, and every text a person wrote into it."""

    project: Path
    page: Page
    slug: str = "p"
    removed: bool = False
    made: int = 0

    def __post_init__(self) -> None:
        self.written: set[str] = set()

    def text(self, kind: str) -> str:
        self.made += 1
        self.written.add(text := f"{kind} {self.made}")
        return text


edits = steps.filter(lambda step: isinstance(step, Edit))
actions = st.builds(Action, st.sampled_from(ACTIONS), st.integers(0, 2**16), edits)


def _write(history: History) -> None:
    write_page(history.project, history.page)
    path = history.project / "source/pages/p.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("slug: p\n",
                                                             f"slug: {history.slug}\n"),
                    encoding="utf-8")


def _update(history: History, *options: str) -> None:
    run_cli(history.project, "-q", "update", *options)


def _translator(history: History, action: Action) -> None:
    """Translate, draft (Poedit's "Needs work": fuzzy, no previous English) or comment on some
    live entries of the page's catalog."""
    path = history.project / f"locales/es/LC_MESSAGES/{history.slug}.po"
    if history.removed or not path.exists():
        return
    catalog = pofile.read(path)
    chooser = random.Random(action.seed)
    entries = []
    for entry in catalog.entries:
        if not entry.obsolete and chooser.random() < 0.5:
            if action.kind == "comment":
                entry = replace(entry, translator_comments=(
                    *entry.translator_comments, history.text("comment")))
            elif not entry.translated or entry.fuzzy:
                history.written.discard(entry.msgstr)  # replaced by its translator: theirs to drop
                entry = replace(entry.with_flag("fuzzy", action.kind == "draft"),
                                msgstr=history.text(action.kind), previous_msgid=None)
        entries.append(entry)
    path.write_bytes(pofile.render(replace(catalog, entries=tuple(entries))))


def _replural(history: History) -> None:
    """A team's own three-form rule in the site catalog, with a third form."""
    path = history.project / SITE
    catalog = pofile.read(path)
    header = tuple((key, "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
                    if key == "Plural-Forms" else value) for key, value in catalog.header)
    entries = tuple(replace(entry, msgstr_plural=(*entry.msgstr_plural[:2], history.text("form")))
                    if entry.msgid_plural and not entry.obsolete else entry
                    for entry in catalog.entries)
    path.write_bytes(pofile.render(replace(catalog, header=header, entries=entries)))


def _import(history: History, tmp: Path) -> None:
    unit = MemoryUnit(" ".join(history.page[0]), history.text("imported"), "es-ES", "agency")
    (tmp / "agency.tmx").write_bytes(tmx.render([unit], "en"))
    assert cli.main(["--root", str(history.project), "-q", "memory", "import",
                     str(tmp / "agency.tmx")]) == 0


def _maintainer(history: History, action: Action, tmp: Path) -> None:
    """Edit the English, rename the page, remove or restore it, prune; then update."""
    if action.kind == "edit":
        history.page = edited(history.page, action.edit)
    elif action.kind == "rename":
        history.slug = "q" if history.slug == "p" else "p"
    elif action.kind in ("remove", "restore"):
        history.removed = action.kind == "remove"
    elif action.kind == "import":
        _import(history, tmp)
    elif action.kind == "replural":
        _replural(history)
    page = history.project / "source/pages/p.yaml"
    if history.removed:
        page.unlink(missing_ok=True)
    else:
        _write(history)
    _update(history, *["--prune-obsolete"] * (action.kind == "prune"))


def _found(project: Path) -> set[str]:
    """Every text the catalogs and memory/ hold: translations, forms, comments."""
    found: set[str] = set()
    for path in project.glob("locales/es/LC_MESSAGES/*.po"):
        for entry in pofile.read(path).entries:
            found |= {entry.msgstr, *entry.msgstr_plural, *entry.translator_comments}
    memory = project / "memory/es.tmx"
    for unit in tmx.read(memory, "en") if memory.exists() else ():
        found |= {unit.target, *unit.forms, *unit.comments}
    return found


@pytest.mark.slow
@settings(max_examples=EXAMPLES)
@given(pages, st.lists(actions, min_size=3, max_size=9))
# a draft over the memory's fuzzy suggestion (its note kept, as Poedit keeps it), then a rename
@example((("Rest rest rest.",),), [Action("translate", 48, Edit("delete")),
                                   Action("draft", 0, Edit("delete")),
                                   Action("rename", 0, Edit("delete"))])
def test_every_text_ever_written_is_in_the_catalogs_or_the_memory(
        tmp_path_factory: pytest.TempPathFactory, page: Page, steps: list[Action]) -> None:
    folder = tmp_path_factory.mktemp("lost")
    history = History(spanish_only_project(folder), page)
    _write(history)  # and a second page that stays, so that removing the first leaves one
    (history.project / "source/pages/z.yaml").write_text(
        (history.project / "source/pages/p.yaml").read_text(encoding="utf-8").replace(
            "slug: p\n", "slug: z\n"), encoding="utf-8")
    _update(history)
    for action in steps:
        if action.kind in ("translate", "draft", "comment"):
            _translator(history, action)
        else:
            _maintainer(history, action, folder)
        missing = history.written - _found(history.project)
        assert not missing, f"lost after {action.kind}: {sorted(missing)}"


# --- each way an entry leaves, on the project's own catalogs ---------------------------------

CATALOG = "locales/es/LC_MESSAGES/achilles-tendonitis.po"
PAGE_FILE = "source/pages/achilles-tendonitis.yaml"


def _edit_entry(project: Path, msgid: str, **changes: object) -> None:
    path = project / CATALOG
    catalog = pofile.read(path)
    entries = tuple(replace(entry, **changes) if entry.msgid == msgid else entry
                    for entry in catalog.entries)
    path.write_bytes(pofile.render(replace(catalog, entries=entries)))


def _memory(project: Path) -> list[MemoryUnit]:
    return list(tmx.read(project / "memory/es.tmx", "en"))


def _run(project: Path, *args: str) -> None:
    run_cli(project, "-q", *args)


def test_a_renamed_page_keeps_drafts_and_comments_and_gets_them_back(project: Path) -> None:
    draft, done = "Symptoms", "Hand & Sports Medicine"
    _edit_entry(project, draft, msgstr="Síntomas (borrador)", flags=("fuzzy",),
                previous_msgid=None, translator_comments=("ask the doctor",))
    _edit_entry(project, done, translator_comments=("reviewed by Dr. Ruiz",))
    page = project / PAGE_FILE
    original = page.read_text(encoding="utf-8")
    page.write_text(original.replace("slug: achilles-tendonitis", "slug: achilles"), "utf-8")
    _run(project, "update")
    assert not (project / CATALOG).exists()
    units = {unit.source: unit for unit in _memory(project)}
    assert units[draft].target == "Síntomas (borrador)" and not units[draft].trusted
    assert units[draft].comments == ("ask the doctor",)
    assert units[done].comments == ("reviewed by Dr. Ruiz",) and units[done].trusted
    page.write_text(original, "utf-8")  # the slug back: the work comes back with it
    _run(project, "update")
    entries = {entry.msgid: entry for entry in pofile.read(project / CATALOG).entries}
    assert entries[draft].msgstr == "Síntomas (borrador)" and entries[draft].fuzzy
    assert entries[draft].translator_comments == ("ask the doctor",)
    assert not entries[done].fuzzy and entries[done].translator_comments == (
        "reviewed by Dr. Ruiz",)


def test_prune_moves_drafts_and_plural_forms_to_the_memory(project: Path) -> None:
    _edit_entry(project, "Symptoms", msgstr="Síntomas (borrador)", flags=("fuzzy",),
                previous_msgid=None)
    page = project / PAGE_FILE
    page.write_text(page.read_text(encoding="utf-8").replace("title: Symptoms",
                                                             "title: Signs"), "utf-8")
    site = project / "locales/es/LC_MESSAGES/site.po"
    site.write_text(site.read_text(encoding="utf-8") + '\n#~ msgid "{count} leaflet"\n'
                    '#~ msgid_plural "{count} leaflets"\n#~ msgstr[0] "{count} folleto"\n'
                    '#~ msgstr[1] "{count} folletos"\n', encoding="utf-8")
    _run(project, "update")
    _run(project, "update", "--prune-obsolete")
    assert "leaflet" not in site.read_text(encoding="utf-8")
    units = {unit.source: unit for unit in _memory(project)}
    assert units["Symptoms"].target == "Síntomas (borrador)" and not units["Symptoms"].trusted
    plural = units["{count} leaflet"]
    assert plural.plural == "{count} leaflets" and plural.forms == ("{count} folleto",
                                                                    "{count} folletos")


def test_an_obsolete_twin_of_a_live_entry_goes_to_memory_and_comes_back_a_suggestion(
        project: Path) -> None:
    path = project / CATALOG
    text = path.read_text(encoding="utf-8")
    catalog = pofile.read(path)
    symptoms = next(entry for entry in catalog.entries if entry.msgid == "Symptoms")
    _edit_entry(project, "Symptoms", msgstr="")
    path.write_text(path.read_text(encoding="utf-8") + '\n#~ msgid "Symptoms"\n#~ msgstr '
                    '"Síntomas al revés"\n', encoding="utf-8")
    assert text != path.read_text(encoding="utf-8") and symptoms.msgstr
    _run(project, "update")
    entries = [entry for entry in pofile.read(path).entries if entry.msgid == "Symptoms"]
    assert len(entries) == 1 and entries[0].fuzzy  # offered, never published as current
    assert entries[0].msgstr == "Síntomas al revés"
    units = [unit for unit in _memory(project) if unit.target == "Síntomas al revés"]
    assert units and not units[0].trusted
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
