"""The batch mechanism every batch job of the library runs through.

GSAN splits batch work into processing units (a route, a locality) and runs each
in its own transaction. ``gsan_core`` does the same: a job is a list of *units*;
each unit is one unit of work (one transaction) whose work is **set-based** (one
query selects the unit's candidates, one statement writes them) and
**idempotent** (the selection skips what an earlier run already did). So an
interrupted job resumes by running it again, with no duplicates.

A progress callback receives a :class:`BatchProgress` after every unit; the
command line draws it as a progress bar.

Two runs of the same job at the same time (``docs/concurrency.md``):

* a batch method runs inside ``Service._exclusive(job, key)``, which holds the
  job for that key for the whole run (``UnitOfWork.hold_batch``: an advisory
  lock on PostgreSQL, a lease row on SQLite); a second run gets
  :class:`~gsan_core.errors.BatchAlreadyRunning` ("cut orders is already running
  for group 3") before it does anything; where the hold lives in the holding
  transaction (PostgreSQL), the run's starting read and its last chunk are in
  that transaction too (``BatchFrame``: a one-chunk run is one transaction);
* independently of that, each unit locks the aggregate roots it decides about
  before it reads them (the properties of its routes, the requests of its
  locality), so it never acts on an item that another transaction (a single
  command, or a run that lost its hold) took meanwhile.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TypeVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.ports.unit_of_work import UnitOfWork

__all__ = [
    "LOCALITIES_PER_CHUNK",
    "STATISTICS_MIN_ROWS",
    "BatchProgress",
    "BatchSummary",
    "ChunkOutcome",
    "Progress",
    "combined",
    "id_ranges",
    "run_batch",
    "sized_chunks",
    "taken",
]

K = TypeVar("K", bound=Hashable)

#: Localities per unit of work of the locality batches (the RA closing
#: command, UC1073 / UC0823): each locality is processed as on its own, the
#: chunk commits once (issue 20: a locality of a few hundred candidates left
#: the transaction's fixed cost a large share of its time).
LOCALITIES_PER_CHUNK = 8

#: Rows a batch run must have written to a table before it asks the store to
#: refresh that table's planner statistics (issue 20): PostgreSQL's own
#: ``autovacuum_analyze_threshold`` default, below which the server's
#: autovacuum would not analyse either. A run of a few rows (a 10-row repaving
#: acceptance) skips the estimate's transaction (BEGIN, the estimate, COMMIT).
STATISTICS_MIN_ROWS = 50

_LOG = logging.getLogger(__name__)


@attrs.frozen(kw_only=True)
class ChunkOutcome:
    """What one unit of a batch did."""

    #: Candidates the unit looked at.
    processed: int = 0
    #: Candidates it changed (orders generated, orders closed...).
    changed: int = 0
    #: Candidates it skipped, by reason (``{"open cut order": 3}``).
    skipped: Mapping[str, int] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class BatchProgress:
    """Where a batch is, after each unit."""

    job: str
    units_done: int
    units_total: int
    processed: int
    changed: int

    @property
    def fraction(self) -> float:
        """Share of units done, from 0 to 1."""
        return 1.0 if self.units_total == 0 else self.units_done / self.units_total


Progress = Callable[[BatchProgress], None]


@attrs.frozen(kw_only=True)
class BatchSummary:
    """What a whole batch did."""

    job: str
    units: int
    processed: int
    changed: int
    skipped: Mapping[str, int]
    elapsed_seconds: float

    def __repr__(self) -> str:
        return short_repr(self, "job", "units", "processed", "changed")

    def _repr_html_(self) -> str:
        return html_of(self)


def run_batch(
    *,
    job: str,
    units: Sequence[K],
    chunk: Callable[[UnitOfWork, K], ChunkOutcome],
    work: Callable[[], AbstractContextManager[UnitOfWork]],
    progress: Progress | None = None,
    last: Callable[[], AbstractContextManager[UnitOfWork]] | None = None,
) -> BatchSummary:
    """Run ``chunk`` for every unit, each in its own unit of work.

    ``work`` is a context-manager factory yielding a unit of work (a service's
    ``_work``); ``chunk`` must commit what it wants kept. A unit that raises stops
    the batch: the units before it stay committed and a re-run resumes.
    ``last``: the factory of the last unit's unit of work, where it is not
    ``work`` (the batch frame's holding one, ``BatchFrame.run``).
    """
    started = time.perf_counter()
    processed = changed = 0
    skipped: dict[str, int] = {}
    _LOG.info("batch %s: %d processing units", job, len(units))
    for done, unit in enumerate(units, start=1):
        opened = last if last is not None and done == len(units) else work
        with opened() as uow:
            outcome = chunk(uow, unit)
        _LOG.debug(
            "batch %s: unit %d/%d (%s) committed: %d processed, %d changed",
            job,
            done,
            len(units),
            unit,
            outcome.processed,
            outcome.changed,
        )
        processed += outcome.processed
        changed += outcome.changed
        for reason, count in outcome.skipped.items():
            _LOG.debug("batch %s: unit %s skipped %d: %s", job, unit, count, reason)
            skipped[reason] = skipped.get(reason, 0) + count
        if progress is not None:
            progress(
                BatchProgress(
                    job=job,
                    units_done=done,
                    units_total=len(units),
                    processed=processed,
                    changed=changed,
                )
            )
    summary = BatchSummary(
        job=job,
        units=len(units),
        processed=processed,
        changed=changed,
        skipped=dict(sorted(skipped.items())),
        elapsed_seconds=time.perf_counter() - started,
    )
    _LOG.info(
        "batch %s done: %d processed, %d changed, skipped %s in %.1f s",
        job,
        processed,
        changed,
        summary.skipped or "none",
        summary.elapsed_seconds,
    )
    return summary


def id_ranges(ids: Sequence[int], size: int) -> list[tuple[int, int]]:
    """Consecutive ``(first, last)`` ranges covering sorted ``ids``, ``size`` ids each."""
    ordered = sorted(ids)
    return [
        (ordered[i], ordered[min(i + size, len(ordered)) - 1])
        for i in range(0, len(ordered), size)
    ]


def sized_chunks(sizes: Sequence[tuple[K, int]], limit: int) -> list[tuple[K, ...]]:
    """Consecutive units packed into chunks of at most ``limit`` rows (a unit
    bigger than ``limit`` is a chunk of its own; a unit is never split).

    ``sizes`` is ``(unit, rows)`` in processing order: the cut-order batch packs
    whole routes into chunks of a few thousand properties, so that a chunk's
    fixed cost (its transaction, its statements) is spread over enough rows
    whatever the routes' sizes."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    chunks: list[tuple[K, ...]] = []
    current: list[K] = []
    rows = 0
    for unit, size in sizes:
        if current and rows + size > limit:
            chunks.append(tuple(current))
            current, rows = [], 0
        current.append(unit)
        rows += size
    if current:
        chunks.append(tuple(current))
    return chunks


def taken(units: Sequence[K], size: int) -> list[tuple[K, ...]]:
    """Consecutive units, ``size`` at a time (the last chunk may be smaller):
    the RA closing command and the connection batches take several
    localities per unit of work, so that a transaction's fixed cost (BEGIN,
    the outbox, COMMIT) is paid per chunk, not per locality (issue 20)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    return [tuple(units[n : n + size]) for n in range(0, len(units), size)]


def combined(outcomes: Sequence[ChunkOutcome]) -> ChunkOutcome:
    """The outcomes of the units of one chunk added up."""
    skipped: dict[str, int] = {}
    for outcome in outcomes:
        for reason, count in outcome.skipped.items():
            skipped[reason] = skipped.get(reason, 0) + count
    return ChunkOutcome(
        processed=sum(o.processed for o in outcomes),
        changed=sum(o.changed for o in outcomes),
        skipped=dict(sorted(skipped.items())),
    )
