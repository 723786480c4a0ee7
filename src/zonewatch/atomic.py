"""Write beside, then swap: a killed or failed command never leaves a half-written target.

`ingest --db FILE` and `analyze --out DIR` build their result in a hidden sibling
(`.NAME.PID.tmp`, same filesystem), flush it to disk, and only then put it in place with
one rename: a reader of the target sees the previous version or the new one, never a mix.
A directory that already exists is exchanged with the new one in a single step
(Linux `renameat2(RENAME_EXCHANGE)`); the old version then sits at the temporary name
until it is removed. Entries of the old directory that the new one lacks (a plan the user
saved there, the extract itself) are hard-linked into the new one before the swap, so
writing into a directory never loses what the command did not write; DuckDB's `.wal` and
`.spill` leftovers are not carried. Where the exchange is not available the old directory is first
renamed to `.NAME.PID.old`, which the next run puts back if it was killed in between.
The next write into the same target removes the temporaries of writers that are gone.

`pause_point(name)` is a test hook: with `ZONEWATCH_TEST_PAUSE_AT=name` in the
environment the process says so on stderr and waits there to be killed, so a test can
SIGKILL it at a known point. Without that variable it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PAUSE_ENV = "ZONEWATCH_TEST_PAUSE_AT"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
NOT_CARRIED = (".wal", ".spill")  # DuckDB state of the old database, wrong for the new one


def pause_point(name: str) -> None:
    """Stop here (until killed) when ZONEWATCH_TEST_PAUSE_AT names this point."""
    if os.environ.get(PAUSE_ENV) != name:
        return
    sys.stderr.write(f"zonewatch: paused at {name}\n")
    sys.stderr.flush()
    while True:
        time.sleep(60)


def temp_beside(target: Path, kind: str = "tmp") -> Path:
    """This process's hidden sibling of `target`: `.NAME.PID.tmp` (or `.old`)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{kind}")


def _gone(path: Path) -> bool:
    """Whether the process that made the temporary `path` (pid in its name) has ended."""
    try:
        os.kill(int(path.name.split(".")[-2]), 0)
    except ProcessLookupError:
        return True
    except (ValueError, PermissionError):
        return False
    return False


def stale_temps(target: Path, kind: str = "tmp") -> list[Path]:
    """Temporaries beside `target` left by writers that are gone (killed)."""
    pattern = f".{target.name}.*.{kind}"
    return sorted(p for p in target.parent.glob(pattern) if _gone(p))


def remove_path(path: Path) -> None:
    """Delete a file or directory tree if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def fsync_path(path: Path) -> None:
    """Flush a file, or a directory's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """Flush every file and directory under `root` (and `root`) to disk."""
    for folder, _, files in os.walk(root):
        for name in files:
            fsync_path(Path(folder) / name)
        fsync_path(Path(folder))


def replace_file(tmp: Path, target: Path) -> None:
    """Flush `tmp` and rename it over `target` (atomic on one filesystem)."""
    fsync_path(tmp)
    pause_point(f"before swap {target.name}")
    os.replace(tmp, target)
    fsync_path(target.parent)


def write_text(target: Path, text: str) -> None:
    """Write a small text file beside `target` and rename it over `target`."""
    tmp = temp_beside(target)
    try:
        tmp.write_text(text, encoding="utf-8")
        replace_file(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system cannot (then nothing moved)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def _restore_interrupted(target: Path) -> None:
    """Put back an old directory moved aside by a writer killed before its rename."""
    for old in stale_temps(target, "old"):
        if not target.exists():
            os.rename(old, target)
        else:
            remove_path(old)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def carry_over(old: Path, new: Path) -> list[str]:
    """Link into `new` the entries of `old` it lacks (not DuckDB's .wal/.spill); their names."""
    carried = []
    for entry in sorted(old.iterdir()):
        dest = new / entry.name
        if dest.exists() or dest.is_symlink() or entry.name.endswith(NOT_CARRIED):
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), dest)
        elif entry.is_dir():
            shutil.copytree(entry, dest, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(entry), str(dest))
        carried.append(entry.name)
    return carried


def swap_in(tmp: Path, target: Path) -> None:
    """Flush the directory `tmp` and put it at `target`; the old `target` ends at `tmp`."""
    if target.is_dir():
        carry_over(target, tmp)
    fsync_tree(tmp)
    pause_point(f"before swap {target.name}")
    if not target.exists():
        os.rename(tmp, target)
    elif not _exchange(tmp, target):
        old = temp_beside(target, "old")
        os.rename(target, old)
        os.rename(tmp, target)
        os.rename(old, tmp)
    fsync_path(target.parent)
    pause_point(f"after swap {target.name}")


@contextmanager
def directory_beside(target: str | Path) -> Iterator[Path]:
    """A fresh sibling directory to write into; swapped in for `target` on success.

    On an exception, or when the process dies, `target` is left exactly as it was and
    the sibling is removed (now, or by the next write into `target`).
    """
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    _restore_interrupted(target)
    for stale in stale_temps(target):
        remove_path(stale)
    tmp = temp_beside(target)
    remove_path(tmp)
    tmp.mkdir()
    try:
        yield tmp
        swap_in(tmp, target)
    finally:
        remove_path(tmp)  # the unfinished result, or after the swap the old version
