"""Every JSON document a build writes is checked against its schema in pipeline/schemas/."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

from pipeline.errors import PipelineError

SCHEMAS = {"page": "page.schema.json", "manifest": "manifest.schema.json"}


def schema(name: str) -> dict[str, Any]:
    """A published schema, by name: "page" or "manifest"."""
    text = resources.files("pipeline").joinpath(f"schemas/{SCHEMAS[name]}").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@lru_cache(maxsize=len(SCHEMAS))
def _validator(name: str) -> jsonschema_rs.Draft202012Validator:
    # jsonschema-rs: the Python jsonschema took 34 ms a page, most of a build (the tests still
    # validate every output with the Python jsonschema as well, an independent second reader).
    return jsonschema_rs.Draft202012Validator(schema(name), validate_formats=True)


def _json_path(parts: list[str | int]) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts)


def problems(document: dict[str, Any], name: str, path: Path) -> list[PipelineError]:
    """What keeps a document from following its schema, one error per problem, in order."""
    validator = _validator(name)
    if validator.is_valid(document):
        return []
    errors = sorted((_json_path(list(error.instance_path)), error.message)
                    for error in validator.iter_errors(document))
    return [PipelineError(f"does not follow pipeline/schemas/{SCHEMAS[name]}: {message} "
                          f"(at {where})", path) for where, message in errors]
