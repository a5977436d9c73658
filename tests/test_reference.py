"""The English build holds every block of text of the reference page, in order."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DATA, run_cli
from tests.htmltext import Document


def reference_lines() -> list[str]:
    lines = (DATA / "reference_page.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_english_page_holds_the_reference_text_in_order(project: Path) -> None:
    run_cli(project, "build")
    html = (project / "outputs/en/achilles-tendonitis.html").read_text(encoding="utf-8")
    text = Document(html).text
    position = 0
    for line in reference_lines():
        found = text.find(line, position)
        assert found >= 0, f"missing or out of order: {line!r}"
        position = found + len(line)
    assert len(reference_lines()) == 51
