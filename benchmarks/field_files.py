"""Field-device files and returns (TXT, RET) beside hand-written Core baselines.

A synthetic utility whose properties all get a selective order (100,000 on
PostgreSQL; 10,000 with ``--quick``), all in one file:

* **writing the file**: ``write_field_file`` (the smartphone layout: the
  parameter records, then record ``16`` from one joined statement fetched
  5,000 rows at a time) beside a baseline that streams one joined ``SELECT``
  (items, orders, properties, the user customer, the water meter, the average
  consumption, the categories) with a server-side cursor and formats the same
  ``16`` records (their bytes are compared); the orders of a selective
  command have no collection document, so neither writes records ``17``;
* **processing a return** of one record 1 per order: ``process_field_return``
  (two passes, every line checked, staged in one transaction) beside a baseline
  that parses the lines, checks the chunk's orders against the file in one
  query per 1,000 lines and inserts the staged rows with ``executemany``, in
  one transaction.

Figures: rows/s and the ratio library/baseline time; the library's peak Python
memory while writing and processing (``tracemalloc``) shows both are bounded.

Run alone with ``python -m benchmarks.field_files [--quick]``.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import render
from benchmarks.orders import NOW, Scratch, scratch
from gsan_core.model.field_files import FileKind
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.rules.field_work import consumption_since
from gsan_core.services.field_work.files import AVERAGE_MONTHS
from gsan_core.synthetic import generate

AREA = "field_files"
CHUNK = 1_000


def _load(db: Scratch, properties: int) -> tuple[Any, int]:
    gsan = db.system(keep_events=False)
    generate(gsan, properties=properties, seed=7)
    with gsan.uow_factory() as uow:
        localities = sorted({p.locality_id for p in uow.properties.find_by()})
    command = gsan.field_work.create_selective_command(
        description="BENCH",
        service_type_id=350,
        criteria=SelectiveCriteria(
            locality_first=localities[0], locality_last=localities[-1]
        ),
        actor=1,
    )
    gsan.field_work.emit_selective_orders(
        command_id=command.id, actor=1, chunk_size=5_000
    )
    file = gsan.field_work.generate_field_file(
        kind=FileKind.COLLECTION, command_id=command.id, actor=1
    )
    gsan.field_work.release_field_file(file_id=file.id, agent_id=1, actor=1)
    _history(db)
    db.vacuum()
    _analyze(db)
    return gsan, file.id


def _history(db: Scratch) -> None:
    """Two months of water consumption per property (record 16's average;
    the synthetic utility has none), one ``INSERT ... SELECT`` each."""
    history, prop = db.tables["consumption_history"], db.tables["property"]
    with db.engine.begin() as connection:
        for reference, volume in ((202504, prop.c.id % 30), (202505, prop.c.id % 7)):
            connection.execute(
                sa.insert(history).from_select(
                    [
                        "property_id",
                        "reference",
                        "kind",
                        "consumption_type_id",
                        "billed_volume",
                    ],
                    sa.select(
                        prop.c.id,
                        sa.literal(reference),
                        sa.literal(1),
                        sa.literal(1),
                        volume,
                    ),
                )
            )


def _analyze(db: Scratch) -> None:
    """Fresh statistics of the tables the file's reads join (as autovacuum
    keeps them on a live database): without them PostgreSQL guesses one meter
    installation and loops over every one for each order."""
    if db.dialect != "postgresql":
        return
    names = ", ".join(
        f'"{db.tables.schema}"."{db.tables[n].name}"'
        for n in (
            "field_file_item",
            "hydrometer_installation",
            "hydrometer",
            "customer_property",
            "customer",
            "consumption_history",
        )
    )
    with db.engine.connect().execution_options(
        isolation_level="AUTOCOMMIT"
    ) as connection:
        connection.exec_driver_sql(f"ANALYZE {names}")


def baseline_write(db: Scratch, file_id: int, out: Any) -> int:
    """The ``16`` records by hand: one joined ``SELECT`` (items, orders,
    properties, the open USER relation's customer, the water connection's open
    meter) streamed with a server-side cursor."""
    t = db.tables
    item, order, prop = t["field_file_item"], t["service_order"], t["property"]
    relation, customer = t["customer_property"], t["customer"]
    place, meter = t["hydrometer_installation"], t["hydrometer"]
    file_properties = (
        sa.select(order.c.property_id)
        .join(item, item.c.order_id == order.c.id)
        .where(item.c.file_id == file_id)
    )
    users = (
        sa.select(relation.c.property_id, sa.func.min(relation.c.id).label("chosen_id"))
        .where(
            relation.c.relation == 2,
            relation.c.end.is_(None),
            relation.c.property_id.in_(file_properties),
        )
        .group_by(relation.c.property_id)
        .subquery("users")
    )
    meters = (
        sa.select(
            place.c.property_id,
            meter.c.type_id,
            meter.c.number,
            meter.c.situation_id,
            place.c.place_id,
            place.c.protection_id,
            place.c.stand,
            meter.c.brand_id,
        )
        .join(meter, meter.c.id == place.c.hydrometer_id)
        .where(
            place.c.point == 1,
            place.c.removed_on.is_(None),
            place.c.property_id.in_(file_properties),
        )
        .subquery("meters")
    )
    history = t["consumption_history"]
    averages = (
        sa.select(
            history.c.property_id,
            sa.cast(
                sa.func.floor(sa.func.avg(history.c.billed_volume)), sa.Integer
            ).label("average"),
        )
        .where(
            history.c.kind == 1,
            history.c.reference >= consumption_since(NOW.date(), AVERAGE_MONTHS),
            history.c.property_id.in_(file_properties),
        )
        .group_by(history.c.property_id)
        .subquery("averages")
    )
    chosen = relation.alias("chosen")
    statement = (
        sa.select(
            order.c.id,
            order.c.service_type_id,
            item.c.sequence,
            prop.c.locality_id,
            prop.c.sector_id,
            prop.c.block_id,
            prop.c.block_face,
            order.c.property_id,
            prop.c.profile_id,
            prop.c.route_id,
            *list(meters.c)[1:],
            customer.c.name,
            customer.c.document,
            customer.c.identity_card,
            customer.c.identity_issuer_id,
            customer.c.identity_state_id,
            customer.c.phone_area,
            customer.c.phone,
            customer.c.phone_extension,
            prop.c.water_status_id,
            prop.c.sewer_status_id,
            averages.c.average,
            prop.c.categories,
        )
        .join(order, order.c.id == item.c.order_id)
        .join(prop, prop.c.id == order.c.property_id)
        .outerjoin(users, users.c.property_id == order.c.property_id)
        .outerjoin(chosen, chosen.c.id == users.c.chosen_id)
        .outerjoin(customer, customer.c.id == chosen.c.customer_id)
        .outerjoin(meters, meters.c.property_id == order.c.property_id)
        .outerjoin(averages, averages.c.property_id == order.c.property_id)
        .where(item.c.file_id == file_id)
        .order_by(item.c.sequence)
    )
    statuses = sa.select(
        t["catalog_item"].c.kind,
        t["catalog_item"].c.id,
        t["catalog_item"].c.description,
    ).where(t["catalog_item"].c.kind.in_(("water_status", "sewer_status", "category")))
    count = 0
    out.write(f"00|{file_id}|\n".encode("iso-8859-1"))
    with db.engine.connect() as connection:
        names = {(k, i): _clean(d) for k, i, d in connection.execute(statuses)}
        water = {i: d for (k, i), d in names.items() if k == "water_status"}
        sewer = {i: d for (k, i), d in names.items() if k == "sewer_status"}
        category = {i: d for (k, i), d in names.items() if k == "category"}
        rows = connection.execution_options(stream_results=True, yield_per=CHUNK)
        for r in rows.execute(statement):
            document = r[18] or ""
            stand = "" if r[15] is None else 1 if r[15] else 2
            main = None  # the principal category: most economies, first on a tie
            for entry in r[28]:
                if main is None or entry["count"] > main["count"]:
                    main = entry
            economies = "" if main is None else main["count"]
            name = "" if main is None else category.get(main["category_id"], "")
            out.write(
                f"16|{r[0]}|{r[1]}|{r[2]}||{r[3]}.{r[4]}.{r[5]}.{r[6] or ''}|{r[7]}|"
                f"{r[8]}|{economies}|{name}|{_v(r[9])}|{water.get(r[25], '')}|{sewer.get(r[26], '')}|1|"
                f"{_v(r[10])}|{_clean(r[11])}|{_v(r[12])}|{_v(r[13])}|{_v(r[14])}|"
                f"{stand}|{_v(r[16])}||{_clean(r[17])}|"
                f"{_clean(document) if len(document) == 11 else ''}|"
                f"{_clean(document) if len(document) == 14 else ''}|"
                f"{_clean(r[19])}|{_v(r[20])}|{_v(r[21])}|{_clean(r[22])}|"
                f"{_clean(r[23])}|{_clean(r[24])}|{_v(r[27])}|\n".encode("iso-8859-1")
            )
            count += 1
    return count


_UNSAFE = str.maketrans({"|": " ", ";": " ", "\r": " ", "\n": " "})


def _clean(value: str | None) -> str:
    return "" if value is None else value.translate(_UNSAFE).strip()


def _v(value: object) -> object:
    return "" if value is None else value


def _return_bytes(orders: Sequence[int], file_id: int) -> bytes:
    when = NOW.strftime("%d/%m/%Y %H:%M:%S")
    lines = [f"0|{file_id}|4|"] + [f"1|{o}|1|2|{when}|OK|350|" for o in orders]
    return ("\n".join(lines) + "\n").encode("iso-8859-1")


def baseline_return(db: Scratch, file_id: int, data: bytes) -> int:
    t = db.tables
    item, staged = t["field_file_item"], t["field_return_line"]
    lines = data.decode("iso-8859-1").splitlines()[1:]
    count, next_id = 0, 10**12
    with db.engine.begin() as connection:
        for start in range(0, len(lines), CHUNK):
            chunk = [line.split("|") for line in lines[start : start + CHUNK]]
            ids = [int(p[1]) for p in chunk]
            known = set(
                connection.execute(
                    sa.select(item.c.order_id).where(
                        item.c.file_id == file_id, item.c.order_id.in_(ids)
                    )
                ).scalars()
            )
            rows = []
            for n, parts in enumerate(chunk):
                if int(parts[1]) not in known:
                    continue
                fields = parts[1:-1]
                digest = hashlib.sha256("|".join(parts[:-1]).encode()).hexdigest()
                rows.append(
                    {
                        "id": next_id,
                        "file_id": file_id,
                        "order_id": int(parts[1]),
                        "record": 1,
                        "line_number": start + n + 2,
                        "fields": fields,
                        "digest": digest,
                        "received_at": NOW,
                        "applied": False,
                        "version": 1,
                    }
                )
                next_id += 1
            connection.execute(sa.insert(staged), rows)
            count += len(rows)
        connection.execute(sa.delete(staged).where(staged.c.id >= 10**12))  # undo
    return count


def _records_16(out: Any) -> tuple[str, list[int]]:
    """The digest of a written file's ``16`` records and their orders."""
    out.seek(0)
    digest, orders = hashlib.sha256(), []
    for line in out:
        if line.startswith(b"16|"):
            digest.update(line)
            orders.append(int(line.split(b"|")[1]))
    return digest.hexdigest(), orders


