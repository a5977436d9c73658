"""The one layer of kept results and build state (.cache/), as JSON data checked on load."""

from pipeline.skip.builds import (
    BuildState,
    Listings,
    PageRecord,
    Plan,
    Stamp,
    keep_stamps,
    keep_state,
    outputs_after,
    outputs_folder,
    plan,
    records,
    taken_versions,
)
from pipeline.skip.kept import (
    SENTENCES,
    Splits,
    check_key,
    keep_checks,
    keep_templates,
    kept_checks,
    kept_templates,
    page_sentences,
    template_key,
)
from pipeline.skip.store import VERSION, code_version, digest
from pipeline.skip.updates import (
    Record,
    Records,
    keep_pots,
    keep_records,
    kept_pots,
    kept_records,
    memory_version,
    merge_inputs,
    pot_digest,
    record,
    template_digest,
    unread,
)

__all__ = [
    "SENTENCES", "VERSION", "BuildState", "Listings", "PageRecord", "Plan", "Record", "Records",
    "Splits", "Stamp", "check_key", "code_version", "digest", "keep_checks", "keep_pots",
    "keep_records", "keep_stamps", "keep_state", "keep_templates", "kept_checks", "kept_pots",
    "kept_records", "kept_templates", "memory_version", "merge_inputs", "outputs_after",
    "outputs_folder", "page_sentences", "plan", "pot_digest", "record", "records", "taken_versions",
    "template_digest", "template_key", "unread",
]
