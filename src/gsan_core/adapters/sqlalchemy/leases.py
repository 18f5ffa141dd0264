"""Who runs which batch: one run of a batch job per key at a time.

* PostgreSQL: a transaction-level advisory lock (``pg_try_advisory_xact_lock``)
  in the holding unit of work's transaction (the keys of a run taken in one
  statement, :func:`first_refused`), which stays open while the batch
  runs in other units of work. The server releases it when that transaction
  ends, including when the process dies or its backend is terminated. The lock
  key is a hash of the schema, the table prefix, the job and the key, so systems
  in two schemas of one server do not block each other.
* SQLite: a row of ``batch_lease`` written and committed at once (holding a write
  transaction open would stop every other writer). The row names its holder
  (host, process id, a random token); a row whose holder process on this host no
  longer exists is taken over, and the holder deletes it when it ends.
* Joining a host's transaction: the host's transaction decides; nothing is held.
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import BatchAlreadyRunning

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy import SqlBackend
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["BatchHolds", "advisory_key", "first_refused"]

_HOST = socket.gethostname()


def advisory_key(namespace: str, job: str, key: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``job``/``key``."""
    digest = hashlib.blake2b(
        f"{namespace}\x00{job}\x00{key}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


#: Takes the advisory locks of ``:keys`` in order and stops at the first one
#: another session holds (a recursive CTE evaluates one key per step, and a
#: step runs only after a held one); the answer is that key's position
#: (1-based), or NULL when every key is held.
_TAKE_IN_ORDER = sa.text(
    "WITH RECURSIVE taken(n, held) AS (SELECT 0, true UNION ALL"
    " SELECT n + 1, pg_try_advisory_xact_lock((:keys)[n + 1]) FROM taken"
    " WHERE held AND n < cardinality(:keys))"
    " SELECT min(n) FILTER (WHERE NOT held) FROM taken"
).bindparams(sa.bindparam("keys", type_=postgresql.ARRAY(sa.BigInteger)))


def first_refused(connection: sa.Connection, keys: Sequence[int]) -> int | None:
    """PostgreSQL: take the transaction-level advisory locks ``keys`` in order
    in one statement; the index of the first one another session holds (the
    keys after it are not tried), or ``None`` when all are held."""
    refused = connection.execute(_TAKE_IN_ORDER, {"keys": list(keys)}).scalar()
    return None if refused is None else int(refused) - 1


def _alive(holder: str) -> bool:
    """Whether the process named by a lease holder may still run."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit():
        return True  # another machine: only its holder can tell
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BatchHolds:
    """The batches one unit of work holds."""

    def __init__(self, backend: SqlBackend, *, joined: object | None) -> None:
        self._backend = backend
        self._joined = joined is not None
        self._leases: list[tuple[str, str]] = []
        self._holder = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex}"

    def in_transaction(self) -> bool:
        """Whether a hold lives in the holding transaction (an advisory lock
        on PostgreSQL, not a host's transaction)."""
        return not self._joined and self._backend.engine.dialect.name == "postgresql"

    def hold(self, uow: SqlUnitOfWork, job: str, keys: Sequence[str]) -> None:
        """Hold ``job`` for each of ``keys`` in order or raise
        :class:`BatchAlreadyRunning` for the first one held elsewhere (on
        PostgreSQL one statement for them all)."""
        if self._joined or not keys:
            return
        engine = self._backend.engine
        if engine.dialect.name == "postgresql":
            tables = self._backend.tables
            namespace = f"{tables.schema or ''}.{tables.prefix}"
            with translated("batch_lease", keys[0]):
                refused = first_refused(
                    uow.connection,
                    [advisory_key(namespace, job, key) for key in keys],
                )
            if refused is not None:
                raise BatchAlreadyRunning(job, keys[refused])
            return
        for key in keys:
            self._lease(job, key)

    def _lease(self, job: str, key: str) -> None:
        table = self._backend.tables["batch_lease"]
        row = {
            "job": job,
            "key": key,
            "holder": self._holder,
            "acquired_at": datetime.now(UTC),
        }
        # one IMMEDIATE transaction: no other process reads or writes the lease
        # between the read and the write
        with translated("batch_lease", key), self._transaction() as connection:
            current = connection.execute(
                sa.select(table.c.holder).where(table.c.job == job, table.c.key == key)
            ).scalar()
            if current == self._holder:
                return
            if current is None:
                connection.execute(sa.insert(table), [row])
            elif _alive(current):
                raise BatchAlreadyRunning(job, key)
            else:  # its process is gone: take it over
                connection.execute(
                    sa.update(table)
                    .where(table.c.job == job, table.c.key == key)
                    .values(holder=self._holder, acquired_at=row["acquired_at"])
                )
        self._leases.append((job, key))

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        """A short writing transaction of its own (begun IMMEDIATE on SQLite)."""
        with self._backend.engine.connect() as connection:
            connection.execution_options(gsan_sqlite_begin="IMMEDIATE")
            with connection.begin():
                yield connection

    def release(self) -> None:
        """Give back the SQLite leases (advisory locks end with the transaction)."""
        if not self._leases:
            return
        table = self._backend.tables["batch_lease"]
        leases, self._leases = self._leases, []
        with translated("batch_lease"), self._transaction() as connection:
            for job, key in leases:
                connection.execute(
                    sa.delete(table).where(
                        table.c.job == job,
                        table.c.key == key,
                        table.c.holder == self._holder,
                    )
                )
