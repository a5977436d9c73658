"""A copy of the project whose Arabic page shows runs of 1, 2, 3 and 5 English fallbacks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import copy_project, run_cli

SLUG = "achilles-tendonitis"
# What an English reader reads in each run, by the block that shows it (a CSS selector).
NEXT_STEP = ("Achilles tendonitis is stubborn but the large majority improve with a structured "
             "calf-loading program and load management, with PRP an option for tendons that "
             "stall. Steroid injections into the tendon are avoided, and surgery is rarely needed.")
THREE = ("For tendons that stall, PRP is an option Dr. Lee may discuss. Surgery is reserved for "
         "the small minority with persistent pain after a 6-month program. One caution shapes "
         "everything: a weakened tendon is at some risk of rupture, so loading is progressed "
         "sensibly and steroid injection into the tendon is avoided.")
FIVE = ("Dr. Lee treats the tendon patiently. A structured loading program comes first. "
        "Eccentric and heavy-slow calf exercise has the best track record for this tendon. "
        "Load management goes along with it. Footwear or heel-lift adjustments help some "
        "patients.")
LEAD = "Rest alone is usually not enough."
LEAD_TEXT = ("Because Achilles tendonitis is mostly degeneration, the tendon needs gradual, "
             "progressive loading to heal.")
INSIDE = ("Like other tendon problems, it is mostly degeneration, and a loading exercise program "
          "is the mainstay.")
RUNS = {  # name: (the block's selector, the English of its one run, its number of sentences)
    "next-step": (".next-step p:last-child", NEXT_STEP, 2),
    "paragraph-3": ("#approach p:nth-of-type(2)", THREE, 3),
    "paragraph-5": ("#approach p:nth-of-type(1)", FIVE, 5),
    "lead-in": ("#misunderstandings li:first-child", f"{LEAD} {LEAD_TEXT}", 2),
    "inside-translation": ("p.summary", INSIDE, 1),
}
CRITICAL = ("Surgery is reserved for the small minority with persistent pain after a 6-month "
            "program.")  # the English said "after an extended program": a critical change


def _edit(page: dict[str, Any]) -> None:
    """The English edits: reworded (stale), new (untranslated) and with a number (critical)."""
    sections = {section["id"]: section for section in page["sections"]}
    approach = sections["approach"]["blocks"]
    approach[0]["paragraph"] = FIVE
    approach[1]["paragraph"] = THREE
    first = sections["misunderstandings"]["blocks"][1]["bullets"][0]
    first["lead"] = LEAD
    first["text"] = LEAD_TEXT + " " + first["text"].split(". ", 1)[1]
    summary = page["summary"].split(". ")
    page["summary"] = ". ".join([summary[0], INSIDE.rstrip("."), summary[2]])


def fallback_project(target: Path) -> Path:
    """The project with its English edited and its catalogs updated, then built."""
    project = copy_project(target)
    path = project / f"source/pages/{SLUG}.yaml"
    page = yaml.safe_load(path.read_text("utf-8"))
    _edit(page)
    path.write_text(yaml.safe_dump(page, allow_unicode=True, sort_keys=False, width=100), "utf-8")
    settings = project / "pyproject.toml"
    text = re.sub(r"required_sections = \[.*\]", "required_sections = []",
                  settings.read_text("utf-8"))
    settings.write_text(text.replace("min_current = 80", "min_current = 50"), "utf-8")
    run_cli(project, "update")
    run_cli(project, "build")
    return project
