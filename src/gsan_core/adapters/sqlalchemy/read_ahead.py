"""What a command reads, read ahead in one statement after its root's lock.

Closing a service order reads, one statement each, the order, its active
programmings, its property (locked: the root of its open orders and
connections, ADR 0004), the property's water connection, the meter installed
at its water point, that meter and whether a payment slip was issued that day
(DEB-02). :func:`read_closing` reads them in **two**
statements (issue 20; ADR 0006):

1. the lock: the order, ``(SELECT id FROM service_request WHERE id = the
   order's request FOR UPDATE)`` and ``(SELECT id FROM property WHERE id =
   the order's property FOR UPDATE)``, a statement of its own, as ADR 0004
   asks, the request's subquery first (ADR 0004's order: request, then
   property). It locks only when the order has no active programming: the
   roteiros' days come before both in the lock order, and the command locks
   them itself before it reads on (the order read here then answers the
   command's first read of it, which came before any lock too);
2. one joined read, begun after the lock was granted, so its snapshot holds
   everything the previous holder committed: the order, the property, the
   connection, the current installation of the water point and its meter
   (``LEFT JOIN``: each at most one row), whether the order has an active
   programming, and the order's request with the request's orders (issue 20,
   fifth round: the closing user's check, ENC's other open orders, and the
   request's hook, which proposes closing the request when no other order is
   pending).

The rows are handed to the unit of work (:meth:`SqlUnitOfWork.keep_ahead`),
whose repositories answer the *same* reads from them (once, or as many times
as the command reads them after the lock), instead of asking the database; a
read of other rows, one more read of the same rows, or a read after the unit
of work wrote the table other than entity by entity
(``read_ahead_requests.written``) goes to the database as before. On
SQLite, whose writing transaction already holds the database's write lock, the
lock statement is not sent.

Changing a connection's situation (UC0555) closes its order: it reads ahead
as closing does, its joined read also taking the property's block (V-AS4's
networks), its sewer connection, its locality (a sewer feasible billable's
PPP contract), the installation at its well (V-AS3), its debts and its charges (V-AS5; those and the request's orders on rows of
their own, so they add up instead of multiplying), and the order is kept for
the command's own read of it (its type) as well as closing's (``situation``
of :func:`read_closing`). An order without a request (the lock statement's
row says so) is read without the request's columns. Its joined read takes
the installations at either point by their ids alone (``PRESENT`` when one
is there: its repository reads it, on the way to V-AS3's refusal), and the
debts by their ids and the three columns of closing's payment-slip check
(V-AS5 refuses a change with debts unless permitted: a property with debts
has them read whole by its repository, one more statement then only).

Changing a situation's and connecting's joined reads are *positional*
(:func:`_positional`): their columns unlabelled, read by position
(:class:`Positional`), a text under psycopg's 4 KiB, which it converts once
instead of on every call (issue 20, tenth round).

Connecting water or sewer without an order (:func:`read_connecting`) locks the
property and then share-locks its route (billing's field lock, ADR 0004's order:
property, then route) in one statement, and reads the property, its block, its
water and sewer connections, its route's field lock and the consumption
tariffs (V-LA7) in one joined statement after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.mappers import decode_attributes
from gsan_core.adapters.sqlalchemy.ports import CHARGE_COLUMNS, charge_debt
from gsan_core.model.billing import DebtKind
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.service_orders import OrderSituation

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = [
    "keep_request_of_order",
    "read_closing",
    "read_connecting",
    "read_generation",
    "read_opening",
]

#: The entities of the joined read: (prefix, table).
_JOINED = (
    ("o", "service_order"),
    ("p", "property"),
    ("w", "water_connection"),
    ("i", "hydrometer_installation"),
    ("h", "hydrometer"),
)
_STATEMENTS: dict[tuple[str, int], tuple[sa.Select[Any], sa.Select[Any]]] = {}
#: The debt columns changing a situation reads: the id, and what closing's
#: payment-slip check (DEB-02) reads.
_DEBT_COLUMNS = ("id", "kind", "debit_type_id", "issued_on")


class _Present:
    """An entity of the joined row read by its id alone: present, its columns
    not read (its repository reads it, when asked)."""

    def __repr__(self) -> str:
        return "PRESENT"


PRESENT: Any = _Present()


@attrs.frozen
class _Layout:
    """Where a positional read's values are: ``index``, each label's
    position; ``parts``, each prefix's first position and column keys."""

    index: Mapping[str, int]
    parts: Mapping[str, tuple[int, tuple[str, ...]]]


