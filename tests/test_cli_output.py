"""The reports people read: every table fits 80 and 120 columns, piped or not, says the right
numbers (the same as --json), and a closed pipe ends a report quietly."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project, environment, in_process, run_process

PAGE = "source/pages/achilles-tendonitis.yaml"
ES = "locales/es/LC_MESSAGES/achilles-tendonitis.po"
GOLDEN = Path(__file__).resolve().parent / "golden" / "reports"
RULE = re.compile(r"^─+$")
EDITS = (  # one cosmetic edit, two that make translations stale, two bullets gone, three new
    ("the name 'itis,'", "the name \u2018itis,\u2019"),  # curly quotes: cosmetic
    ("Improvement is gradual.", "Improvement is slow but steady."),
    ("climbing stairs", "climbing hills"),
    ("          - Tenderness and sometimes thickening of the tendon\n", ""),
    ("          - A creaking sensation in the tendon in some cases\n",
     "          - Swelling at the back of the heel\n          - Warmth over the heel cord\n"
     "          - Difficulty standing on tiptoe\n"),
)


def run(root: Path, *args: str, columns: int | None = 80,
        stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """The CLI with its stdout a pipe (never a terminal), COLUMNS set or unset: in this process
    when COLUMNS is set; in a new one when it is not (the width is then the process's own
    terminal's, or none) or when stdout is a given file descriptor."""
    env = environment(COLUMNS=None if columns is None else str(columns), LINES=None)
    if columns is None or stdout != subprocess.PIPE:
        return run_process(root, *args, check=False, env=env, stdout=stdout)
    return in_process(root, args, env)


def edited(target: Path) -> Path:
    root = copy_project(target)
    path = root / PAGE
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return root


def table(output: str) -> tuple[list[str], list[list[str]]]:
    """The headers and rows of the first table in a report; a name folded over several lines
    is joined again."""
    lines = output.splitlines()
    rule = next(index for index, line in enumerate(lines) if RULE.match(line))
    headers = re.split(r"\s{2,}", lines[rule - 1].strip())
    rows: list[list[str]] = []
    for line in lines[rule + 1:]:
        cells = re.split(r"\s{2,}", line.strip())
        if not line.strip() or (rows and line[0].isspace()):
            continue  # between sections, or the wrapped text of a column after the first
        if len(cells) > 1:
            rows.append(cells)
        elif rows and line != line.rstrip():  # padded to the table's width: a folded name
            rows[-1][0] += cells[0]
        else:
            break  # prose after the table
    return headers, rows


def fits(output: str, columns: int) -> None:
    too_long = [line for line in output.splitlines() if len(line) > columns]
    assert not too_long, f"wider than {columns} columns:\n" + "\n".join(too_long)


def golden(name: str, output: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run `nox -s golden`"
    assert output == path.read_text(encoding="utf-8"), \
        f"{name} differs from {path}: review, then `nox -s golden` if the change is intended"


def quiet_in_closed_pipe(root: Path, *args: str) -> None:
    """Writing into a pipe nobody reads (`... | head -c 0`): exit 141 as a shell reports a
    SIGPIPE death, with nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(root, *args, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 141, (result.returncode, result.stderr)
    assert result.stderr == ""


# --- update ---------------------------------------------------------------------------------

def obsolete_in(path: Path) -> int:
    return sum(line.startswith("#~ msgid ") for line in path.read_text("utf-8").splitlines())


def stale_in(path: Path) -> int:
    return sum(line.startswith("#| msgid ") for line in path.read_text("utf-8").splitlines())


@pytest.mark.parametrize("columns", [80, 120, pytest.param(None, marks=pytest.mark.slow)])
def test_update_table_fits_and_counts_each_column_right(tmp_path: Path,
                                                        columns: int | None) -> None:
    root = edited(tmp_path / "project")
    result = run(root, "update", columns=columns)
    assert result.returncode == 0, result.stderr
    fits(result.stdout, columns or 80)
    headers, rows = table(result.stdout)
    assert headers == ["catalog", "kept", "cosmetic", "stale", "new", "memory", "obsolete",
                       "written"]
    assert all(len(row) == len(headers) for row in rows), rows
    row = dict(zip(headers, next(row for row in rows if row[0] == "es/achilles-tendonitis"),
                   strict=True))
    catalog = root / ES
    assert int(row["obsolete"]) == obsolete_in(catalog) == 2
    assert int(row["stale"]) == stale_in(catalog) == 2
    assert (row["kept"], row["cosmetic"], row["new"], row["written"]) == ("64", "1", "3", "yes")
    if columns == 80:
        golden("update", result.stdout)


def test_update_json_has_the_table_numbers(tmp_path: Path) -> None:
    root = edited(tmp_path / "project")
    report = json.loads(run(root, "update", "--json").stdout)
    page = next(item for item in report if item["path"] == ES)
    assert page["counts"] | {"written": page["written"]} == {
        **page["counts"], "kept": 64, "cosmetic": 1, "fuzzy": 2, "new": 3, "obsoleted": 2,
        "written": True}
    assert {item["language"] for item in report} == {"es", "de", "ar", "templates"}


# --- status ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edited project after an update: stale, missing and obsolete entries to report (the
    tests only read it)."""
    root = edited(tmp_path_factory.mktemp("updated") / "project")
    assert run(root, "update").returncode == 0
    return root


@pytest.mark.parametrize("columns", [80, 120, pytest.param(None, marks=pytest.mark.slow)])
def test_status_table_fits_and_matches_json(updated: Path, columns: int | None) -> None:
    result = run(updated, "status", columns=columns)
    assert result.returncode == 0, result.stderr
    fits(result.stdout, columns or 80)
    headers, rows = table(result.stdout)
    assert headers == ["catalog", "current", "stale", "critical", "suggested", "missing",
                       "reviewed", "published"]
    assert all(len(row) == len(headers) for row in rows), rows
    report = json.loads(run(updated, "status", "--json").stdout)
    shown = {row[0]: row for row in rows}
    for item in report["catalogs"]:
        row = shown[f"{item['language']}/{item['domain']}"]
        total = sum(item["words"][key] for key in report["states"] if key != "obsolete")
        assert row[1] == f"{item['words']['current'] / total:.0%}"
        stale = item["words"]["stale"]
        assert row[2] == (f"{stale / total:.0%}" if stale else "-")
        missing = item["words"]["untranslated"]
        assert row[5] == (f"{missing / total:.0%}" if missing else "-")
    assert shown["es/achilles-tendonitis"][2] != "-"
    for language, item in report["totals"].items():
        assert shown[f"{language}: all pages"][1] == f"{item['share_current']:.0%}"
    if columns == 80:
        golden("status", result.stdout)


def test_status_names_each_withheld_page_within_the_width(updated: Path) -> None:
    path = updated / "pyproject.toml"
    before = path.read_text("utf-8")
    strict = before.replace("min_current = 80 ", "min_current = 99.5 ", 1)
    assert strict != before
    path.write_text(strict, "utf-8")
    try:
        result = run(updated, "status")
    finally:
        path.write_text(before, "utf-8")
    fits(result.stdout, 80)
    said = " ".join(result.stdout.split())
    assert "es/achilles-tendonitis: withheld: only" in said and "at least 99.5% must be" in said


# --- merge, check, memory -------------------------------------------------------------------

def test_merge_line_and_json_agree(updated: Path, tmp_path: Path) -> None:
    old = ROOT / ES  # before the edits
    template = updated / "locales/templates/achilles-tendonitis.pot"
    for columns in (80, 120):
        result = run(tmp_path, "merge", str(old), str(template), "-o", "out.po",
                     columns=columns)
        fits(result.stdout, columns)
    counts = json.loads(run(tmp_path, "merge", str(old), str(template), "-o", "out.po",
                            "--json").stdout)
    said = " ".join(result.stdout.split())
    assert said == (f"merge: {counts['kept']} kept, {counts['cosmetic']} cosmetic, "
                    f"{counts['fuzzy']} fuzzy, {counts['new']} untranslated, "
                    f"{counts['obsoleted']} obsolete -> out.po")
    assert (counts["kept"], counts["cosmetic"], counts["fuzzy"], counts["new"],
            counts["obsoleted"]) == (64, 1, 2, 3, 2)
    assert stale_in(tmp_path / "out.po") == 2 and obsolete_in(tmp_path / "out.po") == 2
    golden("merge", run(tmp_path, "merge", str(old), str(template), "-o", "out.po").stdout)


def test_check_summary_fits_and_findings_stay_whole(updated: Path) -> None:
    report = json.loads(run(updated, "check", "--json").stdout)
    for columns in (80, 120):
        result = run(updated, "check", columns=columns)
        assert result.returncode == (1 if report["counts"]["error"] else 0)
        findings = [line for line in result.stdout.splitlines()
                    if re.match(r"^locales/\S+\.po:\d+: (error|warning): [a-z-]+: ", line)]
        assert len(findings) == len(report["findings"])
        summary = result.stdout.split("\n\n")[-1]
        fits(summary, columns)
        said = " ".join(summary.split())
        assert said.startswith(f"check: {report['counts']['error']} errors, "
                               f"{report['counts']['warning']} warning")
        for name, count in report["by_check"].items():
            assert f"{name}: {count}" in said
    golden("check", run(updated, "check").stdout)


def test_memory_tables_fit_and_match_json(updated: Path) -> None:
    stats = json.loads(run(updated, "memory", "stats", "--json").stdout)
    for columns in (80, 120):
        result = run(updated, "memory", "stats", columns=columns)
        fits(result.stdout, columns)
        headers, rows = table(result.stdout)
        assert headers == ["language", "origin", "units"]
        assert rows == [[item["language"], item["origin"], str(item["units"])]
                        for item in stats]
        found = run(updated, "memory", "search", "tendon pain", "--lang", "es", "--min", "10",
                    columns=columns)
        fits(found.stdout, columns)
    golden("memory-stats", result.stdout)
    matches = json.loads(run(updated, "memory", "search", "tendon pain", "--lang", "es",
                             "--min", "10", "--json").stdout)
    scores = re.findall(r"^ *(\d+%)  ", found.stdout, re.MULTILINE)
    assert scores == [f"{match['score']:.0f}%" for match in matches] and scores
    golden("memory-search", run(updated, "memory", "search", "tendon pain", "--lang", "es",
                                "--min", "10").stdout)


def test_glossary_and_xliff_lines_fit(updated: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"  # these verbs write; the module's project stays as it is
    shutil.copytree(updated, root)
    terms = tmp_path / "terms.csv"
    terms.write_text("term,translation,note\nheel cord,tendón del talón,\n", "utf-8")
    lines: list[str] = []
    # The exchange file inside the project, shown by its short relative path: a long
    # temporary folder's path is one word that no width can fold.
    for step in (["glossary", "import", str(terms), "--lang", "es"],
                 ["xliff", "export", "--lang", "es", "-o", str(root / "es.xlf")],
                 ["xliff", "import", str(root / "es.xlf")]):
        result = run(root, *step)
        assert result.returncode == 0, result.stderr
        fits(result.stdout, 80)
        lines.append(" ".join(result.stdout.split()))
    assert lines[0].startswith("glossary import: 1 read,")
    assert re.match(r"xliff export: \d+ units of es in \d+ catalogs to ", lines[1])
    assert lines[2].startswith("xliff import: ")


# --- a closed pipe --------------------------------------------------------------------------

VERBS: dict[str, Callable[[Path, Path], list[str]]] = {
    "status --json": lambda root, _: ["status", "--json"],
    "status": lambda root, _: ["status"],
    "check": lambda root, _: ["check"],
    "check --json": lambda root, _: ["check", "--json"],
    "memory stats": lambda root, _: ["memory", "stats"],
    "update": lambda root, _: ["update"],
    "update --json": lambda root, _: ["update", "--json"],
    "merge": lambda root, out: ["merge", ES, "locales/templates/achilles-tendonitis.pot",
                                "-o", str(out / "out.po")],
}


# Each a new process: a rich report and the plain merge line in the fast loop, the others slow.
@pytest.mark.parametrize("verb", [verb if verb in ("status", "merge") else
                                  pytest.param(verb, marks=pytest.mark.slow) for verb in VERBS])
def test_a_closed_pipe_ends_a_report_quietly(updated: Path, tmp_path: Path, verb: str) -> None:
    quiet_in_closed_pipe(updated, *VERBS[verb](updated, tmp_path))
