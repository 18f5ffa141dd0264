"""An infraction notice issued from a field return beside its lean
hand-written SQL (issue 20, notices2).

What a database engineer would write on PostgreSQL for UC0488
(``inspections.inform_return``) when the return finds one situation that
controls infraction notices (FIS-09, AUT-01), leaving the rows the library
leaves (ids aside; ``tests/integration/test_lean_inform_notice.py``):

* :func:`lean_inform_notice` — ``BEGIN``, the order and its property locked
  (``FOR UPDATE OF``, the library's ADR 0004 order), **one joined read**
  (the order, its type, the property's water and sewer situations, the
  situations named and the situations the order's findings hold already),
  the library's pure rules (:func:`gsan_core.rules.inspections.check_return`,
  :func:`gsan_core.rules.inspections.check_notice`), **one write**
  (data-modifying CTEs: the finding, the notice, the outbox counter and the
  rows of ``inspection.notice_issued`` and ``inspection.return_informed``),
  ``COMMIT``: 5 statements.

Its scope is that return: a situation that changes the connection, adds a
collection situation, opens a request or is charged (the library's other
effects) is refused by an assertion, as is a return that leaves out a
finding stored before (FIS-12's removal).

Run twice on one order, it is safe and does what the library does: the
second run finds the situation stored, so it writes no finding and no
notice, only the return's event (``notice_id`` null). Two runs at once
queue on the order's lock; the second reads the first's finding after it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_notices, lean_sql, scale, scale_commands
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.mappers import decode_attributes as decode
from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.inspections import (
    InfractionNotice,
    InfractionNoticeIssued,
    InspectionFinding,
    InspectionReturnInformed,
    SituationFound,
)
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.rules import inspections as rules
from gsan_core.services.inspections.results import NoticeInput

__all__ = [
    "COMMANDS",
    "inspection_setup",
    "lean_inform_notice",
    "lean_update_notice",
    "measure",
    "measure_update_notice",
    "open_notices",
    "pending_inspections",
]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = ("inform_return_notice", "update_notice")
#: The actor of every side.
ACTOR = lean_notices.ACTOR
#: The benchmark's inspection type and situation (added once per utility).
TYPE = "FISCALIZACAO DE INFRACAO BENCH"
SITUATION = "AUTO DE INFRACAO BENCH"


def _lock(sql: SqlBackend) -> Any:
    """The order ``:k_order`` and its property locked."""
    order, prop = sql.tables["service_order"], sql.tables["property"]
    return (
        sa.select(order.c.id)
        .join(prop, prop.c.id == order.c.property_id)
        .where(order.c.id == sa.bindparam("k_order", type_=order.c.id.type))
        .with_for_update(of=[order, prop])
    )


def _read(sql: SqlBackend) -> Any:
    """The order with its type (``t_*``), its property's situations and the
    situations its findings hold, one row per situation ``:k_ids`` found
    active (``c_*``; one row of nulls when none is)."""
    t = sql.tables
    # short aliases: the text stays under psycopg's 4 KiB cache limit
    order, kind, prop, item, finding = (
        t["service_order"].alias("o"),
        t["service_type"].alias("t"),
        t["property"].alias("p"),
        t["catalog_item"].alias("c"),
        t["inspection_finding"].alias("f"),
    )
    held = (
        sa.select(sa.func.array_agg(finding.c.situation_id))
        .where(finding.c.order_id == order.c.id)
        .scalar_subquery()
    )
    return (
        sa.select(
            *order.c,
            *(c.label(f"t_{c.key}") for c in kind.c),
            prop.c.water_status_id.label("x_water"),
            prop.c.sewer_status_id.label("x_sewer"),
            held.label("x_held"),
            *(c.label(f"c_{c.key}") for c in item.c),
        )
        .select_from(order)
        .join(kind, kind.c.id == order.c.service_type_id)
        .join(prop, prop.c.id == order.c.property_id)
        .outerjoin(
            item,
            sa.and_(
                item.c.kind == "inspection_situation",
                item.c.id == sa.any_(sa.bindparam("k_ids", type_=_IDS)),
                item.c.active,
            ),
        )
        .where(order.c.id == sa.bindparam("k_order", type_=order.c.id.type))
    )


_IDS = postgresql.ARRAY(sa.BigInteger)


def _write(sql: SqlBackend, *, issued: bool) -> Any:
    """The finding (``f_*``), the notice (``n_*``) and the two events, one
    statement; only the return's event when ``issued`` is false."""
    t = sql.tables
    if not issued:
        first, *rest = lean_sql.outbox_rows(sql, 1)
        return lean_sql.one_statement([first, *rest])
    finding, notice = t["inspection_finding"], t["infraction_notice"]
    return lean_sql.one_statement(
        [
            sa.insert(finding)
            .values(lean_sql.bound(finding, "f_"))
            .returning(finding.c.id),
            sa.insert(notice).values(lean_sql.bound(notice, "n_")),
            *lean_sql.outbox_rows(sql, 2),
        ]
    )


