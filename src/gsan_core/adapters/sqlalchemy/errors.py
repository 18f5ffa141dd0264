"""Translation of driver and SQLAlchemy errors into :mod:`gsan_core.errors`.

No ``sqlalchemy.exc`` exception leaves the adapter: a unique violation becomes
:class:`~gsan_core.errors.DuplicateEntity`; losing to a concurrent writer a
:class:`~gsan_core.errors.ConcurrencyConflict` (expected version unknown: -1):
SQLite busy or locked after its busy timeout, or refusing to let a transaction
write after another one committed since it read (``SQLITE_BUSY_SNAPSHOT``);
PostgreSQL's serialization failure, deadlock and lock timeout (SQLSTATE 40001,
40P01, 55P03). Anything else is a :class:`~gsan_core.errors.PersistenceError`
chained to the original.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc

from gsan_core.errors import (
    ConcurrencyConflict,
    DuplicateEntity,
    GsanError,
    PersistenceError,
)

__all__ = ["is_conflict", "is_unique_violation", "translated"]

_UNIQUE_SQLSTATE = "23505"
#: PostgreSQL: serialization failure, deadlock detected, lock not available.
_CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
#: SQLite primary result codes SQLITE_BUSY and SQLITE_LOCKED (the extended
#: codes, such as SQLITE_BUSY_SNAPSHOT = 517, carry them in their low byte).
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def is_unique_violation(error: sa_exc.IntegrityError) -> bool:
    """Whether an integrity error is a primary-key or unique violation."""
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is not None:
        return bool(sqlstate == _UNIQUE_SQLSTATE)
    text = str(orig)
    return "UNIQUE constraint failed" in text or "PRIMARY KEY" in text


def is_conflict(error: sa_exc.DBAPIError) -> bool:
    """Whether a database error means a concurrent writer won (retry may pass)."""
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is not None:
        return sqlstate in _CONFLICT_SQLSTATES
    code = getattr(orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)


@contextmanager
def translated(entity: str = "", key: object = None) -> Iterator[None]:
    """Run a statement; turn database errors into library errors."""
    try:
        yield
    except GsanError:
        raise
    except sa_exc.IntegrityError as error:
        if is_unique_violation(error):
            raise DuplicateEntity(entity, key) from error
        raise PersistenceError(f"integrity error on {entity}: {error.orig}") from error
    except sa_exc.DBAPIError as error:
        if is_conflict(error):
            raise ConcurrencyConflict(entity, key, -1) from error
        raise PersistenceError(
            f"database error on {entity or 'statement'}: {error}"
        ) from error
    except sa_exc.SQLAlchemyError as error:
        raise PersistenceError(
            f"database error on {entity or 'statement'}: {error}"
        ) from error
    except ValueError as error:
        raise PersistenceError(f"cannot store {entity}: {error}") from error
