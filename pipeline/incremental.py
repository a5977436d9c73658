"""What a build may skip: a fingerprint of every input, and the outputs the last build left."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pipeline
from pipeline.config import Settings
from pipeline.fsio import write_if_changed
from pipeline.render.manifest import MANIFEST
from pipeline.render.outputs import BuildResult

STATE_FILE = "build-state.json"
CODE = Path(pipeline.__file__).resolve().parent
CODE_SUFFIXES = (".py", ".j2", ".css", ".json", ".svg")


def _inputs(settings: Settings) -> list[Path]:
    """Everything a build reads: source, catalogs, glossaries, settings, and the pipeline."""
    found = [*settings.source_dir.rglob("*.yaml"), *settings.locales_dir.rglob("*.po"),
             *(settings.root / "glossary").rglob("*.yaml"), settings.root / "pyproject.toml"]
    found += [path for path in CODE.rglob("*") if path.suffix in CODE_SUFFIXES]
    return sorted(path for path in found if path.is_file())


def inputs_fingerprint(settings: Settings) -> str:
    """A digest of the bytes of every input of a build, with their names."""
    digest = hashlib.sha256(pipeline.__version__.encode())
    for path in _inputs(settings):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _outputs(folder: Path) -> dict[str, list[int]]:
    return {path.relative_to(folder).as_posix(): [path.stat().st_size, path.stat().st_mtime_ns]
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _state_path(settings: Settings) -> Path:
    return settings.cache_dir / STATE_FILE


def unchanged(settings: Settings, fingerprint: str) -> BuildResult | None:
    """The last build's result when its inputs are the same and its outputs untouched."""
    try:
        state = json.loads(_state_path(settings).read_text(encoding="utf-8"))
        if state["inputs"] != fingerprint or state["outputs"] != _outputs(settings.outputs_dir):
            return None
        manifest = json.loads((settings.outputs_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return BuildResult((), len(state["outputs"]), (), manifest)


def remember(settings: Settings, fingerprint: str) -> None:
    """Record what this build read and wrote, for the next build to compare."""
    state = {"inputs": fingerprint, "outputs": _outputs(settings.outputs_dir)}
    write_if_changed(_state_path(settings), json.dumps(state, indent=1).encode("utf-8"))
