"""Deterministic id generators."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

__all__ = ["SequentialIds"]


class SequentialIds:
    """Ids 1, 2, 3... per kind (or from ``start``); thread-safe."""

    def __init__(
        self, start: int = 1, *, starts: Mapping[str, int] | None = None
    ) -> None:
        self._start = start
        self._next: dict[str, int] = dict(starts or {})
        self._lock = threading.Lock()

    def copy(self) -> SequentialIds:
        """An independent generator that continues from where this one is."""
        with self._lock:
            return SequentialIds(self._start, starts=self._next)

    def next_id(self, kind: str) -> int:
        """One new id of ``kind``."""
        return self.next_ids(kind, 1)[0]

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` new ids of ``kind``."""
        with self._lock:
            first = self._next.get(kind, self._start)
            self._next[kind] = first + count
        return range(first, first + count)
