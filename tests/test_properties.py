"""Nothing lost, as properties: random histories of English edits and translation, checked after
every update (docs/errors.md).

A history is a page of English blocks and a sequence of steps: an edit of the English (insert,
delete, reword, renumber, retype, move, add or drop blocks, or undo the last edit) followed by an
update, or a translator translating some untranslated and stale entries. After every update,
every translation the translator made and did not replace is still in the catalog (current,
stale or obsolete) or, when --prune-obsolete moved it out, in memory/<lang>.tmx; unchanged
English keeps its translation and its state; a second update changes nothing; and the record
update keeps beside the catalog reads back as what it wrote. Most examples run
pipeline.po.catalogs.merge (pure and fast), with the catalog written and read back as PO text
between steps; a few run the CLI's `update` on a project.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import cli
from pipeline.memory import tmx
from pipeline.model import Template, Unit
from pipeline.po import catalogs, pofile
from pipeline.po import history as records  # a history here is a sequence of steps
from pipeline.po.model import Catalog
from tests.conftest import copy_project, snapshot

MERGE_EXAMPLES = 1000
MERGE_EXAMPLES_FAST = 50  # the fast loop's share of the merge property (-m "not slow")
CLI_EXAMPLES = 20
TODAY = "2026-11-25"
VOCABULARY = ("rest", "the", "tendon", "heals", "slowly", "pain", "eases", "with", "load",
              "calf", "exercise", "helps", "most", "people", "ice", "reduces", "swelling",
              "surgery", "is", "rare", "walk", "daily", "stretch", "gently", "it's", "not")
Page = tuple[tuple[str, ...], ...]  # blocks of sentences


@dataclass(frozen=True)
class Edit:
    """An edit of the English; places are taken modulo what is there when it is made."""

    kind: str
    block: int = 0
    place: int = 0
    word: int = 0
    text: str = ""
    number: int = 0
    sentences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Translate:
    """The translator translates some of the untranslated and stale entries (chosen by seed)."""

    seed: int


def sentence(words: list[str], number: int | None = None) -> str:
    if number is not None:
        words = [*words[:2], str(number), *words[2:]]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


sentences = st.builds(sentence, st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=7),
                      st.none() | st.integers(1, 40))
blocks = st.lists(sentences, min_size=1, max_size=3).map(tuple)
pages = st.lists(blocks, min_size=1, max_size=5).map(tuple)
places = st.integers(0, 1000)
steps = st.one_of(
    st.builds(Edit, st.just("insert"), places, places, text=sentences),
    st.builds(Edit, st.just("delete"), places, places),
    st.builds(Edit, st.just("reword"), places, places, places,
              text=st.sampled_from(VOCABULARY)),
    st.builds(Edit, st.just("renumber"), places, places, number=st.integers(1, 40)),
    st.builds(Edit, st.just("retype"), places, places),
    st.builds(Edit, st.just("move"), places, places),
    st.builds(Edit, st.just("add-block"), places, sentences=blocks),
    st.builds(Edit, st.just("drop-block"), places),
    st.builds(Edit, st.just("undo")),
    st.builds(Translate, st.integers(0, 2**32)),
)
histories = st.tuples(pages, st.lists(steps, min_size=1, max_size=10))


def edited(page: Page, step: Edit) -> Page:
    """The page after one edit of its English."""
    blocks = [list(block) for block in page]
    at = step.block % len(blocks)
    block = blocks[at]
    where = step.place % len(block)
    words = block[where].rstrip(".").split(" ")
    if step.kind == "insert":
        block.insert(where, step.text)
    elif step.kind == "delete" and len(block) > 1:
        del block[where]
    elif step.kind == "reword":
        words[step.word % len(words)] = step.text
        block[where] = sentence(words)
    elif step.kind == "renumber":
        block[where] = sentence([word for word in words if not word.isdigit()], step.number)
    elif step.kind == "retype":  # cosmetic: a typographic apostrophe, a doubled space
        block[where] = block[where].replace("'", "\u2019").replace(" ", "  ", 1)
    elif step.kind == "move":
        blocks.insert(step.place % len(blocks), blocks.pop(at))
    elif step.kind == "add-block":
        blocks.insert(step.block % (len(blocks) + 1), list(step.sentences))
    elif step.kind == "drop-block" and len(blocks) > 1:
        blocks.pop(at)
    return tuple(tuple(block) for block in blocks)


def after_edit(pages: list[Page], step: Edit) -> Page:
    """The page after an edit of the latest; `undo` brings back the English before the last
    edit (a stale entry's English returns to what its translation was made for)."""
    if step.kind == "undo":
        return pages[-2] if len(pages) > 1 else pages[-1]
    return edited(pages[-1], step)


def template(page: Page) -> Template:
    """The page's template as segment.page_template makes it: one unit per distinct sentence,
    with every place it stands."""
    units: dict[str, Unit] = {}
    for number, block in enumerate(page, start=1):
        for position, text in enumerate(block, start=1):
            place = f"source/pages/p.yaml:b{number}.s{position}"
            known = units.get(text)
            units[text] = Unit(text, (*known.locations, place) if known else (place,),
                               (f"Paragraph {number}, sentence {position}",))
    return Template("p", tuple(units.values()))


@dataclass
class Translator:
    """Translates entries with translations no one else writes, and remembers which of them
    are still theirs (a translation they replaced is no longer)."""

    made: int = 0

    def translate(self, catalog: Catalog, seed: int, alive: set[str]) -> Catalog:
        chooser = random.Random(seed)
        entries = []
        for entry in catalog.entries:
            if not entry.obsolete and (entry.fuzzy or not entry.translated) \
                    and chooser.random() < 0.6:
                alive.discard(entry.msgstr)
                self.made += 1
                translation = f"{entry.msgid.upper()} [{self.made}]"
                alive.add(translation)
                entry = replace(entry.with_flag("fuzzy", False), msgstr=translation,
                                previous_msgid=None)
            entries.append(entry)
        return replace(catalog, entries=tuple(entries))


def translations(catalog: Catalog) -> set[str]:
    return {entry.msgstr for entry in catalog.entries if entry.msgstr}


def check_update(old: Catalog | None, new: Catalog, alive: set[str],
                 kept_elsewhere: set[str] = frozenset()) -> None:
    """The properties of one update, from the catalog before it to the catalog after it."""
    assert alive <= translations(new) | kept_elsewhere, "a translation was lost"
    after = {entry.msgid: entry for entry in new.entries if not entry.obsolete}
    for entry in old.entries if old else ():
        if entry.obsolete or not entry.translated or entry.msgid not in after:
            continue
        assert after[entry.msgid].msgstr == entry.msgstr, "unchanged English lost its translation"
        assert after[entry.msgid].fuzzy == entry.fuzzy, "unchanged English changed its state"


def merge(page: Page, old: Catalog | None) -> Catalog:
    catalog, _ = catalogs.merge(template(page), old, "es", ("Spanish.",), TODAY)
    return catalog


@pytest.mark.slow
@settings(max_examples=MERGE_EXAMPLES)
@given(histories)
def test_merge_loses_no_translation_keeps_unchanged_english_and_is_idempotent(
        history: tuple[Page, list[Edit | Translate]]) -> None:
    merged_through(history)


@settings(max_examples=MERGE_EXAMPLES_FAST)
@given(histories)
def test_merge_loses_no_translation_on_a_few_histories(
        history: tuple[Page, list[Edit | Translate]]) -> None:
    """The property above, on fewer histories: what the fast loop runs of it."""
    merged_through(history)


def merged_through(history: tuple[Page, list[Edit | Translate]]) -> None:
    """Merge after every step of a history, checking what each merge kept."""
    page, history_steps = history
    pages = [page]
    translator = Translator()
    alive: set[str] = set()
    catalog = merge(page, None)
    for step in history_steps:
        if isinstance(step, Translate):
            catalog = translator.translate(catalog, step.seed, alive)
            continue
        pages.append(after_edit(pages, step))
        # as update does: the catalog is a PO file between two runs
        old = pofile.parse(pofile.render(catalog).decode("utf-8"), Path("p.po"))
        assert old == catalog
        catalog = merge(pages[-1], old)
        check_update(old, catalog, alive)
        assert pofile.render(merge(pages[-1], catalog)) == pofile.render(catalog), \
            "not idempotent"
        known = records.facts(catalog)  # what update writes beside the catalog, read back
        assert records.parse(records.render(known), Path("p.history.json")) == \
            {fact.key: fact for fact in known} if known else not records.render(known)


# --- through the CLI ------------------------------------------------------------------------

PAGE_YAML = """\
slug: p
category: Foot & Ankle
title: A condition
tagline: a tagline.
summary: A summary.
author:
  name: A. Author
  degree: MD
  credentials: []
reviewed: 2026-05
intro:
  - An introduction.
sections:
{sections}disclaimer: A disclaimer.
faq:
  heading: Questions
  items:
    - question: Why?
      answer: Because.
next_step:
  title: Call us
  text: Call us today.
"""


def write_page(project: Path, page: Page) -> None:
    sections = "".join(f"  - id: s{number}\n    kind: other\n    title: Section {number}\n"
                       "    blocks:\n"
                       f"      - paragraph: \"{' '.join(block)}\"\n"
                       for number, block in enumerate(page, start=1))
    (project / "source/pages/p.yaml").write_text(PAGE_YAML.format(sections=sections),
                                                 encoding="utf-8")


def update(project: Path, prune: bool) -> None:
    assert cli.main(["--root", str(project), "-q", "update",
                     *(["--prune-obsolete"] if prune else [])]) == 0


def spanish_only_project(folder: Path) -> Path:
    """The project with one small page and one language, so that an update takes little."""
    project = copy_project(folder / "project")
    (project / "source/pages/achilles-tendonitis.yaml").unlink()
    for path in (project / "locales").rglob("achilles-tendonitis.po*"):
        path.unlink()
    settings = project / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('languages = ["es", "de", "ar"]', 'languages = ["es"]'),
                        encoding="utf-8")
    return project


