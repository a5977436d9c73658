"""A deterministic corpus of ordinary catalogs: documents of headings, list items and paragraphs,
referenced as `file:line`, and an edit script with the ground truth (issue 20)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import EditScript, bumped_number, translate
from pipeline.po import pofile
from pipeline.po.model import Catalog, Entry

ENTRIES_PER_FILE = 100
# English's commonest words, by rank, and content words made of syllables: a Zipf-distributed
# vocabulary, so that unrelated entries share about as much as unrelated English does.
FUNCTION = ["the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "with", "as", "was",
            "on", "be", "at", "by", "this", "are", "or", "from", "not", "you", "your", "can",
            "have", "if", "when", "may", "but", "after", "more", "than", "most", "some", "into",
            "also"]
SYLLABLES = ["ka", "lo", "mi", "ten", "dor", "pra", "vel", "sun", "rit", "mon", "ga", "lex", "ber",
             "tho", "nia", "cal", "pen", "dru", "fos", "gri", "sa", "ve", "ul", "tor", "man", "chi",
             "bre", "os", "ter", "lin", "qua", "ro", "fe", "dis", "ment"]
VOCABULARY = sorted({first + second + third for first in SYLLABLES for second in SYLLABLES
                     for third in ("", "s", "ing", "ed", "al")})
HEADER = (("Project-Id-Version", "bench"), ("Language", "es"), ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
          ("Plural-Forms", "nplurals=2; plural=(n != 1);"))


@dataclass(frozen=True)
class Block:
    """One entry of a document: its English, and the lines it takes (a blank line after)."""

    text: str
    kind: str  # heading, item or paragraph
    lines: int


def _words(rng: random.Random, count: int, function_share: float) -> list[str]:
    order = random.Random(7).sample(VOCABULARY, len(VOCABULARY))  # the same ranks every run
    weights = [1 / (rank + 10) for rank in range(len(order))]
    function_weights = [1 / (rank + 1) for rank in range(len(FUNCTION))]
    return [rng.choices(FUNCTION, function_weights)[0] if rng.random() < function_share else
            rng.choices(order, weights)[0] for _ in range(count)]


def sentence(rng: random.Random) -> str:
    """6 to 24 words, some a number, ending with a full stop."""
    words = _words(rng, rng.randint(6, 24), 0.45)
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 120)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def heading(rng: random.Random) -> str:
    text = " ".join(_words(rng, rng.randint(2, 8), 0.25))
    return text[0].upper() + text[1:]


def make(kind: str, rng: random.Random) -> Block:
    """A heading (2 to 8 words), a list item (one sentence) or a paragraph (2 to 5 sentences,
    at most 90 words)."""
    if kind == "heading":
        text = heading(rng)
    elif kind == "item":
        text = sentence(rng)
    else:
        text = sentence(rng)
        for _ in range(rng.randint(1, 4)):
            more = f"{text} {sentence(rng)}"
            if len(more.split()) > 90:
                break
            text = more
    return block(text, kind)


def block(text: str, kind: str) -> Block:
    return Block(text, kind, 1 + len(text.split()) // 12 + 1)


def near_duplicate(text: str, rng: random.Random) -> str:
    """The same text with one number or one word changed."""
    if (bumped := bumped_number(text, rng)) is not None:
        return bumped
    words = text.split(" ")
    words[rng.randrange(len(words))] = _words(rng, 1, 0.0)[0]
    return " ".join(words)


def documents(count: int, seed: int) -> list[list[Block]]:
    """Documents of about ENTRIES_PER_FILE distinct entries each, 10% of the entries
    near-duplicates of another (half of them in the same document)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    files: list[list[Block]] = []
    every: list[Block] = []
    while len(every) < count:
        if not files or len(files[-1]) >= ENTRIES_PER_FILE:
            files.append([])
        kind = rng.choices(["heading", "item", "paragraph"], [2, 4, 4])[0]
        made = make(kind, rng)
        if every and rng.random() < 0.10:
            pool = files[-1] if files[-1] and rng.random() < 0.5 else every
            original = rng.choice(pool)
            made = block(near_duplicate(original.text, rng), original.kind)
        if made.text in seen:
            continue
        seen.add(made.text)
        files[-1].append(made)
        every.append(made)
    return files


