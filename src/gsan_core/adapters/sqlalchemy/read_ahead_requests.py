"""Read ahead for the request and order commands (issue 20, ADR 0006), and
the rows read ahead kept through the unit of work's own writes.

:func:`read_forwarding` reads what forwarding an RA reads (TRM-01..TRM-16)
in two statements: the request's lock, a statement of its own (ADR 0004:
the request is the root of its orders and routing steps), then one joined
read begun after it of the request, its orders, its routing steps and the
units associated with its locality by request-type group (TRM-11), one row
per order, step and association (a handful), each entity kept once. The
orders answer two reads (the rules' and the move's, nothing in between writes
them).

:func:`read_request_closing` reads what closing an RA reads the same way:
the request's lock, then the request and its orders in one statement.

:func:`read_refund` reads what refunding an RA's duplicated payments reads
(UC1131, with its closing): the request's lock and then its property's, in
one statement of their own (a materialized CTE locks the request before the
property's subquery reads the locked row's property, ADR 0004's order), then
one statement begun after both: the request, its orders and its payment
links, its property, the property's open debts, charges and payments (each
on rows of its own, so they add up instead of multiplying).

:func:`read_reactivation` reads what reactivating a closed RA reads: the
request's lock, then (PostgreSQL) its property's, each a statement of its
own (ADR 0004: the request, then the property), then one joined read begun
after both of the request, its successors (REA: reactivated once), its
property, the property's customers and requests (what the new request's
opening reads, INS-09); the three kinds of request one set of columns.

:func:`read_order_update` reads an order, its field-file items and their
files (UPD-05) in one statement, without a lock (the update is a
compare-and-set on the version the caller read).

:func:`written` keeps the rows read ahead of a table the unit of work has just
written *entity by entity* (an insert or a compare-and-set update of each),
with the written entities in them: a read by id answers the written entity, a
``find_by`` the entities that match its criteria after the write, a
``lock_many`` the written entities among its ids. Those rows are what the
database would answer the unit of work (it reads its own writes), so a
command that reads a table again after writing it (closing an order reads the
request's pending orders after closing it) needs no statement. Any other
write of the table (a bulk update, a delete, a statement of its own) forgets
them, as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS
from gsan_core.adapters.sqlalchemy.ports import CHARGE_COLUMNS, charge_debt
from gsan_core.adapters.sqlalchemy.read_ahead import _aliased, _entity, _labelled
from gsan_core.adapters.sqlalchemy.reference import MISSING

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = [
    "read_forwarding",
    "read_order_update",
    "read_reactivation",
    "read_refund",
    "read_request_closing",
    "read_under_requests",
    "request_then_property_lock",
    "written",
]

#: The lock and the joined read of each command, built once per set of tables.
_STATEMENTS: dict[tuple[str, int], tuple[sa.Select[Any], sa.Select[Any]]] = {}


def read_forwarding(uow: SqlUnitOfWork, request_id: int) -> None:
    """Lock request ``request_id`` (its own statement, ADR 0004) and read, in
    one statement after it, the request, its orders, its routing steps and
    its locality's units by group: what forwarding it reads."""
    rows = _locked_rows(uow, "forwarding", request_id)
    if not rows:
        return
    request = _keep_request(uow, request_id, rows, orders=2)
    of_request = ("by", (("request_id", request_id),))
    uow.keep_ahead("routing_step", of_request, _each(uow, "s", "routing_step", rows))
    if request is not None and request.locality_id is not None:
        uow.keep_ahead(
            "locality_group_unit",
            ("by", (("locality_id", request.locality_id),)),
            _each(uow, "g", "locality_group_unit", rows),
        )


def read_request_closing(uow: SqlUnitOfWork, request_id: int) -> None:
    """Lock request ``request_id`` (its own statement) and read, in one
    statement after it, the request and its orders: what closing it reads
    (ENC; the request is read again, by id, for its write)."""
    rows = _locked_rows(uow, "closing", request_id)
    if rows:
        request = _keep_request(uow, request_id, rows, orders=1)
        uow.keep_ahead("service_request", ("id", request_id), request)


