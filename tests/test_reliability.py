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
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.memory import tmx
from pipeline.po import pofile
from pipeline.runtime import fsio

from .conftest import copy_project, run_cli

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
