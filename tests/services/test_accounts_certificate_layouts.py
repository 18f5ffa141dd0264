"""The certificate's per-utility layout: the parcelamento flag (CND-08), the
validity sentence (CND-10) and CAEMA's titles (CND-12)."""

from __future__ import annotations

import io
from datetime import date

import attrs
import pytest

import gsan_core
from gsan_core.model.billing import DebtKind
from gsan_core.rendering import render_certificate
from gsan_core.rules.accounts.documents import (
    CAEMA_NEGATIVE,
    CAEMA_POSITIVE,
    CAEMA_POSITIVE_NEGATIVE_EFFECT,
    NEGATIVE_TITLE,
    POSITIVE_TITLE,
)
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item, load_indices


def _profiled(**cnd: object) -> gsan_core.System:
    loaded = gsan_core.in_memory().loaded_profile
    profile = attrs.evolve(loaded.profile, cnd=attrs.evolve(loaded.profile.cnd, **cnd))
    system = gsan_core.in_memory(attrs.evolve(loaded, profile=profile))
    setup_counter(system)
    load_indices(system)
    return system


def _plan_charge(ident: int, **changes: object) -> object:
    return item(
        ident,
        DebtKind.CHARGE,
        installment_plan_id=77,
        installments=10,
        installments_billed=3,
        **changes,
    )


def test_cnd_08_a_parcelamento_being_paid_is_flagged() -> None:
    gsan = _profiled(efeito_positivo=True)
    gsan.billing.record_debts([_plan_charge(301)])
    assert gsan.accounts.issue_certificate(actor=1, property_id=1).installment_plan
    # billed up to the bonus: nothing left to pay of the plan
    gsan.billing.record_debts([_plan_charge(302, property_id=2, bonus_installments=7)])
    assert not gsan.accounts.issue_certificate(actor=1, property_id=2).installment_plan


def test_cnd_08_an_installment_charge_outside_a_plan_is_not_a_parcelamento() -> None:
    gsan = _profiled(efeito_positivo=True)
    gsan.billing.record_debts(
        [item(301, DebtKind.CHARGE, installments=10, installments_billed=3)]
    )
    cert = gsan.accounts.issue_certificate(actor=1, property_id=1)
    assert not cert.installment_plan
    assert cert.title == POSITIVE_TITLE  # GSAN's layout: CND-06


def test_cnd_10_the_validity_sentence_is_the_utility_s() -> None:
    plain = _profiled()
    assert plain.accounts.issue_certificate(actor=1, property_id=1).validity_text == ""
    caema = _profiled(texto_validade="Validade de 60 dias.")
    cert = caema.accounts.issue_certificate(actor=1, property_id=1)
    assert cert.validity_text == "Validade de 60 dias."
    pypdf = pytest.importorskip("pypdf")
    pdf = render_certificate(cert)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Validade de 60 dias." in text


def test_cnd_12_caema_titles() -> None:
    gsan = _profiled(efeito_positivo=True, layout="caema")
    negative = gsan.accounts.issue_certificate(actor=1, property_id=1)
    assert negative.title == CAEMA_NEGATIVE
    assert "não encontramos débitos" in negative.text
    assert negative.certificate.title == CAEMA_NEGATIVE  # persisted as printed
    gsan.billing.record_debts([item(101, due_date=date(2024, 11, 10))])
    assert gsan.accounts.issue_certificate(actor=1, property_id=1).title == (
        CAEMA_POSITIVE
    )  # a listed bill past due
    gsan.billing.record_debts([_plan_charge(301)])
    assert gsan.accounts.issue_certificate(actor=1, property_id=1).title == (
        CAEMA_POSITIVE_NEGATIVE_EFFECT
    )  # paying a parcelamento
    gsan.billing.record_debts([item(105, property_id=2, in_review=True)])
    assert gsan.accounts.issue_certificate(actor=1, property_id=2).title == (
        CAEMA_POSITIVE_NEGATIVE_EFFECT
    )  # a listed bill under review


def test_cnd_12_the_layout_is_a_checked_profile_option() -> None:
    assert _profiled().accounts.issue_certificate(actor=1, property_id=1).title == (
        NEGATIVE_TITLE
    )
    with pytest.raises((ValueError, TypeError)):
        _profiled(layout="compesa")
