"""Bad inputs through the real CLI: the exact message, exit 1, no traceback, nothing written.

One row per case of the table in docs/errors.md. A case breaks a copy of a built project and
returns the lines the CLI must print; every verb it names must print exactly those lines to
stderr, exit 1, and leave source/, locales/, memory/ and outputs/ byte for byte as they were.
The cases run in a module fixture, and each is then judged by its own test.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from pipeline import flow
from pipeline.memory import tmx
from pipeline.memory.units import catalog_units
from pipeline.po import pofile
from tests.conftest import DATA, environment, run_cli, snapshot

PAGE = "source/pages/achilles-tendonitis.yaml"
EXTRA_PAGE = "source/pages/extra.yaml"
CATALOG = "locales/de/LC_MESSAGES/achilles-tendonitis.po"
SITE_CATALOG = "locales/de/LC_MESSAGES/site.po"
FOLDERS = ("source", "locales", "memory", "outputs")
UPDATE, BUILD = (("update",),), (("build",),)  # the verbs a case runs
BOTH = UPDATE + BUILD
FIX = "fix it in your PO editor or restore the file from git"
NOT_PO = ('not a valid PO file: this line is not a comment, keyword or a complete "quoted '
          f'string" (an unterminated string or a stray quote?); {FIX}')
BAD_SLUG = ("must be lowercase words joined by hyphens (a-z, 0-9, at most 80 characters), such "
            "as 'achilles-tendonitis'")
PAGE_FIELDS = ("slug", "category", "title", "tagline", "summary", "author", "reviewed", "intro",
               "sections", "disclaimer", "faq", "next_step")
# A small catalog whose lines the messages can name: its first entry is at line 7.
HEADER = ('msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
SYMPTOMS = '#. Heading of the section \'Symptoms\'\nmsgid "Symptoms"\nmsgstr "Symptome"\n'
DIAGNOSIS = 'msgid "How it is diagnosed"\nmsgstr "Wie sie festgestellt wird"\n'
PAGES = '#, python-brace-format\nmsgid "{count} page"\nmsgid_plural "{count} pages"\n'
ALIAS = ("a YAML alias (*name) repeats an anchored value; pages, site strings and glossaries use "
         "no anchors and aliases: write the value out")
RECORD = "locales/de/LC_MESSAGES/achilles-tendonitis.history.json"
HISTORY_FILE = "a history record is a plain .history.json file"
LINKED = ("through a symbolic link: replace the link with a real folder (the pipeline writes and "
          "deletes only inside its own folders)")
VARIANT = ("has a variant, extension or private-use part: use a language with at most a script "
           "and a region, such as 'pt-BR' or 'zh-Hant'")
OWN_FOLDER = ("the pipeline deletes and replaces files in {key}, so it must be a folder of its "
              "own, such as {default!r}")

Breaks = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Case:
    """A bad input: how to break a project, and the verbs (with arguments) that must refuse it."""

    id: str
    breaks: Breaks
    verbs: tuple[tuple[str, ...], ...] = BUILD


def _write(project: Path, name: str, text: str | bytes) -> None:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _page_with(project: Path, old: str, new: str) -> str:
    """The English page's text with one change, written as a second page; returns the text."""
    text = (project / PAGE).read_text(encoding="utf-8")
    assert old in text
    _write(project, EXTRA_PAGE, text.replace(old, new, 1))
    return text.replace(old, new, 1)


def _line(text: str, start: str) -> int:
    """The number of the first line of `text` that starts with `start`."""
    return next(number for number, line in enumerate(text.splitlines(), start=1)
                if line.startswith(start))


def _data_page(name: str, *messages: str) -> Breaks:
    def breaks(project: Path) -> list[str]:
        shutil.copy(DATA / f"bad.{name}.yaml", project / EXTRA_PAGE)
        return [f"{EXTRA_PAGE}:{message}" for message in messages]
    return breaks


def _aliases(project: Path) -> list[str]:
    """A billion laughs: nine levels of aliases, each repeating the one before nine times."""
    levels = ["a0: &a0 [lol]"] + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]"
                                  for n in range(1, 10)]
    text = (project / PAGE).read_text(encoding="utf-8")
    _write(project, EXTRA_PAGE, "\n".join(levels) + "\n" + text)
    return [f"{EXTRA_PAGE}:1:5: {ALIAS}"]


def _fifo(project: Path) -> list[str]:
    os.mkfifo(project / EXTRA_PAGE)  # reading it would wait for a writer for ever
    return [f"{EXTRA_PAGE}: not a regular file (a FIFO, a device or a folder); a page is a "
            "plain .yaml file"]


def _huge(project: Path) -> list[str]:
    _write(project, EXTRA_PAGE, "# " + "x" * (1 << 20) + "\n")
    return [f"{EXTRA_PAGE}: 1,048,579 bytes, more than a page's limit of 1,048,576; split it "
            "or check what it holds"]


def _slug(slug: str, message: str) -> Breaks:
    def breaks(project: Path) -> list[str]:
        text = _page_with(project, "slug: achilles-tendonitis", f"slug: {slug}")
        return [f"{EXTRA_PAGE}:{_line(text, 'slug:')}:7: {message}"]
    return breaks


