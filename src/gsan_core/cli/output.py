"""What the command line shows: progress per phase on stderr (rich), summary
tables on stdout, and one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from gsan_core.services.batches import BatchProgress

__all__ = ["Phases", "err", "out", "phases", "summary_table"]


def out() -> Console:
    """The console of results (stdout, read at call time so tests capture it)."""
    return Console(file=sys.stdout, highlight=False, soft_wrap=True)


def err() -> Console:
    """The console of progress and errors (stderr)."""
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


class _Rate(ProgressColumn):
    """Items per second of the task, with the task's unit."""

    def render(self, task: Task) -> Text:
        unit = str(task.fields.get("unit", ""))
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text(f"- {unit}/s", style="progress.data.speed")
        rate = task.completed / elapsed
        return Text(f"{rate:,.0f} {unit}/s", style="progress.data.speed")


class Phases:
    """Progress bars, one per phase of a job: what is written, how many of how
    many, the rate and the time left. The bars appear with the first report."""

    def __init__(self, started: Callable[[], None] | None = None) -> None:
        self._started = started
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    @property
    def started(self) -> bool:
        """Whether any phase reported progress (the job started writing)."""
        return self._progress is not None

    def _bars(self) -> Progress:
        if self._progress is None:
            if self._started is not None:
                self._started()
            self._progress = Progress(
                TextColumn("{task.description:<24}"),
                BarColumn(bar_width=24),
                MofNCompleteColumn(),
                _Rate(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=err(),
                transient=False,
            )
            self._progress.start()
        return self._progress

    def update(
        self, phase: str, done: int, total: int | None, *, unit: str = "rows"
    ) -> None:
        """Where ``phase`` is (a new phase starts a new bar)."""
        bars = self._bars()
        task = self._tasks.get(phase)
        if task is None:
            task = bars.add_task(phase, total=total, unit=unit)
            self._tasks[phase] = task
        bars.update(task, completed=done, total=total)

    def of(self, phase: str, unit: str) -> Callable[[BatchProgress], None]:
        """A batch's progress callback drawing ``phase``."""

        def progress(at: BatchProgress) -> None:
            self.update(phase, at.units_done, at.units_total, unit=unit)

        return progress

    def stop(self) -> None:
        """Leave the bars as they are."""
        if self._progress is not None:
            self._progress.stop()


@contextmanager
def phases(started: Callable[[], None] | None = None) -> Iterator[Phases]:
    """Show progress bars on stderr while the block runs; ``started`` is called
    when the job reports its first progress."""
    bars = Phases(started)
    try:
        yield bars
    finally:
        bars.stop()


def summary_table(
    title: str,
    rows: Sequence[tuple[str, object]],
    *,
    extra: Mapping[str, int] | None = None,
) -> Table:
    """A two-column table: what, how many (``extra`` adds indented rows)."""
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in rows:
        table.add_row(label, _number(value))
    for label, value in (extra or {}).items():
        table.add_row(f"  {label}", _number(value))
    return table


def _number(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)