#: The layout of each positional read (:func:`_positional`).
_LAYOUTS: dict[sa.Select[Any], _Layout] = {}


class Positional:
    """A row of a positional read, read by its labels as a mapping row is:
    ``row["o_id"]``, and its entities sliced whole (:meth:`entity`)."""

    __slots__ = ("_layout", "_values")

    def __init__(self, values: Sequence[Any], layout: _Layout) -> None:
        self._values, self._layout = values, layout

    def __getitem__(self, label: str) -> Any:
        return self._values[self._layout.index[label]]

    def __contains__(self, label: object) -> bool:
        return label in self._layout.index

    def entity(self, prefix: str, mapper: Any) -> Any:
        """The entity of ``prefix`` (``None`` when absent, ``PRESENT`` when
        read by its id alone)."""
        start, keys = self._layout.parts[prefix]
        values = self._values[start : start + len(keys)]
        if values[keys.index(mapper.id_column)] is None:
            return None
        if len(keys) != len(mapper.table.c):
            return PRESENT
        return mapper.from_row(dict(zip(keys, values, strict=True)))


def _positional(read: sa.Select[Any]) -> sa.Select[Any]:
    """``read`` (every column labelled ``<prefix>_<column>``) without its
    labels: a statement text a third shorter, under psycopg's 4 KiB (it
    converts a longer one on every call), whose rows are read by position
    (:class:`Positional`, the layout kept in ``_LAYOUTS``)."""
    labels = [c for c in read.selected_columns if isinstance(c, sa.Label)]
    assert len(labels) == len(read.selected_columns)
    index = {label.name: n for n, label in enumerate(labels)}
    parts: dict[str, tuple[int, list[str]]] = {}
    for n, label in enumerate(labels):
        prefix, _, key = label.name.partition("_")
        if key:
            parts.setdefault(prefix, (n, []))[1].append(key)
    bare = read.with_only_columns(*(label.element for label in labels))
    bare = bare.set_label_style(sa.LABEL_STYLE_NONE)
    _LAYOUTS[bare] = _Layout(
        index=index,
        parts={prefix: (n, tuple(keys)) for prefix, (n, keys) in parts.items()},
    )
    return bare


def _rows(result: sa.CursorResult[Any], read: sa.Select[Any]) -> Sequence[Any]:
    """The rows of ``result`` of ``read``, by label (positional or not)."""
    layout = _LAYOUTS.get(read)
    if layout is None:
        return result.mappings().all()
    return [Positional(row, layout) for row in result.all()]


