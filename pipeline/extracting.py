"""Source -> templates: pages loaded, validated and segmented (a page's template kept while its
bytes do not change), and the template files written where their bytes change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import closing
from functools import partial
from pathlib import Path

from pipeline import skip
from pipeline.config import TEMPLATES_FOLDER, Settings
from pipeline.errors import PipelineError
from pipeline.model import Page, Template, Text
from pipeline.po import catalogs, pofile
from pipeline.runtime.fsio import CATALOG, PAGE, Written, read_bounded, write_or_compare
from pipeline.runtime.parallel import PARALLEL_FROM, batches, mapped
from pipeline.source import load as source
from pipeline.source import segment


def template_path(settings: Settings, domain: str) -> Path:
    return settings.locales_dir / TEMPLATES_FOLDER / f"{domain}.pot"


def templates(settings: Settings, workers: int | None = None,
              keep: bool = True) -> tuple[Template, ...]:
    """Load and validate the source, and segment it: one template per page, one for the site.
    A page whose bytes are those of a page an earlier run segmented keeps that template; many
    other pages are segmented over `workers` processes (every core by default). With `keep`
    false nothing is written to the cache."""
    root = settings.root
    site = source.load_site_strings(settings.source_dir)
    digests = {path: skip.digest(read_bounded(path, PAGE))
               for path in source.page_files(settings.source_dir)}
    keys = {path: skip.template_key(settings.segmentation, root, path, digest)
            for path, digest in digests.items()}
    made = skip.kept_templates(settings.cache_dir, keys)
    pages = source.load_pages(settings.source_dir,
                              {path: template.domain for path, template in made.items()})
    work = partial(_page_templates, settings, keep)
    jobs = [(page, digests[page.path]) for page in pages]
    with closing(mapped(work, batches(jobs),
                        workers if len(pages) >= PARALLEL_FROM else 1)) as found:
        made |= zip([page.path for page in pages],
                    [template for done in found for template in done], strict=True)
    if keep:
        skip.keep_templates(settings.cache_dir, keys, made, digests)
    return (segment.site_template(site, root),
            *sorted(made.values(), key=lambda template: template.domain))


def _page_templates(settings: Settings, keep: bool,
                    pages: Sequence[tuple[Page[Text], str]]) -> list[Template]:
    """Some pages' templates (by the digest of each page file's bytes), their sentences split
    as the cache kept them, if it did."""
    return [segment.page_template(page, settings.segmentation, settings.root,
                                  skip.page_sentences(settings.cache_dir, digest, page, keep))
            for page, digest in pages]


def _template_comment(domain: str) -> tuple[str, ...]:
    return (f"Template for the {domain!r} catalog, generated from source/ by `nox -s extract`.",
            "Do not edit: change the English in source/ and run the pipeline again.")


def template_files(settings: Settings, made: Sequence[Template], digests: Mapping[str, str],
                   write: bool) -> tuple[Written, ...]:
    """Write locales/templates/<domain>.pot of every template `made` (by the digests of the
    templates). A template file whose bytes the last extract made from the same template is
    not made again."""
    known = skip.kept_pots(settings.cache_dir)
    pots = {}
    written = []
    for template in made:
        path = template_path(settings, template.domain)
        try:  # a template is rewritten, never refused: a FIFO or a folder there is replaced
            current = skip.pot_digest(digests[template.domain], read_bounded(path, CATALOG))
        except PipelineError:  # none yet
            current = None
        if current is not None and current == known.get(template.domain):
            written.append(Written(path, False))
            pots[template.domain] = current
            continue
        catalog = catalogs.template_catalog(template, _template_comment(template.domain))
        data = pofile.render(catalog)
        written.append(Written(path, write_or_compare(path, data, write)))
        pots[template.domain] = skip.pot_digest(digests[template.domain], data)
    if write:
        skip.keep_pots(settings.cache_dir, pots)
    return tuple(written)


def template_digests(made: Sequence[Template]) -> dict[str, str]:
    return {template.domain: skip.template_digest(template) for template in made}
