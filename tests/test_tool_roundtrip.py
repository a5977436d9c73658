"""Staleness through other tools: msgmerge, pybabel, translate-toolkit and polib saves, each the
real tool, then the pipeline's update (docs/staleness.md#other-tools)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from translate.storage import pypo

from pipeline.po import history, pofile
from pipeline.po.model import Catalog, Entry
from tests.conftest import copy_project, run_cli
from tests.test_staleness import DEC_01, ES, NOV_20, edit, run_at, segments

POT = "locales/templates/achilles-tendonitis.pot"
RECORD = "locales/es/LC_MESSAGES/achilles-tendonitis.history.json"
REVIEW = "reviewed: Dr. García, 2026-11-21"
CRITICAL = "Weeks 0 to 10"
SUBSTANTIVE = "Improvement is slow but steady."
LONG = "Achilles tendonitis is pain and stiffness in the heel cord from repeated overuse."
COSMETIC = ("Every patient\u2019s case is different, [book a consultation](/contact) to discuss "
            "yours.")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with a critical, two substantive (one with long previous English, which
    Babel wraps), a cosmetic, a reviewed and an outdated-review entry, as update left it."""
    root = copy_project(tmp_path_factory.mktemp("base") / "project")
    catalog = polib.pofile(str(root / ES), wrapwidth=76)
    for english in ("Symptoms", "Improvement is gradual."):
        catalog.find(english).tcomment = REVIEW
    catalog.save()
    edit(root, "title: Weeks 0 to 12", f"title: {CRITICAL}")
    edit(root, "Improvement is gradual.", SUBSTANTIVE)
    edit(root, "heel cord from overuse.", "heel cord from repeated overuse.")
    edit(root, "Every patient's case is different", "Every patient\u2019s case is different")
    run_at(root, NOV_20, "update")
    return root


