"""The layouts of the visit files (INSP-06) and of the micrometering records
(VIS-01), and the file creation the inspection and visit files share.

Like the smartphone file, a layout is a generator of text lines read a page
of orders at a time (``FieldFileQueries.file_rows``); the service encodes the
lines into the caller's stream with the utility's declared encoding.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from gsan_core.model.accounts.customers import RelationType
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.field_files import FieldFile, FieldFileItem, FileKind
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.field_files import clean, record
from gsan_core.services.field_work.files import Reader, _pages

__all__ = ["create_file_in", "micrometering_lines", "visit_lines"]

#: INSP-04: the address is cut to this many characters.
ADDRESS_MAX = 100


def create_file_in(
    uow: UnitOfWork,
    *,
    kind: FileKind,
    orders: Sequence[ServiceOrder],
    command_id: int | None,
    agent_id: int | None,
    actor: int,
    at: datetime,
    limit: int | None = None,
) -> FieldFile:
    """A file with ``orders`` in place order (locality, sector, block,
    property, then order id: TXT-02's order, INSP-04's sequence 1..n), the
    first ``limit`` of them when given."""
    props = uow.properties.get_many(
        sorted({o.property_id for o in orders if o.property_id})
    )

    def place(order: ServiceOrder) -> tuple[int, ...]:
        prop = props.get(order.property_id or 0)
        if prop is None:
            return (0, 0, 0, 0, order.id)
        return (prop.locality_id, prop.sector_id, prop.block_id, prop.id, order.id)

    ordered = sorted(orders, key=place)[:limit]
    file = FieldFile(
        id=uow.next_id("field_file"),
        kind=kind,
        command_id=command_id,
        agent_id=agent_id,
        order_count=len(ordered),
        created_at=at,
        created_by=actor,
    )
    uow.field_files.add(file)
    ids = uow.next_ids("field_file_item", len(ordered))
    uow.field_file_items.add_many(
        FieldFileItem(id=ident, file_id=file.id, order_id=order.id, sequence=n)
        for n, (ident, order) in enumerate(zip(ids, ordered, strict=True), 1)
    )
    return file


def visit_lines(read: Reader, file: FieldFile, *, programmed_on: str) -> Iterator[str]:
    """INSP-06 (caema UC1220): ``00`` the file, ``01`` reading anomalies,
    ``02``/``03`` street and sidewalk pavements, ``04`` service types, ``07``
    the agent, then per order ``08`` its client and ``09`` the order, every
    field followed by ``|``. Record ``07`` carries the agent's id only: his
    login and password are never written (field-work §14 item 5), their
    positions stay empty so a device's parser does not shift. ``05`` the
    active RG issuers (id, description, abbreviation), ``06`` the federal
    units (id, description, sigla); record ``08`` carries the property's user
    (the open user relation): name, CPF or CNPJ, the RG and phone fields
    empty."""
    yield record("00", [file.id])
    with read() as uow:
        anomalies = uow.catalog.list("reading_anomaly")
        streets = uow.catalog.list("street_pavement")
        sidewalks = uow.catalog.list("sidewalk_pavement")
        types = uow.service_types.find_by()
        issuers = uow.catalog.list("identity_issuer")
        states = uow.catalog.list("federal_unit")
        profiles = {i.id: i.description for i in uow.catalog.list("property_profile")}
        water = {i.id: i.description for i in uow.catalog.list("water_status")}
        sewer = {i.id: i.description for i in uow.catalog.list("sewer_status")}
    for code, items in (("01", anomalies), ("02", streets), ("03", sidewalks)):
        for item in sorted(items, key=lambda i: i.id):
            if item.active:
                yield record(code, [item.id, item.description, item.abbreviation])
    for kind in sorted(types, key=lambda t: t.id):
        if kind.active:
            yield record("04", [kind.id, kind.description])
    for code, items in (("05", issuers), ("06", states)):
        for item in sorted(items, key=lambda i: i.id):
            if item.active:
                yield record(code, [item.id, item.description, item.abbreviation])
    yield record("07", [file.agent_id, "", "", ""])
    for rows in _pages(read, file):
        users = _users(read, [row[3] for row in rows if row[3]])
        for oid, _, seq, pid, loc, sec, blk, face, prof, _, wat, sew in rows:
            place = f"{loc}.{sec}.{blk}.{face or ''}" if pid else ""
            yield record("08", [oid, "", "", *users.get(pid, ("", "", "")), *[""] * 5])
            yield record(
                "09",
                [
                    oid,
                    oid,  # the client row of record 08
                    programmed_on,
                    seq,
                    pid or "",
                    place,
                    "",  # address (INSP-04: at most 100 characters)
                    "",  # principal category
                    profiles.get(prof, ""),
                    sewer.get(sew, ""),
                    water.get(wat, ""),
                    "",  # average consumption (billing's)
                    "",  # billing group
                    "",  # fixed consumption
                    "",  # anomaly registered
                ],
            )


def _users(
    read: Reader, property_ids: Sequence[int]
) -> dict[int, tuple[str, str, str]]:
    """The open user relation of each property (one read a page): the
    customer's name, CPF and CNPJ (record ``08``)."""
    if not property_ids:
        return {}
    with read() as uow:
        relations = [
            r
            for r in uow.customer_properties.find_by(
                property_id=list(property_ids), relation=RelationType.USER
            )
            if r.is_open
        ]
        customers = uow.customers.get_many(sorted({r.customer_id for r in relations}))
    found: dict[int, tuple[str, str, str]] = {}
    for relation in sorted(relations, key=lambda r: r.id):
        customer = customers.get(relation.customer_id)
        if customer is None:
            continue
        document = customer.document or ""
        found[relation.property_id] = (
            clean(customer.name),
            document if len(document) == 11 else "",
            document if len(document) == 14 else "",
        )
    return found


def micrometering_lines(
    read: Reader, file: FieldFile, *, available_ids: frozenset[int]
) -> Iterator[str]:
    """VIS-01: the records a micrometering file adds after its orders:
    ``18`` each available meter of the stock locations the file's agent is
    responsible for (id, empty, number, empty, location id), ``19`` the meter
    situations, ``20`` the stock locations."""
    with read() as uow:
        locations = uow.catalog.list("hydrometer_stock_location")
        situations = uow.catalog.list("hydrometer_situation")
        mine = agent_locations(locations, file.agent_id)
        meters = (
            uow.hydrometers.find_by(
                location_id=sorted(mine), situation_id=sorted(available_ids)
            )
            if mine and available_ids
            else []
        )
    for meter in sorted(meters, key=lambda m: m.number):
        yield record("18", [meter.id, "", meter.number, "", meter.location_id])
    for item in sorted(situations, key=lambda i: i.id):
        yield record("19", [item.id, clean(item.description)])
    for item in sorted(locations, key=lambda i: i.id):
        if item.active:
            yield record("20", [item.id, clean(item.description)])


def agent_locations(locations: Sequence[CatalogItem], agent_id: int | None) -> set[int]:
    """The active stock locations whose responsible agent is ``agent_id``."""
    if agent_id is None:
        return set()
    return {
        item.id
        for item in locations
        if item.active and item.integer("agent_id") == agent_id
    }
