"""Service-request benchmarks: the library against hand-written SQLAlchemy Core.

1. **Opening a request with routing and an automatic order** (SQLite file and
   PostgreSQL): ``gsan.service_requests.open(...)`` of "VAZAMENTO NO RAMAL", routed
   by locality x group through the dispatch centre, with its automatic OS, one
   transaction each. The baseline is one hand-written transaction per request
   that makes the same decisions with the fewest reads (the specification, its
   request type and group, the channel, the attendance unit, the user's unit, the
   property, a pending duplicate, the routing row joined with its unit and
   dispatch centre, the service type, the automatic message) and does the same
   writes (the request, its routing step, the order, the order's unit record and
   the three outbox events) with client-side ids.
2. **Batch closing** of pending requests across localities (PostgreSQL; 50,000
   requests over 50 localities, half of them with a pending order): the library's
   ``execute_closing_command`` (one unit of work per locality, through
   ``run_batch``) against a hand-written set-based closing per locality (one
   candidate query, one ``UPDATE ... WHERE id IN`` per table, the unit records, the
   outbox events and the command's counters). The figure is rows closed per
   second; the library is run a second time to show it closes nothing twice.

``python -m benchmarks.requests [--quick]``
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import gsan_core
from benchmarks.harness import render
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.adapters.sqlalchemy.schema import build_tables
from gsan_core.model.service_orders import OrderOrigin, OrderSituation, ServiceOrder
from gsan_core.model.service_requests import (
    Requester,
    RequestLocation,
    RequestSituation,
    ServiceRequest,
)
from gsan_core.testing import SteppingClock
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    GROUP_WATER,
    RequestUtility,
    build_request_utility,
    request_profile,
)

POSTGRES_URL = os.environ.get(
    "GSAN_CORE_TEST_POSTGRES_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
)
AREA = "service_requests"
SPECIFICATION = 679  # VAZAMENTO NO RAMAL: urgent, automatic OS 679
ANA = (Requester(name="ANA", address="RUA 1"),)


def figure(
    name: str, backend: str, size: int, library: float, baseline: float
) -> dict[str, Any]:
    return {
        "area": AREA,
        "name": name,
        "backend": backend,
        "size": size,
        "library_s": round(library, 4),
        "baseline_s": round(baseline, 4),
        "ratio": round(library / baseline, 3),
        "rate": round(size / library, 1),
    }


# ---------------------------------------------------------------- databases
@contextmanager
def database(backend: str) -> Iterator[SqlBackend | None]:
    """A fresh SQLite file or PostgreSQL schema (``None`` when unreachable)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            engine = create_engine(f"sqlite:///{Path(scratch) / 'bench.db'}")
            sql = SqlBackend(engine, tables=build_tables(), owns_engine=True)
            sql.create_all()
            try:
                yield sql
            finally:
                sql.dispose()
        return
    try:
        engine = create_engine(POSTGRES_URL, pool_size=4)
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with engine.begin() as connection:
            connection.execute(sa.schema.CreateSchema(schema))
    except Exception as error:
        print(f"PostgreSQL unreachable ({error}); skipped", file=sys.stderr)
        yield None
        return
    sql = SqlBackend(engine, tables=build_tables(schema=schema))
    sql.create_all()
    try:
        yield sql
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def system(sql: SqlBackend) -> gsan_core.System:
    gsan = gsan_core.System(
        uow_factory=sql.uow_factory,
        profile=request_profile(large_consumer_unit_id=None),
        clock=SteppingClock(step=timedelta(milliseconds=1)),
        keep_events=False,
    )
    gsan.seed()
    return gsan