def duplicate_slug(project: Path) -> list[str]:
    text = _page_with(project, "title: Achilles Tendonitis", "title: Achilles Tendinopathy")
    return [f"{EXTRA_PAGE}:{_line(text, 'slug:')}:7: slug 'achilles-tendonitis' is already used "
            "by achilles-tendonitis.yaml; give each page its own slug"]


def enormous_paragraph(project: Path) -> list[str]:
    old = "  Achilles tendonitis is pain and stiffness in the heel cord from overuse."
    text = _page_with(project, old, "  " + "Words upon words. " * 400)
    length = len(yaml.safe_load(text)["summary"].strip())
    return [f"{EXTRA_PAGE}:{_line(text, 'summary:')}:10: summary is {length} characters long "
            "(at most 4000); split it into several paragraphs or items"]


def truncated_page(project: Path) -> list[str]:
    text = (project / PAGE).read_text(encoding="utf-8")
    cut = text[:text.index("\nsections:") + 1]
    _write(project, EXTRA_PAGE, cut)
    present = set(re.findall(r"^([a-z_]+):", cut, re.MULTILINE))
    return [f"{EXTRA_PAGE}:{_line(cut, 'slug:')}:1: page: missing field {field!r}"
            for field in PAGE_FIELDS if field not in present]


def empty_page(project: Path) -> list[str]:
    _write(project, EXTRA_PAGE, "")
    return [f"{EXTRA_PAGE}: the file is empty; a page needs the fields of docs/schema.md"]


def control_character(project: Path) -> list[str]:
    text = _page_with(project, "title: Achilles Tendonitis", 'title: "Achilles\\a Tendonitis"')
    return [f"{EXTRA_PAGE}:{_line(text, 'title:')}:8: title holds a control character "
            "(U+0007); remove it"]


def nested_too_deeply(project: Path) -> list[str]:
    _write(project, EXTRA_PAGE, "intro: " + "[" * 5000)
    return [f"{EXTRA_PAGE}: YAML nested too deeply to be a page; fix the brackets or "
            "indentation"]


def _setting(old: str, new: str, message: str) -> Breaks:
    def breaks(project: Path) -> list[str]:
        text = (project / "pyproject.toml").read_text(encoding="utf-8")
        assert old in text
        (project / "pyproject.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
        return [f"pyproject.toml: [tool.pipeline] {message}"]
    return breaks


def _catalog(text: str | bytes, *messages: str, name: str = CATALOG) -> Breaks:
    def breaks(project: Path) -> list[str]:
        _write(project, name, text)
        return [f"{name}:{message}" for message in messages]
    return breaks


def errors_in_several_files(project: Path) -> list[str]:
    shutil.copy(DATA / "bad.missing-field.yaml", project / EXTRA_PAGE)
    shutil.copy(DATA / "bad.bad-date.yaml", project / "source/pages/other.yaml")
    return [f"{EXTRA_PAGE}:3:1: page: missing field 'title'",
            "source/pages/other.yaml:17:11: reviewed must be a date as YYYY-MM or YYYY-MM-DD, "
            "not '2026-13'"]


def catalogs_in_several_languages(project: Path) -> list[str]:
    _write(project, CATALOG, HEADER + SYMPTOMS + "\n" + SYMPTOMS)
    _write(project, "locales/es/LC_MESSAGES/site.po", 'msgid "Symptoms"\nmsgstr "Síntomas"\n')
    return ["locales/es/LC_MESSAGES/site.po:1: the catalog has no header (a first entry msgid "
            '"" with Language, Content-Type and Plural-Forms); restore it from git, or copy the '
            "header of another catalog of its language",
            f"{CATALOG}:11: duplicate entry for msgid 'Symptoms' (first at line 7); merge the "
            "two and keep one"]


def _tmx(name: str, line: int, entity: str) -> Breaks:
    def breaks(project: Path) -> list[str]:
        _write(project, f"incoming/{name}", (DATA / "tmx" / name).read_bytes())
        return [f"incoming/{name}:{line}: refused: the TMX declares an entity ({entity!r}), which "
                "could read other files or expand without end; remove its <!ENTITY> "
                "declarations (a <!DOCTYPE> alone is fine) and import again"]
    return breaks


def truncated_memory(project: Path) -> list[str]:
    data = (project / "memory/de.tmx").read_bytes()
    cut = data[:data.index(b"</tu>")]
    _write(project, "memory/de.tmx", cut)
    line, column = cut.count(b"\n") + 1, len(cut.rsplit(b"\n", 1)[1]) + 1
    return [f"memory/de.tmx:{line}:{column}: not well-formed XML (no element found); fix the "
            "file or export it again from its tool"]


def broken_glossary(project: Path) -> list[str]:
    _write(project, "glossary/de.yaml", "terms: [\n")
    return ["glossary/de.yaml:2:1: YAML syntax error: while parsing a flow node expected the "
            "node content, but found '<stream end>' (at line 2)"]


# A translated XLIFF as an agency sends it back: its <file> at line 3, its unit at line 5.
XLIFF = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
         '  <file original="locales/de/LC_MESSAGES/achilles-tendonitis.po" source-language="en" '
         'target-language="de" datatype="po">\n'
         "    <body>\n"
         '      <trans-unit id="u1" approved="yes">\n'
         "        <source>Symptoms</source>\n"
         '        <target state="translated">Beschwerden</target>\n'
         "      </trans-unit>\n"
         "    </body>\n"
         "  </file>\n"
         "</xliff>\n")
