"""The hashed lock files in requirements/ that every nox session and .ci/run install from,
compiled by uv from pyproject.toml (`nox -s lock`; `nox -s deps-latest` compiles fresh ones)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"  # the oldest Python pyproject.toml allows: the locks must install there
# Each lock and what it is compiled from; run.txt takes dev.txt's versions, so that a build
# and the tests run the same code.
LOCKS = {
    "dev.txt": ("pyproject.toml", "requirements/build.in", "--extra=test", "--extra=lint"),
    "run.txt": ("pyproject.toml", "requirements/build.in", "--constraint={folder}/dev.txt"),
    "nox.txt": ("requirements/nox.in",),
}


def uv() -> str:
    """The uv that nox[uv] installed beside this Python, else the one on PATH."""
    try:
        from uv import find_uv_bin
    except ImportError:
        return "uv"
    return str(find_uv_bin())


def compile_locks(folder: Path, upgrade: bool, packages: tuple[str, ...] = ()) -> None:
    """Write the locks into folder: the newest versions allowed with `upgrade`, else keeping
    every pin the folder's files already hold (but for `packages`, upgraded)."""
    for name, sources in LOCKS.items():
        upgrades = ["--upgrade"] if upgrade else [f"--upgrade-package={p}" for p in packages]
        command = [uv(), "pip", "compile", "--quiet", "--universal", "--generate-hashes",
                   f"--python-version={PYTHON}", "--custom-compile-command=nox -s lock",
                   *upgrades, *(source.format(folder=folder) for source in sources),
                   "-o", str(folder / name)]
        subprocess.run(command, cwd=ROOT, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("packages", nargs="*", help="upgrade only these (default: all)")
    args = parser.parse_args()
    compile_locks(ROOT / "requirements", upgrade=not args.packages, packages=tuple(args.packages))
    print("requirements/*.txt written: review `git diff requirements/`, then run "
          "`nox -s tests` and `nox -s deps-latest`'s checks (update --check, build)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
