"""Expiring infraction notices beside its lean hand-written SQL (issue 20,
tenth round).

What a database engineer would write on PostgreSQL for AUT-05
(``inspections.expire_notices``), leaving the rows the library leaves (ids
aside; ``tests/integration/test_lean_notices.py``):

* :func:`lean_expire` — ``BEGIN``, the batch's hold (the library's advisory
  lock of ``notice expiry``, tried in a statement of its own:
  :func:`benchmarks.lean_field_batches.hold`), then per chunk of notices
  **one read** (the due notices joined to their property's categories, their
  order, its type's interest flag, the fine's debit type and DEB-02's
  payment slip of the day) and **one write** (data-modifying CTEs: the
  charges, the notices moved to "appeal expired" by a compare-and-set on
  their versions, the outbox counter and the rows of each
  ``billing.charge_created`` and of the chunk's ``inspection.notices_expired``),
  ``COMMIT``: 5 statements for a run of one chunk (the library's budget is
  11).

The fine is computed by the library's pure rule (:func:`gsan_core.rules.
charges.compute_charge`: installments, interest, the split by category), as
:mod:`benchmarks.lean_refunds` reuses the refund rules: the lean side is
about the SQL. The rows of a write go as JSON documents
(``jsonb_to_recordset``), so the statement is the same whatever the chunk's
size and SQLAlchemy compiles it once.

The whole run is one transaction (the library commits each chunk): the
runs measured here are one chunk. Run twice, it is safe: a second run at
once is refused by the hold (as the library's ``BatchAlreadyRunning``); a
run after it finds nothing due; a notice changed between the read and the
write fails the compare-and-set and the transaction rolls back whole.

:func:`measure` times it beside ``expire_notices`` (``python -m
benchmarks.commands --only expire_notices``): before each call,
:data:`NOTICES` fresh due notices are made outside the timing
(:func:`benchmarks.scale_commands.prepared`), since each call expires every
due notice it finds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import gsan_core
from benchmarks import (
    id_ranges,
    lean_field,
    lean_field_batches,
    lean_sql,
    scale,
    scale_commands,
)
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import Charge, DebtKind
from gsan_core.model.inspections import (
    InfractionNotice,
    InfractionNoticesExpired,
    NoticeSituation,
)
from gsan_core.model.properties import Economies
from gsan_core.model.service_orders import OrderSituation, ServiceOrder
from gsan_core.rules.charges import compute_charge
from gsan_core.services.charges import charge_created

__all__ = ["COMMANDS", "NOTICES", "due_notices", "lean_expire", "measure"]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = ("expire_notices",)
#: Due notices each measured call expires.
NOTICES = 100
#: The library's batch and key (``InspectionService.expire_notices``).
JOB, KEY = "notice expiry", "all"
#: The library's chunk of notices.
CHUNK = 1_000


def _read(sql: SqlBackend) -> Any:
    """A chunk of due notices (after ``:after``, at most ``:limit``) with what
    their fine needs."""
    t = sql.tables
    notice, prop, order, kind, item, debt = (
        t["infraction_notice"],
        t["property"],
        t["service_order"],
        t["service_type"],
        t["catalog_item"],
        t["open_debt"],
    )
    slip = (
        sa.select(sa.literal(1))
        .where(
            debt.c.property_id == notice.c.property_id,
            debt.c.kind == DebtKind.PAYMENT_SLIP.value,
            debt.c.debit_type_id == notice.c.debit_type_id,
            debt.c.issued_on == sa.bindparam("today", type_=sa.Date),
        )
        .exists()
    )
    return (
        sa.select(
            notice.c.id,
            notice.c.version,
            notice.c.installments,
            notice.c.charge_id,
            notice.c.debit_type_id,
            prop.c.id.label("property_id"),
            prop.c.categories,
            order.c.id.label("order_id"),
            order.c.request_id,
            kind.c.charge_interest,
            item.c.attributes[("suggested_value", "decimal")]
            .as_string()
            .label("suggested"),
            slip.label("slip"),
        )
        .select_from(notice)
        .outerjoin(prop, prop.c.id == notice.c.property_id)
        .outerjoin(order, order.c.id == notice.c.order_id)
        .outerjoin(kind, kind.c.id == order.c.service_type_id)
        .outerjoin(
            item,
            sa.and_(item.c.kind == "debit_type", item.c.id == notice.c.debit_type_id),
        )
        .where(
            notice.c.situation == int(NoticeSituation.APPEAL_OPEN),
            notice.c.appeal_until < sa.bindparam("before", type_=sa.Date),
            notice.c.id > sa.bindparam("after", type_=sa.BigInteger),
        )
        .order_by(notice.c.id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
    )


def _recordset(name: str, *columns: sa.ColumnClause[Any]) -> Any:
    """The rows of the JSON parameter ``name`` as a table of ``columns``."""
    return (
        sa.func.jsonb_to_recordset(sa.bindparam(name, type_=JSONB))
        .table_valued(*columns)
        .render_derived(name=name.removeprefix("k_"), with_types=True)
    )


def _write(sql: SqlBackend) -> Any:
    """The chunk's charges, notices and outbox rows in one statement."""
    t = sql.tables
    notice, charge, outbox, counter = (
        t["infraction_notice"],
        t["charge"],
        t["outbox"],
        t["counter"],
    )
    moved = _recordset(
        "k_notices",
        sa.column("id", sa.BigInteger),
        sa.column("version", sa.Integer),
        sa.column("charge_id", sa.BigInteger),
    )
    expired = (
        sa.update(notice)
        .where(notice.c.id == moved.c.id, notice.c.version == moved.c.version)
        .values(
            situation=int(NoticeSituation.APPEAL_EXPIRED),
            charge_id=sa.func.coalesce(moved.c.charge_id, notice.c.charge_id),
            version=notice.c.version + 1,
        )
        .returning(notice.c.id)
        .cte("expired")
    )
    names = [c.key for c in charge.c]
    made = _recordset(
        "k_charges",
        *(sa.column(n, JSONB if n == "shares" else charge.c[n].type) for n in names),
    )
    charged = (
        sa.insert(charge)
        .from_select(names, sa.select(*(made.c[n] for n in names)))
        .returning(charge.c.id)
        .cte("charged")
    )
    events = (
        sa.func.jsonb_array_elements(sa.bindparam("k_events", type_=JSONB))
        .table_valued("value", with_ordinality="n")
        .render_derived(name="events")
    )
    count = sa.bindparam("k_count", type_=sa.Integer)
    bump = (
        sa.dialects.postgresql.insert(counter)
        .values(name="outbox", value=count)
        .on_conflict_do_update(
            index_elements=[counter.c.name], set_={"value": counter.c.value + count}
        )
        .returning(counter.c.value)
        .cte("bump")
    )
    rows = (
        sa.insert(outbox)
        .from_select(
            ["id", "tag", "occurred_at", "actor", "payload", "published_at"],
            sa.select(
                sa.select(bump.c.value).scalar_subquery() - count + events.c.n,
                events.c.value.op("->>")("tag"),
                sa.bindparam("k_now", type_=outbox.c.occurred_at.type),
                sa.bindparam("k_actor", type_=outbox.c.actor.type),
                events.c.value.op("->")("payload"),
                sa.null(),
            ),
        )
        .returning(outbox.c.id)
        .cte("outbox_rows")
    )

    def counted(cte: Any) -> Any:
        return sa.select(sa.func.count()).select_from(cte).scalar_subquery()

    return sa.select(counted(expired), counted(charged), counted(rows)).add_cte(
        expired, charged, bump, rows
    )