XLIFF_IMPORT = (("xliff", "import", "incoming/agency.xlf"),)


def _xliff(old: str, new: str, *messages: str) -> Breaks:
    def breaks(project: Path) -> list[str]:
        assert old in XLIFF
        _write(project, "incoming/agency.xlf", XLIFF.replace(old, new, 1))
        return [f"incoming/agency.xlf:{message}" for message in messages]
    return breaks


def truncated_xliff(project: Path) -> list[str]:
    cut = XLIFF[:XLIFF.index("</target>")]
    _write(project, "incoming/agency.xlf", cut)
    line, column = cut.count("\n") + 1, len(cut.rsplit("\n", 1)[1]) + 1
    return [f"incoming/agency.xlf:{line}:{column}: not well-formed XML (no element found); fix "
            "the file or export it again from its tool"]


NOT_REGULAR = "not a regular file (a FIFO, a device or a folder); "
DEEP = 2000  # elements nested in an XML file, far past safexml's limit of 64


def _special(name: str, how: str, plain: str) -> Breaks:
    """`name` replaced by a FIFO, a link to /dev/zero or a folder: each would hang the run,
    exhaust its memory or fail deep inside it."""
    def breaks(project: Path) -> list[str]:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        {"fifo": os.mkfifo, "folder": Path.mkdir,
         "device": lambda target: os.symlink("/dev/zero", target)}[how](path)
        return [f"{name}: {NOT_REGULAR}{plain}"]
    return breaks


def _large(name: str, limit: str, advice: str = "check what it holds") -> Breaks:
    def breaks(project: Path) -> list[str]:
        _write(project, name, "# " + "x" * (1 << 20) + "\n")
        return [f"{name}: 1,048,579 bytes, more than {limit}'s limit of 1,048,576; {advice}"]
    return breaks


def _deep(name: str, start: str, end: str, format_: str) -> Breaks:
    def breaks(project: Path) -> list[str]:
        _write(project, name, start + "<x>" * DEEP + "</x>" * DEEP + end + "\n")
        return [f"{name}:1: refused: the {format_} nests elements more than 64 deep, which no "
                "exchange file needs; export it again from its tool"]
    return breaks


def _latin1(name: str, text: str) -> Breaks:
    def breaks(project: Path) -> list[str]:
        _write(project, name, text.encode("latin-1"))
        return [f"{name}:2: not UTF-8 (byte 0xe9); save the file as UTF-8"]
    return breaks


def tool_not_a_table(project: Path) -> list[str]:
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    kept = re.sub(r"(?ms)^\[tool\.pipeline.*?(?=^\[(?!tool\.pipeline))", "", text)
    (project / "pyproject.toml").write_text('[tool]\npipeline = "x"\n' + kept, "utf-8")
    return ["pyproject.toml: [tool.pipeline] must be a table of settings (a [tool.pipeline] "
            "section), as in docs/configuration.md"]


def outputs_link_outside(project: Path) -> list[str]:
    """A language folder of outputs/ that is a link to a folder outside the project."""
    elsewhere = project.parent / f"{project.name}-elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(project / "outputs/de")
    (project / "outputs/de").symlink_to(elsewhere, target_is_directory=True)
    return [f"outputs/de: leads out of outputs/ {LINKED}"]


def output_file_link_outside(project: Path) -> list[str]:
    """A page's output file that is a link to a file outside the project."""
    elsewhere = project.parent / f"{project.name}-elsewhere.html"
    elsewhere.write_text("not the pipeline's", encoding="utf-8")
    (project / "outputs/de/achilles-tendonitis.html").unlink()
    (project / "outputs/de/achilles-tendonitis.html").symlink_to(elsewhere)
    return ["outputs: refusing to write outside this folder: de/achilles-tendonitis.html leads "
            "out of it through a link; remove the link (the pipeline writes only inside its own "
            "folders)"]


def _yaml_alias(name: str, old: str, new: str, line: int, column: int) -> Breaks:
    """`old` in a YAML file replaced by `new`, which repeats an anchored value."""
    def breaks(project: Path) -> list[str]:
        text = (project / name).read_text(encoding="utf-8")
        assert old in text
        (project / name).write_text(text.replace(old, new, 1), encoding="utf-8")
        return [f"{name}:{line}:{column}: {ALIAS}"]
    return breaks


def _merge_key(project: Path) -> list[str]:
    """A YAML merge key (<<: *name) that would copy fields from an anchored mapping."""
    text = (project / PAGE).read_text(encoding="utf-8")
    _write(project, EXTRA_PAGE, "base: &base {category: Foot}\n<<: *base\n" + text)
    return [f"{EXTRA_PAGE}:1:7: {ALIAS}"]


def _linked_out(name: str, where: str, shown: str | None = None) -> Breaks:
    """The folder `name` made a link to a copy of it outside the project."""
    def breaks(project: Path) -> list[str]:
        folder = project / name
        elsewhere = project.parent / f"{project.name}-elsewhere" / name.replace("/", "-")
        elsewhere.parent.mkdir(exist_ok=True)
        if folder.exists():
            shutil.copytree(folder, elsewhere, symlinks=True)
            shutil.rmtree(folder)
        else:
            elsewhere.mkdir()
            (elsewhere / "keep.json").write_text("not the pipeline's", encoding="utf-8")
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.symlink_to(elsewhere, target_is_directory=True)
        return [f"{shown or name}: leads out of {where} {LINKED}"]
    return breaks