def read_closing(uow: SqlUnitOfWork, order_id: int, *, situation: bool = False) -> None:
    """Lock the property of order ``order_id`` and read what closing it reads
    (see the module's text), for the unit of work's repositories; with
    ``situation`` (changing a connection's situation, UC0555) also the
    property's block and sewer connection, and the order kept for one more
    read (the command reads it to check its type before closing reads it)."""
    command = "situation" if situation else "closing"
    lock, read = _statements(uow, command)
    order_reads = 2 if situation else 1
    connection = uow.connection
    sqlite = connection.dialect.name == "sqlite"
    locked: int | None = None
    locked_request: int | None = None
    if not sqlite:
        with translated("service_order", order_id):
            first = connection.execute(lock, {"k_order": order_id}).mappings().first()
        if first is None:
            return
        locked, locked_request = first["locked"], first["locked_request"]
        if locked is None and locked_request is None:
            # a programmed order or one without property nor request: the
            # order as read now, as the command would first read it, and the
            # command locks its roots itself
            order = _entity(uow, "o", "service_order", first)
            uow.keep_ahead("service_order", ("id", order_id), order, times=order_reads)
            return
        if first["o_request_id"] is None:  # no request to read with it
            read = _statements(uow, f"{command}_alone")[1]
    with translated("service_order", order_id):
        result = connection.execute(read, {"k_order": order_id})
        rows = _rows(result, read)
    # one row per payment slip of the property and order of its request (at
    # least one: LEFT JOIN); changing a situation: one row per debt, charge
    # and order of the request, each on a row of its own
    if not rows or len({r["i_id"] for r in rows}) != 1:
        return  # no such order, or two current installations
    if situation and len({r["k_id"] for r in rows}) != 1:
        return  # two current installations at the well
    row = rows[0]
    found = {
        prefix: _entity(uow, prefix, name, row)
        for prefix, name in _JOINED
        if f"{prefix}_id" in row
    }
    order = found["o"]
    if row["programmed"]:
        uow.keep_ahead("service_order", ("id", order_id), order, times=order_reads)
        return
    if order.request_id is not None and (sqlite or locked_request is not None):
        # read before and after the request's lock (both after it here)
        uow.keep_ahead("service_order", ("id", order_id), order, times=order_reads + 1)
        keep_request_of_order(uow, order.request_id, rows)
    else:
        uow.keep_ahead("service_order", ("id", order_id), order, times=order_reads)
    active = (("active", True), ("order_id", order_id))
    uow.keep_ahead("scheduled_order", ("by", active), [])
    prop = found["p"]
    if prop is None or (locked != prop.id and not sqlite):
        return
    uow.keep_ahead("property", ("lock", (prop.id,)), {prop.id: prop})
    uow.keep_ahead("water_connection", ("id", prop.id), found["w"])
    if situation:
        _keep_situation(uow, prop.id, rows)
    point = int(MeasurementPoint.WATER_CONNECTION)
    installation = found["i"]
    if installation is not PRESENT:  # (read by its id alone: not kept)
        current = ("current", prop.id, point)
        uow.keep_ahead("hydrometer_installation", current, installation)
    if installation is not None and "h" in found:
        uow.keep_ahead("hydrometer", ("id", installation.hydrometer_id), found["h"])
    slip = DebtKind.PAYMENT_SLIP.value
    slips = {
        (r["d_debit_type_id"], r["d_issued_on"])
        for r in rows
        if r["d_id"] is not None and r["d_kind"] == slip
    }
    uow.keep_ahead("open_debt", ("payment_slips", prop.id), frozenset(slips))


def _keep_situation(uow: SqlUnitOfWork, property_id: int, rows: Sequence[Any]) -> None:
    """What changing a connection's situation reads besides closing's: the
    property's block (V-AS4's networks), its sewer connection, the meter at
    its well (V-AS3 refuses a change while one is installed at either point)
    and its open debts (its bills and payment slips, and its charges: V-AS5
    asks for a permission to change with debts)."""
    row = rows[0]
    block = _entity(uow, "b", "block", row)
    if block is not None:
        uow.keep_ahead("block", ("id", block.id), block)
    sewer = _entity(uow, "e", "sewer_connection", row)
    uow.keep_ahead("sewer_connection", ("id", property_id), sewer)
    locality = _entity(uow, "l", "locality", row)
    if locality is not None:
        uow.keep_ahead("locality", ("id", locality.id), locality)
    well = _entity(uow, "k", "hydrometer_installation", row)
    point = int(MeasurementPoint.WELL)
    if well is not PRESENT:
        uow.keep_ahead("hydrometer_installation", ("current", property_id, point), well)
    if any(r["d_id"] is not None for r in rows):
        # debts read by their ids alone: V-AS5's refusal, or the change with
        # its permission, reads them whole (one more statement, then only)
        return
    uow.keep_ahead("open_debt", ("of", property_id), [])
    charges = {
        r["c_id"]: charge_debt([r[f"c_{name}"] for name in CHARGE_COLUMNS])
        for r in rows
        if r["c_id"] is not None
    }
    uow.keep_ahead("charge", ("of", property_id), list(charges.values()))


def keep_request_of_order(
    uow: SqlUnitOfWork, request_id: int, rows: Sequence[Any]
) -> None:
    """The request of the order being closed (locked), read by the closing
    user's check and by the request's hook, and its orders: all of them (the
    request's other open orders, ENC) and its pending ones (the hook's
    proposal to close the request, read after the closing's own write)."""
    request = _entity(uow, "r", "service_request", rows[0])
    if request is None:
        return
    uow.keep_ahead("service_request", ("lock", (request_id,)), {request_id: request})
    uow.keep_ahead("service_request", ("id", request_id), request, times=2)
    found = {e.id: e for row in rows if (e := _entity(uow, "q", "service_order", row))}
    orders = [found[k] for k in sorted(found)]
    of_request = (("request_id", request_id),)
    uow.keep_ahead("service_order", ("by", of_request), orders)
    pending = (*of_request, ("situation", int(OrderSituation.PENDING)))
    uow.keep_ahead(
        "service_order",
        ("by", pending),
        [o for o in orders if o.situation is OrderSituation.PENDING],
    )


