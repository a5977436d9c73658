"""Results kept between runs under a digest of what they were made from: the sentences of a
page's prose (pysbd is slow), each page's template, and which translations of a catalog fail a
check."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline.model import Page, Template, Text
from pipeline.skip.store import code_version, digest, entry, load, prune, store
from pipeline.source import segment

SENTENCES = "sentences"  # .cache/sentences/<key>.json: text -> its sentences, for one page
TEMPLATES = "templates.json"  # .cache/templates.json: key -> a page's template
CHECKS = "checks.json"  # .cache/checks.json: key -> {msgid: failed check}, by catalog

Splits = Mapping[str, tuple[str, ...]]
Failed = dict[str, str]  # by English, the error-level check its translation fails


def sentences_key(page_digest: str) -> str:
    """Where the sentences of a page file (by the digest of its bytes) are kept."""
    return digest(segment.segmenter_version(), page_digest)


def page_sentences(cache_dir: Path, page_digest: str, page: Page[Text],
                   keep: bool = True) -> Splits:
    """The splits of a page's prose that need pysbd, as an earlier run kept them for the same
    bytes, or made now and kept for the next (unless `keep` is false; a page whose prose pysbd
    need not split keeps nothing: splitting it again costs less than a file)."""
    path = entry(cache_dir / SENTENCES, sentences_key(page_digest))
    known: Splits | None = load(path, dict[str, tuple[str, ...]])
    if known is not None and all(_same_text(text, parts) for text, parts in known.items()):
        return known
    splits = segment.prose_sentences(page)
    if splits and keep:
        store(path, splits)
    return splits


def _same_text(text: str, parts: tuple[str, ...]) -> bool:
    """Whether kept sentences are a split of the text (else they are no split of it)."""
    return "".join(text.split()) == "".join("".join(parts).split())


def template_key(granularity: str, root: Path, path: Path, page_digest: str) -> str:
    """Where the template of a page file (by the digest of its bytes) is kept."""
    return digest(code_version(), segment.segmenter_version(), granularity, str(root), str(path),
                  page_digest)


def kept_templates(cache_dir: Path, keys: Mapping[Path, str]) -> dict[Path, Template]:
    """The templates an earlier run kept for page files with these keys (by file)."""
    table = load(cache_dir / TEMPLATES, dict[str, Template]) or {}
    return {path: table[key] for path, key in keys.items() if key in table}


def keep_templates(cache_dir: Path, keys: Mapping[Path, str],
                   made: Mapping[Path, Template], digests: Mapping[Path, str]) -> None:
    """Keep the templates of the pages as they are now, and only their sentences."""
    prune(cache_dir / SENTENCES, {sentences_key(found) for found in digests.values()})
    store(cache_dir / TEMPLATES, dict(sorted((keys[path], template)
                                             for path, template in made.items())))


def check_key(base: str, catalog_digest: str, record_digest: str) -> str:
    """Where a catalog's check results are kept: what they depend on besides its bytes (see
    localizing.checks_base), and the digests of its bytes and of its history record's ("-"
    when it has none)."""
    return digest(base, catalog_digest, record_digest)


def kept_checks(cache_dir: Path) -> dict[str, Failed]:
    return load(cache_dir / CHECKS, dict[str, dict[str, str]]) or {}


def keep_checks(cache_dir: Path, current: set[str], found: Mapping[str, Failed]) -> None:
    """Keep the check results of the catalogs as they are now (`current`), with those `found`
    anew."""
    kept = kept_checks(cache_dir)
    table = {key: failed for key, failed in kept.items() if key in current}
    table.update((key, failed) for key, failed in found.items() if key in current)
    if table.keys() != kept.keys():
        store(cache_dir / CHECKS, dict(sorted(table.items())))
