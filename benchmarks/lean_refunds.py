"""The refund of duplicated payments beside its lean SQL (issue 20).

:func:`lean_refund` does UC1131 (DEV-06..DEV-15, the RA closed, DEV-14) the
way a database engineer would write it by hand (:mod:`benchmarks.lean_sql`):
``BEGIN``; one joined read of the RA and its property (both locked, as the
library locks them), its specification's refund flag, the closing reason, the
user's unit and AUTH-01, its open orders' count and its linked payments (a row
per link); one read of the property's bills; one write statement (the credited
bills, the credits to grant, the payments refunded, the links, the RA closed
and the two outbox rows ``service_request.closed`` and
``accounts.refund_done``, data-modifying CTEs, the outbox counter among
them); ``COMMIT``. The allocation, the retified bills, the credits and the
closing remark are the library's pure rules (:mod:`gsan_core.rules.accounts.refunds`):
the lean version saves the library's persistence, not its rules. The rules
that the library checks and the lean version only asserts (a refund RA,
pending, authorised, without open orders) hold on the rows it is measured on.
PostgreSQL only (the benchmark's database).

:func:`refund_cases` makes the refund RAs both sides refund (a refund
specification, duplicated payments and bills recorded, the RA opened and its
payments linked through the library); :func:`measure` times the two sides
(``python -m benchmarks.commands --only refund``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_orders, lean_sql, scale, scale_commands
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.accounts import Allocation, RefundDone, RequestPayment
from gsan_core.model.billing import (
    BillStatus,
    DebtKind,
    OpenDebt,
    Payment,
    PaymentSituation,
)
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import (
    Requester,
    RequestLocation,
    RequestSituation,
    RequestSpecification,
    ServiceRequestClosed,
)
from gsan_core.rules.accounts import refunds as rules
from gsan_core.rules.accounts.surcharges import month_of
from gsan_core.testing.request_utility import CHANNEL_PHONE

__all__ = [
    "COMMANDS",
    "RefundCase",
    "lean_refund",
    "measure",
    "refund_cases",
    "refund_specification",
]

#: The refund specification the cases are opened with (DEV-03).
SPECIFICATION = 950
#: A specification of the water group whose request type the refund one takes
#: (VAZAMENTO NO RAMAL: routed in the benchmark's localities).
WATER_SPECIFICATION = 679
#: Duplicated payments (and bills) of each case: 60.00 each, 50.00 each.
PAYMENTS = 2
PAID = Decimal("60.00")
BILLED = Decimal("50.00")

COMMANDS = ("refund",)


@attrs.frozen(kw_only=True)
class RefundCase:
    """A refund RA, its property, its linked payments and the bills to credit."""

    request_id: int
    property_id: int
    payment_ids: tuple[int, ...]
    bill_ids: tuple[int, ...]


def refund_specification(gsan: gsan_core.System, *, actor: int) -> None:
    """The refund specification (``duplicate_payment``), once."""
    configuration = gsan.service_requests.configuration
    specifications = {s.id: s for s in configuration.specifications()}
    if SPECIFICATION in specifications:
        return
    configuration.add_specification(
        RequestSpecification(
            id=SPECIFICATION,
            request_type_id=specifications[WATER_SPECIFICATION].request_type_id,
            description="DEVOLUCAO PAGAMENTO DUPLICIDADE",
            deadline_days=5,
            requires_property=True,
            duplicate_payment=True,
        ),
        actor=actor,
    )


def refund_cases(
    gsan: gsan_core.System,
    homes: Sequence[int],
    *,
    ids: Iterator[int],
    unit_id: int,
    actor: int,
) -> list[RefundCase]:
    """A refund RA of each of ``homes`` with :data:`PAYMENTS` duplicated
    payments linked and as many open bills (their ids from ``ids``), made
    through the library."""
    refund_specification(gsan, actor=actor)
    plan = [
        (
            home,
            [next(ids) for _ in range(PAYMENTS)],
            [next(ids) for _ in range(PAYMENTS)],
        )
        for home in homes
    ]
    gsan.billing.record_payments(
        Payment(
            id=ident,
            property_id=home,
            value=PAID,
            paid_on=date(2024, 12, 20),
            reference=202410 + n,
            collection_month=202501,
            situation=PaymentSituation.DUPLICATE,
        )
        for home, paid, _ in plan
        for n, ident in enumerate(paid)
    )
    gsan.billing.record_debts(
        OpenDebt(
            id=ident,
            property_id=home,
            kind=DebtKind.BILL,
            amount=BILLED,
            due_date=date(2024, 11 + n, 10),
            reference=202410 + n,
        )
        for home, _, bills in plan
        for n, ident in enumerate(bills)
    )
    cases = []
    for home, paid, bills in plan:
        opened = gsan.service_requests.open(
            specification_id=SPECIFICATION,
            unit_id=unit_id,
            channel_id=CHANNEL_PHONE,
            actor=actor,
            location=RequestLocation(property_id=home),
            requesters=(Requester(name="ANA", address="RUA 1"),),
            duplicate_payment_ids=paid,
        )
        request_id = opened.request.id
        gsan.accounts.link_duplicate_payments(
            actor=actor, request_id=request_id, payment_ids=paid
        )
        cases.append(
            RefundCase(
                request_id=request_id,
                property_id=home,
                payment_ids=tuple(paid),
                bill_ids=tuple(bills),
            )
        )
    return cases


# ---------------------------------------------------------------- the reads
def _labelled(table: sa.Table, prefix: str) -> list[Any]:
    return [c.label(f"{prefix}{c.key}") for c in table.c]


def _request_read(sql: SqlBackend) -> sa.Select[Any]:
    """The RA ``:k_request`` and its property (locked), its specification's
    flags, the closing reason ``:k_reason``, the user ``:k_actor``'s unit and
    AUTH-01, its open orders' count and its links (``l_*``, a row each)."""
    t = sql.tables
    req, prop, spec, catalog = (
        t["service_request"],
        t["property"],
        t["request_specification"],
        t["catalog_item"],
    )
    order, link = t["service_order"], t["request_payment"]
    actor = sa.bindparam("k_actor", type_=sa.BigInteger)
    open_orders = (
        sa.select(sa.func.count())
        .where(
            order.c.request_id == req.c.id,
            order.c.situation != int(OrderSituation.CLOSED),
        )
        .scalar_subquery()
    )
    return (
        sa.select(
            req.c.version,
            req.c.situation,
            req.c.property_id,
            spec.c.duplicate_payment,
            spec.c.closing_remark_required,
            spec.c.debit_type_id,
            spec.c.service_type_id,
            catalog.c.active.label("reason_active"),
            catalog.c.attributes["executed"].as_boolean().label("executed"),
            open_orders.label("open_orders"),
            lean_orders.home_unit(sql, actor).label("home"),
            lean_orders.may_maintain(sql, actor, req.c.current_unit_id).label(
                "authorised"
            ),
            *_labelled(link, "l_"),
        )
        .select_from(
            req.join(prop, prop.c.id == req.c.property_id)
            .join(spec, spec.c.id == req.c.specification_id)
            .join(
                catalog,
                sa.and_(
                    catalog.c.kind == "closing_reason",
                    catalog.c.id == sa.bindparam("k_reason", type_=sa.BigInteger),
                ),
            )
            .outerjoin(link, link.c.request_id == req.c.id)
        )
        .where(req.c.id == sa.bindparam("k_request", type_=sa.BigInteger))
        .order_by(link.c.id)
        .with_for_update(of=[req, prop])
    )