def _linked_into(name: str, target: str, key: str, shared: str) -> Breaks:
    """The configured folder `name` made a link to a folder of the project that it must not
    share, such as tests/ or docs/."""
    def breaks(project: Path) -> list[str]:
        (project / target).mkdir(exist_ok=True)
        if (project / name).exists():
            shutil.rmtree(project / name)
        (project / name).symlink_to(project / target, target_is_directory=True)
        rule = OWN_FOLDER.format(key=key, default=name)
        return [f"pyproject.toml: [tool.pipeline] {key} = {name!r} would share {shared}: {rule}"]
    return breaks


def lock_link(project: Path) -> list[str]:
    (project / ".cache").mkdir(exist_ok=True)
    (project / ".cache/pipeline.lock").symlink_to(project / "pyproject.toml")
    return [".cache/pipeline.lock: the lock file is a symbolic link; delete it (the pipeline "
            "makes a plain file)"]


def _record(how: str) -> Breaks:
    """A catalog's history record replaced by a FIFO, a link to /dev/zero, or a file over its
    limit."""
    def breaks(project: Path) -> list[str]:
        if how == "large":
            _write(project, RECORD, " " * (4 * 1024 * 1024 + 1))
            return [f"{RECORD}: 4,194,305 bytes, more than a history record's limit of "
                    "4,194,304; restore it from git, or delete it and run `update` (it is "
                    "rewritten from the catalog)"]
        return _special(RECORD, how, HISTORY_FILE)(project)
    return breaks


TMX_WITHOUT_ENGLISH = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                       '<header srclang="es" segtype="sentence" datatype="plaintext" '
                       'o-tmf="x" adminlang="en" creationtool="x" creationtoolversion="1"/>\n'
                       '<body><tu><tuv xml:lang="es"><seg>Síntomas</seg></tuv>'
                       '<tuv xml:lang="de"><seg>Symptome</seg></tuv></tu></body>\n</tmx>\n')


def tmx_without_english(project: Path) -> list[str]:
    _write(project, "incoming/es-de.tmx", TMX_WITHOUT_ENGLISH)
    return ["incoming/es-de.tmx: no unit of this TMX holds both an English (en) text and a "
            "translation: export it again with English as one of its languages"]


def _import_of(kind: str, name: str) -> tuple[tuple[str, ...], ...]:
    return ({"tmx": ("memory", "import", name), "xlf": ("xliff", "import", name),
             "tbx": ("glossary", "import", name, "--lang", "de"),
             "csv": ("glossary", "import", name, "--lang", "de")}[kind],)


