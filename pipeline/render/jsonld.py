"""Localized page -> schema.org JSON-LD: a MedicalWebPage about a MedicalCondition, and its FAQ."""

from __future__ import annotations

from typing import Any

from pipeline.build.assemble import LocalizedPage, LocalizedText, Shown
from pipeline.languages import bcp47
from pipeline.model import Question
from pipeline.render.markup import fill_text, inline_text

CONTEXT = "https://schema.org"
FAQ_ANCHOR = "patient-questions"  # the id of the page's questions section
ENGLISH = "en"  # the language every fallback is shown in


def _text(text: LocalizedText) -> str:
    return inline_text(text.text)


def _english(*texts: LocalizedText) -> bool | None:
    """Whether the texts are shown wholly in English fallbacks (True), wholly in the page's
    language (False), or in a mix of the two (None), which no language tag can describe."""
    fallback = {segment.state == Shown.FALLBACK for text in texts for segment in text.segments}
    return None if len(fallback) > 1 else fallback == {True}


def _literal(value: str, *texts: LocalizedText) -> str | dict[str, str] | None:
    """A property's text in the page's language, or as an English literal (JSON-LD's
    `@language`) where the page shows it in English; None where it mixes the two."""
    english = _english(*texts)
    if english is None:
        return None
    return {"@value": value, "@language": ENGLISH} if english else value


def _question(item: Question[LocalizedText]) -> dict[str, Any] | None:
    """A question and its answer in the page's language, or with their own `inLanguage` where
    both are English fallbacks; None where the two mix the languages."""
    english = _english(item.question, item.answer)
    if english is None:
        return None
    question: dict[str, Any] = {"@type": "Question", "name": _text(item.question),
                                "acceptedAnswer": {"@type": "Answer", "text": _text(item.answer)}}
    if english:
        question["inLanguage"] = ENGLISH
        question["acceptedAnswer"]["inLanguage"] = ENGLISH
    return question


def _present(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if value is not None}


def page_jsonld(page: LocalizedPage, url: str) -> dict[str, Any]:
    """What search engines read of the page, in its language: a text the page shows in English
    is labelled English, one that mixes the languages is left out (docs/outputs.md)."""
    p = page.page
    language = bcp47(page.language)
    title = _text(p.title)
    headline = fill_text(_text(page.chrome["headline"]),
                         {"title": title, "tagline": _text(p.tagline)})
    name = _literal(title, p.title)
    webpage: dict[str, Any] = _present({
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": name,
        "headline": _literal(headline, page.chrome["headline"], p.title, p.tagline),
        "description": _literal(_text(p.summary), p.summary),
        "inLanguage": language,
        "about": _present({"@type": "MedicalCondition", "name": name}),
        "audience": {"@type": "Patient"},
        "author": {"@type": "Person", "name": p.author.name,
                   "honorificSuffix": p.author.degree},
        "lastReviewed": p.reviewed.iso(),
    })
    if page.updated:
        webpage["dateModified"] = page.updated
    questions = [question for question in map(_question, p.faq.items) if question]
    if not questions:  # an empty FAQPage says nothing true
        return {"@context": CONTEXT, "@graph": [webpage]}
    faq = _present({
        "@type": "FAQPage",
        "@id": f"{url}#{FAQ_ANCHOR}",
        "name": _literal(_text(p.faq.heading), p.faq.heading),
        "inLanguage": language,
        "isPartOf": {"@id": url},
        "mainEntity": questions,
    })
    return {"@context": CONTEXT, "@graph": [webpage, faq]}
