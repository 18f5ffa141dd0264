"""A Hypothesis state machine of the connection lifecycle (water and sewer
situations together), generated from a utility profile's transition table.

The machine runs random sequences of connection operations on a few properties,
through the two paths an operation takes (closing its order with execution, or
from the menu with an order already closed), re-applies used orders and sends
bad input, and compares the system with a plain model that only knows the
profile's data (allowed sources, target roles, the coupling rule). The "com
hidrômetro" operations install and replace meters from a small pool, cuts and
suppressions meet installed meters, so the invariants cross both areas:

* every property's water and sewer situations are situations of the profile;
* when an operation puts the water back to LIGADO the sewer is not LIG. FORA DE
  USO (the coupling rule);
* an order is applied to the commercial side at most once;
* nothing changes when a rule refuses an operation (the meters and the
  installation history included);
* a meter is installed at most at one point and a point has at most one meter;
* a meter is INSTALADO exactly when it has an open installation;
* the water situation and the installation agree: a suppressed connection has
  no open installation (the suppression removed it).

Use it with any backend::

    from gsan_core.testing.machines_connections import connection_machine

    TestConnections = connection_machine(make_system).TestCase

``make_system(loaded_profile)`` returns a seeded, empty :class:`~gsan_core.System`.
Needs ``gsan_core[testing]`` (Hypothesis).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from gsan_core import profiles
from gsan_core.errors import RuleViolation
from gsan_core.model.connections import (
    AdministrativeCutInput,
    ChangeSituationInput,
    ConnectionTarget,
    ConnectWithMeterInput,
    ConnectWithReplacementInput,
    CutInput,
    MeterInstallation,
    MeterReplacement,
    ReconnectionInput,
    ReconnectWithMeterInput,
    ReconnectWithReplacementInput,
    RestorationInput,
    RestoreWithMeterInput,
    RestoreWithReplacementInput,
    SewerConnection,
    SewerConnectionInput,
    SuppressionInput,
    WaterConnection,
    WaterConnectionInput,
)
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    NetworkIndicator,
    Property,
)
from gsan_core.model.service_orders import ServiceType
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.connections import OPERATIONS, MeterStep
from gsan_core.rules.connections import meter_part as _meter_part
from gsan_core.rules.hydrometers import situation_id
from gsan_core.services.hydrometers import install_in
from gsan_core.system import System
from gsan_core.testing.hydrometers import METER

__all__ = [
    "KEYS",
    "METER_KEYS",
    "ConnectionLifecycle",
    "Situation",
    "connection_machine",
    "machine_profile",
]

#: The operations the machine drives (those that move or read situations).
KEYS: tuple[str, ...] = (
    "water.connect",
    "water.cut",
    "water.administrative_cut",
    "water.suppress",
    "water.reconnect",
    "water.restore",
    "sewer.connect",
    "sewer.billing_situation",
    "connection.change_situation",
)
#: The "com hidrômetro" operations (a rule of their own, so the others keep
#: their share of the steps).
METER_KEYS: tuple[str, ...] = (
    "water.connect_with_meter",
    "water.reconnect_with_meter",
    "water.restore_with_meter",
    "water.connect_with_replacement",
    "water.reconnect_with_replacement",
    "water.restore_with_replacement",
)
#: The meters the machine installs (numbers ``B24A000001``.. in stock location 1).
POOL = 4
WATER_POINT = MeasurementPoint.WATER_CONNECTION
#: Service types that reach the menu path: an unlinked copy of each linked type,
#: at this offset, listed in the profile's fallback roles.
MENU_OFFSET = 90_000
PROPERTIES = (1, 2, 3)
ACTOR = 7
CONCLUDED = 2
CONNECT_ON = date(2024, 1, 10)
_SEWER = SewerConnectionInput(
    connected_on=CONNECT_ON,
    diameter_id=1,
    material_id=1,
    profile_id=1,
    grease_trap=True,
)
_WATER = WaterConnectionInput(
    connected_on=CONNECT_ON, diameter_id=1, material_id=1, profile_id=1
)


@attrs.frozen
class Situation:
    """What the model knows of a property (``meter``: the meter on its water
    connection, if any)."""

    water: int
    sewer: int
    water_row: bool
    sewer_row: bool
    meter: int | None = None


@functools.cache
def machine_profile(name: str = "gsan_default") -> profiles.LoadedProfile:
    """The profile ``name`` plus an unlinked copy of each connection service type
    (reaching the operation only through the profile's fallback roles)."""
    loaded = profiles.load(name)
    linked = [t for t in loaded.service_types if t.operation in (*KEYS, *METER_KEYS)]
    roles = {role: set(ids) for role, ids in loaded.profile.roles.items()}
    copies: list[ServiceType] = []
    for service_type in linked:
        copy_id = MENU_OFFSET + service_type.id
        copies.append(
            attrs.evolve(
                service_type,
                id=copy_id,
                description=f"{service_type.description[:40]} MENU",
                abbreviation=f"MENU {service_type.id}",
                updates_commercial=False,
                operation=None,
            )
        )
        roles.setdefault(f"service_type.{service_type.operation}", set()).add(copy_id)
        for role, ids in roles.items():
            if role.startswith("service_type.") and service_type.id in ids:
                ids.add(copy_id)
    # The machine runs many orders of a type on one property in a day: CAGEPA's
    # restriction window for new orders (GEN-18) is tested on its own.
    orders = attrs.evolve(loaded.profile.service_orders, new_order_restrictions=())
    profile = attrs.evolve(loaded.profile, roles=roles, service_orders=orders)
    return attrs.evolve(
        loaded, profile=profile, service_types=(*loaded.service_types, *copies)
    )


def _town(gsan: System, situations: list[tuple[int, int]]) -> None:
    gsan.units.register(
        OrganizationalUnit(id=1, name="ESCRITORIO", unit_type_id=12, locality_id=1),
        actor=0,
    )
    gsan.units.register_user(User(id=ACTOR, name="ANA", unit_id=1), actor=0)
    for permission in gsan.profile.roles:
        if permission.startswith("permission."):
            for pid in gsan.profile.ids(permission):
                gsan.units.grant(user_id=ACTOR, permission_id=pid, actor=0)
    gsan.properties.load_locations(
        actor=0,
        localities=[Locality(id=1, name="CENTRO")],
        sectors=[CommercialSector(id=11, locality_id=1, code=1)],
        blocks=[
            Block(
                id=1,
                locality_id=1,
                sector_id=11,
                number=1,
                water_network=NetworkIndicator.NETWORK,
                sewer_network=NetworkIndicator.NETWORK,
            )
        ],
    )
    gsan.properties.load(
        [
            Property(
                id=pid,
                locality_id=1,
                sector_id=11,
                block_id=1,
                profile_id=1,
                categories=[Economies(category_id=1, count=1)],
                water_status_id=water,
                sewer_status_id=sewer,
            )
            for pid, (water, sewer) in zip(PROPERTIES, situations, strict=True)
        ],
        actor=0,
    )


class ConnectionLifecycle(RuleBasedStateMachine):
    """The connection lifecycle of a few properties against a plain model."""

    #: Builds a seeded, empty system for a loaded profile (set by the factory).
    make_system: ClassVar[Callable[[profiles.LoadedProfile], System]]
    profile_name: ClassVar[str] = "gsan_default"

    def __init__(self) -> None:
        super().__init__()
        self.loaded = machine_profile(self.profile_name)
        self.profile = self.loaded.profile
        self.gsan = type(self).make_system(self.loaded)
        self.model: dict[int, Situation] = {}
        self.applied: list[tuple[int, str, object]] = []
        #: The pool's meter ids, and the ids of the meter situations.
        self.meters: list[int] = []
        self.installed_id = situation_id(self.profile, "installed")
        self.available_id = situation_id(self.profile, "available")
        self._water_ids = sorted(
            i
            for r, ids in self.profile.roles.items()
            if r.startswith("water_status.")
            for i in ids
        )
        self._sewer_ids = sorted(
            i
            for r, ids in self.profile.roles.items()
            if r.startswith("sewer_status.")
            for i in ids
        )

    def teardown(self) -> None:
        self.gsan.close()

    # ------------------------------------------------------------ profile data
    def _today(self) -> date:
        return self.gsan.clock.now().astimezone(ZoneInfo(self.profile.timezone)).date()

    def _one(self, role: str) -> int:
        found = self.profile.ids(role)
        assert len(found) == 1, role
        return next(iter(found))

    def _empty(self, kind: str) -> frozenset[int]:
        return self.profile.ids(f"{kind}_status.potential") | self.profile.ids(
            f"{kind}_status.feasible"
        )

    def _coupled(self, sewer: int) -> int:
        if sewer in self.profile.ids("sewer_status.out_of_use"):
            return self._one("sewer_status.connected")
        return sewer

    # ------------------------------------------------------------ setup
    @initialize(
        situations=st.lists(
            st.tuples(
                st.sampled_from([1, 2, 3, 4, 5, 6, 8]), st.sampled_from([1, 2, 3, 5, 6])
            ),
            min_size=len(PROPERTIES),
            max_size=len(PROPERTIES),
        ),
        metered=st.lists(
            st.booleans(), min_size=len(PROPERTIES), max_size=len(PROPERTIES)
        ),
    )
    def load(self, situations: list[tuple[int, int]], metered: list[bool]) -> None:
        """The properties, their connection rows, the meter pool and, on some
        connected or cut properties, a meter already installed (as a GSAN
        database holds them)."""
        _town(self.gsan, situations)
        water_rows: list[WaterConnection] = []
        sewer_rows: list[SewerConnection] = []
        for pid, (water, sewer) in zip(PROPERTIES, situations, strict=True):
            has_water = water not in self._empty("water")
            has_sewer = sewer not in self._empty("sewer")
            if has_water:
                water_rows.append(
                    WaterConnection(
                        id=pid,
                        connected_on=CONNECT_ON,
                        implanted_on=CONNECT_ON,
                        diameter_id=1,
                        material_id=1,
                        profile_id=1,
                    )
                )
            if has_sewer:
                sewer_rows.append(
                    SewerConnection(
                        id=pid,
                        connected_on=CONNECT_ON,
                        diameter_id=1,
                        material_id=1,
                        profile_id=1,
                        grease_trap=True,
                    )
                )
            self.model[pid] = Situation(water, sewer, has_water, has_sewer)
        self.gsan.connections.load(actor=0, water=water_rows, sewer=sewer_rows)
        fixed = "B24A" if self.profile.hydrometers.number_format == "4x6" else "B24AH"
        self.gsan.hydrometers.insert_range(
            fixed=fixed,
            first=1,
            last=POOL,
            attributes=attrs.evolve(METER, turbine_type_id=1)
            if fixed == "B24AH"
            else METER,
            location_id=1,
            actor=0,
        )
        self.meters = [
            m.id
            for m in self.gsan.hydrometers.in_range(fixed=fixed, first=1, last=POOL)
        ]
        installable = self.profile.allowed("hydrometer.install.water")
        with self.gsan.uow_factory() as uow:
            for pid, meter_id, wanted in zip(
                PROPERTIES, self.meters, metered, strict=False
            ):
                if wanted and self.model[pid].water in installable:
                    install_in(
                        uow,
                        profile=self.profile,
                        property_id=pid,
                        point=WATER_POINT,
                        installed_on=CONNECT_ON,
                        reading=0,
                        place_id=1,
                        protection_id=6,
                        actor=0,
                        at=self.gsan.clock.now(),
                        hydrometer_id=meter_id,
                    )
                    self.model[pid] = attrs.evolve(self.model[pid], meter=meter_id)
            uow.commit()

    # ------------------------------------------------------------ the model
    def _type_and_input(self, key: str, variant: int) -> tuple[int, object | None]:
        if key == "sewer.billing_situation":
            change = ("plug", "deactivate", "restore", "reactivate")[variant % 4]
            ids = sorted(
                self.profile.ids(f"service_type.sewer.billing_situation.{change}")
            )
            return ids[0], None
        type_id = min(
            t.id
            for t in self.loaded.service_types
            if t.operation == key and t.id < MENU_OFFSET
        )
        inputs: dict[str, object] = {
            "water.connect": _WATER,
            "water.cut": CutInput(cut_type_id=1, cut_reason_id=1, reading=variant),
            "water.administrative_cut": AdministrativeCutInput(cut_type_id=3),
            "water.suppress": SuppressionInput(
                suppression_type_id=1 if variant % 2 == 0 else 2,
                suppression_reason_id=1,
                total=variant % 2 == 0,
            ),
            "water.reconnect": ReconnectionInput(),
            "water.restore": RestorationInput(),
            "sewer.connect": _SEWER,
            "connection.change_situation": ChangeSituationInput(
                target=(
                    ConnectionTarget.WATER,
                    ConnectionTarget.SEWER,
                    ConnectionTarget.BOTH,
                )[variant % 3],
                water_status_id=self._one("water_status.feasible"),
                sewer_status_id=self._one("sewer_status.feasible"),
            ),
        }
        if key in inputs:
            return type_id, inputs[key]
        return type_id, self._meter_input(key, variant)

    def _meter_input(self, key: str, variant: int) -> object:
        """The input of a "com hidrômetro" operation, with a meter of the pool."""
        incoming = self.meters[variant % POOL]
        if OPERATIONS[key].meter is MeterStep.INSTALL:
            meter = MeterInstallation(
                hydrometer_id=incoming, reading=variant, place_id=1, protection_id=6
            )
            if key == "water.connect_with_meter":
                return ConnectWithMeterInput(connection=_WATER, meter=meter)
            if key == "water.reconnect_with_meter":
                return ReconnectWithMeterInput(meter=meter)
            return RestoreWithMeterInput(meter=meter)
        replacement = MeterReplacement(
            removal_reading=variant + 1,
            outgoing_situation_id=self.available_id,
            outgoing_location_id=1,
            hydrometer_id=incoming,
            place_id=1,
            protection_id=6,
        )
        if key == "water.connect_with_replacement":
            return ConnectWithReplacementInput(
                connection=_WATER, replacement=replacement
            )
        if key == "water.reconnect_with_replacement":
            return ReconnectWithReplacementInput(replacement=replacement)
        return RestoreWithReplacementInput(replacement=replacement)

    def _installed(self) -> set[int]:
        """The meters the model has on some property."""
        return {s.meter for s in self.model.values() if s.meter is not None}

    def _expect(
        self, pid: int, key: str, type_id: int, data: object | None
    ) -> Situation | None:
        """The property after ``key``, or ``None`` when a rule refuses it."""
        now = self.model[pid]
        base = key.removesuffix("_with_meter").removesuffix("_with_replacement")
        after = self._expect_connection(now, base, key, type_id, data)
        step = OPERATIONS[key].meter
        if after is None or step not in (MeterStep.INSTALL, MeterStep.REPLACE):
            return after
        # the meter step: the point empty for an installation (I-9) or holding a
        # meter for a replacement (S-7); the incoming meter available (I-12, S-11)
        part = _meter_part(data)
        assert part is not None
        incoming = part.hydrometer_id
        if (now.meter is None) is (step is MeterStep.REPLACE):
            return None
        if incoming in self._installed():
            return None
        return attrs.evolve(after, meter=incoming)

    def _expect_connection(
        self, now: Situation, key: str, source_key: str, type_id: int, data: object
    ) -> Situation | None:
        """The connection's own rules (``key`` the base operation's, the sources
        those of ``source_key``)."""
        allowed = self.profile.allowed
        connected = self._one("water_status.connected")
        if key == "water.connect":
            if now.water not in allowed(source_key):
                return None
            return attrs.evolve(
                now, water=connected, sewer=self._coupled(now.sewer), water_row=True
            )
        if key in ("water.cut", "water.administrative_cut", "water.suppress"):
            if not now.water_row or now.water not in allowed(key):
                return None
            if key == "water.cut":
                return attrs.evolve(now, water=self._one("water_status.cut"))
            if key == "water.suppress":
                assert isinstance(data, SuppressionInput)
                role = (
                    "water_status.suppressed"
                    if data.total
                    else "water_status.partially_suppressed_on_request"
                )
                # the suppression removes the meter (back to available)
                return attrs.evolve(now, water=self._one(role), meter=None)
            return now
        if key in ("water.reconnect", "water.restore"):
            if not now.water_row or now.water not in allowed(source_key):
                return None
            return attrs.evolve(now, water=connected, sewer=self._coupled(now.sewer))
        if key == "sewer.connect":
            if now.sewer not in allowed(key):
                return None
            return attrs.evolve(
                now, sewer=self._one("sewer_status.connected"), sewer_row=True
            )
        if key == "sewer.billing_situation":
            return self._expect_billing(now, type_id)
        assert isinstance(data, ChangeSituationInput)
        assert data.target is not None
        assert data.water_status_id is not None
        assert data.sewer_status_id is not None
        if data.target is not ConnectionTarget.SEWER and now.meter is not None:
            return None  # V-AS6: a meter on the water connection
        after = now
        if data.target is not ConnectionTarget.SEWER:
            after = attrs.evolve(after, water=data.water_status_id, water_row=False)
        if data.target is not ConnectionTarget.WATER:
            after = attrs.evolve(after, sewer=data.sewer_status_id, sewer_row=False)
        return after

    def _expect_billing(self, now: Situation, type_id: int) -> Situation | None:
        allowed = self.profile.allowed
        for change in ("plug", "deactivate", "restore", "reactivate"):
            if self.profile.plays(
                f"service_type.sewer.billing_situation.{change}", type_id
            ):
                break
        else:  # pragma: no cover - the machine only picks billing types
            return None
        key = f"sewer.billing_situation.{change}"
        if not now.sewer_row or now.sewer not in allowed(key):
            return None
        if change in ("plug", "deactivate") and now.water not in allowed(
            f"{key}.water"
        ):
            return None
        if change == "plug":
            return attrs.evolve(now, sewer=self._one("sewer_status.plugged"))
        if change == "deactivate":
            role = (
                "sewer_status.out_of_use"
                if self.profile.connections.sewer_deactivation_target == "out_of_use"
                else "sewer_status.feasible"
            )
            return attrs.evolve(now, sewer=self._one(role))
        return attrs.evolve(now, sewer=self._one("sewer_status.connected"))

    # ------------------------------------------------------------ the system
    def _snapshot(self, pid: int) -> tuple[Any, ...]:
        prop = self.gsan.properties.get(pid)
        with self.gsan.uow_factory() as uow:
            meters = tuple(uow.hydrometers.get_many(self.meters).values())
            history = tuple(
                uow.hydrometer_installations.of_point(
                    property_id=pid, point=WATER_POINT
                )
            )
        return (
            prop.version,
            prop.water_status_id,
            prop.sewer_status_id,
            self.gsan.connections.water_connection(pid),
            self.gsan.connections.sewer_connection(pid),
            len(self.gsan.connections.history(pid)),
            meters,
            history,
        )

    def _run(
        self, pid: int, key: str, type_id: int, data: object | None, menu: bool
    ) -> int:
        orders = self.gsan.service_orders
        if key == "connection.change_situation":
            order = orders.generate(
                service_type_id=type_id, property_id=pid, actor=ACTOR
            )
            assert isinstance(data, ChangeSituationInput)
            if menu:
                self.gsan.connections.change_situation(
                    order_id=order.id, data=data, actor=ACTOR
                )
            else:
                orders.close_executed(
                    order_id=order.id,
                    reason_id=CONCLUDED,
                    closed_on=self._today(),
                    actor=ACTOR,
                    commercial=data,
                )
            return order.id
        if menu:
            order = orders.generate(
                service_type_id=MENU_OFFSET + type_id, property_id=pid, actor=ACTOR
            )
            orders.close_executed(
                order_id=order.id,
                reason_id=CONCLUDED,
                closed_on=self._today(),
                actor=ACTOR,
            )
            orders.apply_operation(
                operation=key, order_id=order.id, actor=ACTOR, data=data
            )
            return order.id
        order = orders.generate(service_type_id=type_id, property_id=pid, actor=ACTOR)
        orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=self._today(),
            actor=ACTOR,
            commercial=data,
        )
        return order.id

    # ------------------------------------------------------------ rules
    @rule(
        index=st.integers(0, len(PROPERTIES) - 1),
        key=st.sampled_from(KEYS),
        menu=st.booleans(),
        variant=st.integers(0, 11),
    )
    def operate(self, index: int, key: str, menu: bool, variant: int) -> None:
        self._operate(PROPERTIES[index], key, menu, variant)

    @rule(
        index=st.integers(0, len(PROPERTIES) - 1),
        key=st.sampled_from(METER_KEYS),
        menu=st.booleans(),
        variant=st.integers(0, 11),
    )
    def operate_with_a_meter(
        self, index: int, key: str, menu: bool, variant: int
    ) -> None:
        self._operate(PROPERTIES[index], key, menu, variant)

    def _operate(self, pid: int, key: str, menu: bool, variant: int) -> None:
        type_id, data = self._type_and_input(key, variant)
        expected = self._expect(pid, key, type_id, data)
        before = self._snapshot(pid)
        refused: RuleViolation | None = None
        try:
            order_id = self._run(pid, key, type_id, data, menu)
        except RuleViolation as error:
            refused = error
        if refused is not None:
            assert expected is None, f"{key} on {self.model[pid]} refused: {refused}"
            assert self._snapshot(pid) == before
            return
        assert expected is not None, f"{key} on {self.model[pid]} was applied"
        self.model[pid] = expected
        self.applied.append((order_id, key, data))
        if OPERATIONS[key].target_role == "water_status.connected":
            # the coupling rule: back to LIGADO, the sewer leaves LIG. FORA DE USO
            prop = self.gsan.properties.get(pid)
            assert prop.sewer_status_id not in self.profile.ids(
                "sewer_status.out_of_use"
            )

    @precondition(lambda self: bool(self.applied))
    @rule(which=st.integers(0, 1_000))
    def apply_again(self, which: int) -> None:
        order_id, key, data = self.applied[which % len(self.applied)]
        pid = self.gsan.service_orders.get(order_id).property_id
        assert pid is not None
        before = self._snapshot(pid)
        codes: tuple[str, ...] = ()
        try:
            self.gsan.service_orders.apply_operation(
                operation=key, order_id=order_id, actor=ACTOR, data=data
            )
        except RuleViolation as error:
            codes = error.codes
        assert "service_order.commercial.already_applied" in codes, codes
        assert self._snapshot(pid) == before

    @rule(index=st.integers(0, len(PROPERTIES) - 1))
    def bad_cut_date(self, index: int) -> None:
        pid = PROPERTIES[index]
        before = self._snapshot(pid)
        type_id, _ = self._type_and_input("water.cut", 0)
        future = CutInput(cut_type_id=1, cut_reason_id=1, cut_on=date(2099, 1, 1))
        refused = False
        try:
            self._run(pid, "water.cut", type_id, future, menu=False)
        except RuleViolation:
            refused = True
        assert refused, "a cut dated in the future was applied"
        assert self._snapshot(pid) == before

    # ------------------------------------------------------------ invariants
    @invariant()
    def situations_belong_to_the_profile_and_match_the_model(self) -> None:
        found = {p.id: p for p in self.gsan.properties.find_by(id=list(self.model))}
        for pid, expected in self.model.items():
            prop = found[pid]
            assert prop.water_status_id in self._water_ids
            assert prop.sewer_status_id in self._sewer_ids
            assert (prop.water_status_id, prop.sewer_status_id) == (
                expected.water,
                expected.sewer,
            )
            assert (self.gsan.connections.water_connection(pid) is not None) is (
                expected.water_row
            )
            assert (self.gsan.connections.sewer_connection(pid) is not None) is (
                expected.sewer_row
            )

    @invariant()
    def meters_and_installations_agree_across_both_areas(self) -> None:
        """A meter open at most at one point and a point with at most one meter;
        INSTALADO exactly when open; no open installation on a suppressed
        connection; the model's meters where the system has them."""
        with self.gsan.uow_factory() as uow:
            meters = uow.hydrometers.get_many(self.meters)
            open_of_meter = {
                m: uow.hydrometer_installations.current_of(m) for m in self.meters
            }
            open_of_point = {
                pid: uow.hydrometer_installations.current(
                    property_id=pid, point=WATER_POINT
                )
                for pid in self.model
            }
        suppressed = self.profile.ids("water_status.suppressed") | self.profile.ids(
            "water_status.partially_suppressed_on_request"
        )
        for meter_id, current in open_of_meter.items():
            installed = meters[meter_id].situation_id == self.installed_id
            assert installed is (current is not None), meter_id
            if current is not None:
                point = open_of_point.get(current.property_id)
                assert point is not None
                assert point.id == current.id
            else:
                assert meters[meter_id].situation_id == self.available_id
                assert meters[meter_id].location_id == 1
        for pid, current in open_of_point.items():
            expected = self.model[pid]
            assert (None if current is None else current.hydrometer_id) == (
                expected.meter
            )
            if current is not None:
                assert open_of_meter[current.hydrometer_id] == current
                assert expected.water not in suppressed

    @invariant()
    def applied_orders_are_marked(self) -> None:
        ids = [order_id for order_id, _, _ in self.applied]
        orders = self.gsan.service_orders.find_by(id=ids) if ids else ()
        assert len(orders) == len(ids)
        assert all(order.commercial_applied for order in orders)


def connection_machine(
    make_system: Callable[[profiles.LoadedProfile], System],
    *,
    profile: str = "gsan_default",
) -> type[ConnectionLifecycle]:
    """The machine over the systems ``make_system`` builds, for ``profile``."""
    return type(
        f"ConnectionLifecycle_{profile}",
        (ConnectionLifecycle,),
        {"make_system": staticmethod(make_system), "profile_name": profile},
    )
