"""Load and validate the English source: condition pages and site strings (docs/schema.md)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from pipeline.errors import PipelineError, raise_all
from pipeline.model import (
    SECTION_KINDS,
    Author,
    Block,
    Bullets,
    Faq,
    LeadStyle,
    ListItem,
    NextStep,
    Page,
    Paragraph,
    Question,
    Reviewed,
    Section,
    SectionKind,
    SiteString,
    SiteStrings,
    Step,
    Steps,
    Text,
)
from pipeline.render.markup import has_emphasis
from pipeline.runtime.fsio import SITE_STRINGS
from pipeline.source.yamlread import STR_TAG, TIMESTAMP_TAG, Reader, check_file, compose

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
MAX_SLUG_LENGTH = 80
PAGES_FOLDER = "pages"
SITE_FILE = "site.yaml"


def _reviewed(reader: Reader, node: Node) -> Reviewed | None:
    value = node.value if isinstance(node, ScalarNode) else None
    if value is not None and node.tag in (STR_TAG, TIMESTAMP_TAG):
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", str(value).strip())
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            assert year is not None and month is not None
            try:
                datetime.date(year, month, day or 1)
            except ValueError:
                pass
            else:
                return Reviewed(year, month, day)
    reader.fail(node, f"reviewed must be a date as YYYY-MM or YYYY-MM-DD, not {value!r}")
    return None


def _page(reader: Reader, root: Node) -> Page[Text] | None:
    top = reader.mapping(root, "page", (
        "slug", "category", "title", "tagline", "summary", "author", "reviewed", "intro",
        "sections", "disclaimer", "faq", "next_step"))
    if top is None:
        return None
    slug = reader.string(top["slug"], "slug") if "slug" in top else None
    if slug is not None and (not SLUG.match(slug) or len(slug) > MAX_SLUG_LENGTH):
        reader.fail(top["slug"], f"slug {slug!r} must be lowercase words joined by hyphens "
                                 f"(a-z, 0-9, at most {MAX_SLUG_LENGTH} characters), "
                                 "such as 'achilles-tendonitis'")
        slug = None

    def label(key: str, role: str) -> Text | None:
        return reader.text(top.get(key), key, key, role, prose=False)

    def prose(key: str, role: str) -> Text | None:
        return reader.text(top.get(key), key, key, role, prose=True)

    author = _author(reader, top["author"]) if "author" in top else None
    reviewed = _reviewed(reader, top["reviewed"]) if "reviewed" in top else None
    intro = reader.sequence(top["intro"], "intro", lambda node, where, n: reader.text(
        node, where, f"intro.{n}", f"Introduction, paragraph {n}", prose=True)) \
        if "intro" in top else ()
    sections = _sections(reader, top["sections"]) if "sections" in top else ()
    faq = _faq(reader, top["faq"]) if "faq" in top else None
    next_step = _next_step(reader, top["next_step"]) if "next_step" in top else None
    fields = {
        "category": label("category", "Category of the condition (groups pages on the site)"),
        "title": label("title", "Page title: the condition's name"),
        "tagline": label("tagline", "Tagline shown after the title"),
        "summary": prose("summary", "Summary under the title"),
        "disclaimer": prose("disclaimer", "Disclaimer at the end of the page"),
    }
    if reader.problems or slug is None or author is None or reviewed is None \
            or faq is None or next_step is None or None in fields.values():
        return None
    return Page(slug=slug, path=reader.path, author=author, reviewed=reviewed, intro=intro,
                sections=sections, faq=faq, next_step=next_step,
                **fields)  # type: ignore[arg-type]


def _author(reader: Reader, node: Node) -> Author[Text] | None:
    fields = reader.mapping(node, "author", ("name", "degree", "credentials"))
    if fields is None:
        return None
    name = reader.string(fields["name"], "author.name") if "name" in fields else None
    degree = reader.string(fields["degree"], "author.degree") if "degree" in fields else None
    credentials = reader.sequence(fields["credentials"], "author.credentials",
                                  lambda item, where, n: reader.text(
                                      item, where, f"author.credentials.{n}",
                                      f"Author's credential {n}", prose=False), allow_empty=True) \
        if "credentials" in fields else ()
    if name is None or degree is None or "credentials" not in fields:
        return None
    return Author(name=name, degree=degree, credentials=credentials)


def _sections(reader: Reader, node: Node) -> tuple[Section[Text], ...]:
    seen: set[str] = set()

    def section(item: Node, where: str, _: int) -> Section[Text] | None:
        fields = reader.mapping(item, where, ("id", "title", "blocks"), ("kind",))
        if fields is None:
            return None
        section_id = _section_id(reader, fields.get("id"), where, seen)
        kind = _kind(reader, fields, where, section_id)
        place = section_id or where
        title_node = fields.get("title")
        name = str(title_node.value) if isinstance(title_node, ScalarNode) else place
        title = reader.text(title_node, f"{where}.title", f"{place}.title",
                            f"Heading of the section {name!r}", prose=False)

        def block(node: Node, at: str, n: int) -> Block[Text] | None:
            return _block(reader, node, at, f"{place}.{n}", name)

        blocks: tuple[Block[Text], ...] = ()
        if "blocks" in fields:
            blocks = reader.sequence(fields["blocks"], f"{where}.blocks", block)
        if section_id is None or kind is None or title is None or not blocks:
            return None
        return Section(id=section_id, kind=kind, title=title, blocks=blocks)

    return reader.sequence(node, "sections", section)


def _section_id(reader: Reader, node: Node | None, where: str, seen: set[str]) -> str | None:
    """A section's id, checked: lowercase words, unique in the page."""
    section_id = reader.string(node, f"{where}.id") if node is not None else None
    if node is None or section_id is None:
        return None
    if not SLUG.match(section_id):
        reader.fail(node, f"{where}.id {section_id!r} must be lowercase words joined by hyphens, "
                          "such as 'symptoms'")
        return None
    if section_id in seen:
        reader.fail(node, f"{where}.id {section_id!r} is used by another section")
        return None
    seen.add(section_id)
    return section_id


