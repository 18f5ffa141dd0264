"""The hydrometer seam: what the connection operations ask the hydrometer
area (:class:`MeterSeam`), and the meter work it plans."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Protocol

from gsan_core.errors import Violation
from gsan_core.model.connections import MeterInstallation, MeterReplacement
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork

#: ``MedicaoTipo``: where a meter measures.
WATER_POINT, WELL_POINT = 1, 2


class PlannedMeterWork(Protocol):
    """A meter step checked but not written yet
    (:class:`gsan_core.services.hydrometers.MeterPlan`)."""

    @property
    def violations(self) -> tuple[Violation, ...]:
        """Every rule the step breaks (empty: it may be applied)."""
        ...

    @property
    def apply(self) -> Callable[[], object]:
        """Write the step (only when the operation raised nothing)."""
        ...


class MeterSeam(Protocol):
    """What the connection operations ask the hydrometer area, inside the
    caller's unit of work (:class:`gsan_core.services.hydrometers.ConnectionMeters`
    implements it over the installation history)."""

    def installed(self, uow: UnitOfWork, *, property_id: int, point: int) -> bool:
        """Whether a meter is installed at the measurement point (1 water, 2 well)."""
        ...

    def plan_cut(
        self,
        uow: UnitOfWork,
        *,
        property_id: int,
        reading: int | None,
        actor: int,
        at: datetime,
    ) -> PlannedMeterWork:
        """The cut reading on the water connection's open installation."""
        ...

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
    ) -> PlannedMeterWork:
        """The suppression reading and the meter's removal (no charge)."""
        ...

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
    ) -> PlannedMeterWork:
        """A meter installed on the water connection."""
        ...

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
    ) -> PlannedMeterWork:
        """The water connection's meter replaced."""
        ...
