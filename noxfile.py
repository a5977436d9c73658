"""Maintainers' sessions: one per pipeline verb, plus tests, lint and golden-file regeneration.

Every session installs from the hashed locks in requirements/ and nothing else; `nox -s lock`
upgrades them, and `nox -s deps-latest` tries the newest releases pyproject.toml allows.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.reuse_existing_virtualenvs = True  # safe: `uv pip sync` makes a kept one exact again
nox.options.sessions = ["tests", "lint"]


def _sync(session: nox.Session, lock: str = "run") -> None:
    """The session's environment made exactly the lock's, then the project in it, editable;
    all compiled to bytecode once, as where PYTHONDONTWRITEBYTECODE is set every process (each
    test worker, each CLI run, each benchmarked run) would compile them again."""
    session.run_install("uv", "pip", "sync", "--quiet", "--require-hashes", "--compile-bytecode",
                        f"requirements/{lock}.txt")
    session.run_install("uv", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                        "-e", ".")
    session.run_install("python", "-m", "compileall", "-q", "pipeline")  # editable: our own too


def _pipeline(session: nox.Session, *args: str) -> None:
    _sync(session)
    session.run("python", "-m", "pipeline", *args, *session.posargs)


@nox.session
def extract(session: nox.Session) -> None:
    """Write locales/templates/*.pot from the English pages in source/."""
    _pipeline(session, "extract")


@nox.session
def update(session: nox.Session) -> None:
    """Bring every language's catalogs up to date with the English, keeping all translations."""
    _pipeline(session, "update")


@nox.session
def build(session: nox.Session) -> None:
    """Build outputs/: every page in every language as HTML and JSON, plus the manifest."""
    _pipeline(session, "build")


@nox.session
def serve(session: nox.Session) -> None:
    """Serve outputs/ on http://127.0.0.1:8000 (or -- PORT) to look at; builds first if missing."""
    _sync(session)
    port = session.posargs[0] if session.posargs else "8000"
    if not port.isdigit():
        session.error(f"the port is a number, as in `nox -s serve -- 8080`, not {port!r}")
    if not Path("outputs/index.json").exists():
        session.run("python", "-m", "pipeline", "build")
    session.log(f"open http://127.0.0.1:{port}/en/index.html (Ctrl-C stops the server)")
    session.run("python", "-m", "http.server", port, "--bind", "127.0.0.1",
                "--directory", "outputs")


@nox.session
def status(session: nox.Session) -> None:
    """Show how much of each page is translated, per language (add -- --json for machines)."""
    _pipeline(session, "status")


@nox.session
def check(session: nox.Session) -> None:
    """Translator QA: run every check on every translation; fails on an error-level finding."""
    _require_gettext(session)
    _pipeline(session, "check")


@nox.session
def memory(session: nox.Session) -> None:
    """Use the translation memory: `nox -s memory -- stats | search TEXT --lang L | import F`."""
    _sync(session)
    session.run("python", "-m", "pipeline", "memory", *(session.posargs or ["stats"]))


@nox.session
def xliff(session: nox.Session) -> None:
    """Exchange XLIFF with agencies: `nox -s xliff -- export --lang L -o F.xlf | import F.xlf`."""
    _sync(session)
    session.run("python", "-m", "pipeline", "xliff", *(session.posargs or ["--help"]))


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: merge vs msgmerge and pybabel, builds, update, memory (-- --quick to smoke)."""
    _require_gettext(session)
    _sync(session)
    session.run("python", "-m", "benchmarks.run", *session.posargs)


def _require_gettext(session: nox.Session) -> None:
    missing = [tool for tool in ("msgfmt", "msgcat", "msgmerge") if shutil.which(tool) is None]
    if missing:
        session.error(f"GNU gettext is missing ({', '.join(missing)}): "
                      "install it with `apt-get install gettext` (what .ci/run does)")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite against the real gettext tools, Babel and polib, on every core (a
    module's tests in one worker, so that its fixtures are made once; `-- -n 0` runs them in
    this process, as a debugger wants)."""
    _require_gettext(session)
    _sync(session, "dev")
    session.run("pytest", "--numprocesses=auto", "--dist=loadscope", *session.posargs)


@nox.session
def golden(session: nox.Session) -> None:
    """Regenerate tests/golden/ (HTML, JSON, and the reports at 80 columns) after an intended
    change."""
    _sync(session, "dev")
    session.run("pytest", "tests/test_golden.py", "tests/test_cli_output.py",
                env={"UPDATE_GOLDEN": "1"})


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and types: ruff and mypy (strict)."""
    _sync(session, "dev")
    session.run("ruff", "check", "pipeline", "tests", "tools", "benchmarks", "noxfile.py")
    session.run("mypy", "pipeline", "tools")


@nox.session(venv_backend="none")
def lock(session: nox.Session) -> None:
    """Upgrade requirements/*.txt to the newest releases pyproject.toml allows (-- PACKAGE...
    upgrades only those); then review the diff and run the tests."""
    session.run(sys.executable, "-m", "tools.lock", *session.posargs)


@nox.session(name="deps-latest", venv_backend="none")
def deps_latest(session: nox.Session) -> None:
    """Try the newest releases pyproject.toml allows: per upgraded package, the failing tests,
    the catalog and output bytes that change (not part of CI; exits 1 on any drift)."""
    _require_gettext(session)
    session.run(sys.executable, "-m", "tools.deps_latest")


@nox.session(name="plural-table")
def plural_table(session: nox.Session) -> None:
    """Rewrite pipeline/data/plural-forms.json from the locked translate-toolkit's table."""
    _sync(session, "dev")
    session.run("python", "-m", "tools.plural_table")