def _bills_read(sql: SqlBackend) -> sa.Select[Any]:
    """The bills of property ``:k_property`` (DEV-06 picks the offered ones)."""
    debt = sql.tables["open_debt"]
    return sa.select(debt).where(
        debt.c.property_id == sa.bindparam("k_property", type_=sa.BigInteger),
        debt.c.kind == DebtKind.BILL.value,
    )


# ---------------------------------------------------------------- the write
def _write(sql: SqlBackend, bills: int, credits: int) -> Any:
    """The write of a refund crediting ``bills`` bills and granting
    ``credits`` credits: one statement of data-modifying CTEs."""
    t = sql.tables
    debt, payment, link, req = (
        t["open_debt"],
        t["payment"],
        t["request_payment"],
        t["service_request"],
    )
    ids = sa.bindparam("k_payments", type_=postgresql.ARRAY(sa.BigInteger))
    request_id = sa.bindparam("k_request", type_=sa.BigInteger)
    closed = (
        sa.update(req)
        .where(req.c.id == request_id, req.c.version == sa.bindparam("k_version"))
        .values(
            situation=int(RequestSituation.CLOSED),
            closed_at=sa.bindparam("r_closed_at", type_=req.c.closed_at.type),
            closing_reason_id=sa.bindparam("r_reason", type_=sa.BigInteger),
            closing_remark=sa.bindparam("r_remark", type_=req.c.closing_remark.type),
            closing_unit_id=sa.bindparam("r_unit", type_=sa.BigInteger),
            closed_by=sa.bindparam("r_by", type_=sa.BigInteger),
            duplicate_of_id=None,
            version=req.c.version + 1,
        )
    )
    # DEV-12: situation 9, the previous one kept in the collection month only
    month = sa.bindparam("k_month", type_=sa.Integer)
    refunded = (
        sa.update(payment)
        .where(
            payment.c.id == sa.func.any(ids),
            payment.c.property_id == sa.bindparam("k_property", type_=sa.BigInteger),
        )
        .values(
            situation=int(PaymentSituation.REFUNDED),
            previous_situation=sa.case(
                (payment.c.collection_month == month, payment.c.situation),
                else_=payment.c.previous_situation,
            ),
            version=payment.c.version + 1,
        )
    )
    links = (
        sa.update(link)
        .where(link.c.request_id == request_id, link.c.payment_id == sa.func.any(ids))
        .values(refunded=True, version=link.c.version + 1)
    )
    retified = [
        sa.update(debt)
        .where(debt.c.id == sa.bindparam(f"b{n}_id", type_=sa.BigInteger))
        .values(
            amount=sa.bindparam(f"b{n}_amount", type_=debt.c.amount.type),
            status=int(BillStatus.RETIFIED),
        )
        for n in range(bills)
    ]
    granted = [
        sa.insert(debt).values(lean_sql.bound(debt, f"c{n}_")) for n in range(credits)
    ]
    return lean_sql.one_statement(
        [closed, refunded, links, *retified, *granted, *lean_sql.outbox_rows(sql, 2)]
    )