# ---------------------------------------------------------------- 1. opening
def baseline_open(
    sql: SqlBackend,
    utility: RequestUtility,
    property_id: int,
    ids: Iterator[int],
    now: datetime,
) -> None:
    """One hand-written transaction opening a request like the library does."""
    t = sql.tables
    spec_t, prop_t, req_t = (
        t["request_specification"],
        t["property"],
        t["service_request"],
    )
    lstg, unit, centre = (
        t["locality_group_unit"],
        t["unit"],
        t["unit"].alias("centre"),
    )
    catalog, user_t = t["catalog_item"], t["user"]

    def reference(conn: sa.Connection, kind: str, ident: int) -> Any:
        return conn.execute(
            sa.select(
                catalog.c.active, catalog.c.description, catalog.c.attributes
            ).where(catalog.c.kind == kind, catalog.c.id == ident)
        ).one()

    with sql.engine.begin() as conn:
        spec = conn.execute(
            sa.select(
                spec_t.c.request_type_id,
                spec_t.c.deadline_days,
                spec_t.c.service_type_id,
                spec_t.c.urgent,
                spec_t.c.message_id,
                spec_t.c.active,
            ).where(spec_t.c.id == SPECIFICATION)
        ).one()
        request_type = reference(conn, "request_type", spec.request_type_id)
        group = reference(
            conn, "request_type_group", request_type.attributes["group_id"]
        )
        assert spec.active
        assert request_type.active
        assert not group.attributes["sewer"]
        assert reference(conn, "request_channel", CHANNEL_PHONE).active
        opening_unit = conn.execute(
            sa.select(t["unit"].c.active, t["unit"].c.may_open_requests).where(
                t["unit"].c.id == utility.call_centre
            )
        ).one()
        assert opening_unit.active
        assert opening_unit.may_open_requests
        home = conn.execute(
            sa.select(user_t.c.unit_id).where(user_t.c.id == utility.attendant)
        ).scalar_one()
        message = reference(conn, "request_message", spec.message_id).description
        prop = conn.execute(
            sa.select(
                prop_t.c.locality_id, prop_t.c.sector_id, prop_t.c.block_id
            ).where(prop_t.c.id == property_id)
        ).one()
        duplicate = conn.execute(
            sa.select(req_t.c.id)
            .where(
                req_t.c.property_id == property_id,
                req_t.c.specification_id == SPECIFICATION,
                req_t.c.situation == RequestSituation.PENDING.value,
            )
            .limit(1)
        ).first()
        assert duplicate is None
        destination = conn.execute(
            sa.select(
                sa.case(
                    (centre.c.accepts_routing.is_(True), centre.c.id), else_=unit.c.id
                )
            )
            .select_from(
                lstg.join(unit, unit.c.id == lstg.c.unit_id).outerjoin(
                    centre, centre.c.id == unit.c.dispatch_centre_id
                )
            )
            .where(
                lstg.c.locality_id == prop.locality_id,
                lstg.c.group_id == GROUP_WATER,
                unit.c.accepts_routing.is_(True),
                unit.c.active.is_(True),
            )
            .order_by(lstg.c.id)
            .limit(1)
        ).scalar_one()
        service_type = conn.execute(
            sa.select(t["service_type"].c.value, t["service_type"].c.priority_id).where(
                t["service_type"].c.id == spec.service_type_id
            )
        ).one()
        request_id, step_id, order_id, unit_row_id = (next(ids) for _ in range(4))
        due = now.date() + timedelta(days=spec.deadline_days)
        request_row: dict[str, Any] = {c.name: None for c in req_t.c}
        request_row.update(
            id=request_id,
            specification_id=SPECIFICATION,
            situation=RequestSituation.PENDING.value,
            attended_at=now,
            online=True,
            original_due_date=due,
            current_due_date=due,
            channel_id=CHANNEL_PHONE,
            protocol=f"20251{request_id:09d}",
            property_id=property_id,
            locality_id=prop.locality_id,
            sector_id=prop.sector_id,
            block_id=prop.block_id,
            requesters=[{"name": "ANA", "address": "RUA 1", "principal": True}],
            opening_unit_id=utility.call_centre,
            opened_by=utility.attendant,
            current_unit_id=destination,
            observation=message,
            reiterations=0,
            urgent=spec.urgent,
            version=1,
        )
        conn.execute(sa.insert(req_t), [request_row])
        conn.execute(
            sa.insert(t["routing_step"]),
            [
                {
                    "id": step_id,
                    "request_id": request_id,
                    "from_unit_id": utility.call_centre,
                    "to_unit_id": destination,
                    "at": now,
                    "registered_by": utility.attendant,
                    "responsible_id": utility.attendant,
                    "remark": "TRAMITE GERADO PELO SISTEMA NA ABERTURA DO REGISTRO",
                    "automatic": True,
                    "version": 1,
                }
            ],
        )
        order_row: dict[str, Any] = {c.name: None for c in t["service_order"].c}
        order_row.update(
            id=order_id,
            service_type_id=spec.service_type_id,
            situation=OrderSituation.PENDING.value,
            origin=OrderOrigin.REQUEST.value,
            property_id=property_id,
            request_id=request_id,
            generated_at=now,
            original_value=service_type.value,
            commercial_applied=False,
            diagnosed=False,
            scheduled=False,
            automatic_closing=False,
            current_unit_id=destination,
            original_priority_id=service_type.priority_id,
            current_priority_id=service_type.priority_id,
            version=1,
        )
        conn.execute(sa.insert(t["service_order"]), [order_row])
        conn.execute(
            sa.insert(t["order_unit"]),
            [
                {
                    "id": unit_row_id,
                    "order_id": order_id,
                    "unit_id": home,
                    "user_id": utility.attendant,
                    "relation": 1,
                    "at": now,
                    "version": 1,
                }
            ],
        )
        payload = {"request_id": request_id, "order_id": order_id}
        conn.execute(
            sa.insert(t["outbox"]),
            [
                {
                    "id": next(ids),
                    "tag": tag,
                    "occurred_at": now,
                    "actor": utility.attendant,
                    "payload": payload,
                    "published_at": None,
                }
                for tag in (
                    "service_request.opened",
                    "service_request.urgent_alert",
                    "service_order.generated",
                )
            ],
        )


