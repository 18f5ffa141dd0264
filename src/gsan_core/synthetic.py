"""A synthetic utility of any size, deterministic for a seed.

The shape follows CAER's 2007 data (``domain/scale.md``): about 175 properties per
route, 13 routes per billing group, ~14 properties per block, ~3,500 per
locality; water situations 83% LIGADO, 10.5% SUPRIMIDO, 5.8% CORTADO and the rest
POTENCIAL or FACTIVEL; the water and sewer connection rows those situations
imply; an installed meter on about half of the properties; a share of the
connected properties with overdue bills.

Entities are produced as streams and loaded in chunks, so 2 million properties
never sit in memory at once::

    summary = generate(system, properties=100_000, seed=7)

or from the command line: ``gsan-core generate --properties 100000 --url URL``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import chain, islice
from typing import TypeVar

import attrs

from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.connections import SewerConnection, WaterConnection
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    MeasurementPoint,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    NetworkIndicator,
    Property,
    Route,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.ports.seeding import BulkLoading
from gsan_core.rules.hydrometers import NumberLayout, number_layout
from gsan_core.system import SETUP_ACTOR, System
from gsan_core.testing.connection_data import connection_rows
from gsan_core.testing.hydrometers import METER
from gsan_core.testing.town import water_status_for

_LOG = logging.getLogger(__name__)

__all__ = [
    "GenerationSummary",
    "Layout",
    "PhaseProgress",
    "Shape",
    "debt_stream",
    "generate",
    "layout",
    "meter_rows",
    "property_stream",
    "shape_for",
]

#: Property ids start here (a matrícula-like range).
FIRST_PROPERTY_ID = 10_000_001
#: The consumption tariff of every synthetic property (the default profile's
#: TARIFA NORMAL, bound to no connection profile).
NORMAL_TARIFF = 1
#: Debt ids start here.
FIRST_DEBT_ID = 500_000_001
#: Meter and installation ids: this base plus the property's index, so a
#: re-run finds the same ids (library-made meters take ids far below).
FIRST_METER_ID = 700_000_001


@attrs.frozen(kw_only=True)
class Shape:
    """How big each level of the synthetic utility is."""

    properties: int
    seed: int = 2007
    properties_per_route: int = 175
    routes_per_group: int = 13
    routes_per_sector: int = 7
    properties_per_block: int = 14
    properties_per_locality: int = 3_500
    #: Share of LIGADO properties that owe overdue bills.
    delinquent_share: float = 0.12
    #: Share of properties with a bill not yet due.
    current_bill_share: float = 0.35
    #: Share of LIGADO or CORTADO water connections with an installed meter
    #: (about half of all properties).
    metered_share: float = 0.56

    @property
    def routes(self) -> int:
        """How many routes."""
        return max(1, -(-self.properties // self.properties_per_route))

    @property
    def localities(self) -> int:
        """How many localities."""
        return max(1, -(-self.properties // self.properties_per_locality))

    @property
    def blocks_per_route(self) -> int:
        """Blocks per route."""
        return max(1, self.properties_per_route // self.properties_per_block)


def shape_for(properties: int, *, seed: int = 2007) -> Shape:
    """The default shape for ``properties`` properties."""
    return Shape(properties=properties, seed=seed)


@attrs.frozen(kw_only=True)
class Layout:
    """The location entities of a shape (small enough to hold in memory)."""

    localities: tuple[Locality, ...]
    sectors: tuple[CommercialSector, ...]
    routes: tuple[Route, ...]
    blocks: tuple[Block, ...]
    units: tuple[OrganizationalUnit, ...]
    users: tuple[User, ...]


def layout(shape: Shape) -> Layout:
    """Localities, sectors, routes, blocks, units and users of ``shape``."""
    rng = random.Random(shape.seed)
    localities = tuple(
        Locality(id=n, name=f"LOCALIDADE {n:04d}", municipality_id=1_000 + n)
        for n in range(1, shape.localities + 1)
    )
    routes_per_locality = -(-shape.routes // len(localities))
    sectors: list[CommercialSector] = []
    routes: list[Route] = []
    blocks: list[Block] = []
    for index in range(shape.routes):
        locality = localities[min(index // routes_per_locality, len(localities) - 1)]
        local_index = index - (locality.id - 1) * routes_per_locality
        sector_code = local_index // shape.routes_per_sector + 1
        sector_id = locality.id * 1_000 + sector_code
        if not sectors or sectors[-1].id != sector_id:
            sectors.append(
                CommercialSector(
                    id=sector_id,
                    locality_id=locality.id,
                    code=sector_code,
                    name=f"SETOR {sector_code}",
                )
            )
        route = Route(
            id=index + 1,
            locality_id=locality.id,
            sector_id=sector_id,
            code=local_index + 1,
            group_id=index // shape.routes_per_group + 1,
            simultaneous_printing=rng.random() < 0.2,
        )
        routes.append(route)
        blocks.extend(
            Block(
                id=route.id * 100 + b + 1,
                locality_id=locality.id,
                sector_id=sector_id,
                number=local_index * shape.blocks_per_route + b + 1,
                water_network=NetworkIndicator.NETWORK
                if rng.random() < 0.97
                else NetworkIndicator.PARTIAL,
                sewer_network=NetworkIndicator.NETWORK
                if rng.random() < 0.55
                else NetworkIndicator.NONE,
            )
            for b in range(shape.blocks_per_route)
        )
    units, users = _organisation(localities)
    return Layout(
        localities=localities,
        sectors=tuple(sectors),
        routes=tuple(routes),
        blocks=tuple(blocks),
        units=units,
        users=users,
    )


def _organisation(
    localities: tuple[Locality, ...],
) -> tuple[tuple[OrganizationalUnit, ...], tuple[User, ...]]:
    units = [
        OrganizationalUnit(
            id=1, name="GERENCIA REGIONAL", acronym="GR", unit_type_id=10
        )
    ]
    users = [User(id=1, name="ADMINISTRADOR", unit_id=1, login="admin")]
    for loc in localities:
        base = 10_000 + loc.id * 10
        units += [
            OrganizationalUnit(
                id=base + 1,
                name=f"CENTRAL {loc.id:04d}",
                acronym=f"CT{loc.id:04d}",
                unit_type_id=13,
                superior_id=1,
            ),
            OrganizationalUnit(
                id=base + 2,
                name=f"ESCRITORIO {loc.id:04d}",
                acronym=f"ES{loc.id:04d}",
                unit_type_id=12,
                superior_id=1,
                locality_id=loc.id,
                dispatch_centre_id=base + 1,
            ),
            OrganizationalUnit(
                id=base + 3,
                name=f"EMPREITEIRA {loc.id:04d}",
                acronym=f"EM{loc.id:04d}",
                unit_type_id=16,
                superior_id=base + 1,
                may_open_requests=False,
                company_id=loc.id,
            ),
        ]
        users += [
            User(id=base + 1, name=f"ATENDENTE {loc.id:04d}", unit_id=base + 1),
            User(id=base + 2, name=f"TECNICO {loc.id:04d}", unit_id=base + 2),
            User(id=base + 3, name=f"EMPREITEIRO {loc.id:04d}", unit_id=base + 3),
        ]
    return tuple(units), tuple(users)


def _categories(rng: random.Random) -> tuple[Economies, ...]:
    roll = rng.random()
    if roll < 0.86:
        return (Economies(category_id=1, subcategory_id=10, count=1 + (roll > 0.8)),)
    if roll < 0.95:
        return (Economies(category_id=2, subcategory_id=20, count=1),)
    if roll < 0.97:
        return (Economies(category_id=3, subcategory_id=30, count=1),)
    if roll < 0.99:
        return (Economies(category_id=4, subcategory_id=40, count=1),)
    return (
        Economies(category_id=1, subcategory_id=10, count=2),
        Economies(category_id=2, subcategory_id=20, count=1),
    )


def property_stream(shape: Shape, plan: Layout) -> Iterator[Property]:
    """The properties of ``shape``, in id order, route by route."""
    rng = random.Random(shape.seed * 31 + 1)
    blocks_of: dict[int, list[Block]] = {}
    for block in plan.blocks:
        blocks_of.setdefault(block.id // 100, []).append(block)
    for index in range(shape.properties):
        route = plan.routes[
            min(index // shape.properties_per_route, len(plan.routes) - 1)
        ]
        block = blocks_of[route.id][index % len(blocks_of[route.id])]
        water = water_status_for(rng.random())
        sewer = 1
        if block.sewer_network is NetworkIndicator.NETWORK:
            sewer = 3 if water in (3, 5) else 2
            if water == 5 and rng.random() < 0.3:
                sewer = 5
        profile = 4 if rng.random() < 0.03 else (2 if rng.random() < 0.01 else 1)
        yield Property(
            id=FIRST_PROPERTY_ID + index,
            locality_id=route.locality_id,
            sector_id=route.sector_id,
            block_id=block.id,
            block_face=1 + index % 4,
            route_id=route.id,
            profile_id=profile,
            categories=_categories(rng),
            water_status_id=water,
            sewer_status_id=sewer,
            consumption_tariff_id=NORMAL_TARIFF,
        )


def debt_stream(
    shape: Shape, props: Iterator[Property], *, today: date
) -> Iterator[OpenDebt]:
    """Open bills: overdue ones for a share of the connected properties (1 to 6
    months), a bill not yet due for others."""
    rng = random.Random(shape.seed * 31 + 2)
    next_id = FIRST_DEBT_ID
    reference = today.year * 100 + today.month
    for prop in props:
        overdue = 0
        if prop.water_status_id in (3, 4) and rng.random() < shape.delinquent_share:
            overdue = min(6, 1 + int(rng.expovariate(0.6)))
        elif prop.water_status_id == 5:
            overdue = 2 + int(rng.expovariate(0.5))
        for month in range(overdue, 0, -1):
            yield OpenDebt(
                id=next_id,
                property_id=prop.id,
                kind=DebtKind.BILL,
                amount=Decimal(rng.randrange(3_500, 30_000)) / 100,
                due_date=today - timedelta(days=30 * month + 5),
                reference=_month_before(reference, month),
            )
            next_id += 1
        if rng.random() < shape.current_bill_share:
            yield OpenDebt(
                id=next_id,
                property_id=prop.id,
                kind=DebtKind.BILL,
                amount=Decimal(rng.randrange(3_500, 30_000)) / 100,
                due_date=today + timedelta(days=10),
                reference=reference,
            )
            next_id += 1


def _uniform(seed: int, index: int) -> float:
    """A number in [0, 1) fixed by ``seed`` and ``index`` (splitmix64), so a
    chunk draws the same values whichever chunk came before it."""
    z = (seed * 0x9E3779B97F4A7C15 + (index + 1) * 0xBF58476D1CE4E5B9) % 2**64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
    return (z ^ (z >> 31)) / 2**64


def _meter_number(layout: NumberLayout, index: int) -> tuple[str, int]:
    """A unique meter number for the ``index``-th property and its year."""
    if layout.free:
        return f"SYN{index + 1:09d}", 2020
    per_fixed = 10**layout.sequence_digits - 1
    year = 15 + index // per_fixed
    fixed = f"B{year:02d}A" + "1" * (layout.fixed_length - 4)
    return layout.number(fixed, index % per_fixed + 1), 2000 + year


def meter_rows(
    shape: Shape,
    props: Iterable[Property],
    profile: UtilityProfile,
    *,
    installed_on: date = date(2020, 6, 1),
) -> tuple[list[Hydrometer], list[HydrometerInstallation]]:
    """Installed meters for a share of the properties with a LIGADO or CORTADO
    water connection: one meter and one open installation period each, ids
    derived from the property so a re-run finds them again."""
    layout = number_layout(profile)
    metered = profile.ids("water_status.connected") | profile.ids("water_status.cut")
    (installed,) = profile.ids("hydrometer_situation.installed")
    at = datetime.combine(installed_on, datetime.min.time(), tzinfo=UTC)
    meters: list[Hydrometer] = []
    periods: list[HydrometerInstallation] = []
    for prop in props:
        index = prop.id - FIRST_PROPERTY_ID
        chosen = _uniform(shape.seed, index)
        if prop.water_status_id not in metered or chosen >= shape.metered_share:
            continue
        number, year = _meter_number(layout, index)
        meter_id = FIRST_METER_ID + index
        meters.append(
            Hydrometer(
                id=meter_id,
                number=number,
                acquired_on=date(year, 3, 1),
                manufacture_year=year,
                reading_digits=METER.reading_digits,
                type_id=METER.type_id,
                situation_id=installed,
                brand_id=METER.brand_id,
                capacity_id=METER.capacity_id,
                diameter_id=METER.diameter_id,
                metrological_class_id=METER.metrological_class_id,
                location_id=1,
            )
        )
        periods.append(
            HydrometerInstallation(
                id=meter_id,
                hydrometer_id=meter_id,
                property_id=prop.id,
                point=MeasurementPoint.WATER_CONNECTION,
                installed_on=max(installed_on, date(year, 6, 1)),
                installation_reading=0,
                registered_at=at,
                place_id=1,
                protection_id=6,
                installed_by=SETUP_ACTOR,
            )
        )
    return meters, periods


@attrs.frozen(kw_only=True)
class _Networks:
    water: int = 0
    sewer: int = 0
    meters: int = 0

    def __add__(self, other: _Networks) -> _Networks:
        return _Networks(
            water=self.water + other.water,
            sewer=self.sewer + other.sewer,
            meters=self.meters + other.meters,
        )


def _load_networks(system: System, shape: Shape, chunk: list[Property]) -> _Networks:
    """The connection rows and meters of ``chunk`` not stored yet (a re-run resumes)."""
    profile = system.profile
    water, sewer = connection_rows(chunk, profile)
    meters, periods = meter_rows(shape, chunk, profile)
    with system.uow_factory() as uow:
        has_water = set(uow.water_connections.get_many(w.id for w in water))
        has_sewer = set(uow.sewer_connections.get_many(s.id for s in sewer))
        has_meter = set(uow.hydrometers.get_many(m.id for m in meters))
    fresh_water = [w for w in water if w.id not in has_water]
    fresh_sewer = [s for s in sewer if s.id not in has_sewer]
    fresh_meters = [m for m in meters if m.id not in has_meter]
    fresh_periods = [p for p in periods if p.hydrometer_id not in has_meter]
    if fresh_water or fresh_sewer:
        system.connections.load(actor=SETUP_ACTOR, water=fresh_water, sewer=fresh_sewer)
    if fresh_meters:
        system.hydrometers.load(
            actor=SETUP_ACTOR, meters=fresh_meters, installations=fresh_periods
        )
    return _Networks(
        water=len(fresh_water), sewer=len(fresh_sewer), meters=len(fresh_meters)
    )


def _load_rest(
    system: System,
    shape: Shape,
    plan: Layout,
    *,
    on: date,
    chunk_size: int,
    report: _Phases,
) -> tuple[_Networks, int]:
    """The connections, meters and open bills through the services, each
    chunk skipping what is stored (a re-run resumes)."""
    networks = _Networks()
    stream = property_stream(shape, plan)
    done = 0
    while chunk := list(islice(stream, chunk_size)):
        networks += _load_networks(system, shape, chunk)
        done += len(chunk)
        report("connections and meters", done)
    loaded_debts = 0
    batch: list[OpenDebt] = []
    scanned = _Counted(property_stream(shape, plan))
    for debt in debt_stream(shape, scanned, today=on):
        batch.append(debt)
        if len(batch) >= chunk_size:
            loaded_debts += _record_new(system, batch)
            batch = []
            report("open bills", scanned.count)
    if batch:
        loaded_debts += _record_new(system, batch)
    report("open bills", shape.properties)
    return networks, loaded_debts


def _bulk_load(
    system: System,
    shape: Shape,
    plan: Layout,
    *,
    on: date,
    chunk_size: int,
    report: _Phases,
) -> tuple[_Networks, int] | None:
    """The connections, meters and open bills in bulk (``BulkLoading``:
    ``COPY`` on PostgreSQL), one transaction per chunk of properties, when
    the store can and holds none of them yet; ``None`` otherwise (the
    services' path, which skips what is stored). The rows are those of
    :func:`_load_rest`; the chunks commit in order, so a load interrupted
    here leaves the first chunk stored and its re-run takes that path."""
    profile = system.profile
    stream = property_stream(shape, plan)
    debts = _Upto(debt_stream(shape, property_stream(shape, plan), today=on))
    first = list(islice(stream, chunk_size))
    if not first or not _bulk_fresh(system, shape, first):
        return None
    networks, loaded_debts, done = _Networks(), 0, 0
    for chunk in chain([first], iter(lambda: list(islice(stream, chunk_size)), [])):
        water, sewer = connection_rows(chunk, profile)
        meters, periods = meter_rows(shape, chunk, profile)
        owed = debts.upto(chunk[-1].id)
        with system.uow_factory() as uow:
            assert isinstance(uow, BulkLoading)  # checked by _bulk_fresh
            uow.bulk_add("water_connection", [_first_version(w) for w in water])
            uow.bulk_add("sewer_connection", [_first_version(c) for c in sewer])
            uow.bulk_add("hydrometer", [_first_version(m) for m in meters])
            uow.bulk_add(
                "hydrometer_installation", [_first_version(p) for p in periods]
            )
            uow.bulk_add("open_debt", owed)
            uow.commit()
        networks += _Networks(water=len(water), sewer=len(sewer), meters=len(meters))
        loaded_debts += len(owed)
        done += len(chunk)
        report("connections and meters", done)
        report("open bills", done)
    return networks, loaded_debts


def _bulk_fresh(system: System, shape: Shape, first: list[Property]) -> bool:
    """Whether the store loads in bulk and holds none of the first chunk's
    connections, meters and open bills (so none of any chunk's)."""
    water, sewer = connection_rows(first, system.profile)
    meters, _ = meter_rows(shape, first, system.profile)
    with system.uow_factory() as uow:
        return (
            isinstance(uow, BulkLoading)
            and not uow.water_connections.get_many(w.id for w in water)
            and not uow.sewer_connections.get_many(c.id for c in sewer)
            and not uow.hydrometers.get_many(m.id for m in meters)
            and not any(uow.billing.open_debts_of({p.id for p in first}).values())
        )


_V = TypeVar("_V", WaterConnection, SewerConnection, Hydrometer, HydrometerInstallation)


def _first_version(item: _V) -> _V:
    """``item`` at version 1, as the services' loads store it."""
    return item if item.version == 1 else attrs.evolve(item, version=1)


class _Upto:
    """The open bills of a stream (in property order) up to a property."""

    def __init__(self, stream: Iterator[OpenDebt]) -> None:
        self._stream = stream
        self._held: OpenDebt | None = None

    def upto(self, last_property_id: int) -> list[OpenDebt]:
        """The next bills whose property is at most ``last_property_id``."""
        taken: list[OpenDebt] = []
        if self._held is not None:
            if self._held.property_id > last_property_id:
                return taken
            taken.append(self._held)
            self._held = None
        for debt in self._stream:
            if debt.property_id > last_property_id:
                self._held = debt
                break
            taken.append(debt)
        return taken


def _record_new(system: System, batch: list[OpenDebt]) -> int:
    """Record the debts of ``batch`` not stored yet (a re-run resumes)."""
    with system.uow_factory() as uow:
        stored = uow.billing.open_debts_of({d.property_id for d in batch})
    known = {d.id for found in stored.values() for d in found}
    fresh = [d for d in batch if d.id not in known]
    if fresh:
        system.billing.record_debts(fresh)
    return len(fresh)


def _month_before(reference: int, months: int) -> int:
    year, month = divmod(reference, 100)
    total = year * 12 + (month - 1) - months
    return (total // 12) * 100 + total % 12 + 1


@attrs.frozen(kw_only=True)
class GenerationSummary:
    """What :func:`generate` loaded."""

    localities: int
    sectors: int
    routes: int
    blocks: int
    properties: int
    water_connections: int
    sewer_connections: int
    hydrometers: int
    debts: int
    units: int


#: ``(phase, properties done, properties in all)`` after every chunk of a phase.
PhaseProgress = Callable[[str, int, int], None]


class _Phases:
    """Reports the phases of :func:`generate` to its two callbacks."""

    def __init__(
        self,
        total: int,
        progress: Callable[[int, int | None], None] | None,
        phases: PhaseProgress | None,
    ) -> None:
        self._total = total
        self._progress = progress
        self._phases = phases

    def properties(self, done: int, _: int | None) -> None:
        if self._progress is not None:
            self._progress(done, self._total)
        self("properties", done)

    def __call__(self, phase: str, done: int) -> None:
        if self._phases is not None:
            self._phases(phase, done, self._total)


class _Counted(Iterator[Property]):
    """An iterator of properties that counts what it gave."""

    def __init__(self, stream: Iterator[Property]) -> None:
        self._stream = stream
        self.count = 0

    def __next__(self) -> Property:
        item = next(self._stream)
        self.count += 1
        return item


def generate(
    system: System,
    *,
    properties: int,
    seed: int = 2007,
    chunk_size: int = 20_000,
    today: date | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    phases: PhaseProgress | None = None,
) -> GenerationSummary:
    """Load a synthetic utility of ``properties`` properties into ``system``.

    Each chunk commits on its own; re-running with the same arguments skips what
    is already there, so an interrupted load resumes. ``progress`` sees the
    properties loaded; ``phases`` sees every phase (``"properties"``,
    ``"connections and meters"``, ``"open bills"``; counted in properties).
    """
    shape = shape_for(properties, seed=seed)
    plan = layout(shape)
    on = today if today is not None else system.clock.now().date()
    report = _Phases(properties, progress, phases)
    _LOG.info("generating a synthetic utility of %d properties", properties)
    known_units = set(system.units.tree())
    system.units.register_many(
        [u for u in plan.units if u.id not in known_units], actor=SETUP_ACTOR
    )
    with system.uow_factory() as uow:
        known_users = {u.id for u in uow.users.find_by()}
        known_localities = {loc.id for loc in uow.localities.find_by()}
    system.units.register_users(
        [u for u in plan.users if u.id not in known_users], actor=SETUP_ACTOR
    )
    if not known_localities:
        system.properties.load_locations(
            actor=SETUP_ACTOR,
            localities=plan.localities,
            sectors=plan.sectors,
            blocks=plan.blocks,
            routes=plan.routes,
        )
    system.properties.load(
        property_stream(shape, plan),
        actor=SETUP_ACTOR,
        chunk_size=chunk_size,
        atomic=False,
        total=properties,
        progress=report.properties,
    )
    bulk = _bulk_load(system, shape, plan, on=on, chunk_size=chunk_size, report=report)
    networks, loaded_debts = bulk or _load_rest(
        system, shape, plan, on=on, chunk_size=chunk_size, report=report
    )
    _LOG.info(
        "synthetic utility loaded: %d properties, %d meters, %d open bills",
        properties,
        networks.meters,
        loaded_debts,
    )
    return GenerationSummary(
        localities=len(plan.localities),
        sectors=len(plan.sectors),
        routes=len(plan.routes),
        blocks=len(plan.blocks),
        properties=properties,
        water_connections=networks.water,
        sewer_connections=networks.sewer,
        hydrometers=networks.meters,
        debts=loaded_debts,
        units=len(plan.units),
    )