def read_refund(uow: SqlUnitOfWork, request_id: int) -> None:
    """Lock request ``request_id``, then its property (one statement of their
    own, not on SQLite), and read, in one statement after both, the request,
    its orders and its payment links, the property, its open debts, charges
    and payments: what refunding the RA's duplicated payments and closing it
    read (UC1131)."""
    lock, read = _statements(uow, "refund")
    connection = uow.connection
    params = {"k_request": request_id}
    sqlite = connection.dialect.name == "sqlite"
    locked: int | None = None
    if not sqlite:
        with translated("service_request", request_id):
            first = connection.execute(lock, params).first()
        if first is None:
            return
        locked = first.locked
    with translated("service_request", request_id):
        rows = connection.execute(read, params).mappings().all()
    if not rows:
        return
    request = _keep_request(uow, request_id, rows, orders=1)
    uow.keep_ahead("service_request", ("id", request_id), request)
    uow.keep_ahead(
        "request_payment",
        ("by", (("request_id", request_id),)),
        _each(uow, "l", "request_payment", rows),
    )
    prop = _entity(uow, "p", "property", rows[0])
    if prop is None or (not sqlite and locked != prop.id):
        return  # no property, or not the one locked: read as before
    uow.keep_ahead("property", ("lock", (prop.id,)), {prop.id: prop})
    of_property = ("of", prop.id)
    uow.keep_ahead("open_debt", of_property, _each(uow, "d", "open_debt", rows))
    charges = {
        r["c_id"]: charge_debt([r[f"c_{name}"] for name in CHARGE_COLUMNS])
        for r in rows
        if r["c_id"] is not None
    }
    uow.keep_ahead("charge", of_property, [charges[k] for k in sorted(charges)])
    uow.keep_ahead("payment", of_property, _each(uow, "y", "payment", rows))


def read_under_requests(
    uow: SqlUnitOfWork, request_ids: Sequence[int]
) -> tuple[list[Any], list[Any], list[Any]]:
    """The orders and routing steps of the requests ``request_ids`` and the
    units associated with their localities by group, each by id, in one
    statement (one row per request x order x step x association: a handful
    each); the caller locked the requests first (ADR 0004). The statement is
    built once per dialect: the tables aliased and, on PostgreSQL, the ids one
    array parameter, so that its text and parameters stay under psycopg's
    cache limits whatever the number of requests (issue 20). In a unit of
    work that defers its writes, a few orders read are kept as read
    (``SqlUnitOfWork.read_rows``): their deferred moves set their unit and
    version only."""
    connection = uow.connection
    dialect = connection.dialect.name
    key = (f"under requests:{dialect}", id(uow.tables["service_request"]))
    read = _STATEMENTS.get(key)
    if read is None:
        statement = _under_requests(uow, dialect)
        read = _STATEMENTS[key] = (statement, statement)
    with translated("service_request"):
        result = connection.execute(read[0], {"k_ids": list(request_ids)})
        rows = result.mappings().all()
    orders = _each(uow, "o", "service_order", rows)
    if orders and len(orders) <= MOST_ROWS and uow.deferring:
        uow.read_rows("service_order", orders)
    return (
        orders,
        _each(uow, "s", "routing_step", rows),
        _each(uow, "g", "locality_group_unit", rows),
    )


def _under_requests(uow: SqlUnitOfWork, dialect: str) -> sa.Select[Any]:
    """:func:`read_under_requests`'s statement: the requests ``k_ids`` (an
    array on PostgreSQL, an expanding ``IN`` elsewhere) joined to their
    orders, steps and localities' units by group, each table aliased."""
    a = _aliased(
        uow,
        r="service_request",
        o="service_order",
        s="routing_step",
        g="locality_group_unit",
    )
    r, o, s, g = (a[k] for k in "rosg")
    joined = (
        r.outerjoin(o, o.c.request_id == r.c.id)
        .outerjoin(s, s.c.request_id == r.c.id)
        .outerjoin(g, g.c.locality_id == r.c.locality_id)
    )
    if dialect == "postgresql":
        ids = sa.bindparam("k_ids", type_=postgresql.ARRAY(sa.BigInteger))
        among = r.c.id == sa.any_(ids)
    else:
        among = r.c.id.in_(sa.bindparam("k_ids", expanding=True))
    return (
        sa.select(*_labelled({"o": o, "s": s, "g": g})).select_from(joined).where(among)
    )


