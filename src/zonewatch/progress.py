"""Stage progress for long commands (`analyze`, `ingest`, `generate`), on stderr.

On a terminal: a rich progress bar over the stages, naming the running one. Otherwise
(a pipe, a log file, CI): one plain line per finished stage with its time, e.g.
`  ingest: read persons 1.2 s`. Standard output stays free for the command's results.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from zonewatch.atomic import pause_point


class Stages:
    """Report stages as they finish (`done`) or begin (`begin`); use as a context manager.

    `total` is the expected number of stages (the bar's length; None for a spinner).
    `live` forces the bar on or off (default: when `stream` is a terminal).
    """

    def __init__(self, title: str, total: int | None = None, stream: IO[str] | None = None,
                 live: bool | None = None) -> None:
        self.title = title
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.started = self.last = time.perf_counter()
        self.current: str | None = None
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Stages:
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(file=self.stream), transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.title, total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.current is not None and exc[0] is None:
            self.done(self.current)
        if self._bar is not None:
            self._bar.stop()
        elif exc[0] is None:
            self._line(f"{self.title}: done in {time.perf_counter() - self.started:.1f} s")

    def begin(self, name: str) -> None:
        """A stage starts (the previous one, if any, is done)."""
        if self.current is not None:
            self.done(self.current)
        self.current = name
        self.last = time.perf_counter()
        if self._bar is not None:
            self._bar.update(self._task, description=f"{self.title}: {name}")

    def done(self, name: str, seconds: float | None = None) -> None:
        """A stage finished, after `seconds` (default: since the last stage)."""
        now = time.perf_counter()
        took = now - self.last if seconds is None else seconds
        self.last, self.current = now, None
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=f"{self.title}: {name} done")
            self._bar.console.print(f"  {self.title}: {name} {took:.1f} s")
        else:
            self._line(f"  {self.title}: {name} {took:.1f} s")
        pause_point(f"{self.title}:{name}")  # a test hook, inert unless asked for

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)
