"""Crashes lose nothing and runs do not collide (docs/errors.md).

`update` and `build` are killed with SIGKILL at random moments, many times: every file is then
its old or its new version, byte for byte, and parses; a run after the kills finishes and gives
exactly what an uninterrupted run gives. A second run while one works is refused.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.config import load_settings
from pipeline.memory import archive, tmx
from pipeline.model import MemoryUnit
from pipeline.po import pofile
from pipeline.runtime import fsio
from tests.conftest import copy_project, run_cli

KILLS = 30  # per verb
CHAIN = 5  # kills in a row, each run starting from what the last one left, then a full run
SEED = 20261125
EPOCH = "1795000000"  # SOURCE_DATE_EPOCH: the date update writes, the same in every run
FOLDERS = ("locales", "memory", "outputs")
CONDITIONS = ("Patellar", "Plantar", "Hamstring")  # pages added to the reference page
EDITS = (  # English edits that make update rewrite every page's catalogs
    ("Weeks 0 to 12", "Weeks 0 to 10"),
    ("Tenderness and sometimes", "Tenderness, swelling and sometimes"),
    ("          - A creaking sensation in the tendon in some cases\n", ""),
    ("          - Pain with running", "          - Pain that eases with warm-up\n"
                                      "          - Pain with running"),
)
State = dict[str, bytes]


def larger_project(target: Path, conditions: tuple[str, ...]) -> Path:
    """The project with a page per condition, each a variant of the reference page with its
    catalogs translated in every language."""
    project = copy_project(target)
    page = (project / "source/pages/achilles-tendonitis.yaml").read_text(encoding="utf-8")
    for name in conditions:
        slug = f"{name.lower()}-tendonitis"

        def variant(text: str, slug: str = slug, name: str = name) -> str:
            return text.replace("achilles-tendonitis", slug).replace("Achilles", name)

        (project / f"source/pages/{slug}.yaml").write_text(variant(page), encoding="utf-8")
        for folder in (project / "locales").glob("*/LC_MESSAGES"):
            catalog = (folder / "achilles-tendonitis.po").read_text(encoding="utf-8")
            (folder / f"{slug}.po").write_text(variant(catalog), encoding="utf-8")
    return project


def edit_english(project: Path) -> None:
    for path in (project / "source/pages").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for old, new in EDITS:
            assert old in text
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")


def state(project: Path) -> State:
    """The bytes of every file a run writes, temporary files aside."""
    return {path.relative_to(project).as_posix(): path.read_bytes()
            for folder in FOLDERS for path in sorted((project / folder).rglob("*"))
            if path.is_file() and not path.name.endswith(fsio.TEMPORARY_SUFFIX)}


def temporaries(project: Path) -> list[Path]:
    return [path for folder in FOLDERS
            for path in (project / folder).rglob(f"*{fsio.TEMPORARY_SUFFIX}")]


def restore(project: Path, files: State) -> None:
    for folder in FOLDERS:
        shutil.rmtree(project / folder, ignore_errors=True)
    for name, data in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)


def parses(project: Path, name: str) -> None:
    """Raises if the file does not parse as what its name says."""
    path = project / name
    if path.suffix in (".po", ".pot"):
        pofile.read(path)
    elif path.suffix == ".json":
        json.loads(path.read_bytes())
    elif path.suffix == ".tmx":
        tmx.read(path, "en")
    elif path.suffix in (".html", ".xml", ".svg", ".css"):
        HTMLParser().feed(path.read_text(encoding="utf-8"))


def _verb(root: Path, verb: str) -> None:
    """A run of the CLI in a forked child: the code under test is the same, and the child skips
    the imports, so that more of each run is spent where files are written."""
    os.chdir(root)
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    sys.exit(cli.main(["-q", verb]))


def start(project: Path, verb: str) -> multiprocessing.process.BaseProcess:
    process = multiprocessing.get_context("fork").Process(target=_verb, args=(project, verb))
    process.start()
    return process


def complete(project: Path, verb: str) -> None:
    process = start(project, verb)
    process.join()
    assert process.exitcode == 0, verb


def _stamps(project: Path, names: set[str]) -> dict[str, tuple[int, int] | None]:
    """Each file's inode and modification time (None if absent): a write or deletion changes it."""
    stamps: dict[str, tuple[int, int] | None] = {}
    for name in names:
        try:
            found = (project / name).stat()
        except FileNotFoundError:
            stamps[name] = None
        else:
            stamps[name] = (found.st_ino, found.st_mtime_ns)
    return stamps


