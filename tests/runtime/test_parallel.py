"""Work over a process pool: tasks in order, the same results as in one process; the cycle
collector paused during long work and the cycles made then collected at its end."""

from __future__ import annotations

import gc
import os
import weakref
from contextlib import closing
from functools import partial
from pathlib import Path

import pytest

from pipeline.runtime.parallel import batches, collector_paused, mapped, usable_cores


def test_tasks_keep_their_order_over_the_pool_and_in_one_process() -> None:
    tasks = batches(list(range(50)), size=8)
    assert [len(task) for task in tasks] == [8, 8, 8, 8, 8, 8, 2]
    assert list(mapped(sum, tasks, workers=2)) == list(mapped(sum, tasks, workers=1)) == [
        sum(task) for task in tasks]


def _staged(folder: Path, number: int) -> Path:
    made = folder / f"{number}.tmp"
    made.write_text("staged", encoding="ascii")
    return made


@pytest.mark.parametrize("workers", [1, 2])
def test_a_caller_that_stops_leaves_nothing_it_did_not_keep(tmp_path: Path, workers: int) -> None:
    """What the tasks made is either kept by the caller or handed to `leftover`, the result
    handed out last among them (the caller may have stopped before keeping it); closing the
    iterator does it before the caller's error leaves it."""
    kept: list[Path] = []

    def leftover(made: Path) -> None:
        if made not in kept:
            made.unlink()

    with pytest.raises(KeyboardInterrupt), \
            closing(mapped(partial(_staged, tmp_path), range(40), workers, leftover)) as results:
        for made in results:
            if len(kept) == 2:
                raise KeyboardInterrupt  # the third was handed out, never kept
            kept.append(made)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["0.tmp", "1.tmp"]


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_the_collector_is_paused_then_collects_the_cycles_made_meanwhile() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        node = _Node()
        alive = weakref.ref(node)
        del node
        assert alive() is not None  # nothing collects it while paused
    assert gc.isenabled()
    assert alive() is None
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a collector already off stays off
    finally:
        gc.enable()


def test_the_usable_cores_are_those_this_process_may_run_on() -> None:
    assert 1 <= usable_cores() <= (os.cpu_count() or 1)
    if hasattr(os, "sched_setaffinity") and usable_cores() > 1:
        allowed = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(allowed)})
        try:
            assert usable_cores() == 1
        finally:
            os.sched_setaffinity(0, allowed)
