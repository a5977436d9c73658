"""Sentence segmentation: pysbd plus the project's exceptions, and reassembly per language."""
# ruff: noqa: RUF001  (en dashes in ranges are the point of these cases)

from __future__ import annotations

import random
import re
from pathlib import Path

import pysbd
import pytest

from benchmarks.corpus import sentences
from pipeline.model import Text, texts
from pipeline.source import segment
from pipeline.source.load import load_page
from pipeline.source.segment import (
    join_sentences,
    page_template,
    sentence_ends,
    sentences_of,
    split_sentences,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("text", "expected"), [
    ("Dr. Lee treats it. Surgery is rare.", ("Dr. Lee treats it.", "Surgery is rare.")),
    ("Use ice, e.g. a cold pack, i.e. not heat. Then rest.",
     ("Use ice, e.g. a cold pack, i.e. not heat.", "Then rest.")),
    ("Written by Steven J. Lee today. It helps.", ("Written by Steven J. Lee today.", "It helps.")),
    ("In the U.S. it is common. Really.", ("In the U.S. it is common.", "Really.")),
    ("It takes approx. 6 weeks. Then you run.", ("It takes approx. 6 weeks.", "Then you run.")),
    ("Take 2.5 mg daily for 3–6 weeks. Weeks 0 to 12 matter.",
     ("Take 2.5 mg daily for 3–6 weeks.", "Weeks 0 to 12 matter.")),
    ("**Rest alone is not enough.** Because it is degeneration.",
     ("**Rest alone is not enough.**", "Because it is degeneration.")),
    ("See [the guide. Really, read it](https://example.org/a.b) now. Then call.",
     ("See [the guide. Really, read it](https://example.org/a.b) now.", "Then call.")),
    ("It is *not. inflammation* at all. Fine.", ("It is *not. inflammation* at all.", "Fine.")),
    ("Why does rest not fix it? It is degeneration!", ("Why does rest not fix it?",
                                                       "It is degeneration!")),
])
def test_split_sentences(text: str, expected: tuple[str, ...]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a sentence-final abbreviation or initial, then a word that opens sentences
    ("It is common in the U.S. About 1 in 10 people get it.",
     ("It is common in the U.S.", "About 1 in 10 people get it.")),
    ("Take vitamin D. It helps.", ("Take vitamin D.", "It helps.")),
    ("Ice it for 15 min. Then rest.", ("Ice it for 15 min.", "Then rest.")),
    ("Ice it for 15 min. Rest.", ("Ice it for 15 min.", "Rest.")),
    ("Take it at 8 a.m. Then eat.", ("Take it at 8 a.m.", "Then eat.")),
    ("Wear it for 6 wks. Most improve.", ("Wear it for 6 wks.", "Most improve.")),
    # ...or a word that does not: a name, an organization, a number, lowercase
    ("The U.S. Food and Drug Administration approved it. It works.",
     ("The U.S. Food and Drug Administration approved it.", "It works.")),
    ("Ask Steven J. Lee about it. He knows.", ("Ask Steven J. Lee about it.", "He knows.")),
    ("Wait 2 hrs. before eating. Then go.", ("Wait 2 hrs. before eating.", "Then go.")),
    ("Use ice, e.g. The Cold Pack brand.", ("Use ice, e.g. The Cold Pack brand.",)),
    # "No." answers, and "No." before a number
    ("No. A heel spur is rarely the cause.", ("No.", "A heel spur is rarely the cause.")),
    ("Yes. Most people improve.", ("Yes.", "Most people improve.")),
    ("The answer is no. Ice helps more.", ("The answer is no.", "Ice helps more.")),
    ("See No. 5 and nos. 6 to 8. Then stop.", ("See No. 5 and nos. 6 to 8.", "Then stop.")),
    # punctuation that goes on with the sentence
    ("Our office is at 200 Main St., Suite 4. Park behind it.",
     ("Our office is at 200 Main St., Suite 4.", "Park behind it.")),
    ("Call Mon.\u2013Fri. from 8 a.m. to 5 p.m. We answer.",
     ("Call Mon.\u2013Fri. from 8 a.m. to 5 p.m.", "We answer.")),
    # the rules do not cut inline Markdown
    ("**Ice it for 15 min. Then rest.** Good.", ("**Ice it for 15 min. Then rest.**", "Good.")),
])
def test_the_projects_exceptions(text: str, expected: tuple[str, ...]) -> None:
    assert split_sentences(text) == expected