def read_opening(uow: SqlUnitOfWork, property_id: int, *, lock: bool = True) -> None:
    """Lock property ``property_id`` (its own statement, ADR 0004) and read,
    in one statement after it, the property, its customers and its requests:
    what opening a request on it reads (INS-09, the requester's register).
    ``lock=False``: the read alone, for a check of the opening that writes
    nothing and rolls back (the property's lock then answered unlocked)."""
    locking, read = _statements(uow, "opening")
    connection = uow.connection
    sqlite = connection.dialect.name == "sqlite"
    params = {"k_property": property_id}
    if lock and not sqlite:
        with translated("property", property_id):
            if connection.execute(locking, params).scalar() is None:
                return
    with translated("property", property_id):
        rows = connection.execute(read, params).mappings().all()
    if not rows:
        return
    prop = _entity(uow, "p", "property", rows[0])
    uow.keep_ahead("property", ("lock", (property_id,)), {property_id: prop})
    of_property = ("by", (("property_id", property_id),))
    for prefix, name in (("c", "customer_property"), ("r", "service_request")):
        found = {e.id: e for row in rows if (e := _entity(uow, prefix, name, row))}
        uow.keep_ahead(name, of_property, [found[k] for k in sorted(found)])


def read_generation(uow: SqlUnitOfWork, property_id: int) -> None:
    """Read property ``property_id`` and the active units of its locality (the
    order's first unit) in one statement: generating an order on it reads
    both, neither under a lock (a rule that locks the property reads it again
    under its lock)."""
    _, read = _statements(uow, "generation")
    with translated("property", property_id):
        rows = (
            uow.connection.execute(read, {"k_property": property_id}).mappings().all()
        )
    if not rows:
        return
    prop = _entity(uow, "p", "property", rows[0])
    uow.keep_ahead("property", ("id", property_id), prop)
    units = [u for row in rows if (u := _entity(uow, "u", "unit", row))]
    criteria = (("active", True), ("locality_id", prop.locality_id))
    uow.keep_ahead("unit", ("by", criteria), units)


def read_connecting(uow: SqlUnitOfWork, property_id: int) -> None:
    """Lock property ``property_id``, then share-lock its route (one statement
    of its own: a materialized CTE locks the property before the route's
    subquery runs, ADR 0004's order), and read, in one statement after it,
    what connecting water or sewer reads: the property, its block (the
    networks), its water and sewer connections, its route's field lock (read
    only on a simultaneous-printing route, as ``field_lock.locked_reference``)
    and every consumption tariff (one row each, V-LA7)."""
    lock, read = _statements(uow, "connecting")
    connection = uow.connection
    params = {"k_property": property_id}
    if connection.dialect.name != "sqlite":
        with translated("property", property_id):
            if connection.execute(lock, params).first() is None:
                return
    with translated("property", property_id):
        rows = _rows(connection.execute(read, params), read)
    if not rows:
        return
    row = rows[0]
    prop = _entity(uow, "p", "property", row)
    uow.keep_ahead("property", ("lock", (property_id,)), {property_id: prop})
    block = _entity(uow, "b", "block", row)
    if block is not None:
        uow.keep_ahead("block", ("id", block.id), block)
    for prefix, name in (("w", "water_connection"), ("s", "sewer_connection")):
        uow.keep_ahead(name, ("id", property_id), _entity(uow, prefix, name, row))
    # no route, or one not printed in the field: no lock (locked_reference)
    found = row["reference"] if row["simultaneous_printing"] else None
    reference = None if found is None else int(found)
    uow.keep_ahead("field_lock", ("reference", property_id), reference)
    tariffs = {item.id: item for r in rows if (item := _tariff(r)) is not None}
    uow.keep_ahead(
        "catalog_item",
        ("list", "consumption_tariff"),
        [tariffs[k] for k in sorted(tariffs)],
    )


