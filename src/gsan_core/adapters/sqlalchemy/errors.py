"""Translation of driver and SQLAlchemy errors into :mod:`gsan_core.errors`.

No ``sqlalchemy.exc`` exception leaves the adapter: a unique violation becomes
:class:`~gsan_core.errors.DuplicateEntity`; SQLite refusing to let a transaction
write after another one committed since it read (``SQLITE_BUSY_SNAPSHOT``) a
:class:`~gsan_core.errors.ConcurrencyConflict` (expected version unknown: -1);
anything else a :class:`~gsan_core.errors.PersistenceError` chained to the
original.
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

__all__ = ["is_unique_violation", "translated"]

_UNIQUE_SQLSTATE = "23505"
_SQLITE_BUSY_SNAPSHOT = 517


def is_unique_violation(error: sa_exc.IntegrityError) -> bool:
    """Whether an integrity error is a primary-key or unique violation."""
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is not None:
        return bool(sqlstate == _UNIQUE_SQLSTATE)
    text = str(orig)
    return "UNIQUE constraint failed" in text or "PRIMARY KEY" in text


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
    except sa_exc.OperationalError as error:
        if getattr(error.orig, "sqlite_errorcode", None) == _SQLITE_BUSY_SNAPSHOT:
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