def edited(original: Block, rng: random.Random) -> Block:
    """Words changed (one in ten, at most 3 in a heading or item), a sentence appended, or one
    removed (a paragraph's)."""
    sentences = original.text.split(". ")
    kind = rng.random()
    if original.kind == "paragraph" and len(sentences) > 2 and kind < 0.3:
        del sentences[rng.randrange(len(sentences))]
        text = ". ".join(sentences)
        text = text if text.endswith(".") else text + "."
    elif original.kind != "heading" and kind < 0.6:
        text = f"{original.text} {sentence(rng)}"
    else:
        text = original.text
        words = len(text.split())
        most = max(1, words // 10) if original.kind == "paragraph" else max(1, min(3, words // 4))
        for _ in range(rng.randint(1, most)):
            text = near_duplicate(text, rng)
    return block(text, original.kind)


@dataclass(frozen=True)
class Corpus:
    """The old and new documents (entries with their references) and the edit script."""

    old: list[list[tuple[str, int]]]
    new: list[list[tuple[str, int]]]
    script: EditScript


def corpus(count: int, seed: int) -> Corpus:
    """5% of entries edited, 2% added, 2% removed, 1% moved to another file: the references
    of the entries below shift as text is added or removed above them."""
    files = documents(count, seed)
    rng = random.Random(seed + 1)
    places = [(number, position) for number, blocks in enumerate(files)
              for position in range(len(blocks))]
    rng.shuffle(places)
    changed = set(places[: count * 5 // 100])
    removed = set(places[count * 5 // 100: count * 7 // 100])
    moved = places[count * 7 // 100: count * 8 // 100]
    existing = {block.text for blocks in files for block in blocks}
    truth: dict[str, str] = {}
    new_files: list[list[Block]] = []
    for number, blocks in enumerate(files):
        kept: list[Block] = []
        for position, item in enumerate(blocks):
            if (number, position) in removed or (number, position) in set(moved):
                continue
            if (number, position) in changed:
                edit = edited(item, rng)
                if edit.text not in existing and edit.text not in truth:
                    truth[edit.text] = item.text
                    kept.append(edit)
                    continue
            kept.append(item)
        new_files.append(kept)
    for number, position in moved:
        target = rng.choice([other for other in range(len(files)) if other != number] or [0])
        new_files[target].insert(rng.randrange(len(new_files[target]) + 1),
                                 files[number][position])
    fresh_files = documents(count * 4 // 100 + 50, seed + 2)
    fresh = [item for blocks in fresh_files for item in blocks
             if item.text not in existing and item.text not in truth][: count * 2 // 100]
    for item in fresh:
        target = rng.randrange(len(new_files))
        new_files[target].insert(rng.randrange(len(new_files[target]) + 1), item)
    old = [_lines(blocks) for blocks in files]
    new = [_lines(blocks, rng) for blocks in new_files]
    script = EditScript([block.text for blocks in files for block in blocks],
                        [block.text for blocks in new_files for block in blocks], truth,
                        [item.text for item in fresh],
                        sorted(files[number][position].text for number, position in removed))
    return Corpus(old, new, script)


def _lines(blocks: list[Block], rng: random.Random | None = None) -> list[tuple[str, int]]:
    """Each entry with the line it starts on; with `rng`, the new version, where other text
    (a code sample, a table: 1 to 4 lines) was added before a tenth of the entries."""
    line = 1
    found = []
    for item in blocks:
        if rng is not None and rng.random() < 0.1:
            line += rng.randint(1, 4)
        found.append((item.text, line))
        line += item.lines
    return found


def write_pair(data: Corpus, folder: Path, language: str) -> tuple[Path, Path]:
    """old.po (every entry translated) and new.pot, entries in the order of their files and
    lines, as xgettext writes them."""
    def entries(files: list[list[tuple[str, int]]], translated: bool) -> tuple[Entry, ...]:
        return tuple(Entry(text, translate(text, language) if translated else "",
                                  locations=(f"docs/page-{number:04d}.md:{line}",))
                     for number, lines in enumerate(files) for text, line in lines)

    old = Catalog((), HEADER, entries(data.old, True))
    new = Catalog((), HEADER[:1] + HEADER[2:5], entries(data.new, False))
    (folder / "old.po").write_bytes(pofile.render(old))
    (folder / "new.pot").write_bytes(pofile.render(new))
    return folder / "old.po", folder / "new.pot"
