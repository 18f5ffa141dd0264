"""The explicit ids of the benchmarks' own rows: one range a figure (issue 20).

The lean hand-written versions of the commands, and the set-ups that insert
rows with explicit ids (the closings a composition reads, queued messages,
refund RAs, repaving works, closed orders...), take their ids here, never
from a constant of their module. Every :func:`take` hands out a range no
earlier call of the process had (:data:`TAKEN` keeps them, in order), so the
figures of one run (``python -m benchmarks.commands`` measures every command
on one database) and the repeats of each figure write disjoint ids, whatever
commands run and in whatever order. A range is bounded: an id past its end
raises :class:`RangeExhausted` instead of running into the next range.

The library's own ids come from the ``id_block`` counters and the outbox's
``counter``, which start at 1 and only move by use (nothing in the
benchmarks calls ``reserve_ids``), and the synthetic utility's explicit ids
are small: every range lies at :data:`FIRST` or above, far beyond their
reach at the benchmarks' sizes.
:func:`check_below` verifies it on a database (before and after a run).
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy import SqlBackend

__all__ = [
    "FIRST",
    "SPAN",
    "TAKEN",
    "IdRange",
    "RangeExhausted",
    "blocks",
    "check_below",
    "stream",
    "take",
]

#: The first id of the first range.
FIRST = 9_000_000_000
#: Ids of a range unless asked otherwise: far more than a figure of 200
#: commands a side writes (a few rows a call; a block of ``BLOCK`` at most).
SPAN = 10_000_000


class RangeExhausted(RuntimeError):
    """A figure asked for more ids than its range holds."""


class IdRange(Iterator[int]):
    """The ids ``start`` to ``stop - 1`` of the figure ``name``; ``next``
    gives them in order (:meth:`block`: several at once)."""

    def __init__(self, name: str, start: int, stop: int) -> None:
        self.name = name
        self.start = start
        self.stop = stop
        self._next = start

    def __repr__(self) -> str:
        return f"IdRange({self.name!r}, {self.start:_}, {self.stop:_})"

    def __iter__(self) -> IdRange:
        return self

    def __next__(self) -> int:
        return self.block(1)

    def block(self, count: int) -> int:
        """The first of ``count`` consecutive ids, now taken."""
        first = self._next
        if count < 1 or first + count > self.stop:
            raise RangeExhausted(
                f"{self.name}: {count} ids asked, {self.stop - first} left "
                f"of its range {self.start:_}..{self.stop - 1:_} "
                "(take a larger span)"
            )
        self._next = first + count
        return first

    def overlaps(self, other: IdRange) -> bool:
        """Whether the two ranges share an id."""
        return self.start < other.stop and other.start < self.stop


#: Every range handed out by this process, in order.
TAKEN: list[IdRange] = []


def take(name: str, span: int = SPAN) -> IdRange:
    """A range of ``span`` ids no earlier call had, for ``name`` (a figure,
    a repeat's set-up)."""
    if span < 1:
        raise ValueError(f"{name}: a range of {span} ids")
    start = TAKEN[-1].stop if TAKEN else FIRST
    taken = IdRange(name, start, start + span)
    TAKEN.append(taken)
    return taken


def stream(name: str, span: int = SPAN) -> Iterator[int]:
    """Endless ids for ``name`` (a module's counter, used by call after
    call): a range of ``span`` taken when the one before is spent (none
    before the first id is asked)."""
    while True:
        ids = take(name, span)
        yield from range(ids.start, ids.stop)


def blocks(name: str, span: int) -> Iterator[int]:
    """Endless first ids of fresh ranges of ``span`` ids, one a call (for a
    statement that numbers its rows from the first)."""
    while True:
        yield take(name, span).start


def check_below(sql: SqlBackend) -> None:
    """Refuse a database whose library counters (every kind's ``id_block``
    row, the outbox's ``counter``) reach :data:`FIRST`: the library's next
    ids could meet the benchmarks'."""
    block, counter = sql.tables["id_block"], sql.tables["counter"]
    with sql.engine.connect() as connection:
        highest = max(
            connection.execute(sa.select(sa.func.max(block.c.next_value))).scalar()
            or 0,
            connection.execute(
                sa.select(counter.c.value).where(counter.c.name == "outbox")
            ).scalar()
            or 0,
        )
    if int(highest) >= FIRST:
        raise RuntimeError(
            f"the library's ids reach {int(highest):_}, at or above the "
            f"benchmarks' explicit ids ({FIRST:_} on): they could meet"
        )
