"""The id generator port.

Ids are assigned before persistence (GSAN ids are integers). Client-side ids keep
bulk inserts fast, make tests deterministic and suit distributed databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["IdGenerator"]


class IdGenerator(Protocol):
    """Hands out unique integer ids per kind of entity (``"service_order"``...)."""

    def next_id(self, kind: str) -> int:
        """One new id of ``kind``."""
        ...

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` new ids of ``kind``, in increasing order."""
        ...
