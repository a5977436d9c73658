"""Same bytes everywhere: update and build give identical catalogs and outputs whatever the
locale, timezone, umask and hash seed of the machine that runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project, snapshot

# Two machines as unlike as the environment can make them.
MACHINES = (
    {"LANG": "C", "LC_ALL": "C", "TZ": "UTC", "PYTHONHASHSEED": "0", "umask": "022"},
    {"LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "TZ": "Pacific/Kiritimati",
     "PYTHONHASHSEED": "4242", "umask": "077"},
)


def _run(project: Path, machine: dict[str, str], *args: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
    env.update({key: value for key, value in machine.items() if key != "umask"})
    command = f"umask {machine['umask']} && exec \"$0\" -m pipeline \"$@\""
    subprocess.run(["sh", "-c", command, sys.executable, *args], cwd=project, env=env,
                   check=True, capture_output=True)


@pytest.mark.slow  # four new processes, under foreign locales
def test_two_unlike_machines_write_the_same_bytes(tmp_path: Path) -> None:
    results = []
    for index, machine in enumerate(MACHINES):
        project = copy_project(tmp_path / f"machine{index}")
        for verb in ("update", "build"):
            _run(project, machine, "--quiet", verb)
        results.append({**snapshot(project / "locales"),
                        **{f"outputs/{name}": data
                           for name, data in snapshot(project / "outputs").items()}})
    assert results[0].keys() == results[1].keys()
    assert [name for name in results[0] if results[0][name] != results[1][name]] == []


def test_the_second_machine_is_really_german() -> None:
    """The comparison above is complete only where the German locale exists: CI makes it."""
    result = subprocess.run([sys.executable, "-c", "import locale; "
                             "print(locale.setlocale(locale.LC_ALL, ''))"],
                            env={**os.environ, "LC_ALL": "de_DE.UTF-8"}, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0 and not os.environ.get("CI"):
        pytest.skip("no de_DE.UTF-8 locale here: .ci/run makes it (localedef -i de_DE -f UTF-8)")
    assert result.returncode == 0 and result.stdout.strip() == "de_DE.UTF-8"
