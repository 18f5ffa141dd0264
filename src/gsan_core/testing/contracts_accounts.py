"""The adapter contract of the accounts area, shipped for integrators.

Subclass it like :class:`~gsan_core.testing.contracts.UnitOfWorkContract` (one
fixture, ``uow_factory``, over an empty, migrated store)::

    from gsan_core.testing.contracts_accounts import AccountsContract

    class TestMyAccounts(AccountsContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

It covers the customer, relation, index, document and certificate repositories
(round trips with decimals, dates and item lists, compare-and-set, "in"
queries), the billing port's open items with the fields UC0067 reads, and its
installment plans, cash-payment terms, tariffs and billed consumption.
Needs ``gsan-core[testing]`` (pytest).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, DuplicateEntity, NotFound
from gsan_core.model.accounts import (
    Certificate,
    CertificateSubject,
    CollectionDocument,
    Customer,
    CustomerProperty,
    CustomerType,
    DocumentItem,
    PersonKind,
    PowerSphere,
    RelationType,
    SurchargeIndex,
)
from gsan_core.model.billing import (
    BilledConsumption,
    BillStatus,
    CashPaymentTerms,
    CategoryTariff,
    DebtKind,
    InstallmentPlan,
    InstallmentPlanStatus,
    OpenDebt,
    Tariff,
    TariffRange,
)
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.testing.capabilities import ALL, SEEDING, require

__all__ = ["AccountsContract"]

Factory = Callable[[], UnitOfWork]
AT = datetime(2025, 1, 6, 12, tzinfo=UTC)


def _customer(ident: int, **changes: object) -> Customer:
    base = Customer(
        id=ident,
        name=f"CLIENTE {ident}",
        customer_type_id=1,
        person_kind=PersonKind.INDIVIDUAL,
        document="52998224725",
        email="cliente@example.org",
    )
    return attrs.evolve(base, **changes)  # type: ignore[arg-type]


class AccountsContract:
    """Account repositories and the billing port's open items of one adapter."""

    #: What the adapter offers (:mod:`gsan_core.testing.capabilities`).
    capabilities: frozenset[str] = ALL

    @pytest.fixture
    def uow_factory(self) -> Factory:
        """Override: units of work over an empty, migrated store."""
        raise NotImplementedError

    def test_customers_round_trip_and_compare_and_set(
        self, uow_factory: Factory
    ) -> None:
        with uow_factory() as uow:
            uow.power_spheres.add(
                PowerSphere(
                    id=1, description="FEDERAL", property_certificate_allowed=False
                )
            )
            uow.customer_types.add(
                CustomerType(
                    id=1,
                    description="PF",
                    person_kind=PersonKind.INDIVIDUAL,
                    power_sphere_id=1,
                )
            )
            uow.customers.add_many(
                [
                    _customer(1),
                    _customer(2, document=None, responsible_customer_id=1),
                    _customer(3, document=None, responsible_customer_id=1),
                ]
            )
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.get(1) == _customer(1)
            assert not uow.power_spheres.get(1).property_certificate_allowed
            assert uow.customer_types.get(1).person_kind is PersonKind.INDIVIDUAL
            assert [
                c.id for c in uow.customers.find_by(responsible_customer_id=[1])
            ] == [
                2,
                3,
            ]
            assert [c.id for c in uow.customers.find_by(document="52998224725")] == [1]
            with pytest.raises(DuplicateEntity):
                uow.customers.add(_customer(1))
        with uow_factory() as uow:
            uow.customers.update(_customer(1, name="NOVO", version=2))
            uow.commit()
        with uow_factory() as uow:
            assert uow.customers.get(1).name == "NOVO"
            with pytest.raises(ConcurrencyConflict):
                uow.customers.update(_customer(1, name="VELHO", version=2))
            with pytest.raises(NotFound):
                uow.customers.get(99)

    def test_the_customers_under_one_read_at_once(self, uow_factory: Factory) -> None:
        """CNC-05: every customer under one, however deep, by responsible and
        by id; a loop above it ends where it closes."""
        with uow_factory() as uow:
            uow.customers.add_many(
                [
                    _customer(1, document=None),
                    _customer(4, document=None, responsible_customer_id=1),
                    _customer(2, document=None, responsible_customer_id=1),
                    _customer(3, document=None, responsible_customer_id=2),
                    _customer(5, document=None, responsible_customer_id=3),
                    _customer(6, document=None),
                    _customer(7, document=None, responsible_customer_id=8),
                    _customer(8, document=None, responsible_customer_id=7),
                ]
            )
            uow.commit()
        with uow_factory() as uow:
            under = {k: list(v) for k, v in uow.customers.under(1).items()}
            assert under == {1: [2, 4], 2: [3], 3: [5]}
            assert {k: list(v) for k, v in uow.customers.under(3).items()} == {3: [5]}
            assert uow.customers.under(6) == {}
            assert uow.customers.under(99) == {}
            loop = {k: list(v) for k, v in uow.customers.under(7).items()}
            assert loop == {7: [8], 8: [7]}

    def test_relations_by_property_and_customer(self, uow_factory: Factory) -> None:
        rows = [
            CustomerProperty(
                id=10 + i,
                customer_id=1 + i % 2,
                property_id=100 + i // 2,
                relation=RelationType(1 + i % 3),
                start=date(2024, 1, 1 + i),
                end=None if i % 2 else date(2025, 1, 1),
                name_on_bill=bool(i % 2),
            )
            for i in range(4)
        ]
        with uow_factory() as uow:
            uow.customer_properties.add_many(rows)
            uow.commit()
        with uow_factory() as uow:
            assert uow.customer_properties.find_by(property_id=[100, 101]) == rows
            assert uow.customer_properties.find_by(customer_id=2) == [rows[1], rows[3]]
            assert uow.customer_properties.get(10).end == date(2025, 1, 1)

    def test_indices_documents_and_certificates_round_trip(
        self, uow_factory: Factory
    ) -> None:
        index = SurchargeIndex(
            id=202501,
            fine_rate=Decimal("2"),
            fine_monthly=False,
            fine_limit=Decimal("10.5"),
            interest_rate=Decimal("0.0333333"),
            interest_monthly=False,
            correction_factor=Decimal("1.0123"),
        )
        document = CollectionDocument(
            id=5,
            property_id=100,
            issued_at=AT,
            valid_until=date(2025, 1, 11),
            value=Decimal("123.45"),
            surcharges=Decimal("3.45"),
            barcode="8" * 44,
            items=[
                DocumentItem(
                    debt_id=1,
                    kind=DebtKind.BILL,
                    value=Decimal("120.00"),
                    surcharges=Decimal("3.45"),
                    reference=202411,
                    due_date=date(2024, 12, 10),
                )
            ],
            actor=1,
        )
        certificate = Certificate(
            id=7,
            subject=CertificateSubject.PROPERTY,
            property_id=100,
            issued_at=AT,
            issued_on=date(2025, 1, 6),
            valid_until=date(2025, 3, 7),
            authentication_code="A1B220250106",
            title="Certidão Negativa de Débito",
            actor=1,
        )
        with uow_factory() as uow:
            uow.surcharge_indices.add(index)
            uow.collection_documents.add(document)
            uow.certificates.add(certificate)
            uow.commit()
        with uow_factory() as uow:
            assert uow.surcharge_indices.get(202501) == index
            assert uow.collection_documents.find_by(property_id=100) == [document]
            found = uow.certificates.find_by(
                property_id=100, authentication_code="A1B220250106"
            )
            assert found == [certificate]
            assert (
                uow.certificates.find_by(property_id=100, authentication_code="X") == []
            )

    def test_open_items_carry_what_uc0067_reads(self, uow_factory: Factory) -> None:
        require(self.capabilities, SEEDING)
        bill = OpenDebt(
            id=1,
            property_id=100,
            kind=DebtKind.BILL,
            amount=Decimal("80.10"),
            due_date=date(2024, 12, 10),
            reference=202411,
            status=BillStatus.PARCELLED,
            in_review=True,
            review_reason_id=3,
            written_off_reference=202412,
            user_customer_id=1,
            billed_customer_id=2,
            fine_charged=True,
            fines_billed=Decimal("1.60"),
            automatic_debit=True,
            installment_plan_id=9,
            contract_id=31,
        )
        credit = OpenDebt(
            id=2,
            property_id=100,
            kind=DebtKind.CREDIT,
            amount=Decimal("30"),
            installments=3,
            installments_billed=1,
            bonus_installments=1,
            refunded=True,
            financing_type_id=2,
            document_type_id=None,
        )
        with uow_factory() as uow:
            uow.seeding.record_debts([bill, credit])
            uow.commit()
        with uow_factory() as uow:
            found = {d.id: d for d in uow.billing.open_debts(100)}
        assert found[1] == bill
        assert found[2] == credit
        assert found[2].remaining == Decimal("10.00")
        assert found[2].remaining_installments == 1

    def test_plans_and_cash_terms_of_the_billing_port(
        self, uow_factory: Factory
    ) -> None:
        """EXT-04, EXT-15: plans by property in one call, any status; the terms
        of the property's profile still valid that day, the latest first."""
        require(self.capabilities, SEEDING)
        plans = [
            InstallmentPlan(id=7, property_id=100, made_on=date(2024, 6, 1)),
            InstallmentPlan(
                id=8,
                property_id=100,
                made_on=date(2024, 7, 1),
                status=InstallmentPlanStatus.UNDONE,
            ),
            InstallmentPlan(id=9, property_id=101, made_on=date(2024, 8, 1)),
        ]
        terms = [
            CashPaymentTerms(id=1, property_profile_id=1, fine_discount=Decimal("100")),
            CashPaymentTerms(
                id=2,
                property_profile_id=1,
                interest_discount=Decimal("12.50"),
                valid_until=date(2025, 1, 31),
            ),
            CashPaymentTerms(id=3, property_profile_id=2),
        ]
        with uow_factory() as uow:
            uow.seeding.record_installment_plans(plans)
            uow.seeding.record_cash_payment_terms(terms)
            uow.commit()
        prop = Property(
            id=100,
            locality_id=1,
            sector_id=1,
            block_id=1,
            profile_id=1,
            water_status_id=3,
            sewer_status_id=1,
        )
        with uow_factory() as uow:
            found = uow.billing.installment_plans_of([100, 101, 102])
            assert [p.id for p in found[100]] == [7, 8]
            assert list(found[101]) == [plans[2]]
            assert 102 not in found
            assert uow.billing.cash_payment_terms(prop, on=date(2025, 1, 6)) == terms[1]
            assert uow.billing.cash_payment_terms(prop, on=date(2025, 2, 1)) == terms[0]
            other = attrs.evolve(prop, profile_id=9)
            assert uow.billing.cash_payment_terms(other, on=date(2025, 1, 6)) is None

    def test_tariffs_and_billed_consumption_of_the_billing_port(
        self, uow_factory: Factory
    ) -> None:
        """ACR-12: the tariff in force on a day per consumption tariff, and
        what each bill charged, with their nested ranges and decimals."""
        require(self.capabilities, SEEDING)

        def tariff(ident: int, valid_from: date, tariff_id: int = 5) -> Tariff:
            return Tariff(
                id=ident,
                tariff_id=tariff_id,
                valid_from=valid_from,
                categories=[
                    CategoryTariff(
                        category_id=1,
                        minimum_volume=10,
                        minimum_value=Decimal("30.10"),
                        ranges=[TariffRange(start=10, end=20, price=Decimal("4.15"))],
                    )
                ],
            )

        tariffs = [
            tariff(1, date(2024, 1, 1)),
            tariff(2, date(2024, 12, 1)),
            tariff(3, date(2099, 1, 1)),
            tariff(4, date(2024, 1, 1), tariff_id=6),
        ]
        billed = BilledConsumption(
            id=55,
            tariff_id=5,
            water_volume=15,
            economies=[(1, 2), (2, 1)],
            water_value=Decimal("170.05"),
            sewer_value=Decimal("136.04"),
            sewer_percent=Decimal("80"),
        )
        with uow_factory() as uow:
            uow.seeding.record_tariffs(tariffs)
            uow.seeding.record_billed_consumption([billed])
            uow.commit()
        with uow_factory() as uow:
            in_force = uow.billing.tariffs_in_force([5, 6, 7], on=date(2025, 1, 6))
            assert in_force == {5: tariffs[1], 6: tariffs[3]}
            assert uow.billing.billed_consumption([55, 56]) == {55: billed}
