"""Use cases of the hydrometer area: the stock, the installation history, the
operations run by a service order, the stock movements and the consumption
anomaly escalation.

The ``*_in`` functions work inside a caller's unit of work, so the connection
area composes them into its own operations (connection with installation,
reconnection with replacement, the cut and suppression readings). Each checks
every rule first and raises :class:`~gsan_core.errors.RuleViolation` with all of
them, writing nothing; otherwise it writes and records its events (the caller
commits).

The five commercial operations (``hydrometer.install``, ``.remove``,
``.replace``, ``.relocate``, ``.update_installation``) run by closing their
service order or from the menu path (``service_orders.apply_operation``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

import attrs

from gsan_core.errors import ConcurrencyConflict, NotFound, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.connections import MeterInstallation, MeterReplacement
from gsan_core.model.hydrometers import (
    AnomalyActionStep,
    ConsumptionAnomalyAction,
    Hydrometer,
    HydrometerAttributes,
    HydrometerChanged,
    HydrometerInstallation,
    HydrometerInstalled,
    HydrometerMovement,
    HydrometerRelocated,
    HydrometerRemoved,
    HydrometerReplaced,
    HydrometersBulkUpdated,
    HydrometersInserted,
    HydrometersMoved,
    InstallationOrigin,
    InstallationReadingsRecorded,
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
from gsan_core.rules.hydrometers import (
    IncomingMeter,
    InstallationChanges,
    MeterEvent,
    NewInstallation,
    NumberLayout,
    Removal,
)
from gsan_core.rules.service_orders import MenuVariant
from gsan_core.rules.validation import ensure
from gsan_core.services.charges import given_meter_facts
from gsan_core.services.context import Service
from gsan_core.services.operations import CommercialOperation, OperationCall

__all__ = [
    "ConnectionMeters",
    "HydrometerService",
    "InsertedRange",
    "MeterPlan",
    "current_installation",
    "hydrometer_operations",
    "install_in",
    "record_readings_in",
    "remove_in",
    "replace_in",
]

_METER_KINDS = (
    "hydrometer_type",
    "hydrometer_brand",
    "hydrometer_capacity",
    "hydrometer_diameter",
    "hydrometer_metrological_class",
    "hydrometer_register",
    "hydrometer_turbine_type",
    "hydrometer_stock_location",
)


# ================================================================ helpers
T = TypeVar("T")


def _keep(value: T | None, stored: T) -> T:
    return stored if value is None else value


def _today(profile: UtilityProfile, at: datetime) -> date:
    return at.astimezone(ZoneInfo(profile.timezone)).date()


def _item(uow: UnitOfWork, kind: str, ident: object) -> CatalogItem | None:
    if not isinstance(ident, int) or isinstance(ident, bool):
        return None
    return uow.catalog.find(kind, ident)


def _references(
    uow: UnitOfWork, kinds: Iterable[str]
) -> dict[str, dict[int, CatalogItem]]:
    return {kind: {i.id: i for i in uow.catalog.list(kind)} for kind in kinds}


def _locality_location(uow: UnitOfWork, prop: Property) -> int | None:
    locality = uow.localities.find(prop.locality_id)
    return None if locality is None else locality.stock_location_id


def _find_meter(
    uow: UnitOfWork,
    profile: UtilityProfile,
    hydrometer_id: int | None,
    number: str | None,
) -> IncomingMeter:
    given: int | str | None = hydrometer_id if hydrometer_id is not None else number
    ambiguous = hydrometer_id is not None and number is not None
    meter: Hydrometer | None = None
    if isinstance(hydrometer_id, int) and not ambiguous:
        meter = uow.hydrometers.find(hydrometer_id)
    elif isinstance(number, str) and not ambiguous:
        meter = uow.hydrometers.find_by_number(number.strip().upper())
    if meter is None:
        return IncomingMeter(given=given, ambiguous=ambiguous, meter=None)
    # The situation's row only names it in the I-12 message.
    available = profile.plays("hydrometer_situation.available", meter.situation_id)
    return IncomingMeter(
        given=given,
        ambiguous=ambiguous,
        meter=meter,
        situation=None
        if available
        else uow.catalog.find("hydrometer_situation", meter.situation_id),
        last_removal=uow.hydrometer_installations.last_removal(hydrometer_id=meter.id),
    )


def _lock(uow: UnitOfWork, prop: Property) -> int | None:
    return uow.field_lock.locked_reference(prop.id)


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
    ]

    def apply() -> HydrometerInstallation:
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
        uow.record(
            HydrometerInstalled(
                occurred_at=at,
                actor=actor,
                installation_id=installation.id,
                hydrometer_id=installation.hydrometer_id,
                property_id=prop.id,
                point=point,
                installed_on=installed_on,
                reading=installation.installation_reading,
            )
        )
        return installation

    return MeterPlan(violations=tuple(violations), apply=apply)


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
) -> HydrometerInstallation:
    """Install a meter (by id or number) at a property's measurement point.

    Checks the meter rules I-9..I-15 and, with ``check_field_lock``, OS-6; not the
    connection's situation (I-7, I-8) nor the service order, which the caller
    checks. The meter becomes INSTALADO; its stock location stays (GSAN keeps it).
    """
    plan = _plan_install(
        uow,
        profile=profile,
        prop=uow.properties.get(property_id),
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
    )
    ensure(plan.violations)
    return plan.apply()


@attrs.frozen(kw_only=True)
class _Removing:
    violations: tuple[Violation, ...]
    current: HydrometerInstallation | None
    meter: Hydrometer | None
    removal: Removal


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
        prop=uow.properties.get(property_id),
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
    violations = [
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

    def apply() -> HydrometerInstallation:
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
                replaced_on=replaced_on,
                outgoing_installation_id=closed.id,
                outgoing_hydrometer_id=closed.hydrometer_id,
                incoming_installation_id=opened.id,
                incoming_hydrometer_id=opened.hydrometer_id,
            )
        )
        return opened

    return MeterPlan(violations=tuple(violations), apply=apply)


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
        prop=uow.properties.get(property_id),
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


class ConnectionMeters:
    """The meter steps of the connection operations, over the installation
    history (the connection area's ``MeterSeam``; the default of every system).

    Each ``plan_*`` method checks its rules and returns a :class:`MeterPlan`
    without writing: the connection operation raises its own violations and the
    plan's together, then applies both in the same unit of work. The connection
    operation runs the "in field" lock (C-CAMPO) where GSAN does, so the
    installation and replacement plans do not; the removal of a suppression runs
    it (GSAN's removal does).
    """

    _WATER = MeasurementPoint.WATER_CONNECTION

    def installed(self, uow: UnitOfWork, *, property_id: int, point: int) -> bool:
        """Whether a meter is installed at the point (1 water connection, 2 well)."""
        found = current_installation(
            uow, property_id=property_id, point=MeasurementPoint(point)
        )
        return found is not None

    def plan_cut(
        self,
        uow: UnitOfWork,
        *,
        property_id: int,
        reading: int | None,
        actor: int,
        at: datetime,
    ) -> MeterPlan[HydrometerInstallation | None]:
        """A cut (§3.4): the open installation of the water connection, if any,
        gets the cut reading, or none (GSAN writes the informed reading or null);
        C-HID3: the reading fits the meter's digits."""
        current = current_installation(uow, property_id=property_id, point=self._WATER)
        if current is None or (reading is not None and reading < 0):
            # no meter; or a negative reading, which the cut's own rule refuses
            return MeterPlan(violations=(), apply=lambda: current)
        meter = uow.hydrometers.get(current.hydrometer_id)
        violations = rules.check_reading(
            reading,
            field="Cut reading",
            campo="Leitura de Corte",
            digits=meter.reading_digits,
            rule="C-HID3",
        )

        def apply() -> HydrometerInstallation | None:
            if reading == current.cut_reading:
                return current
            changed = attrs.evolve(
                current, cut_reading=reading, version=current.version + 1
            )
            uow.hydrometer_installations.update(changed)
            uow.record(
                InstallationReadingsRecorded(
                    occurred_at=at,
                    actor=actor,
                    installation_id=changed.id,
                    property_id=property_id,
                    point=self._WATER,
                    cut_reading=changed.cut_reading,
                    suppression_reading=changed.suppression_reading,
                )
            )
            return changed

        return MeterPlan(violations=tuple(violations), apply=apply)

    def plan_suppression(
        self,
        uow: UnitOfWork,
        *,
        profile: UtilityProfile,
        prop: Property,
        reading: int | None,
        removed_on: date,
        actor: int,
        at: datetime,
    ) -> MeterPlan[HydrometerInstallation | None]:
        """A suppression (§3.6) removes the water connection's meter without a
        charge (GSAN ``efetuarRetiradaHidrometroSemGeracaoDebito``): the open
        installation gets the suppression reading and closes on ``removed_on``
        with it as its removal reading; the meter goes back to DISPONIVEL at the
        location it has. R-7..R-11 and the "in field" lock (OS-6) apply."""
        current = current_installation(uow, property_id=prop.id, point=self._WATER)
        if current is None or (reading is not None and reading < 0):
            return MeterPlan(violations=(), apply=lambda: None)
        plan = _plan_remove(
            uow,
            profile=profile,
            prop=prop,
            point=self._WATER,
            removed_on=removed_on,
            reading=reading,
            situation_id=rules.situation_id(profile, "available"),
            location_id=None,
            actor=actor,
            at=at,
            suppression=True,
        )
        return MeterPlan(violations=plan.violations, apply=plan.apply)

    def plan_install(
        self,
        uow: UnitOfWork,
        *,
        profile: UtilityProfile,
        prop: Property,
        meter: MeterInstallation,
        installed_on: date,
        actor: int,
        at: datetime,
    ) -> MeterPlan[HydrometerInstallation]:
        """Install ``meter`` on the water connection (I-9..I-15) on
        ``installed_on``; it becomes INSTALADO."""
        return _plan_install(
            uow,
            profile=profile,
            prop=prop,
            point=self._WATER,
            installed_on=installed_on,
            reading=meter.reading,
            place_id=meter.place_id,
            protection_id=meter.protection_id,
            actor=actor,
            at=at,
            hydrometer_id=meter.hydrometer_id,
            number=meter.number,
            stand=meter.stand,
            seal=meter.seal,
            tamper_seal=meter.tamper_seal,
            check_field_lock=False,
        )

    def plan_replace(
        self,
        uow: UnitOfWork,
        *,
        profile: UtilityProfile,
        prop: Property,
        replacement: MeterReplacement,
        replaced_on: date,
        actor: int,
        at: datetime,
    ) -> MeterPlan[HydrometerInstallation]:
        """Replace the water connection's meter (S-7..S-13) on ``replaced_on``,
        with the screen's R-9 / S-12 location rule for the outgoing meter."""
        plan = _plan_replace(
            uow,
            profile=profile,
            prop=prop,
            point=self._WATER,
            replaced_on=replaced_on,
            removal_reading=replacement.removal_reading,
            outgoing_situation_id=replacement.outgoing_situation_id,
            outgoing_location_id=replacement.outgoing_location_id,
            reading=replacement.reading,
            place_id=replacement.place_id,
            protection_id=replacement.protection_id,
            actor=actor,
            at=at,
            hydrometer_id=replacement.hydrometer_id,
            number=replacement.number,
            stand=replacement.stand,
            seal=replacement.seal,
            tamper_seal=replacement.tamper_seal,
            check_field_lock=False,
        )
        located = _location_given(
            uow,
            replacement.outgoing_situation_id,
            replacement.outgoing_location_id,
            "S-12",
        )
        return MeterPlan(violations=(*located, *plan.violations), apply=plan.apply)


# ================================================================ operations
def _operation_property(call: OperationCall) -> Property:
    return call.uow.properties.get(call.property_id)


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
        ]
    )
    assert current is not None

    changed = attrs.evolve(
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


# ================================================================ the service
@attrs.frozen(kw_only=True)
class InsertedRange:
    """What inserting meters did."""

    count: int
    first_id: int
    last_id: int
    first_number: str
    last_number: str


def _segments(
    layout: NumberLayout, fixed: str, first: int, last: int
) -> list[tuple[str, str]]:
    """``(first number, last number)`` per sequence width in ``first..last``: a
    6-digit and a 7-digit part when the range crosses 999999."""
    boundary = int(10**layout.sequence_digits)
    parts: list[tuple[int, int]] = []
    if first < boundary:
        parts.append((first, min(last, boundary - 1)))
    if last >= boundary:
        parts.append((max(first, boundary), last))
    return [(layout.number(fixed, lo), layout.number(fixed, hi)) for lo, hi in parts]


_COPIED = tuple(f.name for f in attrs.fields(HydrometerAttributes))


class HydrometerService(Service):
    """``gsan.hydrometers``: the meter stock, its history and its movements."""

    # ------------------------------------------------------------ layout
    @property
    def layout(self) -> NumberLayout:
        """The utility's meter-number layout (``hydrometers.number_format``)."""
        return rules.number_layout(self.profile)

    def _attribute_violations(
        self,
        uow: UnitOfWork,
        attributes: HydrometerAttributes,
        *,
        fixed: str | None,
        location_id: int | None,
        check_location: bool,
    ) -> tuple[tuple[Violation, ...], int | None]:
        return rules.check_attributes(
            attributes,
            fixed=fixed,
            layout=self.layout,
            references=_references(uow, _METER_KINDS),
            today=self._today(),
            earliest_year=self.profile.hydrometers.earliest_year,
            location_id=location_id,
            check_location=check_location,
        )

    def _new(
        self,
        attributes: HydrometerAttributes,
        *,
        numbered: Iterable[tuple[int, str]],
        year: int,
        location_id: int,
    ) -> Iterator[Hydrometer]:
        """New meters (H-11): DISPONIVEL, the same data, their own id and number."""
        available = rules.situation_after(self.profile, None, MeterEvent.INSERT)
        assert available is not None
        common = {name: getattr(attributes, name) for name in _COPIED}
        common |= {
            "manufacture_year": year,
            "situation_id": available,
            "location_id": location_id,
        }
        for ident, number in numbered:
            yield Hydrometer(id=ident, number=number, **common)

    # ------------------------------------------------------------ bulk load
    def load(
        self,
        *,
        actor: int,
        meters: Iterable[Hydrometer] = (),
        installations: Iterable[HydrometerInstallation] = (),
    ) -> int:
        """Insert meters and installation periods from the utility's cadastre in
        one transaction (set-based; no events, like ``connections.load``).

        Every installation's property must exist and its meter must be in
        ``meters`` or already stored. Returns how many rows were added.
        """
        del actor  # a cadastral import, as properties.load_locations
        new_meters = [attrs.evolve(m, version=1) for m in meters]
        new_periods = [attrs.evolve(i, version=1) for i in installations]
        with self._work() as uow:
            wanted = {i.property_id for i in new_periods}
            missing = sorted(wanted - set(uow.properties.get_many(wanted)))
            if missing:
                raise NotFound("property", missing[0])
            known = {m.id for m in new_meters}
            unknown = {i.hydrometer_id for i in new_periods} - known
            absent = sorted(unknown - set(uow.hydrometers.get_many(unknown)))
            if absent:
                raise NotFound("hydrometer", absent[0])
            uow.hydrometers.add_many(new_meters)
            uow.hydrometer_installations.add_many(new_periods)
            uow.commit()
        return len(new_meters) + len(new_periods)

    # ------------------------------------------------------------ insert
    def insert(
        self,
        *,
        number: str,
        attributes: HydrometerAttributes,
        location_id: int,
        actor: int,
    ) -> Hydrometer:
        """Insert one meter ("Inserir Hidrômetro" by number): H-1..H-12; DISPONIVEL."""
        layout = self.layout
        at = self._now()
        with self._work() as uow:
            malformed = rules.check_number(number, layout)
            parts = None if malformed else rules.split_number(number, layout)
            found, year = self._attribute_violations(
                uow,
                attributes,
                fixed=None if parts is None else parts[0],
                location_id=location_id,
                check_location=True,
            )
            holder = None if malformed else uow.hydrometers.find_by_number(number)
            ensure(
                [
                    *malformed,
                    *found,
                    *(
                        []
                        if malformed
                        else rules.check_number_free(number, holder=holder)
                    ),
                ]
            )
            assert year is not None
            (meter,) = self._new(
                attributes,
                numbered=[(uow.next_id("hydrometer"), number)],
                year=year,
                location_id=location_id,
            )
            uow.hydrometers.add(meter)
            uow.record(
                HydrometersInserted(
                    occurred_at=at,
                    actor=actor,
                    count=1,
                    first_id=meter.id,
                    last_id=meter.id,
                    first_number=number,
                    last_number=number,
                    location_id=location_id,
                )
            )
            uow.commit()
        return meter

    def insert_range(
        self,
        *,
        fixed: str,
        first: int,
        last: int,
        attributes: HydrometerAttributes,
        location_id: int,
        actor: int,
    ) -> InsertedRange:
        """Insert the meters ``fixed + first .. fixed + last`` (H-1..H-12).

        The whole range is refused when any generated number exists (H-10, on the
        exact zero-padded numbers); every meter is DISPONIVEL with the same data.
        One transaction, set-based.
        """
        layout = self.layout
        at = self._now()
        with self._work() as uow:
            shape = rules.check_fixed(fixed, layout) if not layout.free else []
            found: list[Violation] = [*rules.check_range(first, last, layout), *shape]
            attribute_violations, year = self._attribute_violations(
                uow,
                attributes,
                fixed=None if shape or layout.free else fixed,
                location_id=location_id,
                check_location=True,
            )
            found += attribute_violations
            ensure(found)
            assert year is not None
            numbers = rules.range_numbers(fixed, first, last, layout)
            wanted = set(numbers)
            existing = {
                number
                for lo, hi in _segments(layout, fixed, first, last)
                for number in uow.hydrometers.numbers_between(lo, hi)
                if number in wanted
            }
            ensure(
                rules.check_no_existing(
                    existing, first_number=numbers[0], last_number=numbers[-1]
                )
            )
            ids = uow.next_ids("hydrometer", len(numbers))
            uow.hydrometers.add_many(
                self._new(
                    attributes,
                    numbered=zip(ids, numbers, strict=True),
                    year=year,
                    location_id=location_id,
                )
            )
            inserted = InsertedRange(
                count=len(numbers),
                first_id=ids[0],
                last_id=ids[-1],
                first_number=numbers[0],
                last_number=numbers[-1],
            )
            uow.record(
                HydrometersInserted(
                    occurred_at=at,
                    actor=actor,
                    count=inserted.count,
                    first_id=inserted.first_id,
                    last_id=inserted.last_id,
                    first_number=inserted.first_number,
                    last_number=inserted.last_number,
                    location_id=location_id,
                )
            )
            uow.commit()
        return inserted

    # ------------------------------------------------------------ update
    def update(
        self,
        hydrometer_id: int,
        *,
        expected_version: int,
        actor: int,
        attributes: HydrometerAttributes | None = None,
        number: str | None = None,
    ) -> Hydrometer:
        """Change one meter read at ``expected_version`` ("Manter Hidrômetro").

        The same rules as insert (H-2..H-8, H-12) and a unique number (H-10); the
        situation and location change only through operations and movements.
        """
        layout = self.layout
        at = self._now()
        with self._work() as uow:
            meter = uow.hydrometers.get(hydrometer_id)
            if meter.version != expected_version:
                raise ConcurrencyConflict("hydrometer", hydrometer_id, expected_version)
            new_number = meter.number if number is None else number
            given = attributes
            if given is None:
                # The stored data; a fixed layout reads the year from the number.
                given = HydrometerAttributes.of(meter)
                if not layout.free:
                    given = attrs.evolve(given, manufacture_year=None)
            malformed = rules.check_number(new_number, layout)
            parts = None if malformed else rules.split_number(new_number, layout)
            found, year = self._attribute_violations(
                uow,
                given,
                fixed=None if parts is None else parts[0],
                location_id=None,
                check_location=False,
            )
            holder = None
            if not malformed and new_number != meter.number:
                holder = uow.hydrometers.find_by_number(new_number)
            ensure(
                [
                    *malformed,
                    *found,
                    *rules.check_number_free(
                        new_number, holder=holder, own_id=meter.id
                    ),
                ]
            )
            values = {name: getattr(given, name) for name in _COPIED}
            values["manufacture_year"] = year
            changed = attrs.evolve(
                meter, number=new_number, version=meter.version + 1, **values
            )
            uow.hydrometers.update(changed)
            uow.record(
                HydrometerChanged(
                    occurred_at=at,
                    actor=actor,
                    hydrometer_id=changed.id,
                    version=changed.version,
                )
            )
            uow.commit()
        return changed

    def update_range(
        self,
        *,
        fixed: str,
        first: int,
        last: int,
        attributes: HydrometerAttributes,
        actor: int,
    ) -> int:
        """ "Atualizar Conjunto": copy ``attributes`` onto every meter of the range
        (H-2..H-9, H-12); returns how many changed. Set-based, one transaction."""
        layout = self.layout
        at = self._now()
        with self._work() as uow:
            shape = rules.check_fixed(fixed, layout) if not layout.free else []
            found: list[Violation] = [*rules.check_range(first, last, layout), *shape]
            attribute_violations, year = self._attribute_violations(
                uow,
                attributes,
                fixed=None if shape or layout.free else fixed,
                location_id=None,
                check_location=False,
            )
            ensure([*found, *attribute_violations])
            meters = [
                meter
                for lo, hi in _segments(layout, fixed, first, last)
                for meter in uow.hydrometers.between(lo, hi)
                if rules.split_number(meter.number, layout) is not None
            ]
            first_number = layout.number(fixed, first)
            last_number = layout.number(fixed, last)
            if not meters:
                ensure(
                    [
                        rules.RANGE_EMPTY(
                            first_number=first_number, last_number=last_number
                        )
                    ]
                )
            values = {name: getattr(attributes, name) for name in _COPIED}
            values["manufacture_year"] = year
            uow.hydrometers.update_many(
                attrs.evolve(meter, version=meter.version + 1, **values)
                for meter in meters
            )
            uow.record(
                HydrometersBulkUpdated(
                    occurred_at=at,
                    actor=actor,
                    count=len(meters),
                    first_number=first_number,
                    last_number=last_number,
                )
            )
            uow.commit()
        return len(meters)

    # ------------------------------------------------------------ reads
    def get(self, id: int) -> Hydrometer:
        """One meter; ``NotFound`` if absent."""
        with self._work() as uow:
            return uow.hydrometers.get(id)

    def find_by_number(self, number: str) -> Hydrometer | None:
        """The meter with that number, or ``None``."""
        with self._work() as uow:
            return uow.hydrometers.find_by_number(number.strip().upper())

    def in_range(self, *, fixed: str, first: int, last: int) -> list[Hydrometer]:
        """The meters numbered ``fixed + first .. fixed + last``, by number."""
        layout = self.layout
        ensure(
            [*rules.check_range(first, last, layout), *rules.check_fixed(fixed, layout)]
        )
        with self._work() as uow:
            return [
                meter
                for lo, hi in _segments(layout, fixed, first, last)
                for meter in uow.hydrometers.between(lo, hi)
                if rules.split_number(meter.number, layout) is not None
            ]

    def stock(
        self, *, location_id: int | None = None, situation_id: int | None = None
    ) -> dict[tuple[int | None, int], int]:
        """How many meters are at each ``(stock location, situation)``, optionally
        of one location and/or one situation."""
        with self._work() as uow:
            counts = uow.hydrometers.stock()
        return {
            key: count
            for key, count in counts.items()
            if (location_id is None or key[0] == location_id)
            and (situation_id is None or key[1] == situation_id)
        }

    # ------------------------------------------------------------ history
    def current_installation(
        self,
        *,
        property_id: int,
        point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION,
    ) -> HydrometerInstallation | None:
        """The open installation of the point, or ``None``."""
        with self._work() as uow:
            return current_installation(uow, property_id=property_id, point=point)

    def history(
        self,
        *,
        property_id: int,
        point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION,
    ) -> Sequence[HydrometerInstallation]:
        """ "Consultar Histórico de Instalação": every installation of the point,
        oldest first."""
        with self._work() as uow:
            return uow.hydrometer_installations.of_point(
                property_id=property_id, point=point
            )

    def installed_at(self, hydrometer_id: int) -> HydrometerInstallation | None:
        """Where the meter is installed now (its open installation), or ``None``."""
        with self._work() as uow:
            return uow.hydrometer_installations.current_of(hydrometer_id)

    def history_of(self, hydrometer_id: int) -> Sequence[HydrometerInstallation]:
        """Every installation of the meter, oldest first."""
        with self._work() as uow:
            return uow.hydrometer_installations.of_hydrometer(hydrometer_id)

    def update_installation(
        self, *, property_id: int, data: UpdateInstallation, actor: int
    ) -> HydrometerInstallation:
        """UC0368 entered by the property (matrícula), with no service order:
        A-3..A-8 on the point's current installation."""
        at = self._now()
        with self._work() as uow:
            changed = _update_installation(
                uow,
                profile=self.profile,
                prop=uow.properties.get(property_id),
                data=data,
                actor=actor,
                at=at,
            )
            uow.commit()
        return changed

    # ------------------------------------------------------------ movements
    def move(
        self,
        *,
        hydrometer_ids: Iterable[int],
        destination_id: int,
        reason_id: int,
        moved_on: date,
        moved_time: time,
        actor: int,
        remark: str | None = None,
        expected_versions: Mapping[int, int] | None = None,
    ) -> HydrometerMovement:
        """ "Movimentar Hidrômetro": move meters to another stock location (V-1..V-7).

        One document with a line per meter (an id given twice counts once); each
        meter takes the destination and EM MANUTENCAO (workshop) or DISPONIVEL. ``expected_versions`` are the
        versions the caller listed (V-7): a meter changed since raises
        :class:`~gsan_core.errors.ConcurrencyConflict`. Set-based, one transaction.
        """
        wanted = list(dict.fromkeys(hydrometer_ids))
        at = self._now()
        with self._work() as uow:
            found = uow.hydrometers.stock_entries(wanted)
            meters = [found[i] for i in wanted if i in found]
            destination = _item(uow, "hydrometer_stock_location", destination_id)
            reason = _item(uow, "hydrometer_movement_reason", reason_id)
            ensure(
                rules.check_movement(
                    self.profile,
                    meters=meters,
                    missing=[i for i in wanted if i not in found],
                    destination=destination,
                    destination_id=destination_id,
                    reason=reason,
                    reason_id=reason_id,
                    moved_on=moved_on,
                    today=self._today(at),
                    remark=remark,
                )
            )
            assert destination is not None
            for meter in meters:
                expected = (expected_versions or {}).get(meter.id, meter.version)
                if expected != meter.version:
                    raise ConcurrencyConflict("hydrometer", meter.id, expected)
            situation = rules.movement_situation(self.profile, destination)
            uow.hydrometers.move_many(
                ((meter.id, meter.version) for meter in meters),
                location_id=destination.id,
                situation_id=situation,
            )
            movement = HydrometerMovement(
                id=uow.next_id("hydrometer_movement"),
                moved_at=datetime.combine(moved_on, moved_time, tzinfo=self._ctx.zone),
                reason_id=reason_id,
                origin_id=meters[0].location_id,
                destination_id=destination.id,
                situation_id=situation,
                remark=remark,
                count=len(meters),
                actor=actor,
                registered_at=at,
            )
            uow.hydrometer_movements.add(movement)
            uow.hydrometer_movements.add_lines(movement.id, (m.id for m in meters))
            uow.record(
                HydrometersMoved(
                    occurred_at=at,
                    actor=actor,
                    movement_id=movement.id,
                    count=movement.count,
                    origin_id=movement.origin_id,
                    destination_id=movement.destination_id,
                    situation_id=situation,
                )
            )
            uow.commit()
        return movement

    def movements_of(self, hydrometer_id: int) -> Sequence[HydrometerMovement]:
        """ "Consultar Movimentação": the movements of a meter, oldest first."""
        with self._work() as uow:
            return uow.hydrometer_movements.of_hydrometer(hydrometer_id)

    def moved_hydrometers(self, movement_id: int) -> Sequence[int]:
        """The meters a movement moved (its lines)."""
        with self._work() as uow:
            uow.hydrometer_movements.get(movement_id)
            return uow.hydrometer_movements.hydrometer_ids(movement_id)

    # ------------------------------------------------------------ anomaly actions
    def add_anomaly_action(
        self,
        *,
        anomaly_id: int,
        steps: Iterable[AnomalyActionStep],
        actor: int,
        category_id: int | None = None,
        property_profile_id: int | None = None,
    ) -> ConsumptionAnomalyAction:
        """Insert the escalation of an anomaly (CA-1, CA-2)."""
        del actor
        with self._work() as uow:
            action = ConsumptionAnomalyAction(
                id=uow.next_id("consumption_anomaly_action"),
                anomaly_id=anomaly_id,
                category_id=category_id,
                property_profile_id=property_profile_id,
                steps=tuple(steps),
            )
            ensure(self._check_action(uow, action))
            uow.anomaly_actions.add(action)
            uow.commit()
        return action

    def update_anomaly_action(
        self, action: ConsumptionAnomalyAction, *, actor: int
    ) -> ConsumptionAnomalyAction:
        """Store a change of an action read at ``action.version``."""
        del actor
        with self._work() as uow:
            stored = uow.anomaly_actions.get(action.id)
            if stored.version != action.version:
                raise ConcurrencyConflict(
                    "consumption_anomaly_action", action.id, action.version
                )
            changed = attrs.evolve(action, version=stored.version + 1)
            ensure(self._check_action(uow, changed))
            uow.anomaly_actions.update(changed)
            uow.commit()
        return changed

    def _check_action(
        self, uow: UnitOfWork, action: ConsumptionAnomalyAction
    ) -> list[Violation]:
        return rules.check_anomaly_action(
            action,
            references=_references(
                uow, ("consumption_anomaly", "category", "property_profile")
            ),
            siblings=uow.anomaly_actions.find_by(anomaly_id=action.anomaly_id),
        )

    def anomaly_actions(
        self, *, anomaly_id: int | None = None
    ) -> Sequence[ConsumptionAnomalyAction]:
        """The escalation rows (of one anomaly), by id."""
        with self._work() as uow:
            if anomaly_id is None:
                return uow.anomaly_actions.find_by()
            return uow.anomaly_actions.find_by(anomaly_id=anomaly_id)

    def escalation(
        self,
        *,
        anomaly_id: int,
        month: int,
        category_id: int | None = None,
        property_profile_id: int | None = None,
    ) -> AnomalyActionStep | None:
        """What the anomaly does in its ``month``-th consecutive month for a
        property of the category and profile: the most specific active action
        (category and profile, then category, then profile, then every property)."""
        with self._work() as uow:
            actions = uow.anomaly_actions.find_by(anomaly_id=anomaly_id, active=True)
        for wanted in (
            (category_id, property_profile_id),
            (category_id, None),
            (None, property_profile_id),
            (None, None),
        ):
            for action in actions:
                if (action.category_id, action.property_profile_id) == wanted:
                    return action.step(month)
        return None
