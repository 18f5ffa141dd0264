"""Scenario builders: the set-up of a test or a notebook in one call each.

A :class:`Scenario` writes through a :class:`~gsan_core.System`'s public API, so
it works on every backend. Defaults satisfy every rule; keywords override
them; situations, service types and specifications are named by profile role
(``"water_status.cut"``), by name (``"CORTADO"``) or by id::

    >>> import gsan_core
    >>> from gsan_core.testing import Scenario
    >>> gsan = gsan_core.in_memory()
    >>> given = Scenario(gsan)
    >>> home = given.property(water="CORTADO", meter=True, overdue_bills=2)
    >>> gsan.show(home.water_status_id)
    CORTADO (5)
    >>> order = given.order("service_type.cut_order", property=given.property())
    >>> request = given.request("VAZAMENTO NO RAMAL", property=home)
    >>> request.request.situation.name, request.order is not None
    ('PENDING', True)

The first call loads a small place for everything to happen in (:class:`Place`:
a locality with a sector, a block with water and sewer networks, a route of
collection group 1, a call centre, an office and a contractor with a user
each); its ids are in the 9,000s so they do not meet a synthetic town's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs

from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.connections import SewerConnection, WaterConnection
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    MeasurementPoint,
)
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    NetworkIndicator,
    Property,
    Route,
)
from gsan_core.model.service_orders import ServiceOrder, Team, TeamComponent
from gsan_core.model.service_requests import Requester, RequestLocation
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.hydrometers import number_layout
from gsan_core.system import SETUP_ACTOR, System
from gsan_core.testing.hydrometers import METER

__all__ = ["Place", "Scenario"]

#: Ids of the scenario's own rows start here.
BASE = 9_000


@attrs.frozen(kw_only=True)
class Place:
    """The ids of the place a :class:`Scenario` loads."""

    locality: int = BASE + 1
    sector: int = BASE + 11
    block: int = BASE + 111
    route: int = BASE + 1
    group: int = 1
    management: int = BASE + 1
    call_centre: int = BASE + 2
    office: int = BASE + 3
    contractor: int = BASE + 4
    #: Users: the attendant of the call centre, the technician of the office,
    #: the contractor's user.
    attendant: int = BASE + 2
    technician: int = BASE + 3
    contractor_user: int = BASE + 4


Situation = int | str


class Scenario:
    """Builds what a test needs in one call each (see the module's doc)."""

    def __init__(self, system: System, *, actor: int = SETUP_ACTOR) -> None:
        self.system = system
        self.actor = actor
        self.place = Place()
        self._ready = False
        self._routed: set[tuple[int, int]] = set()

    # ------------------------------------------------------------ names
    def situation(self, kind: str, value: Situation) -> int:
        """The id of a ``kind`` row (``"water_status"``...) named by id, by
        profile role (``"water_status.cut"`` or ``"cut"``) or by description."""
        if isinstance(value, int):
            return value
        profile = self.system.profile
        role = value if value.startswith(f"{kind}.") else f"{kind}.{value}"
        if profile.roles.get(role):
            return min(profile.ids(role))
        wanted = value.strip().upper()
        for item in self.system.catalog.list(kind):
            if item.description.upper() == wanted:
                return item.id
        msg = f"no {kind} named {value!r} (a role, a description or an id)"
        raise LookupError(msg)

    def service_type(self, value: Situation) -> int:
        """A service type by id, profile role (``"service_type.cut_order"`` or
        ``"cut_order"``) or description."""
        if isinstance(value, int):
            return value
        profile = self.system.profile
        role = value if value.startswith("service_type.") else f"service_type.{value}"
        if profile.roles.get(role):
            return min(profile.ids(role))
        for service_type in self.system.service_orders.types():
            if service_type.description.upper() == value.strip().upper():
                return service_type.id
        msg = f"no service type named {value!r} (a role, a description or an id)"
        raise LookupError(msg)

    def specification(self, value: Situation) -> int:
        """A request specification by id or description."""
        if isinstance(value, int):
            return value
        configuration = self.system.service_requests.configuration
        for spec in configuration.specifications():
            if spec.description.upper() == value.strip().upper():
                return spec.id
        msg = f"no request specification named {value!r}"
        raise LookupError(msg)

    def _property_id(self, given: int | Property | None) -> int:
        """The id of ``given``, or of a new connected property."""
        if given is None:
            return self.property().id
        return given.id if isinstance(given, Property) else given

    def _ids(self, kind: str, count: int) -> list[int]:
        """New ids of ``kind`` from the system's generator (kept: committed)."""
        with self.system.uow_factory() as uow:
            ids = list(uow.next_ids(kind, count))
            uow.commit()
        return ids

    # ------------------------------------------------------------ the place
    def ready(self) -> Place:
        """Load the place once (units, users, locality, sector, block, route)."""
        if self._ready:
            return self.place
        p = self.place
        system = self.system
        with system.uow_factory() as uow:
            loaded = uow.localities.find(p.locality) is not None
        if loaded:  # another scenario of this system loaded it
            self._ready = True
            return p
        system.units.register_many(
            [
                OrganizationalUnit(
                    id=p.management, name="GERENCIA DO CENARIO", unit_type_id=10
                ),
                OrganizationalUnit(
                    id=p.call_centre,
                    name="CENTRAL DO CENARIO",
                    unit_type_id=13,
                    superior_id=p.management,
                    call_centre=True,
                ),
                OrganizationalUnit(
                    id=p.office,
                    name="ESCRITORIO DO CENARIO",
                    unit_type_id=12,
                    superior_id=p.management,
                    locality_id=p.locality,
                    dispatch_centre_id=p.call_centre,
                ),
                OrganizationalUnit(
                    id=p.contractor,
                    name="EMPREITEIRA DO CENARIO",
                    unit_type_id=16,
                    superior_id=p.call_centre,
                    may_open_requests=False,
                ),
            ],
            actor=self.actor,
        )
        system.units.register_users(
            [
                User(id=p.attendant, name="ATENDENTE", unit_id=p.call_centre),
                User(id=p.technician, name="TECNICO", unit_id=p.office),
                User(id=p.contractor_user, name="EMPREITEIRO", unit_id=p.contractor),
            ],
            actor=self.actor,
        )
        system.properties.load_locations(
            actor=self.actor,
            localities=[Locality(id=p.locality, name="CENARIO")],
            sectors=[CommercialSector(id=p.sector, locality_id=p.locality, code=1)],
            blocks=[
                Block(
                    id=p.block,
                    locality_id=p.locality,
                    sector_id=p.sector,
                    number=1,
                    water_network=NetworkIndicator.NETWORK,
                    sewer_network=NetworkIndicator.NETWORK,
                )
            ],
            routes=[
                Route(
                    id=p.route,
                    locality_id=p.locality,
                    sector_id=p.sector,
                    code=1,
                    group_id=p.group,
                )
            ],
        )
        self._ready = True
        return p

    # ------------------------------------------------------------ builders
    def property(
        self,
        *,
        water: Situation = "connected",
        sewer: Situation = "potential",
        meter: bool = False,
        overdue_bills: int = 0,
        bill_amount: Decimal = Decimal("85.40"),
        connected_on: date = date(2024, 1, 10),
        id: int | None = None,
        **changes: Any,
    ) -> Property:
        """A property in the named water and sewer situations, with the
        connection rows they imply (a cut or suppression date when the water
        situation is one), a meter installed on the water connection
        (``meter=True``) and ``overdue_bills`` unpaid bills 60 days past due.

        ``changes`` override :class:`~gsan_core.model.properties.Property`
        fields (``categories``, ``profile_id``, ``active``...).
        """
        place = self.ready()
        water_id = self.situation("water_status", water)
        sewer_id = self.situation("sewer_status", sewer)
        ident = (
            id
            if id is not None
            else BASE * 100 + 10 * self._ids("scenario.property", 1)[0]
        )
        prop = Property(
            id=ident,
            locality_id=place.locality,
            sector_id=place.sector,
            block_id=place.block,
            route_id=place.route,
            profile_id=1,
            categories=(Economies(category_id=1, subcategory_id=10, count=1),),
            water_status_id=water_id,
            sewer_status_id=sewer_id,
        )
        prop = attrs.evolve(prop, **changes)
        self.system.properties.register(prop, actor=self.actor)
        self.system.connections.load(
            actor=self.actor,
            water=self._water_rows(prop, connected_on),
            sewer=self._sewer_rows(prop, connected_on),
        )
        if meter:
            self.meter(installed_at=prop.id, installed_on=connected_on)
        if overdue_bills:
            self.bills(prop.id, count=overdue_bills, amount=bill_amount)
        return self.system.properties.get(prop.id)

    def _water_rows(self, prop: Property, on: date) -> list[WaterConnection]:
        profile = self.system.profile
        without = profile.ids("water_status.potential") | profile.ids(
            "water_status.feasible"
        )
        if prop.water_status_id in without:
            return []
        later = on + timedelta(days=180)
        cut = prop.water_status_id in profile.ids("water_status.cut")
        suppressed = prop.water_status_id in (
            profile.ids("water_status.suppressed")
            | profile.ids("water_status.partially_suppressed_on_request")
        )
        return [
            WaterConnection(
                id=prop.id,
                connected_on=on,
                implanted_on=on,
                diameter_id=1,
                material_id=1,
                profile_id=1,
                cut_on=later if cut else None,
                cut_type_id=1 if cut else None,
                cut_reason_id=1 if cut else None,
                suppressed_on=later if suppressed else None,
                suppression_type_id=1 if suppressed else None,
                suppression_reason_id=2 if suppressed else None,
            )
        ]

    def _sewer_rows(self, prop: Property, on: date) -> list[SewerConnection]:
        profile = self.system.profile
        without = profile.ids("sewer_status.potential") | profile.ids(
            "sewer_status.feasible"
        )
        if prop.sewer_status_id in without:
            return []
        return [
            SewerConnection(
                id=prop.id,
                connected_on=on,
                diameter_id=1,
                material_id=1,
                profile_id=1,
                grease_trap=False,
            )
        ]

    def meter(
        self,
        *,
        installed_at: int | Property | None = None,
        location: Situation = 1,
        installed_on: date = date(2024, 1, 10),
    ) -> Hydrometer:
        """A meter valid in the profile (capacity B, brand ZENNER): in stock at
        ``location`` (a stock location id or description; inserted through
        "Inserir Hidrômetro", so H-1..H-12 hold), or installed on the water
        connection of ``installed_at`` (a property or its id)."""
        profile = self.system.profile
        (ident,) = self._ids("hydrometer", 1)
        number = self._meter_number(ident)
        if installed_at is None:
            return self.system.hydrometers.insert(
                number=number,
                attributes=METER,
                location_id=self.situation("hydrometer_stock_location", location),
                actor=self.actor,
            )
        meter = Hydrometer(
            id=ident,
            number=number,
            acquired_on=METER.acquired_on,
            manufacture_year=METER.acquired_on.year,
            reading_digits=METER.reading_digits,
            type_id=METER.type_id,
            situation_id=min(profile.ids("hydrometer_situation.installed")),
            brand_id=METER.brand_id,
            capacity_id=METER.capacity_id,
            diameter_id=METER.diameter_id,
            metrological_class_id=METER.metrological_class_id,
            location_id=None,
        )
        prop_id = (
            installed_at.id if isinstance(installed_at, Property) else installed_at
        )
        periods = [
            HydrometerInstallation(
                id=ident,
                hydrometer_id=ident,
                property_id=prop_id,
                point=MeasurementPoint.WATER_CONNECTION,
                installed_on=installed_on,
                installation_reading=0,
                registered_at=self.system.clock.now(),
                place_id=1,
                protection_id=6,
                installed_by=self.actor,
            )
        ]
        self.system.hydrometers.load(
            actor=self.actor, meters=[meter], installations=periods
        )
        return self.system.hydrometers.get(ident)

    def _meter_number(self, serial: int) -> str:
        """A number valid in the profile's layout, apart from ranges a test
        inserts (sequence from 900,000)."""
        layout = number_layout(self.system.profile)
        if layout.free:
            return f"CEN{serial:09d}"
        year = METER.acquired_on.year % 100
        fixed = f"B{year:02d}A" + "1" * (layout.fixed_length - 4)
        return layout.number(fixed, 900_000 + serial)

    def bills(
        self,
        property_id: int,
        *,
        count: int = 1,
        amount: Decimal = Decimal("85.40"),
        days_overdue: int = 60,
    ) -> list[OpenDebt]:
        """``count`` unpaid bills of ``property_id``, the newest ``days_overdue``
        days past due, one a month before it."""
        today = self.system.today()
        ids = self._ids("open_debt", count)
        debts = []
        for n, ident in enumerate(ids):
            due = today - timedelta(days=days_overdue + 30 * n)
            debts.append(
                OpenDebt(
                    id=ident,
                    property_id=property_id,
                    kind=DebtKind.BILL,
                    amount=amount,
                    due_date=due,
                    reference=due.year * 100 + due.month,
                )
            )
        self.system.billing.record_debts(debts)
        return debts

    def order(
        self,
        service_type: Situation,
        *,
        property: int | Property | None = None,
        actor: int | None = None,
        **options: Any,
    ) -> ServiceOrder:
        """A pending OS of ``service_type`` (role, description or id) for the
        property (a new connected one when none is given), generated by the
        office's technician."""
        place = self.ready()
        prop_id = self._property_id(property)
        return self.system.service_orders.generate(
            service_type_id=self.service_type(service_type),
            property_id=prop_id,
            actor=actor if actor is not None else place.technician,
            **options,
        )

    def request(
        self,
        specification: Situation = "VAZAMENTO NO RAMAL",
        *,
        property: int | Property | None = None,
        requesters: Sequence[Requester] = (
            Requester(name="ANA SOUZA", address="RUA DAS FLORES 10"),
        ),
        channel: Situation = "TELEFONE",
        **options: Any,
    ) -> Any:
        """Open an RA of ``specification`` (description or id) for the property
        (a new connected one when none is given) at the call centre, with its
        routing configured: the specification's group in the scenario's
        locality goes to the office, dispatched by the call centre. Returns
        the :class:`~gsan_core.services.service_requests.OpeningResult`.
        ``location`` (a ``RequestLocation``) replaces the property's."""
        place = self.ready()
        location = options.pop("location", None)
        if location is None:
            location = RequestLocation(property_id=self._property_id(property))
        spec_id = self.specification(specification)
        self._route(spec_id)
        return self.system.service_requests.open(
            specification_id=spec_id,
            unit_id=place.call_centre,
            channel_id=self.situation("request_channel", channel),
            actor=place.attendant,
            location=location,
            requesters=list(requesters),
            **options,
        )

    def _route(self, specification_id: int) -> None:
        configuration = self.system.service_requests.configuration
        spec = next(
            s for s in configuration.specifications() if s.id == specification_id
        )
        request_type = self.system.catalog.get("request_type", spec.request_type_id)
        group = request_type.integer("group_id")
        key = (self.place.locality, group or 0)
        if group is None or key in self._routed:
            return
        known = self._groups_routed()
        configuration.set_locality_group_units(
            locality_id=self.place.locality,
            rows=[*known, (group, self.place.office)],
            actor=self.actor,
        )
        self._routed.add(key)

    def _groups_routed(self) -> list[tuple[int, int]]:
        return [
            (group, self.place.office)
            for locality, group in sorted(self._routed)
            if locality == self.place.locality
        ]

    def team(
        self,
        name: str = "EQUIPE DO CENARIO",
        *,
        unit: int | None = None,
        members: Iterable[int] = (),
        **options: Any,
    ) -> Team:
        """A team of the office (or ``unit``) with the technician responsible."""
        place = self.ready()
        people = list(members) or [place.technician]
        return self.system.service_orders.add_team(
            name=name,
            unit_id=unit if unit is not None else place.office,
            work_minutes=options.pop("work_minutes", 8 * 60),
            components=[
                TeamComponent(employee_id=person, responsible=n == 0)
                for n, person in enumerate(people)
            ],
            actor=options.pop("actor", self.actor),
            **options,
        )
