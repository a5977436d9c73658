"""Every example in the pipeline's docstrings runs, in every module but the CLI's entry point."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pipeline

MODULES = sorted(info.name for info in pkgutil.walk_packages(pipeline.__path__, "pipeline.")
                 if info.name != "pipeline.__main__")  # importing it runs the CLI


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples fail in {name}"


def test_the_examples_are_found() -> None:
    found = {name: doctest.testmod(importlib.import_module(name)).attempted
             for name in ("pipeline.qa.glossary", "pipeline.languages", "pipeline.po.headers")}
    assert all(found.values()), found