def opening(backend: str, count: int) -> dict[str, Any] | None:
    with database(backend) as sql:
        if sql is None:
            return None
        gsan = system(sql)
        utility = build_request_utility(gsan, properties=2 * count, actor=0)
        properties = [p.id for p in utility.town.properties]
        mine, theirs = properties[:count], properties[count : 2 * count]
        ids = itertools.count(10**9)
        now = gsan.clock.now()
        library = baseline = 0.0
        # interleave in rounds so both sides see the same machine load
        for start in range(0, count, 50):
            began = time.perf_counter()
            for property_id in mine[start : start + 50]:
                result = gsan.service_requests.open(
                    specification_id=SPECIFICATION,
                    unit_id=utility.call_centre,
                    channel_id=CHANNEL_PHONE,
                    actor=utility.attendant,
                    location=RequestLocation(property_id=property_id),
                    requesters=ANA,
                )
                assert result.order is not None
            library += time.perf_counter() - began
            began = time.perf_counter()
            for property_id in theirs[start : start + 50]:
                baseline_open(sql, utility, property_id, ids, now)
            baseline += time.perf_counter() - began
        opened = gsan.service_requests.find_by(specification_id=SPECIFICATION)
        assert len(opened) == 2 * count
        return figure(
            "open RA with routing and an automatic OS",
            backend,
            count,
            library,
            baseline,
        )


# ---------------------------------------------------------------- 2. batch closing
def load_pending(
    sql: SqlBackend,
    gsan: gsan_core.System,
    *,
    requests: int,
    localities: int,
    first_id: int,
    attended: datetime,
    unit_id: int,
) -> None:
    """``requests`` pending requests spread over ``localities``, every other one
    with a pending order, loaded in bulk."""
    rows: list[ServiceRequest] = []
    orders: list[ServiceOrder] = []
    for n in range(requests):
        ident = first_id + n
        rows.append(
            ServiceRequest(
                id=ident,
                specification_id=3,
                attended_at=attended,
                original_due_date=attended.date(),
                current_due_date=attended.date(),
                channel_id=CHANNEL_PHONE,
                protocol=f"20251{ident:09d}",
                locality_id=1 + n % localities,
                street_id=n,
                opening_unit_id=unit_id,
                opened_by=unit_id,
                current_unit_id=unit_id,
            )
        )
        if n % 2 == 0:
            orders.append(
                ServiceOrder(
                    id=ident,
                    service_type_id=350,
                    origin=OrderOrigin.REQUEST,
                    request_id=ident,
                    generated_at=attended,
                    current_unit_id=unit_id,
                )
            )
    factory = sql.uow_factory
    with factory() as uow:
        uow.service_requests.add_many(rows)
        uow.service_orders.add_many(orders)
        uow.commit()
    del gsan


