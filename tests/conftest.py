"""Shared fixtures: a throw-away copy of the project, and the real CLI, run in this process
(`run_cli`) or in a new one (`run_process`)."""

from __future__ import annotations

import io
import locale
import os
import shutil
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from pipeline import cli
from pipeline.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
COMMAND = (sys.executable, "-m", "pipeline")


def copy_project(target: Path) -> Path:
    """The project's source, catalogs and settings, copied to `target`."""
    for folder in ("source", "locales", "glossary"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project after one `build`, made once for the whole run: for tests that only read it
    (the outputs, served or checked); a test that changes it works on a copy of it."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    run_cli(project, "build")
    return project


@pytest.fixture
def settings(project: Path) -> Settings:
    return load_settings(project)


def environment(**changes: str | None) -> dict[str, str]:
    """This process's environment with COLUMNS=120 (wide enough that no report line folds),
    then `changes` (None removes a variable)."""
    found = {**os.environ, "COLUMNS": "120"}
    for name, value in changes.items():
        if value is None:
            found.pop(name, None)
        else:
            found[name] = value
    return found


def run_cli(root: Path, *args: str, check: bool = True,
            env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline ARGS` in `root`, as a maintainer runs it, but in this process (see
    `in_process`): a new process would spend most of a small project's run starting Python
    and importing. `env` is the whole environment (default: `environment()`)."""
    result = in_process(root, args, environment() if env is None else env)
    if check and result.returncode != 0:
        raise AssertionError(f"pipeline {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def run_process(root: Path, *args: str, check: bool = True,
                env: Mapping[str, str] | None = None,
                stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline ARGS` in `root` in a new process: for what only a process shows
    (`python -m pipeline` itself, a closed pipe, a terminal's width, signals)."""
    result = subprocess.run([*COMMAND, *args], cwd=root,
                            env=environment() if env is None else env, stdout=stdout,
                            stderr=subprocess.PIPE, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"pipeline {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


_ONE_AT_A_TIME = threading.Lock()  # the working folder, environment and streams are the process's


def in_process(root: Path, args: Sequence[str],
               env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """pipeline.cli.main(args) with what `python -m pipeline ARGS` would have in `root`: that
    working folder, exactly `env` as the environment, and standard output and error encoded as
    a pipe's (strictly, and with backslashes) and read back as subprocess.run(text=True) reads
    them; Python's default warning filters, warnings printed to standard error; the exit status
    of main, or of the SystemExit that argparse raises. All restored afterwards."""
    encoding = locale.getpreferredencoding(False)
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding, "strict", newline="\n", write_through=True)
    stderr = io.TextIOWrapper(err, encoding, "backslashreplace", newline="\n",
                              write_through=True)
    with _ONE_AT_A_TIME, _process_state(root, env), redirect_stdout(stdout), \
            redirect_stderr(stderr), _default_warnings():
        try:
            code = cli.main(list(args))
        except SystemExit as exit:  # argparse: a wrong command line (2) or --help (0)
            code = _exit_status(exit.code)
    stdout.flush()
    stderr.flush()
    return subprocess.CompletedProcess([*COMMAND, *args], code, _read(out, encoding),
                                       _read(err, encoding))


@contextmanager
def _process_state(root: Path, env: Mapping[str, str]) -> Iterator[None]:
    folder, before = os.getcwd(), dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(root)
    try:
        yield
    finally:
        os.chdir(folder)
        os.environ.clear()
        os.environ.update(before)


@contextmanager
def _default_warnings() -> Iterator[None]:
    """Python's default filters (pytest's are for the tests), each warning printed to the
    standard error of the moment, as a new process prints it."""
    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: object = None, line: str | None = None) -> None:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():
        warnings.resetwarnings()
        for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning,
                         DeprecationWarning):
            warnings.simplefilter("ignore", category)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        warnings.showwarning = show
        yield


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # as Python does with a message for SystemExit
    return 1


def _read(stream: io.BytesIO, encoding: str) -> str:
    """What subprocess.run(text=True) makes of a pipe's bytes: decoded, universal newlines."""
    return stream.getvalue().decode(encoding).replace("\r\n", "\n").replace("\r", "\n")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


# Property and fuzz tests (tests/test_properties.py, tests/test_fuzz.py): derandomized, so that
# the same examples run every time, and each test sets its own bounded number of examples.
hypothesis_settings.register_profile("pipeline", derandomize=True, deadline=None, database=None,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("pipeline")