CATALOG_FILE = "a catalog is a plain .po file"
EXCHANGE_FILE = "an exchange file is a plain .tmx, .xlf, .tbx or .csv file"
CASES = [
    # the English source
    Case("yaml-syntax", _data_page("syntax", "105:12: YAML syntax error: while scanning a quoted "
                                   "scalar found unexpected end of stream (at line 130)"), BOTH),
    Case("yaml-alias", _aliases, BOTH),
    Case("page-fifo", _fifo, BOTH),
    Case("page-too-large", _huge, BOTH),
    Case("unknown-field", _data_page("unknown-field", "7:1: page: unknown field 'subtitle'; "
                                     f"allowed: {', '.join(PAGE_FIELDS)}")),
    Case("missing-field", _data_page("missing-field", "3:1: page: missing field 'title'")),
    Case("mistyped-fields", _data_page(
        "wrong-type", "5:8: title must be text, not a number; quote it if it is meant as text",
        "82:20: sections[5].blocks[1].steps[1].title must be text, not a list; quote it if it "
        "is meant as text")),
    Case("not-utf8", _data_page("not-utf8", "4: not UTF-8 (byte 0xe9); save the file as UTF-8")),
    Case("duplicate-slug", duplicate_slug),
    Case("slug-parent", _slug("../../../tmp/evil", f"slug '../../../tmp/evil' {BAD_SLUG}")),
    Case("slug-absolute", _slug("/etc/cron.d/evil", f"slug '/etc/cron.d/evil' {BAD_SLUG}")),
    Case("slug-nul", _slug('"evil\\0page"', "slug holds a control character (U+0000); remove it")),
    Case("slug-long", _slug("a" * 300, f"slug '{'a' * 300}' {BAD_SLUG}")),
    Case("empty-page", empty_page),
    Case("truncated-page", truncated_page),
    Case("enormous-paragraph", enormous_paragraph),
    Case("control-character", control_character),
    Case("nested-too-deeply", nested_too_deeply),
    Case("errors-in-several-pages", errors_in_several_files),
    Case("page-device", _special(EXTRA_PAGE, "device", "a page is a plain .yaml file"), BOTH),
    Case("slug-traversal", _slug("a/../../b", f"slug 'a/../../b' {BAD_SLUG}")),
    Case("slug-trailing-dot", _slug("evil.", f"slug 'evil.' {BAD_SLUG}")),
    Case("slug-backslash", _slug("..\\..\\evil", "slug " + repr("..\\..\\evil") + f" {BAD_SLUG}")),
    Case("site-strings-fifo", _special("source/site.yaml", "fifo",
                                       "the site strings file is a plain .yaml file"), BOTH),
    Case("site-strings-too-large", _large("source/site.yaml", "the site strings file"), BOTH),
    Case("site-strings-not-utf8", _latin1("source/site.yaml", "strings:\n  x: caf\xe9\n")),
    # the settings
    Case("unknown-language", _setting(
        'languages = ["es", "de", "ar"]', 'languages = ["es", "de", "xx"]',
        "languages: 'xx' is not a BCP 47 language tag: use one such as 'es', 'de', 'ar' or "
        "'pt-BR'")),
    Case("outputs-outside", _setting(
        'outputs_dir = "outputs"', 'outputs_dir = "../site"',
        "outputs_dir must be a folder inside the project, given relative to its root (such as "
        "'outputs'), not '../site'")),
    Case("outputs-absolute", _setting(
        'outputs_dir = "outputs"', 'outputs_dir = "/"',
        "outputs_dir must be a folder inside the project, given relative to its root (such as "
        "'outputs'), not '/'")),
    Case("settings-not-a-table", tool_not_a_table, BOTH),
    Case("settings-fifo", _special("pyproject.toml", "fifo",
                                   "pyproject.toml is a plain .toml file"), BOTH),
    Case("settings-too-large", _large("pyproject.toml", "pyproject.toml"), BOTH),
    Case("languages-not-a-list", _setting(
        'languages = ["es", "de", "ar"]', 'languages = "es"',
        'languages must be a non-empty list of language codes, such as ["es", "de"]')),
    Case("outputs-not-text", _setting(
        'outputs_dir = "outputs"', "outputs_dir = 5",
        "outputs_dir must be a folder inside the project, given relative to its root (such as "
        "'outputs'), not 5")),
    Case("outputs-link-outside", outputs_link_outside),
    Case("output-file-link-outside", output_file_link_outside),
    # the catalogs
    Case("po-unterminated", _catalog(HEADER + 'msgid "Symptoms"\nmsgstr "Symptome\n',
                                     f"8: {NOT_PO}"), UPDATE),
    Case("po-stray-quote", _catalog(HEADER + 'msgid "Symptoms"\nmsgstr "Sym"ptome"\n',
                                    f"8: {NOT_PO}"), UPDATE),
    Case("po-charset", _catalog(HEADER.replace("UTF-8", "ISO-8859-1") + SYMPTOMS, (
        "4: the header declares 'text/plain; charset=iso-8859-1'; the pipeline reads and "
        "writes UTF-8 only: convert it with `msgconv --to-code=UTF-8`")), UPDATE),
    Case("po-not-utf8", _catalog((HEADER + 'msgid "Symptoms"\nmsgstr "Sympt\xf6me"\n').encode(
        "latin-1"), "8: not UTF-8: save the catalog as UTF-8 (charset=UTF-8 in its header)"),
        UPDATE),
    Case("po-duplicate", _catalog(HEADER + SYMPTOMS + "\n" + SYMPTOMS, (
        "11: duplicate entry for msgid 'Symptoms' (first at line 7); merge the two and keep "
        "one")), BOTH),
    Case("po-plural-gap", _catalog(
        HEADER + PAGES + 'msgstr[0] "{count} Seite"\nmsgstr[2] "{count} Seiten"\n',
        "7: the entry has msgstr[0], msgstr[2] where the header says nplurals=2; give it "
        "msgstr[0] to msgstr[1], or correct Plural-Forms in the header", name=SITE_CATALOG),
        BOTH),
    Case("po-missing-header", _catalog(SYMPTOMS, (
        '1: the catalog has no header (a first entry msgid "" with Language, Content-Type and '
        "Plural-Forms); restore it from git, or copy the header of another catalog of its "
        "language")), BOTH),
    Case("po-empty", _catalog("", (
        " the catalog is empty; delete it and run `update` to recreate it, or restore it from "
        "git")), UPDATE),
    Case("po-truncated-entry", _catalog(HEADER + SYMPTOMS + '\nmsgid "Diagnosis"\n', (
        "11: this entry has no msgstr, so the file looks cut off; restore it from git")), BOTH),
    Case("po-truncated-comments", _catalog(HEADER + SYMPTOMS + "\n#. Heading of the sec", (
        "11: comments that belong to no entry end the file, so it looks cut off; restore it "
        "from git (or delete them)")), BOTH),
    Case("po-out-of-order", _catalog(
        HEADER + 'msgstr "Symptome"\nmsgid "Symptoms"\n\n' + DIAGNOSIS, (
            "7: this entry is incomplete or out of order (an entry is msgctxt, msgid, "
            f"msgid_plural, then msgstr or msgstr[N]); {FIX}")), UPDATE),
    Case("po-forms-without-plural", _catalog(HEADER + 'msgid "Symptoms"\nmsgstr[0] "Symptome"\n',
                                             "7: msgstr[0] without msgid_plural: an entry "
                                             f"without plural forms has one msgstr; {FIX}"),
         UPDATE),
    Case("po-nul", _catalog(HEADER + 'msgid "Symptoms"\nmsgstr "Sympt\0ome"\n', (
        f"8:14: a control character (U+0000), which no catalog holds (a damaged file?); {FIX}")),
        UPDATE),
    Case("po-is-a-folder", _special(CATALOG, "folder", CATALOG_FILE), BOTH),
    Case("po-fifo", _special(SITE_CATALOG, "fifo", CATALOG_FILE), BOTH),
    Case("po-device", _special(CATALOG, "device", CATALOG_FILE), BOTH),
    Case("errors-in-several-catalogs", catalogs_in_several_languages, BOTH),
    # the memory and the glossaries
    Case("tmx-external-entity", _tmx("external-entity.tmx", 2, "secret"),
         (("memory", "import", "incoming/external-entity.tmx"),)),
    Case("tmx-entity-expansion", _tmx("entity-expansion.tmx", 3, "a"),
         (("memory", "import", "incoming/entity-expansion.tmx"),)),
    Case("memory-truncated", truncated_memory, UPDATE),
    Case("glossary-syntax", broken_glossary),
    Case("glossary-fifo", _special("glossary/de.yaml", "fifo",
                                   "a glossary is a plain .yaml file"), BOTH),
    Case("glossary-is-a-folder", _special("glossary/de.yaml", "folder",
                                          "a glossary is a plain .yaml file"), BOTH),
    Case("glossary-not-utf8", _latin1("glossary/de.yaml", "terms:\n  - term: caf\xe9\n")),
    Case("memory-fifo", _special("memory/de.tmx", "fifo", "a memory file is a plain .tmx file"),
         UPDATE),
    Case("memory-device", _special("memory/es.tmx", "device",
                                   "a memory file is a plain .tmx file"), UPDATE),
    Case("memory-nested-deeply", _deep("memory/de.tmx", '<tmx version="1.4"><body>',
                                       "</body></tmx>", "TMX"), UPDATE),
    Case("tmx-nested-deeply", _deep("incoming/deep.tmx", '<tmx version="1.4"><body>',
                                    "</body></tmx>", "TMX"),
         _import_of("tmx", "incoming/deep.tmx")),
    Case("tmx-fifo", _special("incoming/a.tmx", "fifo", EXCHANGE_FILE),
         _import_of("tmx", "incoming/a.tmx")),
    Case("tbx-nested-deeply", _deep("incoming/deep.tbx", "<martif><text>", "</text></martif>",
                                    "TBX"), _import_of("tbx", "incoming/deep.tbx")),
    Case("tbx-fifo", _special("incoming/a.tbx", "fifo", EXCHANGE_FILE),
         _import_of("tbx", "incoming/a.tbx")),
    Case("csv-control-character", _catalog('term,translation\n"PR\0P",PRP\n', (
        "2: a control character (U+0000); remove it"), name="incoming/terms.csv"),
        _import_of("csv", "incoming/terms.csv")),
    # XLIFF from agencies
    Case("xliff-truncated", truncated_xliff, XLIFF_IMPORT),
    Case("xliff-entity", _xliff(
        "<xliff ", '<!DOCTYPE xliff [\n<!ENTITY x "Beschwerden">\n]>\n<xliff ',
        "3: refused: the XLIFF declares an entity ('x'), which could read other files or expand "
        "without end; remove its <!ENTITY> declarations (a <!DOCTYPE> alone is fine) and import "
        "again"), XLIFF_IMPORT),
    Case("xliff-not-xliff", _xliff(XLIFF, '<tmx version="1.4"><body/></tmx>\n', (
        "1: not an XLIFF document: the root element is <tmx>, not <xliff> (XLIFF 1.2)")),
        XLIFF_IMPORT),
    Case("xliff-language", _xliff('target-language="de"', 'target-language="fr"', (
        "3: the file's target-language 'fr' is not a configured language (es, de, ar); see "
        "[tool.pipeline] languages")), XLIFF_IMPORT),
    Case("xliff-unknown-catalog", _xliff("achilles-tendonitis.po", "plantar-fasciitis.po", (
        "3: no catalog 'locales/de/LC_MESSAGES/plantar-fasciitis.po' in de: import a file this "
        "pipeline exported (its <file original> names the catalog)")), XLIFF_IMPORT),
    Case("xliff-original-outside", _xliff(
        'original="locales/de/LC_MESSAGES/achilles-tendonitis.po"',
        'original="../../../../tmp/evil.po"',
        "3: no catalog '../../../../tmp/evil.po' in de: import a file this pipeline exported (its "
        "<file original> names the catalog)"), XLIFF_IMPORT),
    Case("xliff-state", _xliff('state="translated"', 'state="done"', (
        "5: state 'done' is not an XLIFF 1.2 state (such as translated or "
        "needs-review-translation)")), XLIFF_IMPORT),
    Case("xliff-inline-code", _xliff("Beschwerden<", 'Beschwerden<ph id="1">&lt;br/&gt;</ph><', (
        "5: the unit holds an inline code <ph>, which its English does not: translate the text "
        "alone (Markdown such as **bold** and [links](/url) is text) and export again")),
        XLIFF_IMPORT),
    Case("xliff-nested-deeply", _deep("incoming/agency.xlf", '<xliff version="1.2"><file>',
                                      "</file></xliff>", "XLIFF"), XLIFF_IMPORT),
    Case("xliff-fifo", _special("incoming/agency.xlf", "fifo", EXCHANGE_FILE), XLIFF_IMPORT),
    Case("xliff-duplicate-unit", _xliff("    </body>", XLIFF[XLIFF.index("      <trans-unit"):
                                                            XLIFF.index("    </body>")]
                                        .replace("Beschwerden", "Symptome") + "    </body>",
                                        "9: a second unit for the same English (first at line "
                                        "5); keep one"), XLIFF_IMPORT),
    # more of the same classes: every file read bounded, every folder written inside, every
    # language tag strict
    Case("history-fifo", _record("fifo"), BOTH),
    Case("history-device", _record("device"), BOTH),
    Case("history-too-large", _record("large"), BOTH),
    Case("settings-device", _special("pyproject.toml", "device",
                                     "pyproject.toml is a plain .toml file"), BOTH),
    Case("xliff-device", _special("incoming/agency.xlf", "device", EXCHANGE_FILE), XLIFF_IMPORT),
    Case("csv-fifo", _special("incoming/terms.csv", "fifo", EXCHANGE_FILE),
         _import_of("csv", "incoming/terms.csv")),
    Case("site-strings-alias", _yaml_alias(
        "source/site.yaml", "    text: Written by\n", "    text: &by Written by\n"
        "  written_by_again:\n    text: *by\n", 14, 11), BOTH),
    Case("glossary-alias", _yaml_alias(
        "glossary/de.yaml", "  - term: calf\n    translation: Wade\n    note: The calf muscles "
        "(gastrocnemius and soleus), not a young cow.\n",
        "  - &calf\n    term: calf\n    translation: Wade\n  - *calf\n", 14, 5)),
    Case("page-merge-key", _merge_key, BOTH),
    Case("language-variant", _setting('languages = ["es", "de", "ar"]',
                                      'languages = ["es", "de-1901", "ar"]',
                                      f"languages: 'de-1901' {VARIANT}")),
    Case("language-extension", _setting('languages = ["es", "de", "ar"]',
                                        'languages = ["es", "de-u-co-phonebk", "ar"]',
                                        f"languages: 'de-u-co-phonebk' {VARIANT}")),
    Case("language-path", _setting(
        'languages = ["es", "de", "ar"]', 'languages = ["es", "de@/../../../../srv/x", "ar"]',
        "languages: 'de@/../../../../srv/x' is not a BCP 47 language tag: use one such as 'es', "
        "'de', 'ar' or 'pt-BR'"), BOTH),
    Case("language-twins", _setting('languages = ["es", "de", "ar"]',
                                    'languages = ["es", "de", "ar", "ES"]',
                                    "languages: write the language tag 'ES' as 'es', its "
                                    "canonical form"), BOTH),
    Case("source-language-path", _setting(
        'source_language = "en"', 'source_language = "en./../../x"',
        "source_language: 'en./../../x' is not a BCP 47 language tag: use one such as 'es', "
        "'de', 'ar' or 'pt-BR'")),
    Case("outputs-tests", _setting('outputs_dir = "outputs"', 'outputs_dir = "tests"',
                                   "outputs_dir = 'tests' would share tests/: " + OWN_FOLDER.format(
                                       key="outputs_dir", default="outputs"))),
    Case("cache-pipeline", _setting('outputs_dir = "outputs"',
                                    'outputs_dir = "outputs"\ncache_dir = "pipeline/cache"',
                                    "cache_dir = 'pipeline/cache' would share pipeline/: "
                                    + OWN_FOLDER.format(key="cache_dir", default=".cache")),
         BOTH),
    Case("outputs-a-file", _setting('outputs_dir = "outputs"', 'outputs_dir = "pyproject.toml"',
                                    "outputs_dir = 'pyproject.toml' is a file, not a folder: "
                                    "name a folder, such as 'outputs'")),
    Case("outputs-linked-to-docs", _linked_into("outputs", "docs", "outputs_dir", "docs/")),
    Case("catalogs-link-outside", _linked_out("locales/de/LC_MESSAGES", "locales/"), BOTH),
    Case("templates-link-outside", _linked_out("locales/templates", "locales/"), UPDATE),
    Case("assets-link-outside", _linked_out("outputs/assets", "outputs/")),
    Case("glossary-link-outside", _linked_out("glossary", "the project"),
         _import_of("csv", "incoming/terms.csv")),
    Case("sentences-link-outside", _linked_out(".cache/sentences", ".cache/"), BOTH),
    Case("lock-link", lock_link, BOTH),
    Case("tmx-without-english", tmx_without_english,
         (("memory", "import", "incoming/es-de.tmx"),)),
]