@attrs.frozen(kw_only=True)
class _Read:
    """What the joined read gave: its first row and the RA's links."""

    row: Any
    linked: tuple[RequestPayment, ...]


def _read(
    sql: SqlBackend,
    connection: sa.Connection,
    request_id: int,
    *,
    reason_id: int,
    actor: int,
) -> _Read:
    """The joined read, checked (DEV-03, ENC-01..ENC-08 on these rows)."""
    read = lean_sql.built(sql, "refund read", lambda: _request_read(sql))
    rows = (
        connection.execute(
            read, {"k_request": request_id, "k_reason": reason_id, "k_actor": actor}
        )
        .mappings()
        .all()
    )
    row = rows[0]
    assert row["situation"] == int(RequestSituation.PENDING)  # DEV-03
    assert row["duplicate_payment"]
    assert row["authorised"]
    assert row["reason_active"]
    assert row["open_orders"] == 0
    assert not row["closing_remark_required"]
    # no charge (ENC-14) and no survey (ENC-12) for the refund specification
    assert row["debit_type_id"] is None
    assert row["service_type_id"] is None
    names = [c.key for c in sql.tables["request_payment"].c]
    linked = tuple(
        sql.mappers.request_payment.from_row({k: r[f"l_{k}"] for k in names})
        for r in rows
        if r["l_id"] is not None
    )
    return _Read(row=row, linked=linked)


def lean_refund(
    sql: SqlBackend,
    request_id: int,
    *,
    payment_ids: Sequence[int],
    bill_ids: Sequence[int],
    credit_ids: Iterator[int],
    reason_id: int,
    actor: int,
    now: datetime,
    today: date,
) -> list[Allocation]:
    """UC1131 with the RA's closing, lean: ``BEGIN``, the RA, its property
    (locked) and its links, the property's bills, one write, ``COMMIT``.
    Returns the allocations."""
    with sql.engine.begin() as connection:
        found = _read(sql, connection, request_id, reason_id=reason_id, actor=actor)
        row = found.row
        property_id = row["property_id"]
        bills_read = lean_sql.built(sql, "refund bills", lambda: _bills_read(sql))
        bills = rules.offered_bills(
            [
                sql.mappers.open_debt.from_row(r)
                for r in connection.execute(bills_read, {"k_property": property_id})
                .mappings()
                .all()
            ]
        )
        chosen_payments, chosen_bills = rules.ensure_selection(
            request_id=request_id,
            linked=found.linked,
            payment_ids=payment_ids,
            bills=bills,
            bill_ids=bill_ids,
        )
        allocations = rules.allocate(chosen_payments, chosen_bills)
        retified = rules.credit_bills(chosen_bills, allocations)
        left = [a for a in allocations if a.bill_id is None]
        granted = rules.credits_to_grant(
            allocations,
            property_id=property_id,
            ids=[next(credit_ids) for _ in left],
        )
        remark = rules.closing_remark(
            allocations,
            paid_references=[p.reference for p in chosen_payments],
            bill_references={b.id: b.reference for b in chosen_bills},
        )
        values = _values(
            sql,
            request_id=request_id,
            property_id=property_id,
            version=row["version"],
            unit=row["home"],
            payment_ids=[p.payment_id for p in chosen_payments],
            retified=retified,
            granted=granted,
            remark=remark,
            month=month_of(today),
            reason_id=reason_id,
            actor=actor,
            now=now,
        )
        events = _events(
            request_id,
            property_id,
            allocations,
            executed=bool(row["executed"]),
            reason_id=reason_id,
            actor=actor,
            now=now,
        )
        for n, (tag, payload) in enumerate(events):
            values |= lean_sql.event(n, tag, now, actor, payload)
        write = lean_sql.built(
            sql,
            f"refund write {len(retified)} {len(granted)}",
            lambda: _write(sql, len(retified), len(granted)),
        )
        connection.execute(write, values)
    return allocations


