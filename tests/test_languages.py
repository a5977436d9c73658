"""Plural rules owned by the project: GNU gettext's, from a pinned table, kept by catalogs."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import languages
from pipeline.config import load_settings
from pipeline.languages import PluralForms, parse_plural_forms, plural_forms
from pipeline.model import Template, Unit
from pipeline.po.catalogs import merge
from pipeline.po.model import Catalog
from pipeline.po.pofile import render
from pipeline.po.states import PLURAL_NOTE
from tests.conftest import ROOT, run_cli
from tools.plural_table import TABLE, table_text

TODAY = "2026-12-04"
# Languages a clinic is likely to add, beyond the configured ones: GNU's rule for each is ours...
LIKELY = ("fr", "pt-BR", "it", "ru", "uk", "pl", "cs", "ro", "tr", "he", "ja", "zh-CN", "ko",
          "vi", "lt", "sl", "sv")
# ...but for these, where msginit's own table predates CLDR's (pt, ga) or msginit derives an odd
# rule from CLDR (hi, bn, fa: form 1 for n = 0 and 1), and the table follows translate-toolkit, as
# Weblate does (docs/translating.md); a team that wants msginit's rule puts it in its header.
DIFFERENT = ("pt", "ga", "hi", "bn", "fa")
CLDR = Path("/usr/share/unicode/cldr")


def test_the_committed_table_is_translate_toolkits() -> None:
    assert TABLE.read_text(encoding="utf-8") == table_text(), \
        "pipeline/data/plural-forms.json differs from the locked translate-toolkit's: " \
        "run `nox -s plural-table` and review the diff"


def test_the_issues_rules_are_the_project_rules() -> None:
    assert plural_forms("es") == PluralForms(2, "(n != 1)")
    assert plural_forms("ar") == PluralForms(
        6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)")
    assert plural_forms("ja") == PluralForms(1, "0")
    assert plural_forms("xx") is None


def _gnu_rule(language: str, folder: Path) -> PluralForms:
    """The Plural-Forms that GNU msginit writes for a language (its own table, else CLDR's)."""
    template = folder / "empty.pot"
    template.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n',
                        encoding="utf-8")
    env = {**os.environ, "GETTEXTCLDRDIR": str(CLDR)}
    result = subprocess.run(["msginit", "--no-translator", "-l", language.replace("-", "_"),
                             "-i", str(template), "-o", "-"], capture_output=True, text=True,
                            env=env, check=True)
    header = "".join(line.strip().strip('"') for line in result.stdout.splitlines()
                     if line.startswith('"'))
    value = next(field.partition(": ")[2] for field in header.split("\\n")
                 if field.startswith("Plural-Forms:"))
    rule = parse_plural_forms(value)
    assert rule is not None, value
    return rule


@pytest.mark.skipif(not (CLDR / "common/supplemental/plurals.xml").exists(),
                    reason="needs Debian's unicode-cldr-core for msginit (.ci/run installs it)")
@pytest.mark.parametrize("language", [*load_settings(ROOT).languages, *LIKELY, *DIFFERENT])
def test_each_rule_agrees_with_gnu_msginit_from_0_to_1000(language: str, tmp_path: Path) -> None:
    ours = plural_forms(language)
    gnu = _gnu_rule(language, tmp_path)
    assert ours is not None
    agrees = ours.count == gnu.count and \
        [ours.form(n) for n in range(1001)] == [gnu.form(n) for n in range(1001)]
    assert agrees == (language not in DIFFERENT)


@pytest.mark.parametrize("value", [
    "nplurals=2; plural=(n != 1)",  # no final semicolon: still GNU's grammar
    "nplurals=1; plural=0;",
    "nplurals = 3 ; plural = n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2 ;",
])
def test_valid_rules_parse(value: str) -> None:
    assert parse_plural_forms(value) is not None


@pytest.mark.parametrize("value", [
    "", "nplurals=INTEGER; plural=EXPRESSION;", "nplurals=2; plural=(n != 1) ? 2 : 0;",
    "nplurals=0; plural=0;", "nplurals=2; plural=__import__('os');", "nplurals=2;",
    "nplurals=2; plural=(n / 0);", "plural=(n != 1); nplurals=2;",
])
def test_invalid_rules_are_refused(value: str) -> None:
    assert parse_plural_forms(value) is None


PLURAL = Template("site", (Unit("{count} page", ("site.yaml:count",), (), "{count} pages"),))


def _catalog(rule: str, forms: tuple[str, ...]) -> Catalog:
    first, _ = merge(PLURAL, None, "es", ("Spanish.",), TODAY)
    header = tuple((key, rule if key == "Plural-Forms" else value) for key, value in first.header)
    entry = replace(first.entries[0], msgstr_plural=forms)
    return replace(first, header=header, entries=(entry,))


def test_a_teams_valid_rule_is_kept_and_an_invalid_one_replaced() -> None:
    team = "nplurals=3; plural=(n==1 ? 0 : n==0 ? 1 : 2);"
    kept, _ = merge(PLURAL, _catalog(team, ("a", "b", "c")), "es", ("Spanish.",), TODAY)
    assert kept.header_value("Plural-Forms") == team
    assert kept.entries[0].msgstr_plural == ("a", "b", "c") and not kept.entries[0].fuzzy
    fixed, _ = merge(PLURAL, _catalog("nplurals=INTEGER; plural=EXPRESSION;", ("a", "b")), "es",
                     ("Spanish.",), TODAY)
    assert fixed.header_value("Plural-Forms") == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("forms", [("una", "dos", "tres"), ("una",)])
