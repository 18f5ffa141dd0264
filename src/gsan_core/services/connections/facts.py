"""Loading what an operation's rules read: the facts (property, connection
rows, networks, meters, "in field" lock) and the context (permissions, debts,
billing's minimum, the order)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from gsan_core.errors import NotFound
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.connections import ConnectionKind
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import NetworkIndicator, Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.connections import (
    CatalogLookup,
    ConnectionContext,
    ConnectionFacts,
    MeterStep,
    OperationSpec,
)
from gsan_core.services.connections.seams import WATER_POINT, WELL_POINT, MeterSeam
from gsan_core.services.context import holds_permission

#: The permission roles each operation may read (``permission.<role>`` ids).
_PERMISSIONS: Mapping[str, tuple[str, ...]] = {
    "water.connect_without_order": ("connect_water_without_request",),
    "water.suppress": ("suppress_water_connection",),
    "sewer.connect": ("change_sewer_collection_percentage",),
    "sewer.connect_without_order": (
        "connect_sewer_without_request",
        "change_sewer_collection_percentage",
    ),
    "sewer.update": ("change_sewer_collection_percentage",),
    "sewer.feasible_billable.inform": ("change_sewer_collection_percentage",),
    "connection.change_situation": ("change_situation_with_debts",),
}
_DEBTS = frozenset({"water.suppress", "connection.change_situation"})
_MINIMUM = {
    "water.minimum_consumption": MeasurementKind.WATER,
    "sewer.minimum_volume": MeasurementKind.SEWER,
}


# ---------------------------------------------------------------- facts
#: The operations whose rules read the block's networks.
_NETWORK = frozenset(
    {
        "water.connect",
        "water.connect_without_order",
        "water.connect_with_meter",
        "water.connect_with_replacement",
        "water.restore_with_meter",
        "sewer.connect",
        "sewer.connect_without_order",
        "sewer.billing_situation",
        "sewer.feasible_billable.withdraw",
        "connection.change_situation",
    }
)


class _CatalogMemo:
    """The reference rows an operation reads, read once per operation."""

    def __init__(self, catalog: CatalogLookup) -> None:
        self._catalog = catalog
        self._rows: dict[tuple[str, int], CatalogItem | None] = {}

    def find(self, kind: str, id: int) -> CatalogItem | None:
        key = (kind, id)
        if key not in self._rows:
            self._rows[key] = self._catalog.find(kind, id)
        return self._rows[key]


def load_facts(
    uow: UnitOfWork,
    profile: UtilityProfile,
    property_id: int,
    *,
    spec: OperationSpec,
    meters: MeterSeam,
    prop: Property | None = None,
    lock: bool = False,
) -> ConnectionFacts:
    """What the rules of ``spec`` need to know about the property (``prop``: the
    property already read in this unit of work, under its lock when ``lock``).

    With ``lock`` the property is read under its lock (when not given): it is
    the root of the connection rows, the situations and the meters the rules
    read, so the decision holds until the commit (``docs/concurrency.md``)."""
    if prop is None or prop.id != property_id:
        prop = (
            uow.properties.lock(property_id)
            if lock
            else uow.properties.get(property_id)
        )
    key = spec.key
    water_network = sewer_network = NetworkIndicator.NONE
    if key in _NETWORK:
        block = uow.blocks.get(prop.block_id)
        water_network, sewer_network = block.water_network, block.sewer_network
    both = key == "connection.change_situation"
    ppp = False
    if key.startswith("sewer.feasible_billable"):
        locality = uow.localities.find(prop.locality_id)
        ppp = locality is not None and locality.ppp_contract
    water_meter = well_meter = False
    if spec.meter is MeterStep.REFUSED_WHILE_INSTALLED:
        water_meter = meters.installed(uow, property_id=prop.id, point=WATER_POINT)
        well_meter = meters.installed(uow, property_id=prop.id, point=WELL_POINT)
    water_kind = spec.kind is ConnectionKind.WATER
    profile_tariffs: dict[int, set[int]] = {}
    if key.startswith("water.connect"):
        for tariff in uow.catalog.list("consumption_tariff"):
            bound = tariff.integer("water_profile_id")
            if bound is not None:
                profile_tariffs.setdefault(bound, set()).add(tariff.id)
    return ConnectionFacts(
        property=prop,
        water=uow.water_connections.find(prop.id) if water_kind or both else None,
        sewer=uow.sewer_connections.find(prop.id) if not water_kind or both else None,
        water_network=water_network,
        sewer_network=sewer_network,
        locked_reference=uow.field_lock.locked_reference(prop.id)
        if spec.field_lock
        else None,
        ppp_contract=ppp,
        water_meter=water_meter,
        well_meter=well_meter,
        profile_tariffs={p: frozenset(t) for p, t in profile_tariffs.items()},
    )


def load_facts_many(
    uow: UnitOfWork,
    profile: UtilityProfile,
    props: Sequence[Property],
    *,
    spec: OperationSpec,
    meters: MeterSeam,
) -> dict[int, ConnectionFacts]:
    """:func:`load_facts` of many properties already read under their locks,
    set-based: one read each of their blocks, localities and connection rows,
    whatever their number (an operation that reads the field lock, the meters
    or the tariffs reads them property by property, as :func:`load_facts`)."""
    if (
        spec.field_lock
        or spec.meter is MeterStep.REFUSED_WHILE_INSTALLED
        or spec.key.startswith("water.connect")
    ):
        return {
            p.id: load_facts(uow, profile, p.id, spec=spec, meters=meters, prop=p)
            for p in props
        }
    key = spec.key
    ids = [p.id for p in props]
    blocks = uow.blocks.get_many({p.block_id for p in props}) if key in _NETWORK else {}
    localities = (
        uow.localities.get_many({p.locality_id for p in props})
        if key.startswith("sewer.feasible_billable")
        else {}
    )
    both = key == "connection.change_situation"
    water_kind = spec.kind is ConnectionKind.WATER
    water = uow.water_connections.get_many(ids) if water_kind or both else {}
    sewer = uow.sewer_connections.get_many(ids) if not water_kind or both else {}
    found: dict[int, ConnectionFacts] = {}
    for prop in props:
        block = blocks.get(prop.block_id)
        if key in _NETWORK and block is None:
            raise NotFound("block", prop.block_id)
        locality = localities.get(prop.locality_id)
        found[prop.id] = ConnectionFacts(
            property=prop,
            water=water.get(prop.id),
            sewer=sewer.get(prop.id),
            water_network=NetworkIndicator.NONE
            if block is None
            else block.water_network,
            sewer_network=NetworkIndicator.NONE
            if block is None
            else block.sewer_network,
            locked_reference=None,
            ppp_contract=locality is not None and locality.ppp_contract,
            water_meter=False,
            well_meter=False,
            profile_tariffs={},
        )
    return found


def _held(
    uow: UnitOfWork, profile: UtilityProfile, actor: int, roles: Collection[str]
) -> frozenset[str]:
    return frozenset(
        role for role in roles if holds_permission(profile, uow, actor, role)
    )


def _context(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    key: str,
    facts: ConnectionFacts,
    actor: int,
    today: date,
    effective_on: date,
    order: ServiceOrder | None,
    service_type: ServiceType | None,
    request_id: int | None = None,
) -> ConnectionContext:
    zone = ZoneInfo(profile.timezone)
    minimum_kind = _MINIMUM.get(key)
    return ConnectionContext(
        profile=profile,
        catalog=_CatalogMemo(uow.catalog),
        today=today,
        effective_on=effective_on,
        order=order,
        service_type=service_type,
        request_id=request_id
        if request_id is not None or order is None
        else order.request_id,
        permissions=_held(uow, profile, actor, _PERMISSIONS.get(key, ())),
        debts=uow.billing.open_debts(facts.property.id) if key in _DEBTS else (),
        order_closed_on=None
        if order is None or order.closed_at is None
        else order.closed_at.astimezone(zone).date(),
        calculated_minimum=None
        if minimum_kind is None
        else uow.billing.minimum_consumption(facts.property.id, kind=minimum_kind),
    )
