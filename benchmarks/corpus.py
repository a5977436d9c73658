"""A deterministic benchmark corpus: condition pages in the source schema, translated catalogs,
and an edit script with the ground truth of which old entry each edited segment came from."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

CONDITIONS = ["plantar fasciitis", "tennis elbow", "rotator cuff tendinopathy", "runner's knee",
              "shin splints", "carpal tunnel syndrome", "ankle sprain", "hip bursitis",
              "de Quervain's tenosynovitis", "patellar tendinopathy", "frozen shoulder",
              "trigger finger", "hamstring strain", "stress fracture", "Morton's neuroma"]
PARTS = ["heel", "elbow", "shoulder", "knee", "shin", "wrist", "ankle", "hip", "thumb", "tendon",
         "calf", "forearm", "arch of the foot", "kneecap", "finger"]
TREATMENTS = ["a structured loading program", "activity modification", "a night splint",
              "physical therapy", "a supportive brace", "ice after activity", "gentle stretching",
              "a graded return to sport", "footwear changes", "anti-inflammatory medicine"]
ACTIVITIES = ["running", "climbing stairs", "gripping", "lifting", "typing", "jumping",
              "walking barefoot", "throwing", "kneeling", "sleeping on the affected side"]
TEMPLATES = [
    "{Condition} causes pain in the {part} that is worse with {activity}.",
    "Most patients improve within {a} to {b} weeks with {treatment}.",
    "Take {dose} mg of ibuprofen up to {n} times a day for no more than {a} days.",
    "Hold each stretch for {s} seconds and repeat it {n} times, {n2} times a day.",
    "Ultrasound or MRI is used when the picture is unclear or recovery stalls after {a} weeks.",
    "Surgery is reserved for the small minority whose pain persists after {a} months of care.",
    "Steroid injections can weaken the {part} and are not repeated more than {n} times.",
    "A gradual return to {activity} over {a} to {b} weeks protects the {part}.",
    "Call the clinic if the {part} becomes red, hot or swollen, or if you have a fever.",
    "Rest alone is rarely enough, because the {part} needs progressive loading to heal.",
    "{Treatment} helps most people, especially in the first {a} weeks.",
    "Avoid {activity} for {a} days, then add it back slowly as the pain allows.",
    "The diagnosis is usually clinical, based on tenderness over the {part} and the history.",
    "Night pain in the {part} that wakes you up should be checked by a doctor.",
    "About {p} percent of patients recover fully within {b} months without surgery.",
]
QUALIFIERS = ["", "", "", " in people over {age}", " after a long day on your feet",
              " during the first weeks", " in most adults", " when you start a new sport",
              " if you have diabetes", " in the morning", " at night", " after surgery",
              " when you first get up", " if the pain came on suddenly", " in younger athletes",
              " while you are still training", " during pregnancy", " in manual workers",
              " in people who sit all day", " in the winter months", " after a fall"]
SHARED = [
    "This page is general educational content and not a substitute for medical advice.",
    "Every patient's case is different, so book a consultation to discuss yours.",
    "Bring a list of your medicines and any previous scans to your appointment.",
    "If symptoms get worse quickly, seek urgent medical care.",
]
CLAUSES = [", as your doctor advises", ", especially in older adults", " after an injury",
           ", even at rest", " in most cases"]
SWAPS = [("pain", "discomfort"), ("weeks", "months"), ("helps", "works for"),
         ("usually", "often"), ("gradual", "careful"), ("doctor", "physician")]
LANGUAGES = ["es", "de", "fr", "it", "pt", "nl", "pl", "sv", "ar", "ja"]


def sentence(rng: random.Random) -> str:
    template = rng.choice(TEMPLATES)
    values = {
        "condition": rng.choice(CONDITIONS), "part": rng.choice(PARTS),
        "treatment": rng.choice(TREATMENTS), "activity": rng.choice(ACTIVITIES),
        "a": rng.randint(2, 8), "b": rng.randint(9, 16), "n": rng.randint(2, 4),
        "n2": rng.randint(2, 3), "s": rng.choice([15, 20, 30, 45]),
        "dose": rng.choice([200, 400, 600]), "p": rng.choice([70, 80, 85, 90]),
    }
    values["Condition"] = str(values["condition"]).capitalize()
    values["Treatment"] = str(values["treatment"]).capitalize()
    text = template.format(**values)
    qualifier = rng.choice(QUALIFIERS).format(age=rng.choice([40, 50, 60, 65]))
    return text[:-1] + qualifier + "." if qualifier else text


def bumped_number(text: str, rng: random.Random) -> str | None:
    """The text with one of its numbers raised by 1 to 3, or None when it has none."""
    words = text.split(" ")
    numbers = [index for index, word in enumerate(words) if word.strip(".,").isdigit()]
    if not numbers:
        return None
    index = rng.choice(numbers)
    tail = words[index][len(words[index].rstrip(".,")):]
    words[index] = str(int(words[index].strip(".,")) + rng.randint(1, 3)) + tail
    return " ".join(words)


def near_duplicate(text: str, rng: random.Random) -> str:
    """The same sentence with one number or one word changed."""
    if (bumped := bumped_number(text, rng)) is not None:
        return bumped
    for before, after in SWAPS:
        if f" {before} " in text:
            return text.replace(f" {before} ", f" {after} ", 1)
    return text.rstrip(".") + " in most cases."


def sentences(count: int, seed: int) -> list[str]:
    """Distinct sentences, about 10% of them near-duplicates of others, some shared ones."""
    rng = random.Random(seed)
    found: dict[str, None] = dict.fromkeys(SHARED)
    while len(found) < count:
        if found and rng.random() < 0.10:
            text = near_duplicate(rng.choice(list(found)), rng)
        else:
            text = sentence(rng)
        found.setdefault(text)
    return list(found)[:count]


_ACCENTED = str.maketrans("aeiou", "áéíóú")


def translate(text: str, language: str) -> str:
    """A stand-in translation: unique per sentence and language, numbers kept, no Markdown that
    the English does not have, and accented letters in every fourth word (as in a real
    translation)."""
    words = reversed(text.rstrip(".").split(" "))
    return f"{language.upper()}: " + " ".join(
        word.translate(_ACCENTED) if index % 4 == 1 else word
        for index, word in enumerate(words)) + "."


@dataclass(frozen=True)
class EditScript:
    """Old and new English of one catalog, and the truth: new edited msgid -> old msgid."""

    old: list[str]
    new: list[str]
    truth: dict[str, str]
    added: list[str]
    removed: list[str]


def edit(old: list[str], seed: int) -> EditScript:
    """5% of segments changed (words, numbers, clauses), 2% added, 2% removed, 1% moved."""
    rng = random.Random(seed)
    count = len(old)
    order = list(range(count))
    rng.shuffle(order)
    changed = set(order[: count * 5 // 100])
    removed = set(order[count * 5 // 100: count * 7 // 100])
    moved = order[count * 7 // 100: count * 8 // 100]
    existing = set(old)
    truth: dict[str, str] = {}
    new: list[str] = []
    for index, text in enumerate(old):
        if index in removed or index in moved:
            continue
        if index in changed:
            kind = rng.random()
            if kind < 0.4:
                edited = near_duplicate(text, rng)
            elif kind < 0.7:
                edited = text.rstrip(".") + rng.choice(CLAUSES) + "."
            else:
                edited = text.rsplit(",", 1)[0] + "." if "," in text else \
                    text.replace(" ", " really ", 1)
            if edited in existing or edited in truth:
                new.append(text)
                continue
            truth[edited] = text
            new.append(edited)
        else:
            new.append(text)
    for index in moved:
        new.insert(rng.randrange(len(new) + 1), old[index])
    fresh = [text for text in sentences(count + count // 20, seed + 1)
             if text not in existing and text not in truth][: count * 2 // 100]
    for text in fresh:
        new.insert(rng.randrange(len(new) + 1), text)
    return EditScript(old, new, truth, fresh, [old[index] for index in sorted(removed)])


def page(slug: str, texts: Iterator[str]) -> dict[str, object]:
    """A condition page in the source schema (docs/schema.md), filled from `texts`."""
    def take(count: int) -> str:
        return " ".join(next(texts) for _ in range(count))

    return {
        "slug": slug,
        "category": ["Foot & Ankle", "Hand & Wrist", "Knee", "Shoulder", "Hip"][
            sum(map(ord, slug)) % 5],
        "title": slug.replace("-", " ").title(),
        "tagline": "what helps, and what to avoid.",
        "summary": take(3),
        "author": {"name": "Steven J. Lee", "degree": "MD", "credentials": ["Sports Medicine"]},
        "reviewed": "2026-05",
        "intro": [take(2), take(2)],
        "sections": [
            {"id": "symptoms", "title": "Symptoms",
             "blocks": [{"paragraph": "Typical complaints include:"},
                        {"bullets": [next(texts).rstrip(".") for _ in range(4)]}]},
            {"id": "treatment", "title": "Treatment",
             "blocks": [{"paragraph": take(3)}, {"bullets": [next(texts) for _ in range(4)]}]},
            {"id": "recovery", "title": "Recovery timeline",
             "blocks": [{"steps": [{"title": f"Weeks {n} to {n + 4}", "body": take(2)}
                                   for n in (0, 4, 8)]}]},
            {"id": "misunderstandings", "title": "What patients commonly misunderstand",
             "blocks": [{"bullets": [{"lead": next(texts), "text": take(2)} for _ in range(2)]}]},
        ],
        "disclaimer": take(2),
        "faq": {"heading": "Questions, answered.",
                "items": [{"question": f"Question {n} about {slug.replace('-', ' ')}?",
                           "answer": take(2)} for n in (1, 2, 3)]},
        "next_step": {"title": "Pain that will not settle? The right plan helps.",
                      "text": take(2)},
    }


def page_yaml(slug: str, texts: Iterator[str]) -> str:
    return yaml.safe_dump(page(slug, texts), sort_keys=False, allow_unicode=True, width=100)
