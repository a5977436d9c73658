"""The locks in requirements/ agree with pyproject.toml: every requirement pinned, in range,
with hashes, the same version in every lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

LOCKS = ROOT / "requirements"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    """A lock's pinned versions by normalised package name."""
    text = (LOCKS / name).read_text(encoding="utf-8")
    return {canonicalize_name(package): version for package, version in _PIN.findall(text)}


def _requirements(path: Path) -> list[Requirement]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in (line.split("#")[0].strip() for line in lines) if line]


def _pyproject() -> dict[str, list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    build = _requirements(LOCKS / "build.in")
    runtime = [Requirement(text) for text in project["dependencies"]]
    extras = [Requirement(text) for group in project["optional-dependencies"].values()
              for text in group]
    return {"run.txt": runtime + build, "dev.txt": runtime + extras + build,
            "nox.txt": _requirements(LOCKS / "nox.in")}


@pytest.mark.parametrize("lock", ["run.txt", "dev.txt", "nox.txt"])
def test_every_requirement_is_pinned_in_its_range(lock: str) -> None:
    pinned = pins(lock)
    for requirement in _pyproject()[lock]:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement} is not in requirements/{lock}: run `nox -s lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), \
            f"requirements/{lock} pins {name}=={pinned[name]}, outside {requirement}: " \
            "run `nox -s lock`"


def test_the_build_backend_is_the_one_pyproject_asks_for() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert [Requirement(text) for text in project["build-system"]["requires"]] == \
        _requirements(LOCKS / "build.in")


@pytest.mark.parametrize("lock", ["run.txt", "dev.txt", "nox.txt"])
def test_every_pin_has_hashes(lock: str) -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (LOCKS / lock).read_text(encoding="utf-8"))
    unhashed = [block.split()[0] for block in blocks
                if _PIN.match(block) and "--hash=sha256:" not in block]
    assert not unhashed


def test_a_build_runs_the_versions_the_tests_run() -> None:
    run, dev = pins("run.txt"), pins("dev.txt")
    assert {name: version for name, version in run.items() if dev.get(name) != version} == {}


def test_no_lock_names_where_packages_come_from() -> None:
    for lock in LOCKS.glob("*.txt"):
        assert "://" not in lock.read_text(encoding="utf-8"), lock.name
