"""Run every benchmark and print one table; save the numbers as JSON (`nox -s bench`)."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks import memory_lookups, merge, site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, one run each: a smoke test of the benchmarks")
    parser.add_argument("--runs", type=int, default=3, help="runs of each timing (median)")
    parser.add_argument("--output", type=Path, default=Path("artifacts/bench.json"))
    parser.add_argument("--only", choices=("merge", "site", "memory"),
                        help="run this benchmark alone")
    parser.add_argument("--msgmerge-timeout", type=float, default=120,
                        help="seconds GNU msgmerge may take on the 50,000-entry catalogs "
                             "(it is quadratic: about 25 minutes there)")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    sizes = (200, 1000) if args.quick else (1000, 10000)
    ordinary_sizes = (200, 1000) if args.quick else (1000, 10000, 50000)
    results: dict[str, Any] = {"merge": [], "site": None, "memory": None}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if args.only in (None, "merge"):
            results["merge"] = [
                *(merge.run(size, runs, work, 180) for size in sizes),
                *(merge.run(size, runs, work, None, "ordinary",
                            args.msgmerge_timeout if size > 10000 else 600)
                  for size in ordinary_sizes)]
        if args.only in (None, "site"):
            results["site"] = site.run(work / "site", pages=50 if args.quick else 1000,
                                       languages=3 if args.quick else 10, runs=runs)
        if args.only in (None, "memory"):
            results["memory"] = memory_lookups.run(units=10_000 if args.quick else 100_000)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    Console(width=150).print(table(results))
    print(f"saved {args.output}")


def table(results: dict[str, Any]) -> Table:
    view = Table(title="benchmarks (median of runs; peak memory of the process)",
                 title_justify="left")
    for column in ("benchmark", "tool", "seconds", "vs msgmerge", "recall", "precision",
                   "exact kept", "obsolete kept", "peak MiB"):
        view.add_column(column, justify="left" if column in ("benchmark", "tool") else "right")
    for run in results["merge"]:
        base = run["GNU msgmerge"]["seconds"]
        for tool in ("pipeline merge", "GNU msgmerge", "pybabel update"):
            if tool not in run:
                continue
            item = run[tool]
            seconds = item.get("seconds")
            ratio = "baseline" if tool == "GNU msgmerge" else \
                f"{base / seconds:.1f}x faster" if seconds and base and seconds < base else \
                (f"{seconds / base:.1f}x slower" if seconds and base else "-")
            view.add_row(f"merge {run['entries']} entries ({run['corpus']})", tool,
                         f"{seconds:.2f}" if seconds else item.get("note", "-"), ratio,
                         str(item.get("recall", "-")), str(item.get("precision", "-")),
                         str(item.get("exact_retention", "-")),
                         str(item.get("obsolete_kept", "-")), str(item.get("peak_mib", "-")))
    site_run = results["site"] or {}
    for name in ("full build from nothing", "full build (kept results)",
                 "full build from nothing, no pseudo-locales",
                 "full build (kept results), no pseudo-locales", "no-op rebuild",
                 "one-page edit rebuild", "one-catalog edit rebuild",
                 "first update (memory indexed)", "update after 5% edit",
                 "next update (memory re-indexed)", "no-op update"):
        item = site_run.get(name)
        if item is None:
            continue
        view.add_row(f"{name} ({site_run['pages']} pages x {site_run['languages']} languages)",
                     "pipeline", f"{item['seconds']:.2f}", "", "", "", "", "",
                     str(item["peak_mib"]))
    lookups = results["memory"]
    if lookups is None:
        return view
    view.add_row(f"memory look-ups ({lookups['units']} units)", "fuzzy / exact median ms",
                 f"{lookups['fuzzy_median_ms']} / {lookups['exact_median_ms']}", "",
                 lookups["fuzzy_found"], "", "", "", "")
    return view


if __name__ == "__main__":
    main()
