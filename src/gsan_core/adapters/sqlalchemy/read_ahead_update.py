"""Read ahead for "Manter RA" (UC0408, ``service_requests.update`` /
``execute_change``; issue 20, eleventh round; ADR 0006).

Updating an open RA in its place read, one statement each, the request's
lock, its orders (UPD-04, UPD-08), its property's lock (the place re-checked
on every save, UPD-07, INS-07..INS-12) and the property's requests (INS-09,
the duplicate checks): 7 statements on PostgreSQL with BEGIN, the deferred
write (the request and the outbox) and COMMIT. :func:`read_update` reads
them in **two**:

1. the lock: the request, then its property, one statement of their own (a
   materialized CTE locks the request, and its row as locked names the
   property the scalar subquery locks next: ADR 0004's order, request then
   property, as refunding an RA locks them);
2. one joined read begun after both: the request, its property and, an
   ``arm`` each (rows that add up instead of multiplying), the request's
   orders and the property's requests. Its columns are unlabelled and read by
   position (``read_ahead.Positional``): the text stays under psycopg's 4 KiB.

The rows answer the command's reads of the same rows (the request's lock, its
orders, the property's lock and its requests); the request, answered to its
lock, is handed to the unit of work as read, so the deferred update sets only
the columns the change changes. The service reads ahead only when the place
is not changed: a new place names another property, whose lock comes later
(the old one would be locked for nothing). On SQLite, whose writing
transaction holds the database's write lock, no lock statement is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS
from gsan_core.adapters.sqlalchemy.read_ahead import (
    _aliased,
    _entity,
    _labelled,
    _positional,
    _rows,
)
from gsan_core.adapters.sqlalchemy.read_ahead_requests import (
    request_then_property_lock,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["read_update"]

#: The lock and the joined read, built once per set of tables.
_STATEMENTS: dict[int, tuple[sa.Select[Any], sa.Select[Any]]] = {}


def read_update(uow: SqlUnitOfWork, request_id: int) -> None:
    """Lock request ``request_id`` and then its property (one statement, not
    on SQLite) and read, in one statement after both, the request, its
    orders, the property and the property's requests: what updating the
    request without changing its place reads."""
    lock, read = _statements(uow)
    connection = uow.connection
    params = {"k_request": request_id}
    sqlite = connection.dialect.name == "sqlite"
    locked: int | None = None
    if not sqlite:
        with translated("service_request", request_id):
            first = connection.execute(lock, params).first()
        if first is None:
            return  # no such request: its lock says so, as before
        locked = first.locked
    with translated("service_request", request_id):
        rows = _rows(connection.execute(read, params), read)
    if not rows:
        return
    request = _entity(uow, "r", "service_request", rows[0])
    uow.keep_ahead("service_request", ("lock", (request_id,)), {request_id: request})
    orders = _each(uow, "o", "service_order", rows)
    uow.keep_ahead("service_order", ("by", (("request_id", request_id),)), orders)
    if orders and len(orders) <= MOST_ROWS and uow.deferring:
        uow.read_rows("service_order", orders)
    prop = _entity(uow, "p", "property", rows[0])
    if prop is None or (not sqlite and locked != prop.id):
        return  # no property, or not the one locked: read as before
    uow.keep_ahead("property", ("lock", (prop.id,)), {prop.id: prop})
    uow.keep_ahead(
        "service_request",
        ("by", (("property_id", prop.id),)),
        _each(uow, "q", "service_request", rows),
    )


def _each(uow: SqlUnitOfWork, prefix: str, name: str, rows: Sequence[Any]) -> list[Any]:
    """The entities of ``name`` in the joined rows, once each, by id."""
    found = {e.id: e for row in rows if (e := _entity(uow, prefix, name, row))}
    return [found[k] for k in sorted(found)]


def _statements(uow: SqlUnitOfWork) -> tuple[sa.Select[Any], sa.Select[Any]]:
    key = id(uow.tables["service_request"])
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = _build(uow)
    return found


def _build(uow: SqlUnitOfWork) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The request's lock, then its property's, and the joined read of the
    request, its property and, an ``arm`` each, its orders and the
    property's requests (a handful of rows)."""
    r = uow.tables["service_request"]
    request_id = sa.bindparam("k_request", type_=r.c.id.type)
    lock = request_then_property_lock(uow, request_id)
    a = _aliased(
        uow, r="service_request", p="property", o="service_order", q="service_request"
    )
    arms = sa.union_all(
        *(sa.select(sa.literal_column(str(n)).label("arm")) for n in (1, 2))
    ).subquery("arms")
    arm, of_property = arms.c.arm, a["r"].c.property_id
    joined = (
        a["r"]
        .outerjoin(a["p"], a["p"].c.id == of_property)
        .join(arms, sa.true())
        .outerjoin(a["o"], sa.and_(arm == 1, a["o"].c.request_id == a["r"].c.id))
        .outerjoin(a["q"], sa.and_(arm == 2, a["q"].c.property_id == of_property))
    )
    read = (
        sa.select(*_labelled({k: a[k] for k in "rpoq"}))
        .select_from(joined)
        .where(a["r"].c.id == request_id)
    )
    return lock, _positional(read)
