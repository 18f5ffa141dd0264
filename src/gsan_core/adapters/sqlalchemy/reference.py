"""A cache of reference rows read by id, shared by a backend's units of work.

A command reads reference rows (catalog items, service types, units, users,
customer types and spheres of power) that change rarely; reading each of them
again in every command is one round trip each (issue 20: closing a cut order
read three catalog rows, its service type and the user's unit). The backend keeps what it read, by table and key:

* a write to a cached table through this backend empties that table's entries
  when its unit of work ends (commit or not: dropping entries is always safe),
  and a unit of work that wrote a table reads it from the database until then;
* a read that raced with such a write does not store what it read (a
  generation number per table);
* another process's writes are seen once an entry is older than ``ttl``
  seconds (``SqlBackend(reference_ttl=...)``; ``0`` turns the cache off).

Reads by id are cached, the index table whole (UC0216), a catalogue kind's active rows (the lists a command
looks a setting up in, e.g. ENC-19's bulletin setup of a service type), and a
kind's every row listed for display (``list(kind, cached=True)``: a field file's
parameter records); the rules that decide on a whole kind (CAT-4's unique
descriptions, the next id) read every row of the kind from the database, under
the kind's lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Hashable
from typing import Any

__all__ = ["CACHED_TABLES", "DEPENDENT", "LOCKED_TABLES", "MISSING", "ReferenceCache"]

#: The reference tables whose by-id reads are cached.
CACHED_TABLES = frozenset(
    {
        "catalog_item",
        # the accounts' customer types and spheres of power (CND-02, CNC-02,
        # the type of a customer registered or changed)
        "customer_type",
        # the localities: a unit's, for its municipality's calendar (UC1190's
        # working day, ROT-04's special days); a statement's or certificate's
        # header, ACR-02's municipality (UC0216; issue 20, seventh round)
        "locality",
        "power_sphere",
        "request_specification",
        "service_charge_value",
        "service_type",
        "unit",
        "user",
        # the answers of ``permissions.has`` by (user, permission): they
        # depend on the user's row too, forgotten with it (SqlUnitOfWork.wrote)
        "user_permission",
        # the rows routing a specification at a place (collection situation,
        # locality and specification, locality and group), forgotten when one
        # of their three tables is written (SqlUnitOfWork.wrote)
        "routing_association",
        # the index table, read whole by every statement and certificate
        "surcharge_index",
    }
)
#: The named keys (``UnitOfWork.lock_key``) whose holder decides on a cached
#: table's every row: under the key, the table is read from the database
#: (Informar Índices, IDX-01, reads the index table under its key).
LOCKED_TABLES = {"accounts.surcharge_index": "surcharge_index"}
#: The tables whose writes forget another cached table's entries.
DEPENDENT = {
    "user": "user_permission",
    "collection_situation_unit": "routing_association",
    "locality_specification_unit": "routing_association",
    "locality_group_unit": "routing_association",
}
#: Returned by :meth:`ReferenceCache.get` when the key is not cached.
MISSING: Any = object()


class ReferenceCache:
    """Rows by ``(table, key)`` for ``ttl`` seconds; thread-safe."""

    def __init__(
        self, ttl: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._rows: dict[tuple[str, Hashable], tuple[float, Any]] = {}
        self._generations: dict[str, int] = {}

    def generation(self, table: str) -> int:
        """The table's generation: take it before reading the database."""
        with self._lock:
            return self._generations.get(table, 0)

    def get(self, table: str, key: Hashable) -> Any:
        """The cached row (``None`` for a row known not to exist), or
        :data:`MISSING`."""
        if self.ttl <= 0:
            return MISSING
        with self._lock:
            found = self._rows.get((table, key))
            if found is None:
                return MISSING
            stored, value = found
            if self._clock() - stored > self.ttl:
                del self._rows[(table, key)]
                return MISSING
            return value

    def put(self, table: str, key: Hashable, value: Any, generation: int) -> None:
        """Keep ``value`` unless the table was written since ``generation``."""
        if self.ttl <= 0:
            return
        with self._lock:
            if self._generations.get(table, 0) == generation:
                self._rows[(table, key)] = (self._clock(), value)

    def invalidate(self, tables: Collection[str]) -> None:
        """Forget the entries of ``tables`` (they were written)."""
        if not tables:
            return
        with self._lock:
            for table in tables:
                self._generations[table] = self._generations.get(table, 0) + 1
            self._rows = {k: v for k, v in self._rows.items() if k[0] not in tables}
