"""Work over a process pool when there is enough of it, else in this process: the same results;
a function forked early to run beside this process; and Python's cycle collector held off while
long work makes objects."""

from __future__ import annotations

import gc
import marshal
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, NoReturn, TypeVar

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


class Forked:
    """A function run in a child process forked now, on arguments sent later: the child first
    runs `prepare` (imports what the function needs) while this process does other work.
    Arguments and result go by marshal, so they are made of built-in types. Where the caller
    says it is not worth it, there is no fork, a single core or another thread, or the child
    fails, the function runs in this process when its result is asked for."""

    def __init__(self, function: Callable[..., Any], prepare: Callable[[], object],
                 fork: bool = True) -> None:
        self._function = function
        self._arguments: tuple[Any, ...] = ()
        self._pid = 0
        self._sender: threading.Thread | None = None
        if not fork or not hasattr(os, "fork") or usable_cores() < 2 or \
                threading.active_count() > 1:  # (a fork copies no other thread)
            return
        requests, self._requests = os.pipe()
        self._results, results = os.pipe()
        self._pid = os.fork()
        if not self._pid:
            os.close(self._requests)
            os.close(self._results)
            _serve(prepare, function, requests, results)
        os.close(requests)
        os.close(results)

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pid:
            with suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._close()

    def send(self, *arguments: Any) -> None:
        """Start the function on these arguments (written by a thread: a pipe holds only so
        much until the child reads it)."""
        self._arguments = arguments
        if self._pid:
            self._sender = threading.Thread(target=_write, daemon=True, args=(
                self._requests, marshal.dumps(arguments)))
            self._sender.start()

    def result(self) -> Any:
        if self._pid:
            with os.fdopen(self._results, "rb", closefd=False) as reader:
                data = reader.read()
            self._close()
            with suppress(EOFError, ValueError, TypeError):  # the child died while writing
                return marshal.loads(data)
        return self._function(*self._arguments)

    def _close(self) -> None:
        if self._sender is not None:
            self._sender.join()
        else:
            os.close(self._requests)
        os.close(self._results)
        os.waitpid(self._pid, 0)
        self._pid = 0


def _write(descriptor: int, data: bytes) -> None:
    with suppress(OSError), os.fdopen(descriptor, "wb") as writer:  # (OSError: the child died)
        writer.write(data)


def _serve(prepare: Callable[[], object], function: Callable[..., Any], requests: int,
           results: int) -> NoReturn:
    """The child: prepare, read the arguments, write the result, and leave without Python's
    exit work (the parent's buffers and handlers are not the child's to flush or run)."""
    _interrupts_ignored()
    try:
        prepare()
        with os.fdopen(requests, "rb") as reader:
            data = reader.read()
        if data:
            result = marshal.dumps(function(*marshal.loads(data)))
            with os.fdopen(results, "wb") as writer:
                writer.write(result)
    finally:
        os._exit(0)