def test_split_keeps_every_character_but_spaces_between() -> None:
    text = "One sentence here. Another one, with 1.5 units. A third (vs. a fourth)."
    assert " ".join(split_sentences(text)) == text


def test_labels_are_never_split_and_block_granularity_keeps_paragraphs() -> None:
    label = Text("Heel pain? Loading wins.", "next_step.title", "title", prose=False, line=1)
    prose = Text("First one. Second one.", "summary", "Summary", prose=True, line=1)
    assert sentences_of(label, "sentence") == ("Heel pain? Loading wins.",)
    assert sentences_of(prose, "sentence") == ("First one.", "Second one.")
    assert sentences_of(prose, "block") == ("First one. Second one.",)


def test_join_sentences_as_the_language_writes_them() -> None:
    assert join_sentences(["Uno.", "Dos."], "es") == "Uno. Dos."
    assert join_sentences(["一つ。", "二つ。"], "ja") == "一つ。二つ。"
    assert join_sentences(["一。", "二。"], "zh_Hant") == "一。二。"


def test_page_template_places_and_comments() -> None:
    page = load_page(ROOT / "source/pages/achilles-tendonitis.yaml")
    template = page_template(page, "sentence", ROOT)
    by_id = {unit.msgid: unit for unit in template.units}
    body = by_id["Improvement is gradual."]
    assert body.locations == ("source/pages/achilles-tendonitis.yaml:recovery.2.1.body.s2",)
    assert body.comments == ("Recovery timeline, step 1 body, sentence 2 of 2",)
    assert by_id["Weeks 0 to 12"].comments == ("Recovery timeline, step 1 title",)
    msgids = [unit.msgid for unit in template.units]
    assert len(msgids) == len(set(msgids)), "identical English in one page is one entry"


def test_identical_english_in_one_page_is_one_entry_with_every_place(tmp_path: Path) -> None:
    source = (ROOT / "source/pages/achilles-tendonitis.yaml").read_text(encoding="utf-8")
    source = source.replace("Load and training-volume management",
                            "Tenderness and sometimes thickening of the tendon")
    path = tmp_path / "achilles-tendonitis.yaml"
    path.write_text(source, encoding="utf-8")
    template = page_template(load_page(path), "sentence", tmp_path)
    unit = next(u for u in template.units
                if u.msgid == "Tenderness and sometimes thickening of the tendon")
    assert unit.locations == ("achilles-tendonitis.yaml:symptoms.2.2.s1",
                              "achilles-tendonitis.yaml:treatment.2.2.s1")
    assert unit.comments == ("Symptoms, list item 2", "Non-surgical treatment, list item 2")


def test_text_that_is_one_sentence_skips_pysbd_with_the_same_result(
        monkeypatch: pytest.MonkeyPatch) -> None:
    page = load_page(ROOT / "source/pages/achilles-tendonitis.yaml")
    prose = [text.value for text in texts(page) if text.prose]
    generated = sentences(400, seed=3)
    prose += [" ".join(generated[start:start + size])
              for start, size in zip(range(0, 400, 4), [1, 2, 3, 4] * 25, strict=True)]
    prose += ["One line\nand another", "Why? Because.", "No end", "Ends with … and more",
              "Ratio 1:2 here", "Rest; then ice"]
    fast = [split_sentences(text) for text in prose]
    assert sum(len(found) == 1 for found in fast) > 30
    split_sentences.cache_clear()
    monkeypatch.setattr(segment, "_TERMINATOR", re.compile("."))  # every text to pysbd
    assert [split_sentences(text) for text in prose] == fast
    split_sentences.cache_clear()