def _writes(
    db: Scratch, gsan: Any, file_id: int
) -> tuple[float, float, int, int, list[int]]:
    """Each writer twice, alternated, the faster of each kept (the first
    run of either warms the caches the second finds); the library's and the
    baseline's ``16`` records must be the same bytes."""
    best = {"baseline": float("inf"), "library": float("inf")}
    for _ in range(2):
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            by_hand = baseline_write(db, file_id, out)
            best["baseline"] = min(best["baseline"], time.perf_counter() - started)
            expected, _ = _records_16(out)
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            written = gsan.field_work.write_field_file(file_id=file_id, out=out)
            best["library"] = min(best["library"], time.perf_counter() - started)
            got, orders = _records_16(out)
        assert got == expected, "the library's records 16 differ from the baseline's"
        assert len(orders) == by_hand
    return best["baseline"], best["library"], by_hand, written, orders


def measure(dialect: str, *, properties: int) -> list[dict[str, object]]:
    with scratch(dialect) as db:
        gsan, file_id = _load(db, properties)
        baseline_s, library_s, by_hand, written, orders = _writes(db, gsan, file_id)
        # the memory of another write (tracemalloc would slow the timed ones)
        tracemalloc.start()
        with tempfile.TemporaryFile() as again:
            gsan.field_work.write_field_file(file_id=file_id, out=again)
        _, peak_write = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        write = {
            "area": AREA,
            "name": "write a device file (TXT)",
            "backend": dialect,
            "size": by_hand,
            "library_s": library_s,
            "baseline_s": baseline_s,
            "ratio": library_s / baseline_s,
            "target": 2.0,
            "notes": (
                f"{by_hand / library_s:,.0f} orders/s (baseline {by_hand / baseline_s:,.0f});"
                f" {written} lines; peak Python memory {peak_write / 2**20:.1f} MiB"
            ),
        }
        data = _return_bytes(orders, file_id)
        del orders
        started = time.perf_counter()
        staged_by_hand = baseline_return(db, file_id, data)
        baseline_s = time.perf_counter() - started
        started = time.perf_counter()
        report = gsan.field_work.process_field_return(
            file_id=file_id, source=io.BytesIO(data), actor=1
        )
        library_s = time.perf_counter() - started
        # the memory of processing it again (every line read, checked, discarded)
        tracemalloc.start()
        twice = gsan.field_work.process_field_return(
            file_id=file_id, source=io.BytesIO(data), actor=1
        )
        _, peak_return = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert twice.staged == 0
        assert twice.discarded == report.staged
        assert report.ok, report
        assert report.staged == staged_by_hand, report
        process = {
            "area": AREA,
            "name": "process a device return (RET)",
            "backend": dialect,
            "size": report.staged,
            "library_s": library_s,
            "baseline_s": baseline_s,
            "ratio": library_s / baseline_s,
            "target": 2.0,
            "notes": (
                f"{report.staged / library_s:,.0f} lines/s (baseline "
                f"{staged_by_hand / baseline_s:,.0f}); peak Python memory "
                f"{peak_return / 2**20:.1f} MiB (the {len(data) / 2**20:.1f} MiB input held by the caller)"
            ),
        }
    return [write, process]


def run(quick: bool) -> list[dict[str, object]]:
    """Every figure of this area (``quick``: small sizes, for a smoke run)."""
    return measure("postgresql", properties=10_000 if quick else 100_000)


def main(argv: Sequence[str]) -> int:
    figures = run("--quick" in argv)
    print(render(figures))
    print(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
