"""Localized page -> JSON: the page's structure with every segment's text, HTML and state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson

from pipeline.build.assemble import ENGLISH_PLURAL, Listing, LocalizedPage, LocalizedText, Shown
from pipeline.languages import bcp47
from pipeline.model import Bullets, Paragraph, Steps
from pipeline.render import (
    Alternate,
    direction,
    reviewed_date,
    text_state,
)
from pipeline.render.markup import inline_html
from pipeline.render.runs import CRITICAL_LABEL, segment_html

FORMAT_VERSION = 1


def _text(text: LocalizedText, label: LocalizedText) -> dict[str, Any]:
    """A text and its segments; `label` announces a critical fallback in its HTML."""
    return {
        "text": text.text,
        "html": str(segment_html(text, label)),
        "state": text_state(text),
        "segments": [
            {"source": segment.source, "text": segment.text, "html": inline_html(segment.text),
             "state": segment.state, "reason": segment.reason, "change": segment.change,
             "since": segment.since}
            for segment in text.segments
        ],
    }


def _block(block: Paragraph[LocalizedText] | Bullets[LocalizedText] | Steps[LocalizedText],
           label: LocalizedText) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": _text(block.text, label)}
    if isinstance(block, Bullets):
        return {"type": "bullets", "items": [
            {"lead": _text(item.lead, label) if item.lead else None,
             "lead_style": item.lead_style.value if item.lead else None,
             "text": _text(item.text, label) if item.text else None} for item in block.items]}
    return {"type": "steps", "steps": [
        {"title": _text(step.title, label), "body": _text(step.body, label)}
        for step in block.steps]}


def completeness(page: LocalizedPage | Listing) -> dict[str, Any]:
    done = page.completeness
    return {"ratio": round(done.ratio, 4), "words": done.words, "current_words": done.current_words,
            "segments": done.segments, "current_segments": done.current_segments}


def translation_status(page: Listing, alternate: Alternate | None) -> dict[str, Any]:
    """One language of a page, for sites: published or why not, and how current."""
    return {
        "language": bcp47(page.language),
        "published": page.publication.published,
        "reasons": list(page.publication.reasons),
        "completeness": completeness(page),
        "updated": page.updated,
        "path": alternate.path if alternate else None,
        "url": alternate.url if alternate else None,
    }


def _plural(page: LocalizedPage, key: str) -> dict[str, Any]:
    state = page.chrome[key].segments[0].state
    return {"forms": list(page.plurals[key]),
            "plural": page.plural_rules.get(key, ENGLISH_PLURAL),
            "state": state if state in (Shown.SOURCE, Shown.TRANSLATED) else Shown.FALLBACK}


def site_strings(page: LocalizedPage) -> dict[str, Any]:
    """The site strings' part of a page's document (the same on every page of a language)."""
    label = page.chrome[CRITICAL_LABEL]
    return {"site_strings": {key: _text(text, label) for key, text in sorted(page.chrome.items())
                             if key not in page.plurals},
            "plural_strings": {key: _plural(page, key) for key in sorted(page.plurals)}}


class SiteParts:
    """site_strings made once per language for the pages a build task renders: they share
    their language's site strings (the very objects, which is what is checked)."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[tuple[object, ...], dict[str, Any]]] = {}

    def __call__(self, page: LocalizedPage) -> dict[str, Any]:
        shared = (page.chrome, page.plurals, page.plural_rules)
        known = self._made.get(page.language)
        if known is None or not all(a is b for a, b in zip(known[0], shared, strict=True)):
            known = self._made[page.language] = (shared, site_strings(page))
        return known[1]


def page_document(page: LocalizedPage, alternates: Sequence[Alternate],
                  translations: Sequence[dict[str, Any]], public: bool,
                  site_part: Callable[[LocalizedPage], dict[str, Any]] = site_strings,
                  ) -> dict[str, Any]:
    """The page's structure for sites that render it themselves (pipeline/schemas/); its site
    strings by `site_part` (SiteParts() to make them once per language for many pages)."""
    p = page.page
    label = page.chrome[CRITICAL_LABEL]
    return {
        "format_version": FORMAT_VERSION,
        "slug": p.slug,
        "language": bcp47(page.language),
        "direction": direction(page.language),
        "public": public,
        "completeness": completeness(page),
        "updated": page.updated,
        "translations": list(translations),
        "alternates": [{"language": alternate.tag, "path": alternate.path, "url": alternate.url}
                       for alternate in alternates],
        "category": _text(p.category, label),
        "title": _text(p.title, label),
        "tagline": _text(p.tagline, label),
        "summary": _text(p.summary, label),
        "author": {"name": p.author.name, "degree": p.author.degree,
                   "credentials": [_text(credential, label)
                                   for credential in p.author.credentials]},
        "reviewed": {"date": p.reviewed.iso(), "display": reviewed_date(p.reviewed, page.language)},
        "intro": [_text(paragraph, label) for paragraph in p.intro],
        "sections": [{"id": section.id, "kind": section.kind.value,
                      "title": _text(section.title, label),
                      "blocks": [_block(block, label) for block in section.blocks]}
                     for section in p.sections],
        "disclaimer": _text(p.disclaimer, label),
        "faq": {"heading": _text(p.faq.heading, label),
                "items": [{"question": _text(item.question, label),
                           "answer": _text(item.answer, label)} for item in p.faq.items]},
        "next_step": {"title": _text(p.next_step.title, label),
                      "text": _text(p.next_step.text, label)},
        **site_part(page),
    }


def dumps(document: dict[str, Any]) -> str:
    """Deterministic JSON, safe to embed in a <script> element (<, >, & are escaped, and the
    line separators that end a line in older JavaScript)."""
    return dumps_bytes(document).decode("utf-8")


def dumps_bytes(document: dict[str, Any]) -> bytes:
    """dumps(document) in UTF-8."""
    # orjson writes what json.dumps(indent=2, ensure_ascii=False) writes, 20 times faster.
    data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    data = data.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")
    data = data.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
    return data + b"\n"