def first_write(project: Path, verb: str, old: State) -> float:
    """An uninterrupted run; the seconds it took before it first changed a file."""
    names = set(old)
    before = _stamps(project, names)
    began = time.monotonic()
    process = start(project, verb)
    first = None
    while process.is_alive():
        if first is None and _stamps(project, names) != before:
            first = time.monotonic() - began
        time.sleep(0.001)
    process.join()
    assert process.exitcode == 0
    return first or time.monotonic() - began


def kill_after(project: Path, verb: str, names: set[str], writes: int) -> None:
    """Run the verb and kill it (SIGKILL) as soon as it has changed `writes` of the files."""
    before = _stamps(project, names)
    process = start(project, verb)
    while process.is_alive():
        now = _stamps(project, names)
        if sum(now[name] != before[name] for name in names) >= writes:
            break
        time.sleep(0.0005)
    if process.pid is not None:
        os.kill(process.pid, signal.SIGKILL)
    process.join()


def kill_repeatedly(project: Path, verb: str, old: State, new: State, first: float,
                    rng: random.Random) -> int:
    """KILLS kills, CHAIN at a time, each chain followed by a run that must finish with exactly
    the new files; returns how many kills left a mix of old and new files.

    A kill comes at a random moment before the run's first write, or (five times in six) right
    after a random number of its writes, so that most land while it writes. Every file is old
    or new after each, so it parses as they do."""
    for files in (old, new):
        restore(project, files)
        for name in files:
            parses(project, name)
    names = old.keys() | new.keys()
    changed = {name for name in names if old.get(name) != new.get(name)}
    mixed = 0
    for _ in range(KILLS // CHAIN):
        restore(project, old)
        for _ in range(CHAIN):
            left = sum(state_of(project, name) != new.get(name) for name in changed)
            if left > 1 and rng.random() < 5 / 6:
                kill_after(project, verb, names, rng.randint(1, left - 1))
            else:
                process = start(project, verb)
                time.sleep(rng.uniform(0, first))
                if process.pid is not None:
                    os.kill(process.pid, signal.SIGKILL)
                process.join()
            now = state(project)
            for name in names | now.keys():
                assert now.get(name) in (old.get(name), new.get(name)), name
            done = {name for name in changed if now.get(name) == new.get(name)}
            mixed += 0 < len(done) < len(changed)
        complete(project, verb)
        assert state(project) == new
        assert not temporaries(project)
    return mixed


def state_of(project: Path, name: str) -> bytes | None:
    path = project / name
    return path.read_bytes() if path.exists() else None


@pytest.mark.slow
def test_update_killed_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    project = larger_project(tmp_path / "project", CONDITIONS)
    complete(project, "update")
    old = state(project)
    edit_english(project)
    first = first_write(project, "update", old)
    new = state(project)
    assert new != old
    mixed = kill_repeatedly(project, "update", old, new, first, random.Random(SEED))
    print(f"\nupdate: {KILLS} kills, {mixed} of them left a mix of old and new catalogs")


@pytest.mark.slow
def test_build_killed_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    project = larger_project(tmp_path / "project", CONDITIONS[:1])
    complete(project, "update")
    complete(project, "build")
    edit_english(project)
    complete(project, "update")
    old = state(project)
    first = first_write(project, "build", old)
    new = state(project)
    assert new != old
    mixed = kill_repeatedly(project, "build", old, new, first, random.Random(SEED + 1))
    print(f"\nbuild: {KILLS} kills, {mixed} of them left a mix of old and new outputs")


def _wait_for_lock(project: Path, process: subprocess.Popen[str]) -> bool:
    """Whether the process took the project's lock (its pid is in the lock file) and was
    frozen while holding it."""
    lock = project / ".cache" / cli.LOCK_FILE
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if lock.exists() and lock.read_text(encoding="ascii").strip() == str(process.pid):
            process.send_signal(signal.SIGSTOP)
            return process.poll() is None
        time.sleep(0.001)
    return False


@pytest.mark.slow  # a second process, stopped and continued by signals
def test_a_second_run_is_refused_while_one_works(tmp_path: Path) -> None:
    project = larger_project(tmp_path / "project", CONDITIONS[:1])
    edit_english(project)
    for _ in range(5):
        first = subprocess.Popen([sys.executable, "-m", "pipeline", "-q", "update"],
                                 cwd=project, text=True, stderr=subprocess.PIPE)
        if _wait_for_lock(project, first):
            break
        first.wait()
    else:
        pytest.fail("the first run never held the lock long enough to be stopped")
    try:
        before = state(project)
        second = run_cli(project, "build", check=False)
        looked = run_cli(project, "status", check=False)
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 1
    assert second.stderr == (
        f".cache/pipeline.lock: another pipeline run (pid {first.pid}) is working in this "
        "project; wait for it to finish (or stop it), then run again\n")
    assert state(project) == before
    assert looked.returncode == 0, "a read-only verb does not need the lock"
    assert first.wait() == 0 and first.stderr is not None and not first.stderr.read()


# --- Ctrl-C, whatever the pool is doing -------------------------------------------------------

INTERRUPTED = "interrupted: every file is as it was or complete; run the command again\n"
POOLED = tuple(f"Condition{letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUV")  # 23 pages in all
# When SIGINT reaches the process group (as Ctrl-C does), in seconds after the run's first
# worker process appeared; None: once the run holds the lock, before it starts any worker.
MOMENTS = (None, 0.0, 0.4, 1.5)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(status.parent.name))
    return found


