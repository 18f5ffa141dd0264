"""Removing (:func:`remove_in`) and replacing (:func:`replace_in`) a meter
inside a caller's unit of work."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from gsan_core.errors import Violation
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    HydrometerRemoved,
    HydrometerReplaced,
    InstallationOrigin,
    MeasurementPoint,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import hydrometers as rules
from gsan_core.rules.hydrometers import IncomingMeter, NewInstallation, Removal
from gsan_core.rules.validation import ensure
from gsan_core.services.hydrometers.common import (
    _find_meter,
    _item,
    _locality_location,
    _lock,
    _today,
)
from gsan_core.services.hydrometers.installation import (
    MeterPlan,
    _new_installation,
    _Removing,
    _write_installation,
    current_installation,
    set_well_type,
)


def _check_removal(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    prop: Property,
    point: MeasurementPoint,
    removed_on: date,
    reading: object,
    situation_id: object,
    location_id: object,
    today: date,
    replacing: bool,
) -> _Removing:
    current = current_installation(uow, property_id=prop.id, point=point)
    meter = None if current is None else uow.hydrometers.get(current.hydrometer_id)
    removal = Removal(
        removed_on=removed_on,
        reading=reading,
        situation_id=situation_id,
        situation=_item(uow, "hydrometer_situation", situation_id),
        location_id=location_id,
        location=_item(uow, "hydrometer_stock_location", location_id),
    )
    violations = rules.check_removal(
        profile,
        point=point,
        prop=prop,
        current=current,
        meter=meter,
        removal=removal,
        today=today,
        replacing=replacing,
    )
    return _Removing(
        violations=tuple(violations), current=current, meter=meter, removal=removal
    )


def _write_removal(
    uow: UnitOfWork, *, checked: _Removing, actor: int, suppression: bool = False
) -> tuple[HydrometerInstallation, Hydrometer]:
    """Close the installation (``suppression``: the removal reading is also the
    suppression reading, GSAN's removal at a suppression)."""
    current, meter, removal = checked.current, checked.meter, checked.removal
    assert current is not None
    assert meter is not None
    assert removal.situation is not None
    assert removal.reading is None or isinstance(removal.reading, int)
    closed = attrs.evolve(
        current,
        removed_on=removal.removed_on,
        removal_reading=removal.reading,
        removed_by=actor,
        suppression_reading=removal.reading
        if suppression
        else current.suppression_reading,
        version=current.version + 1,
    )
    uow.hydrometer_installations.update(closed)
    situation, location = rules.removal_outcome(
        meter,
        situation=removal.situation,
        location_id=removal.location.id if removal.location else None,
    )
    left = attrs.evolve(
        meter, situation_id=situation, location_id=location, version=meter.version + 1
    )
    uow.hydrometers.update(left)
    return closed, left


def _plan_remove(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    prop: Property,
    point: MeasurementPoint,
    removed_on: date,
    reading: object,
    situation_id: object,
    location_id: object,
    actor: int,
    at: datetime,
    suppression: bool = False,
) -> MeterPlan[HydrometerInstallation]:
    checked = _check_removal(
        uow,
        profile=profile,
        prop=prop,
        point=point,
        removed_on=removed_on,
        reading=reading,
        situation_id=situation_id,
        location_id=location_id,
        today=_today(profile, at),
        replacing=False,
    )
    violations = [
        *rules.check_property(
            prop, locked_reference=_lock(uow, prop), check_active=False
        ),
        *checked.violations,
    ]

    def apply() -> HydrometerInstallation:
        closed, meter = _write_removal(
            uow, checked=checked, actor=actor, suppression=suppression
        )
        if point is MeasurementPoint.WELL:
            # E-3: the well has no meter, and no type recorded, any more.
            set_well_type(uow, prop.id, None)
        uow.record(
            HydrometerRemoved(
                occurred_at=at,
                actor=actor,
                installation_id=closed.id,
                hydrometer_id=closed.hydrometer_id,
                property_id=prop.id,
                point=point,
                removed_on=removed_on,
                reading=closed.removal_reading,
                situation_id=meter.situation_id,
                location_id=meter.location_id,
            )
        )
        return closed

    return MeterPlan(violations=tuple(violations), apply=apply)


def remove_in(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    property_id: int,
    point: MeasurementPoint,
    removed_on: date,
    reading: int | None,
    situation_id: int,
    location_id: int | None,
    actor: int,
    at: datetime,
) -> HydrometerInstallation:
    """Remove the meter of a measurement point; returns the closed installation.

    Checks OS-6 and R-7..R-11. The meter takes ``situation_id`` (never the
    installed one) and ``location_id``: none for a lost/stolen situation; when
    ``location_id`` is ``None`` it keeps the location it had (GSAN's removal at a
    suppression).
    """
    plan = _plan_remove(
        uow,
        profile=profile,
        prop=uow.properties.lock(property_id),
        point=point,
        removed_on=removed_on,
        reading=reading,
        situation_id=situation_id,
        location_id=location_id,
        actor=actor,
        at=at,
    )
    ensure(plan.violations)
    return plan.apply()


def _plan_replace(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    prop: Property,
    point: MeasurementPoint,
    replaced_on: date,
    removal_reading: object,
    outgoing_situation_id: object,
    outgoing_location_id: object,
    reading: object,
    place_id: object,
    protection_id: object,
    actor: int,
    at: datetime,
    hydrometer_id: int | None,
    number: str | None,
    stand: bool,
    seal: object,
    tamper_seal: object,
    check_field_lock: bool = True,
) -> MeterPlan[HydrometerInstallation]:
    today = _today(profile, at)
    removing = _check_removal(
        uow,
        profile=profile,
        prop=prop,
        point=point,
        removed_on=replaced_on,
        reading=removal_reading,
        situation_id=outgoing_situation_id,
        location_id=outgoing_location_id,
        today=today,
        replacing=True,
    )
    incoming = _find_meter(uow, profile, hydrometer_id, number)
    new = _new_installation(
        uow,
        installed_on=replaced_on,
        reading=reading,
        place_id=place_id,
        protection_id=protection_id,
        seal=seal,
        tamper_seal=tamper_seal,
    )
    violations = _replace_violations(
        uow,
        profile,
        prop=prop,
        point=point,
        removing=removing,
        incoming=incoming,
        new=new,
        today=today,
        check_field_lock=check_field_lock,
    )
    return MeterPlan(
        violations=tuple(violations),
        apply=lambda: _replace(
            uow,
            profile=profile,
            prop=prop,
            removing=removing,
            incoming=incoming,
            new=new,
            point=point,
            stand=stand,
            actor=actor,
            at=at,
        ),
    )


def _replace_violations(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    prop: Property,
    point: MeasurementPoint,
    removing: _Removing,
    incoming: IncomingMeter,
    new: NewInstallation,
    today: date,
    check_field_lock: bool,
) -> list[Violation]:
    """The property's, the outgoing meter's (S-7, S-8, S-12, S-13) and the
    incoming meter's (S-9..S-12) violations of a replacement."""
    return [
        *rules.check_property(
            prop,
            locked_reference=_lock(uow, prop) if check_field_lock else None,
            check_active=False,
        ),
        *removing.violations,
        *rules.check_new_installation(
            profile,
            point=point,
            prop=prop,
            current=removing.current,
            incoming=incoming,
            locality_location_id=_locality_location(uow, prop),
            new=new,
            today=today,
            # The point's last removal is at most the open installation's start,
            # which S-13 already compares with the replacement date.
            point_last_removal=None,
            replacing=True,
        ),
    ]


def _replace(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    prop: Property,
    removing: _Removing,
    incoming: IncomingMeter,
    new: NewInstallation,
    point: MeasurementPoint,
    stand: bool,
    actor: int,
    at: datetime,
) -> HydrometerInstallation:
    """Write a checked replacement: the outgoing installation closed, the
    incoming one opened on the same day."""
    closed, _ = _write_removal(uow, checked=removing, actor=actor)
    opened = _write_installation(
        uow,
        profile=profile,
        prop=prop,
        incoming=incoming,
        new=new,
        point=point,
        stand=stand,
        origin=InstallationOrigin.REPLACEMENT,
        actor=actor,
        at=at,
    )
    uow.record(
        HydrometerReplaced(
            occurred_at=at,
            actor=actor,
            property_id=prop.id,
            point=point,
            replaced_on=new.installed_on,
            outgoing_installation_id=closed.id,
            outgoing_hydrometer_id=closed.hydrometer_id,
            incoming_installation_id=opened.id,
            incoming_hydrometer_id=opened.hydrometer_id,
        )
    )
    return opened


def replace_in(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    property_id: int,
    point: MeasurementPoint,
    replaced_on: date,
    removal_reading: int,
    outgoing_situation_id: int,
    outgoing_location_id: int | None,
    reading: int,
    place_id: int,
    protection_id: int,
    actor: int,
    at: datetime,
    hydrometer_id: int | None = None,
    number: str | None = None,
    stand: bool = False,
    seal: str | None = None,
    tamper_seal: str | None = None,
) -> HydrometerInstallation:
    """Replace the meter of a measurement point; returns the new installation.

    Checks OS-6 (issue gsan#160), S-7..S-13. The outgoing installation closes on
    ``replaced_on`` with ``removal_reading`` and the outgoing meter takes its
    situation and location (as :func:`remove_in`); the incoming meter (by id or
    number) opens a new installation the same day and becomes INSTALADO.
    """
    plan = _plan_replace(
        uow,
        profile=profile,
        prop=uow.properties.lock(property_id),
        point=point,
        replaced_on=replaced_on,
        removal_reading=removal_reading,
        outgoing_situation_id=outgoing_situation_id,
        outgoing_location_id=outgoing_location_id,
        reading=reading,
        place_id=place_id,
        protection_id=protection_id,
        actor=actor,
        at=at,
        hydrometer_id=hydrometer_id,
        number=number,
        stand=stand,
        seal=seal,
        tamper_seal=tamper_seal,
    )
    ensure(plan.violations)
    return plan.apply()
