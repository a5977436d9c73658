"""A composed YAML tree read with every problem kept, each at its line and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pipeline.errors import PipelineError
from pipeline.model import Text
from pipeline.runtime.fsio import PAGE, FileKind, read_bounded

# A longer field is almost certainly a paste error, and would be unreadable in a translator's tool.
MAX_TEXT_LENGTH = 4000
# Control characters (YAML lets "\0" or "\e" through as escapes): no page text holds one.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STR_TAG = "tag:yaml.org,2002:str"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

KINDS = {"int": "a number", "float": "a number", "bool": "a true/false value",
         "null": "an empty value", "seq": "a list", "map": "a mapping",
         "timestamp": "a date"}

N = TypeVar("N")


class Reader:
    """Walks a composed YAML tree, collecting every problem with its line and column."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[PipelineError] = []

    def fail(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(PipelineError(message, self.path, mark.line + 1, mark.column + 1))

    def mapping(self, node: Node, where: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.fail(node, f"{where} must be a mapping of {', '.join(required + optional)}")
            return None
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                self.fail(key_node, f"{where}: a key must be plain text")
            elif key in result:
                self.fail(key_node, f"{where}.{key} is given twice; keep one")
            elif key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.fail(key_node, f"{where}: unknown field {key!r}; allowed: {allowed}")
            else:
                result[key] = value_node
        for key in required:
            if key not in result:
                self.fail(node, f"{where}: missing field {key!r}")
        return result

    def sequence(self, node: Node, where: str, item: Callable[[Node, str, int], N | None],
                 allow_empty: bool = False) -> tuple[N, ...]:
        if not isinstance(node, SequenceNode):
            self.fail(node, f"{where} must be a list")
            return ()
        if not node.value and not allow_empty:
            self.fail(node, f"{where} must not be empty")
        found = (item(child, f"{where}[{index}]", index + 1)
                 for index, child in enumerate(node.value))
        return tuple(value for value in found if value is not None)

    def string(self, node: Node, where: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag != STR_TAG:
            kind = KINDS.get(node.tag.rsplit(":", 1)[-1], "value")
            self.fail(node, f"{where} must be text, not {kind}; quote it if it is meant as text")
            return None
        value = str(node.value).strip()
        if not value:
            self.fail(node, f"{where} must not be empty")
            return None
        if len(value) > MAX_TEXT_LENGTH:
            self.fail(node, f"{where} is {len(value)} characters long (at most "
                            f"{MAX_TEXT_LENGTH}); split it into several paragraphs or items")
            return None
        if control := CONTROL.search(value):
            self.fail(node, f"{where} holds a control character (U+{ord(control.group()):04X}); "
                            "remove it")
            return None
        return value

    def text(self, node: Node | None, where: str, id: str, role: str,
             prose: bool) -> Text | None:
        if node is None:
            return None
        value = self.string(node, where)
        if value is None:
            return None
        return Text(value=value, id=id, role=role, prose=prose, line=node.start_mark.line + 1)


# libyaml's parser when PyYAML has it: the same nodes, about ten times faster.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_file(path: Path) -> None:
    """A page file is a regular file of a page's size, checked before anything reads it."""
    read_bounded(path, PAGE)


def _refuse_aliases(root: Node | None, path: Path) -> None:
    """A YAML alias (*name) repeats a node wherever it stands, and a few of them nested repeat
    it millions of times (a "billion laughs"): pages have no use for them."""
    seen: set[int] = set()
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        if id(node) in seen:
            raise PipelineError("a YAML alias (*name) repeats an anchored value; pages, site "
                                "strings and glossaries use no anchors and aliases: write "
                                "the value out",
                                path, node.start_mark.line + 1, node.start_mark.column + 1)
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            pending += node.value
        elif isinstance(node, MappingNode):
            pending += [part for pair in node.value for part in pair]


def compose(path: Path, kind: FileKind = PAGE) -> Node | None:
    """Parse one YAML file into a node tree; syntax and encoding problems are PipelineErrors."""
    root = _compose(path, kind)
    _refuse_aliases(root, path)
    return root


def _compose(path: Path, kind: FileKind) -> Node | None:
    raw = read_bounded(path, kind)
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PipelineError(f"not UTF-8 (byte {raw[error.start]:#x}); save the file as UTF-8",
                            path, line) from None
    try:
        return yaml.compose(content, Loader=FAST_LOADER)
    except (yaml.YAMLError, RecursionError):
        pass  # the pure-Python parser says more precisely where and what: ask it
    try:
        return yaml.compose(content, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        # Point at where the broken construct began (an unclosed quote), not where parsing gave up.
        mark = error.context_mark or error.problem_mark
        detail = " ".join(part for part in (error.context, error.problem) if part)
        if error.context_mark and error.problem_mark:
            detail += f" (at line {error.problem_mark.line + 1})"
        if mark is None:
            raise PipelineError(f"YAML syntax error: {detail}", path) from None
        raise PipelineError(f"YAML syntax error: {detail}", path, mark.line + 1,
                            mark.column + 1) from None
    except yaml.reader.ReaderError as error:
        line = content[: error.position].count("\n") + 1
        raise PipelineError(f"a control character (U+{error.character:04X}), which YAML does "
                            "not allow; remove it", path, line) from None
    except yaml.YAMLError as error:
        raise PipelineError(f"YAML error: {error}", path) from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise PipelineError("YAML nested too deeply to be a page; fix the brackets or "
                            "indentation", path) from None
