"""Merge benchmark: this project's `merge`, GNU msgmerge and pybabel update on the same files,
timed, with the recall and precision of fuzzy entries against the edit script's ground truth:
on the condition pages' catalogs (benchmarks/corpus.py) and on ordinary catalogs referenced by
`file:line` (benchmarks/ordinary.py)."""

from __future__ import annotations

import compileall
import os
import shutil
import signal
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib

import pipeline
from benchmarks import ordinary
from benchmarks.corpus import EditScript, edit, sentences, translate
from pipeline.po import pofile
from pipeline.po.model import Catalog, Entry

LANGUAGE = "es"
HEADER = (("Project-Id-Version", "bench"), ("Language", LANGUAGE), ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
          ("Plural-Forms", "nplurals=2; plural=(n != 1);"))


def write_pair(script: EditScript, folder: Path) -> tuple[Path, Path]:
    """old.po (every entry translated) and new.pot, with structural locations as extract
    writes them: an entry keeps its place unless it was moved or added."""
    place = {text: f"bench.yaml:s{index}" for index, text in enumerate(script.old)}
    old = Catalog((), HEADER, tuple(
        Entry(text, translate(text, LANGUAGE), locations=(place[text],))
        for text in script.old))
    moved = set(script.old) - set(script.removed) - set(script.truth.values()) - \
        {text for text in script.new if text in place and script.new.index(text) ==
         script.old.index(text)}
    entries = []
    for index, text in enumerate(script.new):
        if text in script.truth:
            location = place[script.truth[text]]
        elif text in place and text not in moved:
            location = place[text]
        else:
            location = f"bench.yaml:n{index}"
        entries.append(Entry(text, locations=(location,)))
    new = Catalog((), HEADER[:1] + HEADER[2:5], tuple(entries))
    (folder / "old.po").write_bytes(pofile.render(old))
    (folder / "new.pot").write_bytes(pofile.render(new))
    return folder / "old.po", folder / "new.pot"


# Runs a command and prints its time and the peak memory (KiB) of it and its children, from a
# fresh process so that one tool's peak is not another's. The time is taken in that process, so
# that its own start-up is not counted against either tool.
_PEAK = ("import resource, subprocess, sys, time; started = time.perf_counter(); "
         "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
         "print(time.perf_counter() - started, "
         "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed(command: list[str], timeout: float) -> tuple[float | None, int]:
    """Seconds a command takes and its peak memory (KiB); None when it timed out."""
    # In a session of its own, so that a timeout stops the tool as well as the process that
    # measures it: a tool left running would slow every timing after it.
    with subprocess.Popen([sys.executable, "-c", _PEAK, *command], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as process:
        try:
            output, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return None, 0
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, output, errors)
    seconds, peak = output.split()[-2:]
    return float(seconds), int(peak)


def quality(script: EditScript, merged: Path) -> dict[str, float]:
    """Recall and precision of the right old translation on fuzzy entries; exact retention; the
    share of removed entries kept as obsolete with their translation."""
    every = polib.pofile(str(merged))
    entries = {entry.msgid: entry for entry in every if not entry.obsolete}
    obsolete = {entry.msgid: entry.msgstr for entry in every if entry.obsolete}
    right = suggested = 0
    for text in script.new:
        entry = entries.get(text)
        if entry is None or "fuzzy" not in entry.flags or not entry.msgstr:
            continue
        if text in script.truth or text in script.added:
            suggested += 1
            right += text in script.truth and \
                entry.msgstr == translate(script.truth[text], LANGUAGE)
    kept = [text for text in script.new if text not in script.truth and text not in script.added]
    retained = sum(1 for text in kept if entries.get(text) is not None and
                   entries[text].msgstr == translate(text, LANGUAGE) and
                   "fuzzy" not in entries[text].flags)
    return {"recall": round(right / len(script.truth), 3),
            "precision": round(right / suggested, 3) if suggested else 0.0,
            "exact_retention": round(retained / len(kept), 4),
            "obsolete_kept": round(sum(1 for text in script.removed if obsolete.get(text) ==
                                       translate(text, LANGUAGE)) / len(script.removed), 4)}


def run(size: int, runs: int, folder: Path, pybabel_timeout: float | None,
        corpus: str = "pages", msgmerge_timeout: float = 600) -> dict[str, Any]:
    """One corpus ("pages" or "ordinary") at one size; pybabel only when given a timeout."""
    work = folder / f"merge-{corpus}-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if corpus == "pages":
        script = edit(sentences(size, seed=size), seed=size + 1)
        old, pot = write_pair(script, work)
    else:
        generated = ordinary.corpus(size, seed=size)
        script = generated.script
        old, pot = ordinary.write_pair(generated, work, LANGUAGE)
    # As an installed package is, and msgmerge: compiled before it runs, even where the
    # environment tells Python not to write bytecode.
    compileall.compile_dir(Path(pipeline.__file__).parent, quiet=1)
    babel_dir = work / "babel"
    tools: dict[str, tuple[list[str], Path, float]] = {
        "pipeline merge": ([sys.executable, "-m", "pipeline", "-q", "merge", str(old), str(pot),
                            "-o", str(work / "ours.po")], work / "ours.po", 600),
        "GNU msgmerge": (["msgmerge", "--quiet", "-o", str(work / "msgmerge.po"), str(old),
                          str(pot)], work / "msgmerge.po", msgmerge_timeout),
        "pybabel update": (["pybabel", "-q", "update", "-i", str(pot), "-d", str(babel_dir),
                            "-l", LANGUAGE, "-D", "bench"],
                           babel_dir / LANGUAGE / "LC_MESSAGES" / "bench.po", pybabel_timeout or 0),
    }
    if pybabel_timeout is None:
        del tools["pybabel update"]
    results: dict[str, Any] = {"corpus": corpus, "entries": size, "edited": len(script.truth),
                               "added": len(script.added), "removed": len(script.removed)}
    for name, (command, output, timeout) in tools.items():
        times, peak = [], 0
        for _ in range(runs):
            if name == "pybabel update":
                output.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(old, output)
            elapsed, memory = timed(command, timeout)
            if elapsed is None:
                break
            times.append(elapsed)
            peak = max(peak, memory)
        if not times:
            results[name] = {"seconds": None, "note": f"did not finish in {timeout:.0f} s"}
            continue
        results[name] = {"seconds": round(statistics.median(times), 3), "peak_mib":
                         round(peak / 1024, 1), **quality(script, output)}
    return results


if __name__ == "__main__":
    print(run(int(os.environ.get("SIZE", "1000")), 1, Path("/tmp/bench"), None,
              os.environ.get("CORPUS", "ordinary")))
