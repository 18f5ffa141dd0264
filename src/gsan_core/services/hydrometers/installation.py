"""The installation history inside a caller's unit of work: the current
installation, installing a meter (:func:`install_in`) and writing the cut and
suppression readings (:func:`record_readings_in`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Generic

import attrs

from gsan_core.errors import Violation
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    HydrometerInstalled,
    InstallationOrigin,
    InstallationReadingsRecorded,
    MeasurementPoint,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import hydrometers as rules
from gsan_core.rules.hydrometers import (
    IncomingMeter,
    MeterEvent,
    NewInstallation,
    Removal,
)
from gsan_core.rules.validation import ensure
from gsan_core.services.hydrometers.common import (
    T,
    _find_meter,
    _item,
    _locality_location,
    _lock,
    _today,
)


# ================================================================ interface
def current_installation(
    uow: UnitOfWork, *, property_id: int, point: MeasurementPoint
) -> HydrometerInstallation | None:
    """The open installation of the point, or ``None`` (no meter there)."""
    return uow.hydrometer_installations.current(property_id=property_id, point=point)


@attrs.frozen(kw_only=True)
class MeterPlan(Generic[T]):
    """A meter step checked against every rule, ready to write: the caller adds
    its own violations, raises them all at once, and only then calls
    :attr:`apply` (inside the same unit of work)."""

    violations: tuple[Violation, ...]
    apply: Callable[[], T]


def _new_installation(
    uow: UnitOfWork,
    *,
    installed_on: date,
    reading: object,
    place_id: object,
    protection_id: object,
    seal: object,
    tamper_seal: object,
) -> NewInstallation:
    return NewInstallation(
        installed_on=installed_on,
        reading=reading,
        place=_item(uow, "hydrometer_installation_place", place_id),
        place_id=place_id,
        protection=_item(uow, "hydrometer_protection", protection_id),
        protection_id=protection_id,
        seal=seal,
        tamper_seal=tamper_seal,
    )


def _write_installation(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    prop: Property,
    incoming: IncomingMeter,
    new: NewInstallation,
    point: MeasurementPoint,
    stand: bool,
    origin: InstallationOrigin,
    actor: int,
    at: datetime,
) -> HydrometerInstallation:
    meter = incoming.meter
    assert meter is not None
    assert isinstance(new.reading, int)
    assert new.place is not None
    assert new.protection is not None
    installation = HydrometerInstallation(
        id=uow.next_id("hydrometer_installation"),
        hydrometer_id=meter.id,
        property_id=prop.id,
        point=point,
        installed_on=new.installed_on,
        installation_reading=new.reading,
        registered_at=at,
        origin=origin,
        place_id=new.place.id,
        protection_id=new.protection.id,
        stand=stand,
        seal=new.seal if isinstance(new.seal, str) else None,
        tamper_seal=new.tamper_seal if isinstance(new.tamper_seal, str) else None,
        installed_by=actor,
    )
    uow.hydrometer_installations.add(installation)
    event = (
        MeterEvent.REPLACE_INCOMING
        if origin is InstallationOrigin.REPLACEMENT
        else MeterEvent.INSTALL
    )
    installed = rules.situation_after(profile, meter.situation_id, event)
    assert installed is not None
    uow.hydrometers.update(
        attrs.evolve(meter, situation_id=installed, version=meter.version + 1)
    )
    return installation


def _plan_install(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    prop: Property,
    point: MeasurementPoint,
    installed_on: date,
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
    check_field_lock: bool,
    well_type_id: object = None,
) -> MeterPlan[HydrometerInstallation]:
    incoming = _find_meter(uow, profile, hydrometer_id, number)
    new = _new_installation(
        uow,
        installed_on=installed_on,
        reading=reading,
        place_id=place_id,
        protection_id=protection_id,
        seal=seal,
        tamper_seal=tamper_seal,
    )
    violations = [
        *rules.check_property(
            prop,
            locked_reference=_lock(uow, prop) if check_field_lock else None,
            check_active=False,
        ),
        *rules.check_new_installation(
            profile,
            point=point,
            prop=prop,
            current=current_installation(uow, property_id=prop.id, point=point),
            incoming=incoming,
            locality_location_id=_locality_location(uow, prop),
            new=new,
            today=_today(profile, at),
            point_last_removal=uow.hydrometer_installations.last_removal(
                property_id=prop.id, point=point
            ),
        ),
        *rules.check_well_type(
            point=point,
            well_type_id=well_type_id,
            well_type=_item(uow, "well_type", well_type_id),
        ),
    ]

    return MeterPlan(
        violations=tuple(violations),
        apply=lambda: _install(
            uow,
            profile=profile,
            prop=prop,
            incoming=incoming,
            new=new,
            point=point,
            stand=stand,
            well_type_id=well_type_id,
            actor=actor,
            at=at,
        ),
    )


def _install(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    prop: Property,
    incoming: IncomingMeter,
    new: NewInstallation,
    point: MeasurementPoint,
    stand: bool,
    well_type_id: object,
    actor: int,
    at: datetime,
) -> HydrometerInstallation:
    """Write a checked installation; a well's type goes on the property."""
    installation = _write_installation(
        uow,
        profile=profile,
        prop=prop,
        incoming=incoming,
        new=new,
        point=point,
        stand=stand,
        origin=InstallationOrigin.INSTALLATION,
        actor=actor,
        at=at,
    )
    well_type = None
    if point is MeasurementPoint.WELL:
        # E-2: the well's pointer is the record; its type goes on the property.
        assert well_type_id is None or isinstance(well_type_id, int)
        well_type = set_well_type(uow, prop.id, well_type_id)
    uow.record(
        HydrometerInstalled(
            occurred_at=at,
            actor=actor,
            installation_id=installation.id,
            hydrometer_id=installation.hydrometer_id,
            property_id=prop.id,
            point=point,
            installed_on=new.installed_on,
            reading=installation.installation_reading,
            well_type_id=well_type,
        )
    )
    return installation


