"""Helpers the service-order use cases share: the order's property and units,
permissions, situation moves and the unit history."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, time

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import (
    OrderAction,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext, holds_permission

ORDER_REFERENCE_MISSING = Message(
    "service_order.reference_missing",
    en="{field} {value} does not exist or is inactive.",
    pt="{campo} {value} inexistente ou inativo(a).",
    gsan_key="atencao.pesquisa_inexistente",
)


def missing_references(
    uow: UnitOfWork, *, priority_id: int | None = None, unit_id: int | None = None
) -> list[Violation]:
    """A priority or a unit an order is given that does not exist or is
    inactive (refused, not stored)."""
    found: list[Violation] = []
    if priority_id is not None:
        priority = uow.catalog.find("service_priority", priority_id)
        if priority is None or not priority.active:
            found.append(
                ORDER_REFERENCE_MISSING(
                    field="Priority", campo="Prioridade", value=priority_id
                )
            )
    if unit_id is not None:
        unit = uow.units.find(unit_id)
        if unit is None or not unit.active:
            found.append(
                ORDER_REFERENCE_MISSING(
                    field="Unit", campo="Unidade organizacional", value=unit_id
                )
            )
    return found


# ---------------------------------------------------------------- helpers
def _zone_instant(
    ctx: ServiceContext, on: date, at: datetime, clock_time: time | None
) -> datetime:
    local = at.astimezone(ctx.zone)
    chosen = (
        clock_time if clock_time is not None else local.time().replace(microsecond=0)
    )
    return datetime.combine(on, chosen, tzinfo=ctx.zone)


def _catalog_map(uow: UnitOfWork, kind: str) -> dict[int, CatalogItem]:
    return {item.id: item for item in uow.catalog.list(kind)}


def _permission(ctx: ServiceContext, uow: UnitOfWork, actor: int, role: str) -> bool:
    return holds_permission(ctx.profile, uow, actor, role)


class _Permissions(Mapping[str, bool]):
    """The actor's special permissions by role, asked of the port only when a
    rule reads one (most closings need none)."""

    def __init__(
        self, ctx: ServiceContext, uow: UnitOfWork, actor: int, roles: Sequence[str]
    ) -> None:
        self._ctx, self._uow, self._actor = ctx, uow, actor
        self._roles = tuple(roles)
        self._known: dict[str, bool] = {}

    def __getitem__(self, role: str) -> bool:
        if role not in self._roles:
            raise KeyError(role)
        if role not in self._known:
            self._known[role] = _permission(self._ctx, self._uow, self._actor, role)
        return self._known[role]

    def __iter__(self) -> Iterator[str]:
        return iter(self._roles)

    def __len__(self) -> int:
        return len(self._roles)


def _reference_of(
    uow: UnitOfWork, service_type: ServiceType | None
) -> CatalogItem | None:
    """The reference behaviour row of a type (``servico_tipo_referencia``)."""
    if service_type is None or service_type.reference_id is None:
        return None
    return uow.catalog.find("service_type_reference", service_type.reference_id)


def order_property(uow: UnitOfWork, order: ServiceOrder) -> Property | None:
    """The property of an OS (its own: the RA's is copied onto the OS at
    generation), read under its lock: the OS is about to change it, or what
    hangs from it (``docs/concurrency.md``)."""
    if order.property_id is None:
        return None
    return uow.properties.lock_many([order.property_id]).get(order.property_id)


def _user_unit(uow: UnitOfWork, actor: int) -> int | None:
    user = uow.users.find(actor)
    return None if user is None else user.unit_id


def _locality_unit(uow: UnitOfWork, prop: Property | None) -> int | None:
    if prop is None:
        return None
    units = uow.units.find_by(locality_id=prop.locality_id, active=True)
    return units[0].id if units else None


def _unit_record(
    uow: UnitOfWork,
    order: ServiceOrder,
    relation: OrderUnitRelation,
    actor: int,
    at: datetime,
) -> None:
    uow.order_units.add(
        OrderUnitRecord(
            id=uow.next_id("order_unit"),
            order_id=order.id,
            unit_id=_user_unit(uow, actor),
            user_id=actor,
            relation=relation,
            at=at,
        )
    )


def _move(
    uow: UnitOfWork, order: ServiceOrder, action: OrderAction, **changes: object
) -> ServiceOrder:
    ensure(rules.check_transition(order, action))
    after = rules.transition(order.situation, action)
    assert after is not None
    moved = attrs.evolve(order, situation=after, version=order.version + 1, **changes)  # type: ignore[arg-type]
    uow.service_orders.update(moved)
    return moved