def _kind(reader: Reader, fields: Mapping[str, Node], where: str,
          section_id: str | None) -> SectionKind | None:
    """A section's kind: its `kind`, or its id when that is a kind (docs/schema.md)."""
    kinds = ", ".join(SECTION_KINDS)
    node = fields.get("kind")
    if node is None:
        if section_id in SECTION_KINDS:
            return SectionKind(section_id)
        if section_id is not None:
            reader.fail(fields["id"], f"{where}: the id {section_id!r} is not a section kind; "
                                      f"add kind: one of {kinds} (other for none of them)")
        return None
    value = reader.string(node, f"{where}.kind")
    if value is not None and value not in SECTION_KINDS:
        reader.fail(node, f"{where}.kind {value!r} is not a section kind; use one of {kinds}")
        return None
    return SectionKind(value) if value is not None else None


def _block(reader: Reader, node: Node, where: str, id: str,
           section: str) -> Paragraph[Text] | Bullets[Text] | Steps[Text] | None:
    kinds = ("paragraph", "bullets", "steps")
    fields = reader.mapping(node, where, (), kinds)
    if fields is None:
        return None
    if len(fields) > 1 or (not fields and (not isinstance(node, MappingNode) or not node.value)):
        reader.fail(node, f"{where} must have exactly one of {', '.join(kinds)}")
    # every kind given is read, so that its problems are reported with this one
    found = [_block_of(reader, kind, value, f"{where}.{kind}", id, section)
             for kind, value in fields.items()]
    return found[0] if len(found) == 1 else None


