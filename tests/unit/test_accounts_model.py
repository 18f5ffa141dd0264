"""The accounts model's values and the rules' edges (customers, UC0067 ranges)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gsan_core import errors as gsan_core_errors
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import (
    AccountDebts,
    BillCopy,
    Certificate,
    CertificateSubject,
    CollectionDocument,
    Customer,
    DebtLine,
    DebtStatement,
    NoDebtCertificate,
    PersonKind,
    SurchargeIndex,
    SurchargeMemo,
    SurchargeOption,
)
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.profile import StatementParameters, SurchargeParameters
from gsan_core.rules.accounts.barcode import arrecadacao
from gsan_core.rules.accounts.customers import (
    check_customer,
    clean_document,
    customers_under,
)
from gsan_core.rules.accounts.debts import DebtQuery, select_debts
from gsan_core.rules.accounts.documents import statement
from gsan_core.rules.accounts.surcharges import IndexTable, assess, check_index

D = Decimal
AT = datetime(2025, 1, 6, 12, tzinfo=UTC)
BILL = OpenDebt(
    id=1,
    property_id=1,
    kind=DebtKind.BILL,
    amount=D("10"),
    due_date=date(2024, 12, 10),
    reference=202411,
)


def test_model_validators() -> None:
    with pytest.raises(ValueError, match="11 or 14 digits"):
        Customer(
            id=1,
            name="X",
            customer_type_id=1,
            person_kind=PersonKind.INDIVIDUAL,
            document="123",
        )
    with pytest.raises(ValueError, match="yyyymm"):
        SurchargeIndex(id=202513, fine_rate=D(1), interest_rate=D(1))
    assert SurchargeIndex(id=202501, fine_rate=D(1), interest_rate=D(1)).month == 202501
    with pytest.raises(gsan_core_errors.ConfigurationError, match="0 or -1"):
        SurchargeParameters(index_month_offset=2)


def test_reprs_and_html_of_the_values() -> None:
    customer = Customer(
        id=1, name="ANA", customer_type_id=1, person_kind=PersonKind.INDIVIDUAL
    )
    memo = SurchargeMemo(debt_id=1, reference=202411, due_date=date(2024, 12, 10))
    line = DebtLine(debt=BILL, value=D("10"), surcharge=memo)
    debts = AccountDebts(property_ids=(1,), bills=[line])
    code = arrecadacao(value=D("10"), company=1, free_field="0" * 25)
    document = CollectionDocument(
        id=1,
        property_id=1,
        issued_at=AT,
        valid_until=date(2025, 1, 11),
        value=D("10"),
        barcode=code.digits,
        actor=1,
    )
    result = DebtStatement(
        document=document,
        bills=[line],
        previous_bills=[],
        payment_slips=[],
        charges=[],
        credits=[],
        barcode=code,
        bills_total=D("10"),
        services_total=D(0),
        credits_total=D(0),
    )
    cert = Certificate(
        id=1,
        subject=CertificateSubject.PROPERTY,
        property_id=1,
        issued_at=AT,
        issued_on=date(2025, 1, 6),
        valid_until=date(2025, 3, 7),
        authentication_code="A1B220250106",
        title="T",
        actor=1,
    )
    printed = NoDebtCertificate(certificate=cert, title="T", text="x")
    copy = BillCopy(property_id=1, issued_at=AT, bills=[line])
    for value in (customer, memo, debts, document, result, cert, printed, copy):
        assert repr(value).startswith("<")
        assert "<table" in value._repr_html_()
    assert line.kind is DebtKind.BILL
    assert debts.bills_total == D("10")
    assert copy.surcharges == 0
    assert copy.total == D("10")
    assert result.value == D("10")
    assert printed.valid_until == date(2025, 3, 7)


def test_customer_rules_edges() -> None:
    assert clean_document(None) is None
    assert clean_document("  ") is None
    assert clean_document("11.222.333/0001-81") == "11222333000181"
    blank = Customer(
        id=1,
        name=" ",
        customer_type_id=9,
        person_kind=PersonKind.INDIVIDUAL,
        responsible_customer_id=5,
    )
    found = check_customer(blank, type_exists=False, responsible_exists=False)
    assert [v.code for v in found] == [
        "accounts.customer.name_required",
        "accounts.customer.type_not_found",
        "accounts.customer.not_found",
    ]
    # a loop in stored data is walked once
    assert customers_under(1, lambda level: {i: [1, 2] for i in level}) == [1, 2]


def test_odb_01_reference_range_and_index_edges() -> None:
    debts = select_debts(
        [BILL],
        property_ids=[1],
        query=DebtQuery(reference_from=202412),
        current_user={},
        split_previous_occupants=True,
    )
    assert debts.bills == ()
    table = IndexTable([SurchargeIndex(id=202502, fine_rate=D(2), interest_rate=D(1))])
    assert table.latest() is not None
    assert IndexTable([]).latest() is None
    memo = assess(
        BILL,
        today=date(2025, 1, 6),
        indices=table,
        params=SurchargeParameters(),
        is_business_day=lambda _: True,
    )
    assert memo.final_factor_month is None  # no index up to the data base
    assert memo.correction == 0
    row = SurchargeIndex(
        id=202502, fine_rate=D(2), interest_rate=D(1), interest_limit=D(0)
    )
    assert [v.rule for v in check_index(row, existing=[])] == ["IDX-03"]


def test_ext_13_a_blocking_special_situation_refuses() -> None:
    debts = AccountDebts(property_ids=(1,), bills=[DebtLine(debt=BILL, value=D(10))])
    with pytest.raises(RuleViolation) as exc:
        statement(
            debts,
            property_id=1,
            locality_id=1,
            document_id=1,
            selected=None,
            option=SurchargeOption.INCLUDE,
            fee=D(0),
            params=StatementParameters(),
            at=AT,
            today=date(2025, 1, 6),
            actor=1,
            special_situation_blocks=True,
        )
    assert exc.value.violations[0].rule == "EXT-13"


def test_payments_and_refund_results_show_themselves() -> None:
    from gsan_core.model.accounts import Allocation, RefundResult  # noqa: PLC0415
    from gsan_core.model.billing import Payment  # noqa: PLC0415

    paid = Payment(id=1, property_id=1, value=D("10"), paid_on=date(2025, 1, 2))
    result = RefundResult(
        request_id=1,
        allocations=[Allocation(payment_id=1, bill_id=None, amount=D("10"))],
        retified_bills=[],
        credits=[],
        payments=[paid],
        remark="r",
        message="Crédito a realizar gerado com sucesso",
    )
    for value in (paid, result):
        assert repr(value).startswith("<")
        assert "<table" in value._repr_html_()


def test_dev_08_a_small_payment_stops_at_the_first_bill() -> None:
    from gsan_core.model.accounts import RequestPayment  # noqa: PLC0415
    from gsan_core.rules.accounts.refunds import allocate  # noqa: PLC0415

    small = RequestPayment(
        id=1,
        request_id=1,
        payment_id=7,
        property_id=1,
        reference=202410,
        paid_on=date(2025, 1, 2),
        value=D("10"),
    )
    other = attrs.evolve(BILL, id=2)
    (only,) = allocate([small], [BILL, other])
    assert (only.bill_id, only.amount) == (1, D("10"))


money = st.decimals(min_value=D("0.01"), max_value=D("9999.99"), places=2)


@given(
    bills=st.lists(
        st.tuples(money, st.integers(min_value=0, max_value=900)), max_size=8
    ),
    charges=st.lists(money, max_size=3),
    credits=st.lists(
        st.decimals(min_value=D("0.01"), max_value=D("50"), places=2), max_size=2
    ),
    option=st.sampled_from(list(SurchargeOption)),
)
def test_ext_11_19_the_statement_totals_are_the_sum_of_its_items(
    bills: list[tuple[Decimal, int]],
    charges: list[Decimal],
    credits: list[Decimal],
    option: SurchargeOption,
) -> None:
    """Property: the document's value is its items' values plus the surcharges
    counted, and the printed summary adds up to it."""
    table = IndexTable(
        [
            SurchargeIndex(id=m, fine_rate=D(2), interest_rate=D(1))
            for m in (202201, 202501)
        ]
    )
    today = date(2025, 1, 6)
    items = [
        OpenDebt(
            id=n + 1,
            property_id=1,
            kind=DebtKind.BILL,
            amount=amount,
            due_date=date(2022, 6, 1) + timedelta(days=days),
            reference=202205,
        )
        for n, (amount, days) in enumerate(bills)
    ]
    items += [
        OpenDebt(id=100 + n, property_id=1, kind=DebtKind.CHARGE, amount=a)
        for n, a in enumerate(charges)
    ]
    items += [
        OpenDebt(id=200 + n, property_id=1, kind=DebtKind.CREDIT, amount=a)
        for n, a in enumerate(credits)
    ]
    debts = select_debts(
        items,
        property_ids=[1],
        query=DebtQuery(),
        current_user={},
        split_previous_occupants=True,
        price=lambda d: assess(
            d,
            today=today,
            indices=table,
            params=SurchargeParameters(),
            is_business_day=lambda _: True,
        ),
    )
    try:
        result = statement(
            debts,
            property_id=1,
            locality_id=1,
            document_id=1,
            selected=None,
            option=option,
            fee=D(0),
            params=StatementParameters(),
            at=AT,
            today=today,
            actor=1,
            may_discount=True,
        )
    except RuleViolation as refused:
        rules = {v.rule for v in refused.violations}
        if not rules <= {"EXT-07", "EXT-14"}:
            raise
        return
    doc = result.document
    debit = sum((i.value for i in doc.items if i.kind is not DebtKind.CREDIT), D(0))
    credit = sum((i.value for i in doc.items if i.kind is DebtKind.CREDIT), D(0))
    surcharges = sum((i.surcharges for i in doc.items), D(0))
    counted = D(0) if option is SurchargeOption.EXCLUDE else surcharges
    discount = surcharges if option is SurchargeOption.INCLUDE_WITH_DISCOUNT else D(0)
    assert doc.value == debit - credit + counted - discount
    assert (
        doc.value == result.bills_total + result.services_total - result.credits_total
    )
    assert doc.barcode[4:15] == f"{int(doc.value * 100):011d}"


def test_the_account_sections_load_from_a_profile_file(tmp_path: Path) -> None:
    """The §2.3 variations and the certificate options as a utility writes them."""
    from gsan_core import profiles  # noqa: PLC0415

    path = tmp_path / "cs.toml"
    path.write_text(
        'extends = "gsan_default"\nname = "cs_like"\n'
        "[surcharge]\nprice_guias = true\nindex_month_offset = 0\n"
        'grace_uses_vencimento_cobranca = false\nrounding = "down"\n'
        "exempt_category_ids = [4]\n"
        "[cnd]\nefeito_positivo = true\nvalidade_dias = 30\n"
        '[extrato]\nvalor_taxa = "2.50"\ncobrar_taxa = true\n'
        '[segunda_via]\nfee_rule = "parametro"\nvalor = "3.00"\n',
        encoding="utf-8",
    )
    loaded = profiles.load(path).profile
    assert loaded.surcharge.rounding == "down"
    assert loaded.surcharge.index_month_offset == 0
    assert loaded.surcharge.exempt_category_ids == frozenset({4})
    assert loaded.cnd.efeito_positivo
    assert loaded.extrato.valor_taxa == D("2.50")
    assert loaded.segunda_via.fee_rule == "parametro"
    path.write_text(
        'extends = "gsan_default"\nname = "bad"\n[surcharge]\nindex_month_offset = 3\n',
        encoding="utf-8",
    )
    with pytest.raises(gsan_core_errors.ConfigurationError):
        profiles.load(path)
