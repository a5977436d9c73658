"""The catalogs an update may leave unread: those whose merge would write them back as they are,
known by a digest of every input of that merge; and the templates extract need not write again
(docs/performance.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline import cache
from pipeline.memory.index import Source
from pipeline.model import Template
from pipeline.po.catalogs import MergeCounts
from pipeline.po.model import Catalog
from pipeline.qa.glossary import Glossary

TABLE = "updates.pickle"  # .cache/updates.pickle: (language, domain) -> Record
TEMPLATES_TABLE = "pots.pickle"  # .cache/pots.pickle: domain -> the digest of its .pot's inputs

Catalogs = tuple[str, str]  # (language, domain)


@dataclass(frozen=True)
class Record:
    """A catalog as an update left it: the digest of its merge's inputs with its own bytes, the
    memory's version if it asks the memory for suggestions, and what merging it again reports."""

    inputs: str
    memory: str | None
    counts: MergeCounts


def inputs(template_digest: str, terms: Glossary, comment: tuple[str, ...], threshold: float,
           catalog_digest: str, record_digest: str) -> str:
    """What a catalog's merge reads besides the memory: the code (with Babel's plural forms and
    language names, and rapidfuzz's scores of the memory's suggestions), the template, the
    glossary, the header comment, the memory's threshold, the catalog's bytes and its history
    record's (pipeline/po/history.py). The day is
    not among them: it dates only what a merge sees change, and a merge of its own output sees
    nothing change."""
    import babel
    import rapidfuzz

    return cache.digest(cache.code_version(), babel.__version__, rapidfuzz.__version__,
                        template_digest, repr(terms), repr(comment), repr(threshold),
                        catalog_digest, record_digest)


def template_digest(template: Template) -> str:
    return cache.digest(repr(template))


def pot_digest(template_digest: str, data: bytes) -> str:
    """A template file's bytes as the code makes them from a template."""
    return cache.digest(cache.code_version(), template_digest, data)


def load_pots(cache_dir: Path) -> dict[str, str]:
    table = cache.load_table(cache_dir / TEMPLATES_TABLE)
    return {domain: found for domain, found in table.items() if isinstance(found, str)}


def save_pots(cache_dir: Path, pots: Mapping[str, str]) -> None:
    cache.store(cache_dir / TEMPLATES_TABLE, dict(sorted(pots.items())))


def memory_version(sources: Iterable[Source]) -> str:
    """The memory's content: every file it indexes, by its digest."""
    return cache.digest(*sorted(f"{source.path}\0{source.digest}" for source in sources))


def record(catalog: Catalog, inputs_digest: str, memory: str) -> Record:
    """The record of a catalog an update wrote (or found already so). A merge of it reports its
    translated entries kept and the others new; it asks the memory about those without a
    plural (catalogs.merge_units), so then only the same memory finds nothing again."""
    active = [entry for entry in catalog.entries if not entry.obsolete]
    translated = sum(1 for entry in active if entry.translated)
    asks = any(not entry.translated and entry.msgid_plural is None for entry in active)
    return Record(inputs_digest, memory if asks else None,
                  MergeCounts(kept=translated, new=len(active) - translated))


def load(cache_dir: Path) -> dict[Catalogs, Record]:
    return {name: found for name, found in cache.load_table(cache_dir / TABLE).items()
            if isinstance(found, Record)}


def save(cache_dir: Path, records: Mapping[Catalogs, Record]) -> None:
    cache.store(cache_dir / TABLE, dict(sorted(records.items())))


def unchanged(records: Mapping[Catalogs, Record], current: Mapping[Catalogs, str],
              memory: str) -> dict[Catalogs, Record]:
    """The catalogs whose inputs (`current`, by catalog) and memory are those of their record."""
    return {name: found for name, digest in current.items()
            if (found := records.get(name)) is not None and found.inputs == digest
            and found.memory in (None, memory)}
