"""Translator QA: every check finds its broken catalog at the right line; clean text passes."""

from __future__ import annotations

import doctest
import inspect
import json
import re
from dataclasses import replace
from pathlib import Path
from random import Random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.build import assemble
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.model import Severity
from pipeline.po import pofile
from pipeline.qa import checks, glossary
from pipeline.qa.checks import catalog, content, context, style
from pipeline.source import load as source
from tests.conftest import DATA, run_cli

CHECKS_DATA = DATA / "checks"
CATALOGS = sorted(CHECKS_DATA.glob("*.po"))
# In tests/data/checks/<name>.<language>.po, "# expect: CHECK[, CHECK]" is the first line of an
# entry a check must report at that line; "# expect: CHECK at LINE" reports a line of the file.
EXPECT = re.compile(r"# expect: (?P<names>[a-z, -]+?)(?: at (?P<line>\d+))?")
ES = "locales/es/LC_MESSAGES/achilles-tendonitis.po"


def expected(path: Path) -> set[tuple[str, int]]:
    found = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if match := EXPECT.fullmatch(line):
            for name in match.group("names").split(","):
                found.add((name.strip(), int(match.group("line") or number)))
    return found


def run(path: Path, severities: dict[str, str] | None = None) -> checks.Report:
    language = path.name.split(".")[1]
    context = checks.Context(language, glossary.load(CHECKS_DATA, language))
    return checks.check_files([(path, context)], CHECKS_DATA, severities or {})


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_each_broken_catalog_is_found_at_the_right_line(path: Path) -> None:
    report = run(path)
    assert {(finding.check, finding.line) for finding in report.findings} == expected(path)
    for finding in report.findings:
        assert str(finding).startswith(f"{path.name}:{finding.line}: {finding.severity}: "
                                       f"{finding.check}: ")


def test_every_check_has_a_broken_catalog() -> None:
    covered = {name for path in CATALOGS for name, _ in expected(path)}
    assert covered == set(checks.NAMES)


@pytest.mark.parametrize("name", ["clean.es.po", "clean.ar.po"])
def test_a_clean_catalog_finds_nothing(name: str) -> None:
    assert run(CHECKS_DATA / name).findings == ()


def test_every_check_has_a_docstring_with_a_working_example() -> None:
    for check in checks.CHECKS:
        function = check.entry or check.catalog
        assert function is not None and ">>>" in (inspect.getdoc(function) or ""), check.name
    for module in (content, style, catalog, context, glossary):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_default_severities() -> None:
    errors = {check.name for check in checks.CHECKS if check.severity == Severity.ERROR}
    assert errors == {"syntax", "msgfmt", "links", "emphasis", "broken-markdown", "numbers",
                      "placeholders", "do-not-translate", "raw-html",
                      "invisible-characters"}


def test_severities_can_be_changed_or_turned_off() -> None:
    path = CHECKS_DATA / "numbers.es.po"
    report = run(path, {"numbers": Severity.WARNING})
    assert report.count(Severity.ERROR) == 0 and report.count(Severity.WARNING) == 5
    assert run(path, {"numbers": Severity.OFF}).findings == ()


def test_fuzzy_obsolete_and_untranslated_entries_are_not_checked() -> None:
    catalog = pofile.read(CHECKS_DATA / "clean.es.po")
    checked = {entry.msgid for entry in checks.checked_entries(catalog)}
    assert "Weeks 0 to 10" not in checked and "Gone from the page" not in checked
    assert "Untranslated for now" not in checked and "{count} page" in checked


def test_numbers_accept_the_language_s_own_forms() -> None:
    def problems(english: str, translation: str, language: str) -> list[str]:
        return list(content.numbers(english, translation, checks.Context(language)))

    assert problems("Up to 1,000.5 mg", "Bis zu 1.000,5 mg", "de") == []
    assert problems("Up to 1,000 mg", "Hasta 1000 mg", "es") == []
    # Arabic-Indic 2.5% and Eastern Arabic-Indic (Persian) 2.5, with the Arabic decimal mark
    assert problems("2.5%", "\u0662\u066b\u0665\u066a", "ar") == []
    assert problems("2.5 mg", "\u06f2\u066b\u06f5 mg", "fa") == []
    assert problems("Weeks 0 to 12", "Semanas 0 a 12 (2 veces)", "es") == \
        ["the translation has 2; the English does not"]


