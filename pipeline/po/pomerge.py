"""The merge verb: msgmerge's job on any catalog pair, with update's semantics, and the old
catalog's translations offered as suggestions for English that pairs with none."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.po import pofile
from pipeline.po.catalogs import merge_units, today
from pipeline.runtime.parallel import collector_paused

if TYPE_CHECKING:
    from pipeline.po.catalogs import MergeCounts, Unit
    from pipeline.po.model import Catalog


def merge_files(old_path: Path, template_path: Path, output: Path,
                language: str | None = None) -> MergeCounts:
    """msgmerge's job on any catalog pair, with update's semantics: exact carry, edited English
    paired and made fuzzy with the previous msgid, removed English obsolete, and new English
    offered the old catalog's best match as a suggestion."""
    with collector_paused():  # the ~10 objects per entry all live to the end
        catalog, counts = merged(pofile.read(old_path), pofile.read(template_path), old_path,
                                 template_path, language)
        text = pofile.render(catalog)
    from pipeline.runtime.fsio import write_if_changed

    write_if_changed(output, text)
    return counts


def merged(old: Catalog, template: Catalog, old_path: Path, template_path: Path,
           language: str | None) -> tuple[Catalog, MergeCounts]:
    """The merge of a template into an old catalog, read from these paths."""
    from pipeline.memory.suggestions import suggester
    from pipeline.memory.units import catalog_units

    language = language or old.header_value("Language")
    if not language:
        raise PipelineError("the catalog has no Language header: give the language with --lang",
                            old_path)
    domain = old.header_value("Project-Id-Version") or template_path.stem
    # A template's entries as units: their flags other than format flags are dropped.
    units: list[Unit] = [
        entry if not entry.flags else replace(entry, flags=tuple(
            flag for flag in entry.flags if flag.endswith("-format")))
        for entry in template.entries if not entry.obsolete]
    suggest = suggester(catalog_units(old, language, old_path.name))
    return merge_units(domain, units, old, language, old.header_comment, today(), suggest)
