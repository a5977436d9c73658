"""Source pages and site strings: the project's own load; every bad input gives path:line:col."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.errors import PipelineError
from pipeline.model import Bullets, LeadStyle, SectionKind, Steps, texts
from pipeline.source import yamlread
from pipeline.source.load import load_page, load_pages, load_site_strings
from pipeline.source.segment import page_template
from tests.conftest import DATA, ROOT, run_cli, snapshot

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


def _page_file(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = PAGE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "page.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(PipelineError) as caught:
        load_page(path)
    return [line.removeprefix(f"{path}:") for line in str(caught.value).splitlines()]


@pytest.mark.parametrize("lead", ["'**Rest alone usually is not enough.**'",
                                  "Rest *alone* usually is not enough.",
                                  "Rest __alone__ usually is not enough."])
def test_emphasis_in_a_bold_lead_is_refused_at_its_line(tmp_path: Path, lead: str) -> None:
    path = _page_file(tmp_path, ("- lead: Rest alone usually is not enough.", f"- lead: {lead}"))
    assert _problems(path) == [
        "91:19: sections[6].blocks[1].bullets[0].lead is shown in bold already: remove its * or "
        "_ emphasis, or add lead_style: plain to emphasize words of it yourself"]


def test_a_plain_lead_in_is_its_own_unit_and_may_hold_emphasis(tmp_path: Path) -> None:
    path = _page_file(tmp_path, ("          - lead: Rest alone usually is not enough.\n",
                                 "          - lead: Rest *alone* usually is not enough.\n"
                                 "            lead_style: plain\n"))
    page = load_page(path)
    bullets = page.sections[6].blocks[1]
    assert isinstance(bullets, Bullets)
    first, second = bullets.items
    assert first.lead is not None and first.lead.value == "Rest *alone* usually is not enough."
    assert (first.lead_style, second.lead_style) == (LeadStyle.PLAIN, LeadStyle.BOLD)
    units = {unit.msgid: unit for unit in page_template(page, "sentence", tmp_path).units}
    assert units["Rest *alone* usually is not enough."].comments == (
        "What patients commonly misunderstand, list item 1, plain lead-in",)
    assert units["Avoid steroid injections into the tendon."].comments == (
        "What patients commonly misunderstand, list item 2, bold lead-in",)


def test_a_lead_style_must_be_bold_or_plain(tmp_path: Path) -> None:
    path = _page_file(tmp_path, ("          - lead: Rest alone usually is not enough.\n",
                                 "          - lead: Rest alone usually is not enough.\n"
                                 "            lead_style: italic\n"))
    assert _problems(path) == [
        "92:25: sections[6].blocks[1].bullets[0].lead_style must be one of bold, plain, "
        "not 'italic'"]


def test_every_kind_of_section_is_known_and_named_by_kind_not_id(tmp_path: Path) -> None:
    page = load_page(PAGE)
    assert [section.kind for section in page.sections] == [
        SectionKind.SYMPTOMS, SectionKind.DIAGNOSIS, SectionKind.APPROACH, SectionKind.TREATMENT,
        SectionKind.SURGERY, SectionKind.RECOVERY, SectionKind.MISUNDERSTANDINGS]
    path = _page_file(tmp_path, ("  - id: treatment\n", "  - id: conservative-care\n"
                                                        "    kind: treatment\n"))
    assert load_page(path).sections[3].kind == SectionKind.TREATMENT
    path = _page_file(tmp_path, ("  - id: treatment\n", "  - id: conservative-care\n"),
                      ("  - id: recovery\n", "  - id: recovery\n    kind: rehab\n"))
    kinds = ", ".join(kind.value for kind in SectionKind)
    assert _problems(path) == [
        f"58:9: sections[3]: the id 'conservative-care' is not a section kind; add kind: one of "
        f"{kinds} (other for none of them)",
        f"76:11: sections[5].kind 'rehab' is not a section kind; use one of {kinds}"]


def test_a_problem_in_one_field_hides_none_in_another(tmp_path: Path) -> None:
    path = _page_file(
        tmp_path,
        ("  name: Steven J. Lee\n", ""),
        ("    - Double Fellowship-Trained", "    - 5"),
        ("  - id: symptoms", "  - id: Symptoms!"),
        ('      - paragraph: "Typical complaints include:"', "      - paragraf: x"),
        ('      - paragraph: "The foundation is loading the tendon, not resting it:"',
         '      - paragraph: "x"\n        steps: [{title: 1, body: ""}]'),
        ("          - lead: Rest alone usually is not enough.\n",
         "          - led: Rest alone usually is not enough.\n"))
    assert _problems(path) == [
        "12:3: author: missing field 'name'",
        "14:7: author.credentials[0] must be text, not a number; quote it if it is meant as text",
        "28:9: sections[0].id 'Symptoms!' must be lowercase words joined by hyphens, such as "
        "'symptoms'",
        "31:9: sections[0].blocks[0]: unknown field 'paragraf'; allowed: paragraph, bullets, steps",
        "60:9: sections[3].blocks[0] must have exactly one of paragraph, bullets, steps",
        "61:25: sections[3].blocks[0].steps[0].title must be text, not a number; quote it if it is "
        "meant as text",
        "61:34: sections[3].blocks[0].steps[0].body must not be empty",
        "91:13: sections[6].blocks[1].bullets[0]: unknown field 'led'; allowed: lead, text, "
        "lead_style",
        "91:13: sections[6].blocks[1].bullets[0]: missing field 'lead'",
    ]
