"""Typed, frozen settings from pyproject.toml [tool.pipeline]; every problem reported at once."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from babel import UnknownLocaleError

from pipeline.build.pseudo import LANGUAGES as PSEUDO_LANGUAGES
from pipeline.errors import PipelineError, raise_all
from pipeline.languages import bcp47, canonical, locale, plural_forms
from pipeline.model import SECTION_KINDS, Severity
from pipeline.runtime.fsio import SETTINGS, read_bounded

TEMPLATES_FOLDER = "templates"  # locales/templates/<domain>.pot

GRANULARITIES = ("sentence", "block")
DEFAULT_LENGTH_RATIO = (0.4, 2.5)  # translation width / English width, in display columns


class StalePolicy(StrEnum):
    """How a non-critical stale entry is shown: the English, or the old translation marked."""

    FALLBACK = "fallback"
    MARKED = "marked"


class SectionRule(StrEnum):
    """What a required section may not hold: a critical stale entry, or anything not current."""

    CRITICAL = "critical"
    CURRENT = "current"


@dataclass(frozen=True)
class Policy:
    """What may be published (docs/staleness.md): [tool.pipeline.publish]."""

    min_current: float = 80.0  # percent of a page's words that must be current
    stale: StalePolicy = StalePolicy.FALLBACK
    required_sections: tuple[str, ...] = ()  # section kinds (model.SECTION_KINDS) that matter
    require_review: bool = False  # publish only entries a reviewer has marked reviewed
    required_rule: SectionRule = SectionRule.CRITICAL  # what withholds a page


@dataclass(frozen=True)
class Checks:
    """Translator QA (docs/checks.md): [tool.pipeline.checks]."""

    severity: tuple[tuple[str, str], ...] = ()  # check name -> error, warning or off, if changed
    length_ratio: tuple[float, float] = DEFAULT_LENGTH_RATIO  # usual translation/English width

    @property
    def severities(self) -> dict[str, str]:
        return dict(self.severity)


@dataclass(frozen=True)
class Settings:
    """Where things live and which languages the site is translated into."""

    root: Path
    source_language: str
    languages: tuple[str, ...]
    segmentation: str
    source_dir: Path
    locales_dir: Path
    outputs_dir: Path
    base_url: str
    policy: Policy = Policy()
    memory_dir: Path = Path("memory")  # committed TMX files: translations that left catalogs
    cache_dir: Path = Path(".cache")  # the memory index; git-ignored, safe to delete
    memory_threshold: float = 75.0  # a memory match at least this similar pre-fills, as fuzzy
    checks: Checks = Checks()
    pseudo_languages: tuple[str, ...] = ()  # built by rule for testing, never public

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The source language first, then the translations."""
        return (self.source_language, *self.languages)

    def catalog_path(self, language: str, domain: str) -> Path:
        return self.locales_dir / self.catalog_name(language, domain)

    def catalog_file(self, language: str, domain: str) -> str:
        """catalog_path as a string: builds and updates name every catalog, 10,000 of them."""
        return f"{self.locales_dir}/{self.catalog_name(language, domain)}"

    @staticmethod
    def catalog_name(language: str, domain: str) -> str:
        """A catalog's path in locales/ (a string: an update names 10,000 of them)."""
        return f"{language}/LC_MESSAGES/{domain}.po"


def _language_problem(code: object) -> str | None:
    """Why `code` is not a language the pipeline can use: a BCP 47 tag, in its canonical form
    (a catalog folder and file names are made of it), that Babel knows."""
    if not isinstance(code, str):
        return f"a language code must be a string, not {code!r}"
    if (canonical_form := canonical(code)) is None:
        return (f"{code!r} is not a BCP 47 language tag: use one such as 'es', 'de', 'ar' or "
                "'pt-BR'")
    if canonical_form != code:
        return f"write the language tag {code!r} as {canonical_form!r}, its canonical form"
    if bcp47(code) != code:  # folders are named by language, script and region alone
        return (f"{code!r} has a variant, extension or private-use part: use a language with "
                "at most a script and a region, such as 'pt-BR' or 'zh-Hant'")
    try:
        locale(code)
    except (ValueError, UnknownLocaleError):
        return (
            f"unknown language code {code!r}: use a code Babel knows, such as 'es', 'de', 'ar' "
            "or 'pt-BR'"
        )
    return None


FOLDERS = (("source_dir", "source"), ("locales_dir", "locales"), ("outputs_dir", "outputs"),
           ("memory_dir", "memory"), ("cache_dir", ".cache"))
# The folders a build empties and a cache holds are the pipeline's alone: never one of these,
# nor one that holds or lies inside one of them.
DEDICATED = ("outputs_dir", "cache_dir")
PROJECT_FOLDERS = (".git", ".ci", ".nox", "benchmarks", "docs", "glossary", "pipeline",
                   "requirements", "tests", "tools")


