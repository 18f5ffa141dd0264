"""The five commercial operations a service order runs (``hydrometer.install``,
``.remove``, ``.replace``, ``.relocate``, ``.update_installation``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.hydrometers import (
    HydrometerInstallation,
    HydrometerRelocated,
    InstallationUpdated,
    InstallHydrometer,
    MeasurementPoint,
    RelocateHydrometer,
    RemoveHydrometer,
    ReplaceHydrometer,
    UpdateInstallation,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import hydrometers as rules
from gsan_core.rules.charges import PriceFacts
from gsan_core.rules.hydrometers import InstallationChanges
from gsan_core.rules.service_orders import MenuVariant
from gsan_core.rules.validation import ensure
from gsan_core.services.charges import given_meter_facts
from gsan_core.services.hydrometers.common import _item, _keep, _lock, _today
from gsan_core.services.hydrometers.installation import (
    MeterPlan,
    _plan_install,
    current_installation,
    set_well_type,
)
from gsan_core.services.hydrometers.removal import _plan_remove, _plan_replace
from gsan_core.services.operations import CommercialOperation, OperationCall


# ================================================================ operations
def _operation_property(call: OperationCall) -> Property:
    """The OS's property, under its lock: the connection's situation and the
    point's installations hang from it (``docs/concurrency.md``)."""
    if call.property is not None and call.property.id == call.property_id:
        return call.property  # read under its lock by the closing
    return call.uow.properties.lock(call.property_id)


def _connection_violations(
    call: OperationCall,
    prop: Property,
    point: MeasurementPoint,
    operation: str,
    connection_rule: str = "I-8",
) -> list[Violation]:
    uow = call.uow
    return rules.check_point_situation(
        call.profile,
        point=point,
        prop=prop,
        water_status=uow.catalog.find("water_status", prop.water_status_id),
        sewer_status=uow.catalog.find("sewer_status", prop.sewer_status_id),
        operation=operation,
        connection_rule=connection_rule,
    )


def _apply(
    prop: Property, plan: MeterPlan[HydrometerInstallation], *extra: Violation
) -> None:
    """OS-5 and every rule of the operation, reported at once; then the writes."""
    ensure(
        [
            *rules.check_property(prop, locked_reference=None, check_lock=False),
            *extra,
            *plan.violations,
        ]
    )
    plan.apply()


def _location_given(
    uow: UnitOfWork, situation_id: object, location_id: object, rule: str
) -> list[Violation]:
    """R-9 / S-12 on the screen: a location is chosen unless the situation is lost."""
    situation = _item(uow, "hydrometer_situation", situation_id)
    if location_id is not None or (situation is not None and situation.flag("lost")):
        return []
    return [attrs.evolve(rules.LOCATION_REQUIRED, rule=rule)()]


class _Operation:
    """What every meter operation shares: its key, titles, menu variant, charge."""

    key: str = ""
    title: str = ""
    title_pt: str = ""
    input_type: type | None = None
    menu_variant: MenuVariant = "strict"
    charges: bool = True

    @property
    def wrong_type_message(self) -> Message | None:
        """I-2, R-2, S-2, M-2, A-1: the operation's own "the order's service does
        not allow..." message, with its GSAN key."""
        return rules.WRONG_SERVICE_TYPE.get(self.key)


class _PricedByIncomingMeter(_Operation):
    """An operation priced as GSAN prices a meter installation (§4.1 "with a
    given hidrômetro"): metered, with the incoming meter's capacity."""

    def price_facts(
        self, uow: UnitOfWork, *, prop: Property, data: object | None
    ) -> PriceFacts | None:
        """The incoming meter's facts (``None``: no input or no such meter, the
        property as it is; the operation refuses them)."""
        if not isinstance(data, InstallHydrometer | ReplaceHydrometer):
            return None
        return given_meter_facts(
            uow, prop, hydrometer_id=data.hydrometer_id, number=data.number
        )


class InstallOperation(_PricedByIncomingMeter):
    """``hydrometer.install`` (UC0362, service type 304)."""

    key = "hydrometer.install"
    title = "install a hydrometer"
    title_pt = "instalação de hidrômetro"
    input_type: type | None = InstallHydrometer

    def run(self, call: OperationCall) -> None:
        """OS-5, OS-6, I-7..I-15, then install on the OS's closing date."""
        data = call.data
        assert isinstance(data, InstallHydrometer)
        prop = _operation_property(call)
        plan = _plan_install(
            call.uow,
            profile=call.profile,
            prop=prop,
            point=data.point,
            installed_on=call.effective_on,
            reading=data.reading,
            place_id=data.place_id,
            protection_id=data.protection_id,
            actor=call.actor,
            at=call.at,
            hydrometer_id=data.hydrometer_id,
            number=data.number,
            stand=data.stand,
            seal=data.seal,
            tamper_seal=data.tamper_seal,
            check_field_lock=True,
            well_type_id=data.well_type_id,
        )
        _apply(prop, plan, *_connection_violations(call, prop, data.point, self.key))


