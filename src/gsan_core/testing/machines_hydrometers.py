"""A Hypothesis state machine over a pool of meters and measurement points.

It inserts number ranges, moves stock, and installs, replaces, removes and
relocates meters by closing their service orders, against a plain model of the
meter lifecycle (:data:`gsan_core.rules.hydrometers.SITUATION_TRANSITIONS`).
After every step it checks that

* a meter is open at most at one point and a point has at most one meter;
* installation periods never overlap, per point and per meter;
* a meter is INSTALADO exactly when it has an open installation;
* the system's situations and locations equal the model's;

and every command the model expects to be refused raises
:class:`~gsan_core.errors.RuleViolation` and changes nothing.

Build one test class per backend (pytest fixtures cannot reach rules)::

    from gsan_core.testing.machines_hydrometers import make_machine

    TestInMemory = make_machine(lambda: gsan_core.in_memory()).TestCase

Needs ``gsan-core[testing]`` (Hypothesis).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gsan_core.errors import RuleViolation
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    InstallHydrometer,
    MeasurementPoint,
    RelocateHydrometer,
    RemoveHydrometer,
    ReplaceHydrometer,
)
from gsan_core.rules.hydrometers import SITUATION_ROLES, situation_id
from gsan_core.system import System
from gsan_core.testing.clocks import FixedClock
from gsan_core.testing.hydrometers import METER, meter_lab

__all__ = ["HydrometerMachine", "make_machine"]

FIXED = "B24A"
#: Sequences the machine draws from (a few beyond the inserted ones).
SEQUENCES = st.integers(min_value=1, max_value=12)
POINTS = st.integers(min_value=0, max_value=5)
LOCATIONS = st.sampled_from([1, 2, 3])
#: Where a meter leaving a point goes: a situation role and, unless lost, a location.
LEAVING = st.sampled_from(["available", "maintenance", "stolen"])
Point = tuple[int, MeasurementPoint]


class HydrometerMachine(RuleBasedStateMachine):
    """Subclass with ``make_system`` (a seeded default-profile system on a
    :class:`~gsan_core.testing.FixedClock`), or use :func:`make_machine`."""

    make_system: ClassVar[Callable[[], System]]

    def __init__(self) -> None:
        super().__init__()
        self.system = type(self).make_system()
        assert isinstance(self.system.clock.source, FixedClock)
        self.clock: FixedClock = self.system.clock.source
        lab = meter_lab(self.system, connected=3)
        water, well = MeasurementPoint.WATER_CONNECTION, MeasurementPoint.WELL
        self.points: list[Point] = [
            *((p, water) for p in lab.connected),
            (lab.connected[0], well),
            (lab.connected[1], well),
            (lab.cut, water),
        ]
        #: sequence -> meter id, and meter id -> (situation role, location).
        self.ids: dict[int, int] = {}
        self.meters: dict[int, tuple[str, int | None]] = {}
        #: point -> the meter open there.
        self.open: dict[Point, int] = {}
        profile = self.system.profile
        #: The profile's ids: situations by role, a service type per operation.
        self.situations = {
            role: situation_id(profile, role) for role in SITUATION_ROLES
        }
        self.types = {
            kind: min(profile.ids(f"service_type.hydrometer.{kind}"))
            for kind in ("install", "replace", "remove", "relocate")
        }

    def teardown(self) -> None:
        """Release the backend."""
        self.system.close()

    # ------------------------------------------------------------ helpers
    def _read(
        self,
    ) -> tuple[list[Hydrometer], list[list[HydrometerInstallation]]]:
        """The meters and the points' histories, read in one unit of work."""
        with self.system.uow_factory() as uow:
            meters = list(uow.hydrometers.between(f"{FIXED}000001", f"{FIXED}000099"))
            histories = [
                list(uow.hydrometer_installations.of_point(property_id=p, point=point))
                for p, point in self.points
            ]
        return meters, histories

    def _snapshot(self) -> tuple[object, ...]:
        meters, histories = self._read()
        return tuple(meters), tuple(tuple(h) for h in histories)

    @contextmanager
    def _refused(self) -> Iterator[None]:
        """The command must raise ``RuleViolation`` and change nothing."""
        before = self._snapshot()
        try:
            yield
        except RuleViolation:
            pass
        else:  # pragma: no cover - a failing example
            msg = "the model expected a refusal"
            raise AssertionError(msg)
        assert self._snapshot() == before

    def _close(self, kind: str, point: Point, data: object) -> None:
        orders = self.system.service_orders
        order = orders.generate(
            service_type_id=self.types[kind], property_id=point[0], actor=1
        )
        orders.close_executed(
            order_id=order.id,
            reason_id=2,
            closed_on=self._today(),
            actor=1,
            commercial=data,
        )

    def _today(self) -> date:
        return (
            self.clock.now().astimezone(ZoneInfo(self.system.profile.timezone)).date()
        )

    def _available(self, meter: int | None) -> bool:
        return meter is not None and self.meters[meter][0] == "available"

    def _point(self, data: st.DataObject, *, open_only: bool) -> Point:
        """A point: mostly one with a meter when ``open_only`` (commands that
        succeed), otherwise any (commands the model may expect refused)."""
        if open_only and self.open and data.draw(st.booleans(), label="open point"):
            return data.draw(st.sampled_from(sorted(self.open)), label="point")
        return self.points[data.draw(POINTS, label="point index")]

    # ------------------------------------------------------------ rules
    @initialize()
    def stock(self) -> None:
        """Start with six meters in stock."""
        self.insert_range(1, 6)

    @rule(first=SEQUENCES, count=st.integers(min_value=1, max_value=4))
    def insert_range(self, first: int, count: int) -> None:
        """Insert a range: refused whole when any number exists (H-10)."""
        sequences = range(first, first + count)

        def insert() -> None:
            self.system.hydrometers.insert_range(
                fixed=FIXED,
                first=first,
                last=first + count - 1,
                attributes=METER,
                location_id=1,
                actor=1,
            )

        if any(s in self.ids for s in sequences):
            with self._refused():
                insert()
            return
        insert()
        for meter in self.system.hydrometers.in_range(
            fixed=FIXED, first=first, last=first + count - 1
        ):
            self.ids[int(meter.number[len(FIXED) :])] = meter.id
            self.meters[meter.id] = ("available", 1)

    @rule(
        sequences=st.lists(SEQUENCES, min_size=1, max_size=4, unique=True),
        destination=LOCATIONS,
    )
    def move(self, sequences: list[int], destination: int) -> None:
        """Move meters: one origin, none installed, another destination."""
        ids = [self.ids.get(s, 10_000 + s) for s in sequences]
        known = [i for i in ids if i in self.meters]
        origins = {self.meters[i][1] for i in known}
        refused = (
            len(known) < len(ids)
            or len(origins) > 1
            or any(self.meters[i][0] == "installed" for i in known)
            or destination in origins
        )

        def move() -> None:
            self.system.hydrometers.move(
                hydrometer_ids=ids,
                destination_id=destination,
                reason_id=1,
                moved_on=self._today(),
                moved_time=self.clock.now().time(),
                actor=1,
            )

        if refused:
            with self._refused():
                move()
            return
        move()
        role = "maintenance" if destination == 3 else "available"
        for ident in ids:
            self.meters[ident] = (role, destination)

    @rule(sequence=SEQUENCES, index=POINTS)
    def install(self, sequence: int, index: int) -> None:
        """Install an available meter on an empty point (I-9, I-12)."""
        point = self.points[index]
        meter = self.ids.get(sequence)
        data = InstallHydrometer(
            point=point[1],
            hydrometer_id=meter if meter is not None else 10_000 + sequence,
            place_id=1,
            protection_id=6,
        )
        if point in self.open or not self._available(meter):
            with self._refused():
                self._close("install", point, data)
            return
        self._close("install", point, data)
        assert meter is not None
        self.open[point] = meter
        self.meters[meter] = ("installed", self.meters[meter][1])

    @rule(data=st.data(), sequence=SEQUENCES, leaving=LEAVING, location=LOCATIONS)
    def replace(
        self, data: st.DataObject, sequence: int, leaving: str, location: int
    ) -> None:
        """Replace the point's meter by an available one (S-7, S-11)."""
        point = self._point(data, open_only=True)
        meter = self.ids.get(sequence)
        command = ReplaceHydrometer(
            point=point[1],
            removal_reading=5,
            outgoing_situation_id=self.situations[leaving],
            outgoing_location_id=None if leaving == "stolen" else location,
            hydrometer_id=meter if meter is not None else 10_000 + sequence,
            place_id=1,
            protection_id=6,
        )
        if point not in self.open or not self._available(meter):
            with self._refused():
                self._close("replace", point, command)
            return
        self._close("replace", point, command)
        assert meter is not None
        outgoing = self.open[point]
        self.meters[outgoing] = (leaving, None if leaving == "stolen" else location)
        self.open[point] = meter
        self.meters[meter] = ("installed", self.meters[meter][1])

    @rule(data=st.data(), leaving=LEAVING, location=LOCATIONS)
    def remove(self, data: st.DataObject, leaving: str, location: int) -> None:
        """Remove the point's meter (R-7); a stolen one keeps no location."""
        point = self._point(data, open_only=True)
        command = RemoveHydrometer(
            point=point[1],
            reading=7,
            situation_id=self.situations[leaving],
            location_id=None if leaving == "stolen" else location,
        )
        if point not in self.open:
            with self._refused():
                self._close("remove", point, command)
            return
        self._close("remove", point, command)
        outgoing = self.open.pop(point)
        self.meters[outgoing] = (leaving, None if leaving == "stolen" else location)

    @rule(data=st.data(), place=st.sampled_from([1, 2]))
    def relocate(self, data: st.DataObject, place: int) -> None:
        """Relocate the point's meter (M-8): nothing but the record changes."""
        point = self._point(data, open_only=True)
        command = RelocateHydrometer(point=point[1], place_id=place, protection_id=6)
        if point not in self.open:
            with self._refused():
                self._close("relocate", point, command)
            return
        self._close("relocate", point, command)
        current = self.system.hydrometers.current_installation(
            property_id=point[0], point=point[1]
        )
        assert current is not None
        assert current.place_id == place

    @rule()
    def next_day(self) -> None:
        """Time passes: installation periods get lengths."""
        self.clock.advance(timedelta(days=1))

    # ------------------------------------------------------------ invariants
    @invariant()
    def periods_never_overlap_and_situations_follow(self) -> None:
        """The invariants of the module docstring."""
        meters, histories = self._read()
        records = [r for history in histories for r in history]
        for history in histories:
            _no_overlap(history)
            assert sum(r.is_open for r in history) <= 1
        by_meter: dict[int, list[HydrometerInstallation]] = {}
        for record in records:
            by_meter.setdefault(record.hydrometer_id, []).append(record)
        for meter_records in by_meter.values():
            _no_overlap(sorted(meter_records, key=lambda r: (r.installed_on, r.id)))
            assert sum(r.is_open for r in meter_records) <= 1
        open_meters = {r.hydrometer_id for r in records if r.is_open}
        open_points = {
            (r.property_id, r.point): r.hydrometer_id for r in records if r.is_open
        }
        assert open_points == self.open
        for meter in meters:
            installed = meter.situation_id == self.situations["installed"]
            assert installed == (meter.id in open_meters)
            role, location = self.meters[meter.id]
            assert (meter.situation_id, meter.location_id) == (
                self.situations[role],
                location,
            )


def _no_overlap(records: list[HydrometerInstallation]) -> None:
    """Half-open periods in order: each ends before (or when) the next begins."""
    for record in records:
        assert record.removed_on is None or record.installed_on <= record.removed_on
    for before, after in itertools.pairwise(records):
        assert before.removed_on is not None
        assert before.removed_on <= after.installed_on


def make_machine(factory: Callable[[], System]) -> type[HydrometerMachine]:
    """A :class:`HydrometerMachine` over the systems ``factory`` builds."""
    return type(
        "HydrometerMachineOf" + getattr(factory, "__name__", "Factory").title(),
        (HydrometerMachine,),
        {"make_system": staticmethod(factory)},
    )