def baseline_close(
    sql: SqlBackend,
    *,
    locality_id: int,
    since: datetime,
    until: datetime,
    reason_id: int,
    command_id: int,
    actor: int,
    unit_id: int,
    now: datetime,
    ids: Iterator[int],
) -> int:
    """A hand-written set-based closing of one locality's pending requests."""
    t = sql.tables
    req, orders = t["service_request"], t["service_order"]
    remark = f"RA ENCERRADO POR MEIO DO COMANDO DE ENCERRAMENTO {command_id}"
    with sql.engine.begin() as conn:
        scheduled = sa.exists(
            sa.select(sa.literal(1)).where(
                orders.c.request_id == req.c.id,
                orders.c.scheduled.is_(True),
                orders.c.situation != OrderSituation.CLOSED.value,
            )
        )
        candidates = list(
            conn.execute(
                sa.select(req.c.id).where(
                    req.c.situation == RequestSituation.PENDING.value,
                    req.c.locality_id == locality_id,
                    req.c.attended_at >= since,
                    req.c.attended_at < until,
                    ~scheduled,
                )
            ).scalars()
        )
        if not candidates:
            return 0
        open_orders = list(
            conn.execute(
                sa.update(orders)
                .where(
                    orders.c.request_id.in_(candidates),
                    orders.c.situation.in_([1, 3, 4]),
                )
                .values(
                    situation=OrderSituation.CLOSED.value,
                    closed_at=now,
                    closing_reason_id=reason_id,
                    closing_remark=remark,
                    version=orders.c.version + 1,
                )
                .returning(orders.c.id)
            ).scalars()
        )
        if open_orders:
            conn.execute(
                sa.insert(t["order_unit"]),
                [
                    {
                        "id": next(ids),
                        "order_id": order_id,
                        "unit_id": unit_id,
                        "user_id": actor,
                        "relation": 3,
                        "at": now,
                        "version": 1,
                    }
                    for order_id in open_orders
                ],
            )
        conn.execute(
            sa.update(req)
            .where(req.c.id.in_(candidates))
            .values(
                situation=RequestSituation.CLOSED.value,
                closed_at=now,
                closing_reason_id=reason_id,
                closing_remark=remark.upper(),
                closing_unit_id=unit_id,
                closed_by=actor,
                version=req.c.version + 1,
            )
        )
        events = [
            {
                "id": next(ids),
                "tag": "service_order.closed",
                "occurred_at": now,
                "actor": actor,
                "payload": {"order_id": o, "closing_reason_id": reason_id},
                "published_at": None,
            }
            for o in open_orders
        ] + [
            {
                "id": next(ids),
                "tag": "service_request.closed",
                "occurred_at": now,
                "actor": actor,
                "payload": {"request_id": r, "closing_reason_id": reason_id},
                "published_at": None,
            }
            for r in candidates
        ]
        conn.execute(sa.insert(t["outbox"]), events)
        commands = t["closing_command"]
        conn.execute(
            sa.update(commands)
            .where(commands.c.id == command_id)
            .values(
                closed_requests=commands.c.closed_requests + len(candidates),
                closed_orders=commands.c.closed_orders + len(open_orders),
                version=commands.c.version + 1,
            )
        )
        return len(candidates)


def batch_closing(requests: int, localities: int) -> dict[str, Any] | None:
    with database("postgresql") as sql:
        if sql is None:
            return None
        gsan = system(sql)
        utility = build_request_utility(gsan, properties=10, actor=0)
        attended = datetime(2025, 1, 3, 12, 0, tzinfo=gsan.clock.now().tzinfo)
        half = requests // 2
        for first_id, period in ((10**8, 2), (2 * 10**8, 1)):
            load_pending(
                sql,
                gsan,
                requests=half,
                localities=localities,
                first_id=first_id,
                attended=attended - timedelta(days=period),
                unit_id=utility.call_centre,
            )
        # the library closes the requests attended on day -1 ...
        command = gsan.service_requests.issue_closing_command(
            period_start=(attended - timedelta(days=1)).date(),
            period_end=(attended - timedelta(days=1)).date(),
            reason_id=32,
            responsible_id=utility.attendant,
            actor=utility.admin,
        )
        progress: list[int] = []
        began = time.perf_counter()
        summary = gsan.service_requests.execute_closing_command(
            command_id=command.id,
            actor=utility.admin,
            progress=lambda p: progress.append(p.units_done),
        )
        library = time.perf_counter() - began
        assert summary.changed == half
        assert progress[-1] == localities
        again = gsan.service_requests.execute_closing_command(
            command_id=command.id, actor=utility.admin
        )
        assert again.changed == 0
        # ... and the baseline those of day -2, with its own command row
        other = gsan.service_requests.issue_closing_command(
            period_start=(attended - timedelta(days=2)).date(),
            period_end=(attended - timedelta(days=2)).date(),
            reason_id=32,
            responsible_id=utility.attendant,
            actor=utility.admin,
        )
        since = datetime.combine(
            (attended - timedelta(days=2)).date(),
            datetime.min.time(),
            tzinfo=attended.tzinfo,
        )
        ids = itertools.count(10**9)
        now = gsan.clock.now()
        began = time.perf_counter()
        closed = sum(
            baseline_close(
                sql,
                locality_id=locality,
                since=since,
                until=since + timedelta(days=1),
                reason_id=32,
                command_id=other.id,
                actor=utility.admin,
                unit_id=utility.management,
                now=now,
                ids=ids,
            )
            for locality in range(1, localities + 1)
        )
        baseline = time.perf_counter() - began
        assert closed == half
        result = figure(
            f"batch closing ({localities} localities)",
            "postgresql",
            half,
            library,
            baseline,
        )
        # rows/s: the target reads library rate >= 0.5 x baseline rate
        result["baseline_rate"] = round(half / baseline, 1)
        return result


def run(quick: bool) -> list[dict[str, Any]]:
    """Every figure of the area (``quick``: small sizes for a smoke run)."""
    opens = 100 if quick else 1000
    found = [opening("sqlite", opens), opening("postgresql", opens)]
    found.append(batch_closing(5_000 if quick else 100_000, 50))
    return [f for f in found if f is not None]


def main(argv: list[str]) -> int:
    """``python -m benchmarks.requests [--quick]``."""
    print(render(run(quick="--quick" in argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
