"""Cut-order generation on a GSAN database against the library's own schema (issue 19).

One synthetic utility (:func:`benchmarks.scale.utility`, PostgreSQL) is copied
into a second database holding GSAN's schema (``GSAN_CORE_LEGACY_DDL``, the
companion and its opt-in locking migrated): localities, sectors, collection
groups, routes (one block per route), units, properties, their open bills
(``faturamento.conta``) and their cut orders (``ordem_servico``). Then the same
harness runs the cut-order batch on both: the service's own chunk function
(``generate_cut_orders``' plan, 8 routes per unit of work: decide, write the
orders and their trail, record the events, commit) over every route of every
group, once through the library's SQL unit of work and once through the legacy
adapter's. The two must generate orders for the same properties; the run
checks it. Figure: properties evaluated per second, and the ratio legacy /
library (the issue's target: at least 0.5).

``python -m benchmarks.legacy [--size 100000] [--repeats 3] [--postgres-url URL]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from tests.legacy.support import ddl_files, ensure_row, load_ddl, seed_reference

import gsan_core
from benchmarks.harness import RESULTS
from benchmarks.scale import analyze, delete_orders, timed, utility
from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile
from gsan_core.adapters.gsan_legacy import migrations as companion
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.model.billing import DebtKind
from gsan_core.services.collection import _CutPlan

ADMIN = 1
CHUNK = 8
_NOT_NULL = sa.text(
    "SELECT column_name, data_type FROM information_schema.columns"
    " WHERE table_schema = :s AND table_name = :t AND is_nullable = 'NO'"
    " AND column_default IS NULL"
)


# ---------------------------------------------------------------- GSAN database
@contextmanager
def gsan_database(url: str) -> Iterator[sa.Engine]:
    """A new database with GSAN's schema, reference rows, the companion schema
    and the opt-in locking; dropped afterwards."""
    base = make_url(url)
    name = f"{base.database}_legacy_bench_{os.getpid()}"
    admin = create_engine(
        base.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = create_engine(
        base.set(database=name).render_as_string(hide_password=False)
    )
    try:
        if not ddl_files():
            msg = "GSAN's DDL not found: set GSAN_CORE_LEGACY_DDL"
            raise SystemExit(msg)
        load_ddl(engine)
        with engine.begin() as connection:
            seed_reference(connection)
        profile = LegacyProfile()
        companion.upgrade(engine, profile, locking=True)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _fillers(connection: sa.Connection, table: str) -> dict[str, Any]:
    """A value for every NOT NULL column without a default (as the tests' rows)."""
    schema, name = table.split(".")
    values: dict[str, Any] = {}
    for column, data_type in connection.execute(_NOT_NULL, {"s": schema, "t": name}):
        if data_type in {"integer", "smallint", "bigint", "numeric"}:
            values[column] = 1
        elif data_type == "date":
            values[column] = datetime(2020, 1, 1).date()  # noqa: DTZ001
        elif data_type.startswith("timestamp"):
            values[column] = datetime(2020, 1, 1)  # noqa: DTZ001 - GSAN's naive time
        else:
            values[column] = "x"
    return values


def _bulk(connection: sa.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """The first row through :func:`ensure_row` (the parents its fillers point
    to), the rest in one ``executemany`` with the same fillers."""
    if not rows:
        return
    ensure_row(connection, table, rows[0])
    fillers = _fillers(connection, table)
    full = [fillers | row for row in rows[1:]]
    if not full:
        return
    names = list(full[0])
    statement = sa.text(
        f"INSERT INTO {table} ({', '.join(names)})"
        f" VALUES ({', '.join(':' + n for n in names)})"
    )
    connection.execute(statement, full)


def _read(sql: SqlBackend, name: str, *columns: str) -> list[Any]:
    t = sql.tables[name]
    with sql.engine.connect() as connection:
        return list(connection.execute(sa.select(*(t.c[c] for c in columns))).all())


def copy_utility(sql: SqlBackend, engine: sa.Engine, cut_types: set[int]) -> None:
    """The library's synthetic utility as GSAN stores it."""
    zone = ZoneInfo(LegacyProfile().time_zone)
    props = _read(
        sql,
        "property",
        "id",
        "locality_id",
        "sector_id",
        "route_id",
        "water_status_id",
        "sewer_status_id",
        "active",
        "profile_id",
    )
    routes = _read(sql, "route", "id", "sector_id", "group_id")
    sectors = _read(sql, "sector", "id", "locality_id")
    units = _read(sql, "unit", "id", "locality_id", "active")
    debts = _read(sql, "open_debt", "id", "property_id", "kind", "amount", "due_date")
    orders = _read(
        sql,
        "service_order",
        "id",
        "property_id",
        "service_type_id",
        "situation",
        "generated_at",
        "closed_at",
        "current_unit_id",
    )

    def local(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment.astimezone(zone).replace(tzinfo=None)

    with engine.begin() as c:
        for loc in sorted(
            {s.locality_id for s in sectors} | {p.locality_id for p in props}
        ):
            ensure_row(c, "cadastro.localidade", {"loca_id": loc})
        for s in sectors:
            ensure_row(
                c,
                "cadastro.setor_comercial",
                {
                    "stcm_id": s.id,
                    "loca_id": s.locality_id,
                    "stcm_cdsetorcomercial": s.id,
                },
            )
        for group in sorted({r.group_id for r in routes}):
            ensure_row(c, "cobranca.cobranca_grupo", {"cbgr_id": group})
        for r in routes:
            ensure_row(
                c,
                "micromedicao.rota",
                {
                    "rota_id": r.id,
                    "stcm_id": r.sector_id,
                    "cbgr_id": r.group_id,
                    "rota_cdrota": r.id,
                },
            )
            ensure_row(
                c,
                "cadastro.quadra",
                {
                    "qdra_id": r.id,
                    "stcm_id": r.sector_id,
                    "rota_id": r.id,
                    "qdra_nnquadra": r.id,
                },
            )
        for u in units:
            if u.locality_id is not None:
                ensure_row(c, "cadastro.localidade", {"loca_id": u.locality_id})
            ensure_row(
                c,
                "cadastro.unidade_organizacional",
                {
                    "unid_id": u.id,
                    "loca_id": u.locality_id,
                    "unid_icuso": 1 if u.active else 2,
                },
            )
        for table, key, values in (
            (
                "atendimentopublico.ligacao_agua_situacao",
                "last_id",
                {p.water_status_id for p in props},
            ),
            (
                "atendimentopublico.ligacao_esgoto_situacao",
                "lest_id",
                {p.sewer_status_id for p in props},
            ),
            ("cadastro.imovel_perfil", "iper_id", {p.profile_id for p in props}),
            ("atendimentopublico.servico_tipo", "svtp_id", cut_types),
            # the orders' priorities and the trail's relation (opened, closed)
            ("atendimentopublico.servico_tipo_prioridade", "stpr_id", set(range(1, 6))),
            ("atendimentopublico.atendimento_relacao_tipo", "attp_id", {1, 3}),
        ):
            for value in sorted(values):
                ensure_row(c, table, {key: value})
        _bulk(
            c,
            "cadastro.imovel",
            [
                {
                    "imov_id": p.id,
                    "loca_id": p.locality_id,
                    "stcm_id": p.sector_id,
                    "qdra_id": p.route_id,
                    "last_id": p.water_status_id,
                    "lest_id": p.sewer_status_id,
                    "iper_id": p.profile_id,
                    "imov_icexclusao": 2 if p.active else 1,
                }
                for p in props
            ],
        )
        where = {p.id: p for p in props}
        bills: list[dict[str, Any]] = []
        counter: dict[int, int] = {}
        for d in debts:
            if d.kind != DebtKind.BILL.value or d.due_date is None:
                continue
            n = counter[d.property_id] = counter.get(d.property_id, 0) + 1
            p = where[d.property_id]
            bills.append(
                {
                    "cnta_id": d.id,
                    "imov_id": d.property_id,
                    "cnta_amreferenciaconta": 200000 + n,
                    "dcst_idatual": 0,
                    "loca_id": p.locality_id,
                    "qdra_id": p.route_id,
                    "cnta_dtvencimentoconta": d.due_date,
                    "cnta_vlagua": d.amount,
                    "cnta_vlesgoto": 0,
                    "cnta_vldebitos": 0,
                    "cnta_vlcreditos": 0,
                }
            )
        # GSAN's bill ids are conta_geral's (bills and their history share them)
        _bulk(c, "faturamento.conta_geral", [{"cnta_id": b["cnta_id"]} for b in bills])
        _bulk(c, "faturamento.conta", bills)
        _bulk(
            c,
            "atendimentopublico.ordem_servico",
            [
                {
                    "orse_id": o.id,
                    "imov_id": o.property_id,
                    "svtp_id": o.service_type_id,
                    "orse_cdsituacao": int(o.situation),
                    "orse_tmgeracao": local(o.generated_at),
                    "orse_tmencerramento": local(o.closed_at),
                    "unid_idatual": o.current_unit_id or units[0].id,
                    "orse_iccomercialatualizado": 2,
                    "orse_icdiagnostico": 2,
                }
                for o in orders
                if o.service_type_id in cut_types and o.property_id in where
            ],
        )
        # GSAN's sequences after the copied ids (GSAN's own would be there)
        c.exec_driver_sql(
            "SELECT setval('atendimentopublico.seq_ordem_servico',"
            " (SELECT coalesce(max(orse_id), 0) + 1 FROM atendimentopublico.ordem_servico))"
        )
        c.exec_driver_sql("ANALYZE")


# ---------------------------------------------------------------- the harness
def plans(gsan: gsan_core.System, group_ids: Sequence[int]) -> dict[int, _CutPlan]:
    """The plan ``generate_cut_orders`` builds, per group (as the service does)."""
    service = gsan.collection
    profile = gsan.profile
    type_id = profile.id("service_type.cut_order")
    assert type_id is not None
    at = service._now()
    with service._read() as uow:
        service_type = uow.service_types.get(type_id)
        routes = {group: uow.collection.routes_of_group(group) for group in group_ids}
    return {
        group: _CutPlan(
            groups=dict.fromkeys(routes[group], group),
            actor=ADMIN,
            at=at,
            today=service._today(at),
            zone=service._ctx.zone,
            service_type=service_type,
            cut_types=profile.ids("service_type.cut") | {type_id},
            allowed=profile.allowed("water.cut"),
            criteria=profile.collection,
            window=profile.service_orders.restriction_days(type_id),
        )
        for group in group_ids
    }


def run_chunks(
    factory: Callable[[], Any], work: Sequence[tuple[_CutPlan, tuple[int, ...]]]
) -> tuple[int, int]:
    """Every chunk through the plan's own chunk function; (evaluated, written)."""
    evaluated = written = 0
    for plan, routes in work:
        with factory() as uow:
            outcome = plan.chunk(uow, routes)
        evaluated += outcome.processed
        written += outcome.changed
    return evaluated, written


def _copied(engine: sa.Engine) -> int:
    """The highest order id of the copy (the batch's orders come after)."""
    with engine.connect() as connection:
        return int(
            connection.exec_driver_sql(
                "SELECT coalesce(max(orse_id), 0) FROM atendimentopublico.ordem_servico"
            ).scalar_one()
        )


def _reset_legacy(engine: sa.Engine, copied: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "DELETE FROM atendimentopublico.ordem_servico_unidade"
                " WHERE orse_id > :copied"
            ),
            {"copied": copied},
        )
        connection.execute(
            sa.text(
                "DELETE FROM atendimentopublico.ordem_servico WHERE orse_id > :copied"
            ),
            {"copied": copied},
        )
        connection.exec_driver_sql("DELETE FROM gsan_core.outbox")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql("VACUUM ANALYZE atendimentopublico.ordem_servico")


def _ordered(
    engine: sa.Engine, sql: SqlBackend, type_id: int, copied: int
) -> tuple[set[int], set[int]]:
    """The properties that got an order of the batch, on each schema."""
    order = sql.tables["service_order"]
    with sql.engine.connect() as connection:
        library = set(
            connection.execute(
                sa.select(order.c.property_id).where(order.c.service_type_id == type_id)
            ).scalars()
        )
    with engine.connect() as connection:
        legacy = set(
            connection.execute(
                sa.text(
                    "SELECT imov_id FROM atendimentopublico.ordem_servico"
                    " WHERE orse_id > :copied"
                ),
                {"copied": copied},
            ).scalars()
        )
    return library, legacy


def measure(size: int, repeats: int, url: str) -> dict[str, Any]:
    with utility("postgres", size, url) as (gsan, sql, generation_s):
        route = sql.tables["route"]
        with sql.engine.connect() as connection:
            by_group = connection.execute(
                sa.select(route.c.group_id, route.c.id).order_by(
                    route.c.group_id, route.c.id
                )
            ).all()
        group_ids = sorted({g for g, _ in by_group})
        plan_of = plans(gsan, group_ids)
        work: list[tuple[_CutPlan, tuple[int, ...]]] = []
        for group in group_ids:
            ids = [r for g, r in by_group if g == group]
            work += [
                (plan_of[group], tuple(ids[n : n + CHUNK]))
                for n in range(0, len(ids), CHUNK)
            ]
        plan = next(iter(plan_of.values()))
        # the library's own schema: its generated orders are removed between passes
        delete_orders(sql, plan.type_id)
        with gsan_database(url) as engine:
            copy_utility(sql, engine, set(plan.cut_types))
            legacy = LegacyBackend(engine)
            copied = _copied(engine)
            seconds: dict[str, list[float]] = {"library": [], "legacy": []}
            results: dict[str, tuple[int, int]] = {}
            for _ in range(repeats):
                delete_orders(sql, plan.type_id)
                spent, results["library"] = timed(
                    lambda: run_chunks(sql.uow_factory, work)
                )
                seconds["library"].append(spent)
                _reset_legacy(engine, copied)
                spent, results["legacy"] = timed(
                    lambda: run_chunks(legacy.uow_factory, work)
                )
                seconds["legacy"].append(spent)
            library_set, legacy_set = _ordered(engine, sql, plan.type_id, copied)
            assert library_set == legacy_set, (
                "the schemas disagree",
                len(library_set),
                len(legacy_set),
            )
            assert results["library"] == results["legacy"], results
            analyze(sql)
    evaluated, written = results["library"]
    median = {k: statistics.median(v) for k, v in seconds.items()}
    return {
        "benchmark": "cut-order generation, legacy GSAN schema vs the library's",
        "properties": size,
        "evaluated": evaluated,
        "orders": written,
        "chunks": len(work),
        "generation_s": round(generation_s, 1),
        "seconds": seconds,
        "library_per_s": round(evaluated / median["library"]),
        "legacy_per_s": round(evaluated / median["legacy"]),
        "ratio": round(median["library"] / median["legacy"], 3),
    }


def arguments(
    argv: Sequence[str] | None, doc: str, size: int, repeats: int
) -> argparse.Namespace:
    """``--size``, ``--repeats`` and ``--postgres-url`` (required, from
    ``GSAN_CORE_TEST_POSTGRES_URL`` by default) of a GSAN-database benchmark."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--size", type=int, default=size)
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument(
        "--postgres-url", default=os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
    )
    args = parser.parse_args(argv)
    if not args.postgres_url:
        parser.error("a PostgreSQL URL is needed (--postgres-url)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv, __doc__ or "", 100_000, 3)
    figures = measure(args.size, args.repeats, args.postgres_url)
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "legacy.json").write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
