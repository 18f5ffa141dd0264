"""Foundation figures: bulk loads and single-row updates, library vs Core baseline.

Each baseline is what a competent developer would write with SQLAlchemy Core to
do the same database work, starting from the same objects:

* bulk loads: build the row dicts by hand, ``INSERT`` them with executemany in
  the library's chunk size in one transaction, and write the outbox row(s) the
  library writes (one per catalog row; one per property load);
* single updates: in one transaction, ``SELECT`` the row, check what the rule
  checks with targeted queries (a catalog description unique among active rows;
  a property's catalog references active and its block/route consistent),
  ``UPDATE ... WHERE id = :id AND version = :v``, ``INSERT`` the outbox row,
  ``COMMIT``.

Targets: bulk load >= 0.7x the baseline's rows/s; single update <= 1.5x the
baseline's time.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks.harness import (
    Database,
    Figure,
    Run,
    benchmark,
    best,
    median,
    series,
    timed,
)
from gsan_core import profiles
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.properties import Property
from gsan_core.testing import DEFAULT_NOW
from gsan_core.testing.town import Town, small_town

AREA = "foundation"
BULK_TARGET = 0.7
UPDATE_TARGET = 1.5
CHUNK = 5_000


# ---------------------------------------------------------------- untimed setup
def seed_rows() -> list[dict[str, Any]]:
    return [catalog_row(item) for item in profiles.default().seeds]


def catalog_row(item: CatalogItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": item.id,
        "description": item.description,
        "abbreviation": item.abbreviation,
        "active": item.active,
        "attributes": {
            k: ({"decimal": str(v)} if type(v).__name__ == "Decimal" else v)
            for k, v in item.attributes.items()
        },
        "version": item.version,
    }


def location_rows(town: Town) -> dict[str, list[dict[str, Any]]]:
    return {
        "locality": [attrs.asdict(x) for x in town.localities],
        "sector": [attrs.asdict(x) for x in town.sectors],
        "block": [
            {
                **attrs.asdict(x),
                "water_network": int(x.water_network),
                "sewer_network": int(x.sewer_network),
            }
            for x in town.blocks
        ],
        "route": [attrs.asdict(x) for x in town.routes],
    }


def prepare_baseline(db: Database, town: Town | None = None) -> None:
    """The baseline's database gets the same seed rows (and location) as the library."""
    t = db.tables
    with db.engine.begin() as connection:
        connection.execute(sa.insert(t["catalog_item"]), seed_rows())
        if town is not None:
            for name, rows in location_rows(town).items():
                connection.execute(sa.insert(t[name]), rows)


def prepare_library(system: gsan_core.System, town: Town | None = None) -> None:
    if town is not None:
        system.properties.load_locations(
            actor=0,
            localities=town.localities,
            sectors=town.sectors,
            blocks=town.blocks,
            routes=town.routes,
        )


def new_catalog_items(count: int) -> list[CatalogItem]:
    return [
        CatalogItem(
            kind="cut_reason",
            id=1_000 + n,
            description=f"MOTIVO {n:06d}",
            abbreviation=f"M{n:06d}",
        )
        for n in range(count)
    ]


# ---------------------------------------------------------------- baselines
def property_row(p: Property) -> dict[str, Any]:
    return {
        "id": p.id,
        "locality_id": p.locality_id,
        "sector_id": p.sector_id,
        "block_id": p.block_id,
        "block_face": p.block_face,
        "route_id": p.route_id,
        "profile_id": p.profile_id,
        "categories": [
            {
                "category_id": e.category_id,
                "subcategory_id": e.subcategory_id,
                "count": e.count,
            }
            for e in p.categories
        ],
        "water_status_id": p.water_status_id,
        "sewer_status_id": p.sewer_status_id,
        "collection_situation_ids": sorted(p.collection_situation_ids),
        "active": p.active,
        "version": p.version,
    }


def outbox_row(ident: int, tag: str, actor: int, **fields: Any) -> dict[str, Any]:
    payload = {
        "type": tag,
        "occurred_at": DEFAULT_NOW.isoformat(),
        "actor": actor,
        **fields,
    }
    return {
        "id": ident,
        "tag": tag,
        "occurred_at": DEFAULT_NOW,
        "actor": actor,
        "payload": payload,
        "published_at": None,
    }