def _block_of(reader: Reader, kind: str, value: Node, where: str, id: str,
              section: str) -> Paragraph[Text] | Bullets[Text] | Steps[Text] | None:
    if kind == "paragraph":
        text = reader.text(value, where, id, f"{section}, paragraph", prose=True)
        return Paragraph(text) if text else None
    if kind == "bullets":
        items = reader.sequence(value, where, lambda item, at, n: _list_item(
            reader, item, at, f"{id}.{n}", f"{section}, list item {n}"))
        return Bullets(items) if items else None
    steps = reader.sequence(value, where, lambda item, at, n: _step(
        reader, item, at, f"{id}.{n}", f"{section}, step {n}"))
    return Steps(steps) if steps else None


def _list_item(reader: Reader, node: Node, where: str, id: str,
               role: str) -> ListItem[Text] | None:
    if isinstance(node, ScalarNode):
        text = reader.text(node, where, id, role, prose=True)
        return ListItem(lead=None, text=text) if text else None
    fields = reader.mapping(node, where, ("lead",), ("text", "lead_style"))
    if fields is None:
        return None
    style = _lead_style(reader, fields.get("lead_style"), f"{where}.lead_style")
    lead = reader.text(fields.get("lead"), f"{where}.lead", f"{id}.lead",
                       f"{role}, {(style or LeadStyle.BOLD).value} lead-in", prose=False)
    if lead is not None and style is LeadStyle.BOLD and has_emphasis(lead.value):
        reader.fail(fields["lead"], f"{where}.lead is shown in bold already: remove its * or _ "
                                    "emphasis, or add lead_style: plain to emphasize words "
                                    "of it yourself")
        lead = None
    text = reader.text(fields.get("text"), f"{where}.text", f"{id}.text", role, prose=True)
    if lead is None or style is None or ("text" in fields and text is None):
        return None
    return ListItem(lead=lead, text=text, lead_style=style)


def _lead_style(reader: Reader, node: Node | None, where: str) -> LeadStyle | None:
    if node is None:
        return LeadStyle.BOLD
    value = reader.string(node, where)
    styles = [style.value for style in LeadStyle]
    if value is not None and value not in styles:
        reader.fail(node, f"{where} must be one of {', '.join(styles)}, not {value!r}")
        return None
    return LeadStyle(value) if value is not None else None


def _step(reader: Reader, node: Node, where: str, id: str, role: str) -> Step[Text] | None:
    fields = reader.mapping(node, where, ("title", "body"))
    if fields is None:
        return None
    title = reader.text(fields.get("title"), f"{where}.title", f"{id}.title",
                        f"{role} title", prose=False)
    body = reader.text(fields.get("body"), f"{where}.body", f"{id}.body", f"{role} body",
                       prose=True)
    return Step(title, body) if title and body else None


def _faq(reader: Reader, node: Node) -> Faq[Text] | None:
    fields = reader.mapping(node, "faq", ("heading", "items"))
    if fields is None:
        return None
    heading = reader.text(fields.get("heading"), "faq.heading", "faq.heading",
                          "Heading of the patient questions", prose=False)

    def question(item: Node, where: str, n: int) -> Question[Text] | None:
        pair = reader.mapping(item, where, ("question", "answer"))
        if pair is None:
            return None
        asked = reader.text(pair.get("question"), f"{where}.question", f"faq.{n}.question",
                            f"Patient question {n}", prose=False)
        answer = reader.text(pair.get("answer"), f"{where}.answer", f"faq.{n}.answer",
                             f"Answer to patient question {n}", prose=True)
        return Question(asked, answer) if asked and answer else None

    items = reader.sequence(fields["items"], "faq.items", question) if "items" in fields else ()
    return Faq(heading, items) if heading and items else None


def _next_step(reader: Reader, node: Node) -> NextStep[Text] | None:
    fields = reader.mapping(node, "next_step", ("title", "text"))
    if fields is None:
        return None
    title = reader.text(fields.get("title"), "next_step.title", "next_step.title",
                        "Next step: call to action", prose=False)
    text = reader.text(fields.get("text"), "next_step.text", "next_step.text",
                       "Next step: text", prose=True)
    return NextStep(title, text) if title and text else None


