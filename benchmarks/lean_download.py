"""Downloading a field file beside its lean hand-written SQL (issue 20, ninth
round).

What a database engineer would write for TXT-08/TXT-09 on a released
smartphone file of collection kind whose orders carry no collection document
(the anomaly inspections of a selective command, as
:mod:`benchmarks.field_files` writes), leaving the rows and the text the
library leaves (``tests/integration/test_lean_download.py``):

* :func:`lean_download` — ``BEGIN``, **one read**: the file locked (``FOR
  UPDATE`` in a CTE) and joined to record ``16``'s rows (its items, orders,
  properties, the open user relation's customer, the water connection's
  meter, the average consumption and the categories), **one write**: the
  file put in the field by a compare-and-set update, ``COMMIT``.

The text is built by the library's pure rendering functions
(:func:`gsan_core.rules.field_files.record` for records ``00`` and ``01``,
:func:`gsan_core.services.field_work.files.order_record` for each ``16``), as
:mod:`benchmarks.lean_refunds` reuses the refund rules: the lean side is
about the SQL, not the layout. The parameter records ``02`` to ``15`` are
reference data (the library serves their catalogs from its reference
cache): the lean version renders them once per process through the
library's ``parameter_lines`` and keeps them. The rules (TXT-09: a released
file; a collection file, so VIS-01's meter check does not apply; no
collection document, so no record ``17``) are ``assert`` on the read row.

:func:`measure` times it beside ``download_field_file`` (``python -m
benchmarks.commands --only download_file``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import IO, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_field, lean_sql, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.field_files import FieldFile, FileKind, FileSituation
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.rules.field_files import clean, record
from gsan_core.rules.field_work import consumption_since
from gsan_core.services.field_work.files import (
    AVERAGE_MONTHS,
    order_record,
    parameter_lines,
)

__all__ = ["COMMANDS", "lean_download", "measure", "released_files"]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = ("download_file",)
#: Orders a measured file carries.
FILE_ORDERS = 50
#: The user relation (``RelationType.USER``).
_USER = 2


def _read(sql: SqlBackend) -> Any:
    """The file locked and record ``16``'s rows, in the column order of
    ``FieldFileQueries.record_rows`` (its average and categories raw)."""
    t = sql.tables
    ff, item, order, prop = (
        t["field_file"],
        t["field_file_item"],
        t["service_order"],
        t["property"],
    )
    relation, customer = t["customer_property"], t["customer"]
    place, meter, history = (
        t["hydrometer_installation"],
        t["hydrometer"],
        t["consumption_history"],
    )
    file_id = sa.bindparam("file_id", type_=ff.c.id.type)
    locked = (
        sa.select(ff.c.id, ff.c.kind, ff.c.agent_id, ff.c.situation, ff.c.version)
        .where(ff.c.id == file_id)
        .with_for_update()
        .cte("locked")
    )
    mine = (
        sa.select(order.c.property_id)
        .join(item, item.c.order_id == order.c.id)
        .where(item.c.file_id == file_id)
    )
    users = (
        sa.select(relation.c.property_id, sa.func.min(relation.c.id).label("chosen"))
        .where(
            relation.c.relation == _USER,
            relation.c.end.is_(None),
            relation.c.property_id.in_(mine),
        )
        .group_by(relation.c.property_id)
        .subquery("users")
    )
    meters = (
        sa.select(
            place.c.property_id,
            meter.c.number,
            meter.c.type_id,
            meter.c.situation_id,
            place.c.place_id,
            place.c.protection_id,
            place.c.stand,
            meter.c.brand_id,
        )
        .join(meter, meter.c.id == place.c.hydrometer_id)
        .where(
            place.c.point == int(MeasurementPoint.WATER_CONNECTION),
            place.c.removed_on.is_(None),
            place.c.property_id.in_(mine),
        )
        .subquery("meters")
    )
    averages = (
        sa.select(
            history.c.property_id,
            sa.func.avg(history.c.billed_volume).label("average"),
        )
        .where(
            history.c.property_id.in_(mine),
            history.c.kind == int(MeasurementKind.WATER),
            history.c.reference >= sa.bindparam("since", type_=sa.Integer),
        )
        .group_by(history.c.property_id)
        .subquery("averages")
    )
    chosen = relation.alias("chosen")

    def zero(name: str) -> Any:
        return sa.func.coalesce(prop.c[name], 0)

    return (
        sa.select(
            order.c.id,
            order.c.service_type_id,
            item.c.sequence,
            *(
                zero(n)
                for n in (
                    "id",
                    "locality_id",
                    "sector_id",
                    "block_id",
                    "block_face",
                    "profile_id",
                    "route_id",
                    "water_status_id",
                    "sewer_status_id",
                )
            ),
            customer.c.name,
            customer.c.document,
            customer.c.identity_card,
            customer.c.identity_issuer_id,
            customer.c.identity_state_id,
            customer.c.phone_area,
            customer.c.phone,
            customer.c.phone_extension,
            *list(meters.c)[1:],
            order.c.collection_document_id,
            averages.c.average,
            prop.c.categories,
            locked.c.kind,
            locked.c.agent_id,
            locked.c.situation,
            locked.c.version,
        )
        .select_from(locked)
        .join(item, item.c.file_id == locked.c.id)
        .join(order, order.c.id == item.c.order_id)
        .outerjoin(prop, prop.c.id == order.c.property_id)
        .outerjoin(users, users.c.property_id == order.c.property_id)
        .outerjoin(chosen, chosen.c.id == users.c.chosen)
        .outerjoin(customer, customer.c.id == chosen.c.customer_id)
        .outerjoin(meters, meters.c.property_id == order.c.property_id)
        .outerjoin(averages, averages.c.property_id == order.c.property_id)
        .order_by(item.c.sequence)
    )


def _write(sql: SqlBackend) -> Any:
    """The file put in the field, compare-and-set on the version read."""
    ff = sql.tables["field_file"]
    return (
        sa.update(ff)
        .where(
            ff.c.id == sa.bindparam("file_id", type_=ff.c.id.type),
            ff.c.version == sa.bindparam("k_version", type_=ff.c.version.type),
        )
        .values(
            situation=int(FileSituation.IN_FIELD),
            sent_at=sa.bindparam("now", type_=ff.c.sent_at.type),
            version=ff.c.version + 1,
        )
        .returning(ff.c.id)
    )


def _row(raw: Sequence[Any]) -> tuple[Any, ...]:
    """``record_rows``' row: the average rounded down, the principal category
    (the most economies, the first on a tie) and its economies."""
    average, categories = raw[28], raw[29]
    best: dict[str, Any] | None = None
    for entry in categories or ():
        if best is None or entry["count"] > best["count"]:
            best = entry
    return (
        *raw[:28],
        None if average is None else int(average),
        None if best is None else best["category_id"],
        None if best is None else best["count"],
    )


#: The parameter records ``02`` to ``15`` and the status and category names
#: record ``16`` shows, read once per process (reference data).
_REFERENCE: dict[str, Any] = {}


def _reference(gsan: gsan_core.System) -> dict[str, Any]:
    if not _REFERENCE:
        probe = FieldFile(
            id=0,
            kind=FileKind.COLLECTION,
            order_count=0,
            created_at=gsan.clock.now(),
            created_by=1,
        )
        _REFERENCE["parameters"] = list(parameter_lines(gsan.uow_factory, probe))[2:]
        with gsan.uow_factory() as uow:
            _REFERENCE["names"] = {
                kind: {i.id: clean(i.description) for i in uow.catalog.list(kind)}
                for kind in ("water_status", "sewer_status", "category")
            }
    return _REFERENCE


def lean_download(
    sql: SqlBackend,
    gsan: gsan_core.System,
    *,
    file_id: int,
    out: IO[bytes],
    now: datetime,
) -> int:
    """TXT-08/TXT-09, lean: ``BEGIN``, the file locked and its records read
    in one statement, its text written to ``out``, the file put in the field
    in one statement, ``COMMIT``. Returns the lines written."""
    read = lean_sql.built(sql, "download read", lambda: _read(sql))
    write = lean_sql.built(sql, "download write", lambda: _write(sql))
    reference = _reference(gsan)
    encoding = gsan.profile.field_work.file_encoding
    today = now.astimezone(ZoneInfo(gsan.profile.timezone)).date()
    since = consumption_since(today, AVERAGE_MONTHS)
    with sql.engine.begin() as connection:
        rows = connection.execute(read, {"file_id": file_id, "since": since}).all()
        assert rows, "a file without orders"
        kind, agent, situation, version = rows[0][30:34]
        assert kind == int(FileKind.COLLECTION)  # no VIS-01 meter check
        assert situation == int(FileSituation.RELEASED)  # TXT-09
        lines = [record("00", [file_id]), record("01", [agent, "", "", "", ""])]
        lines += reference["parameters"]
        for raw in rows:
            assert raw[27] is None  # no collection document: no record 17
            lines.append(order_record(_row(raw), names=reference["names"]))
        out.write("".join(lines).encode(encoding, errors="replace"))
        done = connection.execute(
            write, {"file_id": file_id, "k_version": version, "now": now}
        ).all()
        assert len(done) == 1
    return len(lines)


def released_files(gsan: gsan_core.System, sql: SqlBackend, count: int) -> list[int]:
    """``count`` files of :data:`FILE_ORDERS` inspection orders each, released
    to agents of their own (:mod:`benchmarks.id_ranges`): the orders of a
    selective command emitted on localities no earlier call used."""
    wanted = count * FILE_ORDERS
    chosen = lean_field.fresh_localities(sql, wanted)
    fw = gsan.field_work
    command = fw.create_selective_command(
        description="DOWNLOAD BENCH",
        service_type_id=lean_field.INSPECTION,
        criteria=SelectiveCriteria(locality_first=chosen[0], locality_last=chosen[-1]),
        actor=1,
        max_orders=wanted,
    )
    fw.emit_selective_orders(command_id=command.id, actor=1)
    with gsan.uow_factory() as uow:
        orders = sorted(
            link.order_id
            for link in uow.selective_orders.find_by(command_id=command.id)
        )
    assert len(orders) == wanted, (len(orders), wanted)
    agents = id_ranges.take("download_file(agent)")
    files = []
    for start in range(0, wanted, FILE_ORDERS):
        file_id = fw.generate_field_file(
            kind=FileKind.COLLECTION,
            order_ids=orders[start : start + FILE_ORDERS],
            actor=1,
        ).id
        fw.release_field_file(file_id=file_id, agent_id=next(agents), actor=1)
        files.append(file_id)
    return files


def measure(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> list[dict[str, Any]]:
    """``download_file``'s figure: ``count // 10`` released files of
    :data:`FILE_ORDERS` orders (at least 20) a side, downloaded through the
    library and by hand in alternating rounds."""
    files = max(20, count // 10)
    made = released_files(gsan, sql, 2 * files)
    mine, theirs = made[:files], made[files:]
    library_s, lean_s = scale_commands.interleaved(
        partial(_library, gsan, mine), partial(_lean, sql, gsan, theirs), files
    )
    name = f"download a field file, {FILE_ORDERS} orders (lean SQL)"
    return [scale_commands.command_figure(name, size, library_s, lean_s)]


def _library(gsan: gsan_core.System, files: Sequence[int], n: int) -> None:
    gsan.field_work.download_field_file(file_id=files[n], out=io.BytesIO(), actor=1)


def _lean(
    sql: SqlBackend, gsan: gsan_core.System, files: Sequence[int], n: int
) -> None:
    lean_download(sql, gsan, file_id=files[n], out=io.BytesIO(), now=gsan.clock.now())