def _folder_problem(key: str, default: str, value: object, root: Path) -> str | None:
    # A folder outside the project, or the project itself, would let a build's clean-up of
    # outputs/ or an update's writes reach files that are not the pipeline's.
    if not isinstance(value, str) or not value or "\0" in value \
            or Path(value).is_absolute() or ".." in Path(value).parts \
            or Path(value) == Path("."):
        return (f"{key} must be a folder inside the project, given relative to its root (such "
                f"as {default!r}), not {value!r}")
    real, base = os.path.realpath(root / value), os.path.realpath(root)
    if real == base or not real.startswith(base.rstrip(os.sep) + os.sep):
        publish = " (to publish outputs/ elsewhere, copy it there after the build)" \
            if key == "outputs_dir" else ""
        return (f"{key} = {value!r} leads outside the project (through a symbolic link, to "
                f"{real}): the pipeline writes only inside the project; make {value} a real "
                f"folder{publish}")
    if os.path.exists(real) and not os.path.isdir(real):
        return f"{key} = {value!r} is a file, not a folder: name a folder, such as {default!r}"
    return None


def _overlap(one: Path, other: Path) -> bool:
    return one == other or one.is_relative_to(other) or other.is_relative_to(one)


def _folders(table: dict[str, Any], root: Path,
             problem: Callable[[str], None]) -> dict[str, Path]:
    """The project's folders, each inside it after links are resolved; outputs_dir and
    cache_dir apart from every other folder and from the project's own."""
    paths = {}
    for key, default in FOLDERS:
        value = table.get(key, default)
        if (message := _folder_problem(key, default, value, root)) is not None:
            problem(message)
            value = default
        paths[key] = root / value
    real = {key: Path(os.path.realpath(path)) for key, path in paths.items()}
    base = Path(os.path.realpath(root))
    for key in DEDICATED:
        others = {name: path for name, path in real.items() if name != key}
        others.update({name: base / name for name in PROJECT_FOLDERS})
        clash = next((name for name, path in others.items() if _overlap(real[key], path)), None)
        if clash is not None:
            where = f"the {clash} folder" if clash.endswith("_dir") else f"{clash}/"
            problem(f"{key} = {table.get(key, dict(FOLDERS)[key])!r} would share {where}: "
                    f"the pipeline deletes and replaces files in {key}, so it must be a folder "
                    f"of its own, such as {dict(FOLDERS)[key]!r}")
    return paths


def _pipeline_table(pyproject: Path) -> dict[str, object]:
    """The [tool.pipeline] table of pyproject.toml, read as a bounded regular file."""
    if not pyproject.exists():
        raise PipelineError("no pyproject.toml here: run the pipeline from the project's root",
                            pyproject)
    try:
        document = tomllib.loads(read_bounded(pyproject, SETTINGS).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PipelineError(f"not valid TOML: {error}", pyproject) from None
    table = document.get("tool", {})
    table = table.get("pipeline", {}) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise PipelineError("[tool.pipeline] must be a table of settings (a [tool.pipeline] "
                            "section), as in docs/configuration.md", pyproject)
    return table


def _languages(table: dict[str, object], source_language: object,
               problem: Callable[[str], None]) -> list[object]:
    """The languages to translate into, each a canonical tag with a known plural rule."""
    languages = table.get("languages", [])
    if not isinstance(languages, list) or not languages:
        problem("languages must be a non-empty list of language codes, such as [\"es\", \"de\"]")
        return []
    for code in languages:
        if (message := _language_problem(code)) is not None:
            problem(f"languages: {message}")
        elif code == source_language:
            problem(f"languages: {code!r} is the source language; list only translations")
        elif plural_forms(code) is None:
            problem(f"languages: no plural rule is known for {code!r}: add its row (GNU "
                    "gettext's Plural-Forms) to pipeline/data/plural-forms.json")
    if len(set(map(str, languages))) != len(languages):
        problem("languages: a language is listed twice")
    return languages


def load_settings(root: Path) -> Settings:
    """Read [tool.pipeline] from root/pyproject.toml, reporting every problem at once."""
    pyproject = root / "pyproject.toml"
    table = _pipeline_table(pyproject)
    problems: list[PipelineError] = []

    def problem(message: str) -> None:
        problems.append(PipelineError(f"[tool.pipeline] {message}", pyproject))

    known = {"source_language", "languages", "segmentation", "source_dir", "locales_dir",
             "outputs_dir", "base_url", "publish", "memory_dir", "cache_dir",
             "memory_threshold", "checks", "pseudo_languages"}
    for key in sorted(set(table) - known):
        problem(f"unknown setting {key!r}; known settings: {', '.join(sorted(known))}")
    source_language = table.get("source_language", "en")
    if (message := _language_problem(source_language)) is not None:
        problem(f"source_language: {message}")
    languages = _languages(table, source_language, problem)
    pseudo = table.get("pseudo_languages", [])
    if not isinstance(pseudo, list) or len(set(map(str, pseudo))) != len(pseudo) \
            or not set(map(str, pseudo)) <= set(PSEUDO_LANGUAGES):
        problem(f"pseudo_languages must list each of {', '.join(PSEUDO_LANGUAGES)} at most "
                f"once, not {pseudo!r}")
        pseudo = []
    segmentation = table.get("segmentation", "sentence")
    if segmentation not in GRANULARITIES:
        problem(f"segmentation must be one of {', '.join(GRANULARITIES)}, not {segmentation!r}")
    base_url = table.get("base_url", "")
    if not isinstance(base_url, str) or not base_url.startswith(("https://", "http://")):
        problem("base_url must be the site's absolute URL, such as \"https://www.example.org\"")
        base_url = ""
    threshold = table.get("memory_threshold", 75)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) \
            or not 50 <= threshold <= 100:
        problem(f"memory_threshold must be a percentage from 50 to 100, not {threshold!r}")
        threshold = 75
    paths = _folders(table, root, problem)
    policy = _policy(table.get("publish", {}), problem)
    checks = _checks(table.get("checks", {}), problem)
    raise_all(problems)
    return Settings(
        root=root,
        source_language=str(source_language),
        languages=tuple(str(code) for code in languages),
        segmentation=str(segmentation),
        source_dir=paths["source_dir"],
        locales_dir=paths["locales_dir"],
        outputs_dir=paths["outputs_dir"],
        base_url=base_url.rstrip("/"),
        policy=policy,
        memory_dir=paths["memory_dir"],
        cache_dir=paths["cache_dir"],
        memory_threshold=float(threshold),
        checks=checks,
        pseudo_languages=tuple(map(str, pseudo)),
    )


