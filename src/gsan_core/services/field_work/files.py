"""Field-device files (TXT): generation, life cycle and the streamed writers.

A file is generated in one unit of work (TXT-05: the file and one item per
order, or nothing). Its text is never built in memory: :func:`smartphone_lines`
yields the records from one statement for the whole file fetched a page at a
time (5,000 orders a page, ``FieldFileQueries.record_pages``: the orders,
their places, user customers, water meters, principal categories and average
consumptions), then the debts from a second streamed statement (the orders
with a collection document, ``FieldFileQueries.document_pages``, a page of
1,000 at a time), and the service encodes them into the caller's stream with
the utility's declared encoding. Nothing is kept between the passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

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
    "AVERAGE_MONTHS",
    "PAGE",
    "debt_lines",
    "inspection_lines",
    "order_record",
    "page_items",
    "parameter_lines",
    "smartphone_lines",
]

#: Orders per page when a file's debts are written or its return applied.
PAGE = 1_000
#: Rows fetched at a time from record ``16``'s one statement (what the
#: writer holds in memory).
WRITE_PAGE = 5 * PAGE
#: Reference months of record ``16``'s average consumption (the current one
#: and the five before it).
AVERAGE_MONTHS = 6
#: Digits of a CPF and of a CNPJ (a customer's ``document`` is one or the other).
CPF_LENGTH, CNPJ_LENGTH = 11, 14

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
        # the active rows of a kind come from the backend's reference cache
        # once read (a write of a 10,000-order file paid ~10 queries for them)
        catalog = {
            kind: uow.catalog.list(kind, active_only=True)
            for kind in (
                "identity_issuer",
                "closing_reason",
                *(name for _, name in _TABLES),
            )
        }
        # every row of these two kinds, for display: from the reference cache
        # too (issue 20, tenth round: two statements on every download)
        catalog.update(
            (kind, uow.catalog.list(kind, cached=True))
            for kind in ("federal_unit", "inspection_situation")
        )
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


def smartphone_lines(
    read: Reader, file: FieldFile, *, consumption_since: int
) -> Iterator[str]:
    """UC1484's layout: the parameter records ``00`` to ``15``
    (:func:`parameter_lines`), one ``16`` per order in file order, then the
    ``17`` of every order (:func:`debt_lines`, a second streamed read).
    Record ``16`` is one joined statement for the whole file, fetched a page
    at a time (``FieldFileQueries.record_pages``: the order's place, its user
    customer, water meter, its property's average consumption from reference
    ``consumption_since`` on and principal category): :func:`order_record`.
    A store plans the file once instead of paying each page's fixed scans of
    the orders (issue 16: ``EXPLAIN ANALYZE`` at 100,000 orders); a file of
    one page is read by ``record_rows``, a plain statement. The situations'
    and categories' names come by id (:func:`_names`). The three passes
    share one unit of work, so the file is one snapshot; the
    debt pass is skipped when no order of the file has a collection
    document."""
    with read() as uow:

        def same() -> AbstractContextManager[UnitOfWork]:
            return nullcontext(uow)

        yield from parameter_lines(same, file)
        documents = False
        pages: Iterable[Sequence[tuple[Any, ...]]]
        if file.order_count <= WRITE_PAGE:
            # a file of one page (sequences 1 to its order count): one plain
            # statement, no server-side cursor and its round trips (issue 20,
            # ninth round)
            pages = [
                uow.field_file_queries.record_rows(
                    file.id, 1, file.order_count, consumption_since=consumption_since
                )
            ]
        else:
            pages = uow.field_file_queries.record_pages(
                file.id, consumption_since=consumption_since, size=WRITE_PAGE
            )
        for rows in pages:
            names = _names(uow, rows)
            for row in rows:
                yield order_record(row, names=names)
                documents = documents or row[_DOCUMENT] is not None
        if documents:
            yield from debt_lines(same, file)


#: Where ``record_rows`` carries the order's collection document.
_DOCUMENT = 27
#: Where ``record_rows`` carries the ids :func:`order_record` names.
_NAMED = (("water_status", 10), ("sewer_status", 11), ("category", 29))


def _names(
    uow: UnitOfWork, rows: Sequence[tuple[Any, ...]]
) -> dict[str, dict[int, str]]:
    """The water and sewer situations and principal categories of a page's
    rows, by id, as :func:`order_record` wants them: only the ids the page
    holds, through the catalog's by-id reads (from the reference cache once
    read: no statement of their own on a later file; issue 20, ninth round,
    where each file read the three kinds' every row)."""
    keys = {(kind, row[at]) for row in rows for kind, at in _NAMED if row[at]}
    found = uow.catalog.find_many(keys) if keys else {}
    names: dict[str, dict[int, str]] = {kind: {} for kind, _ in _NAMED}
    for (kind, ident), item in found.items():
        names[kind][ident] = clean(item.description)
    return names