def _facts(
    sql: SqlBackend, rows: Sequence[Any]
) -> tuple[ServiceOrder, ServiceType, dict[int, CatalogItem]]:
    """The order, its type and the situations of the joined read's rows."""
    first = rows[0]
    order = sql.mappers.service_order.from_row(
        {c.key: first[c.key] for c in sql.tables["service_order"].c}
    )
    kind = sql.mappers.service_type.from_row(
        {c.key: first[f"t_{c.key}"] for c in sql.tables["service_type"].c}
    )
    situations = {
        row["c_id"]: CatalogItem(
            kind=row["c_kind"],
            id=row["c_id"],
            description=row["c_description"],
            abbreviation=row["c_abbreviation"],
            active=row["c_active"],
            attributes=decode(row["c_attributes"]),
            version=row["c_version"],
        )
        for row in rows
        if row["c_id"] is not None
    }
    return order, kind, situations


def _checked(
    sql: SqlBackend,
    gsan: gsan_core.System,
    rows: Sequence[Any],
    found: SituationFound,
    notice: NoticeInput,
    today: date,
) -> tuple[ServiceOrder, CatalogItem | None]:
    """The library's checks of the return and its notice; the order and the
    situation when it is new to the order (``None``: stored before)."""
    order, kind, situations = _facts(sql, rows)
    first = rows[0]
    held = set(first["x_held"] or ())
    assert held <= {found.situation_id}, held  # FIS-12's removal: out of scope
    situation = situations.get(found.situation_id)
    assert situation is not None, found
    assert not found.charge
    assert not situation.flag("validates_water"), situation
    assert not situation.flag("validates_sewer"), situation
    assert situation.integer("collection_situation_id") is None, situation
    violations = rules.check_return(
        order,
        service_type=kind,
        found=[found],
        situations=situations,
        water_rows=(),
        sewer_rows=(),
        water_status_id=first["x_water"],
        sewer_status_id=first["x_sewer"],
        previous=(),
        today=today,
    )
    new = found.situation_id not in held
    if new and situation.flag("controls_notices"):
        violations += _check_notice(notice, today)
    assert not violations, violations
    return order, situation if new else None


def lean_inform_notice(
    sql: SqlBackend,
    gsan: gsan_core.System,
    *,
    order_id: int,
    found: SituationFound,
    notice: NoticeInput,
    ids: Iterator[int],
    actor: int,
    now: datetime,
    today: date,
) -> InfractionNotice | None:
    """UC0488's return of one situation controlling notices, by hand (see the
    module's text); the notice issued (``None`` when the situation was stored
    before)."""
    lock = lean_sql.built(sql, "inform notice lock", lambda: _lock(sql))
    read = lean_sql.built(sql, "inform notice read", lambda: _read(sql))
    with sql.engine.begin() as connection:
        assert connection.execute(lock, {"k_order": order_id}).all(), order_id
        rows = (
            connection.execute(
                read, {"k_order": order_id, "k_ids": [found.situation_id]}
            )
            .mappings()
            .all()
        )
        order, situation = _checked(sql, gsan, rows, found, notice, today)
        issued = None
        if (
            situation is not None
            and situation.flag("controls_notices")
            and gsan.profile.service_orders.controls_infraction_notices
        ):
            issued = _notice(order, situation, notice, ids=ids, actor=actor)
        params = _params(sql, order, situation, found, issued, ids, actor, now)
        write = lean_sql.built(
            sql,
            f"inform notice write {issued is not None}",
            lambda: _write(sql, issued=issued is not None),
        )
        connection.execute(write, params)
    return issued


def _notice(
    order: ServiceOrder,
    situation: CatalogItem,
    data: NoticeInput,
    *,
    ids: Iterator[int],
    actor: int,
) -> InfractionNotice:
    assert data.employee_id is not None
    assert data.issued_on is not None
    return InfractionNotice(
        id=next(ids),
        property_id=order.property_id,
        order_id=order.id,
        situation_id=situation.id,
        employee_id=data.employee_id,
        issued_on=data.issued_on,
        appeal_from=data.appeal_from,
        appeal_until=data.appeal_until,
        debit_type_id=data.debit_type_id,
        installments=data.installments,
        observation=data.observation,
        actor=actor,
    )