def interrupt(project: Path, verb: str, moment: float | None) -> subprocess.CompletedProcess[str]:
    """The verb run as from a terminal and given Ctrl-C at `moment`."""
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-q", verb], cwd=project,
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True,
                               env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    lock = project / ".cache" / cli.LOCK_FILE

    def ready() -> bool:  # a worker runs, or (for None) the run holds the lock
        if moment is not None:
            return bool(_children(process.pid))
        return lock.exists() and lock.read_text(encoding="ascii").strip() == str(process.pid)

    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline and not ready():
        time.sleep(0.002)
    time.sleep(moment or 0)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.slow
@pytest.mark.parametrize("verb", ["update", "build"])
def test_ctrl_c_exits_130_with_one_line_whatever_the_pool_is_doing(tmp_path: Path,
                                                                  verb: str) -> None:
    project = larger_project(tmp_path / "project", POOLED)
    if verb == "build":
        complete(project, "update")
    else:
        edit_english(project)
    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    complete(reference, verb)
    for moment in MOMENTS:
        result = interrupt(project, verb, moment)
        if result.returncode == 0:  # it finished first: nothing to interrupt
            continue
        assert (result.returncode, result.stderr, result.stdout) == (130, INTERRUPTED, ""), \
            moment
        assert not temporaries(project), moment  # what the workers staged is discarded
        for name in state(project):
            parses(project, name)
    complete(project, verb)
    assert state(project) == state(reference)
    assert not temporaries(project)


def _stop(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("where", ["progress", "templates"])
def test_an_update_stopped_between_staging_and_committing_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, workers: int) -> None:
    """Called as a library (no lock to sweep up after it), `update` stopped once a language
    is staged, whether while it reports progress or while it writes the templates, leaves
    every file as it was and no temporary file."""
    from pipeline import extracting, flow

    project = larger_project(tmp_path / "project", CONDITIONS)
    edit_english(project)
    before = state(project)
    if where == "templates":
        monkeypatch.setattr(extracting, "template_files", _stop)
    with pytest.raises(KeyboardInterrupt):
        flow.update(load_settings(project), workers=workers,
                    progress=_stop if where == "progress" else flow.no_progress)
    assert not temporaries(project)
    assert state(project) == before


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_stopped_once_pages_are_staged_leaves_nothing(tmp_path: Path,
                                                               workers: int) -> None:
    from pipeline import flow

    project = larger_project(tmp_path / "project", POOLED)
    before = state(project)
    with pytest.raises(KeyboardInterrupt):
        flow.build(load_settings(project), workers=workers, progress=_stop)
    assert not temporaries(project)
    assert state(project) == before


# --- what is not a regular file where the pipeline writes is replaced, never read -------------

def _replace_with(path: Path, how: str) -> None:
    path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    if how == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


@pytest.mark.slow  # new processes, as a FIFO read by mistake would hang this one
@pytest.mark.parametrize("how", ["fifo", "device"])
def test_a_fifo_or_device_where_a_file_is_written_is_replaced_without_reading_it(
        tmp_path: Path, how: str) -> None:
    project = copy_project(tmp_path / "project")
    run_cli(project, "build")
    written = ["outputs/sitemap.xml", "locales/templates/site.pot"]
    if how == "fifo":  # a page's file that links out of outputs/ is refused (outputs-link-...)
        written.append("outputs/de/achilles-tendonitis.html")
    for name in written:
        _replace_with(project / name, how)
    for verb in ("update", "build"):
        subprocess.run([sys.executable, "-m", "pipeline", "-q", verb], cwd=project, check=True,
                       timeout=300)
    for name in written:
        assert (project / name).is_file() and not (project / name).is_symlink(), name
        parses(project, name)