@dataclass(frozen=True)
class Outcome:
    expected: list[str]
    before: dict[str, dict[str, bytes]]
    results: list[subprocess.CompletedProcess[str]]
    after: dict[str, dict[str, bytes]]


def _state(project: Path) -> dict[str, dict[str, bytes]]:
    return {folder: snapshot(project / folder) for folder in FOLDERS}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, built_project: Path) -> dict[str, Outcome]:
    """Every case run on its own copy of a project that has outputs and memory files."""
    base = tmp_path_factory.mktemp("bad-inputs") / "base"
    shutil.copytree(built_project, base)
    for language in ("es", "de", "ar"):
        catalog = pofile.read(base / f"locales/{language}/LC_MESSAGES/achilles-tendonitis.po")
        units = catalog_units(catalog, language, "archive:achilles-tendonitis")
        _write(base, f"memory/{language}.tmx", tmx.render(units, "en"))
    shutil.rmtree(base / ".cache")

    def run(case: Case) -> Outcome:
        project = base.parent / case.id
        shutil.copytree(base, project)
        expected = case.breaks(project)
        before = _state(project)
        results = [run_cli(project, *verb, check=False) for verb in case.verbs]
        return Outcome(expected, before, results, _state(project))

    return {case.id: run(case) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_a_bad_input_is_refused_with_its_place_and_nothing_is_written(
        case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.id]
    for verb, result in zip(case.verbs, outcome.results, strict=True):
        assert result.stderr.splitlines() == outcome.expected, " ".join(verb)
        assert result.returncode == 1, " ".join(verb)
    assert outcome.after == outcome.before


def test_the_table_in_the_docs_lists_every_case() -> None:
    table = (Path(__file__).resolve().parent.parent / "docs/errors.md").read_text("utf-8")
    assert [case.id for case in CASES] == re.findall(r"^\| `([a-z0-9-]+)` \|", table,
                                                     re.MULTILINE)


def test_a_catalog_with_crlf_line_ends_and_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "de.po"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + SYMPTOMS).replace("\n", "\r\n").encode())
    assert [(entry.msgid, entry.msgstr) for entry in pofile.read(path).entries] == [
        ("Symptoms", "Symptome")]


