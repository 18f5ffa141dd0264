"""Issue 19 item 1: the legacy seeding port writes GSAN's own rows (special
permissions, open bills and payment slips) and the billing and permission
reads find them as they find GSAN's (ODB-01's open situations), and the
consumption history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.errors import ConfigurationError, DuplicateEntity
from gsan_core.model.billing import DebtKind, OpenDebt, OverdueBills
from gsan_core.model.consumption import ConsumptionRecord, MeasurementKind
from tests.legacy.support import ensure_row, seed_property

pytestmark = pytest.mark.postgres


@pytest.fixture
def seeded(locked_engine: sa.Engine) -> LegacyBackend:
    """A seeding backend over three GSAN properties and the billing references."""
    with locked_engine.begin() as connection:
        for ident in (1, 2, 3):
            seed_property(connection, ident)
        for table, key, ids in (
            ("faturamento.debito_credito_situacao", "dcst_id", (0, 13)),
            ("faturamento.consumo_tarifa", "cstf_id", (1,)),
            ("faturamento.debito_tipo", "dbtp_id", (1, 5)),
            ("financeiro.financiamento_tipo", "fntp_id", (1,)),
            ("financeiro.lancamento_item_contabil", "lict_id", (1,)),
            ("seguranca.permissao_especial", "pmep_id", (30, 31)),
            ("cobranca.cobranca_forma", "cbfm_id", (1,)),
            ("faturamento.credito_tipo", "crti_id", (1,)),
            ("faturamento.credito_origem", "crog_id", (1,)),
            ("micromedicao.consumo_tipo", "cstp_id", (1, 3)),
            ("micromedicao.ligacao_tipo", "lgti_id", (1, 2)),
            ("micromedicao.consumo_anormalidade", "csan_id", (5,)),
        ):
            for ident in ids:
                ensure_row(connection, table, {key: ident})
    return LegacyBackend(locked_engine, seeding=True)


def _bill(ident: int, pid: int, amount: str, due: date) -> OpenDebt:
    return OpenDebt(
        id=ident,
        property_id=pid,
        kind=DebtKind.BILL,
        amount=Decimal(amount),
        due_date=due,
        reference=due.year * 100 + due.month,
    )


def test_special_permissions_are_granted_and_revoked_idempotently(
    seeded: LegacyBackend,
) -> None:
    with seeded.uow_factory() as uow:
        uow.seeding.grant(1, 30)
        uow.seeding.grant(1, 30)
        uow.commit()
    with seeded.uow_factory() as uow:
        assert uow.permissions.has(1, 30)
        assert not uow.permissions.has(1, 31)
        uow.seeding.revoke(1, 30)
        uow.seeding.revoke(1, 30)
        uow.commit()
    with seeded.uow_factory() as uow:
        assert not uow.permissions.has(1, 30)


def test_bills_and_slips_read_back_as_open_debts_and_settle(
    seeded: LegacyBackend,
) -> None:
    """ODB-01: the seeded rows are open (NORMAL); settled ones (PAGA) are not."""
    limit = date(2025, 3, 1)
    slip = OpenDebt(
        id=6,
        property_id=3,
        kind=DebtKind.PAYMENT_SLIP,
        amount=Decimal(50),
        debit_type_id=5,
        issued_on=date(2025, 1, 3),
        due_date=date(2025, 1, 3),
        financing_type_id=1,
    )
    bills = [
        _bill(1, 1, "10.10", date(2025, 1, 5)),
        _bill(2, 1, "0.05", date(2025, 2, 28)),
        _bill(3, 1, "99", limit),
        _bill(4, 2, "7", date(2025, 3, 9)),
        _bill(5, 3, "1.5", date(2024, 12, 1)),
    ]
    with seeded.uow_factory() as uow:
        uow.seeding.record_debts([*bills, slip])
        uow.commit()
    with seeded.uow_factory() as uow:
        assert uow.billing.open_debts(1) == bills[:3]
        assert uow.billing.open_debts(3) == [bills[4], slip]
        assert uow.billing.has_payment_slip(
            property_id=3, debit_type_id=5, issued_on=date(2025, 1, 3)
        )
        assert uow.billing.overdue_bills([1, 2, 3, 4], due_before=limit) == {
            1: OverdueBills(count=2, amount=Decimal("10.15")),
            3: OverdueBills(count=1, amount=Decimal("1.5")),
        }
        uow.seeding.settle([1, 6])
        uow.commit()
    with seeded.uow_factory() as uow:
        assert [d.id for d in uow.billing.open_debts(1)] == [2, 3]
        assert uow.billing.open_debts(3) == [bills[4]]


def test_charges_and_credits_read_back_as_open_debts(seeded: LegacyBackend) -> None:
    charge = OpenDebt(
        id=9,
        property_id=2,
        kind=DebtKind.CHARGE,
        amount=Decimal("306.02"),
        reference=202501,
        debit_type_id=5,
        installments=3,
        installments_billed=1,
        financing_type_id=1,
    )
    credit = OpenDebt(
        id=4,
        property_id=2,
        kind=DebtKind.CREDIT,
        amount=Decimal("12.50"),
        reference=202412,
        installments=2,
    )
    with seeded.uow_factory() as uow:
        uow.seeding.record_debts([charge, credit])
        uow.commit()
    with seeded.uow_factory() as uow:
        assert uow.billing.open_debts(2) == [charge, credit]
        uow.seeding.settle([9, 4])
        uow.commit()
    with seeded.uow_factory() as uow:
        assert not uow.billing.open_debts(2)


def test_the_consumption_history_is_gsans_consumo_historico(
    seeded: LegacyBackend,
) -> None:
    """One row per month, property and connection kind (GSAN's unique index)."""
    water = ConsumptionRecord(
        property_id=1,
        reference=202412,
        consumption_type_id=1,
        billed_volume=12,
        minimum=15,
        anomaly_id=5,
    )
    sewer = ConsumptionRecord(
        property_id=1,
        reference=202412,
        kind=MeasurementKind.SEWER,
        consumption_type_id=3,
        billed_volume=7,
        minimum=6,
    )
    with seeded.uow_factory() as uow:
        uow.seeding.record_consumption([water, sewer])
        uow.seeding.record_consumption([])
        uow.commit()
    with seeded.uow_factory() as uow:
        assert uow.billing.real_consumption(
            [1, 2], reference=202412, real_type_ids=[1]
        ) == {1}
        assert uow.billing.minimum_consumption(1) == 15
        assert uow.billing.minimum_consumption(1, kind=MeasurementKind.SEWER) == 6
        with pytest.raises(DuplicateEntity):
            uow.seeding.record_consumption([water])


def test_what_is_not_seeded_yet_says_so(seeded: LegacyBackend) -> None:
    with seeded.uow_factory() as uow:
        for call in (
            lambda: uow.seeding.record_payments([]),
            lambda: uow.seeding.record_tariffs([]),
            lambda: uow.seeding.lock_route(1, 202501),
        ):
            with pytest.raises(ConfigurationError) as caught:
                call()
            assert caught.value.code == "configuration.no_seeding"
        with pytest.raises(ConfigurationError) as caught:
            uow.seeding.record_debts([_bill(7, 404, "1", date(2025, 1, 1))])
        assert caught.value.code == "configuration.no_seeding"
