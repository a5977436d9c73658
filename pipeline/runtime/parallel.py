"""Work over a process pool when there is enough of it, else in this process: the same results;
and Python's cycle collector held off while long work makes objects."""

from __future__ import annotations

import gc
import os
import signal
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
    """function(task) for every task, in order: over up to `workers` processes (every usable
    core when None) if that is more than one, else in this process."""
    workers = min(workers or usable_cores(), len(tasks))
    if workers <= 1:
        yield from map(function, tasks)
        return
    # imported here: multiprocessing takes longer to import than a small merge takes to run
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, initializer=_interrupts_ignored)
    try:
        yield from pool.map(function, tasks)
    except BaseException:  # Ctrl-C among them: the parent alone reports it, once
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()


def _interrupts_ignored() -> None:
    """A worker leaves Ctrl-C (sent to the whole process group) to the parent: otherwise each
    prints its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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


def usable_cores() -> int:
    """The cores this process may run on: its affinity, where the system tells it."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