@pytest.mark.slow
@settings(max_examples=CLI_EXAMPLES)
@given(pages, st.lists(steps, min_size=2, max_size=8), st.lists(st.booleans(), min_size=8,
                                                                max_size=8))
def test_update_through_the_cli_keeps_every_translation_in_catalogs_or_memory(
        tmp_path_factory: pytest.TempPathFactory, page: Page, history: list[Edit | Translate],
        prunes: list[bool]) -> None:
    project = spanish_only_project(tmp_path_factory.mktemp("history"))
    catalog_file = project / "locales/es/LC_MESSAGES/p.po"
    memory_file = project / "memory/es.tmx"
    translator = Translator()
    alive: set[str] = set()
    pages = [page]
    write_page(project, page)
    update(project, prune=False)
    for step, prune in zip(history, prunes, strict=False):
        catalog = pofile.read(catalog_file)
        if isinstance(step, Translate):
            catalog_file.write_bytes(pofile.render(translator.translate(catalog, step.seed,
                                                                        alive)))
            continue
        pages.append(after_edit(pages, step))
        write_page(project, pages[-1])
        update(project, prune)
        memory = {unit.target for unit in tmx.read(memory_file, "en")} \
            if memory_file.exists() else set()
        check_update(catalog, pofile.read(catalog_file), alive, memory)
    update(project, prune=False)
    before = snapshot(project / "locales"), snapshot(project / "memory")
    update(project, prune=False)
    assert (snapshot(project / "locales"), snapshot(project / "memory")) == before
