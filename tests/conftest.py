"""Shared fixtures: a throw-away copy of the project, and the real CLI run in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from pipeline.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def copy_project(target: Path) -> Path:
    """The project's source, catalogs and settings, copied to `target`."""
    for folder in ("source", "locales", "glossary"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def settings(project: Path) -> Settings:
    return load_settings(project)


def run_cli(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline ARGS` in `root`, as a maintainer runs it."""
    env = {**os.environ, "COLUMNS": "120"}
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=root, env=env,
                            capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"pipeline {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


# Property and fuzz tests (tests/test_properties.py, tests/test_fuzz.py): derandomized, so that
# the same examples run every time, and each test sets its own bounded number of examples.
hypothesis_settings.register_profile("pipeline", derandomize=True, deadline=None, database=None,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("pipeline")
