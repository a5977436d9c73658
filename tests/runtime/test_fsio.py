"""Writing under outputs/: no name and no link leads a file outside the folder; flushing."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.runtime.fsio import (
    CATALOG,
    PAGE,
    TEMPORARY_SUFFIX,
    FileKind,
    checked_inputs,
    commit,
    flushing,
    inside,
    project_lock,
    read_bounded,
    stage,
)


def test_plain_names_stay_inside(tmp_path: Path) -> None:
    (tmp_path / "out/es").mkdir(parents=True)
    assert inside(tmp_path / "out", "es", "page.html") == tmp_path / "out/es/page.html"


@pytest.mark.parametrize("part", ["..", ".", "", "a/b", "a\\b", "/etc", "a\0b", "x" * 201])
def test_names_that_are_not_one_plain_component_are_refused(tmp_path: Path, part: str) -> None:
    with pytest.raises(PipelineError, match="one plain path component"):
        inside(tmp_path, part)


def test_a_link_to_outside_is_refused_and_one_inside_is_followed(tmp_path: Path) -> None:
    root, outside = tmp_path / "out", tmp_path / "elsewhere"
    (root / "de").mkdir(parents=True)
    outside.mkdir()
    (root / "es").symlink_to(outside, target_is_directory=True)
    (root / "at").symlink_to(root / "de", target_is_directory=True)
    (root / "de/page.html").symlink_to(outside / "page.html")
    with pytest.raises(PipelineError, match="refusing to write outside"):
        inside(root, "es", "page.html")
    with pytest.raises(PipelineError, match="refusing to write outside"):
        inside(root, "de", "page.html")
    assert inside(root, "at", "other.html") == root / "at/other.html"


def test_a_root_reached_through_a_link_is_still_the_root(tmp_path: Path) -> None:
    (tmp_path / "real/es").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    assert inside(tmp_path / "alias", "es", "page.html") == tmp_path / "alias/es/page.html"
    (tmp_path / "real-sibling").mkdir()
    (tmp_path / "real/es/x").symlink_to(tmp_path / "real-sibling", target_is_directory=True)
    with pytest.raises(PipelineError, match="refusing to write outside"):
        inside(tmp_path / "alias", "es", "x", "page.html")


def test_links_are_followed_through_every_part_as_realpath_follows_them(tmp_path: Path) -> None:
    root, outside = tmp_path / "out", tmp_path / "elsewhere"
    (root / "b").mkdir(parents=True)
    outside.mkdir()
    (root / "a").symlink_to("b", target_is_directory=True)  # relative, inside
    (root / "b/c").symlink_to("../../elsewhere", target_is_directory=True)  # relative, outside
    (root / "b/d").symlink_to(root / "b", target_is_directory=True)  # back inside
    with pytest.raises(PipelineError, match="refusing to write outside"):
        inside(root, "a", "c", "page.html")
    assert inside(root, "a", "d", "d", "page.html") == root / "a/d/d/page.html"


def test_flushing_stops_with_its_block_even_when_the_block_fails() -> None:
    with flushing(every=0.01):
        time.sleep(0.05)  # the flusher syncs a few times meanwhile
        assert any(thread.name == "flushing" for thread in threading.enumerate())
    assert not any(thread.name == "flushing" for thread in threading.enumerate())
    with pytest.raises(KeyError), flushing(every=0.01):
        raise KeyError("a failed build")
    assert not any(thread.name == "flushing" for thread in threading.enumerate())


def test_a_commit_that_fails_part_way_puts_every_file_back(tmp_path: Path) -> None:
    names = ["a.po", "b.po", "c.po", "d.po"]
    for name in names[:2]:
        (tmp_path / name).write_text(f"old {name}", encoding="utf-8")
    staged = [stage(tmp_path / name, f"new {name}".encode()) for name in names]
    (tmp_path / "c.po").mkdir()  # the third rename cannot replace a folder
    (tmp_path / "c.po" / "x").write_text("x", encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        commit([item for item in staged if item is not None])
    assert (tmp_path / "a.po").read_text(encoding="utf-8") == "old a.po"
    assert (tmp_path / "b.po").read_text(encoding="utf-8") == "old b.po"
    assert not (tmp_path / "d.po").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.po", "b.po", "c.po"]
    assert Path(str(caught.value.path)) == tmp_path / "c.po"  # the file meant, not a temporary
    assert TEMPORARY_SUFFIX not in str(caught.value)


def test_a_commit_removes_its_second_names(tmp_path: Path) -> None:
    (tmp_path / "a.po").write_text("old", encoding="utf-8")
    staged = stage(tmp_path / "a.po", b"new")
    assert staged is not None
    commit([staged])
    assert [path.name for path in tmp_path.iterdir()] == ["a.po"]
    assert (tmp_path / "a.po").read_bytes() == b"new"


def test_the_lock_is_never_taken_through_a_link(tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache/pipeline.lock").symlink_to(precious)
    with pytest.raises(PipelineError, match="the lock file is a symbolic link"), \
            project_lock(tmp_path / ".cache/pipeline.lock"):
        pass
    assert precious.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("error", [KeyboardInterrupt, PipelineError])
def test_a_run_that_fails_under_the_lock_leaves_no_temporary_file(tmp_path: Path,
                                                                   error: type) -> None:
    """Whatever step a run was at, what it staged and did not commit is gone when it ends."""
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales/de.po").write_text("old", encoding="utf-8")
    with pytest.raises(error), \
            project_lock(tmp_path / ".cache/pipeline.lock", [tmp_path / "locales"]):
        assert stage(tmp_path / "locales/de.po", b"new") is not None
        raise error("stopped between staging and committing")
    assert sorted(path.name for path in (tmp_path / "locales").iterdir()) == ["de.po"]
    assert (tmp_path / "locales/de.po").read_text(encoding="utf-8") == "old"
    with project_lock(tmp_path / ".cache/pipeline.lock", [tmp_path / "locales"]):
        staged = stage(tmp_path / "locales/de.po", b"new")
    assert staged is not None and staged[0].exists(), "a run that succeeds commits its own"
    staged[0].unlink()


NOT_REGULAR = "not a regular file (a FIFO, a device or a folder); a catalog is a plain .po file"


@pytest.mark.parametrize("make", [os.mkfifo, os.mkdir, lambda path: os.symlink("/dev/zero", path)],
                         ids=["fifo", "folder", "device"])
def test_only_a_regular_file_is_read_and_a_fifo_does_not_hang(tmp_path: Path, make: object) -> None:
    path = tmp_path / "de.po"
    make(path)  # type: ignore[operator]
    with pytest.raises(PipelineError) as error:
        read_bounded(path, CATALOG)
    assert str(error.value) == f"{path}: {NOT_REGULAR}"
    with pytest.raises(PipelineError) as error:
        checked_inputs([str(tmp_path / "ok.po"), str(path)])
    assert str(error.value).endswith(f"{path}: {NOT_REGULAR}")


def test_a_file_is_read_up_to_its_kind_s_limit_through_a_link(tmp_path: Path) -> None:
    small = FileKind("a test file", ".txt", 10)
    (tmp_path / "ten").write_bytes(b"x" * 10)
    (tmp_path / "link").symlink_to(tmp_path / "ten")
    assert read_bounded(tmp_path / "link", small) == b"x" * 10
    (tmp_path / "eleven").write_bytes(b"x" * 11)
    with pytest.raises(PipelineError, match=r"eleven: 11 bytes, more than a test file's limit "
                                            r"of 10; check what it holds"):
        read_bounded(tmp_path / "eleven", small)
    with pytest.raises(PipelineError, match="missing: cannot read: no such file or folder"):
        read_bounded(tmp_path / "missing", PAGE)
    assert list(checked_inputs([str(tmp_path / "ten")])) == [str(tmp_path / "ten")]
