"""The project's own catalogs: canonical, valid for msgfmt, read by Babel, complete as promised."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pipeline import extracting, flow
from pipeline.config import load_settings
from tests.conftest import ROOT

CATALOGS = sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").rglob("*.pot"))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalog_is_canonical_and_valid(path: Path) -> None:
    canonical = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
    assert canonical == path.read_bytes(), "msgcat would change this catalog"
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with path.open("rb") as stream:
        read_po(stream)


def test_catalogs_are_up_to_date_and_as_complete_as_promised() -> None:
    settings = load_settings(ROOT)
    rows = {(row.language, row.domain): row for row in flow.status(settings)}
    for language in ("es", "de"):
        for domain in ("site", "achilles-tendonitis"):
            assert rows[language, domain].share() == 1.0, (language, domain)
    arabic = rows["ar", "achilles-tendonitis"]
    assert 0.8 < arabic.share() < 1.0
    assert rows["ar", "site"].share() == 1.0
    templates = extracting.templates(settings)
    for template in templates:
        pot = (ROOT / "locales/templates" / f"{template.domain}.pot").read_text("utf-8")
        for unit in template.units:
            assert unit.msgid.split(" ")[0] in pot


def test_committed_catalogs_are_what_update_would_write() -> None:
    stale = [item.path for item in flow.update(load_settings(ROOT), write=False) if item.changed]
    assert not stale, f"run `nox -s update` and commit: {stale}"