def _tariff(row: Any) -> CatalogItem | None:
    """The consumption tariff of the joined row (``None`` when absent)."""
    if row["t_id"] is None:
        return None
    return CatalogItem(
        kind=row["t_kind"],
        id=row["t_id"],
        description=row["t_description"],
        abbreviation=row["t_abbreviation"],
        active=row["t_active"],
        attributes=decode_attributes(row["t_attributes"]),
        version=row["t_version"],
    )


def _entity(uow: SqlUnitOfWork, prefix: str, name: str, row: Any) -> Any:
    """The entity of ``name`` in the joined row (``None`` when absent)."""
    mapper = getattr(uow.mappers, name)
    if isinstance(row, Positional):
        return row.entity(prefix, mapper)
    table = uow.tables[name]
    if row[f"{prefix}_{mapper.id_column}"] is None:
        return None
    return mapper.from_row({c.key: row[f"{prefix}_{c.key}"] for c in table.c})


def _statements(
    uow: SqlUnitOfWork, command: str
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The lock and the joined read of ``command``, built once per set of
    tables."""
    key = (command, id(uow.tables["property"]))
    found = _STATEMENTS.get(key)
    if found is None:
        build = {
            "closing": _build,
            "closing_alone": _build_alone,
            "situation": _build_situation,
            "situation_alone": _build_situation_alone,
            "opening": _build_opening,
            "generation": _build_generation,
            "connecting": _build_connecting,
        }[command]
        found = _STATEMENTS[key] = build(uow)
    return found


def _labelled(tables: Mapping[str, sa.FromClause]) -> list[sa.Label[Any]]:
    """Every column of ``tables`` labelled ``<prefix>_<column>``."""
    return [c.label(f"{prefix}_{c.key}") for prefix, t in tables.items() for c in t.c]


def _build_situation(uow: SqlUnitOfWork) -> tuple[sa.Select[Any], sa.Select[Any]]:
    return _build(uow, situation=True)


def _build_alone(uow: SqlUnitOfWork) -> tuple[sa.Select[Any], sa.Select[Any]]:
    return _build(uow, request=False)


def _build_situation_alone(
    uow: SqlUnitOfWork,
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    return _build(uow, situation=True, request=False)


def _aliased(uow: SqlUnitOfWork, **names: str) -> dict[str, sa.FromClause]:
    """The tables ``names`` gives, each under its prefix as an alias (``o.id
    AS o_id``, not the schema-qualified name: a statement text a quarter as
    long, which psycopg converts once and keeps when under 4 KiB)."""
    return {prefix: uow.tables[name].alias(prefix) for prefix, name in names.items()}


def _build(
    uow: SqlUnitOfWork, *, situation: bool = False, request: bool = True
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """Closing's lock and joined read (``situation``: changing a connection's
    situation's); without ``request``, the read of an order that has none
    (the lock statement said so): without the request's and its orders' 77
    columns, which psycopg would describe on every call."""
    a = _aliased(
        uow,
        o="service_order",
        p="property",
        w="water_connection",
        i="hydrometer_installation",
        h="hydrometer",
        s="scheduled_order",
        r="service_request",
        q="service_order",
    )
    o, p, w, i, h, s, r = (a[k] for k in "opwihsr")
    order_id = sa.bindparam("k_order", type_=o.c.id.type)
    programmed = sa.exists().where(s.c.order_id == order_id, s.c.active.is_(True))
    lock = _lock(a, programmed, order_id)
    # changing a situation reads the installation's id alone (V-AS3 refuses
    # the change while one is installed: its columns only in that case)
    tables = {k: a[k] for k in ("opw" if situation else "opwi")}
    joined = (
        o.outerjoin(p, p.c.id == o.c.property_id)
        .outerjoin(w, w.c.id == o.c.property_id)
        .outerjoin(i, _current(i, o, MeasurementPoint.WATER_CONNECTION))
    )
    if not situation:
        # the meter closing reads for its cut reading; a change of situation
        # is refused with a meter installed (V-AS3): its 25 columns are left
        tables["h"] = h
        joined = joined.outerjoin(h, h.c.id == i.c.hydrometer_id)
    if request:
        tables["r"] = r
        joined = joined.outerjoin(r, r.c.id == o.c.request_id)
    if situation:
        changing = _situation_read(uow, tables, joined, i, programmed, request=request)
        return lock, _positional(changing.where(o.c.id == order_id))
    # one row per payment slip and order of the request (a handful)
    d = uow.tables["open_debt"].alias("d")
    joined = joined.outerjoin(
        d,
        sa.and_(
            d.c.property_id == o.c.property_id,
            d.c.kind == DebtKind.PAYMENT_SLIP.value,
        ),
    )
    if request:
        q = a["q"]
        tables["q"] = q
        joined = joined.outerjoin(q, q.c.request_id == o.c.request_id)
    read = (
        sa.select(
            *_labelled(tables),
            d.c.id.label("d_id"),
            d.c.kind.label("d_kind"),
            d.c.debit_type_id.label("d_debit_type_id"),
            d.c.issued_on.label("d_issued_on"),
            programmed.label("programmed"),
        )
        .select_from(joined)
        .where(o.c.id == order_id)
    )
    return lock, read


def _lock(
    a: Mapping[str, sa.FromClause],
    programmed: sa.Exists,
    order_id: sa.BindParameter[Any],
) -> sa.Select[Any]:
    """Closing's lock statement: the order (read before the lock, as the
    command reads it first), its request and its property locked when it has
    no active programming, in ADR 0004's order: the request's subquery is
    evaluated first."""
    o, p, r = a["o"], a["p"], a["r"]
    locked_request = (
        sa.select(r.c.id)
        .where(r.c.id == o.c.request_id, ~programmed)
        .with_for_update()
        .scalar_subquery()
    )
    locked = (
        sa.select(p.c.id)
        .where(p.c.id == o.c.property_id, ~programmed)
        .with_for_update()
        .scalar_subquery()
    )
    return sa.select(
        *_labelled({"o": o}),
        locked_request.label("locked_request"),
        locked.label("locked"),
    ).where(o.c.id == order_id)


def _current(
    i: sa.FromClause, o: sa.FromClause, point: MeasurementPoint
) -> sa.ColumnElement[bool]:
    """``i`` is the installation at ``point`` of order ``o``'s property now."""
    return sa.and_(
        i.c.property_id == o.c.property_id,
        i.c.point == int(point),
        i.c.removed_on.is_(None),
    )