def _json(value: Any) -> Any:
    """JSON for the recordsets: decimals and instants as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value))


def _fine(
    gsan: gsan_core.System,
    row: Any,
    *,
    charge_id: int,
    actor: int,
    now: datetime,
) -> Charge | None:
    """The notice's fine, or ``None`` when none is due (the rules of
    ``services.charges.build_charge`` for a notice)."""
    if row.property_id is None or row.order_id is None or row.debit_type_id is None:
        return None
    if row.charge_id is not None or row.suggested is None:
        return None
    value = Decimal(row.suggested)
    if value <= 0 or row.slip:
        return None
    assert not (gsan.profile.system.reject_charges_below_one and value < 1)
    computed = compute_charge(
        value=value,
        installments=max(1, row.installments),
        interest_rate=gsan.profile.system.financing_interest_rate,
        charge_interest=bool(row.charge_interest),
        categories=[
            Economies(
                category_id=e["category_id"],
                subcategory_id=e.get("subcategory_id"),
                count=e["count"],
            )
            for e in row.categories or ()
        ],
    )
    return Charge(
        id=charge_id,
        property_id=row.property_id,
        debit_type_id=row.debit_type_id,
        total=computed.total,
        installments=computed.installments,
        installment_value=computed.installment_value,
        interest_rate=computed.interest_rate,
        service_order_id=row.order_id,
        service_request_id=row.request_id,
        generated_at=now,
        shares=computed.shares,
        actor=actor,
    )


def _chunk_values(
    gsan: gsan_core.System,
    sql: SqlBackend,
    found: Sequence[Any],
    *,
    charge_ids: Iterator[int],
    actor: int,
    now: datetime,
) -> dict[str, Any]:
    """The write's parameters for the chunk ``found``."""
    charges: list[Charge] = []
    notices = []
    for row in found:
        fine = _fine(gsan, row, charge_id=next(charge_ids), actor=actor, now=now)
        if fine is not None:
            charges.append(fine)
        notices.append(
            {
                "id": row.id,
                "version": row.version,
                "charge_id": None if fine is None else fine.id,
            }
        )
    events = [
        *(charge_created(c, at=now) for c in charges),
        InfractionNoticesExpired(
            occurred_at=now,
            actor=actor,
            notice_ids=tuple(row.id for row in found),
            charged=len(charges),
        ),
    ]
    return {
        "k_notices": notices,
        "k_charges": json.loads(
            json.dumps(sql.mappers.charge.to_rows(charges), default=_json)
        ),
        "k_events": json.loads(
            json.dumps(
                [
                    {"tag": e.tag, "payload": p}
                    for e, p in zip(events, serialization.to_dicts(events), strict=True)
                ],
                default=_json,
            )
        ),
        "k_count": len(events),
        "k_now": now,
        "k_actor": actor,
    }


