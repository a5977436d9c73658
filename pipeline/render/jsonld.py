"""Localized page -> schema.org JSON-LD: a MedicalWebPage about a MedicalCondition, and its FAQ."""

from __future__ import annotations

from typing import Any

from pipeline.assemble import LocalizedPage, LocalizedText
from pipeline.markup import inline_text
from pipeline.render import language_tag

CONTEXT = "https://schema.org"
FAQ_ANCHOR = "patient-questions"  # the id of the page's questions section


def _text(text: LocalizedText) -> str:
    return inline_text(text.text)


def page_jsonld(page: LocalizedPage, url: str) -> dict[str, Any]:
    """What search engines read of the page, in its language; English where the page shows it."""
    p = page.page
    language = language_tag(page.language)
    title = _text(p.title)
    headline = _text(page.chrome["headline"]).replace("{title}", title) \
        .replace("{tagline}", _text(p.tagline))
    webpage: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": title,
        "headline": headline,
        "description": _text(p.summary),
        "inLanguage": language,
        "about": {"@type": "MedicalCondition", "name": title},
        "audience": {"@type": "Patient"},
        "author": {"@type": "Person", "name": p.author.name,
                   "honorificSuffix": p.author.degree},
        "lastReviewed": p.reviewed.iso(),
    }
    if page.updated:
        webpage["dateModified"] = page.updated
    faq = {
        "@type": "FAQPage",
        "@id": f"{url}#{FAQ_ANCHOR}",
        "name": _text(p.faq.heading),
        "inLanguage": language,
        "isPartOf": {"@id": url},
        "mainEntity": [
            {"@type": "Question", "name": _text(item.question),
             "acceptedAnswer": {"@type": "Answer", "text": _text(item.answer)}}
            for item in p.faq.items
        ],
    }
    return {"@context": CONTEXT, "@graph": [webpage, faq]}
