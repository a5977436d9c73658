"""What a catalog gives the memory: its entries' translations, drafts, plural forms and
translator's comments as memory units (the one rule of what leaves a catalog for memory/)."""

from __future__ import annotations

from dataclasses import replace

from pipeline.model import MemoryUnit, UnitStatus
from pipeline.po.model import Catalog, Entry
from pipeline.po.states import MEMORY_NOTE


def catalog_units(catalog: Catalog, language: str, origin: str,
                  leaving: bool = False) -> list[MemoryUnit]:
    """What a catalog holds for the memory, and so what is archived when its entries leave it
    (pruned, a page removed or renamed, a duplicate, replaced by an import; then `leaving`):
    see entry_unit. An obsolete entry whose English is also a live entry's is offered only,
    never trusted: nobody chose it for this place."""
    live = {entry.key for entry in catalog.entries if not entry.obsolete}
    found = []
    for entry in catalog.entries:
        unit = entry_unit(entry, language, origin, leaving)
        if unit is not None and entry.obsolete and entry.key in live:
            unit = replace(unit, status=UnitStatus.UNTRUSTED)
        if unit is not None:
            found.append(unit)
    return found


def entry_unit(entry: Entry, language: str, origin: str,
               leaving: bool = False) -> MemoryUnit | None:
    """An entry's translation as a memory unit, or None when it holds none of a translator's
    text: a current translation; a stale one under the English it was made for; a translator's
    draft (fuzzy without previous English, or with a form missing) as a draft; each with its
    plural forms and the translator's comments, review marks among them. A fuzzy suggestion the
    memory made is not a translator's text, unless a translator rewrote it and left it fuzzy
    (Poedit's "Needs work" keeps the note), which nothing tells apart: an entry `leaving` its
    catalog keeps it, untrusted (offered for review, never restored as current)."""
    forms = entry.msgstr_plural if entry.msgid_plural is not None else ()
    if not (any(forms) if forms else entry.msgstr):  # a translator's comment alone is kept
        return MemoryUnit(entry.msgid, "", language, origin, UnitStatus.DRAFT,
                          entry.translator_comments) if entry.translator_comments else None
    status = UnitStatus.CURRENT
    source, plural = entry.msgid, entry.msgid_plural
    if entry.fuzzy and entry.previous_msgid:
        source, plural = entry.previous_msgid, entry.previous_msgid_plural or plural
    elif entry.fuzzy and any(comment.startswith(MEMORY_NOTE) for comment in entry.comments):
        if not leaving:
            return None
        status = UnitStatus.UNTRUSTED
    elif entry.fuzzy:
        status = UnitStatus.DRAFT
    if forms and not all(forms) and status is not UnitStatus.UNTRUSTED:
        status = UnitStatus.DRAFT
    return MemoryUnit(source, forms[0] if forms else entry.msgstr, language, origin, status,
                      entry.translator_comments, plural, forms)