def _situation_read(
    uow: SqlUnitOfWork,
    tables: Mapping[str, sa.FromClause],
    joined: sa.Join,
    i: sa.FromClause,
    programmed: sa.Exists,
    *,
    request: bool,
) -> sa.Select[Any]:
    """Closing's joined read, for changing a connection's situation, also
    taking the property's block and sewer connection and the installation at
    its well (one row each), and its debts (every kind, payment slips among
    them), its charges and the orders of the order's request: each of those
    on rows of their own (an ``arm`` of 1, 2 or 3 LEFT JOINs them), so the
    rows add up instead of multiplying."""
    o, p = tables["o"], tables["p"]
    a = _aliased(
        uow,
        b="block",
        e="sewer_connection",
        l="locality",
        k="hydrometer_installation",
        d="open_debt",
        c="charge",
        q="service_order",
    )
    b, e, lo, k, d, c, q = (a[n] for n in "belkdcq")
    arms = sa.union_all(
        *(sa.select(sa.literal_column(str(n)).label("arm")) for n in (1, 2, 3))
    ).subquery("arms")
    arm = arms.c.arm
    joined = (
        joined.outerjoin(b, b.c.id == p.c.block_id)
        .outerjoin(e, e.c.id == o.c.property_id)
        .outerjoin(lo, lo.c.id == p.c.locality_id)
        .outerjoin(k, _current(k, o, MeasurementPoint.WELL))
        .join(arms, sa.true())
        .outerjoin(d, sa.and_(arm == 1, d.c.property_id == o.c.property_id))
        .outerjoin(c, sa.and_(arm == 2, c.c.property_id == o.c.property_id))
    )
    read = {**tables, "b": b, "e": e, "l": lo}
    if request:
        joined = joined.outerjoin(
            q, sa.and_(arm == 3, q.c.request_id == o.c.request_id)
        )
        read["q"] = q
    charged = [c.c[name].label(f"c_{name}") for name in CHARGE_COLUMNS]
    # the installations at either point by their ids alone (``PRESENT``),
    # the debts by their ids and closing's payment-slip columns (V-AS5
    # counts them: a property with debts has them read whole, by its
    # repository, only when it has some)
    ids = [i.c.id.label("i_id"), k.c.id.label("k_id")]
    debts = [d.c[name].label(f"d_{name}") for name in _DEBT_COLUMNS]
    return sa.select(
        *_labelled(read), *ids, *debts, *charged, programmed.label("programmed")
    ).select_from(joined)


