"""Translation-memory look-ups against 100,000 units: exact and fuzzy latency, and hit rate."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.memory import index as memory
from pipeline.memory.index import Source
from pipeline.model import MemoryUnit

UNITS = 100_000
QUERIES = 300


def corpus(count: int, seed: int = 7) -> list[MemoryUnit]:
    """Sentences over a Zipf-distributed vocabulary of 6,000 words, as real text has."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}x" + "abcdefghij"[i % 10] * (3 + i % 5) for i in range(6000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    units = []
    for number in range(count):
        words = rng.choices(vocabulary, weights, k=rng.randint(6, 20))
        sentence = " ".join(words).capitalize() + f" for {rng.randint(1, 30)} days."
        units.append(MemoryUnit(sentence, f"[es] {sentence}", "es", f"page-{number % 1000}"))
    return units


def run(units: int = UNITS, queries: int = QUERIES) -> dict[str, Any]:
    rng = random.Random(11)
    everything = corpus(units)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory.sqlite"
        started = time.perf_counter()
        index = memory.open_index(path, [Source("corpus", "1", lambda: everything)])
        build = time.perf_counter() - started
        fuzzy, exact, found = [], [], 0
        for unit in rng.sample(everything, queries):
            words = unit.source.split()
            words[2] = "changed"
            started = time.perf_counter()
            best = index.search("es", " ".join(words), 75, 5)
            fuzzy.append(time.perf_counter() - started)
            found += bool(best) and best[0].unit == unit
            started = time.perf_counter()
            index.exact("es", unit.source)
            exact.append(time.perf_counter() - started)
        index.close()
    return {
        "units": units,
        "index_build_s": round(build, 2),
        "fuzzy_median_ms": round(statistics.median(fuzzy) * 1000, 2),
        "fuzzy_p95_ms": round(sorted(fuzzy)[int(len(fuzzy) * 0.95)] * 1000, 2),
        "exact_median_ms": round(statistics.median(exact) * 1000, 3),
        "fuzzy_found": f"{found}/{queries}",
    }


if __name__ == "__main__":
    print(run())