def load_page(path: Path) -> Page[Text]:
    """One validated page, or a PipelineError listing every problem in it."""
    reader = Reader(path)
    root = compose(path)
    if root is None:
        raise PipelineError("the file is empty; a page needs the fields of docs/schema.md", path)
    page = _page(reader, root)
    raise_all(sorted(reader.problems, key=lambda error: (error.line or 0, error.column or 0)))
    assert page is not None
    return page


def page_files(source_dir: Path) -> list[Path]:
    """The page files under source/pages, in order."""
    folder = source_dir / PAGES_FOLDER
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise PipelineError("no pages found: add condition pages as pages/<slug>.yaml", folder)
    problems = []
    for path in paths:  # before anything reads them
        try:
            check_file(path)
        except PipelineError as error:
            problems.append(error)
    raise_all(problems)
    return paths


def load_pages(source_dir: Path, known: Mapping[Path, str] | None = None,
               ) -> tuple[Page[Text], ...]:
    """Every page under source/pages but the `known` ones (their slugs by file), sorted by slug;
    problems in all files reported together."""
    known = known or {}
    pages: list[Page[Text]] = []
    problems: list[PipelineError] = []
    for path in page_files(source_dir):
        if path in known:
            continue
        try:
            pages.append(load_page(path))
        except PipelineError as error:
            problems.extend(getattr(error, "errors", (error,)))
    problems += slug_problems({**known, **{page.path: page.slug for page in pages}})
    raise_all(problems)
    return tuple(sorted(pages, key=lambda page: page.slug))


def slug_problems(slugs: Mapping[Path, str]) -> list[PipelineError]:
    """A problem for each page file whose slug an earlier one (in path order) already uses."""
    problems = []
    owners: dict[str, Path] = {}
    for path, slug in sorted(slugs.items()):
        if slug in owners:
            problems.append(PipelineError(
                f"slug {slug!r} is already used by {owners[slug].name}; "
                "give each page its own slug", path, *_slug_place(path)))
        owners.setdefault(slug, path)
    return problems


def _slug_place(path: Path) -> tuple[int | None, int | None]:
    """The line and column of a loaded page's slug, for a problem with it."""
    root = compose(path)
    for key, value in root.value if isinstance(root, MappingNode) else ():
        if key.value == "slug":
            return value.start_mark.line + 1, value.start_mark.column + 1
    return None, None


def load_site_strings(source_dir: Path) -> SiteStrings:
    """The site chrome strings from source/site.yaml."""
    path = source_dir / SITE_FILE
    if not path.exists():
        raise PipelineError("missing: the site strings file (see docs/schema.md)", path)
    reader = Reader(path)
    root = compose(path, SITE_STRINGS)
    if root is None:
        raise PipelineError("the file is empty; it needs a 'strings' mapping", path)
    top = reader.mapping(root, "site", ("strings",))
    strings: list[SiteString] = []
    if top and isinstance(top["strings"], MappingNode):
        for key_node, value_node in top["strings"].value:
            key = str(key_node.value)
            if not KEY.match(key):
                reader.fail(key_node, f"strings: key {key!r} must be lowercase_with_underscores")
                continue
            fields = reader.mapping(value_node, f"strings.{key}", ("text", "note"), ("plural",))
            if fields is None or "text" not in fields or "note" not in fields:
                continue
            text = reader.string(fields["text"], f"strings.{key}.text")
            note = reader.string(fields["note"], f"strings.{key}.note")
            plural = reader.string(fields["plural"], f"strings.{key}.plural") \
                if "plural" in fields else None
            if text and note:
                strings.append(SiteString(key, text, plural, note,
                                          value_node.start_mark.line + 1))
        keys = [string.key for string in strings]
        for string in strings:
            if keys.count(string.key) > 1:
                reader.problems.append(PipelineError(
                    f"strings.{string.key} is given twice; keep one", path, string.line))
    elif top:
        reader.fail(top["strings"], "strings must be a mapping of key: {text, note}")
    raise_all(reader.problems)
    return SiteStrings(path=path, strings=tuple(strings))
