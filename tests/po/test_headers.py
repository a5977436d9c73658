"""Catalog headers every tool accepts: the real `msgfmt -c` warns about no catalog the pipeline
writes or commits, the placeholders `pybabel` leaves are repaired by update, no date changes
from one run to the next, and compiled catalogs stay out of git."""

from __future__ import annotations

import doctest
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.po import headers
from tests.conftest import ROOT, run_cli, snapshot

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
PYBABEL = Path(sys.executable).parent / "pybabel"
SITE = "locales/es/LC_MESSAGES/site.po"


def msgfmt_check(path: Path) -> str:
    """What `msgfmt -c` prints about a catalog (warnings and errors); it must compile."""
    result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stderr


def catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))


def test_msgfmt_warns_about_no_committed_catalog() -> None:
    found = catalogs(ROOT)
    assert len(found) == 6
    assert {path: msgfmt_check(path) for path in found} == dict.fromkeys(found, "")


def test_new_catalogs_have_every_field_msgfmt_wants_and_no_date_of_the_run(
        project: Path) -> None:
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text("utf-8").replace(
        'languages = ["es", "de", "ar"]', 'languages = ["es", "de", "ar", "fr"]'), "utf-8")
    env = dict(os.environ)
    try:
        os.environ["SOURCE_DATE_EPOCH"] = "1000000000"  # 2001
        run_cli(project, "update")
        first = snapshot(project / "locales")
        for path in (project / "locales/fr/LC_MESSAGES").glob("*.po"):
            path.unlink()
        os.environ["SOURCE_DATE_EPOCH"] = "2000000000"  # 2033
        run_cli(project, "update")
    finally:
        os.environ.clear()
        os.environ.update(env)
    assert snapshot(project / "locales") == first
    new = (project / "locales/fr/LC_MESSAGES/site.po").read_text("utf-8")
    assert f'"PO-Revision-Date: {headers.NO_REVISION_DATE}\\n"' in new
    assert f'"Last-Translator: {headers.NO_TRANSLATOR}\\n"' in new
    assert '"Language-Team: French\\n"' in new
    assert {path: msgfmt_check(path) for path in catalogs(project)} == \
        dict.fromkeys(catalogs(project), "")


def test_a_translators_values_are_kept(project: Path) -> None:
    path = project / SITE
    text = re.sub(r'"Last-Translator: .*\n"Language-Team: Spanish\\n"',
                  lambda _: '"Last-Translator: María <maria@example.org>\\n"\n'
                            '"Language-Team: Equipo <es@example.org>\\n"', path.read_text("utf-8"))
    assert "María" in text
    path.write_text(text, "utf-8")
    run_cli(project, "update")
    kept = path.read_text("utf-8")
    assert '"PO-Revision-Date: 2026-11-25 09:45+0000\\n"' in kept
    assert '"Last-Translator: María <maria@example.org>\\n"' in kept
    assert '"Language-Team: Equipo <es@example.org>\\n"' in kept
    assert msgfmt_check(path) == ""


def _placeholders(text: str) -> list[str]:
    return [line for line in text.splitlines()
            if any(mark in line for mark in headers.PLACEHOLDERS)]


def test_update_repairs_what_pybabel_update_leaves(project: Path) -> None:
    catalog = project / SITE  # as it was before update wrote Last-Translator
    catalog.write_text(re.sub(r'"Last-Translator: .*\n', "", catalog.read_text("utf-8")), "utf-8")
    subprocess.run([str(PYBABEL), "update", "-i", "locales/templates/site.pot", "-d", "locales",
                    "-D", "site", "-l", "es"], cwd=project, check=True, capture_output=True)
    babel = (project / SITE).read_text("utf-8")
    assert _placeholders(babel) == ['"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"',
                                    '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"']
    assert "still has the initial default value" in msgfmt_check(project / SITE)
    run_cli(project, "update")
    repaired = (project / SITE).read_text("utf-8")
    assert _placeholders(repaired) == []
    assert f'"Last-Translator: {headers.NO_TRANSLATOR}\\n"' in repaired
    assert '"PO-Revision-Date: 2026-11-25 09:45+0000\\n"' in repaired  # Babel kept it: so do we
    assert msgfmt_check(project / SITE) == ""


def test_update_repairs_a_catalog_made_by_pybabel_init(project: Path) -> None:
    target = project / "locales/es/LC_MESSAGES/site.po"
    target.unlink()
    subprocess.run([str(PYBABEL), "init", "-i", "locales/templates/site.pot", "-d", "locales",
                    "-D", "site", "-l", "es"], cwd=project, check=True, capture_output=True)
    made = target.read_text("utf-8")
    assert _placeholders(made) == ['"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"',
                                   '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"',
                                   '"Language-Team: es <LL@li.org>\\n"']
    run_cli(project, "update")
    repaired = target.read_text("utf-8")
    assert _placeholders(repaired) == []
    assert re.search(r'"PO-Revision-Date: \d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}\\n"', repaired)
    assert '"Language-Team: Spanish\\n"' in repaired
    assert msgfmt_check(target) == ""


def test_merge_writes_a_catalog_msgfmt_accepts(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.po"
    run_cli(project, "merge", SITE, "locales/templates/site.pot", "-o", str(out))
    assert msgfmt_check(out) == ""


def test_compiled_catalogs_are_ignored_by_git(tmp_path: Path) -> None:
    result = subprocess.run(["git", "check-ignore", "--no-index", "locales/es/LC_MESSAGES/site.mo",
                             "locales/templates/messages.mo"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.stdout.split() == ["locales/es/LC_MESSAGES/site.mo",
                                     "locales/templates/messages.mo"]


def test_the_examples_in_the_docstrings() -> None:
    assert doctest.testmod(headers).failed == 0


def test_a_catalog_without_a_known_revision_date_gives_its_page_no_updated_date(
        project: Path) -> None:
    catalog = project / "locales/es/LC_MESSAGES/achilles-tendonitis.po"
    text = catalog.read_text("utf-8")
    assert '"PO-Revision-Date: 2026-11-25 09:45+0000\\n"' in text
    catalog.write_text(text.replace("2026-11-25 09:45+0000", headers.NO_REVISION_DATE), "utf-8")
    run_cli(project, "build")
    page = json.loads((project / "outputs/es/achilles-tendonitis.json").read_text("utf-8"))
    assert page["updated"] is None
    assert "1970" not in (project / "outputs/es/achilles-tendonitis.html").read_text("utf-8")
    other = json.loads((project / "outputs/de/achilles-tendonitis.json").read_text("utf-8"))
    assert other["updated"] == "2026-11-25"
