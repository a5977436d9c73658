"""The translation memory: every translation ever made, indexed for exact and fuzzy look-ups.

It holds the translated, non-fuzzy entries of every catalog (obsolete ones too) and the units of
the committed memory/<lang>.tmx files (translations that left the catalogs, and imported TMX).
The SQLite index under .cache/ is rebuilt file by file when a catalog or memory file changes,
and is safe to delete.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from pipeline.errors import PipelineError
from pipeline.po.changes import normalize

if TYPE_CHECKING:
    import sqlite3

    from pipeline.model import MemoryUnit

# sqlite3, hashlib, Babel and the model are imported where they are used: `merge` imports this
# module for score() alone.

SCHEMA_VERSION = "4"
CANDIDATES = 40  # at most this many full-text candidates are scored by a fuzzy look-up
RARE_WORDS = 4  # the candidates share at least one of the query's rarest words
_TOKEN = re.compile(r"\w{3,}")
# Words too common to tell sentences apart; the candidate filter ignores them.
STOP_WORDS = frozenset([
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was",
    "one", "our", "out", "has", "him", "his", "how", "its", "may", "new", "now", "old", "see",
    "two", "way", "who", "did", "get", "let", "put", "say", "she", "too", "use", "with",
    "that", "this", "from", "they", "will", "would", "there", "their", "what", "which", "when",
    "your", "than", "then", "them", "been", "have", "into", "more", "some", "such", "only",
    "also", "other",
])


@dataclass(frozen=True)
class Match:
    """A memory unit and how well its English matches the query, as a percentage."""

    unit: MemoryUnit
    score: float

    @property
    def exact(self) -> bool:
        return self.score >= 100.0


@dataclass(frozen=True)
class Source:
    """A file the memory reads: its key in the index, its content digest, and its units."""

    path: str
    digest: str
    load: Callable[[], Sequence[MemoryUnit]]


def key(text: str) -> str:
    """What look-ups compare: the English with whitespace and typographic quotes folded."""
    return normalize(text)


def score(query: str, candidate: str) -> float:
    """The match percentage: 100 for the same folded text; else the mean of rapidfuzz's ratio
    (edit similarity) and partial ratio (best alignment of the shorter text inside the longer),
    so that a clause added to or cut from an unchanged sentence costs half of what a change
    inside it does (docs/memory.md)."""
    return folded_score(key(query), key(candidate))


def folded_score(a: str, b: str) -> float:
    """score, of English already folded by key()."""
    if a == b:
        return 100.0
    return min(99.0, round((fuzz.ratio(a, b) + fuzz.partial_ratio(a, b)) / 2, 1))


def digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


class MemoryIndex:
    """The SQLite index of the memory, at the I/O edge."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def open(cls, path: Path) -> MemoryIndex:
        import sqlite3

        path.parent.mkdir(parents=True, exist_ok=True)
        _plain_files(path)
        try:
            connection = sqlite3.connect(path)
            version = _meta(connection)
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)  # a damaged cache is only a cache: start it again
            connection = sqlite3.connect(path)
            version = None
        if version != SCHEMA_VERSION:
            _create(connection)
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    def refresh(self, sources: Iterable[Source]) -> int:
        """Re-index the sources whose digest changed and drop the ones that are gone; returns
        how many files were (re)indexed."""
        known = dict(self._db.execute("SELECT path, digest FROM files").fetchall())
        wanted = {source.path: source for source in sources}
        changed = [source for path, source in wanted.items() if known.get(path) != source.digest]
        gone = [path for path in known if path not in wanted]
        terms = Counter[tuple[str, str]]()  # how many more units have each (language, term)
        with self._db:
            for path in gone:
                self._delete(self._db.execute("SELECT id, key, language FROM units "
                                              "WHERE file = ?", (path,)).fetchall(), terms)
                self._db.execute("DELETE FROM files WHERE path = ?", (path,))
            for source in changed:
                self._reindex(source, terms)
            # once for all files: a term is in many of them
            self._db.executemany(
                "INSERT INTO terms(language, term, docs) VALUES (?, ?, ?) "
                "ON CONFLICT(language, term) DO UPDATE SET docs = docs + excluded.docs",
                [(*term, count) for term, count in sorted(terms.items()) if count])
            self._db.execute("DELETE FROM terms WHERE docs <= 0")
        return len(changed)

    def _reindex(self, source: Source, terms: Counter[tuple[str, str]]) -> None:
        """Bring one file's units up to date: only the units it lost are deleted and only the
        ones it gained inserted (an edit changes few of a catalog's translations)."""
        units = source.load()
        missing = Counter((unit.language, unit.source, unit.target, unit.origin, _extra(unit))
                          for unit in units)
        lost = []
        for unit_id, unit_key, *found in self._db.execute(
                "SELECT id, key, language, source, target, origin, extra FROM units "
                "WHERE file = ?",
                (source.path,)).fetchall():
            if missing[tuple(found)] > 0:
                missing[tuple(found)] -= 1
            else:
                lost.append((unit_id, unit_key, found[0]))
        self._delete(lost, terms)
        gained = []
        for unit in units:
            row = (unit.language, unit.source, unit.target, unit.origin, _extra(unit))
            if missing[row] > 0:
                missing[row] -= 1
                gained.append(unit)
        self._insert(source.path, gained, terms)
        self._db.execute("INSERT INTO files(path, digest) VALUES (?, ?) ON CONFLICT(path) "
                         "DO UPDATE SET digest = excluded.digest", (source.path, source.digest))

    def _insert(self, path: str, units: Sequence[MemoryUnit],
                terms: Counter[tuple[str, str]]) -> None:
        """Insert one file's new units and their full-text rows, two statements for all (two per
        unit took most of a first update's indexing), and count their terms. Their ids are the
        ones SQLite would give them one by one."""
        if not units:
            return
        (last,) = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM units").fetchone()
        rows, texts = [], []
        for number, unit in enumerate(units, start=last + 1):
            folded = key(unit.source)
            words = distinctive_words(folded)
            rows.append((number, path, unit.language, unit.source, folded, unit.target,
                         unit.origin, _extra(unit)))
            texts.append((number, _terms(words, unit.language)))
            terms.update((unit.language, word) for word in words)
        self._db.executemany("INSERT INTO units(id, file, language, source, key, target, origin, "
                             "extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._db.executemany("INSERT INTO units_fts(rowid, terms) VALUES (?, ?)", texts)

    def _delete(self, units: Sequence[tuple[int, str, str]],
                terms: Counter[tuple[str, str]]) -> None:
        """Delete units given as (id, key, language), with their full-text rows, and count
        their terms out."""
        for unit_id, unit_key, language in units:
            self._db.execute("DELETE FROM units_fts WHERE rowid = ?", (unit_id,))
            terms.subtract((language, word) for word in distinctive_words(unit_key))
        self._db.executemany("DELETE FROM units WHERE id = ?", [(unit[0],) for unit in units])

    def _units(self, rows: Iterable[tuple[str, str, str, str, str]]) -> Iterator[MemoryUnit]:
        for source, target, language, origin, extra in rows:
            yield _unit(source, target, language, origin, extra)

    def exact(self, language: str, text: str) -> list[Match]:
        rows = self._db.execute(
            "SELECT DISTINCT source, target, language, origin, extra FROM units "
            "WHERE language = ? AND key = ? AND target != '' ORDER BY origin, target",
            (language, key(text)))
        return [Match(unit, 100.0) for unit in self._units(rows)]

    def search(self, language: str, text: str, minimum: float = 50.0,
               limit: int = 5) -> list[Match]:
        """The best matches for `text` in `language`, best first, at least `minimum` percent."""
        found: dict[tuple[str, str], Match] = {}
        for match in self.exact(language, text):
            _keep_better(found, match)
        folded = key(text)
        words = sorted(distinctive_words(folded))
        if words and minimum < 100:
            # A score of m% needs an edit similarity r of at least 2m-100, and that a length
            # within r/(200-r) of the query's.
            ratio = max(2 * minimum - 100, 1.0)
            low = int(len(folded) * ratio / (200 - ratio))
            high = int(len(folded) * (200 - ratio) / ratio) + 1
            query = self._rare_words_query(words, language)
            rows = self._db.execute(
                "SELECT u.source, u.target, u.language, u.origin, u.extra FROM (SELECT rowid FROM "
                "units_fts WHERE units_fts MATCH ? ORDER BY rank LIMIT ?) AS found "
                "JOIN units u ON u.id = found.rowid WHERE length(u.key) BETWEEN ? AND ? "
                "AND u.target != ''",
                (query, CANDIDATES, low, high))
            for unit in self._units(rows):
                value = score(text, unit.source)
                if value >= minimum:
                    _keep_better(found, Match(unit, value))
        ranked = sorted(found.values(), key=lambda match: (
            -match.score, not match.unit.trusted, match.unit.source, match.unit.target,
            match.unit.origin))
        return ranked[:limit]

    def _rare_words_query(self, words: list[str], language: str) -> str:
        """An FTS query for the query's rarest words in the language: a good match shares some
        of them, and their short document lists keep a look-up fast as the memory grows."""
        marks = ",".join("?" * len(words))
        counts = dict(self._db.execute(
            f"SELECT term, docs FROM terms WHERE language = ? AND term IN ({marks})",
            (language, *words)).fetchall())
        rare = sorted((word for word in words if counts.get(word)), key=lambda w: (counts[w], w))
        chosen = rare[:RARE_WORDS] or words[:RARE_WORDS]
        return " OR ".join(f'"{term}"' for term in _terms(chosen, language).split())

    def suggest(self, language: str, text: str, threshold: float) -> Match | None:
        """The one match update would use for untranslated English: the best at or above the
        threshold."""
        matches = self.search(language, text, minimum=threshold, limit=1)
        return matches[0] if matches else None

    def units(self, language: str) -> list[MemoryUnit]:
        rows = self._db.execute(
            "SELECT source, target, language, min(origin), extra FROM units WHERE language = ? "
            "GROUP BY source, target, extra ORDER BY source, target, extra", (language,))
        return list(self._units(rows))

    def stats(self) -> list[tuple[str, str, int]]:
        """(language, kind of origin, distinct units) for every language in the memory."""
        rows = self._db.execute(
            "SELECT language, CASE WHEN file NOT LIKE '%.tmx' THEN 'catalogs' "
            "WHEN origin LIKE 'archive:%' THEN 'archived' ELSE 'imported' END AS kind, "
            "count(DISTINCT source || char(0) || target) FROM units "
            "GROUP BY language, kind ORDER BY language, kind")
        return [(str(language), str(kind), int(count)) for language, kind, count in rows]


def _keep_better(found: dict[tuple[str, str], Match], match: Match) -> None:
    """Keep one match per translation: a trusted unit over another, then the first origin."""
    pair = (match.unit.source, match.unit.target)
    held = found.get(pair)
    if held is None or (not match.unit.trusted, match.unit.origin) < \
            (not held.unit.trusted, held.unit.origin):
        found[pair] = match


def _extra(unit: MemoryUnit) -> str:
    """What a unit holds beyond its English, translation, language and origin, as JSON ("" for
    a current translation of one form with no comment: most units)."""
    from pipeline.model import UnitStatus

    fields: dict[str, object] = {}
    if unit.status is not UnitStatus.CURRENT:
        fields["status"] = unit.status.value
    if unit.comments:
        fields["comments"] = list(unit.comments)
    if unit.plural is not None:
        fields["plural"], fields["forms"] = unit.plural, list(unit.forms)
    return json.dumps(fields, ensure_ascii=False, sort_keys=True) if fields else ""


def _unit(source: str, target: str, language: str, origin: str, extra: str) -> MemoryUnit:
    from pipeline.model import MemoryUnit, UnitStatus

    fields = json.loads(extra) if extra else {}
    plural = fields.get("plural")
    return MemoryUnit(source, target, language, origin,
                      UnitStatus(fields.get("status", UnitStatus.CURRENT.value)),
                      tuple(fields.get("comments", ())), plural,
                      tuple(fields.get("forms", ())) if plural is not None else ())


def distinctive_words(folded: str) -> set[str]:
    """The words of some folded English that can tell sentences apart."""
    return {word for word in _TOKEN.findall(folded.lower()) if word not in STOP_WORDS}


def _terms(words: Iterable[str], language: str) -> str:
    """Full-text terms: each word tagged with the language, so that every language has its own
    short document lists."""
    tag = re.sub(r"[^a-z0-9]", "", language.lower())
    return " ".join(f"{word}0{tag}" for word in sorted(words))


def _meta(connection: sqlite3.Connection) -> str | None:
    import sqlite3

    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError:
        return None
    return str(row[0]) if row else None


def _create(connection: sqlite3.Connection) -> None:
    with connection:
        for table in ("units_vocab", "terms", "units_fts", "units", "files", "meta"):
            connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
        connection.execute("CREATE TABLE files(path TEXT PRIMARY KEY, digest TEXT NOT NULL)")
        connection.execute("CREATE TABLE units(id INTEGER PRIMARY KEY, file TEXT NOT NULL, "
                           "language TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL, "
                           "target TEXT NOT NULL, origin TEXT NOT NULL, extra TEXT NOT NULL)")
        connection.execute("CREATE INDEX units_exact ON units(language, key)")
        connection.execute("CREATE INDEX units_file ON units(file)")
        connection.execute("CREATE VIRTUAL TABLE units_fts USING fts5(terms)")
        connection.execute("CREATE TABLE terms(language TEXT NOT NULL, term TEXT NOT NULL, "
                           "docs INTEGER NOT NULL, PRIMARY KEY(language, term)) WITHOUT ROWID")
        connection.execute("INSERT INTO meta(key, value) VALUES ('schema', ?)",
                           (SCHEMA_VERSION,))


def _plain_files(path: Path) -> None:
    """Remove a link, FIFO or device where the index or its journal belongs: SQLite would
    write through a link into its target, or wait on a FIFO; the index is only a cache."""
    journals = (path.with_name(path.name + end) for end in ("-journal", "-wal", "-shm"))
    for name in (path, *journals):
        if name.is_symlink() or (name.exists() and not name.is_file()):
            try:
                name.unlink()
            except IsADirectoryError:
                raise PipelineError("a folder where the memory index belongs; delete it (the "
                                    "index is only a cache) and run again", name) from None


def open_index(path: Path, sources: Iterable[Source]) -> MemoryIndex:
    """The index at `path`, brought up to date with the sources."""
    import sqlite3

    sources = list(sources)
    index = MemoryIndex.open(path)
    try:
        index.refresh(sources)
    except sqlite3.DatabaseError:  # damaged where its header did not show: only a cache
        index.close()
        path.unlink(missing_ok=True)
        index = MemoryIndex.open(path)
        try:
            index.refresh(sources)
        except sqlite3.DatabaseError as error:
            index.close()
            raise PipelineError(f"the memory index cannot be written ({error}); delete it "
                                "and run again", path) from None
    return index