class RemoveOperation(_Operation):
    """``hydrometer.remove`` (UC0363, service type 307)."""

    key = "hydrometer.remove"
    title = "remove a hydrometer"
    title_pt = "retirada de hidrômetro"
    input_type: type | None = RemoveHydrometer

    def run(self, call: OperationCall) -> None:
        """OS-5, OS-6, R-7..R-11; the removal date is the OS's closing date."""
        data = call.data
        assert isinstance(data, RemoveHydrometer)
        prop = _operation_property(call)
        plan = _plan_remove(
            call.uow,
            profile=call.profile,
            prop=prop,
            point=data.point,
            removed_on=call.effective_on,
            reading=data.reading,
            situation_id=data.situation_id,
            location_id=data.location_id,
            actor=call.actor,
            at=call.at,
        )
        _apply(
            prop,
            plan,
            *_location_given(call.uow, data.situation_id, data.location_id, "R-9"),
        )


class ReplaceOperation(_PricedByIncomingMeter):
    """``hydrometer.replace`` (UC0364, service types 310, 351, 1421)."""

    key = "hydrometer.replace"
    title = "replace a hydrometer"
    title_pt = "substituição de hidrômetro"
    input_type: type | None = ReplaceHydrometer

    def run(self, call: OperationCall) -> None:
        """OS-5, OS-6, S-7..S-13 on the OS's closing date."""
        data = call.data
        assert isinstance(data, ReplaceHydrometer)
        prop = _operation_property(call)
        plan = _plan_replace(
            call.uow,
            profile=call.profile,
            prop=prop,
            point=data.point,
            replaced_on=call.effective_on,
            removal_reading=data.removal_reading,
            outgoing_situation_id=data.outgoing_situation_id,
            outgoing_location_id=data.outgoing_location_id,
            reading=data.reading,
            place_id=data.place_id,
            protection_id=data.protection_id,
            actor=call.actor,
            at=call.at,
            hydrometer_id=data.hydrometer_id,
            number=data.number,
            stand=data.stand,
            seal=data.seal,
            tamper_seal=data.tamper_seal,
        )
        _apply(
            prop,
            plan,
            *_location_given(
                call.uow,
                data.outgoing_situation_id,
                data.outgoing_location_id,
                "S-12",
            ),
        )


class RelocateOperation(_Operation):
    """``hydrometer.relocate`` (remanejamento, service type 308)."""

    key = "hydrometer.relocate"
    title = "relocate a hydrometer"
    title_pt = "remanejamento de hidrômetro"
    input_type: type | None = RelocateHydrometer

    def run(self, call: OperationCall) -> None:
        """OS-5, OS-6, M-7..M-9: the current installation's place, protection and
        stand change; nothing else does."""
        data = call.data
        assert isinstance(data, RelocateHydrometer)
        uow, prop = call.uow, _operation_property(call)
        current = current_installation(uow, property_id=prop.id, point=data.point)
        ensure(
            [
                *rules.check_property(prop, locked_reference=_lock(uow, prop)),
                *(
                    _connection_violations(
                        call, prop, data.point, self.key, connection_rule="M-7"
                    )
                    if data.point is MeasurementPoint.WATER_CONNECTION
                    else []
                ),
                *rules.check_relocation(
                    point=data.point,
                    prop=prop,
                    current=current,
                    place=_item(uow, "hydrometer_installation_place", data.place_id),
                    place_id=data.place_id,
                    protection=_item(uow, "hydrometer_protection", data.protection_id),
                    protection_id=data.protection_id,
                    stand=data.stand,
                ),
            ]
        )
        assert current is not None
        moved = attrs.evolve(
            current,
            place_id=data.place_id,
            protection_id=data.protection_id,
            stand=data.stand,
            version=current.version + 1,
        )
        uow.hydrometer_installations.update(moved)
        uow.record(
            HydrometerRelocated(
                occurred_at=call.at,
                actor=call.actor,
                installation_id=moved.id,
                property_id=prop.id,
                point=data.point,
                place_id=moved.place_id,
                protection_id=moved.protection_id,
                stand=moved.stand,
            )
        )


