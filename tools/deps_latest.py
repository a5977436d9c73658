"""Drift check (`nox -s deps-latest`): the newest releases pyproject.toml allows, tried against
the lock's: per upgraded package, the tests that fail and the catalog and output bytes that
change. A maintainer's tool, not part of CI's required run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from tools.lock import ROOT, compile_locks, uv

PROJECT_FILES = ("source", "locales", "glossary", "pyproject.toml")


@dataclass
class Outcome:
    """What one environment did with the project."""

    failed_tests: list[str] = field(default_factory=list)
    check_passed: bool = True
    files: dict[str, bytes] = field(default_factory=dict)


def _pins(lock: Path) -> dict[str, str]:
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, _, version = line.split(" ")[0].partition("==")
            found[name.lower()] = version
    return found


def _environment(folder: Path, lock: Path, extra: tuple[str, ...] = ()) -> Path:
    """A fresh virtual environment with the lock's packages (then `extra` ones), and the
    project; its Python."""
    subprocess.run([uv(), "venv", "--quiet", "--python", sys.executable, str(folder)], check=True)
    python = folder / "bin" / "python"
    install = [uv(), "pip", "install", "--quiet", "--python", str(python)]
    subprocess.run([uv(), "pip", "sync", "--quiet", "--python", str(python), str(lock)],
                   check=True)
    if extra:
        subprocess.run([*install, *extra], check=True)
    subprocess.run([*install, "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
    return python


def _project_copy(folder: Path) -> Path:
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / name)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for top in ("locales", "outputs") for path in sorted((folder / top).rglob("*"))
            if path.is_file()}


def _run_project(python: Path, work: Path) -> Outcome:
    """update --check, then update and build, on a fresh copy of the project."""
    project = _project_copy(work)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764806400"}
    pipeline = [str(python), "-m", "pipeline"]
    check = subprocess.run([*pipeline, "--quiet", "update", "--check"], cwd=project, env=env,
                           capture_output=True, check=False)
    for verb in ("update", "build"):
        subprocess.run([*pipeline, "--quiet", verb], cwd=project, env=env, check=True,
                       capture_output=True)
    return Outcome(check_passed=check.returncode == 0, files=_files(project))


def _failed_tests(python: Path, report: Path, tests: list[str]) -> list[str]:
    subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--junitxml={report}", *tests], cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not report.exists():
        return ["(pytest did not run)"]
    failed = []
    for case in ElementTree.parse(report).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname', '').replace('.', '/')}.py::{case.get('name')}")
    return failed


def _changed(base: dict[str, bytes], other: dict[str, bytes], top: str) -> list[str]:
    names = {name for name in (*base, *other) if name.startswith(top + "/")}
    return sorted(name for name in names if base.get(name) != other.get(name))


def _row(name: str, versions: str, base: Outcome, outcome: Outcome) -> dict[str, object]:
    return {"package": name, "versions": versions, "failing_tests": outcome.failed_tests,
            "update_check_passes": outcome.check_passed,
            "catalogs_changed": _changed(base.files, outcome.files, "locales"),
            "outputs_changed": _changed(base.files, outcome.files, "outputs")}


def _print(rows: list[dict[str, object]]) -> None:
    for row in rows:
        print(f"\n{row['package']}  {row['versions']}")
        for key in ("failing_tests", "catalogs_changed", "outputs_changed"):
            items = row[key]
            assert isinstance(items, list)
            shown = ", ".join(items[:6]) + (f" (+{len(items) - 6} more)" if len(items) > 6 else "")
            print(f"  {key.replace('_', ' ')}: {len(items)}{': ' + shown if items else ''}")
        print(f"  update --check: {'passes' if row['update_check_passes'] else 'FAILS'}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="deps-latest-") as temp:
        work = Path(temp)
        (work / "latest").mkdir()
        print("resolving the newest versions pyproject.toml allows...", flush=True)
        compile_locks(work / "latest", upgrade=True)
        locked, latest = _pins(ROOT / "requirements/dev.txt"), _pins(work / "latest/dev.txt")
        upgraded = {name: f"{locked.get(name, '-')} -> {version}"
                    for name, version in sorted(latest.items()) if locked.get(name) != version}
        if not upgraded:
            print("the lock already holds the newest versions pyproject.toml allows")
            return 0
        print(f"{len(upgraded)} packages differ; the lock's environment first...", flush=True)
        base_python = _environment(work / "env-locked", ROOT / "requirements/dev.txt")
        base = _run_project(base_python, work / "run-locked")
        print("the newest environment: tests, update --check, update, build...", flush=True)
        python = _environment(work / "env-latest", work / "latest/dev.txt")
        newest = _run_project(python, work / "run-latest")
        newest.failed_tests = _failed_tests(python, work / "latest.xml", [])
        rows = [_row("all together", f"{len(upgraded)} packages", base, newest)]
        for index, (name, versions) in enumerate(upgraded.items()):
            print(f"[{index + 1}/{len(upgraded)}] {name} alone...", flush=True)
            one = _environment(work / f"env-{name}", ROOT / "requirements/dev.txt",
                               (f"{name}=={latest[name]}",))
            outcome = _run_project(one, work / f"run-{name}")
            if newest.failed_tests:
                outcome.failed_tests = _failed_tests(one, work / f"{name}.xml",
                                                     newest.failed_tests)
            rows.append(_row(name, versions, base, outcome))
        _print(rows)
        (ROOT / "artifacts").mkdir(exist_ok=True)
        (ROOT / "artifacts/deps-latest.json").write_text(json.dumps(rows, indent=1) + "\n")
        print("\nJSON in artifacts/deps-latest.json; to take the upgrade: `nox -s lock`")
        return 1 if any(row["failing_tests"] or row["catalogs_changed"] or row["outputs_changed"]
                        or not row["update_check_passes"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
