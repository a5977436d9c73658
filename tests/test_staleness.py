"""Staleness through the CLI: states, change classes, review, since-when and publication policy.

Catalogs are edited with polib at a width of 76, the way a translator's tool rewrites a file.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.model import SECTION_KINDS
from tests.conftest import environment, run_cli
from tests.htmltext import Document

PAGE = "source/pages/achilles-tendonitis.yaml"
ES = "locales/es/LC_MESSAGES/achilles-tendonitis.po"
NOV_20 = "1795132800"  # 2026-11-20 UTC
DEC_01 = "1796083200"  # 2026-12-01 UTC


def run_at(root: Path, epoch: str, *args: str,
           check: bool = True) -> subprocess.CompletedProcess[str]:
    """The CLI run on the day `epoch` (SOURCE_DATE_EPOCH)."""
    return run_cli(root, *args, check=check, env=environment(SOURCE_DATE_EPOCH=epoch))


def edit(project: Path, old: str, new: str) -> None:
    path = project / PAGE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def policy(project: Path, **settings: object) -> None:
    path = project / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    for key, value in settings.items():
        rendered = json.dumps(value)
        lines = [line for line in text.splitlines() if not line.startswith(f"{key} =")]
        index = lines.index("[tool.pipeline.publish]") + 1
        lines.insert(index, f"{key} = {rendered}")
        text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


def translator(project: Path, relative: str = ES) -> polib.POFile:
    return polib.pofile(str(project / relative), wrapwidth=76)


def entry(project: Path, msgid: str, relative: str = ES) -> polib.POEntry:
    found = translator(project, relative).find(msgid)
    assert found is not None, msgid
    return found


def segments(project: Path, language: str = "es") -> dict[str, dict[str, object]]:
    document = json.loads((project / f"outputs/{language}/achilles-tendonitis.json")
                          .read_text("utf-8"))
    found: dict[str, dict[str, object]] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "segments" in node and "state" in node:
                for segment in node["segments"]:
                    found[segment["source"]] = segment
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return found


def test_cosmetic_edit_keeps_the_translation_current_and_says_so(project: Path) -> None:
    edit(project, "Every patient's case is different", "Every patient\u2019s case is different")
    run_at(project, NOV_20, "update")
    changed = entry(project, "Every patient\u2019s case is different, [book a consultation]"
                             "(/contact) to discuss yours.")
    assert "fuzzy" not in changed.flags and changed.msgstr.startswith("Cada caso")
    assert "cosmetic English edit carried over on 2026-11-20" in changed.comment
    run_cli(project, "build")
    assert segments(project)[changed.msgid]["state"] == "translated"


def test_substantive_edit_is_stale_since_the_update_that_saw_it(project: Path) -> None:
    edit(project, "Improvement is gradual.", "Improvement is slow but steady.")
    run_at(project, NOV_20, "update")
    stale = entry(project, "Improvement is slow but steady.")
    assert "fuzzy" in stale.flags and stale.previous_msgid == "Improvement is gradual."
    assert "stale since 2026-11-20" in stale.comment
    run_at(project, DEC_01, "update")
    assert "stale since 2026-11-20" in entry(project, stale.msgid).comment, "first seen, kept"

    run_cli(project, "build")
    shown = segments(project)["Improvement is slow but steady."]
    assert shown == {**shown, "state": "fallback", "reason": "stale", "change": "substantive",
                     "since": "2026-11-20", "text": "Improvement is slow but steady."}
    page = Document((project / "outputs/es/achilles-tendonitis.html").read_text("utf-8"))
    assert "Improvement is slow but steady." in [text for _, text in
                                                 page.find_all("span", lang="en")]

    policy(project, stale="marked")
    run_cli(project, "build")
    shown = segments(project)["Improvement is slow but steady."]
    assert shown["state"] == "stale" and shown["text"] == "La mejoría es gradual."
    page = Document((project / "outputs/es/achilles-tendonitis.html").read_text("utf-8"))
    assert page.find_all("span", **{"class": "stale", "data-stale-since": "2026-11-20"})
    assert page.find_all("p", **{"class": "notice stale-notice"})


def test_critical_edit_is_never_published_in_its_old_translation(project: Path) -> None:
    policy(project, stale="marked")
    edit(project, "title: Weeks 0 to 12", "title: Weeks 0 to 10")
    run_at(project, NOV_20, "update")
    stale = entry(project, "Weeks 0 to 10")
    assert "stale since 2026-11-20: critical change (removed 12; added 10)" in stale.comment
    run_cli(project, "build")
    shown = segments(project)["Weeks 0 to 10"]
    assert (shown["state"], shown["change"], shown["text"]) == ("fallback", "critical",
                                                                "Weeks 0 to 10")
    report = json.loads(run_cli(project, "status", "--json", "--lang", "es").stdout)
    page = next(row for row in report["catalogs"] if row["domain"] == "achilles-tendonitis")
    assert page["entries"]["critical"] == 1 and page["entries"]["stale"] == 1
    detail = next(item for item in page["details"] if item["msgid"] == "Weeks 0 to 10")
    assert detail == {**detail, "state": "stale", "change": "critical", "since": "2026-11-20",
                      "previous": "Weeks 0 to 12"}
    diff = run_cli(project, "status", "--diff", "--lang", "es").stdout
    assert "stale, since 2026-11-20 critical" in diff
    assert "Weeks 0 to [-12-] {+10+}" in diff


def test_a_translator_fixing_a_stale_entry_in_their_tool_makes_it_current(project: Path) -> None:
    edit(project, "Improvement is gradual.", "Improvement is slow but steady.")
    run_at(project, NOV_20, "update")
    catalog = translator(project)
    fixed = catalog.find("Improvement is slow but steady.")
    fixed.msgstr = "La mejoría es lenta pero constante."
    fixed.flags.remove("fuzzy")
    fixed.previous_msgid = None
    catalog.save()
    status = json.loads(run_cli(project, "status", "--json", "--lang", "es").stdout)
    page = next(row for row in status["catalogs"] if row["domain"] == "achilles-tendonitis")
    assert page["entries"]["stale"] == 0 and page["share_current"] == 1.0
    run_at(project, DEC_01, "update")
    again = entry(project, "Improvement is slow but steady.")
    assert "stale since" not in again.comment
    assert subprocess.run(["msgcat", str(project / ES)], capture_output=True,
                          check=True).stdout == (project / ES).read_bytes()


def test_suggested_and_untranslated_states(project: Path) -> None:
    catalog = translator(project)
    catalog.find("Improvement is gradual.").flags.append("fuzzy")  # Poedit: "Needs work"
    catalog.find("Symptoms").msgstr = ""
    catalog.save()
    report = json.loads(run_cli(project, "status", "--json", "--lang", "es").stdout)
    page = next(row for row in report["catalogs"] if row["domain"] == "achilles-tendonitis")
    assert page["entries"]["suggested"] == 1 and page["entries"]["untranslated"] == 1
    run_cli(project, "build")
    assert segments(project)["Improvement is gradual."]["reason"] == "suggested"
    assert segments(project)["Symptoms"]["reason"] == "untranslated"


def test_review_is_counted_required_and_outdated_by_a_change(project: Path) -> None:
    catalog = translator(project)
    for reviewed in ("Weeks 0 to 12", "Symptoms"):
        catalog.find(reviewed).tcomment = "reviewed: Dr. García, 2026-11-21"
    catalog.save()
    report = json.loads(run_cli(project, "status", "--json", "--lang", "es").stdout)
    page = next(row for row in report["catalogs"] if row["domain"] == "achilles-tendonitis")
    assert page["entries"]["reviewed"] == 2

    policy(project, require_review=True)
    run_cli(project, "build")
    assert not (project / "outputs/es/achilles-tendonitis.html").exists()
    manifest = json.loads((project / "outputs/index.json").read_text("utf-8"))
    spanish = manifest["pages"][0]["languages"]["es"]
    assert spanish["published"] is False and spanish["url"] is None
    assert "at least 80% must be" in spanish["reasons"][0]

    edit(project, "title: Weeks 0 to 12", "title: Weeks 0 to 10")
    run_at(project, NOV_20, "update")
    assert entry(project, "Weeks 0 to 10").tcomment == \
        "outdated review: reviewed: Dr. García, 2026-11-21"


def _catch_up(project: Path, english: str, *languages: str) -> None:
    """The translators of `languages` make the entry of `english` current."""
    for language in languages:
        catalog = translator(project, f"locales/{language}/LC_MESSAGES/achilles-tendonitis.po")
        caught_up = catalog.find(english)
        caught_up.flags.remove("fuzzy")
        caught_up.previous_msgid = None
        catalog.save()


def test_new_or_reworded_content_in_a_required_section_keeps_the_page_published(
        project: Path) -> None:
    run_cli(project, "build")
    edit(project, "Load and training-volume management", "Load and training-volume planning")
    edit(project, "          - PRP as an option for tendons that are not healing\n",
         "          - PRP as an option for tendons that are not healing\n"
         "          - A night splint for some patients\n")
    run_at(project, NOV_20, "update")
    result = run_cli(project, "build", "--strict")
    assert "withheld" not in result.stderr and "withdrawn" not in result.stderr
    assert (project / "outputs/es/achilles-tendonitis.html").exists()
    reasons = segments(project)
    assert reasons["Load and training-volume planning"]["reason"] == "stale"
    assert reasons["A night splint for some patients"]["reason"] == "untranslated"
    html = (project / "outputs/es/achilles-tendonitis.html").read_text("utf-8")
    assert ('<span lang="en" dir="ltr" class="fallback" data-reason="untranslated">A night '
            'splint for some patients</span>') in html


def test_the_all_or_nothing_rule_withholds_for_anything_not_current(project: Path) -> None:
    policy(project, required_sections_rule="current")
    edit(project, "Load and training-volume management", "Load and training-volume planning")
    run_at(project, NOV_20, "update")
    _catch_up(project, "Load and training-volume planning", "de", "ar")
    result = run_cli(project, "build")
    assert result.stderr.splitlines() == [
        "es/achilles-tendonitis: withheld: the treatment section 'treatment' must be wholly "
        "current and is not (required_sections_rule = 'current')"]
    assert not (project / "outputs/es/achilles-tendonitis.html").exists()
    manifest = json.loads((project / "outputs/index.json").read_text("utf-8"))
    reasons = manifest["pages"][0]["languages"]["es"]["reasons"]
    assert reasons == ["the treatment section 'treatment' must be wholly current and is not "
                       "(required_sections_rule = 'current')"]
    english = Document((project / "outputs/en/achilles-tendonitis.html").read_text("utf-8"))
    hreflangs = {attrs["hreflang"] for attrs, _ in english.find_all("link", rel="alternate")}
    assert hreflangs == {"en", "de", "ar", "x-default"}
    assert "Español" not in [text for _, text in english.find_all("a")]
    document = json.loads((project / "outputs/en/achilles-tendonitis.json").read_text("utf-8"))
    es = next(item for item in document["translations"] if item["language"] == "es")
    assert es["published"] is False and es["reasons"] == reasons


def test_a_critical_change_in_a_required_section_withdraws_the_page_loudly(
        project: Path) -> None:
    run_cli(project, "build")
    assert (project / "outputs/es/achilles-tendonitis.html").exists()
    edit(project, "PRP as an option for tendons that are not healing",
         "PRP as an option for tendons that are healing")
    run_at(project, NOV_20, "update")
    _catch_up(project, "PRP as an option for tendons that are healing", "de")
    reason = ("the treatment section 'treatment' holds a critical stale entry (a number, dose, "
              "duration or negation changed in the English since it was translated): "
              "'PRP as an option for tendons that are healing'")
    result = run_cli(project, "build", "--strict", check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"es/achilles-tendonitis: withdrawn (published before; its files removed): {reason}",
        f"ar/achilles-tendonitis: withdrawn (published before; its files removed): {reason}"]
    assert "2 page versions withheld (2 withdrawn)" in result.stdout
    assert not (project / "outputs/es/achilles-tendonitis.html").exists()
    assert (project / "outputs/de/achilles-tendonitis.html").exists()
    again = run_cli(project, "build", "--strict", check=False)  # nothing to do: still loud
    assert again.returncode == 1
    assert again.stderr.splitlines() == [f"es/achilles-tendonitis: withheld: {reason}",
                                         f"ar/achilles-tendonitis: withheld: {reason}"]
    manifest = json.loads((project / "outputs/index.json").read_text("utf-8"))
    assert manifest["pages"][0]["languages"]["es"]["reasons"] == [reason]
    assert run_cli(project, "build").returncode == 0  # without --strict

    report = json.loads(run_cli(project, "status", "--json").stdout)
    pages = {row["language"]: row for row in report["catalogs"]
             if row["domain"] == "achilles-tendonitis"}
    assert {language: (row["published"], row["reasons"]) for language, row in pages.items()} \
        == {"es": (False, [reason]), "de": (True, []), "ar": (False, [reason])}
    table = run_cli(project, "status").stdout
    assert f"es/achilles-tendonitis: withheld: {reason}" in " ".join(table.split())
    assert re.search(r"^es/achilles-tendonitis .* withheld", table, re.MULTILINE)
    assert re.search(r"^de/achilles-tendonitis .* yes", table, re.MULTILINE)


def test_required_sections_are_kinds_the_schema_knows(project: Path) -> None:
    policy(project, required_sections=["treatment", "non-surgical-treatment"],
           required_sections_rule="strict")
    result = run_cli(project, "build", check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "pyproject.toml: [tool.pipeline] publish.required_sections: 'non-surgical-treatment' is "
        "not a section kind; use one of " + ", ".join(SECTION_KINDS),
        "pyproject.toml: [tool.pipeline] publish.required_sections_rule must be one of "
        "critical, current, not 'strict'"]


def test_a_section_cannot_escape_the_policy_by_its_id(project: Path) -> None:
    edit(project, "  - id: treatment\n", "  - id: conservative-care\n    kind: treatment\n")
    edit(project, "PRP as an option for tendons that are not healing",
         "PRP as an option for tendons that are healing")
    run_at(project, NOV_20, "update")
    result = run_cli(project, "build")
    assert "es/achilles-tendonitis: withheld: the treatment section 'conservative-care' holds " \
        "a critical stale entry" in result.stderr


@pytest.mark.parametrize(("percent", "code"), [("85", 0), ("95", 1)])
def test_fail_under(project: Path, percent: str, code: int) -> None:
    result = run_cli(project, "status", "--fail-under", percent, check=False)
    assert result.returncode == code
    if code:
        assert "locales/ar/LC_MESSAGES/achilles-tendonitis.po: 90.2% of the words are current" \
            in result.stderr


def test_a_memory_note_leaves_once_a_translator_took_the_suggestion() -> None:
    from pipeline.model import Template, Unit
    from pipeline.po.catalogs import merge
    from pipeline.po.model import Catalog, Entry
    from pipeline.po.states import MEMORY_NOTE

    unit = Unit("Rest for two weeks.", ("p.yaml:a.s1",), ("Paragraph 1",))
    note = f"{MEMORY_NOTE}94% from other-page: Rest for three weeks."
    suggested = Entry(unit.msgid, "Descanse tres semanas.", locations=unit.locations,
                      comments=(*unit.comments, note), flags=("fuzzy",))
    old = Catalog((), (("Language", "es"),), (suggested,))
    kept, _ = merge(Template("p", (unit,)), old, "es", ("Spanish.",), "2026-12-04")
    assert note in kept.entries[0].comments  # still a suggestion: it says where it came from
    accepted = Catalog((), old.header, (suggested.with_flag("fuzzy", False),))
    merged, _ = merge(Template("p", (unit,)), accepted, "es", ("Spanish.",), "2026-12-04")
    assert not [c for c in merged.entries[0].comments if c.startswith(MEMORY_NOTE)]