def test_sentence_ends_are_pysbds_char_spans() -> None:
    page = load_page(ROOT / "source/pages/achilles-tendonitis.yaml")
    generated = sentences(200, seed=5)
    prose = [text.value for text in texts(page) if text.prose]
    prose += [" ".join(generated[start:start + 4]) for start in range(0, 200, 4)]
    prose += ["Dr. Smith said so.  Then he left.\nNew line. And (e.g. this) one.",
              "What?! Really... yes. \u201cQuoted.\u201d Next"]
    spans = pysbd.Segmenter(language="en", clean=False, char_span=True)
    for text in prose:
        assert sentence_ends(text) == [span.end for span in spans.segment(text)], text


# Words that set off pysbd's rules: abbreviations, initials, list letters and roman numerals,
# numbers, units, quotes and apostrophes, capitals and lowercase after a period.
_TRICKY_WORDS = (
    "the", "The", "tendon", "heals", "Rest", "Ice", "Week", "Is", "It", "Dr", "dr", "Mr", "Mrs",
    "Ms", "Prof", "Gen", "Col", "St", "Mt", "Ave", "Inc", "Jr", "No", "no", "Nos", "Fig", "fig",
    "pm", "am", "PM", "AM", "Jan", "Mar", "Apr", "Aug", "Sept", "Oct", "Mon", "Sun", "Sat", "etc",
    "vs", "est", "approx", "cf", "al", "et", "ie", "e", "g", "I", "a", "A", "B", "b", "D", "v",
    "x", "IV", "iv", "II", "ii", "III", "mix", "civil", "MD", "RN", "PT", "US", "UK", "MRI", "CT",
    "NSAIDs", "OK", "Ok", "don't", "it's", "patients'", "'quoted'", "well-known", "x-ray", "X-ray",
    "6", "12", "2nd", "1st", "COVID19", "Yahoo", "p", "pp", "ext", "art", "Art", "Co", "Corp",
    "Bros", "Ft", "ft", "in", "In", "min", "Min", "max", "hr", "Hrs", "kg", "mg", "ml", "cm", "wk",
    "Wks",
)


@pytest.mark.slow
def test_plain_prose_is_split_where_pysbd_splits_it() -> None:
    rng = random.Random(7)
    generated = sentences(600, seed=13)
    prose = [" ".join(generated[start:start + 3]) for start in range(0, 600, 3)]
    for _ in range(12000):
        text = rng.choice(_TRICKY_WORDS)
        for _ in range(rng.randint(1, 10)):
            text += rng.choice((" ", " ", " ", ", ", ". ", ". ", "? ", "-")) + \
                rng.choice(_TRICKY_WORDS)
        prose.append(text + rng.choice((".", ".", "?", "")))
    for _ in range(3000):  # numbers before periods, some of which pysbd reads as list items
        text = "Rest"
        for _ in range(rng.randint(1, 5)):
            text += f" {rng.choice(('over', 'for', 'in'))} {rng.choice((0, 1, 2, 9, 10, 50, 150))}"
            text += rng.choice((". Take", ". It", " and", "? Then"))
        prose.append(text + rng.choice((".", "")))
    spans = pysbd.Segmenter(language="en", clean=False, char_span=True)
    plain = [text for text in dict.fromkeys(prose)
             if segment._plain_sentence_ends(text) is not None]
    assert len(plain) > 1500  # the generated medical prose is mostly plain
    assert [text for text in plain if segment._plain_sentence_ends(text)
            != [span.end for span in spans.segment(text)]] == []
    assert segment._plain_sentence_ends("Dr. Smith said so. Then he left.") is None
    assert segment._plain_sentence_ends("It heals. Rest it? Yes.") == [10, 19, 23]
    assert segment._plain_sentence_ends("People over 50. Take 600 mg.") == [16, 28]
    assert segment._plain_sentence_ends("Rest for 1. Take 2. Then go.") is None  # a list
