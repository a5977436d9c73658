"""Site benchmarks: a generated project of many pages and languages, built and updated through
the CLI: full build, no-op rebuild, a one-page edit, and update after a 5% edit."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from benchmarks.corpus import LANGUAGES, near_duplicate, page_yaml, sentences, translate
from benchmarks.merge import timed
from pipeline import extracting, flow, updating
from pipeline.config import load_settings
from pipeline.po import catalogs, pofile
from pipeline.po.model import Entry
from pipeline.skip import builds

ROOT = Path(__file__).resolve().parent.parent
SEGMENTS_PER_PAGE = 48


def make_project(folder: Path, pages: int, languages: int) -> Path:
    """A project with `pages` generated pages, translated completely into `languages`."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "source" / "pages").mkdir(parents=True)
    shutil.copy(ROOT / "source" / "site.yaml", folder / "source" / "site.yaml")
    chosen = LANGUAGES[:languages]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = pyproject.replace('languages = ["es", "de", "ar"]',
                                  "languages = [" + ", ".join(f'"{c}"' for c in chosen) + "]")
    (folder / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    texts = iter(sentences(pages * SEGMENTS_PER_PAGE, seed=pages))
    for number in range(pages):
        slug = f"condition-{number:04d}"
        (folder / "source" / "pages" / f"{slug}.yaml").write_text(
            page_yaml(slug, texts), encoding="utf-8")
    settings = load_settings(folder)
    flow.extract(settings)
    for template in extracting.templates(settings):
        for language in chosen:
            entries = tuple(
                Entry(unit.msgid, translate(unit.msgid, language), unit.msgid_plural,
                             tuple(translate(unit.msgid, language) for _ in range(
                                 catalogs.plural_rule(language, None).count)) if unit.msgid_plural
                             else (), locations=unit.locations, comments=unit.comments,
                             flags=unit.flags)
                for unit in template.units)
            empty, _ = catalogs.merge(template, None, language,  # as update writes it
                                      updating.catalog_comment(language, template.domain),
                                      "2026-11-25")
            path = settings.catalog_path(language, template.domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pofile.render(replace(empty, entries=entries)))
    return folder


def edit_pages(folder: Path, share: float, seed: int) -> int:
    """Edit `share` of all sentences of the pages' prose (a number or a word); return how many."""
    rng = random.Random(seed)
    edited = 0

    def edit(node: Any) -> Any:
        nonlocal edited
        if isinstance(node, dict):
            return {key: node[key] if key in ("slug", "reviewed", "id") else edit(node[key])
                    for key in node}
        if isinstance(node, list):
            return [edit(item) for item in node]
        if isinstance(node, str) and len(node) > 40:
            sentences_ = node.split(". ")
            for index, sentence in enumerate(sentences_):
                if rng.random() < share:
                    sentences_[index] = near_duplicate(sentence.rstrip(".") + ".", rng)[:-1]
                    edited += 1
            return ". ".join(sentences_)
        return node

    for path in sorted((folder / "source" / "pages").glob("*.yaml")):
        page = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(edit(page), sort_keys=False, allow_unicode=True,
                                       width=100), encoding="utf-8")
    return edited


def settle() -> None:
    """Start a full build as the first one would: the deleted outputs' disk work done, and,
    where this process may, the page cache dropped. Each full build writes about 1 GB; with
    the last run's pages still cached, the kernel's time for the next run's files grew from
    3 to 9 s of the build's CPU time here."""
    os.sync()
    with contextlib.suppress(OSError):  # not Linux, or not allowed: timings only vary more
        Path("/proc/sys/vm/drop_caches").write_text("3\n", encoding="ascii")


def run(folder: Path, pages: int, languages: int, runs: int) -> dict[str, Any]:
    project = make_project(folder, pages, languages)
    cli = [sys.executable, "-m", "pipeline", "-q", "--root", str(project)]
    results: dict[str, Any] = {"pages": pages, "languages": languages}

    def measure(name: str, command: list[str], before: Any = None, repeat: int = runs) -> None:
        times, peak = [], 0
        for _ in range(repeat):
            if before:
                before()
            elapsed, memory = timed(command, 3600)
            assert elapsed is not None
            times.append(elapsed)
            peak = max(peak, memory)
        times.sort()
        results[name] = {"seconds": round(times[len(times) // 2], 2),
                         "peak_mib": round(peak / 1024, 1)}

    def clean() -> None:  # every page again; the sentences and check results kept in .cache/
        shutil.rmtree(project / "outputs", ignore_errors=True)
        (project / ".cache" / builds.STATE_FILE).unlink(missing_ok=True)
        settle()

    def fresh() -> None:  # as in a fresh clone
        shutil.rmtree(project / "outputs", ignore_errors=True)
        shutil.rmtree(project / ".cache", ignore_errors=True)
        settle()

    measure("full build from nothing", [*cli, "build"], before=fresh)
    measure("full build (kept results)", [*cli, "build"], before=clean)
    settings = project / "pyproject.toml"
    configured = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^pseudo_languages = .*$", "pseudo_languages = []",
                               configured), encoding="utf-8")
    measure("full build from nothing, no pseudo-locales", [*cli, "build"], before=fresh)
    measure("full build (kept results), no pseudo-locales", [*cli, "build"], before=clean)
    settings.write_text(configured, encoding="utf-8")
    subprocess.run([*cli, "build"], check=True)  # the project as configured, for what follows
    measure("no-op rebuild", [*cli, "build"])
    page = project / "source" / "pages" / "condition-0000.yaml"
    original = page.read_text(encoding="utf-8")
    counter = iter(range(1000))
    measure("one-page edit rebuild", [*cli, "build"], before=lambda: page.write_text(
        original.replace("what helps", f"what helps ({next(counter)})"), encoding="utf-8"))
    page.write_text(original, encoding="utf-8")
    catalog = project / "locales" / LANGUAGES[0] / "LC_MESSAGES" / "condition-0001.po"
    translated = pofile.read(catalog)

    def edit_catalog() -> None:  # a translator rewords one translation, back and forth
        first = translated.entries[0]
        reworded = replace(first, msgstr=first.msgstr + " ya" * (next(counter) % 2))
        catalog.write_bytes(pofile.render(replace(translated, entries=(
            reworded, *translated.entries[1:]))))

    measure("one-catalog edit rebuild", [*cli, "build"], before=edit_catalog)
    catalog.write_bytes(pofile.render(translated))
    # The first update indexes every catalog into the translation memory; later ones index
    # only the catalogs changed since, as in a project that is updated day after day.
    measure("first update (memory indexed)", [*cli, "update"], repeat=1)
    results["edited sentences"] = edit_pages(project, 0.05, seed=5)
    measure("update after 5% edit", [*cli, "update"], repeat=1)
    measure("next update (memory re-indexed)", [*cli, "update"], repeat=1)
    measure("no-op update", [*cli, "update"])
    return results