def order_record(
    row: tuple[Any, ...], *, names: Mapping[str, Mapping[int, str]]
) -> str:
    """Record ``16`` from a ``FieldFileQueries.record_rows`` row: the order,
    type, sequence, address (empty: the library holds no street register),
    inscription, property, profile id, the economies of the property's
    principal category and that category's description (both empty for an
    order without a property or a property without categories), route (for
    the billing group), water and sewer situation descriptions, measurement
    type 1, the water meter's type, number, situation, place, protection,
    stand (1/2) and brand (ids; all empty without a meter), the last reading
    (empty: the library holds no reading history), the user customer's name,
    CPF, CNPJ, RG, RG issuer and state ids, default phone's area code,
    number and extension, and the average consumption (the property's water
    history of the last ``AVERAGE_MONTHS`` reference months; empty without
    history). ``names`` holds the ``water_status``, ``sewer_status`` and
    ``category`` descriptions by id. Empty, never ``null``."""
    (oid, tid, seq, pid, loc, sec, blk, face, prof, route, wat, sew) = row[:12]
    (name, document, card, issuer, state, area, phone, extension) = row[12:20]
    (number, kind, situation, place_id, protection, stand, brand) = row[20:27]
    (average, category, economies) = row[28:31]
    place = f"{loc}.{sec}.{blk}.{face or ''}" if pid else ""
    document = document or ""
    cpf = clean(document) if len(document) == CPF_LENGTH else ""
    cnpj = clean(document) if len(document) == CNPJ_LENGTH else ""
    stand = "" if number is None or stand is None else 1 if stand else 2
    if category is None:
        economies, category_name = "", ""
    else:
        category_name = names["category"].get(category, "")
    # one f-string (the ids are ints, the texts go through ``clean``): the
    # line is what ``record("16", ...)`` would write, at a third of the cost
    return (
        f"16|{oid}|{tid}|{seq}||{place}|{pid or ''}|{prof or ''}|{economies}|"
        f"{category_name}|{route or ''}|"
        f"{names['water_status'].get(wat, '')}|{names['sewer_status'].get(sew, '')}|1|"
        f"{_id(kind)}|{clean(number)}|{_id(situation)}|{_id(place_id)}|"
        f"{_id(protection)}|{stand}|{_id(brand)}||{clean(name)}|{cpf}|{cnpj}|"
        f"{clean(card)}|{_id(issuer)}|{_id(state)}|{clean(area)}|{clean(phone)}|"
        f"{clean(extension)}|{_id(average)}|\n"
    )


def _id(value: int | None) -> object:
    return "" if value is None else value


def debt_lines(read: Reader, file: FieldFile) -> Iterator[str]:
    """UC1484's ``17`` records (IT0021 "Selecionar Débitos da OS"): the bills
    of each order's collection document, in file order and by reference. One
    read: the file's orders with a document streamed a page at a time
    (``FieldFileQueries.document_pages``), and per page the documents and
    billing's open bills of their properties for the situation text (empty
    for a bill no longer open)."""
    with read() as uow:
        for pairs in uow.field_file_queries.document_pages(file.id, size=PAGE):
            documents = uow.collection_documents.get_many(
                sorted({document_id for _, document_id in pairs})
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
            for order_id, document_id in pairs:
                document = documents.get(document_id)
                bills = [] if document is None else document.items
                for bill in sorted(
                    (b for b in bills if b.kind is DebtKind.BILL),
                    key=lambda b: (b.reference or 0, b.debt_id),
                ):
                    yield debt_fields(
                        order_id,
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
