"""Work over a process pool: tasks in order, the same results as in one process; the cycle
collector paused during long work and the cycles made then collected at its end."""

from __future__ import annotations

import gc
import os
import weakref

from pipeline.runtime.parallel import batches, collector_paused, mapped, usable_cores


def test_tasks_keep_their_order_over_the_pool_and_in_one_process() -> None:
    tasks = batches(list(range(50)), size=8)
    assert [len(task) for task in tasks] == [8, 8, 8, 8, 8, 8, 2]
    assert list(mapped(sum, tasks, workers=2)) == list(mapped(sum, tasks, workers=1)) == [
        sum(task) for task in tasks]


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
