"""The contract of the field-work stores: selective commands, the orders they
emitted and the set-based reads of the selective emission.

Subclass it with a ``uow_factory`` fixture over an empty, migrated store, as
:class:`~gsan_core.testing.contracts.UnitOfWorkContract`::

    from gsan_core.testing.contracts_field_work import FieldWorkContract

    class TestMyFieldWork(FieldWorkContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

It checks that a store keeps a command with its criteria, cuts the location
bounds into id chunks, and decides a chunk exactly as
:func:`gsan_core.rules.field_work.decide_selective` does (SEL-01, GEN-11).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core.model.accounts.customers import (
    Customer,
    CustomerProperty,
    PersonKind,
    RelationType,
)
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.consumption import ConsumptionRecord, MeasurementKind
from gsan_core.model.field_files import (
    FieldFile,
    FieldFileItem,
    FileKind,
    FileOrderDetail,
    ReturnLine,
)
from gsan_core.model.field_work import (
    CommandSituation,
    SelectiveCommand,
    SelectiveCriteria,
    SelectiveOrder,
    SelectiveWanted,
)
from gsan_core.model.properties import Economies, Locality
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.model.sewer_commands import SewerCommandOrder
from gsan_core.model.units import OrganizationalUnit
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.testing.contracts import location, sample_property
from gsan_core.testing.contracts_hydrometers import _installation, _meter

__all__ = ["FieldWorkContract"]

Factory = Callable[[], UnitOfWork]
NOW = datetime(2025, 3, 3, 12, tzinfo=UTC)
INSPECTION = 350


def _order(ident: int, property_id: int, **changes: Any) -> ServiceOrder:
    order = ServiceOrder(
        id=ident,
        service_type_id=304,
        property_id=property_id,
        generated_at=NOW - timedelta(days=5),
        current_unit_id=5,
    )
    return attrs.evolve(order, **changes)


def _command(**changes: Any) -> SelectiveCommand:
    command = SelectiveCommand(
        id=1,
        description="INSPECAO",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(
            locality_first=1, locality_last=1, water_status_ids={3}, min_open_bills=1
        ),
        created_at=NOW,
        created_by=1,
    )
    return attrs.evolve(command, **changes)


class FieldWorkContract:
    """What the selective emission asks of a unit of work."""

    @pytest.fixture
    def uow_factory(self) -> Factory:  # pragma: no cover - overridden
        raise NotImplementedError

    def _seed(self, uow_factory: Factory) -> None:
        loc, sector, block, route = location()
        props = [
            attrs.evolve(sample_property(n), water_status_id=3) for n in range(1, 11)
        ]
        props[1] = attrs.evolve(props[1], water_status_id=5)  # 2: situation
        props[2] = attrs.evolve(props[2], active=False)  # 3: inactive
        props[9] = attrs.evolve(props[9], locality_id=2)  # 10: out of scope / no unit
        with uow_factory() as uow:
            uow.localities.add(loc)
            uow.localities.add(
                Locality(id=2, name="NORTE", municipality_id=7, stock_location_id=None)
            )
            uow.sectors.add(sector)
            uow.blocks.add(block)
            uow.routes.add(route)
            uow.units.add(
                OrganizationalUnit(id=5, name="SEDE", unit_type_id=1, locality_id=1)
            )
            uow.properties.add_many(props)
            for type_id in (304, INSPECTION):
                uow.service_types.add(
                    ServiceType(id=type_id, description=f"T{type_id}", abbreviation="T")
                )
            uow.seeding.record_debts(
                OpenDebt(
                    id=n,
                    property_id=pid,
                    kind=DebtKind.BILL,
                    amount=Decimal("10"),
                    due_date=NOW.date(),
                )
                for n, pid in enumerate([1, 2, 3, 5, 6, 7, 8, 9, 10], start=1)
            )  # 4: no bill
            uow.service_orders.add_many(
                [
                    _order(1, 5),  # GEN-11: blocks 5
                    _order(2, 6, request_id=77),  # with an RA: does not block
                    _order(3, 7, generated_at=NOW - timedelta(days=91)),  # too old
                    _order(4, 8, situation=OrderSituation.CLOSED),  # closed
                    _order(5, 9, service_type_id=INSPECTION),  # the command's own
                ]
            )
            uow.selective_commands.add(_command())
            uow.selective_orders.add(
                SelectiveOrder(id=1, command_id=1, order_id=5, property_id=9)
            )
            uow.commit()

    def test_a_command_keeps_its_criteria_and_moves_by_compare_and_set(
        self, uow_factory: Factory
    ) -> None:
        with uow_factory() as uow:
            uow.selective_commands.add(_command(max_orders=40))
            uow.commit()
        with uow_factory() as uow:
            stored = uow.selective_commands.get(1)
            assert stored == _command(max_orders=40)
            uow.selective_commands.update(
                attrs.evolve(
                    stored, emitted=3, situation=CommandSituation.CLOSED, version=2
                )
            )
            uow.commit()
        with uow_factory() as uow:
            again = uow.selective_commands.get(1)
        assert (again.emitted, again.situation, again.version) == (
            3,
            CommandSituation.CLOSED,
            2,
        )
        assert again.criteria.water_status_ids == frozenset({3})

    def test_chunk_bounds_cut_the_location_into_id_ranges(
        self, uow_factory: Factory
    ) -> None:
        self._seed(uow_factory)
        with uow_factory() as uow:
            bounds = uow.selective.chunk_bounds(
                SelectiveCriteria(locality_first=1, locality_last=1), 4
            )
            one = uow.selective.chunk_bounds(SelectiveCriteria(property_id=10), 4)
            none = uow.selective.chunk_bounds(SelectiveCriteria(locality_first=3), 4)
        assert list(bounds) == [(1, 4), (5, 8), (9, 9)]
        assert list(one) == [(10, 10)]
        assert list(none) == []

    def test_sel_01_gen_11_a_chunk_is_decided_as_the_pure_rules_decide(
        self, uow_factory: Factory
    ) -> None:
        """SEL-01/GEN-11: every reason, in the rules' order."""
        self._seed(uow_factory)
        wanted = SelectiveWanted(
            command_id=1,
            criteria=_command().criteria,
            blocking_type_ids={304, 310, 350, 1420},
            open_since=NOW - timedelta(days=90),
        )
        with uow_factory() as uow:
            selection = uow.selective.select_selective(1, 10, wanted)
        assert [f.property_id for f in selection.chosen] == [1, 6, 7, 8]
        assert {f.unit_id for f in selection.chosen} == {5}
        assert selection.processed == 9
        assert dict(selection.skipped) == {
            "already emitted by this command": 1,
            "inactive property": 1,
            "not enough open bills": 1,
            "open selective order (GEN-11)": 1,
            "water situation not selected": 1,
        }

    def test_esg_01_a_sewer_command_s_own_orders_are_emitted(
        self, uow_factory: Factory
    ) -> None:
        """ESG-01 (issue 20, ninth round): for a sewer command (``sewer``)
        "emitted" is an order the command generated (its links), decided in
        the selection as the pure rules decide; a selective command of the
        same id, or another sewer command, is not the one."""
        self._seed(uow_factory)
        with uow_factory() as uow:
            uow.sewer_command_orders.add(
                SewerCommandOrder(id=1, command_id=1, order_id=4, property_id=8)
            )
            uow.commit()

        def wanted(command_id: int) -> SelectiveWanted:
            return SelectiveWanted(
                command_id=command_id,
                criteria=_command().criteria,
                blocking_type_ids={304, 310, 350, 1420},
                open_since=NOW - timedelta(days=90),
                sewer=True,
            )

        with uow_factory() as uow:
            own = uow.selective.select_selective(1, 10, wanted(1))
            other = uow.selective.select_selective(1, 10, wanted(2))
        # 9: the selective command's link is no sewer link (its open order
        # of a blocking type skips it, GEN-11)
        assert [f.property_id for f in own.chosen] == [1, 6, 7]
        assert own.skipped["already emitted by this command"] == 1
        assert own.skipped["open selective order (GEN-11)"] == 2
        assert [f.property_id for f in other.chosen] == [1, 6, 7, 8]
        assert "already emitted by this command" not in other.skipped

    def test_a_property_without_a_serving_unit_is_skipped(
        self, uow_factory: Factory
    ) -> None:
        self._seed(uow_factory)
        wanted = SelectiveWanted(
            command_id=2,
            criteria=SelectiveCriteria(property_id=10),
            blocking_type_ids={304},
            open_since=NOW,
        )
        with uow_factory() as uow:
            selection = uow.selective.select_selective(1, 10, wanted)
        assert selection.chosen == ()
        assert dict(selection.skipped) == {"no active unit serves the locality": 1}

    def test_sel_criteria_debt_amount_consumption_anomalies_and_meter(
        self, uow_factory: Factory
    ) -> None:
        """SEL-04 criteria (consumption range, consecutive anomalies, debt
        amount, meter installation period, block range) decided in the store
        as the pure rules decide them."""
        self._seed(uow_factory)
        history = [  # property, reference, volume, anomaly
            (1, 202501, 10, 7),
            (1, 202502, 20, 7),
            (1, 202503, 30, 8),
            (6, 202412, 99, None),  # before the window
            (6, 202502, 5, None),
            (7, 202501, 12, None),
            (7, 202502, 14, 7),
            (7, 202503, 16, 7),
            (8, 202503, 18, 7),
        ]
        with uow_factory() as uow:
            uow.seeding.record_consumption(
                ConsumptionRecord(
                    property_id=pid,
                    reference=ref,
                    consumption_type_id=1,
                    billed_volume=volume,
                    anomaly_id=anomaly,
                )
                for pid, ref, volume, anomaly in history
            )
            uow.hydrometers.add_many([_meter(1, "A25A000001"), _meter(2, "A25A000002")])
            uow.hydrometer_installations.add_many(
                [
                    _installation(1, property_id=1, installed_on=date(2024, 2, 1)),
                    _installation(
                        2, hydrometer_id=2, property_id=7, installed_on=date(2023, 1, 1)
                    ),
                ]
            )
            uow.commit()

        def decide(**criteria: Any) -> tuple[list[int], dict[str, int]]:
            wanted = SelectiveWanted(
                command_id=2,
                criteria=SelectiveCriteria(
                    locality_first=1, locality_last=1, **criteria
                ),
                blocking_type_ids={304},
                open_since=NOW - timedelta(days=90),
                consumption_since=202501,
            )
            with uow_factory() as uow:
                selection = uow.selective.select_selective(1, 10, wanted)
            return [f.property_id for f in selection.chosen], dict(selection.skipped)

        average = "average consumption out of range"
        chosen, skipped = decide(consumption_first=10, consumption_last=19)
        assert chosen == [7, 8]  # 1 averages 20, 6 averages 5, others none
        assert skipped[average] == 6
        assert decide(consumption_last=20)[0] == [1, 6, 7, 8]
        streak, skipped = decide(consecutive_anomalies=2)
        assert streak == [1, 7]
        assert skipped["no consecutive consumption anomalies"] == 6
        assert decide(consecutive_anomalies=2, anomaly_ids={7})[0] == [7]
        assert decide(consecutive_anomalies=1, anomaly_ids={7})[0] == [7, 8]
        rich, skipped = decide(min_debt_amount=Decimal("10"))
        assert rich == [1, 2, 6, 7, 8, 9]
        assert skipped["open debts below the amount"] == 1  # 4: no debt
        metered, skipped = decide(
            meter_installed_first=date(2024, 1, 1),
            meter_installed_last=date(2024, 12, 31),
        )
        assert metered == [1]
        assert skipped["meter installation not in the period"] == 7
        assert decide(block_first=101)[0] == []
        assert len(decide(block_first=100, block_last=100)[0]) == 7

    def test_sel_02_the_pending_orders_of_a_command_by_keyset(
        self, uow_factory: Factory
    ) -> None:
        self._seed(uow_factory)
        with uow_factory() as uow:
            uow.service_orders.add_many(
                [
                    _order(11, 1, service_type_id=INSPECTION),
                    _order(
                        12,
                        2,
                        service_type_id=INSPECTION,
                        situation=OrderSituation.IN_EXECUTION,
                    ),
                    _order(13, 3, service_type_id=INSPECTION),
                ]
            )
            uow.selective_orders.add_many(
                SelectiveOrder(id=n, command_id=1, order_id=o, property_id=p)
                for n, o, p in [(2, 11, 1), (3, 12, 2), (4, 13, 3)]
            )
            uow.commit()
        with uow_factory() as uow:
            first = uow.selective.pending_orders_of_command(
                1, after_order_id=0, limit=2
            )
            rest = uow.selective.pending_orders_of_command(
                1, after_order_id=11, limit=2
            )
        assert list(first) == [5, 11]
        assert list(rest) == [13]

    def test_txt_uc1484_record_16_order_details_one_joined_read(
        self, uow_factory: Factory
    ) -> None:
        """UC1484 record 16: per order of a page, in file order, the open USER
        relation's customer (the lowest id; a closed one or an owner is not
        it) and the water connection's open meter (a removed one is not)."""
        self._seed(uow_factory)
        self._seed_order_details(uow_factory)
        with uow_factory() as uow:
            details = uow.field_file_queries.order_details(1, 1, 2)
        assert [d.order_id for d in details] == [1, 4]
        assert details[0] == FileOrderDetail(
            order_id=1,
            customer_name="MARIA",
            document="52998224725",
            identity_card="123",
            identity_issuer_id=1,
            identity_state_id=25,
            phone_area="11",
            phone="5550000",
            phone_extension="9",
            meter_number="A1",
            meter_type_id=1,
            meter_situation_id=3,
            place_id=2,
            protection_id=7,
            stand=True,
            brand_id=10,
        )
        assert details[1] == FileOrderDetail(order_id=4)
        with uow_factory() as uow:  # order 1's property 5 has history
            uow.seeding.record_consumption(
                ConsumptionRecord(
                    property_id=5,
                    reference=reference,
                    consumption_type_id=1,
                    billed_volume=volume,
                )
                for reference, volume in ((202412, 90), (202501, 10), (202502, 11))
            )
            uow.commit()
        with uow_factory() as uow:  # record_rows: the three reads in one
            rows = uow.field_file_queries.record_rows(1, 1, 2, consumption_since=202501)
            places = uow.field_file_queries.file_rows(1, 1, 2)
        assert [r[:12] for r in rows] == [tuple(p) for p in places]
        assert [r[12:28] for r in rows] == [
            attrs.astuple(d, recurse=False)[1:] for d in details
        ]
        assert [r[28] for r in rows] == [10, None]

    def _seed_order_details(self, uow_factory: Factory) -> None:
        """Record 16's order details' rows: file 1 (orders 4 and 1), property 5's
        customers and relations, and two meters (the second removed)."""
        with uow_factory() as uow:
            uow.field_files.add(
                FieldFile(
                    id=1,
                    kind=FileKind.COLLECTION,
                    order_count=2,
                    created_at=NOW,
                    created_by=1,
                )
            )
            uow.field_file_items.add_many(
                [
                    FieldFileItem(id=1, file_id=1, order_id=4, sequence=2),
                    FieldFileItem(id=2, file_id=1, order_id=1, sequence=1),
                ]
            )
            uow.customers.add_many(
                [
                    Customer(
                        id=1,
                        name="MARIA",
                        customer_type_id=1,
                        person_kind=PersonKind.INDIVIDUAL,
                        document="52998224725",
                        identity_card="123",
                        identity_issuer_id=1,
                        identity_state_id=25,
                        phone_area="11",
                        phone="5550000",
                        phone_extension="9",
                    ),
                    Customer(
                        id=2,
                        name="JOSE",
                        customer_type_id=1,
                        person_kind=PersonKind.INDIVIDUAL,
                    ),
                ]
            )
            uow.customer_properties.add_many(
                CustomerProperty(
                    id=ident,
                    customer_id=customer,
                    property_id=5,
                    relation=relation,
                    start=date(2024, 1, 1),
                    end=end,
                )
                for ident, customer, relation, end in [
                    (20, 2, RelationType.USER, date(2024, 6, 1)),
                    (21, 1, RelationType.USER, None),
                    (22, 2, RelationType.OWNER, None),
                    (23, 2, RelationType.USER, None),
                ]
            )
            uow.hydrometers.add_many([_meter(1, "A1"), _meter(2, "A2")])
            uow.hydrometer_installations.add_many(
                [
                    _installation(1, property_id=5, place_id=2, protection_id=7),
                    _installation(
                        2,
                        hydrometer_id=2,
                        property_id=8,
                        removed_on=date(2024, 9, 1),
                        removal_reading=20,
                    ),
                ]
            )
            uow.commit()

    def test_txt_uc1484_record_16_principal_category_and_streamed_pages(
        self, uow_factory: Factory
    ) -> None:
        """UC1484 record 16 fields 8 and 9: each row ends with the property's
        principal category (the most economies, the first on a tie, as
        ``Property.main_category``) and that category's economies, ``None``
        without categories; ``record_pages`` streams the whole file in file
        order, at most ``size`` rows a page, the same rows as ``record_rows``;
        record 17's ``document_pages`` streams the orders with a collection
        document, in file order."""
        self._seed(uow_factory)
        self._seed_categories_and_documents(uow_factory)
        with uow_factory() as uow:
            rows = uow.field_file_queries.record_rows(1, 1, 3, consumption_since=202501)
            pages = [
                list(page)
                for page in uow.field_file_queries.record_pages(
                    1, consumption_since=202501, size=2
                )
            ]
        # order 1 on property 5, order 4 on 8 (a tie: the first), order 2 on 6
        # (no category)
        assert [(r[0], r[29], r[30]) for r in rows] == [
            (1, 2, 3),
            (4, 3, 2),
            (2, None, None),
        ]
        assert [len(page) for page in pages] == [2, 1]
        assert [row for page in pages for row in page] == list(rows)
        with uow_factory() as uow:  # record 17's orders with a document
            documents = [
                list(page) for page in uow.field_file_queries.document_pages(1, size=1)
            ]
            # a file without items streams no page
            empty = list(
                uow.field_file_queries.record_pages(9, consumption_since=0, size=2)
            )
            no_documents = list(uow.field_file_queries.document_pages(9, size=2))
        assert empty == []
        assert no_documents == []
        # file order; order 1 has none, order 3 is in another file
        assert documents == [[(4, 70)], [(2, 71)]]

    def _seed_categories_and_documents(self, uow_factory: Factory) -> None:
        """Record 16's categories and record 17's documents: properties 5 and 8
        with a tie-free and a tied principal category, 6 without categories;
        orders 2, 3 and 4 with documents; file 1 (orders 4, 1, 2) and file 2."""
        with uow_factory() as uow:
            found = uow.properties.get_many([5, 6, 8])
            uow.properties.update_many(
                [
                    attrs.evolve(
                        found[5],
                        categories=(
                            Economies(category_id=1, count=2),
                            Economies(category_id=2, count=3),
                        ),
                        version=found[5].version + 1,
                    ),
                    attrs.evolve(
                        found[8],
                        categories=(
                            Economies(category_id=3, count=2),
                            Economies(category_id=1, count=2),
                        ),
                        version=found[8].version + 1,
                    ),
                    attrs.evolve(found[6], categories=(), version=found[6].version + 1),
                ]
            )
            orders = uow.service_orders.get_many([2, 3, 4])
            uow.service_orders.update_many(
                attrs.evolve(
                    orders[ident],
                    collection_document_id=document,
                    version=orders[ident].version + 1,
                )
                for ident, document in ((2, 71), (3, 72), (4, 70))
            )
            uow.field_files.add(
                FieldFile(
                    id=1,
                    kind=FileKind.COLLECTION,
                    order_count=3,
                    created_at=NOW,
                    created_by=1,
                )
            )
            uow.field_file_items.add_many(
                [
                    FieldFileItem(id=1, file_id=1, order_id=4, sequence=2),
                    FieldFileItem(id=2, file_id=1, order_id=1, sequence=1),
                    FieldFileItem(id=3, file_id=1, order_id=2, sequence=3),
                    FieldFileItem(id=4, file_id=2, order_id=3, sequence=1),
                ]
            )
            uow.commit()

    def test_txt_uc1484_record_16_average_consumptions_one_read(
        self, uow_factory: Factory
    ) -> None:
        """UC1484 record 16's average consumption: per property of a page, the
        water history's billed volume from the window's first reference on,
        averaged and rounded down (sewer and older months out; a property
        without history in the window absent)."""
        self._seed(uow_factory)
        history = [  # property, reference, kind, volume
            (1, 202412, MeasurementKind.WATER, 99),  # before the window
            (1, 202501, MeasurementKind.WATER, 10),
            (1, 202502, MeasurementKind.WATER, 15),
            (1, 202502, MeasurementKind.SEWER, 70),
            (6, 202412, MeasurementKind.WATER, 40),  # only before the window
            (7, 202503, MeasurementKind.WATER, 0),
        ]
        with uow_factory() as uow:
            uow.seeding.record_consumption(
                ConsumptionRecord(
                    property_id=pid,
                    reference=ref,
                    kind=kind,
                    consumption_type_id=1,
                    billed_volume=volume,
                )
                for pid, ref, kind, volume in history
            )
            uow.commit()
        with uow_factory() as uow:
            averages = uow.field_file_queries.average_consumptions([1, 6, 7, 8], 202501)
            none = uow.field_file_queries.average_consumptions([], 202501)
        assert dict(averages) == {1: 12, 7: 0}
        assert dict(none) == {}

    def test_txt_05_ret_01_the_device_file_reads(self, uow_factory: Factory) -> None:
        """TXT-05/RET-01: a file's joined rows in file order, the states of its
        orders (an order of another file is absent) and its staged digests."""
        self._seed(uow_factory)
        with uow_factory() as uow:
            uow.field_files.add(
                FieldFile(
                    id=1,
                    kind=FileKind.COLLECTION,
                    order_count=2,
                    created_at=NOW,
                    created_by=1,
                )
            )
            uow.field_file_items.add_many(
                [
                    FieldFileItem(id=1, file_id=1, order_id=4, sequence=2),
                    FieldFileItem(id=2, file_id=1, order_id=1, sequence=1),
                    FieldFileItem(id=3, file_id=2, order_id=2, sequence=1),
                ]
            )
            uow.return_lines.add(
                ReturnLine(
                    id=1,
                    file_id=1,
                    order_id=1,
                    record=1,
                    line_number=2,
                    fields=("1", "x"),
                    digest="abc",
                    received_at=NOW,
                )
            )
            uow.commit()
        with uow_factory() as uow:
            rows = uow.field_file_queries.file_rows(1, 1, 2)
            states = uow.field_file_queries.order_states(1, [1, 2, 4])
            digests = uow.field_file_queries.staged_digests(1, ["abc", "def"])
            other = uow.field_file_queries.staged_digests(2, ["abc"])
        assert [r[:3] for r in rows] == [(1, 304, 1), (4, 304, 2)]
        assert rows[0][3:] == (5, 1, 10, 100, 2, 1, 1000, 3, 1)
        assert dict(states) == {1: 1, 4: 2}
        assert digests == {"abc"}
        assert other == set()
