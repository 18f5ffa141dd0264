"""Generating a cut order ("Gerar Ordem de Corte", GEN-12..GEN-16): emitting
again a property's open cut order (:func:`reemit_open_cut`, GEN-13) and the
checks a new one passes (:func:`check_new_cut_order`). The service's
``generate_cut_order`` runs them in one unit of work."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import (
    ServiceOrder,
    ServiceOrderUpdated,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.service_orders.common import _locality_unit


def reemit_open_cut(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    property_id: int,
    at: datetime,
    actor: int,
) -> ServiceOrder | None:
    """GEN-13: the property's open order of a cut type (roles
    ``service_type.cut_order`` and ``service_type.cut``), emitted again; None
    when it has none. The caller has locked the property."""
    blocking = profile.ids("service_type.cut_order") | profile.ids("service_type.cut")
    open_cut = [
        o
        for o in uow.service_orders.find_by(
            property_id=property_id, service_type_id=blocking
        )
        if o.is_open
    ]
    if not open_cut:
        return None
    emitted = attrs.evolve(open_cut[0], emitted_at=at, version=open_cut[0].version + 1)
    uow.service_orders.update(emitted)
    uow.record(
        ServiceOrderUpdated(
            occurred_at=at,
            actor=actor,
            order_id=emitted.id,
            version=emitted.version,
        )
    )
    return emitted


def check_new_cut_order(
    uow: UnitOfWork,
    profile: UtilityProfile,
    prop: Property,
    *,
    notice_document_id: int | None,
    reference_from: int | None,
    reference_to: int | None,
    due_from: date | None,
    due_to: date | None,
) -> tuple[ServiceType, int | None]:
    """GEN-12, GEN-14..GEN-16 and GEN-10: the cut-order type (the lowest id
    of role ``service_type.cut_order``) and the unit of the property's
    locality, for a property whose water connection may be cut, with unpaid
    bills in the period given and the notice the profile asks for."""
    cut_types = profile.ids("service_type.cut_order")
    type_id = min(cut_types) if cut_types else None
    service_type = None if type_id is None else uow.service_types.find(type_id)
    bills = rules.bills_in_period(
        uow.billing.open_debts(prop.id),
        reference_from=reference_from,
        reference_to=reference_to,
        due_from=due_from,
        due_to=due_to,
    )
    unit_id = _locality_unit(uow, prop)
    ensure(
        (
            *rules.check_cut_order(
                prop,
                allowed_water_statuses=profile.ids("water_status.connected")
                | profile.ids("water_status.under_inspection"),
                service_type=service_type,
                bills=bills,
                requires_notice=profile.service_orders.cut_order_requires_notice,
                notice_document_id=notice_document_id,
            ),
            *rules.check_collection_unit(prop, unit_id),
        )
    )
    assert service_type is not None
    return service_type, unit_id
