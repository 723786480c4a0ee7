"""The one cache policy for run directories: `open_run(path)` -> the version to serve.

A loaded `RunDir` is immutable, so every cache lives on it and goes with it. `open_run`
checks the folder's stamp (the folder's inode and each declared file's size and mtime) on
every call and swaps in a new version only when it is complete:
- a folder swapped in whole (new inode: `analyze` writes beside and renames) at once;
- files rewritten in place once no changed file is younger than SETTLE_SECONDS, so a DuckDB file
  `analyze` is still writing is never opened (that would take the lock the writer needs);
- a new version that fails to load, or breaks a file the served one could read, is not
  served: the previous one stays until the folder changes again.
While one thread loads a new version the others keep getting the previous one.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from zonewatch.contract.run_files import run_files
from zonewatch.errors import Invalid, Unavailable
from zonewatch.rundir.reader import RunDir

SETTLE_SECONDS = 2.0  # a file younger than this may still be written by `analyze`
MAX_OPEN_RUNS = 8

Stamp = tuple[int, tuple[tuple[int, int], ...]]


@dataclass
class _Served:
    current: RunDir | None = None
    stamp: Stamp | None = None
    refused: Stamp | None = None  # a version that failed to load: retry when it changes
    loading: threading.Lock = field(default_factory=threading.Lock)


_SERVED: dict[Path, _Served] = {}
_LOCK = threading.Lock()


def _stamp(path: Path) -> Stamp:
    try:
        inode = path.stat().st_ino
    except OSError as exc:
        raise Invalid(f"run directory {path} does not exist") from exc
    files = []
    for name in run_files():
        try:
            st = (path / name).stat()
            files.append((st.st_size, st.st_mtime_ns))
        except OSError:
            files.append((-1, 0))
    return inode, tuple(files)


def _settled(new: Stamp, old: Stamp) -> bool:
    if new[0] != old[0]:
        return True  # swapped in whole
    changed = [now[1] for now, before in zip(new[1], old[1], strict=True) if now != before]
    return time.time() - max(changed, default=0) / 1e9 >= SETTLE_SECONDS


def open_run(path: str | Path) -> RunDir:
    """The version of the run at `path` to serve now (shared per folder, see module doc)."""
    key = Path(path).resolve()
    with _LOCK:
        served = _SERVED.get(key)
        if served is None:
            if len(_SERVED) >= MAX_OPEN_RUNS:
                _SERVED.pop(next(iter(_SERVED)))
            served = _SERVED[key] = _Served()
    stamp = _stamp(key)
    current = served.current
    if current is not None and (
        stamp in (served.stamp, served.refused) or not _settled(stamp, served.stamp)
    ):
        return current
    if current is not None and not served.loading.acquire(blocking=False):
        return current  # another request is loading the new version
    if current is None:
        served.loading.acquire()
    try:
        if served.current is not current:  # loaded meanwhile
            return served.current
        try:
            fresh = RunDir(key)
        except (Invalid, Unavailable):
            if current is None:
                raise
            served.refused = stamp
            return current
        if current is not None and fresh.broken() - current.broken():
            served.refused = stamp  # half-written: keep what we have
            return current
        served.current, served.stamp = fresh, stamp
        return fresh
    finally:
        served.loading.release()


def forget(path: str | Path) -> None:
    """Drop the served version of `path` (tests; a folder that was deleted)."""
    with _LOCK:
        _SERVED.pop(Path(path).resolve(), None)
