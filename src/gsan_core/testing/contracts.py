"""The adapter contract suite, shipped for integrators.

Every adapter of ``gsan_core`` (memory, SQLite, PostgreSQL, and an integrator's
own) must pass these tests. Subclass the contract in a test module and provide
one fixture, ``uow_factory``, returning units of work over an *empty, migrated*
store (reference rows not required)::

    from gsan_core.testing.contracts import UnitOfWorkContract

    class TestMyAdapter(UnitOfWorkContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

The classes are named ``*Contract`` so pytest only collects them once subclassed.
Needs ``gsan-core[testing]`` (pytest).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest

from gsan_core.errors import (
    ConcurrencyConflict,
    DuplicateEntity,
    GsanError,
    NotFound,
)
from gsan_core.model.billing import (
    Charge,
    ChargeShare,
    CollectionForm,
    DebtKind,
    OpenDebt,
    OverdueBills,
)
from gsan_core.model.catalog import CatalogItem, CatalogItemAdded, Reference
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    LocationLinks,
    NetworkIndicator,
    Property,
    Route,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.testing.capabilities import (
    ALL,
    BILLING,
    CATALOG_WRITES,
    REGISTRY_WRITES,
    SEEDING,
    require,
)

__all__ = ["UnitOfWorkContract", "location", "sample_property"]

Factory = Callable[[], UnitOfWork]
AT = datetime(2025, 1, 6, 9, 30, tzinfo=timezone(timedelta(hours=-3)))


def location() -> tuple[Locality, CommercialSector, Block, Route]:
    """A minimal location for properties: one locality, sector, block and route."""
    return (
        Locality(
            id=1,
            name="CENTRO",
            municipality_id=7,
            stock_location_id=None,
            regional_management_id=4,
            business_unit_id=5,
        ),
        CommercialSector(id=10, locality_id=1, code=1, name="SETOR 1"),
        Block(
            id=100,
            locality_id=1,
            sector_id=10,
            number=1,
            water_network=NetworkIndicator.PARTIAL,
            sewer_network=NetworkIndicator.NETWORK,
            sewer_division_id=3,
        ),
        Route(id=1000, locality_id=1, sector_id=10, code=1, group_id=2),
    )


def sample_property(id: int = 1) -> Property:
    """A property on :func:`location` with two categories and a collection situation."""
    return Property(
        id=id,
        locality_id=1,
        sector_id=10,
        block_id=100,
        block_face=2,
        route_id=1000,
        profile_id=1,
        categories=(
            Economies(category_id=1, subcategory_id=10, count=2),
            Economies(category_id=2, subcategory_id=None, count=1),
        ),
        water_status_id=3,
        sewer_status_id=1,
        consumption_tariff_id=2,
        well_type_id=1,
        collection_situation_ids=frozenset([2, 3]),
    )


class UnitOfWorkContract:
    """Repositories, transactions, compare-and-set and ports of one adapter."""

    #: What the adapter offers (:mod:`gsan_core.testing.capabilities`): an
    #: adapter without the seeding port or the billing port narrows it.
    capabilities: frozenset[str] = ALL

    @pytest.fixture
    def uow_factory(self) -> Factory:
        """Override: units of work over an empty, migrated store."""
        raise NotImplementedError

    # ------------------------------------------------------------ probes
    def probe_add(self, uow: UnitOfWork, n: int) -> None:
        """Write one row keyed ``n`` through the ports: the write of the
        transaction tests (rollback, isolation, events). Override it with a
        write your adapter offers (the default adds a catalogue row)."""
        uow.catalog.add(CatalogItem(kind="cut_reason", id=n, description=f"P{n}"))

    def probe_found(self, uow: UnitOfWork, n: int) -> bool:
        """Whether :meth:`probe_add`'s row ``n`` is visible to ``uow``."""
        return uow.catalog.find("cut_reason", n) is not None

    # ------------------------------------------------------------ samples
    def sample_location(self) -> tuple[Locality, CommercialSector, Block, Route]:
        """The suite's location (:func:`location`). Override it where the
        adapter's store cannot hold a field of it (GSAN's ``quadra`` has no
        sewer division)."""
        return location()

    def property_id(self, n: int) -> int:
        """The id of the suite's ``n``-th property: ``n``. Override it where
        the store's ids carry a check digit (GSAN's modulo 11)."""
        return n

    def sample_property(self, n: int = 1) -> Property:
        """The suite's ``n``-th property (:func:`sample_property` with
        :meth:`property_id`). Override it where the store keeps economies
        per subcategory only (GSAN's ``imovel_subcategoria``)."""
        return sample_property(self.property_id(n))

    def sample_units(self) -> tuple[OrganizationalUnit, OrganizationalUnit]:
        """A head unit and one below it. Override it where the store needs a
        field the library leaves empty (GSAN's NOT NULL company)."""
        return (
            OrganizationalUnit(id=5, name="SEDE", unit_type_id=10, acronym="SD"),
            OrganizationalUnit(
                id=6,
                name="FILIAL",
                unit_type_id=12,
                superior_id=5,
                dispatch_centre_id=5,
            ),
        )

    # ------------------------------------------------------------ helpers
    def _with_location(self, factory: Factory) -> None:
        # the route before the block: GSAN's block needs its route
        loc, sector, block, route = self.sample_location()
        with factory() as uow:
            uow.localities.add(loc)
            uow.sectors.add(sector)
            uow.routes.add(route)
            uow.blocks.add(block)
            uow.commit()

    # ------------------------------------------------------------ round trips
    def test_entities_round_trip(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        prop = self.sample_property()
        unit, child = self.sample_units()
        user = User(id=9, name="ANA", unit_id=6, login="ana")
        with uow_factory() as uow:
            uow.properties.add(prop)
            uow.units.add_many([unit, child])
            uow.users.add(user)
            uow.commit()
        with uow_factory() as uow:
            assert uow.properties.get(self.property_id(1)) == prop
            assert uow.units.get(6) == child
            assert uow.users.get(9) == user
            assert uow.localities.get(1) == self.sample_location()[0]
            assert uow.blocks.get(100) == self.sample_location()[2]
            assert uow.properties.find_by(route_id=1000) == [prop]
            assert uow.properties.find_by(route_id=[1000, 7]) == [prop]
            assert uow.properties.count_by(water_status_id=3) == 1
            assert uow.properties.count_by_water_status() == {3: 1}
            assert uow.properties.ids_by_route(1000) == [prop.id]
            assert uow.properties.get_many([prop.id, self.property_id(2)]) == {
                prop.id: prop
            }
            assert uow.units.find_by(superior_id=None) == [unit]

    def test_location_links_in_one_read(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with uow_factory() as uow:
            uow.localities.add(Locality(id=2, name="VELHA", active=False))
            uow.commit()
        with uow_factory() as uow:
            links = uow.locations.links(
                localities=[1, 2, 404], sectors=[10, 404], blocks=[100], routes=[]
            )
            assert links == LocationLinks(
                active_localities=frozenset({1}),
                sector_locality={10: 1},
                block_sector={100: 10},
                route_locality={},
            )
            assert uow.locations.links(
                localities=[], sectors=[], blocks=[], routes=[1000]
            ) == LocationLinks(route_locality={1000: 1})
            many = range(1, 2_500)  # more ids than one statement carries
            assert uow.locations.links(
                localities=many, sectors=many, blocks=many, routes=many
            ) == LocationLinks(
                active_localities=frozenset({1}),
                sector_locality={10: 1},
                block_sector={100: 10},
                route_locality={1000: 1},
            )

    def test_catalog_round_trip_with_decimals(self, uow_factory: Factory) -> None:
        require(self.capabilities, CATALOG_WRITES)
        item = CatalogItem(
            kind="sewer_profile",
            id=1,
            description="CONVENCIONAL",
            abbreviation="CONV",
            attributes={"sewer_percentage": Decimal("80.00"), "main": True},
        )
        other = CatalogItem(kind="cut_reason", id=1, description="DEBITO")
        with uow_factory() as uow:
            uow.catalog.add_many([item, other])
            uow.commit()
        with uow_factory() as uow:
            stored = uow.catalog.get("sewer_profile", 1)
            assert stored == item
            assert stored.decimal("sewer_percentage") == Decimal("80.00")
            assert uow.catalog.list("cut_reason") == [other]
            assert uow.catalog.find("cut_reason", 2) is None
            keys = [("sewer_profile", 1), ("cut_reason", 1), ("cut_reason", 2)]
            assert uow.catalog.find_many(keys) == {
                ("sewer_profile", 1): item,
                ("cut_reason", 1): other,
            }
            assert uow.catalog.find_many([]) == {}
            many = [("cut_reason", i) for i in range(1, 2_500)]
            assert uow.catalog.find_many(many) == {("cut_reason", 1): other}

    def test_aware_datetimes_and_decimals_round_trip(
        self, uow_factory: Factory
    ) -> None:
        require(self.capabilities, BILLING)
        require(self.capabilities, SEEDING)
        charge = Charge(
            id=7,
            property_id=1,
            debit_type_id=3,
            total=Decimal("306.0194016"),
            installments=3,
            installment_value=Decimal("102.0064672"),
            installments_billed=1,
            collection_form=CollectionForm.CREDIT_CARD,
            interest_rate=Decimal("1.00"),
            service_order_id=11,
            generated_at=AT,
            reference=202501,
            shares=(ChargeShare(category_id=1, economies=2, amount=Decimal("204.01")),),
            actor=4,
        )
        debt = OpenDebt(
            id=8,
            property_id=1,
            kind=DebtKind.BILL,
            amount=Decimal("45.50"),
            due_date=date(2024, 12, 10),
            reference=202411,
        )
        with uow_factory() as uow:
            uow.billing.add_charge(charge)
            uow.seeding.record_debts([debt])
            uow.commit()
        with uow_factory() as uow:
            (stored,) = uow.billing.charges_of(1)
            assert stored == charge
            assert stored.generated_at == AT
            assert stored.generated_at.utcoffset() is not None
            assert stored.generated_at.astimezone(UTC) == AT.astimezone(UTC)
            debts = uow.billing.open_debts(1)
            assert [d.kind for d in debts] == [DebtKind.BILL, DebtKind.CHARGE]
            assert debts[0] == debt
            assert debts[1].amount == Decimal("306.0194016")

    # ------------------------------------------------------------ errors
    def test_get_missing_raises_not_found(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            with pytest.raises(NotFound):
                uow.properties.get(404)
            with pytest.raises(NotFound):
                uow.catalog.get("cut_reason", 404)
            assert uow.properties.find(404) is None

    def test_add_existing_raises_duplicate(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with uow_factory() as uow:
            uow.properties.add(self.sample_property())
            uow.commit()
        with uow_factory() as uow, pytest.raises(DuplicateEntity):
            uow.properties.add(self.sample_property())
        with uow_factory() as uow:
            assert uow.properties.count_by() == 1

    def test_add_many_is_atomic(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with uow_factory() as uow:
            uow.properties.add(self.sample_property(5))
            uow.commit()
        with uow_factory() as uow, pytest.raises(DuplicateEntity):
            uow.properties.add_many([self.sample_property(4), self.sample_property(5)])
        with uow_factory() as uow:
            assert [p.id for p in uow.properties.find_by()] == [self.property_id(5)]

    def test_no_driver_exception_escapes(self, uow_factory: Factory) -> None:
        broken = attrs.evolve(self.sample_property(), locality_id=999, route_id=999)
        try:
            with uow_factory() as uow:
                uow.properties.add(broken)
                uow.commit()
        except GsanError:
            pass  # an adapter with foreign keys refuses it, translated

    # ------------------------------------------------------------ transactions
    def test_rollback_unless_committed(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with uow_factory() as uow:
            uow.properties.add(self.sample_property())
        with uow_factory() as uow:
            assert uow.properties.find(self.property_id(1)) is None

    def test_rollback_on_error(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with pytest.raises(RuntimeError), uow_factory() as uow:
            uow.properties.add(self.sample_property())
            raise RuntimeError
        with uow_factory() as uow:
            assert uow.properties.find(self.property_id(1)) is None

    def test_explicit_rollback_discards_work_and_events(
        self, uow_factory: Factory
    ) -> None:
        with uow_factory() as uow:
            self.probe_add(uow, 1)
            uow.record(
                CatalogItemAdded(occurred_at=AT, actor=1, kind="cut_reason", item_id=1)
            )
            uow.rollback()
            uow.commit()
            assert uow.collect_events() == []
        with uow_factory() as uow:
            assert not self.probe_found(uow, 1)

    def test_a_write_rolls_back_unless_committed(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            self.probe_add(uow, 1)
        with pytest.raises(RuntimeError), uow_factory() as uow:
            self.probe_add(uow, 2)
            raise RuntimeError
        with uow_factory() as uow:
            assert not self.probe_found(uow, 1)
            assert not self.probe_found(uow, 2)

    def test_a_write_is_isolated_until_committed(self, uow_factory: Factory) -> None:
        with uow_factory() as writer:
            self.probe_add(writer, 1)
            with uow_factory() as reader:
                reader.read_only()  # a writing one would queue behind ``writer``
                assert not self.probe_found(reader, 1)
            assert self.probe_found(writer, 1)
            writer.commit()
        with uow_factory() as reader:
            assert self.probe_found(reader, 1)

    def test_uncommitted_work_is_isolated(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with uow_factory() as writer:
            writer.properties.add(self.sample_property())
            with uow_factory() as reader:
                reader.read_only()  # a writing one would queue behind ``writer``
                assert reader.properties.find(self.property_id(1)) is None
            assert writer.properties.find(self.property_id(1)) is not None
            writer.commit()
        with uow_factory() as reader:
            assert reader.properties.find(self.property_id(1)) is not None

    def test_work_continues_after_commit(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            self.probe_add(uow, 1)
            uow.commit()
            self.probe_add(uow, 2)
            uow.commit()
        with uow_factory() as uow:
            assert self.probe_found(uow, 1)
            assert self.probe_found(uow, 2)

    def test_events_only_for_committed_work(self, uow_factory: Factory) -> None:
        event = CatalogItemAdded(occurred_at=AT, actor=3, kind="cut_reason", item_id=1)
        with uow_factory() as uow:
            uow.record(event)
        assert uow.collect_events() == []
        with uow_factory() as uow:
            self.probe_add(uow, 1)
            uow.record(event)
            assert uow.collect_events() == []
            uow.commit()
        assert list(uow.collect_events()) == [event]
        assert list(uow.collect_events()) == []

    # ------------------------------------------------------------ compare-and-set
    def test_stale_update_conflicts_and_writes_nothing(
        self, uow_factory: Factory
    ) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with uow_factory() as uow:
            uow.properties.add(self.sample_property())
            uow.commit()
        with uow_factory() as first:
            seen = first.properties.get(self.property_id(1))
        with uow_factory() as second:
            second.properties.update(attrs.evolve(seen, block_face=9, version=2))
            second.commit()
        with uow_factory() as first, pytest.raises(ConcurrencyConflict):
            first.properties.update(attrs.evolve(seen, block_face=7, version=2))
            first.commit()
        with uow_factory() as uow:
            stored = uow.properties.get(self.property_id(1))
            assert (stored.block_face, stored.version) == (9, 2)

    def test_update_many_checks_every_version(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with uow_factory() as uow:
            uow.properties.add_many([self.sample_property(1), self.sample_property(2)])
            uow.commit()
        good = attrs.evolve(self.sample_property(1), block_face=4, version=2)
        stale = attrs.evolve(self.sample_property(2), block_face=4, version=3)
        with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
            uow.properties.update_many([good, stale])
        with uow_factory() as uow:
            assert {p.version for p in uow.properties.find_by()} == {1}
            uow.properties.update_many([good, attrs.evolve(stale, version=2)])
            uow.commit()
        with uow_factory() as uow:
            assert {p.block_face for p in uow.properties.find_by()} == {4}

    def test_update_of_missing_raises_not_found(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        with uow_factory() as uow, pytest.raises(NotFound):
            uow.units.update(
                OrganizationalUnit(id=77, name="X", unit_type_id=1, version=2)
            )

    def test_catalog_compare_and_set(self, uow_factory: Factory) -> None:
        require(self.capabilities, CATALOG_WRITES)
        item = CatalogItem(kind="cut_reason", id=1, description="A")
        with uow_factory() as uow:
            uow.catalog.add(item)
            uow.commit()
        with uow_factory() as uow:
            uow.catalog.update(attrs.evolve(item, description="B", version=2))
            uow.commit()
        with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
            uow.catalog.update(attrs.evolve(item, description="C", version=2))
        with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
            uow.catalog.remove(item)
        with uow_factory() as uow:
            uow.catalog.remove(attrs.evolve(item, version=2))
            uow.commit()
        with uow_factory() as uow:
            assert uow.catalog.find("cut_reason", 1) is None

    def test_catalog_update_many_compare_and_set(self, uow_factory: Factory) -> None:
        require(self.capabilities, CATALOG_WRITES)
        items = [
            CatalogItem(kind="cut_reason", id=n, description=f"A{n}") for n in (1, 2)
        ]
        with uow_factory() as uow:
            uow.catalog.add_many(items)
            uow.commit()
        changed = [attrs.evolve(i, description="B", version=2) for i in items]
        with uow_factory() as uow:
            uow.catalog.update_many(changed)
            uow.commit()
        stale = [attrs.evolve(i, description="C", version=3) for i in changed]
        stale[1] = attrs.evolve(stale[1], version=2)  # the second row is stale
        with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
            uow.catalog.update_many(stale)
        missing = CatalogItem(kind="cut_reason", id=9, description="X", version=2)
        with uow_factory() as uow, pytest.raises(NotFound):
            uow.catalog.update_many([missing, stale[0]])
        with uow_factory() as uow:
            found = uow.catalog.find_many([("cut_reason", 1), ("cut_reason", 2)])
        assert {k: (i.description, i.version) for k, i in found.items()} == {
            ("cut_reason", 1): ("B", 2),
            ("cut_reason", 2): ("B", 2),
        }

    def test_catalog_usage_counts_references(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        self._with_location(uow_factory)
        with uow_factory() as uow:
            uow.properties.add_many([self.sample_property(1), self.sample_property(2)])
            uow.commit()
        with uow_factory() as uow:
            water = Reference("property", "water_status_id")
            situations = Reference("property", "collection_situation_ids")
            assert uow.catalog.usage_count("water_status", 3, [water]) == 2
            assert uow.catalog.usage_count("water_status", 4, [water]) == 0
            assert uow.catalog.usage_count("collection_situation", 2, [situations]) == 2
            assert uow.catalog.usage_count("collection_situation", 9, [situations]) == 0

    # ------------------------------------------------------------ ports and ids
    def test_permissions_and_field_lock(self, uow_factory: Factory) -> None:
        require(self.capabilities, REGISTRY_WRITES)
        require(self.capabilities, SEEDING)
        self._with_location(uow_factory)
        loc, sector, _, _ = self.sample_location()
        printing = Route(
            id=2000,
            locality_id=loc.id,
            sector_id=sector.id,
            code=2,
            group_id=2,
            simultaneous_printing=True,
        )
        with uow_factory() as uow:
            uow.routes.add(printing)
            uow.properties.add(attrs.evolve(self.sample_property(1), route_id=2000))
            uow.properties.add(self.sample_property(2))
            uow.seeding.grant(9, 30)
            uow.seeding.grant(9, 30)
            uow.seeding.lock_route(2000, 202501)
            uow.seeding.lock_route(1000, 202501)
            uow.commit()
        with uow_factory() as uow:
            assert uow.permissions.has(9, 30)
            assert not uow.permissions.has(9, 31)
            assert uow.field_lock.locked_reference(self.property_id(1)) == 202501
            assert (
                uow.field_lock.locked_reference(self.property_id(2)) is None
            )  # not simultaneous
            uow.seeding.revoke(9, 30)
            uow.seeding.unlock_route(2000)
            uow.commit()
        with uow_factory() as uow:
            assert not uow.permissions.has(9, 30)
            assert uow.field_lock.locked_reference(self.property_id(1)) is None

    def test_payment_slip_lookup_and_settle(self, uow_factory: Factory) -> None:
        require(self.capabilities, BILLING)
        require(self.capabilities, SEEDING)
        slip = OpenDebt(
            id=1,
            property_id=1,
            kind=DebtKind.PAYMENT_SLIP,
            amount=Decimal(30),
            debit_type_id=5,
            issued_on=date(2025, 1, 3),
        )
        with uow_factory() as uow:
            uow.seeding.record_debts([slip])
            uow.commit()
        with uow_factory() as uow:
            assert uow.billing.has_payment_slip(
                property_id=1, debit_type_id=5, issued_on=date(2025, 1, 3)
            )
            assert not uow.billing.has_payment_slip(
                property_id=1, debit_type_id=5, issued_on=date(2025, 1, 4)
            )
            assert uow.billing.open_debts_of([1, 2]) == {1: [slip]}
            uow.seeding.settle([1])
            uow.commit()
        with uow_factory() as uow:
            assert uow.billing.open_debts(1) == []

    def test_overdue_bills_are_counted_and_added_up_per_property(
        self, uow_factory: Factory
    ) -> None:
        require(self.capabilities, BILLING)
        require(self.capabilities, SEEDING)

        def bill(ident: int, pid: int, amount: str, due: date) -> OpenDebt:
            return OpenDebt(
                id=ident,
                property_id=pid,
                kind=DebtKind.BILL,
                amount=Decimal(amount),
                due_date=due,
            )

        limit = date(2025, 3, 1)
        with uow_factory() as uow:
            uow.seeding.record_debts(
                [
                    bill(1, 1, "10.10", date(2025, 1, 5)),
                    bill(2, 1, "0.05", date(2025, 2, 28)),
                    bill(3, 1, "99", limit),
                    bill(4, 2, "7", date(2025, 3, 9)),
                    bill(5, 3, "1.5", date(2024, 12, 1)),
                    OpenDebt(
                        id=6,
                        property_id=3,
                        kind=DebtKind.PAYMENT_SLIP,
                        amount=Decimal(50),
                        due_date=date(2024, 1, 1),
                    ),
                ]
            )
            uow.commit()
        with uow_factory() as uow:
            found = uow.billing.overdue_bills([1, 2, 3, 4], due_before=limit)
        assert found == {
            1: OverdueBills(count=2, amount=Decimal("10.15")),
            3: OverdueBills(count=1, amount=Decimal("1.5")),
        }

    def test_ids_are_unique_and_increasing(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            first = list(uow.next_ids("thing", 3))
            single = uow.next_id("thing")
            uow.commit()
        with uow_factory() as uow:
            later = uow.next_id("thing")
            other = uow.next_id("other")
            uow.commit()
        assert first == sorted(first)
        assert len({*first, single, later}) == 5
        assert single > first[-1]
        assert later > single
        assert other >= 1

    def test_concurrent_id_allocation_never_repeats(self, uow_factory: Factory) -> None:
        seen: list[int] = []
        lock = threading.Lock()

        def work() -> None:
            for _ in range(5):
                with uow_factory() as uow:
                    ids = list(uow.next_ids("race", 4))
                    uow.commit()
                with lock:
                    seen.extend(ids)

        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == len(set(seen)) == 60