def test_settings_table_is_validated_all_at_once(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nlanguages = ["es"]\nbase_url = "https://example.org"\n'
        '[tool.pipeline.checks]\nnumbers = "warning"\nlength = "off"\nspelling = "error"\n'
        'links = "fatal"\nlength_ratio = [3, 1]\n', encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        load_settings(tmp_path)
    message = str(caught.value)
    assert "checks: unknown check 'spelling'; known checks: syntax, msgfmt" in message
    assert "checks.links must be one of error, warning, off, not 'fatal'" in message
    assert "checks.length_ratio must be [shortest, longest]" in message
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nlanguages = ["es"]\nbase_url = "https://example.org"\n'
        '[tool.pipeline.checks]\nnumbers = "warning"\nlength = "off"\n'
        'length_ratio = [0.5, 2]\n', encoding="utf-8")
    settings = load_settings(tmp_path).checks
    assert settings.severities == {"length": "off", "numbers": "warning"}
    assert settings.length_ratio == (0.5, 2.0)


def _retranslate(project: Path, relative: str, changes: dict[str, str]) -> dict[str, int]:
    """Give some entries new translations; return the lines of those entries."""
    path = project / relative
    catalog = pofile.read(path)
    entries = tuple(replace(entry, msgstr=changes.get(entry.msgid, entry.msgstr))
                    for entry in catalog.entries)
    path.write_bytes(pofile.render(replace(catalog, entries=entries)))
    return {entry.msgid: entry.line for entry in pofile.read(path).entries
            if entry.msgid in changes}


def test_the_project_s_own_translations_pass(project: Path) -> None:
    result = run_cli(project, "check")
    assert result.returncode == 0
    assert "check: 0 errors" in result.stdout and "of 6 catalogs" in result.stdout
    report = json.loads(run_cli(project, "check", "--json").stdout)
    assert report["counts"]["error"] == 0 and len(report["catalogs"]) == 6


def test_check_prints_gnu_lines_grouped_by_file_and_exits_1_on_errors(project: Path) -> None:
    lines = _retranslate(project, ES, {"Weeks 0 to 12": "Semanas 0 a 10"})
    _retranslate(project, "locales/de/LC_MESSAGES/achilles-tendonitis.po",
                 {"Symptoms": "<b>Symptome</b>"})
    result = run_cli(project, "check", check=False)
    assert result.returncode == 1
    line = lines["Weeks 0 to 12"]
    assert f"{ES}:{line}: error: numbers: the English has 12; the translation does not" \
        in result.stdout.splitlines()
    files = [row.split(":")[0] for row in result.stdout.splitlines() if row.startswith("locales")]
    runs = [name for index, name in enumerate(files) if index == 0 or files[index - 1] != name]
    assert len(runs) == len(set(runs)) == 2, "grouped by file"
    assert result.stdout.rstrip().splitlines()[-1].startswith("check: 3 errors")
    only = run_cli(project, "check", "--lang", "de", "--page", "achilles-tendonitis",
                   check=False)
    assert ES not in only.stdout and "raw-html" in only.stdout and only.returncode == 1
    report = json.loads(run_cli(project, "check", "--json", "--lang", "es", check=False).stdout)
    assert report["counts"]["error"] == 2
    assert {"path": ES, "line": line, "severity": "error", "check": "numbers",
            "message": "the translation has 10; the English does not",
            "msgid": "Weeks 0 to 12"} in report["findings"]
    unknown = run_cli(project, "check", "--page", "nowhere", check=False)
    assert unknown.returncode == 1 and "no such page: nowhere" in unknown.stderr


def _segments(node: object) -> list[dict[str, object]]:
    if isinstance(node, dict):
        found = [node] if "source" in node and "reason" in node else []
        return found + [item for value in node.values() for item in _segments(value)]
    if isinstance(node, list):
        return [item for value in node for item in _segments(value)]
    return []


def _segment(project: Path, language: str, english: str) -> dict[str, object]:
    document = json.loads((project / f"outputs/{language}/achilles-tendonitis.json")
                          .read_text("utf-8"))
    found = [segment for segment in _segments(document) if segment["source"] == english]
    assert found, english
    return found[0]


def test_the_build_never_publishes_a_translation_that_fails_an_error_check(
        project: Path) -> None:
    _retranslate(project, ES, {"Weeks 0 to 12": "Semanas 0 a 10",
                               "Symptoms": '<script>alert("x")</script>Síntomas',
                               "Improvement is gradual.": "La mejoría es gradual",
                               "Tenderness and sometimes thickening of the tendon":
                                   "Dolor a la  palpación y, a veces, engrosamiento del tendón"})
    run_cli(project, "build")
    weeks = _segment(project, "es", "Weeks 0 to 12")
    assert weeks["state"] == "fallback" and weeks["reason"] == "check:numbers"
    assert weeks["text"] == "Weeks 0 to 12"
    assert _segment(project, "es", "Symptoms")["reason"] == "check:raw-html"
    html = (project / "outputs/es/achilles-tendonitis.html").read_text("utf-8")
    assert 'data-reason="check:numbers">Weeks 0 to 12</span>' in html
    assert "Semanas 0 a 10" not in html and "alert" not in html
    # warnings do not stop a translation
    assert _segment(project, "es", "Improvement is gradual.")["state"] == "translated"
    tenderness = _segment(project, "es", "Tenderness and sometimes thickening of the tendon")
    assert tenderness["state"] == "translated"