def _update_installation(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    prop: Property,
    data: UpdateInstallation,
    actor: int,
    at: datetime,
    extra: Sequence[Violation] = (),
) -> HydrometerInstallation:
    """A-3..A-8 and the correction of the current installation (UC0368)."""
    point = data.point
    current = current_installation(uow, property_id=prop.id, point=point)
    meter = None if current is None else uow.hydrometers.get(current.hydrometer_id)
    last_removal = uow.hydrometer_installations.last_removal(
        property_id=prop.id, point=point
    )
    changes = InstallationChanges(
        installed_on=data.installed_on,
        reading=data.reading,
        place=_item(uow, "hydrometer_installation_place", data.place_id),
        place_id=data.place_id,
        protection=_item(uow, "hydrometer_protection", data.protection_id),
        protection_id=data.protection_id,
        stand=data.stand,
        seal=data.seal,
        tamper_seal=data.tamper_seal,
        cut_reading=data.cut_reading,
        suppression_reading=data.suppression_reading,
        removal_reading=data.removal_reading,
    )
    ensure(
        [
            *extra,
            *rules.check_property(
                prop, locked_reference=None, check_lock=False, rule="A-3"
            ),
            *rules.check_installation_update(
                profile,
                point=point,
                prop=prop,
                water_status=uow.catalog.find("water_status", prop.water_status_id),
                current=current,
                meter=meter,
                changes=changes,
                today=_today(profile, at),
                point_last_removal=last_removal,
            ),
            *rules.check_well_type(
                point=point,
                well_type_id=data.well_type_id,
                well_type=_item(uow, "well_type", data.well_type_id),
            ),
        ]
    )
    assert current is not None
    if data.well_type_id is not None:
        # GSAN's correction screen may change the well's type (imovel.poco_id).
        set_well_type(uow, prop.id, data.well_type_id)

    changed = _corrected(current, data, actor=actor)
    uow.hydrometer_installations.update(changed)
    uow.record(
        InstallationUpdated(
            occurred_at=at,
            actor=actor,
            installation_id=changed.id,
            property_id=prop.id,
            point=point,
            version=changed.version,
        )
    )
    return changed


def _corrected(
    current: HydrometerInstallation, data: UpdateInstallation, *, actor: int
) -> HydrometerInstallation:
    """The open installation with the values given (the others kept)."""
    return attrs.evolve(
        current,
        installed_on=_keep(data.installed_on, current.installed_on),
        installation_reading=_keep(data.reading, current.installation_reading),
        place_id=_keep(data.place_id, current.place_id),
        protection_id=_keep(data.protection_id, current.protection_id),
        stand=_keep(data.stand, current.stand),
        seal=_keep(data.seal, current.seal),
        tamper_seal=_keep(data.tamper_seal, current.tamper_seal),
        cut_reading=_keep(data.cut_reading, current.cut_reading),
        suppression_reading=_keep(
            data.suppression_reading, current.suppression_reading
        ),
        installed_by=actor,
        version=current.version + 1,
    )


class UpdateInstallationOperation(_Operation):
    """``hydrometer.update_installation`` (UC0368, service types 304, 313, 310, 314).

    From the menu the OS must be closed as executed, and may already have
    updated the commercial system (variant ``"update"``); no charge.
    """

    key = "hydrometer.update_installation"
    title = "update the hydrometer installation data"
    title_pt = "alteração dos dados da instalação de hidrômetro"
    input_type: type | None = UpdateInstallation
    menu_variant: MenuVariant = "update"
    charges = False

    def run(self, call: OperationCall) -> None:
        """A-2 (installation and replacement orders only), A-3..A-8."""
        data = call.data
        assert isinstance(data, UpdateInstallation)
        profile, service_type = call.profile, call.service_type
        window: list[Violation] = []
        installing = service_type.operation in (
            "hydrometer.install",
            "hydrometer.replace",
        ) or any(
            profile.plays(f"service_type.hydrometer.{op}", service_type.id)
            for op in ("install", "replace")
        )
        if installing:
            window = rules.check_update_window(
                order_id=call.order.id,
                closed_on=call.effective_on,
                today=call.today,
                days=profile.service_orders.max_days_to_update_closed_order,
            )
        _update_installation(
            call.uow,
            profile=profile,
            prop=_operation_property(call),
            data=data,
            actor=call.actor,
            at=call.at,
            extra=window,
        )


def hydrometer_operations() -> list[CommercialOperation]:
    """The five meter operations, for :func:`gsan_core.system.default_operations`."""
    return [
        InstallOperation(),
        RemoveOperation(),
        ReplaceOperation(),
        RelocateOperation(),
        UpdateInstallationOperation(),
    ]
