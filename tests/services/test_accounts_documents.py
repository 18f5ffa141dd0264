"""``gsan.accounts`` documents: the debt statement (EXT-) and the no-debt
certificates (CND-, CNC-), on every backend."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import (
    CertificateIssued,
    CollectionDocumentIssued,
    DebtOwner,
    RelationType,
    SurchargeOption,
)
from gsan_core.model.billing import DebtKind
from gsan_core.rules.accounts.barcode import is_valid
from gsan_core.rules.accounts.documents import NEGATIVE_TITLE, POSITIVE_TITLE
from gsan_core.testing import FixedClock
from tests.services.conftest import valid_property
from tests.services.test_accounts_customers import CNPJ_ACME, setup_counter
from tests.services.test_accounts_debts import item, load_indices, with_people

D = Decimal
TODAY = date(2025, 1, 6)


@pytest.fixture
def account(system: gsan_core.System) -> tuple[gsan_core.System, int, int]:
    setup_counter(system)
    load_indices(system)
    ana, bia = with_people(system)
    system.properties.register(valid_property(3), actor=1)
    system.billing.record_debts(
        [
            item(101, user_customer_id=ana, billed_customer_id=ana),
            item(
                102,
                reference=202310,
                due_date=date(2023, 11, 10),
                user_customer_id=bia,
                billed_customer_id=bia,
            ),
            item(103, reference=202411, due_date=date(2024, 12, 10), amount=D("60")),
            item(
                201,
                DebtKind.PAYMENT_SLIP,
                reference=None,
                document_type_id=2,
                amount=D("30"),
            ),
            item(
                301,
                DebtKind.CHARGE,
                amount=D("90"),
                installments=3,
                installments_billed=1,
            ),
            item(402, DebtKind.CREDIT, amount=D("15")),
            item(501, property_id=2, amount=D("40")),
        ]
    )
    return system, ana, bia


def codes(exc: pytest.ExceptionInfo[RuleViolation]) -> list[str]:
    return [v.code for v in exc.value.violations]


# ================================================================ statement
def test_ext_01_02_06_08_09_11_16_17_18_19_the_statement_of_everything(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    result = system.accounts.issue_statement(actor=1, property_id=1)
    doc = result.document
    assert [x.debt.id for x in result.bills] == [101, 103]
    assert [x.debt.id for x in result.previous_bills] == [102]  # EXT-02
    assert result.payment_slips == ()  # EXT-06: the plan's entry slip
    assert [x.value for x in result.charges] == [D("60.00")]
    assert [x.value for x in result.credits] == [D("15")]
    surcharges = sum((x.surcharges for x in result.bills + result.previous_bills), D(0))
    assert surcharges > 0
    assert result.bills_total == D("260.00")  # EXT-08
    assert doc.value == D("260") + 60 - 15 + surcharges  # EXT-11
    assert doc.surcharges == surcharges
    assert result.services_total == surcharges + 60  # EXT-19
    assert result.credits_total == D("15")
    assert doc.valid_until == TODAY + timedelta(days=5)  # EXT-17
    assert doc.document_type_id == 14
    assert doc.debt_situation == 1
    assert len(doc.items) == 5
    assert is_valid(result.barcode.digits)  # EXT-18
    assert is_valid(result.barcode.line)
    assert doc.barcode == result.barcode.digits
    assert int(doc.barcode[4:15]) == int(doc.value * 100)
    assert list(system.accounts.collection_documents(1)) == [doc]  # persisted
    (event,) = [e for e in system.events if isinstance(e, CollectionDocumentIssued)]
    assert event.value == doc.value


def test_ext_10_surcharge_options_and_permission_43(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    without = system.accounts.issue_statement(
        actor=1, property_id=1, selected=[101], surcharges=SurchargeOption.EXCLUDE
    )
    assert without.value == D("100.00")
    assert without.document.surcharges == 0
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_statement(
            actor=1,
            property_id=1,
            selected=[101],
            surcharges=SurchargeOption.INCLUDE_WITH_DISCOUNT,
        )
    assert codes(exc) == ["accounts.statement.discount_needs_permission"]
    system.units.grant(user_id=1, permission_id=43, actor=0)
    discounted = system.accounts.issue_statement(
        actor=1,
        property_id=1,
        selected=[101],
        surcharges=SurchargeOption.INCLUDE_WITH_DISCOUNT,
    )
    assert discounted.value == D("100.00")
    assert discounted.document.surcharges == discounted.document.discount > 0


def test_ext_07_14_17_refusals_and_the_special_validity(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_statement(actor=1, property_id=3)
    assert exc.value.violations[0].gsan_key == "atencao.imovel_sem_debito_credito"
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_statement(actor=1, property_id=1, selected=[402])
    assert exc.value.violations[0].gsan_key == "atencao.resultado.negativo"
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_statement(actor=1, property_id=1, selected=[999, 201])
    assert codes(exc) == ["accounts.statement.item_not_open"] * 2
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_statement(actor=1, property_id=404)
    assert codes(exc) == ["accounts.property.not_found"]
    assert list(system.accounts.collection_documents(1)) == []  # nothing written
    system.units.grant(user_id=1, permission_id=71, actor=0)
    special = system.accounts.issue_statement(actor=1, property_id=1, selected=[301])
    assert special.valid_until == TODAY + timedelta(days=30)


def test_ext_12_fee_with_profile_and_permission_44() -> None:
    loaded = gsan_core.in_memory().loaded_profile
    profile = attrs.evolve(
        loaded.profile,
        extrato=attrs.evolve(
            loaded.profile.extrato, cobrar_taxa=True, valor_taxa=D("3.50")
        ),
    )
    system = gsan_core.in_memory(attrs.evolve(loaded, profile=profile))
    setup_counter(system)
    system.billing.record_debts([item(101)])
    plain = system.accounts.issue_statement(
        actor=1, property_id=1, surcharges=SurchargeOption.EXCLUDE
    )
    assert plain.document.fee == 0
    system.units.grant(user_id=1, permission_id=44, actor=0)
    fee = system.accounts.issue_statement(
        actor=1, property_id=1, surcharges=SurchargeOption.EXCLUDE
    )
    assert fee.document.fee == D("3.50")
    assert fee.value == D("103.50")


def test_ext_03_05_plan_charges_are_not_offered_one_by_one(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    system.billing.record_debts(
        [
            item(
                601,
                DebtKind.CHARGE,
                amount=D("10"),
                financing_type_id=3,
                installment_plan_id=7,
            ),
            item(602, DebtKind.CHARGE, amount=D("20"), financing_type_id=2),
        ]
    )
    result = system.accounts.issue_statement(
        actor=1, property_id=1, surcharges=SurchargeOption.EXCLUDE
    )
    assert [x.debt.id for x in result.charges] == [301, 602]
    with pytest.raises(RuleViolation):
        system.accounts.issue_statement(actor=1, property_id=1, selected=[601])


# ================================================================ certificates
def test_cnd_01_03_04_06_11_refused_with_debts_issued_without(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    for pid in (1, 2):
        with pytest.raises(RuleViolation) as exc:
            system.accounts.issue_certificate(actor=1, property_id=pid)
        assert exc.value.violations[0].gsan_key == "atencao.imovel_com_debitos_certidao"
        assert exc.value.violations[0].rule == "CND-04"
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_certificate(actor=1, property_id=404)
    assert exc.value.violations[0].rule == "CND-01"
    cert = system.accounts.issue_certificate(actor=1, property_id=3)
    assert cert.title == NEGATIVE_TITLE
    assert "sem débitos" in cert.text
    assert cert.lines == ()
    code = cert.authentication_code
    assert len(code) == 12
    assert code[0].isalpha()
    assert code[1].isdigit()
    assert code[2].isalpha()
    assert code[3].isdigit()
    assert code.endswith("20250106")
    assert cert.valid_until == TODAY + timedelta(days=60)
    assert any(isinstance(e, CertificateIssued) for e in system.events)
    ok = system.accounts.verify_certificate(
        property_id=3, authentication_code=code.lower()
    )
    assert ok.valid
    assert ok.certificate == cert.certificate
    for pid, wrong in ((3, "A1B220250106"), (1, code), (None, code), (3, " ")):
        with pytest.raises(RuleViolation) as exc:
            system.accounts.verify_certificate(
                property_id=pid, authentication_code=wrong
            )
        assert exc.value.violations[0].rule == "CND-11"


def test_cnd_11_an_expired_certificate_does_not_verify(
    account: tuple[gsan_core.System, int, int], clock: FixedClock
) -> None:
    system, _, _ = account
    cert = system.accounts.issue_certificate(actor=1, property_id=3)
    clock.advance(timedelta(days=61))
    with pytest.raises(RuleViolation) as exc:
        system.accounts.verify_certificate(
            property_id=3, authentication_code=cert.authentication_code
        )
    assert exc.value.violations[0].code == "accounts.certificate.code_expired"


def test_cnd_06_07_a_credit_alone_gives_the_positive_effect_title(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    system.billing.record_debts(
        [item(900, DebtKind.CREDIT, property_id=3, amount=D("5"))]
    )
    cert = system.accounts.issue_certificate(actor=1, property_id=3)
    assert cert.title == POSITIVE_TITLE
    assert cert.certificate.positive_effect
    assert [x.debt.id for x in cert.lines] == [900]


def test_cnd_02_the_responsible_sphere_may_refuse(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    union = system.accounts.register_customer(
        actor=1, name="UNIAO", customer_type_id=3, document=CNPJ_ACME
    )
    system.accounts.relate(
        actor=1,
        customer_id=union.id,
        property_id=3,
        relation=RelationType.RESPONSIBLE,
        start=date(2024, 1, 1),
    )
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_certificate(actor=1, property_id=3)
    assert exc.value.violations[0].rule == "CND-02"


def _profiled(**cnd: object) -> gsan_core.System:
    loaded = gsan_core.in_memory().loaded_profile
    profile = attrs.evolve(loaded.profile, cnd=attrs.evolve(loaded.profile.cnd, **cnd))
    system = gsan_core.in_memory(attrs.evolve(loaded, profile=profile))
    setup_counter(system)
    return system


def test_cnd_05_efeito_positivo_issues_listing_the_debts() -> None:
    system = _profiled(efeito_positivo=True)
    system.billing.record_debts([item(101)])
    cert = system.accounts.issue_certificate(actor=1, property_id=1)
    assert cert.title == POSITIVE_TITLE
    assert [x.debt.id for x in cert.lines] == [101]
    assert cert.lines[0].surcharges >= 0


def test_cnd_03_04_05_grace_days_and_blocking_charges() -> None:
    system = _profiled(dias_carencia=10, debito_a_cobrar_bloqueia=True)
    system.billing.record_debts([item(101, due_date=TODAY - timedelta(days=3))])
    cert = system.accounts.issue_certificate(actor=1, property_id=1)  # CND-03
    assert cert.title == NEGATIVE_TITLE
    system.billing.record_debts([item(301, DebtKind.CHARGE, property_id=2)])
    with pytest.raises(RuleViolation):
        system.accounts.issue_certificate(actor=1, property_id=2)  # CND-04
    cs = _profiled(
        efeito_positivo=True,
        debito_a_cobrar_bloqueia=True,
        efeito_positivo_respeita_debito_a_cobrar=True,
    )
    cs.billing.record_debts([item(301, DebtKind.CHARGE)])
    with pytest.raises(RuleViolation):
        cs.accounts.issue_certificate(actor=1, property_id=1)  # CND-05 (CS)


def test_cnc_01_02_03_05_06_07_the_certificate_by_customer(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, ana, bia = account
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_customer_certificate(actor=1, customer_id=ana)
    assert exc.value.violations[0].gsan_key == "atencao.cliente_com_debitos"  # CNC-06
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_customer_certificate(actor=1, customer_id=999)
    assert exc.value.violations[0].rule == "CNC-01"
    boss = system.accounts.register_customer(actor=1, name="MATRIZ", customer_type_id=2)
    branch = system.accounts.register_customer(
        actor=1, name="FILIAL", customer_type_id=2, responsible_customer_id=boss.id
    )
    system.accounts.relate(
        actor=1,
        customer_id=branch.id,
        property_id=3,
        relation=RelationType.USER,
        start=date(2024, 1, 1),
    )
    cert = system.accounts.issue_customer_certificate(
        actor=1, customer_id=boss.id, scope=DebtOwner.CURRENT_PROPERTIES
    )
    assert cert.customer_ids == (boss.id, branch.id)  # CNC-05
    assert cert.property_ids == (3,)  # CNC-07
    assert "até a presente data: 06/01/2025" in cert.text
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_customer_certificate(actor=1, customer_id=branch.id)
    assert exc.value.violations[0].rule == "CNC-03"
    system.units.grant(user_id=1, permission_id=75, actor=0)
    assert system.accounts.issue_customer_certificate(actor=1, customer_id=branch.id)
    # the branch now also answers for bia's old property, with debts
    system.accounts.relate(
        actor=1,
        customer_id=branch.id,
        property_id=2,
        relation=RelationType.USER,
        start=date(2024, 1, 1),
    )
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_customer_certificate(
            actor=1, customer_id=boss.id, scope=DebtOwner.CURRENT_PROPERTIES
        )
    assert exc.value.violations[0].params["customer_id"] == branch.id
    union = system.accounts.register_customer(actor=1, name="UNIAO", customer_type_id=3)
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_customer_certificate(actor=1, customer_id=union.id)
    assert exc.value.violations[0].rule == "CNC-02"
    _ = bia


def test_ctr_01_02_03_the_service_contract(
    account: tuple[gsan_core.System, int, int],
) -> None:
    """CTR-01..CTR-03 (field-work §8): a document of a property's customer;
    the legal variant needs a company; nothing is stored."""
    system, ana, _ = account
    contract = system.accounts.service_contract(property_id=1, customer_id=ana)
    assert contract.customer_name == "ANA"
    assert contract.customer_document == "52998224725"
    assert contract.categories[0][2] == 2
    assert "<table" in contract._repr_html_()
    assert repr(contract).startswith("<ServiceContract")
    with pytest.raises(RuleViolation) as exc:
        system.accounts.service_contract(property_id=404, customer_id=ana)
    assert exc.value.violations[0].rule == "CTR-01"
    with pytest.raises(RuleViolation) as exc:
        system.accounts.service_contract(property_id=3, customer_id=ana)
    assert exc.value.violations[0].code == "accounts.contract.customer_not_of_property"
    with pytest.raises(RuleViolation) as exc:
        system.accounts.service_contract(property_id=1, customer_id=ana, legal=True)
    assert exc.value.violations[0].rule == "CTR-02"
    acme = system.accounts.register_customer(
        actor=1, name="ACME", customer_type_id=2, document=CNPJ_ACME
    )
    system.accounts.relate(
        actor=1,
        customer_id=acme.id,
        property_id=1,
        relation=RelationType.OWNER,
        start=date(2024, 1, 1),
    )
    legal = system.accounts.service_contract(
        property_id=1, customer_id=acme.id, legal=True
    )
    assert legal.legal


def test_ext_11_16_statements_of_many_properties_in_chunks(
    account: tuple[gsan_core.System, int, int],
) -> None:
    """The mass mailing: one statement per property with items, in chunks;
    a re-run skips what was issued today (resumable, never twice)."""
    system, _, _ = account
    seen: list[int] = []
    summary = system.accounts.issue_statements(
        actor=1,
        property_ids=[1, 2, 3, 404],
        chunk_size=2,
        progress=lambda p: seen.append(p.units_done),
    )
    assert summary.units == 2
    assert seen == [1, 2]
    assert summary.changed == 2
    assert summary.skipped == {
        "accounts.statement.nothing_to_list": 1,
        "property not found": 1,
    }
    single = system.accounts.collection_documents(1)
    assert len(single) == 1
    again = system.accounts.issue_statements(actor=1, property_ids=[1, 2, 3])
    assert again.changed == 0
    assert again.skipped["already issued today"] == 2
    assert len(system.accounts.collection_documents(1)) == 1