def _build_opening(uow: SqlUnitOfWork) -> tuple[sa.Select[Any], sa.Select[Any]]:
    t = uow.tables
    property_id = sa.bindparam("k_property", type_=t["property"].c.id.type)
    lock = (
        sa.select(t["property"].c.id)
        .where(t["property"].c.id == property_id)
        .with_for_update()
    )
    # one row per customer x request (a handful): each entity kept once; the
    # tables aliased (5,523 bytes with a schema's name before each column,
    # over psycopg's 4 KiB cache limit: converted anew on every call)
    a = _aliased(uow, p="property", c="customer_property", r="service_request")
    p, c, r = a["p"], a["c"], a["r"]
    read = (
        sa.select(*_labelled({"p": p, "c": c, "r": r}))
        .select_from(
            p.outerjoin(c, c.c.property_id == p.c.id).outerjoin(
                r, r.c.property_id == p.c.id
            )
        )
        .where(p.c.id == property_id)
    )
    return lock, read


def _build_generation(uow: SqlUnitOfWork) -> tuple[sa.Select[Any], sa.Select[Any]]:
    t = uow.tables
    p, u = t["property"], t["unit"]
    property_id = sa.bindparam("k_property", type_=p.c.id.type)
    read = (
        sa.select(*_labelled({"p": p, "u": u}))
        .select_from(
            p.outerjoin(
                u, sa.and_(u.c.locality_id == p.c.locality_id, u.c.active.is_(True))
            )
        )
        .where(p.c.id == property_id)
        .order_by(u.c.id)
    )
    return read, read


def _build_connecting(uow: SqlUnitOfWork) -> tuple[sa.Select[Any], sa.Select[Any]]:
    # each table under a one-letter alias (``_aliased``): a read under 4 KiB
    a = _aliased(
        uow,
        p="property",
        b="block",
        r="route",
        f="field_lock",
        w="water_connection",
        s="sewer_connection",
        c="catalog_item",
    )
    p, b, r, f, w, s, c = (a[k] for k in "pbrfwsc")
    property_id = sa.bindparam("k_property", type_=p.c.id.type)
    lock = _connecting_lock(uow, property_id)
    # one row per consumption tariff (a handful), each kept once
    read = (
        sa.select(
            *_labelled({"p": p, "b": b, "w": w, "s": s}),
            r.c.simultaneous_printing.label("simultaneous_printing"),
            f.c.reference.label("reference"),
            *[col.label(f"t_{col.key}") for col in c.c],
        )
        .select_from(
            p.outerjoin(b, b.c.id == p.c.block_id)
            .outerjoin(w, w.c.id == p.c.id)
            .outerjoin(s, s.c.id == p.c.id)
            .outerjoin(r, r.c.id == p.c.route_id)
            .outerjoin(f, f.c.route_id == r.c.id)
            .outerjoin(c, c.c.kind == "consumption_tariff")
        )
        .where(p.c.id == property_id)
        .order_by(c.c.id)
    )
    return lock, _positional(read)


def _connecting_lock(
    uow: SqlUnitOfWork, property_id: sa.BindParameter[Any]
) -> sa.Select[Any]:
    """The property locked first (MATERIALIZED: the CTE runs, and locks,
    before the route's subquery reads its route_id), then its route
    share-locked."""
    p, r = uow.tables["property"], uow.tables["route"]
    locked = (
        sa.select(p.c.id, p.c.route_id)
        .where(p.c.id == property_id)
        .with_for_update()
        .cte("locked")
        .prefix_with("MATERIALIZED")
    )
    route = (
        sa.select(r.c.id)
        .where(r.c.id == locked.c.route_id)
        .with_for_update(read=True)
        .scalar_subquery()
    )
    return sa.select(locked.c.id, route.label("route"))
