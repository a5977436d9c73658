"""Texts -> inline HTML: English fallbacks as isolated left-to-right runs, critical ones marked."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from pipeline.build.assemble import LocalizedSegment as Segment
from pipeline.build.assemble import LocalizedText, Shown
from pipeline.languages import bcp47
from pipeline.po.changes import ChangeClass
from pipeline.render import direction
from pipeline.render.markup import inline_html, placeholder_parts
from pipeline.source.segment import join_sentences, sentence_separator

_PLAIN_STATES = frozenset({Shown.SOURCE, Shown.TRANSLATED})  # shown without a marking element
CRITICAL_LABEL = "critical_fallback"  # the site string that announces a critical fallback
ENGLISH_SPACE = " "  # between two English sentences, and between a lead-in and its text
Render = Callable[[str], str]  # a segment's text -> its inline HTML


@dataclass(frozen=True)
class Piece:
    """One segment among the texts shown together, with what stands before it."""

    segment: Segment
    tag: str  # the inline element its text is set in ("strong" for a lead-in), or ""
    before: str  # what separates it from the piece before it ("" for the first)


def segment_html(text: LocalizedText, label: LocalizedText,
                 render: Render = inline_html) -> Markup:
    """A text's HTML: each run of English fallbacks one isolated left-to-right element, kept
    stale translations marked; `label` (a site string) announces a critical fallback."""
    segments = text.segments
    if len(segments) == 1 and segments[0].state in _PLAIN_STATES:
        return Markup(render(segments[0].text))
    if all(segment.state in _PLAIN_STATES for segment in segments):
        return Markup(join_sentences([render(segment.text) for segment in segments],
                                     text.language))
    return texts_html(((text, ""),), label, render)


def texts_html(parts: Sequence[tuple[LocalizedText, str]], label: LocalizedText,
               render: Render = inline_html) -> Markup:
    """Texts shown one after another, each in an inline element or in none ("strong" for a
    bullet's lead-in), with a space between them.

    Consecutive fallback segments, from one text or across texts, are one element
    `<span lang="en" dir="ltr" class="fallback">`: the direction makes it a bidi isolate, and
    one isolate keeps its sentences in English order where separate ones would be laid out
    right to left, one after the other, in a right-to-left page.
    """
    html = []
    for fallback, group in groupby(_pieces(parts), key=_is_fallback):
        run = list(group)
        if fallback:
            html.append(run[0].before + _fallback_run(run, label, render))
        else:
            html.append(_inline(run, lambda segment: _own_html(segment, render)))
    return Markup("".join(html))


def _is_fallback(piece: Piece) -> bool:
    return piece.segment.state == Shown.FALLBACK


def _pieces(parts: Sequence[tuple[LocalizedText, str]]) -> list[Piece]:
    pieces: list[Piece] = []
    for text, tag in parts:
        separator = sentence_separator(text.language)
        for index, segment in enumerate(text.segments):
            if not pieces:
                before = ""
            elif index == 0 or segment.state == pieces[-1].segment.state == Shown.FALLBACK:
                before = ENGLISH_SPACE
            else:
                before = separator
            pieces.append(Piece(segment, tag, before))
    return pieces


def _inline(pieces: Iterable[Piece], html: Callable[[Segment], str]) -> str:
    """Pieces in their inline elements: neighbours in the same element share it."""
    out = []
    for tag, group in groupby(pieces, key=lambda piece: piece.tag):
        members = list(group)
        inner = "".join(piece.before + html(piece.segment) for piece in members[1:])
        body = html(members[0].segment) + inner
        name = tag.split(" ")[0]  # a tag may carry a class: 'span class="lead"'
        out.append(members[0].before + (f"<{tag}>{body}</{name}>" if tag else body))
    return "".join(out)


def _own_html(segment: Segment, render: Render) -> str:
    """A segment in the page's language: as it is, or marked when its translation is stale."""
    html = render(segment.text)
    if segment.state == Shown.STALE:
        return f'<span class="stale" data-stale-since="{segment.since}">{html}</span>'
    return html


def _fallback_run(run: Sequence[Piece], label: LocalizedText, render: Render) -> str:
    """One isolated English run; its segments' reasons (and changes) on it when it has one
    segment, else on an element of each."""
    first = run[0]
    if len(run) == 1:
        inner = _inline((Piece(first.segment, first.tag, ""),),
                        lambda segment: _labelled(segment, label, render))
        return f"<span {_attributes(first.segment, 'fallback')}>{inner}</span>"

    def own_element(segment: Segment) -> str:
        return f"<span {_attributes(segment, '')}>{_labelled(segment, label, render)}</span>"

    inner = _inline((Piece(first.segment, first.tag, ""), *run[1:]), own_element)
    return f'<span lang="en" dir="ltr" class="fallback">{inner}</span>'


def _attributes(segment: Segment, run_class: str) -> str:
    """The attributes of the element that holds one fallback segment."""
    critical = segment.change == ChangeClass.CRITICAL
    classes = " ".join(name for name in (run_class, "critical" if critical else "") if name)
    attributes = ['lang="en" dir="ltr"'] if run_class else []
    if classes:
        attributes.append(f'class="{classes}"')
    attributes.append(f'data-reason="{segment.reason}"')
    if critical:
        attributes.append(f'data-change="{ChangeClass.CRITICAL}"')
    return " ".join(attributes)


def _labelled(segment: Segment, label: LocalizedText, render: Render) -> str:
    """A fallback segment's HTML, after the hidden label that says it is a critical update."""
    html = render(segment.text)
    if segment.change != ChangeClass.CRITICAL:
        return html
    [said] = label.segments
    language = label.language if said.state in _PLAIN_STATES else "en"
    return (f'<span class="visually-hidden" lang="{bcp47(language)}" '
            f'dir="{direction(language)}">{inline_html(said.text)}</span>{html}')


def fill(template: LocalizedText, label: LocalizedText, **values: LocalizedText) -> Markup:
    """A site string with {placeholders} filled by texts (docs/errors.md#untrusted-translations).

    The string is cut at its placeholders before anything is rendered: its own text and each
    value are rendered apart, so a value never lands inside the string's markup (a link's
    title attribute), nor is searched for placeholders; Markdown does not reach across one.
    """
    names = frozenset(values)
    shown = {name: str(segment_html(value, label)) for name, value in values.items()}

    def render(text: str) -> str:
        return "".join(shown[part] if name else _spaced_html(part)
                       for part, name in placeholder_parts(text, names))

    return segment_html(template, label, render)


def _spaced_html(text: str) -> str:
    """inline_html, keeping the spaces around the text (a part of a string, such as ": ")."""
    stripped = text.strip()
    if not stripped:
        return text
    start = text.index(stripped)
    return text[:start] + inline_html(stripped) + text[start + len(stripped):]