def _broken(*args: object, **kwargs: object) -> None:
    raise KeyError("a bug")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_is_reported_as_a_bug_with_exit_2(
        project: Path, debug: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flow, "build", _broken)
    result = run_cli(project, *(["--debug"] if debug else []), "build", check=False,
                     env=environment(PIPELINE_DEBUG=None))
    assert result.returncode == 2
    assert result.stderr.endswith(
        "internal error: KeyError: 'a bug'\nThis is a bug in the pipeline, not a problem in your "
        "files; please report it with the command you ran. Run again with --debug (or "
        "PIPELINE_DEBUG=1) to see the traceback.\n")
    assert ("Traceback (most recent call last)" in result.stderr) is debug


# --- every message is in docs/errors.md -------------------------------------------------------

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
HOLE = "\0"  # where a message has a value filled in


def _literal(node: ast.AST) -> str | None:
    """A message's text with a HOLE for each value filled in, or None when it is no literal."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else HOLE
                       for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = (_literal(node.left), _literal(node.right))
        return "".join(part if part is not None else HOLE for part in parts) \
            if any(part is not None for part in parts) else None
    return None


def _message_nodes(tree: ast.AST) -> list[ast.AST]:
    """The message of every PipelineError made, every problem a YAML reader fails on, every
    setting's problem, and every text a `..._problem` function returns."""
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            index = {"PipelineError": 0, "problem": 0, "fail": 1}.get(name or "")
            if index is not None and len(node.args) > index:
                found.append(node.args[index])
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_problem"):
            found += [inner.value for inner in ast.walk(node)
                      if isinstance(inner, ast.Return) and inner.value is not None]
    return found