def lean_expire(
    sql: SqlBackend,
    gsan: gsan_core.System,
    *,
    charge_ids: Iterator[int],
    actor: int,
    now: datetime,
    today: date,
    chunk: int = CHUNK,
) -> list[int]:
    """AUT-05 by hand (see the module's text); the notices expired."""
    read = lean_sql.built(sql, "expire read", lambda: _read(sql))
    write = lean_sql.built(sql, "expire write", lambda: _write(sql))
    before = today - timedelta(
        days=gsan.profile.service_orders.notice_appeal_grace_days
    )
    done: list[int] = []
    with sql.engine.begin() as connection:
        lean_field_batches.hold(connection, sql, JOB, KEY)
        while True:
            found = connection.execute(
                read,
                {
                    "today": today,
                    "before": before,
                    "after": done[-1] if done else 0,
                    "limit": chunk,
                },
            ).all()
            if not found:
                break
            values = _chunk_values(
                gsan, sql, found, charge_ids=charge_ids, actor=actor, now=now
            )
            expired, _charged, _rows = connection.execute(write, values).one()
            # the compare-and-set: a notice changed since the read rolls the
            # whole run back
            assert expired == len(found), (expired, len(found))
            done += [row.id for row in found]
            if len(found) < chunk:
                break
    return done


# ---------------------------------------------------------------- measure
#: The actor of every side.
ACTOR = 1
#: The fines' debit type the benchmark adds.
FINE = "MULTA AUTO DE INFRACAO BENCH"


def fine_type(gsan: gsan_core.System) -> int:
    """A debit type of the fines, with a suggested value, added once per
    utility."""
    with gsan.uow_factory() as uow:
        for item in uow.catalog.list("debit_type"):
            if item.description == FINE:
                return item.id
    return gsan.catalog.add(
        "debit_type",
        description=FINE,
        attributes={"suggested_value": Decimal("150.00")},
        actor=ACTOR,
    ).id


def due_notices(
    gsan: gsan_core.System,
    homes: Sequence[int],
    *,
    ids: Iterator[int],
    debit_type: int,
) -> list[int]:
    """One due notice (its appeal ended a month ago) on each of ``homes``,
    each on an inspection order of its own, in 1 to 3 installments; the
    notices' ids."""
    now = gsan.clock.now()
    today = gsan.today()
    orders = [
        ServiceOrder(
            id=next(ids),
            service_type_id=lean_field.INSPECTION,
            situation=OrderSituation.CLOSED,
            property_id=home,
            generated_at=now - timedelta(days=60),
            closed_at=now - timedelta(days=45),
            closing_reason_id=gsan.profile.id("closing_reason.service_concluded"),
        )
        for home in homes
    ]
    notices = [
        InfractionNotice(
            id=next(ids),
            property_id=order.property_id,
            order_id=order.id,
            situation_id=3,
            employee_id=ACTOR,
            issued_on=today - timedelta(days=45),
            appeal_from=today - timedelta(days=45),
            appeal_until=today - timedelta(days=30),
            debit_type_id=debit_type,
            installments=1 + n % 3,
            actor=ACTOR,
        )
        for n, order in enumerate(orders)
    ]
    with gsan.uow_factory() as uow:
        uow.service_orders.add_many(orders)
        uow.infraction_notices.add_many(notices)
        uow.commit()
    return [n.id for n in notices]


def measure(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> list[dict[str, Any]]:
    """``expire_notices``' figure: ``count // 10`` runs (at least 20) a side,
    each expiring :data:`NOTICES` due notices made for it before it, untimed,
    on properties no earlier run used."""
    runs = max(20, count // 10)
    homes = scale_commands.fresh(sql, metered=False, limit=2 * runs * NOTICES)
    assert len(homes) == 2 * runs * NOTICES, len(homes)
    debit_type = fine_type(gsan)
    ids = id_ranges.take("expire_notices")
    charge_ids = id_ranges.take("expire_notices(charge)")
    scale.analyze(sql)

    def prepare(side: int, calls: range) -> list[int]:
        for call in calls:
            first = (2 * call + side) * NOTICES
            due_notices(
                gsan, homes[first : first + NOTICES], ids=ids, debit_type=debit_type
            )
        return [NOTICES] * len(calls)

    def library(expected: int) -> None:
        expired = gsan.inspections.expire_notices(actor=ACTOR)
        assert len(expired) == expected, (len(expired), expected)

    def lean(expected: int) -> None:
        now = gsan.clock.now()
        expired = lean_expire(
            sql, gsan, charge_ids=charge_ids, actor=ACTOR, now=now, today=gsan.today()
        )
        assert len(expired) == expected, (len(expired), expected)

    library_s, lean_s = scale_commands.prepared(
        library, lean, prepare, runs, per_round=1
    )
    name = f"expire infraction notices, {NOTICES} due (lean SQL)"
    return [scale_commands.command_figure(name, size, library_s, lean_s)]
