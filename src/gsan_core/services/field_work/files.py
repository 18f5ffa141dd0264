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

from gsan_core.model.billing import BillStatus, DebtKind
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.field_files import FieldFile, FieldFileItem
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.field_files import (
    DELIVERED_DOCUMENTS,
    PHOTO_TYPES,
    clean,
    debt_fields,
    record,
)

__all__ = [
    "PAGE",
    "debt_lines",
    "inspection_lines",
    "page_items",
    "parameter_lines",
    "smartphone_lines",
]

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


#: Records ``07`` to ``14`` of UC1484 (after ``11``'s service types): the
#: active rows of a reference table, id and description.
_TABLES: tuple[tuple[str, str], ...] = (
    ("07", "well_type"),
    ("08", "hydrometer_protection"),
    ("09", "suppression_reason"),
    ("10", "cut_reason"),
    ("12", "suppression_type"),
    ("13", "hydrometer_installation_place"),
    ("14", "cut_type"),
)
#: Record ``17``'s situation text of an open bill (``DebitoCreditoSituacao``).
_BILL_SITUATION = {
    BillStatus.NORMAL: "NORMAL",
    BillStatus.RETIFIED: "RETIFICADA",
    BillStatus.INCLUDED: "INCLUIDA",
    BillStatus.CANCELLED: "CANCELADA",
    BillStatus.PARCELLED: "PARCELADA",
}


def _active(items: Sequence[CatalogItem]) -> list[CatalogItem]:
    return sorted((i for i in items if i.active), key=lambda i: i.id)


def parameter_lines(read: Reader, file: FieldFile) -> Iterator[str]:
    """UC1484's parameter records ``00`` to ``15`` (one read): ``00`` the file,
    ``01`` the agent (his id; the other four positions, login and password
    among them, stay empty: field-work §14 item 5), ``02`` the active RG
    issuers, ``03`` every federal unit (id, description, sigla), ``04`` the
    active closing reasons (id, description, executed 1/2), ``05`` every
    inspection situation, ``06`` the fixed "documento entregue" codes, ``07``
    to ``10`` and ``12`` to ``14`` the active well types, meter protections,
    suppression and cut reasons, suppression types, meter installation places
    and cut types, ``11`` the active service types, ``15`` the fixed photo
    types."""
    with read() as uow:
        catalog = {
            kind: uow.catalog.list(kind)
            for kind in (
                "identity_issuer",
                "federal_unit",
                "closing_reason",
                "inspection_situation",
                *(name for _, name in _TABLES),
            )
        }
        types = uow.service_types.find_by()
    yield record("00", [file.id])
    yield record("01", [file.agent_id, "", "", "", ""])
    for item in _active(catalog["identity_issuer"]):
        yield record("02", [item.id, item.description])
    for item in sorted(catalog["federal_unit"], key=lambda i: i.id):
        yield record("03", [item.id, item.description, item.abbreviation])
    for item in _active(catalog["closing_reason"]):
        yield record("04", [item.id, item.description, item.flag("executed")])
    for item in sorted(catalog["inspection_situation"], key=lambda i: i.id):
        yield record("05", [item.id, item.description])
    for code, text in DELIVERED_DOCUMENTS:
        yield record("06", [code, text])
    for number, name in _TABLES:
        if number == "12":
            for kind in sorted(types, key=lambda t: t.id):
                if kind.active:
                    yield record("11", [kind.id, kind.description, ""])
        for item in _active(catalog[name]):
            yield record(number, [item.id, item.description])
    for code, text in PHOTO_TYPES:
        yield record("15", [code, text])


def smartphone_lines(read: Reader, file: FieldFile) -> Iterator[str]:
    """UC1484's layout: the parameter records ``00`` to ``15``
    (:func:`parameter_lines`), one ``16`` per order in file order (one joined
    read per page of orders), then the ``17`` of every order (a second pass,
    a page at a time: :func:`debt_lines`). Fields the library does not hold
    (address text, economies) are written empty, never as ``null``."""
    yield from parameter_lines(read, file)
    with read() as uow:
        water = {i.id: clean(i.description) for i in uow.catalog.list("water_status")}
        sewer = {i.id: clean(i.description) for i in uow.catalog.list("sewer_status")}
    tail = "|" * 18 + "\n"
    for rows in _pages(read, file):
        for oid, tid, seq, pid, loc, sec, blk, face, prof, route, wat, sew in rows:
            place = f"{loc}.{sec}.{blk}.{face or ''}" if pid else ""
            yield (
                f"16|{oid}|{tid}|{seq}||{place}|{pid or ''}|{prof or ''}|||"
                f"{route or ''}|{water.get(wat, '')}|{sewer.get(sew, '')}|1|{tail}"
            )
    yield from debt_lines(read, file)


def debt_lines(read: Reader, file: FieldFile) -> Iterator[str]:
    """UC1484's ``17`` records (IT0021 "Selecionar Débitos da OS"): the bills
    of each order's collection document, in file order and by reference
    (three reads a page: the orders, their documents, and billing's open
    bills of their properties for the situation text, empty for a bill no
    longer open)."""
    for items in page_items(read, file):
        with read() as uow:
            orders = uow.service_orders.get_many([i.order_id for i in items])
            documents = uow.collection_documents.get_many(
                sorted(
                    {
                        o.collection_document_id
                        for o in orders.values()
                        if o.collection_document_id is not None
                    }
                )
            )
            debts = (
                uow.billing.open_debts_of(
                    sorted({d.property_id for d in documents.values()}),
                    kinds=(DebtKind.BILL,),
                )
                if documents
                else {}
            )
        situation = {
            d.id: _BILL_SITUATION.get(d.status, "")
            for found in debts.values()
            for d in found
        }
        for item in items:
            order = orders.get(item.order_id)
            document = documents.get(
                (order.collection_document_id if order else None) or 0
            )
            if document is None:
                continue
            bills = [i for i in document.items if i.kind is DebtKind.BILL]
            for bill in sorted(bills, key=lambda b: (b.reference or 0, b.debt_id)):
                yield debt_fields(
                    item.order_id,
                    bill.reference,
                    bill.due_date,
                    situation.get(bill.debt_id, ""),
                    bill.value,
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
