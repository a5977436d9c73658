"""Source pages and site strings: the project's own load; every bad input gives path:line:col."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline import yamlread
from pipeline.errors import PipelineError
from pipeline.model import Bullets, Steps, texts
from pipeline.source import load_page, load_pages, load_site_strings

from .conftest import DATA, ROOT, run_cli, snapshot

PAGE = ROOT / "source/pages/achilles-tendonitis.yaml"


def test_the_reference_page_loads_with_its_structure() -> None:
    page = load_page(PAGE)
    assert page.slug == "achilles-tendonitis"
    assert [section.id for section in page.sections] == [
        "symptoms", "diagnosis", "approach", "treatment", "surgery", "recovery",
        "misunderstandings"]
    steps = page.sections[5].blocks[1]
    assert isinstance(steps, Steps)
    assert [step.title.value for step in steps.steps] == [
        "Weeks 0 to 12", "Months 3 to 6", "After surgery (rare)"]
    leads = page.sections[6].blocks[1]
    assert isinstance(leads, Bullets)
    assert leads.items[0].lead is not None
    assert leads.items[0].lead.value == "Rest alone usually is not enough."
    assert page.faq.items[0].question.value == "Why does rest not fix my Achilles pain?"
    assert (page.reviewed.year, page.reviewed.month, page.reviewed.day) == (2026, 5, None)
    assert all(text.line > 0 for text in texts(page))


def test_site_strings_load() -> None:
    site = load_site_strings(ROOT / "source")
    keys = {string.key for string in site.strings}
    assert {"skip_to_content", "written_by", "last_reviewed", "not_translated_notice",
            "page_count"} <= keys


@pytest.mark.parametrize(("case", "expected"), [
    ("unknown-field", [":7:1: page: unknown field 'subtitle'; allowed: slug, category"]),
    ("missing-field", [":3:1: page: missing field 'title'"]),
    ("wrong-type", [":5:8: title must be text, not a number; quote it",
                    ":82:20: sections[5].blocks[1].steps[1].title must be text, not a list"]),
    ("bad-date", [":17:11: reviewed must be a date as YYYY-MM or YYYY-MM-DD, not '2026-13'"]),
    ("many-problems", [":3:7: slug 'Achilles Tendonitis' must be lowercase words",
                       ":17:11: reviewed must be a date as YYYY-MM or YYYY-MM-DD, not 'last May'",
                       ":32:9: sections[0].blocks[0]: unknown field 'paragraf'"]),
    ("syntax", [":105:12: YAML syntax error: while scanning a quoted scalar found unexpected "
                "end of stream (at line 130)"]),
    ("not-utf8", [":4: not UTF-8 (byte 0xe9); save the file as UTF-8"]),
])
def test_bad_pages_are_rejected_with_every_problem_at_its_place(case: str,
                                                                expected: list[str]) -> None:
    path = DATA / f"bad.{case}.yaml"
    with pytest.raises(PipelineError) as caught:
        load_page(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == len(expected)
    for line, fragment in zip(lines, expected, strict=True):
        assert line.startswith(str(path) + fragment.split(":", 1)[0] or str(path))
        assert fragment in line


def test_the_cli_reports_every_bad_file_and_writes_nothing(project: Path) -> None:
    shutil.copy(DATA / "bad.bad-date.yaml", project / "source/pages/bad-date.yaml")
    shutil.copy(DATA / "bad.missing-field.yaml", project / "source/pages/missing.yaml")
    before = snapshot(project)
    result = run_cli(project, "build", check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "source/pages/bad-date.yaml:17:11: reviewed must be a date" in result.stderr
    assert "source/pages/missing.yaml:3:1: page: missing field 'title'" in result.stderr
    after = {name: data for name, data in snapshot(project).items()
             if not name.startswith(".cache/")}  # where the run took its lock
    assert after == before


def test_a_duplicate_slug_names_both_files(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    shutil.copy(PAGE, tmp_path / "pages/a.yaml")
    shutil.copy(PAGE, tmp_path / "pages/b.yaml")
    with pytest.raises(PipelineError, match=r"b\.yaml:3:7: slug 'achilles-tendonitis' is "
                                             r"already used by a\.yaml"):
        load_pages(tmp_path)


def test_an_enormous_paragraph_is_refused(tmp_path: Path) -> None:
    text = PAGE.read_text(encoding="utf-8").replace(
        "  Achilles tendonitis is pain and stiffness in the heel cord from overuse.",
        "  " + "Words upon words. " * 400, 1)
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PipelineError, match=r"big\.yaml:7:10: summary is \d+ characters long"):
        load_page(path)


def test_an_empty_page_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"empty\.yaml: the file is empty"):
        load_page(path)


def _tree(node: yaml.Node) -> object:
    where = (node.tag, node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return (*where, node.value)
    if isinstance(node, yaml.SequenceNode):
        return (*where, [_tree(item) for item in node.value])
    return (*where, [(_tree(key), _tree(value)) for key, value in node.value])


def test_the_fast_yaml_parser_gives_the_nodes_of_the_pure_python_one() -> None:
    files = [*ROOT.joinpath("source").rglob("*.yaml"), *ROOT.joinpath("glossary").rglob("*.yaml"),
             *ROOT.joinpath("tests/data").glob("bad.*.yaml")]
    compared = 0
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        try:
            slow = _tree(yaml.compose(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError:
            continue
        assert _tree(yaml.compose(text, Loader=yamlread.FAST_LOADER)) == slow, path
        compared += 1
    assert compared >= 8
