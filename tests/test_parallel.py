"""Work over a process pool: tasks in order, the same results as in one process; a function
forked early gives what it gives in this process, whatever happens to the child; the cycle
collector paused during long work and the cycles made then collected at its end."""

from __future__ import annotations

import gc
import os
import sys
import weakref

import pytest

from pipeline import parallel
from pipeline.parallel import Forked, batches, collector_paused, mapped, usable_cores


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


def _report(text: str, repeat: int) -> tuple[str, list[str | None], int]:
    """What a forked function returns: built-in types only; and which process ran it."""
    return text * repeat, [text, None], os.getpid()


def _loaded() -> None:
    import json  # noqa: F401


def _dies() -> None:
    os._exit(3)


def test_a_forked_function_runs_in_the_child_after_it_prepared() -> None:
    with Forked(_report, _loaded) as forked:
        forked.send("ab", 3)
        text, parts, pid = forked.result()
    assert (text, parts) == ("ababab", ["ab", None])
    assert pid != os.getpid()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # the child was waited for: no zombie is left


def test_a_large_request_and_result_pass_while_the_child_is_still_preparing() -> None:
    text = "x" * 3_000_000  # far more than a pipe holds
    with Forked(_report, _loaded) as forked:
        forked.send(text, 2)
        assert forked.result()[0] == text * 2


def test_a_child_that_dies_leaves_the_work_to_this_process() -> None:
    with Forked(_report, _dies) as forked:
        forked.send("ab", 2)
        assert forked.result() == ("abab", ["ab", None], os.getpid())


def test_without_fork_or_a_second_core_the_function_runs_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "usable_cores", lambda: 1)
    with Forked(_report, _dies) as forked:
        forked.send("ab", 1)
        assert forked.result()[2] == os.getpid()
    if sys.platform != "win32":
        monkeypatch.delattr(os, "fork")
        with Forked(_report, _dies) as forked:
            forked.send("cd", 1)
            assert forked.result() == ("cd", ["cd", None], os.getpid())


def test_the_usable_cores_are_those_this_process_may_run_on() -> None:
    assert 1 <= usable_cores() <= (os.cpu_count() or 1)
    if hasattr(os, "sched_setaffinity") and usable_cores() > 1:
        allowed = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(allowed)})
        try:
            assert usable_cores() == 1
            with Forked(_report, _dies) as forked:
                forked.send("ab", 1)
                assert forked.result()[2] == os.getpid()  # one core: not forked
        finally:
            os.sched_setaffinity(0, allowed)


def test_a_process_with_another_thread_is_not_forked() -> None:
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with Forked(_report, _dies) as forked:
            forked.send("ab", 1)
            assert forked.result()[2] == os.getpid()
    finally:
        release.set()
        other.join()


def test_a_child_left_unasked_is_stopped_and_waited_for() -> None:
    children = []
    with Forked(_report, _loaded) as forked:
        children.append(forked._pid)
    with Forked(_report, _loaded) as forked:
        forked.send("ab", 1)
        children.append(forked._pid)
    for pid in children:
        assert pid
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
