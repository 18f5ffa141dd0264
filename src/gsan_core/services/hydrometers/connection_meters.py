"""The connection area's meter seam over the installation history
(:class:`ConnectionMeters`)."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from gsan_core.model.connections import MeterInstallation, MeterReplacement
from gsan_core.model.hydrometers import (
    HydrometerInstallation,
    InstallationReadingsRecorded,
    MeasurementPoint,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import hydrometers as rules
from gsan_core.services.hydrometers.installation import (
    MeterPlan,
    _plan_install,
    current_installation,
)
from gsan_core.services.hydrometers.operations import _location_given
from gsan_core.services.hydrometers.removal import _plan_remove, _plan_replace


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
