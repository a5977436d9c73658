"""The catalogs an update may leave unread: those whose merge would write them back as they are,
known by a digest of every input of that merge; and the templates extract need not write again
(docs/performance.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.memory.index import Source
from pipeline.model import Template
from pipeline.po.catalogs import MergeCounts
from pipeline.po.model import Catalog
from pipeline.qa.glossary import Glossary
from pipeline.skip.store import code_version, digest, load, store

UPDATES = "updates.json"  # .cache/updates.json: language -> domain -> Record
POTS = "pots.json"  # .cache/pots.json: domain -> the digest of its .pot's inputs


@dataclass(frozen=True)
class Record:
    """A catalog as an update left it: the digest of its merge's inputs with its own bytes, the
    memory's version if it asks the memory for suggestions, and what merging it again reports."""

    inputs: str
    memory: str | None
    counts: MergeCounts


Records = dict[str, dict[str, Record]]  # language -> domain -> record


def merge_inputs(template_digest: str, terms: Glossary, comment: tuple[str, ...],
                 threshold: float, catalog_digest: str,
                 record_digest: str) -> str:
    """What a catalog's merge reads besides the memory: the code (with Babel's plural forms and
    language names, and rapidfuzz's scores of the memory's suggestions), the template, the
    glossary, the header comment, the memory's threshold, the catalog's bytes and its history
    record's (pipeline/po/history.py). The day is
    not among them: it dates only what a merge sees change, and a merge of its own output sees
    nothing change."""
    import babel
    import rapidfuzz

    return digest(code_version(), babel.__version__, rapidfuzz.__version__, template_digest,
                  repr(terms), repr(comment), repr(threshold), catalog_digest, record_digest)


def template_digest(template: Template) -> str:
    return digest(repr(template))


def pot_digest(template_digest: str, data: bytes) -> str:
    """A template file's bytes as the code makes them from a template."""
    return digest(code_version(), template_digest, data)


def kept_pots(cache_dir: Path) -> dict[str, str]:
    return load(cache_dir / POTS, dict[str, str]) or {}


def keep_pots(cache_dir: Path, pots: Mapping[str, str]) -> None:
    store(cache_dir / POTS, dict(sorted(pots.items())))


def memory_version(sources: Iterable[Source]) -> str:
    """The memory's content: every file it indexes, by its digest."""
    return digest(*sorted(f"{source.path}\0{source.digest}" for source in sources))


def record(catalog: Catalog, inputs_digest: str, memory: str) -> Record:
    """The record of a catalog an update wrote (or found already so). A merge of it reports its
    translated entries kept and the others new; it asks the memory about those without a
    plural (catalogs.merge_units), so then only the same memory finds nothing again."""
    active = [entry for entry in catalog.entries if not entry.obsolete]
    translated = sum(1 for entry in active if entry.translated)
    asks = any(not entry.translated and entry.msgid_plural is None for entry in active)
    return Record(inputs_digest, memory if asks else None,
                  MergeCounts(kept=translated, new=len(active) - translated))


def kept_records(cache_dir: Path) -> Records:
    return load(cache_dir / UPDATES, dict[str, dict[str, Record]]) or {}


def keep_records(cache_dir: Path, records: Iterable[tuple[str, Mapping[str, Record]]]) -> None:
    """Keep what this update left of each language's catalogs (language, records by domain)."""
    store(cache_dir / UPDATES, {language: dict(sorted(found.items()))
                                for language, found in sorted(records)})


def unread(records: Records, current: Mapping[str, Mapping[str, str]],
           memory: str) -> Records:
    """The catalogs (by language and domain) whose inputs (`current`) and memory are those of
    their record: an update may leave them unread."""
    return {language: {domain: found for domain, inputs in domains.items()
                       if (found := records.get(language, {}).get(domain)) is not None
                       and found.inputs == inputs and found.memory in (None, memory)}
            for language, domains in current.items()}
