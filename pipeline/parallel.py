"""Work over a process pool when there is enough of it, else in this process: the same results;
and Python's cycle collector held off while long work makes objects."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 16  # fewer pages are done faster than worker processes start
PAGES_PER_TASK = 8


def batches(items: Sequence[T], size: int = PAGES_PER_TASK) -> list[Sequence[T]]:
    """The items in tasks of `size`, in order."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def mapped(function: Callable[[T], R], tasks: Sequence[T], workers: int | None) -> Iterator[R]:
    """function(task) for every task, in order: over up to `workers` processes (every core when
    None) if that is more than one, else in this process."""
    workers = min(workers or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        yield from map(function, tasks)
        return
    # imported here: multiprocessing takes longer to import than a small merge takes to run
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(function, tasks)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a block without the cycle collector, then collect the cycles it made, once.

    Builds, updates and merges make millions of objects that live on or die by reference
    count; each automatic collection would scan the live ones again (a tenth of a build).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)  # while paused, every new object is still in the youngest generation
        if collecting:
            gc.enable()