def chunks(rows: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def baseline_catalog_load(
    db: Database, items: list[CatalogItem], ids: Iterable[int]
) -> None:
    t = db.tables
    rows = [catalog_row(item) for item in items]
    events = [
        outbox_row(ident, "catalog.item_added", 0, kind=i.kind, item_id=i.id)
        for ident, i in zip(ids, items, strict=False)
    ]
    with db.engine.begin() as connection:
        connection.execute(sa.insert(t["catalog_item"]), rows)
        connection.execute(sa.insert(t["outbox"]), events)


def baseline_property_load(db: Database, props: Sequence[Property], ident: int) -> None:
    t = db.tables["property"]
    with db.engine.begin() as connection:
        for chunk in chunks(props, CHUNK):
            connection.execute(sa.insert(t), [property_row(p) for p in chunk])
        connection.execute(
            sa.insert(db.tables["outbox"]),
            [
                outbox_row(
                    ident,
                    "property.bulk_loaded",
                    0,
                    count=len(props),
                    first_id=props[0].id,
                    last_id=props[-1].id,
                )
            ],
        )


def baseline_catalog_update(
    db: Database, ident: int, version: int, description: str, outbox_id: int
) -> None:
    t = db.tables["catalog_item"]
    key = sa.and_(t.c.kind == "cut_reason", t.c.id == ident)
    with db.engine.begin() as connection:
        row = connection.execute(sa.select(t).where(key)).mappings().one()
        if row["version"] != version:
            raise gsan_core.ConcurrencyConflict("catalog.cut_reason", ident, version)
        duplicate = connection.execute(
            sa.select(t.c.id)
            .where(
                t.c.kind == "cut_reason",
                t.c.active.is_(True),
                t.c.id != ident,
                sa.func.lower(t.c.description) == description.lower(),
            )
            .limit(1)
        ).first()
        assert duplicate is None
        result = connection.execute(
            sa.update(t)
            .where(key, t.c.version == version)
            .values(description=description, version=version + 1)
        )
        assert result.rowcount == 1
        connection.execute(
            sa.insert(db.tables["outbox"]),
            [
                outbox_row(
                    outbox_id,
                    "catalog.item_changed",
                    1,
                    kind="cut_reason",
                    item_id=ident,
                    version=version + 1,
                    active=True,
                )
            ],
        )


def baseline_property_update(db: Database, changed: Property, outbox_id: int) -> None:
    t = db.tables
    p, c, b, r = t["property"], t["catalog_item"], t["block"], t["route"]
    with db.engine.begin() as connection:
        row = (
            connection.execute(sa.select(p).where(p.c.id == changed.id))
            .mappings()
            .one()
        )
        if row["version"] != changed.version:
            raise gsan_core.ConcurrencyConflict("property", changed.id, changed.version)
        wanted = {
            ("property_profile", changed.profile_id),
            ("water_status", changed.water_status_id),
            ("sewer_status", changed.sewer_status_id),
            *(("category", e.category_id) for e in changed.categories),
            *(
                ("subcategory", e.subcategory_id)
                for e in changed.categories
                if e.subcategory_id is not None
            ),
            *(("collection_situation", s) for s in changed.collection_situation_ids),
        }
        found = connection.execute(
            sa.select(sa.func.count())
            .select_from(c)
            .where(sa.tuple_(c.c.kind, c.c.id).in_(list(wanted)), c.c.active.is_(True))
        ).scalar_one()
        assert found == len(wanted)
        location = connection.execute(
            sa.select(b.c.sector_id, r.c.locality_id)
            .select_from(b.join(r, r.c.id == changed.route_id))
            .where(b.c.id == changed.block_id)
        ).one()
        assert tuple(location) == (changed.sector_id, changed.locality_id)
        values = property_row(changed)
        del values["id"]
        values["version"] = changed.version + 1
        result = connection.execute(
            sa.update(p)
            .where(p.c.id == changed.id, p.c.version == changed.version)
            .values(values)
        )
        assert result.rowcount == 1
        connection.execute(
            sa.insert(t["outbox"]),
            [
                outbox_row(
                    outbox_id,
                    "property.changed",
                    1,
                    property_id=changed.id,
                    version=changed.version + 1,
                )
            ],
        )


# ---------------------------------------------------------------- figures
def bulk_figure(
    run: Run,
    name: str,
    rows: int,
    library: list[float],
    baseline: list[float],
    notes: str,
) -> Figure:
    return Figure(
        area=AREA,
        name=name,
        backend=run.backend,
        unit="rows/s",
        library=rows / best(library),
        baseline=rows / best(baseline),
        higher_is_better=True,
        target=BULK_TARGET,
        baseline_kind="Core on sqlite :memory:" if run.backend == "memory" else "Core",
        rows=rows,
        repeats=len(library),
        notes=notes,
    )


def update_figure(
    run: Run, name: str, library: list[float], baseline: list[float], notes: str
) -> Figure:
    return Figure(
        area=AREA,
        name=name,
        backend=run.backend,
        unit="ms",
        library=1000 * median(library),
        baseline=1000 * median(baseline),
        higher_is_better=False,
        target=UPDATE_TARGET,
        baseline_kind="Core on sqlite :memory:" if run.backend == "memory" else "Core",
        repeats=len(library),
        notes=notes,
    )


@benchmark(AREA, "catalog bulk load")
def catalog_bulk_load(run: Run) -> list[Figure]:
    count = run.size(2_000, 300)
    repeats = run.size(3, 1)
    items = new_catalog_items(count)
    library: list[float] = []
    baseline: list[float] = []
    for _ in range(repeats):
        with run.database() as lib_db, run.database() as base_db:
            system = run.library_system(lib_db)
            library.append(timed(partial(system.catalog.seed, items, actor=0)))
            assert len(system.catalog.list("cut_reason")) == count + 4
            prepare_baseline(base_db)
            ids = itertools.count(10_000)
            baseline.append(timed(partial(baseline_catalog_load, base_db, items, ids)))
    return [
        bulk_figure(
            run,
            "catalog bulk load",
            count,
            library,
            baseline,
            f"{count} cut_reason rows via catalog.seed (CAT-1..4 checked) + outbox rows",
        )
    ]


@benchmark(AREA, "property bulk load")
def property_bulk_load(run: Run) -> list[Figure]:
    count = run.size(20_000, 2_000)
    repeats = run.size(3, 1)
    town = small_town(properties=count)
    library: list[float] = []
    baseline: list[float] = []
    for _ in range(repeats):
        with run.database() as lib_db, run.database() as base_db:
            system = run.library_system(lib_db)
            prepare_library(system, town)
            library.append(
                timed(partial(system.properties.load, town.properties, actor=0))
            )
            assert sum(system.properties.count_by_water_status().values()) == count
            prepare_baseline(base_db, town)
            baseline.append(
                timed(partial(baseline_property_load, base_db, town.properties, 10_000))
            )
    return [
        bulk_figure(
            run,
            "property bulk load",
            count,
            library,
            baseline,
            f"{count} properties via properties.load (atomic, PRO-1/PRO-2 checked, "
            f"chunks of {CHUNK}) + 1 outbox row",
        )
    ]


@benchmark(AREA, "catalog single update")
def catalog_single_update(run: Run) -> list[Figure]:
    operations = run.size(300, 40)
    warmup = 10
    with run.database() as lib_db, run.database() as base_db:
        system = run.library_system(lib_db)
        prepare_baseline(base_db)

        def library_step(n: int) -> None:
            system.catalog.update(
                "cut_reason",
                1,
                expected_version=n + 1,
                description=f"FALTA {n % 2}",
                actor=1,
            )

        ids = itertools.count(10_000)

        def baseline_step(n: int) -> None:
            baseline_catalog_update(base_db, 1, n + 1, f"FALTA {n % 2}", next(ids))

        library = series(operations + warmup, library_step)[warmup:]
        baseline = series(operations + warmup, baseline_step)[warmup:]
    return [
        update_figure(
            run,
            "catalog single update",
            library,
            baseline,
            f"median of {operations} catalog.update calls (one cut_reason row)",
        )
    ]


@benchmark(AREA, "property single update")
def property_single_update(run: Run) -> list[Figure]:
    count = run.size(20_000, 2_000)
    operations = run.size(300, 40)
    warmup = 10
    town = small_town(properties=count)
    target = town.properties[count // 2]
    with run.database() as lib_db, run.database() as base_db:
        system = run.library_system(lib_db)
        prepare_library(system, town)
        system.properties.load(town.properties, actor=0)
        prepare_baseline(base_db, town)
        baseline_property_load(base_db, town.properties, 1)
        current = {"library": system.properties.get(target.id), "baseline": target}

        def library_step(n: int) -> None:
            changed = attrs.evolve(current["library"], block_face=1 + n % 5)
            current["library"] = system.properties.update(changed, actor=1)

        ids = itertools.count(10_000)

        def baseline_step(n: int) -> None:
            changed = attrs.evolve(current["baseline"], block_face=1 + n % 5)
            baseline_property_update(base_db, changed, next(ids))
            current["baseline"] = attrs.evolve(changed, version=changed.version + 1)

        library = series(operations + warmup, library_step)[warmup:]
        baseline = series(operations + warmup, baseline_step)[warmup:]
    return [
        update_figure(
            run,
            "property single update",
            library,
            baseline,
            f"median of {operations} properties.update calls in a town of {count} "
            f"properties ({len(town.blocks)} blocks, {len(town.routes)} routes)",
        )
    ]