def test_merge_writes_its_output_file_and_nothing_else(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    run_cli(project, "extract")
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(project / "locales/es/LC_MESSAGES/achilles-tendonitis.po", work / "old.po")
    shutil.copy(project / "locales/templates/achilles-tendonitis.pot", work / "new.pot")
    os.mkfifo(work / "fifo.po")  # an output that is a FIFO is replaced, never read
    before = {path: path.read_bytes() for path in (work / "old.po", work / "new.pot")}
    tree = sorted(str(path) for path in tmp_path.rglob("*"))
    for output in ("out.po", "fifo.po"):
        subprocess.run([sys.executable, "-m", "pipeline", "-q", "merge", "old.po", "new.pot",
                        "-o", output], cwd=work, check=True, timeout=120)
        assert pofile.read(work / output).entries
    assert sorted(str(path) for path in tmp_path.rglob("*")) == sorted([*tree,
                                                                        str(work / "out.po")])
    assert {path: path.read_bytes() for path in before} == before


def test_a_build_state_of_other_outputs_deletes_nothing_there(tmp_path: Path) -> None:
    """The files a build may delete are those its state says it wrote in this outputs folder:
    after outputs_dir changes, a file of the same name in the new folder is not the build's."""
    project = copy_project(tmp_path / "project")
    page = project / "source/pages/achilles-tendonitis.yaml"
    old = project / "source/pages/old.yaml"
    old.write_text(page.read_text(encoding="utf-8").replace("slug: achilles-tendonitis",
                                                            "slug: old-page"), encoding="utf-8")
    run_cli(project, "build")
    assert (project / "outputs/en/old-page.html").exists()
    old.unlink()
    mine = project / "site/en/old-page.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("the site's own page", encoding="utf-8")
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'outputs_dir = "outputs"', 'outputs_dir = "site"'), encoding="utf-8")
    run_cli(project, "build")
    assert mine.read_text(encoding="utf-8") == "the site's own page"
    assert (project / "site/en/achilles-tendonitis.html").exists()


def test_a_translation_kept_again_with_other_comments_keeps_them_all(tmp_path: Path) -> None:
    """memory/ keeps one unit per translation; when the same translation leaves a catalog
    again with a translator's comment (a review mark among them), the comment is kept too."""
    settings = load_settings(copy_project(tmp_path / "project"))
    unit = MemoryUnit("Rest.", "Reposo.", "es", "archive:p")
    for comments in ((), ("ask the doctor",), ("reviewed: Dr. Ruiz",), ("ask the doctor",)):
        archive.keep(settings, "es", [replace(unit, comments=comments)])
    found = [item for item in archive.read_memory_file(settings, "es") if item.source == "Rest."]
    assert [item.comments for item in found] == [("ask the doctor", "reviewed: Dr. Ruiz")]


def test_a_restored_page_gets_its_own_draft_back_before_another_pages_translation(
        tmp_path: Path) -> None:
    """Another page translates the same English (current); the removed page's draft and its
    comment still come back to it when it is restored: they were made for this place."""
    project = copy_project(tmp_path / "project")
    page = project / "source/pages/achilles-tendonitis.yaml"
    text = page.read_text(encoding="utf-8")
    (project / "source/pages/other.yaml").write_text(
        text.replace("slug: achilles-tendonitis", "slug: other"), encoding="utf-8")
    run_cli(project, "update")
    catalog = project / "locales/es/LC_MESSAGES/achilles-tendonitis.po"
    found = pofile.read(catalog)
    catalog.write_bytes(pofile.render(replace(found, entries=tuple(
        replace(entry, msgstr="Tendinitis (borrador)", flags=("fuzzy",), previous_msgid=None,
                translator_comments=("ask the doctor",))
        if entry.msgid == "Achilles Tendonitis" else entry for entry in found.entries))))
    page.unlink()
    run_cli(project, "update")
    assert not catalog.exists()
    page.write_text(text, encoding="utf-8")
    run_cli(project, "update")
    entry = next(entry for entry in pofile.read(catalog).entries
                 if entry.msgid == "Achilles Tendonitis")
    assert (entry.msgstr, entry.fuzzy, entry.translator_comments) == (
        "Tendinitis (borrador)", True, ("ask the doctor",))