def test_a_changed_count_drops_no_form_and_asks_for_review(forms: tuple[str, ...]) -> None:
    old = _catalog("nplurals=2; plural=(n != 1);", forms)
    old = replace(old, header=tuple((k, v) for k, v in old.header if k != "Plural-Forms"))
    merged, counts = merge(PLURAL, old, "es", ("Spanish.",), TODAY)
    entry = merged.entries[0]
    assert entry.msgstr_plural[:len(forms)] == forms and len(entry.msgstr_plural) >= 2
    assert counts.replural == 1
    assert entry.fuzzy if len(forms) > 2 else not entry.translated  # never published as it is
    assert any(note.startswith(PLURAL_NOTE) for note in entry.comments)
    again, counts = merge(PLURAL, merged, "es", ("Spanish.",), TODAY)
    assert again == merged and counts.replural == 1  # a second update changes no byte


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
def test_msgfmt_accepts_a_refitted_catalog(tmp_path: Path) -> None:
    old = _catalog("nplurals=2; plural=(n != 1);", ("una", "dos", "tres"))
    merged, _ = merge(PLURAL, old, "es", ("Spanish.",), TODAY)
    path = tmp_path / "site.po"
    path.write_bytes(render(merged))
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], check=True)


def test_update_keeps_a_third_form_under_a_two_form_rule_and_says_so(project: Path) -> None:
    site = project / "locales/de/LC_MESSAGES/site.po"
    text = site.read_text(encoding="utf-8")
    assert 'msgstr[1] "{count} Seiten"\n' in text
    site.write_text(text.replace('msgstr[1] "{count} Seiten"\n',
                                 'msgstr[1] "{count} Seiten"\nmsgstr[2] "{count} Seitchen"\n'),
                    encoding="utf-8")
    report = run_cli(project, "update")
    assert "de/site: 1 plural entries keep all their forms" in " ".join(report.stdout.split())
    updated = site.read_text(encoding="utf-8")
    assert 'msgstr[2] "{count} Seitchen"' in updated
    assert f"#. {PLURAL_NOTE}3 translated, the rule has 2" in updated
    block = updated[updated.index("#, fuzzy, python-brace-format"):]
    assert block.index('msgid "{count} page"') < 80
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(site)], check=True)
    assert run_cli(project, "update", "--check").returncode == 0  # and it stays so


@pytest.mark.parametrize(("tag", "expected"), [
    ("es", "es"), ("es-ES", "es"), ("es_ES", "es"), ("ES-es", "es"), ("es-MX", "es-MX"),
    ("es_mx", "es-MX"), ("de-AT", "de"), ("fr-FR", None), ("", None), ("zz-top", None),
    ("es./../x", None), ("de@x", None),
])
def test_tags_from_files_map_to_configured_languages(tag: str, expected: str | None) -> None:
    assert languages.match(tag, ["es", "es-MX", "de", "ar"]) == expected


@pytest.mark.parametrize(("tag", "bcp47", "posix", "primary"), [
    ("pt-BR", "pt-BR", "pt_BR", "pt"), ("pt_br", "pt-BR", "pt_BR", "pt"),
    ("zh-Hant-TW", "zh-Hant-TW", "zh_Hant_TW", "zh"), ("AR", "ar", "ar", "ar"),
    ("en-XA", "en-XA", "en_XA", "en"),
])
def test_one_parser_gives_every_spelling(tag: str, bcp47: str, posix: str, primary: str) -> None:
    assert (languages.bcp47(tag), languages.posix(tag), languages.primary(tag)) == \
        (bcp47, posix, primary)


def test_a_configured_language_covers_its_regions_and_a_region_only_itself() -> None:
    assert languages.covers("es", "es_MX") and languages.covers("es", "ES")
    assert languages.covers("pt-BR", "pt_br") and not languages.covers("pt-BR", "pt")
    assert not languages.covers("pt-BR", "pt-PT") and not languages.covers("es", "not a tag")
    assert languages.same_language("en", "en-GB") and not languages.same_language("en", "es")


@pytest.mark.parametrize(("tag", "canonical"), [
    ("es", "es"), ("pt_br", "pt-BR"), ("iw", "he"), ("es./../x", None), ("de@x", None),
    ("", None), ("419", None),
])
def test_canonical_tags(tag: str, canonical: str | None) -> None:
    assert languages.canonical(tag) == canonical


def test_babel_reads_a_tag_with_a_region_or_a_script() -> None:
    assert str(languages.locale("pt-BR")) == "pt_BR"
    assert str(languages.locale("zh-Hant-TW")) == "zh_Hant_TW"
    assert languages.language_name("pt-BR") == "Portuguese (Brazil)"


def test_bare_codes_parse_without_langcodes_as_langcodes_parses_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    spellings = [spelling for code in languages.known_languages()
                 for spelling in (code, code.upper(), f" {code.title()}\n")]
    quick = [languages.parse(spelling) for spelling in spellings]
    languages.parse.cache_clear()
    monkeypatch.setattr(languages, "_bare_codes", frozenset)  # every tag through langcodes
    plain = [languages.parse(spelling) for spelling in spellings]
    languages.parse.cache_clear()
    assert [pair for pair in zip(spellings, quick, plain, strict=True) if pair[1] != pair[2]] == []
    assert sum(found is not None for found in quick) > 300
