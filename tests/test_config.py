"""Settings from pyproject.toml: defaults, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.errors import PipelineError

from .conftest import ROOT


def test_the_project_settings() -> None:
    settings = load_settings(ROOT)
    assert settings.languages == ("es", "de", "ar")
    assert settings.all_languages[0] == "en"
    assert settings.segmentation == "sentence"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nlanguages = ["es", "xx-nowhere", "es"]\nsegmentation = "word"\n'
        'base_url = "example.org"\ncolour = "blue"\n', encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        load_settings(tmp_path)
    message = str(caught.value)
    assert "unknown setting 'colour'" in message
    assert "unknown language code 'xx-nowhere'" in message
    assert "a language is listed twice" in message
    assert "segmentation must be one of sentence, block, not 'word'" in message
    assert "base_url must be the site's absolute URL" in message
    assert all(line.startswith(str(tmp_path / "pyproject.toml")) for line in message.splitlines())


def test_no_pyproject(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"no pyproject\.toml here"):
        load_settings(tmp_path)