def read_reactivation(uow: SqlUnitOfWork, request_id: int) -> None:
    """Lock closed request ``request_id``, then its property (each its own
    statement, in ADR 0004's order), and read, in one statement after both,
    the request, its successors, its property with the property's customers
    and requests: what reactivating it reads."""
    lock, read = _statements(uow, "reactivation")
    connection = uow.connection
    params = {"k_request": request_id}
    if connection.dialect.name != "sqlite":
        with translated("service_request", request_id):
            locked = connection.execute(lock, params).first()
        if locked is None:
            return
        if locked.property_id is not None:
            property_lock = _opening_lock(uow)
            with translated("property", locked.property_id):
                connection.execute(property_lock, {"k_property": locked.property_id})
    with translated("service_request", request_id):
        rows = connection.execute(read, params).mappings().all()
    if not rows:
        return
    # the request, its successors and the property's requests: one set of
    # columns (``x``), each row's role told apart here
    requests = _each(uow, "x", "service_request", rows)
    request = next((e for e in requests if e.id == request_id), None)
    uow.keep_ahead("service_request", ("lock", (request_id,)), {request_id: request})
    uow.keep_ahead(
        "service_request",
        ("by", (("reactivation_of_id", request_id),)),
        [e for e in requests if e.reactivation_of_id == request_id],
    )
    prop = _entity(uow, "p", "property", rows[0])
    if prop is None:
        return
    uow.keep_ahead("property", ("lock", (prop.id,)), {prop.id: prop})
    of_property = ("by", (("property_id", prop.id),))
    uow.keep_ahead(
        "customer_property", of_property, _each(uow, "c", "customer_property", rows)
    )
    uow.keep_ahead(
        "service_request",
        of_property,
        [e for e in requests if e.property_id == prop.id],
    )


def read_order_update(uow: SqlUnitOfWork, order_id: int) -> None:
    """Read order ``order_id``, its field-file items and their files (UPD-05)
    in one statement, no lock: updating an order reads them and writes the
    order by compare-and-set on the version its caller read."""
    _, read = _statements(uow, "order_update")
    with translated("service_order", order_id):
        rows = uow.connection.execute(read, {"k_order": order_id}).mappings().all()
    if not rows:
        return
    uow.keep_ahead(
        "service_order", ("id", order_id), _entity(uow, "o", "service_order", rows[0])
    )
    items = _each(uow, "i", "field_file_item", rows)
    uow.keep_ahead("field_file_item", ("by", (("order_id", order_id),)), items)
    for file in _each(uow, "f", "field_file", rows):
        uow.keep_ahead("field_file", ("id", file.id), file)


def _keep_request(
    uow: SqlUnitOfWork, request_id: int, rows: Sequence[Any], *, orders: int
) -> Any:
    """Keep the request (for its lock) and its orders (for ``orders``
    reads); the request."""
    request = _entity(uow, "r", "service_request", rows[0])
    uow.keep_ahead("service_request", ("lock", (request_id,)), {request_id: request})
    found = _each(uow, "o", "service_order", rows)
    uow.keep_ahead(
        "service_order", ("by", (("request_id", request_id),)), found, times=orders
    )
    if found and len(found) <= MOST_ROWS and uow.deferring:
        # kept as read: a deferred update of one (closing the request closes
        # its open orders) sets its changed columns only, under psycopg's
        # cache limit of 50 parameters (51 and more before)
        uow.read_rows("service_order", found)
    return request


def _each(uow: SqlUnitOfWork, prefix: str, name: str, rows: Sequence[Any]) -> list[Any]:
    """The entities of ``name`` in the joined rows, once each, by id."""
    found = {e.id: e for row in rows if (e := _entity(uow, prefix, name, row))}
    return [found[k] for k in sorted(found)]


def _locked_rows(uow: SqlUnitOfWork, command: str, request_id: int) -> Sequence[Any]:
    """The request's lock (not on SQLite: its writing transaction holds the
    database's), then the joined rows of ``command``'s read."""
    lock, read = _statements(uow, command)
    connection = uow.connection
    params = {"k_request": request_id}
    if connection.dialect.name != "sqlite":
        with translated("service_request", request_id):
            if connection.execute(lock, params).scalar() is None:
                return []
    with translated("service_request", request_id):
        return connection.execute(read, params).mappings().all()