def _params(
    sql: SqlBackend,
    order: ServiceOrder,
    situation: CatalogItem | None,
    found: SituationFound,
    issued: InfractionNotice | None,
    ids: Iterator[int],
    actor: int,
    now: datetime,
) -> dict[str, Any]:
    """The write's parameters: the finding and the notice when ``issued``,
    the events."""
    returned = InspectionReturnInformed(
        occurred_at=now,
        actor=actor,
        order_id=order.id,
        situation_ids=(found.situation_id,),
        charge_ids=(),
        notice_id=None if issued is None else issued.id,
    )
    if issued is None:
        (payload,) = serialization.to_dicts([returned])
        return lean_sql.event(0, returned.tag, now, actor, payload)
    assert situation is not None
    finding = InspectionFinding(
        id=next(ids),
        order_id=order.id,
        situation_id=situation.id,
        property_id=order.property_id,
        found_on=found.found_on,
        charged=False,
        operation=None,
        actor=actor,
        recorded_at=now,
    )
    events = [
        InfractionNoticeIssued(
            occurred_at=now,
            actor=actor,
            notice_id=issued.id,
            property_id=order.property_id,
        ),
        returned,
    ]
    params = lean_sql.params("f_", sql.mappers.inspection_finding.to_row(finding))
    params |= lean_sql.params("n_", sql.mappers.infraction_notice.to_row(issued))
    for n, (event, payload) in enumerate(
        zip(events, serialization.to_dicts(events), strict=True)
    ):
        params |= lean_sql.event(n, event.tag, now, actor, payload)
    return params


# ------------------------------------------------------------ update_notice
def _notice_lock(sql: SqlBackend) -> Any:
    """The notice ``:k_id`` locked (every column)."""
    notice = sql.tables["infraction_notice"]
    return (
        sa.select(notice)
        .where(notice.c.id == sa.bindparam("k_id", type_=notice.c.id.type))
        .with_for_update()
    )


def _notice_write(sql: SqlBackend) -> Any:
    """The compare-and-set update of the notice ``:k_id`` at ``:k_version``
    (its other columns ``u_*``)."""
    notice = sql.tables["infraction_notice"]
    names = [c.key for c in notice.c if c.key != "id"]
    return (
        sa.update(notice)
        .where(
            notice.c.id == sa.bindparam("k_id", type_=notice.c.id.type),
            notice.c.version == sa.bindparam("k_version", type_=notice.c.version.type),
        )
        .values(lean_sql.bound(notice, "u_", *names))
        .returning(notice.c.id)
    )


def _check_notice(
    notice: InfractionNotice | NoticeInput, today: date
) -> list[Violation]:
    """AUT-02, the library's pure ``check_notice``, on ``notice``'s dates
    (a return's notice input or a notice's change)."""
    return rules.check_notice(
        employee_id=notice.employee_id,
        issued_on=notice.issued_on,
        appeal_from=notice.appeal_from,
        appeal_until=notice.appeal_until,
        today=today,
    )


def lean_update_notice(
    sql: SqlBackend, notice: InfractionNotice, *, actor: int, today: date
) -> InfractionNotice | None:
    """Manter Autos de Infração by hand: ``BEGIN``, the notice locked (one
    read), AUT-02/AUT-03 (the library's pure ``check_notice`` and
    ``check_notice_change``), the compare-and-set update, ``COMMIT``: 4
    statements, as the library (it writes no event). ``None``, writing
    nothing, when ``notice``'s version is not the stored one (the library's
    ``ConcurrencyConflict``): a second run with the same notice."""
    lock = lean_sql.built(sql, "update notice lock", lambda: _notice_lock(sql))
    write = lean_sql.built(sql, "update notice write", lambda: _notice_write(sql))
    with sql.engine.begin() as connection:
        row = connection.execute(lock, {"k_id": notice.id}).mappings().one()
        stored = sql.mappers.infraction_notice.from_row(row)
        violations = [
            *_check_notice(notice, today),
            *rules.check_notice_change(stored),
        ]
        assert not violations, violations
        if notice.version != stored.version:
            return None
        changed = attrs.evolve(
            notice,
            version=stored.version + 1,
            actor=actor,
            charge_id=stored.charge_id,
            order_id=stored.order_id,
            property_id=stored.property_id,
        )
        values = sql.mappers.infraction_notice.to_row(changed)
        params = lean_sql.params("u_", {k: v for k, v in values.items() if k != "id"})
        params |= {"k_id": notice.id, "k_version": stored.version}
        assert len(connection.execute(write, params).all()) == 1
    return changed


# ---------------------------------------------------------------- measure
def inspection_setup(gsan: gsan_core.System) -> tuple[int, int]:
    """The benchmark's infraction-inspection type and situation controlling
    notices, added once per utility: their ids."""
    with gsan.uow_factory() as uow:
        kinds = list(uow.service_types.find_by(description=TYPE))
        situations = [
            s
            for s in uow.catalog.list("inspection_situation")
            if s.description == SITUATION
        ]
    if kinds:
        type_id = kinds[0].id
    else:
        type_id = next(id_ranges.take("inform_return_notice(type)"))
        gsan.service_orders.add_types(
            [
                ServiceType(
                    id=type_id,
                    description=TYPE,
                    abbreviation="FISC BENCH",
                    infraction_inspection=True,
                )
            ],
            actor=ACTOR,
        )
    if situations:
        return type_id, situations[0].id
    situation = gsan.catalog.add(
        "inspection_situation",
        description=SITUATION,
        attributes={"controls_notices": True},
        actor=ACTOR,
    )
    return type_id, situation.id


