"""Translation of driver and SQLAlchemy errors into :mod:`gsan_core.errors`.

No ``sqlalchemy.exc`` exception leaves the adapter: a unique violation of a key
that is a business rule (:mod:`gsan_core.rules.uniques`) becomes the
:class:`~gsan_core.errors.RuleViolation` of that rule, any other one
:class:`~gsan_core.errors.DuplicateEntity`; losing to a concurrent writer a
:class:`~gsan_core.errors.ConcurrencyConflict` (expected version unknown):
SQLite busy or locked after its busy timeout, or refusing to let a transaction
write after another one committed since it read (``SQLITE_BUSY_SNAPSHOT``);
PostgreSQL's serialization failure, deadlock and lock timeout (SQLSTATE 40001,
40P01, 55P03). Anything else is a :class:`~gsan_core.errors.PersistenceError`
chained to the original. No message carries the SQL text, its parameters or
the driver's text (which quotes values): only the kind, the entity, the
driver's error class and SQLSTATE.
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
    RuleViolation,
)
from gsan_core.rules.uniques import UniqueRule, unique_rule, unique_violation

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


def broken_unique_rule(error: sa_exc.IntegrityError) -> UniqueRule | None:
    """The business rule of the unique key ``error`` broke, if it is one.

    PostgreSQL names the table and the constraint (``diag``); SQLite says
    ``UNIQUE constraint failed: <table>.<column>, <table>.<column>``."""
    orig = error.orig
    diag = getattr(orig, "diag", None)
    table = getattr(diag, "table_name", None)
    if table:
        constraint = getattr(diag, "constraint_name", None) or ""
        return unique_rule(table, constraint=constraint)
    _, marker, listed = str(orig).partition("UNIQUE constraint failed: ")
    if not marker:
        return None
    qualified = [part.strip() for part in listed.split(",")]
    tables = {name.rpartition(".")[0] for name in qualified}
    columns = [name.rpartition(".")[2] for name in qualified]
    if len(tables) != 1:
        return None
    return unique_rule(tables.pop(), columns=columns)


def _driver(error: sa_exc.DBAPIError) -> str:
    """The driver's error class and SQLSTATE (never its text: it quotes values)."""
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    name = type(orig).__name__
    return f"{name}, SQLSTATE {sqlstate}" if sqlstate else name


@contextmanager
def translated(entity: str = "", key: object = None) -> Iterator[None]:
    """Run a statement; turn database errors into library errors."""
    what = entity or "statement"
    try:
        yield
    except GsanError:
        raise
    except sa_exc.IntegrityError as error:
        if is_unique_violation(error):
            rule = broken_unique_rule(error)
            if rule is not None:
                raise RuleViolation([unique_violation(rule)]) from error
            raise DuplicateEntity(entity, key) from error
        raise PersistenceError(
            f"integrity error on {what} ({_driver(error)})", kind="integrity"
        ) from error
    except sa_exc.DBAPIError as error:
        if is_conflict(error):
            raise ConcurrencyConflict(entity, key) from error
        raise PersistenceError(
            f"database error on {what} ({_driver(error)})"
        ) from error
    except sa_exc.StatementError as error:
        if isinstance(error.orig, ValueError):  # a type refused a bound value
            raise PersistenceError(
                f"cannot store {what}: a value does not fit its column", kind="value"
            ) from error
        raise PersistenceError(
            f"database error on {what} ({type(error).__name__})"
        ) from error
    except sa_exc.SQLAlchemyError as error:
        raise PersistenceError(
            f"database error on {what} ({type(error).__name__})"
        ) from error
    except ValueError as error:
        raise PersistenceError(
            f"cannot store {what}: a value does not fit its column", kind="value"
        ) from error
