"""Work over a process pool when there is enough of it, else in this process: the same results;
and Python's cycle collector held off while long work makes objects."""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 16  # fewer pages are done faster than worker processes start
PAGES_PER_TASK = 8


def batches(items: Sequence[T], size: int = PAGES_PER_TASK) -> list[Sequence[T]]:
    """The items in tasks of `size`, in order."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def mapped(function: Callable[[T], R], tasks: Sequence[T], workers: int | None,
           leftover: Callable[[R], None] | None = None) -> Generator[R, None, None]:
    """function(task) for every task, in order: over up to `workers` processes (every usable
    core when None) if that is more than one, else in this process. When the run stops early
    (Ctrl-C, or an error), `leftover` is given each result a worker made that the caller did
    not come back for, the last one handed out among them (the caller may have stopped before
    keeping it), so that what it staged is not left behind; callers close the iterator (with
    `closing`) so that this happens before the error leaves them."""
    workers = min(workers or usable_cores(), len(tasks))
    if workers <= 1:
        for task in tasks:
            result = function(task)
            try:
                yield result
            except BaseException:
                if leftover is not None:
                    leftover(result)
                raise
        return
    # imported here: multiprocessing takes longer to import than a small merge takes to run
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, initializer=_interrupts_ignored)
    futures: list[Future[R]] = []
    given = 0
    try:
        with _interrupts_deferred():  # the workers start (at the first submit) meanwhile
            futures = [pool.submit(function, task) for task in tasks]
        for index, future in enumerate(futures):
            yield future.result()
            given = index + 1
    except BaseException:  # Ctrl-C among them: the parent alone reports it, once
        with _interrupts_off():  # a second Ctrl-C while the workers finish changes nothing
            pool.shutdown(wait=True, cancel_futures=True)
            _left(futures[given:], leftover)
        raise
    pool.shutdown()


def _left(futures: Sequence[Future[R]], leftover: Callable[[R], None] | None) -> None:
    """Hand `leftover` the results of the futures that finished well."""
    for future in futures:
        if leftover is not None and future.done() and not future.cancelled() \
                and future.exception() is None:
            leftover(future.result())


def _interrupts_ignored() -> None:
    """A worker leaves Ctrl-C (sent to the whole process group) to the parent: otherwise each
    prints its own traceback. One that came before this was only noted (_interrupts_deferred)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Note a Ctrl-C while the block runs and raise it after, so that the block is never cut
    short (a task submitted, its future not yet listed), and a worker forked meanwhile only
    notes one too until it ignores them."""
    if not _main_thread():  # only the main thread handles signals
        yield
        return
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: noted.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
    if noted:
        raise KeyboardInterrupt


@contextmanager
def _interrupts_off() -> Iterator[None]:
    """Ignore Ctrl-C while the block runs (only the main thread handles signals)."""
    if not _main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


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