def pending_inspections(
    gsan: gsan_core.System,
    homes: Sequence[int],
    *,
    type_id: int,
    ids: Iterator[int],
) -> list[int]:
    """A pending inspection order of ``type_id`` on each of ``homes``: their
    ids."""
    now = gsan.clock.now()
    orders = [
        ServiceOrder(
            id=next(ids),
            service_type_id=type_id,
            situation=OrderSituation.PENDING,
            property_id=home,
            generated_at=now - timedelta(days=2),
        )
        for home in homes
    ]
    with gsan.uow_factory() as uow:
        uow.service_orders.add_many(orders)
        uow.commit()
    return [o.id for o in orders]


def measure(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> list[dict[str, Any]]:
    """``inform_return_notice``'s figure: ``count`` returns a side, each on a
    pending inspection order made for it in its round's untimed set-up, on
    properties no earlier run used."""
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    assert len(homes) == 2 * count, len(homes)
    type_id, situation_id = inspection_setup(gsan)
    fine = lean_notices.fine_type(gsan)
    order_ids = id_ranges.take("inform_return_notice")
    lean_ids = id_ranges.take("inform_return_notice(lean)")
    scale.analyze(sql)
    today = gsan.today()
    found = SituationFound(situation_id=situation_id, found_on=today)
    notice = NoticeInput(
        employee_id=ACTOR,
        issued_on=today,
        appeal_until=today + timedelta(days=15),
        debit_type_id=fine,
        installments=2,
    )

    def prepare(side: int, calls: range) -> list[int]:
        mine = [homes[2 * call + side] for call in calls]
        return pending_inspections(gsan, mine, type_id=type_id, ids=order_ids)

    def library(order_id: int) -> None:
        issued = gsan.inspections.inform_return(
            order_id=order_id, found=[found], actor=ACTOR, notice=notice
        ).notice
        assert issued is not None

    def lean(order_id: int) -> None:
        issued = lean_inform_notice(
            sql,
            gsan,
            order_id=order_id,
            found=found,
            notice=notice,
            ids=lean_ids,
            actor=ACTOR,
            now=gsan.clock.now(),
            today=gsan.today(),
        )
        assert issued is not None

    library_s, lean_s = scale_commands.prepared(library, lean, prepare, count)
    name = "inform a return issuing a notice (lean SQL)"
    return [scale_commands.command_figure(name, size, library_s, lean_s)]


def open_notices(
    gsan: gsan_core.System,
    homes: Sequence[int],
    *,
    ids: Iterator[int],
    debit_type: int,
) -> list[InfractionNotice]:
    """A notice in its appeal period (ending in ten days, so no expiry takes
    it) on each of ``homes``, without an order."""
    today = gsan.today()
    notices = [
        InfractionNotice(
            id=next(ids),
            property_id=home,
            order_id=None,
            situation_id=3,
            employee_id=ACTOR,
            issued_on=today - timedelta(days=5),
            appeal_from=today - timedelta(days=5),
            appeal_until=today + timedelta(days=10),
            debit_type_id=debit_type,
            installments=1,
            actor=ACTOR,
        )
        for home in homes
    ]
    with gsan.uow_factory() as uow:
        uow.infraction_notices.add_many(notices)
        uow.commit()
    return notices


def measure_update_notice(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> list[dict[str, Any]]:
    """``update_notice``'s figure: ``count`` notices a side, each given a new
    observation and appeal end, on notices added before the timing."""
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    assert len(homes) == 2 * count, len(homes)
    notices = open_notices(
        gsan,
        homes,
        ids=id_ranges.take("update_notice"),
        debit_type=lean_notices.fine_type(gsan),
    )
    scale.analyze(sql)

    def changed(notice: InfractionNotice) -> InfractionNotice:
        return attrs.evolve(
            notice,
            observation="RECURSO APRESENTADO",
            appeal_until=notice.appeal_until + timedelta(days=5)
            if notice.appeal_until is not None
            else None,
        )

    def library(n: int) -> None:
        gsan.inspections.update_notice(changed(notices[2 * n]), actor=ACTOR)

    def lean(n: int) -> None:
        done = lean_update_notice(
            sql, changed(notices[2 * n + 1]), actor=ACTOR, today=gsan.today()
        )
        assert done is not None

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    name = "update an infraction notice (lean SQL)"
    return [scale_commands.command_figure(name, size, library_s, lean_s)]