def test_a_check_made_a_warning_no_longer_stops_the_translation(project: Path) -> None:
    _retranslate(project, ES, {"Weeks 0 to 12": "Semanas 0 a 10"})
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text("utf-8").replace(
        "[tool.pipeline.checks]\n", '[tool.pipeline.checks]\nnumbers = "warning"\n'),
        encoding="utf-8")
    run_cli(project, "build")
    assert _segment(project, "es", "Weeks 0 to 12")["text"] == "Semanas 0 a 10"
    assert run_cli(project, "check").returncode == 0


def test_a_failing_site_string_falls_back_with_its_plural_forms(project: Path) -> None:
    site_catalog = pofile.read(project / "locales/es/LC_MESSAGES/site.po")
    entries = tuple(replace(entry, msgstr_plural=("{cuenta} página", "{cuenta} páginas"))
                    if entry.msgid_plural else entry for entry in site_catalog.entries)
    site_catalog = replace(site_catalog, entries=entries)
    failed = checks.failing(site_catalog, checks.Context("es"), {})
    assert failed == {"{count} page": "placeholders"}
    settings = load_settings(project)
    page = source.load_pages(settings.source_dir)[0]
    site = source.load_site_strings(settings.source_dir)
    strings = assemble.localize_site(site, site_catalog, "es", "en", settings.policy, failed)
    localized = assemble.localize(page, None, strings, "en", "sentence", settings.policy)
    assert localized.plurals["page_count"] == ("{count} page", "{count} pages")
    assert localized.chrome["written_by"].text == "Escrito por"


# Text made of what the content checks look at: Markdown markers, links, entities, numbers with
# separators and units, native digits, placeholders and HTML.
_PIECES = ("rest", " ", "**", "*", "_", "[", "]", "(", ")", "](", "] (", "/x", "&ast;", "&amp;",
           "<b>", "<", "2", "10", "2.5", "2,5", "1,000", "1.000", "1 000", "\u0663", "\u066b",
           " mg", "%", " ml", "{n}", "%s", ".")
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)
_FAST_PATHS = ("_LINK", "_DIGIT", "_EMPHASIS", "_MARKER")


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT, st.sampled_from(("es", "de", "ar", "fr")))
def test_content_checks_skip_only_what_the_full_check_would_not_report(
        english: str, translation: str, language: str) -> None:
    context_ = checks.Context(language)
    functions = (content.links, content.emphasis, content.broken_markdown, content.numbers)
    fast = [list(function(english, translation, context_)) for function in functions]
    with pytest.MonkeyPatch.context() as patch:
        for name in _FAST_PATHS:  # a pattern that matches every text: no check skips work
            patch.setattr(content, name, re.compile(""))
        assert [list(function(english, translation, context_)) for function in functions] == fast


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(("2", "10", "2.5", "2,5", "1,000", "1.000,5", "1,00", "1.2.3",
                                 "\u0663", "\u0661\u066c\u0660\u0660\u0660", "07", "0.50")),
                max_size=6), st.randoms(), st.sampled_from(("es", "de", "ar", "fr", "en")))
def test_numbers_written_the_same_way_are_the_same_numbers(written: list[str], rng: Random,
                                                           language: str) -> None:
    english = " and ".join(written)
    translation = " y ".join(rng.sample(written, len(written)) + rng.sample(written, 2)
                             if len(written) > 2 else written)
    ours = content._numbers(english, ((".", ","),))
    assume({found for found, _ in ours} == set(content._NUMBER.findall(translation)))
    theirs = content._numbers(translation, content._conventions(language))
    assert list(content._different_numbers(ours, theirs)) == []


def test_a_link_pages_would_not_render_is_no_link_to_the_checks() -> None:
    english, translation = "[Book](/contact).", "[Reserve](//evil.example/contact)."
    es = context.Context("es")
    assert list(content.links(english, translation, es)) == [
        "the English links to /contact; the translation does not"]
    assert list(content.broken_markdown(english, translation, es)) == [
        "a link that does not render (an unbalanced bracket or parenthesis?)"]
    assert list(content.links("[a](http:/x)", "[a](https://x.example)", es)) == [
        "the translation links to https://x.example; the English does not"]


@pytest.mark.parametrize(("translation", "messages"), [
    ("{tagline}", ["{title} is missing"]),
    ("{title}{title}: {tagline} {unknown}", ["{title} is not in the English",
                                            "{unknown} is not in the English"]),
    ('[Ver](/a "{title}") {tagline}', []),  # kept, and filled as text (test_render)
])
def test_a_site_string_that_drops_or_adds_a_placeholder_fails_its_check(
        translation: str, messages: list[str]) -> None:
    assert list(content.placeholders("{title}: {tagline}", translation,
                                     context.Context("es"))) == messages