def _policy(table: object, problem: Callable[[str], None]) -> Policy:
    if not isinstance(table, dict):
        problem("publish must be a table: [tool.pipeline.publish]")
        return Policy()
    known = {"min_current", "stale", "required_sections", "required_sections_rule",
             "require_review"}
    for key in sorted(set(table) - known):
        problem(f"publish: unknown setting {key!r}; known settings: {', '.join(sorted(known))}")
    default = Policy()
    min_current = table.get("min_current", default.min_current)
    if isinstance(min_current, bool) or not isinstance(min_current, int | float) \
            or not 0 <= min_current <= 100:
        problem(f"publish.min_current must be a percentage from 0 to 100, not {min_current!r}")
        min_current = default.min_current
    stale = table.get("stale", default.stale)
    if stale not in tuple(StalePolicy):
        problem(f"publish.stale must be one of {', '.join(StalePolicy)}, not {stale!r}")
        stale = default.stale
    sections = _required_sections(table.get("required_sections", []), problem)
    rule = table.get("required_sections_rule", default.required_rule)
    if rule not in tuple(SectionRule):
        problem(f"publish.required_sections_rule must be one of {', '.join(SectionRule)}, "
                f"not {rule!r}")
        rule = default.required_rule
    review = table.get("require_review", default.require_review)
    if not isinstance(review, bool):
        problem(f"publish.require_review must be true or false, not {review!r}")
        review = default.require_review
    return Policy(float(min_current), StalePolicy(stale), sections, review, SectionRule(rule))


def _required_sections(value: object, problem: Callable[[str], None]) -> tuple[str, ...]:
    """The section kinds named, each one the schema knows (docs/schema.md#section-kinds)."""
    kinds = ", ".join(SECTION_KINDS)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problem(f"publish.required_sections must be a list of section kinds, such as "
                f"[\"treatment\"]; the kinds: {kinds}")
        return ()
    for item in value:
        if item not in SECTION_KINDS:
            problem(f"publish.required_sections: {item!r} is not a section kind; use one of "
                    f"{kinds}")
    return tuple(item for item in value if item in SECTION_KINDS)


def _checks(table: object, problem: Callable[[str], None]) -> Checks:
    if not isinstance(table, dict):
        problem("checks must be a table: [tool.pipeline.checks]")
        return Checks()
    # imported here: the checks import the stages, and settings are read before any stage
    from pipeline.qa.checks import NAMES

    severity = []
    for name, value in sorted(table.items()):
        if name == "length_ratio":
            continue
        if name not in NAMES:
            problem(f"checks: unknown check {name!r}; known checks: {', '.join(NAMES)}")
        elif value not in tuple(Severity):
            problem(f"checks.{name} must be one of {', '.join(Severity)}, not {value!r}")
        else:
            severity.append((name, str(value)))
    ratio = table.get("length_ratio", list(DEFAULT_LENGTH_RATIO))
    if not isinstance(ratio, list) or len(ratio) != 2 or any(
            isinstance(bound, bool) or not isinstance(bound, int | float) for bound in ratio) \
            or not 0 < ratio[0] < ratio[1]:
        problem(f"checks.length_ratio must be [shortest, longest], two numbers such as "
                f"[0.4, 2.5], not {ratio!r}")
        ratio = list(DEFAULT_LENGTH_RATIO)
    return Checks(tuple(severity), (float(ratio[0]), float(ratio[1])))