def _statements(
    uow: SqlUnitOfWork, command: str
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    t = uow.tables
    key = (command, id(t["service_request"]))
    found = _STATEMENTS.get(key)
    if found is not None:
        return found
    r, o = t["service_request"], t["service_order"]
    if command == "order_update":
        i, f = t["field_file_item"], t["field_file"]
        order_id = sa.bindparam("k_order", type_=o.c.id.type)
        read = (
            sa.select(*_labelled({"o": o, "i": i, "f": f}))
            .select_from(
                o.outerjoin(i, i.c.order_id == o.c.id).outerjoin(
                    f, f.c.id == i.c.file_id
                )
            )
            .where(o.c.id == order_id)
        )
        found = _STATEMENTS[key] = (read, read)
        return found
    request_id = sa.bindparam("k_request", type_=r.c.id.type)
    if command in ("reactivation", "refund"):
        build = _reactivation if command == "reactivation" else _refund
        found = _STATEMENTS[key] = build(uow, request_id)
        return found
    lock = sa.select(r.c.id).where(r.c.id == request_id).with_for_update()
    # one row per order (x step x association): a handful; the tables
    # aliased (``o.id AS o_id``): forwarding's text was 7,442 bytes with a
    # schema's name before each column, over psycopg's 4 KiB cache limit
    if command == "forwarding":
        tables = _aliased(
            uow,
            r="service_request",
            o="service_order",
            s="routing_step",
            g="locality_group_unit",
        )
    else:
        tables = _aliased(uow, r="service_request", o="service_order")
    a = tables["r"]
    joined = a.outerjoin(tables["o"], tables["o"].c.request_id == a.c.id)
    if command == "forwarding":
        s, g = tables["s"], tables["g"]
        joined = joined.outerjoin(s, s.c.request_id == a.c.id).outerjoin(
            g, g.c.locality_id == a.c.locality_id
        )
    read = sa.select(*_labelled(tables)).select_from(joined).where(a.c.id == request_id)
    found = _STATEMENTS[key] = (lock, read)
    return found


def _reactivation(
    uow: SqlUnitOfWork, request_id: Any
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The closed request's lock (with its property's id) and the joined read
    of its property, the property's customers and, one set of columns for
    all three, the request itself, its successors and the property's
    requests (one row per customer x request: a handful). The tables are
    aliased and the request's columns read once: 10,057 bytes with a
    schema's name before each column and three copies of the request's
    columns, over psycopg's 4 KiB cache limit (converted on every call)."""
    t = uow.tables
    locking = t["service_request"]
    lock = (
        sa.select(locking.c.id, locking.c.property_id)
        .where(locking.c.id == request_id)
        .with_for_update()
    )
    a = _aliased(
        uow,
        r="service_request",
        p="property",
        c="customer_property",
        x="service_request",
    )
    r, p, c, x = (a[k] for k in "rpcx")
    joined = (
        r.outerjoin(p, p.c.id == r.c.property_id)
        .outerjoin(c, c.c.property_id == p.c.id)
        .outerjoin(
            x,
            sa.or_(
                x.c.id == r.c.id,
                x.c.reactivation_of_id == r.c.id,
                x.c.property_id == r.c.property_id,
            ),
        )
    )
    read = (
        sa.select(*_labelled({"p": p, "c": c, "x": x}))
        .select_from(joined)
        .where(r.c.id == request_id)
    )
    return lock, read


def request_then_property_lock(uow: SqlUnitOfWork, request_id: Any) -> sa.Select[Any]:
    """One statement locking request ``request_id`` and then its property: a
    materialized CTE locks the request, and its row as locked names the
    property the subquery locks next (ADR 0004's order, request before
    property). Its row: the request's id and the property's (``locked``)."""
    r, p = uow.tables["service_request"], uow.tables["property"]
    locked = (
        sa.select(r.c.id, r.c.property_id)
        .where(r.c.id == request_id)
        .with_for_update()
        .cte("locked")
        .prefix_with("MATERIALIZED")
    )
    property_lock = (
        sa.select(p.c.id)
        .where(p.c.id == locked.c.property_id)
        .with_for_update()
        .scalar_subquery()
    )
    return sa.select(locked.c.id, property_lock.label("locked"))


def _refund(
    uow: SqlUnitOfWork, request_id: Any
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The refund request's lock, then its property's (a materialized CTE
    locks the request, and its row as locked names the property the
    subquery locks next: ADR 0004's order), and the joined read of the
    request, its property and, an ``arm`` each (rows that add up instead of
    multiplying), its orders, its payment links, the property's open debts,
    charges and payments."""
    lock = request_then_property_lock(uow, request_id)
    a = _aliased(
        uow,
        r="service_request",
        p="property",
        o="service_order",
        l="request_payment",
        d="open_debt",
        c="charge",
        y="payment",
    )
    arms = sa.union_all(
        *(sa.select(sa.literal_column(str(n)).label("arm")) for n in range(1, 6))
    ).subquery("arms")
    arm, of_property = arms.c.arm, a["r"].c.property_id
    joined = (
        a["r"]
        .outerjoin(a["p"], a["p"].c.id == of_property)
        .join(arms, sa.true())
        .outerjoin(a["o"], sa.and_(arm == 1, a["o"].c.request_id == a["r"].c.id))
        .outerjoin(a["l"], sa.and_(arm == 2, a["l"].c.request_id == a["r"].c.id))
        .outerjoin(a["d"], sa.and_(arm == 3, a["d"].c.property_id == of_property))
        .outerjoin(a["c"], sa.and_(arm == 4, a["c"].c.property_id == of_property))
        .outerjoin(a["y"], sa.and_(arm == 5, a["y"].c.property_id == of_property))
    )
    charged = [a["c"].c[name].label(f"c_{name}") for name in CHARGE_COLUMNS]
    read = (
        sa.select(*_labelled({k: a[k] for k in "rpoldy"}), *charged)
        .select_from(joined)
        .where(a["r"].c.id == request_id)
    )
    return lock, read


def _opening_lock(uow: SqlUnitOfWork) -> Any:
    """The property's lock of the opening (``read_ahead.read_opening``)."""
    p = uow.tables["property"]
    key = ("opening_lock", id(p))
    found = _STATEMENTS.get(key)
    if found is None:
        property_id = sa.bindparam("k_property", type_=p.c.id.type)
        lock = sa.select(p.c.id).where(p.c.id == property_id).with_for_update()
        found = _STATEMENTS[key] = (lock, lock)
    return found[0]


def written(
    ahead: Mapping[tuple[str, object], list[Any]],
    table: str,
    rows: Sequence[tuple[Mapping[str, Any], object]],
) -> dict[tuple[str, object], list[Any]]:
    """``ahead`` once ``table`` was written: ``rows`` (each written row and its
    entity) put into its entries of ``table``; without ``rows`` (an unknown
    write), its entries of ``table`` are forgotten."""
    kept: dict[tuple[str, object], list[Any]] = {}
    for (name, key), (found, times) in ahead.items():
        if name != table:
            kept[(name, key)] = [found, times]
            continue
        if not rows:
            continue
        changed = _rewritten(key, found, rows)
        if changed is not MISSING:
            kept[(name, key)] = [changed, times]
    return kept


def _rewritten(
    key: object, found: Any, rows: Sequence[tuple[Mapping[str, Any], object]]
) -> Any:
    """What a read of ``key`` answers after ``rows`` were written (``MISSING``:
    a read this module does not know: forget it)."""
    if not isinstance(key, tuple) or not key:
        return MISSING
    by_id = {getattr(entity, "id", None): (row, entity) for row, entity in rows}
    if None in by_id:
        return MISSING
    kind = key[0]
    if kind == "id":
        return by_id[key[1]][1] if key[1] in by_id else found
    if kind == "lock":
        wanted = set(key[1])
        return {
            **found,
            **{i: entity for i, (_, entity) in by_id.items() if i in wanted},
        }
    if kind == "by":
        criteria = key[1]
        if any(c not in row for row, _ in by_id.values() for c, _ in criteria):
            return MISSING
        others = [e for e in found if e.id not in by_id]
        matching = [
            entity
            for row, entity in by_id.values()
            if all(row[c] == v for c, v in criteria)
        ]
        return sorted([*others, *matching], key=lambda e: e.id)
    return MISSING
