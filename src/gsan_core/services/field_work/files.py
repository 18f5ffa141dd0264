"""Field-device files (TXT): generation, life cycle and the streamed writers.

A file is generated in one unit of work (TXT-05: the file and one item per
order, or nothing). Its text is never built in memory: :func:`smartphone_lines`
yields the records page by page (1,000 orders a page, one joined read of the
orders and their properties each: ``FieldFileQueries.file_rows``) and the service encodes them into the
caller's stream with the utility's declared encoding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager

from gsan_core.model.field_files import FieldFile, FieldFileItem
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.field_files import clean, record

__all__ = ["PAGE", "inspection_lines", "page_items", "smartphone_lines"]

#: Orders per page when a file is written or its return applied.
PAGE = 1_000

Reader = Callable[[], AbstractContextManager[UnitOfWork]]


def page_items(read: Reader, file: FieldFile) -> Iterator[list[FieldFileItem]]:
    """The file's items a page at a time, in file order (by sequence)."""
    for first in range(1, file.order_count + 1, PAGE):
        wanted = list(range(first, min(first + PAGE, file.order_count + 1)))
        with read() as uow:
            items = uow.field_file_items.find_by(file_id=file.id, sequence=wanted)
        yield sorted(items, key=lambda item: item.sequence)


def _pages(read: Reader, file: FieldFile) -> Iterator[Sequence[tuple[int, ...]]]:
    """The file's joined rows (``FieldFileQueries.file_rows``) a page at a time."""
    for first in range(1, file.order_count + 1, PAGE):
        with read() as uow:
            rows = uow.field_file_queries.file_rows(file.id, first, first + PAGE - 1)
        yield rows


def smartphone_lines(read: Reader, file: FieldFile) -> Iterator[str]:
    """UC1484's layout: ``00`` the file id, ``04`` the closing reasons (id,
    description, executed 1/2), ``11`` the service types, then one ``16`` per
    order in file order (one joined read per page of orders). Fields the
    library does not hold (client, meter, address text, economies) are
    written empty, never as ``null``."""
    yield record("00", [file.id])
    with read() as uow:
        reasons = uow.catalog.list("closing_reason")
        types = uow.service_types.find_by()
        water = {i.id: clean(i.description) for i in uow.catalog.list("water_status")}
        sewer = {i.id: clean(i.description) for i in uow.catalog.list("sewer_status")}
    for reason in sorted(reasons, key=lambda r: r.id):
        if reason.active:
            yield record("04", [reason.id, reason.description, reason.flag("executed")])
    for kind in sorted(types, key=lambda t: t.id):
        if kind.active:
            yield record("11", [kind.id, kind.description, ""])
    tail = "|" * 18 + "\n"
    for rows in _pages(read, file):
        for oid, tid, seq, pid, loc, sec, blk, face, prof, route, wat, sew in rows:
            place = f"{loc}.{sec}.{blk}.{face or ''}" if pid else ""
            yield (
                f"16|{oid}|{tid}|{seq}||{place}|{pid or ''}|{prof or ''}|||"
                f"{route or ''}|{water.get(wat, '')}|{sewer.get(sew, '')}|1|{tail}"
            )


def inspection_lines(
    read: Reader, file: FieldFile, *, produced_on: str
) -> Iterator[str]:
    """INSP-03's layout (prodiga's anomaly-inspection file): one line per
    order, 31 fields each followed by ``;`` (one joined read per page); the
    fields the library does not hold are empty."""
    tail = ";" * 15 + "\n"
    for rows in _pages(read, file):
        for oid, _, seq, pid, loc, sec, blk, face, prof, route, wat, sew in rows:
            place = f"{loc}.{sec}.{blk}.{face or ''}" if pid else ""
            yield (
                f"{oid};{produced_on};{seq};{place};{pid or ''};{prof or ''};;"
                f";;;;;{route or ''};{wat or ''};;{sew or ''};{tail}"
            )
