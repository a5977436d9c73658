"""The publication policy ([tool.pipeline.publish], docs/staleness.md) decided by
assemble.localize on a small page and catalogs made here: min_current, required sections under
the rules "critical" and "current", and the source language always published."""

from __future__ import annotations

from pipeline.config import Policy, SectionRule
from pipeline.model import Page, Text
from tests.build.test_assemble import ENTRIES, localized, page  # noqa: F401  (page: a fixture)

ALL_CURRENT = [(english, translation, None, False, True)
               for english, translation, *_ in ENTRIES["es"]]


def test_min_current_withholds_a_page_under_its_share(page: Page[Text]) -> None:  # noqa: F811
    share = localized(page, "es").completeness.ratio * 100
    under = localized(page, "es", Policy(min_current=share + 1)).publication
    assert not under.published
    assert under.reasons == (f"only {share:.0f}% of the words are current; at least "
                             f"{share + 1:g}% must be",)
    assert localized(page, "es", Policy(min_current=share)).publication.published


def test_a_critical_stale_entry_withholds_a_required_section(page: Page[Text]) -> None:  # noqa: F811
    policy = Policy(min_current=0, required_sections=("treatment",),
                    required_rule=SectionRule.CRITICAL)
    decided = localized(page, "es", policy).publication
    assert not decided.published
    assert decided.reasons == ("the treatment section 'treatment' holds a critical stale entry "
                               "(a number, dose, duration or negation changed in the English "
                               "since it was translated): 'Take 200 mg twice a day.'",)
    # the same entry outside a required section, or under "marked", changes nothing of that
    assert localized(page, "es", Policy(min_current=0, required_sections=("symptoms",),
                                        required_rule=SectionRule.CRITICAL)).publication.published
    assert not localized(page, "es", Policy(min_current=0, stale="marked",
                                            required_sections=("treatment",))
                         ).publication.published


def test_the_current_rule_wants_a_required_section_wholly_current(page: Page[Text]) -> None:  # noqa: F811
    policy = Policy(min_current=0, required_sections=("treatment",),
                    required_rule=SectionRule.CURRENT)
    arabic = localized(page, "ar", policy).publication  # "Take 200 mg" untranslated
    assert arabic.reasons == ("the treatment section 'treatment' must be wholly current and is "
                              "not (required_sections_rule = 'current')",)
    assert localized(page, "ar", Policy(min_current=0, required_sections=("treatment",))
                     ).publication.published  # no critical entry: "critical" lets it through
    everything = [*ALL_CURRENT, ("Treatment", "Tratamiento", None, False, True)]
    assert localized(page, "es", policy, everything).publication.published


def test_reasons_add_up_and_the_source_is_always_published(page: Page[Text]) -> None:  # noqa: F811
    policy = Policy(min_current=100, required_sections=("treatment",))
    decided = localized(page, "es", policy).publication
    assert len(decided.reasons) == 2 and not decided.published
    assert localized(page, "en", policy, []).publication.published


def test_require_review_counts_unreviewed_as_not_current(page: Page[Text]) -> None:  # noqa: F811
    reviewed = localized(page, "es", Policy(min_current=0, require_review=True)).completeness
    plain = localized(page, "es").completeness
    assert reviewed.current_words < plain.current_words