def _values(
    sql: SqlBackend,
    *,
    request_id: int,
    property_id: int,
    version: int,
    unit: int | None,
    payment_ids: Sequence[int],
    retified: Sequence[OpenDebt],
    granted: Sequence[OpenDebt],
    remark: str,
    month: int,
    reason_id: int,
    actor: int,
    now: datetime,
) -> dict[str, Any]:
    """The write's parameters (:func:`_write`), outbox rows aside."""
    values: dict[str, Any] = {
        "k_request": request_id,
        "k_version": version,
        "k_property": property_id,
        "k_payments": list(payment_ids),
        "k_month": month,
        "r_closed_at": now,
        "r_reason": reason_id,
        "r_remark": remark.upper(),
        "r_unit": unit,
        "r_by": actor,
    }
    for n, bill in enumerate(retified):
        values |= {f"b{n}_id": bill.id, f"b{n}_amount": bill.amount}
    for n, credit in enumerate(granted):
        values |= lean_sql.params(f"c{n}_", sql.mappers.open_debt.to_row(credit))
    return values


def _events(
    request_id: int,
    property_id: int,
    allocations: Sequence[Allocation],
    *,
    executed: bool,
    reason_id: int,
    actor: int,
    now: datetime,
) -> list[tuple[str, dict[str, Any]]]:
    """The outbox rows' tags and payloads: the RA closed (DEV-14), the refund
    done."""
    on_bills = sum((a.amount for a in allocations if a.bill_id is not None), Decimal(0))
    left = sum((a.amount for a in allocations if a.bill_id is None), Decimal(0))
    events = [
        ServiceRequestClosed(
            occurred_at=now,
            actor=actor,
            request_id=request_id,
            closing_reason_id=reason_id,
            executed=executed,
            closed_at=now,
        ),
        RefundDone(
            occurred_at=now,
            actor=actor,
            request_id=request_id,
            property_id=property_id,
            credited_on_bills=on_bills,
            credit_to_grant=left,
        ),
    ]
    return [
        (e.tag, payload)
        for e, payload in zip(events, serialization.to_dicts(events), strict=True)
    ]


# ---------------------------------------------------------------- measure
#: The attendant (ATENDENTE 0001, in CENTRAL 0001) who opens the refund RAs
#: (the administrator, in the offices' superior unit, refunds: ENC-01).
ATTENDANT = 10_011


def _homes(sql: SqlBackend, limit: int, *, skip: int) -> list[int]:
    """``limit`` properties from the ``skip``-th, the last ids first (the
    other commands take theirs from the first)."""
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(prop.c.id)
                .order_by(prop.c.id.desc())
                .offset(skip)
                .limit(limit)
            ).scalars()
        )


def measure(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` refunds (the RA closed) by each side, on refund RAs of
    properties no earlier repeat used (the last ids: the other commands take
    theirs from the first)."""
    homes = _homes(sql, 2 * count, skip=skip)
    assert len(homes) == 2 * count, len(homes)
    scale_commands.route_water_requests(gsan, sql, homes)
    ids = id_ranges.take("refund")
    cases = refund_cases(gsan, homes, ids=ids, unit_id=ATTENDANT, actor=ATTENDANT)
    scale.analyze(sql)
    reason = gsan.profile.id("closing_reason.service_concluded")
    assert reason is not None

    def library(n: int) -> None:
        case = cases[2 * n]
        gsan.accounts.refund(
            actor=scale.ADMIN,
            request_id=case.request_id,
            payment_ids=case.payment_ids,
            bill_ids=case.bill_ids,
        )

    def baseline(n: int) -> None:
        case = cases[2 * n + 1]
        lean_refund(
            sql,
            case.request_id,
            payment_ids=case.payment_ids,
            bill_ids=case.bill_ids,
            credit_ids=ids,
            reason_id=reason,
            actor=scale.ADMIN,
            now=scale.NOW,
            today=scale.TODAY,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "refund duplicate payments (lean SQL)", size, library_s, baseline_s
    )