@pytest.fixture
def project(base: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(base, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def entries(root: Path) -> dict[str, Entry]:
    return {entry.msgid: entry for entry in pofile.read(root / ES).entries}


def test_update_records_what_it_knows_beside_the_catalog(base: Path) -> None:
    found = entries(base)
    assert "stale since 2026-11-20: critical change (removed 12; added 10)" in \
        found[CRITICAL].comments
    assert found[SUBSTANTIVE].translator_comments == (f"outdated review: {REVIEW}",)
    assert found["Symptoms"].translator_comments == (REVIEW,)
    record = json.loads((base / RECORD).read_text("utf-8"))
    assert record["format"] == 1
    assert {item["msgid"]: item for item in record["entries"]} == {
        CRITICAL: {"msgid": CRITICAL, "previous": "Weeks 0 to 12", "since": "2026-11-20",
                   "change": "critical"},
        SUBSTANTIVE: {"msgid": SUBSTANTIVE, "previous": "Improvement is gradual.",
                      "since": "2026-11-20", "change": "substantive"},
        LONG: {"msgid": LONG, "previous": LONG.replace("repeated ", ""),
               "since": "2026-11-20", "change": "substantive"},
        COSMETIC: {"msgid": COSMETIC, "cosmetic": "2026-11-20"}}
    assert (base / RECORD).read_bytes() == history.render(history.facts(pofile.read(base / ES)))


@pytest.mark.parametrize("back", ["Weeks 0 to 12", "Weeks 0\u00a0to 12"],
                         ids=["exactly", "cosmetically"])
def test_english_edited_back_keeps_the_entry_stale_and_its_record_readable(
        project: Path, back: str) -> None:
    """A stale entry whose English returns to what its translation was made for stays stale
    (a translator may have begun the new version meanwhile): its record says the change is
    cosmetic, and every verb reads the record that update wrote."""
    edit(project, f"title: {CRITICAL}", f"title: {back}")
    run_at(project, DEC_01, "update")
    entry = entries(project)[back]
    assert entry.fuzzy and entry.previous_msgid == "Weeks 0 to 12"
    record = {item["msgid"]: item for item in
              json.loads((project / RECORD).read_text("utf-8"))["entries"]}
    assert record[back] == {"msgid": back, "previous": "Weeks 0 to 12",
                                    "since": "2026-11-20", "change": "cosmetic"}
    for verb in ("status", "build", "update"):
        result = run_at(project, DEC_01, verb, check=False)
        assert (result.returncode, result.stderr) == (0, ""), verb


def _msgmerge(*options: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        subprocess.run(["msgmerge", "--quiet", *options, "-o", str(root / ES), str(root / ES),
                        str(root / POT)], check=True)
    return run


def _pybabel(*options: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        subprocess.run([str(Path(sys.executable).parent / "pybabel"), "--quiet", "update",
                        *options, "-i", str(root / POT), "-d", str(root / "locales"), "-l", "es",
                        "-D", "achilles-tendonitis"], check=True)
    return run


def _translate_toolkit(root: Path) -> None:
    """What Weblate does when it saves a catalog: translate-toolkit's PO store, read and written."""
    store = pypo.pofile.parsefile(str(root / ES))
    (root / ES).write_bytes(bytes(store))


def _polib(root: Path) -> None:
    """What Poedit and Lokalize do to the parts they do not edit: read, write back."""
    polib.pofile(str(root / ES), wrapwidth=76).save()


TOOLS = {
    "msgmerge --previous": _msgmerge("--previous"),
    "msgmerge": _msgmerge(),
    "pybabel update --previous": _pybabel("--previous"),
    "pybabel update": _pybabel(),
    "translate-toolkit (Weblate)": _translate_toolkit,
    "polib (Poedit, Lokalize)": _polib,
}


@pytest.mark.parametrize("tool", TOOLS)
def test_staleness_survives_the_tool_and_the_next_update(project: Path, tool: str) -> None:
    before = entries(project)
    record = (project / RECORD).read_bytes()
    TOOLS[tool](project)
    if "msgmerge" in tool or "pybabel" in tool:  # they drop the since-lines, and more
        assert "stale since" not in (project / ES).read_text("utf-8")

    status = json.loads(run_cli(project, "status", "--json", "--lang", "es").stdout)
    page = next(row for row in status["catalogs"] if row["domain"] == "achilles-tendonitis")
    details = {item["msgid"]: item for item in page["details"]}
    assert details[CRITICAL] == {**details[CRITICAL], "state": "stale", "change": "critical",
                                 "since": "2026-11-20", "previous": "Weeks 0 to 12"}
    assert page["entries"]["critical"] == 1 and page["entries"]["stale"] == 3

    run_at(project, DEC_01, "update")
    after = entries(project)
    assert after == before, "every entry as before: since, class, previous English, reviews"
    assert after[CRITICAL].previous_msgid == "Weeks 0 to 12"
    assert after[LONG].previous_msgid == LONG.replace("repeated ", "")
    assert after[SUBSTANTIVE].translator_comments == (f"outdated review: {REVIEW}",)
    assert after["Symptoms"].translator_comments == (REVIEW,)
    assert "# |" not in (project / ES).read_text("utf-8")
    assert (project / RECORD).read_bytes() == record
    assert run_at(project, DEC_01, "update", "--check", check=False).returncode == 0


def test_a_translator_clearing_needs_work_makes_the_entry_current_and_the_record_forget_it(
        project: Path) -> None:
    catalog = polib.pofile(str(project / ES), wrapwidth=76)
    fixed = catalog.find(SUBSTANTIVE)
    fixed.msgstr = "La mejoría es lenta pero constante."
    fixed.flags.remove("fuzzy")  # Poedit's "Needs work" cleared: it drops the `#|` lines too
    fixed.previous_msgid = None
    catalog.save()
    _msgmerge()(project)  # and a tool that drops what update wrote, for good measure

    run_at(project, DEC_01, "update")
    after = entries(project)[SUBSTANTIVE]
    assert not after.fuzzy and after.previous_msgid is None
    assert not any(note.startswith("stale since") for note in after.comments)
    names = [item["msgid"] for item in json.loads((project / RECORD).read_text())["entries"]]
    assert SUBSTANTIVE not in names and CRITICAL in names
    critical = entries(project)[CRITICAL]
    assert "stale since 2026-11-20: critical change (removed 12; added 10)" in critical.comments


def test_a_record_with_nothing_left_to_keep_is_removed(project: Path) -> None:
    catalog = polib.pofile(str(project / ES), wrapwidth=76)
    for found in catalog:
        if "fuzzy" in found.flags:
            found.flags.remove("fuzzy")
            found.previous_msgid = None
    catalog.save()
    edit(project, "advice. Every patient\u2019s case is different, [book a consultation](/contact)"
                  "\n  to discuss yours.", "advice.")  # the cosmetic entry leaves the page
    run_at(project, DEC_01, "update")
    assert not (project / RECORD).exists()
    assert (project / RECORD.replace("/es/", "/de/")).exists(), "another catalog's stays"


def test_a_change_of_the_record_alone_is_seen_by_build_and_update(project: Path) -> None:
    run_cli(project, "build")
    run_at(project, DEC_01, "update")  # both skip caches hold the catalogs as they are
    assert segments(project)[CRITICAL]["since"] == "2026-11-20"
    record = project / RECORD
    record.write_text(record.read_text("utf-8").replace(
        '"previous": "Weeks 0 to 12", "since": "2026-11-20"',
        '"previous": "Weeks 0 to 12", "since": "2026-11-25"'), "utf-8")
    run_cli(project, "build")
    assert segments(project)[CRITICAL]["since"] == "2026-11-25"
    run_at(project, DEC_01, "update")
    assert "stale since 2026-11-25: critical change (removed 12; added 10)" in \
        entries(project)[CRITICAL].comments


def test_the_projects_catalogs_need_no_record() -> None:
    root = Path(__file__).resolve().parent.parent
    assert not list((root / "locales").rglob(f"*{history.SUFFIX}"))


@pytest.mark.parametrize(("content", "line", "says"), [
    (b'{\n "entries": [\n  {"msgid": "x", "previous": "y"\n ],\n "format": 1\n}\n', 4,
     "is not JSON"),
    (b'{\n "entries": [\n  {"msgid": "x", "previous": "y", "since": "2026-11-20"},\n'
     b'  {"msgid": "z", "previous": 12}\n ],\n "format": 1\n}\n', 4, "not text: previous"),
    (b'{\n "entries": [\n  {"msgid": "x", "since": "2026-11-20"}\n ],\n "format": 1\n}\n', 3,
     "needs a msgid, and a previous English"),
    (b'{\n "entries": [\n  {"msgid": "x", "previous": "y", "since": "20 Nov"}\n ],\n'
     b' "format": 1\n}\n', 3, "not YYYY-MM-DD"),
    (b'["not", "a", "record"]\n', 1, "not a history record"),
    (b'{"entries": [], "format": 1, "x": ' + b"9" * 5000 + b"}", None, "cannot be read"),
    (b'{\n "entries": [\n  {"change": "trivial", "msgid": "x", "previous": "y"}\n ],\n'
     b' "format": 1\n}\n', 3, 'entry 1 has a change that is not one of "cosmetic", "substantive"'),
    (b" " * (history.MAX_BYTES + 1), None, "more than a history record's limit"),
])
def test_a_hostile_record_is_refused_naming_the_file_and_line(
        project: Path, content: bytes, line: int | None, says: str) -> None:
    (project / RECORD).write_bytes(content)
    catalog = (project / ES).read_bytes()
    where = f"{RECORD}:{line}:" if line else f"{RECORD}:"
    for verb in ("update", "status", "build"):
        result = run_cli(project, verb, check=False)
        assert result.returncode == 1, (verb, result.stdout)
        assert where in result.stderr and says in result.stderr, (verb, result.stderr)
        assert "restore it from git" in result.stderr
    assert (project / ES).read_bytes() == catalog and (project / RECORD).read_bytes() == content
    assert not (project / "outputs/es").exists()


def _entry(*comments: str, previous: str | None = None) -> Entry:
    return Entry("Rest.", "Descanso.", flags=("fuzzy",), translator_comments=comments,
                 previous_msgid=previous)


def test_babel_previous_english_comments_are_repaired_even_wrapped() -> None:
    wrapped = _entry("reviewed: Dr. Lee", '| msgctxt "ctx"',
                     '| msgid "A very long previous English sentence that needs to be',
                     'wrapped by \\"Babel\\""', '| msgid_plural "forms"', "keep me")
    repaired = history.reconcile(Catalog((), (), (wrapped,)), {}).entries[0]
    assert repaired.previous_msgid == \
        'A very long previous English sentence that needs to be wrapped by "Babel"'
    assert repaired.previous_msgid_plural == "forms"
    assert repaired.translator_comments == ("reviewed: Dr. Lee", "keep me")
    split = _entry('| msgid ""', '| "A sentence broken by msgcat at a space "',
                   '| "and joined again."')
    assert history.reconcile(Catalog((), (), (split,)), {}).entries[0].previous_msgid == \
        "A sentence broken by msgcat at a space and joined again."


@pytest.mark.parametrize("comments", [
    ('| msgid "never closed',),
    ('| msgid "x" is what I meant',),
    ("| a table, not English",),
])
def test_comments_that_are_not_previous_english_stay(comments: tuple[str, ...]) -> None:
    kept = _entry(*comments)
    assert history.reconcile(Catalog((), (), (kept,)), {}).entries[0] == kept


def test_the_catalogs_surviving_facts_win() -> None:
    fact = history.Fact("Rest.", previous="Sleep.", since="2026-11-20")
    other = Entry("Rest.", "Descanso.", flags=("fuzzy",), comments=("stale since 2026-10-01",),
                  previous_msgid="another edit")
    assert history.reconcile(Catalog((), (), (other,)), {fact.key: fact}).entries[0] == other
    older = Entry("Rest.", "Descanso.", flags=("fuzzy",), comments=("stale since 2026-10-01",),
                  previous_msgid="Sleep.")
    newer = history.reconcile(Catalog((), (), (older,)), {fact.key: fact}).entries[0]
    assert newer.comments == ("stale since 2026-11-20",)
    current = Entry("Rest.", "Descanso.")
    assert history.reconcile(Catalog((), (), (current,)), {fact.key: fact}).entries[0] == current