def _messages() -> list[tuple[str, str]]:
    """(where, text) of every message the pipeline gives a user."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _message_nodes(tree):
            for branch in (node.body, node.orelse) if isinstance(node, ast.IfExp) else (node,):
                text = _literal(branch)
                if text is not None:
                    found.append((f"{path.relative_to(PACKAGE)}:{branch.lineno}", text))
    return found


def _plain(text: str) -> str:
    """Text as docs and messages are compared: no code marks, table escapes or line breaks."""
    return " ".join(text.replace("`", "").replace("\\|", "|").split())


def _phrase(message: str) -> str:
    """The longest stretch of a message's own words, between the values filled in."""
    return max((_plain(part).strip(" ;:,.()'\"") for part in message.split(HOLE)), key=len)


def test_docs_list_every_message() -> None:
    docs = _plain((PACKAGE.parent / "docs/errors.md").read_text(encoding="utf-8"))
    messages = _messages()
    assert len(messages) > 120  # the collector still finds them
    missing = [f"{where}: {phrase}" for where, message in messages
               if len(phrase := _phrase(message)) >= 8 and phrase not in docs]
    assert not missing, "\n".join(missing)


def test_a_tmx_whose_srclang_is_not_english_is_stored_from_its_english(project: Path) -> None:
    """A TMX made from Spanish originals pairs the same sentences: its English is still the
    source of each unit, never the Spanish."""
    _write(project, "incoming/from-spanish.tmx", TMX_WITHOUT_ENGLISH.replace(
        '<tuv xml:lang="de"><seg>Symptome</seg></tuv>',
        '<tuv xml:lang="en-US"><seg>Symptoms</seg></tuv><tuv xml:lang="de"><seg>Symptome</seg>'
        "</tuv>"))
    run_cli(project, "memory", "import", "incoming/from-spanish.tmx")
    units = {unit.language: unit for language in ("es", "de")
             for unit in tmx.read(project / f"memory/{language}.tmx", "en")}
    assert (units["es"].source, units["es"].target) == ("Symptoms", "Síntomas")
    assert (units["de"].source, units["de"].target) == ("Symptoms", "Symptome")
