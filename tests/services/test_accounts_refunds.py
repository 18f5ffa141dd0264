"""``gsan.accounts`` refunds of duplicated payments through an RA (UC1130,
UC1131: DEV-), on every backend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import PaymentsLinked, RefundDone
from gsan_core.model.billing import DebtKind, Payment, PaymentSituation
from gsan_core.model.service_requests import RequestSituation, RequestSpecification
from gsan_core.rules.accounts.refunds import pt_money
from gsan_core.testing import Scenario
from gsan_core.testing.scenarios import Place
from tests.services.test_accounts_debts import item

D = Decimal
SPEC = "DEVOLUCAO PAGAMENTO DUPLICIDADE"
ATTENDANT = Place().attendant


def payment(ident: int, **changes: object) -> Payment:
    base = {
        "id": ident,
        "property_id": 0,
        "value": D("60.00"),
        "paid_on": date(2024, 12, 20),
        "reference": 202410,
        "collection_month": 202501,
        "situation": PaymentSituation.DUPLICATE,
    }
    return Payment(**(base | changes))  # type: ignore[arg-type]


@pytest.fixture
def refund_ra(system: gsan_core.System) -> tuple[gsan_core.System, int, int]:
    given = Scenario(system)
    given.ready()
    system.service_requests.configuration.add_specification(
        RequestSpecification(
            id=950,
            request_type_id=101,
            description=SPEC,
            deadline_days=5,
            requires_property=True,
            duplicate_payment=True,
        ),
        actor=given.actor,
    )
    home = given.property()
    system.billing.record_payments(
        [
            payment(7001, property_id=home.id),
            payment(
                7002,
                property_id=home.id,
                value=D("20.00"),
                reference=202409,
                collection_month=202412,
            ),
            payment(7003, property_id=home.id, situation=PaymentSituation.CLASSIFIED),
        ]
    )
    system.billing.record_debts(
        [
            item(801, property_id=home.id, amount=D("50.00"), reference=202411),
            item(802, property_id=home.id, amount=D("30.00"), reference=202412),
            item(803, property_id=home.id, in_review=True),
        ]
    )
    opened = given.request(SPEC, property=home, duplicate_payment_ids=[7001, 7002])
    request_id = opened.request.id
    linked = system.accounts.link_duplicate_payments(
        actor=given.actor, request_id=request_id, payment_ids=[7001, 7002]
    )
    assert [r.payment_id for r in linked] == [7001, 7002]
    assert any(isinstance(e, PaymentsLinked) for e in system.events)
    return system, request_id, home.id


def test_dev_05_the_filter_lists_pending_refund_requests(
    refund_ra: tuple[gsan_core.System, int, int],
) -> None:
    system, request_id, home = refund_ra
    for found in (
        system.accounts.refund_requests(request_id=request_id),
        system.accounts.refund_requests(property_id=home),
        system.accounts.refund_requests(attended_from=date(2025, 1, 1)),
        system.accounts.refund_requests(
            profile_ids=[system.properties.get(home).profile_id]
        ),
    ):
        assert [r.id for r in found] == [request_id]
    with pytest.raises(RuleViolation) as exc:
        system.accounts.refund_requests(attended_to=date(2024, 1, 1))
    assert exc.value.violations[0].gsan_key == "atencao.pesquisa.nenhumresultado"


def test_dev_01_02_03_04_filter_refusals(
    refund_ra: tuple[gsan_core.System, int, int],
) -> None:
    system, request_id, _ = refund_ra
    cases = [
        ({}, "DEV-01"),
        (
            {"attended_from": date(2025, 2, 1), "attended_to": date(2025, 1, 1)},
            "DEV-02",
        ),
        ({"request_id": 99999}, "DEV-03"),
        ({"property_id": 404}, "DEV-04"),
    ]
    for kwargs, rule in cases:
        with pytest.raises(RuleViolation) as exc:
            system.accounts.refund_requests(**kwargs)  # type: ignore[arg-type]
        assert exc.value.violations[0].rule == rule
    _ = request_id


def test_dev_08_09_10_12_13_14_15_payments_credited_to_bills(
    refund_ra: tuple[gsan_core.System, int, int],
) -> None:
    """DEV-13: the bills, the payments, the links and the RA change together."""
    system, request_id, home = refund_ra
    result = system.accounts.refund(
        actor=ATTENDANT,
        request_id=request_id,
        payment_ids=[7002, 7001],
        bill_ids=[801, 802],
    )
    # largest payment first: 60 -> 50 on 801, 10 on 802; 20 -> 20 on 802
    assert [(a.payment_id, a.bill_id, a.amount) for a in result.allocations] == [
        (7001, 801, D("50.00")),
        (7001, 802, D("10.00")),
        (7002, 802, D("20.00")),
    ]
    assert result.credited_on_bills == D("80.00")
    assert result.credit_to_grant == 0
    assert result.message == "Pagamento(s) duplicado(s) transferido(s) com sucesso"
    bills = {d.id: d for d in system.billing.open_debts(home)}
    assert bills[801].amount == 0
    assert bills[802].amount == 0
    payments = {p.id: p for p in system.billing.payments(home)}
    assert payments[7001].situation is PaymentSituation.REFUNDED
    assert payments[7001].previous_situation is PaymentSituation.DUPLICATE
    assert payments[7002].previous_situation is None  # another collection month
    assert payments[7003].situation is PaymentSituation.CLASSIFIED
    request = system.service_requests.get(request_id)
    assert request.situation is RequestSituation.CLOSED
    assert result.remark == (
        "Devolvido o valor de 80,00 referente ao(s) pagamento(s) em duplicidade da(s) "
        "fatura(s) 09/2024,10/2024 com crédito(s) lançado(s) na(s) fatura(s) "
        "11/2024,12/2024"
    )
    assert any(isinstance(e, RefundDone) for e in system.events)
    with pytest.raises(RuleViolation) as exc:  # closed now
        system.accounts.refund(
            actor=ATTENDANT, request_id=request_id, payment_ids=[7001]
        )
    assert exc.value.violations[0].gsan_key == "atencao.situacao.ra.deve.ser.pendente"


def test_dev_08_11_the_leftover_becomes_a_credit_to_grant(
    refund_ra: tuple[gsan_core.System, int, int],
) -> None:
    system, request_id, home = refund_ra
    result = system.accounts.refund(
        actor=ATTENDANT,
        request_id=request_id,
        payment_ids=[7001],
        bill_ids=[802],
        close=False,
    )
    assert result.credited_on_bills == D("30.00")
    assert result.credit_to_grant == D("30.00")
    (credit,) = result.credits
    assert credit.kind is DebtKind.CREDIT
    assert credit.debit_type_id == 5  # DEV-09: DEVOLUCAO_PAGAMENTOS_DUPLICIDADE
    assert credit.reference == 202410
    assert credit.id in {d.id for d in system.billing.open_debts(home)}
    assert "saldo restante de 30,00 lançado como crédito a realizar" in result.remark
    assert result.message.endswith("e crédito a realizar gerado com sucesso")
    assert system.service_requests.get(request_id).situation is RequestSituation.PENDING
    # 7002 is still to refund, with no bill: all of it as a credit
    only = system.accounts.refund(
        actor=ATTENDANT, request_id=request_id, payment_ids=[7002]
    )
    assert only.credit_to_grant == D("20.00")
    assert only.message == "Crédito a realizar gerado com sucesso"
    assert only.remark.endswith("lançado como crédito a realizar ")


def test_dev_06_07_refusals_write_nothing(
    refund_ra: tuple[gsan_core.System, int, int],
) -> None:
    system, request_id, home = refund_ra
    for kwargs, code in (
        ({"payment_ids": []}, "accounts.refund.no_payment_selected"),
        ({"payment_ids": [7003]}, "accounts.refund.payment_not_linked"),
        (
            {"payment_ids": [7001], "bill_ids": [803]},
            "accounts.refund.bill_not_offered",
        ),
    ):
        with pytest.raises(RuleViolation) as exc:
            system.accounts.refund(actor=ATTENDANT, request_id=request_id, **kwargs)  # type: ignore[arg-type]
        assert exc.value.violations[0].code == code
    assert {p.situation for p in system.billing.payments(home)} == {
        PaymentSituation.DUPLICATE,
        PaymentSituation.CLASSIFIED,
    }
    assert {
        d.amount for d in system.billing.open_debts(home) if d.id in (801, 802)
    } == {
        D("50.00"),
        D("30.00"),
    }
    with pytest.raises(RuleViolation) as exc:
        system.accounts.link_duplicate_payments(
            actor=1, request_id=request_id, payment_ids=[7003]
        )
    assert exc.value.violations[0].gsan_key == "nao_exite_pagamento_duplicidade"


def test_dev_14_money_in_pt_br() -> None:
    assert pt_money(D("1234.5")) == "1.234,50"
    assert pt_money(D("0.1")) == "0,10"
    assert pt_money(D("1234567.891")) == "1.234.567,89"
