"""ACR-12, the tariff update: a bill re-priced at the tariff in force through
the billing port, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.model.billing import (
    BilledConsumption,
    CategoryTariff,
    Tariff,
    TariffRange,
)
from gsan_core.rules.accounts.tariffs import reprice, tariff_update
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item, load_indices

D = Decimal
MakeSystem = Callable[..., gsan_core.System]


def _tariff(
    ident: int = 1, valid_from: date = date(2024, 12, 1), **rates: str
) -> Tariff:
    return Tariff(
        id=ident,
        tariff_id=5,
        valid_from=valid_from,
        categories=[
            CategoryTariff(
                category_id=1,
                minimum_volume=10,
                minimum_value=D(rates.get("minimum", "30.00")),
                ranges=[
                    TariffRange(start=20, price=D("6.00")),
                    TariffRange(start=10, end=20, price=D("4.00")),
                ],
            ),
            CategoryTariff(
                category_id=2,
                minimum_volume=10,
                minimum_value=D("50.00"),
                ranges=[TariffRange(start=10, price=D("8.00"))],
            ),
        ],
    )


def _billed(ident: int, **changes: object) -> BilledConsumption:
    base = BilledConsumption(
        id=ident,
        tariff_id=5,
        water_volume=45,
        economies=[(1, 2), (2, 1)],
        water_value=D("170.00"),
        sewer_value=D("136.00"),
        sewer_percent=D("80"),
    )
    return attrs.evolve(base, **changes)


def test_acr_12_the_bill_is_re_priced_by_economy_and_range() -> None:
    # 45 m³ over 3 economies = 15 each: category 1 30.00 + 5 × 4.00 = 50.00
    # (× 2), category 2 50.00 + 5 × 8.00 = 90.00 (× 1): water 190.00, sewer
    # 80 % = 152.00; billed 306.00, so the update is 36.00
    assert reprice(_billed(1), _tariff()) == (D("190.00"), D("152.00"))
    assert tariff_update(_billed(1), _tariff()) == D("36.00")
    # never negative; no sewer when it was not connected
    assert tariff_update(_billed(1, water_value=D("400")), _tariff()) == 0
    assert reprice(_billed(1, sewer_percent=None), _tariff())[1] == 0
    # a category the tariff lacks costs nothing; no economies, nothing
    assert reprice(_billed(1, economies=[(9, 1)]), _tariff()) == (0, 0)
    assert reprice(_billed(1, economies=[]), _tariff()) == (0, 0)


def _system(make_system: MakeSystem, **surcharge: object) -> gsan_core.System:
    loaded = profiles.default()
    params = attrs.evolve(loaded.profile.surcharge, **surcharge)
    gsan = make_system(
        attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, surcharge=params))
    )
    setup_counter(gsan)
    load_indices(gsan)
    return gsan


def test_acr_12_the_correction_is_the_tariff_update(make_system: MakeSystem) -> None:
    gsan = _system(make_system, tariff_update=True, tariff_update_before=202412)
    gsan.billing.record_debts(
        [
            item(101),
            item(102, reference=202412, due_date=date(2024, 12, 10)),
            item(103, reference=202409, due_date=date(2024, 10, 10)),
        ]
    )
    gsan.billing.record_billed_consumption([_billed(101), _billed(102)])
    gsan.billing.record_tariffs(
        [
            _tariff(1, date(2024, 1, 1), minimum="10.00"),
            _tariff(2),
            _tariff(3, date(2099, 1, 1), minimum="99.00"),  # not in force yet
        ]
    )
    memos = {m.debt_id: m for m in gsan.accounts.surcharges(1)}
    assert memos[101].tariff_updated
    assert memos[101].correction == D("36.00")
    assert memos[101].fine > 0  # the fine and interest stay as they were
    # a bill of the update month or later is not re-priced; a bill billing
    # gave no consumption for carries no update
    assert (memos[102].tariff_updated, memos[102].correction) == (False, 0)
    assert (memos[103].tariff_updated, memos[103].correction) == (False, 0)


def test_acr_12_off_the_monetary_correction_applies(make_system: MakeSystem) -> None:
    gsan = _system(make_system)
    gsan.billing.record_debts([item(101)])
    gsan.billing.record_billed_consumption([_billed(101)])
    gsan.billing.record_tariffs([_tariff()])
    (memo,) = gsan.accounts.surcharges(1)
    assert not memo.tariff_updated
    assert memo.correction_ratio > 0


def test_acr_12_tariff_values_are_checked() -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        TariffRange(start=-1, price=D("1"))
    with pytest.raises(ValueError, match="must be >= 0"):
        _billed(1, water_volume=-3)