def set_well_type(
    uow: UnitOfWork, property_id: int, well_type_id: int | None
) -> int | None:
    """Record the type of the property's well (GSAN ``imovel.poco_id``), reading
    the property as this unit of work has it; returns the type."""
    current = uow.properties.get(property_id)
    if current.well_type_id != well_type_id:
        uow.properties.update(
            attrs.evolve(
                current, well_type_id=well_type_id, version=current.version + 1
            )
        )
    return well_type_id


def install_in(
    uow: UnitOfWork,
    *,
    profile: UtilityProfile,
    property_id: int,
    point: MeasurementPoint,
    installed_on: date,
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
    check_field_lock: bool = True,
    well_type_id: int | None = None,
) -> HydrometerInstallation:
    """Install a meter (by id or number) at a property's measurement point.

    Checks the meter rules I-9..I-15 and, with ``check_field_lock``, OS-6; not the
    connection's situation (I-7, I-8) nor the service order, which the caller
    checks. The meter becomes INSTALADO; its stock location stays (GSAN keeps it).
    """
    plan = _plan_install(
        uow,
        profile=profile,
        prop=uow.properties.lock(property_id),
        point=point,
        installed_on=installed_on,
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
        check_field_lock=check_field_lock,
        well_type_id=well_type_id,
    )
    ensure(plan.violations)
    return plan.apply()


@attrs.frozen(kw_only=True)
class _Removing:
    violations: tuple[Violation, ...]
    current: HydrometerInstallation | None
    meter: Hydrometer | None
    removal: Removal


def record_readings_in(
    uow: UnitOfWork,
    *,
    property_id: int,
    point: MeasurementPoint,
    cut_reading: int | None = None,
    suppression_reading: int | None = None,
    actor: int = 0,
    at: datetime | None = None,
) -> HydrometerInstallation | None:
    """Write the cut and/or suppression reading on the point's current
    installation (``None`` leaves a reading as it is); ``None`` when the point has
    no meter. ``actor`` and ``at`` are recorded on the event when given."""
    current = current_installation(uow, property_id=property_id, point=point)
    if current is None:
        return None
    meter = uow.hydrometers.get(current.hydrometer_id)
    ensure(
        [
            *rules.check_reading(
                cut_reading,
                field="Cut reading",
                campo="Leitura de Corte",
                digits=meter.reading_digits,
                rule="A-8",
            ),
            *rules.check_reading(
                suppression_reading,
                field="Suppression reading",
                campo="Leitura de Supressão",
                digits=meter.reading_digits,
                rule="A-8",
            ),
        ]
    )
    if cut_reading is None and suppression_reading is None:
        return current
    changed = attrs.evolve(
        current,
        cut_reading=current.cut_reading if cut_reading is None else cut_reading,
        suppression_reading=current.suppression_reading
        if suppression_reading is None
        else suppression_reading,
        version=current.version + 1,
    )
    uow.hydrometer_installations.update(changed)
    if at is not None:
        uow.record(
            InstallationReadingsRecorded(
                occurred_at=at,
                actor=actor,
                installation_id=changed.id,
                property_id=property_id,
                point=point,
                cut_reading=changed.cut_reading,
                suppression_reading=changed.suppression_reading,
            )
        )
    return changed
