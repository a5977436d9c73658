"""Golden files: the English and Spanish pages as people and sites read them.

After an intended change to the output, regenerate them with `nox -s golden` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
FILES = [f"{language}/{name}" for language in ("en", "es")
         for name in ("achilles-tendonitis.html", "achilles-tendonitis.json", "index.html")] \
    + ["index.json", "sitemap.xml"]


@pytest.fixture
def built(built_project: Path) -> Path:
    return built_project / "outputs"


@pytest.mark.parametrize("name", FILES)
def test_output_matches_golden_file(built: Path, name: str) -> None:
    actual = (built / name).read_bytes()
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    assert golden.exists(), f"no golden file {golden}: run `nox -s golden`"
    assert actual == golden.read_bytes(), f"{name} differs from {golden}: review, then " \
                                          "`nox -s golden` if the change is intended"
