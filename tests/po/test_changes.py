"""Change classes: cosmetic edits keep a translation, critical ones are never published old."""

from __future__ import annotations

import pytest

from pipeline.po.changes import ChangeClass, classify, critical_difference

COSMETIC, SUBSTANTIVE, CRITICAL = ChangeClass


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("Every patient's case is different.", "Every patient\u2019s case is different.", COSMETIC),
    ("Rest  briefly, then load. ", "Rest briefly, then load.", COSMETIC),
    ("3-6 months", "3\u20136 months", COSMETIC),
    ('The name "itis" misleads.', "The name \u201citis\u201d misleads.", COSMETIC),
    ("It is used repetitively\u2014carpenters, painters.",
     "It is used repetitively \u2014 carpenters, painters.", COSMETIC),
    ("Rest\u2013then load.", "Rest - then load.", COSMETIC),
    ("Rest briefly , then load .", "Rest briefly, then load.", COSMETIC),
    ("Ice (15 minutes) helps; rest too.", "Ice ( 15 minutes ) helps ;rest too.", COSMETIC),
    ("Ages 40\u201360 / mostly women", "Ages 40 \u2013 60/mostly women", COSMETIC),
    ("The heel cord hurts.", "The heelcord hurts.", SUBSTANTIVE),
    ("Improvement is gradual.", "Improvement is slow but steady.", SUBSTANTIVE),
    ("A heel lift helps.", "A heel lift or new shoes help.", SUBSTANTIVE),
    ("Weeks 0 to 12", "Weeks 0 to 10", CRITICAL),
    ("Take 2.5 mg daily.", "Take 5 mg daily.", CRITICAL),
    ("Rest for two weeks.", "Rest for three weeks.", CRITICAL),
    ("Rest for weeks.", "Rest for months.", CRITICAL),
    ("Steroid injection is avoided.", "Steroid injection is used.", CRITICAL),
    ("Surgery is needed.", "Surgery is not needed.", CRITICAL),
    ("You can run.", "You can't run.", CRITICAL),
    ("Use ice.", "Never use ice.", CRITICAL),
])
def test_classify(old: str, new: str, expected: str) -> None:
    assert classify(old, new) == expected


def test_critical_difference_says_what_changed() -> None:
    assert critical_difference("Weeks 0 to 12", "Weeks 0 to 10") == "removed 12; added 10"
    assert critical_difference("It is avoided.", "It is used.") == "removed avoided"
    assert critical_difference("Improvement is gradual.", "Improvement is slow.") is None
