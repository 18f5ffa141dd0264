"""The optional PDF rendering (``gsan-core[documents]``): read back with pypdf."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

import gsan_core
from gsan_core.model.accounts import RelationType
from gsan_core.model.billing import DebtKind
from gsan_core.rendering import (
    Template,
    render_certificate,
    render_customer_statement,
    render_statement,
)
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item, load_indices

pypdf = pytest.importorskip("pypdf")


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def gsan() -> gsan_core.System:
    system = gsan_core.in_memory()
    setup_counter(system)
    load_indices(system)
    return system


def test_ext_18_19_the_statement_pdf_reads_back(gsan: gsan_core.System) -> None:
    gsan.billing.record_debts(
        [item(101), item(402, DebtKind.CREDIT, amount=Decimal("15"))]
    )
    statement = gsan.accounts.issue_statement(actor=1, property_id=1)
    pdf = render_statement(
        statement, template=Template(company="SAAE DE TESTE", phone="0800 000 0000")
    )
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "SAAE DE TESTE" in text
    assert "EXTRATO DE DÉBITOS" in text
    assert "Total a pagar: R$ 90,00" in text
    assert statement.barcode.formatted_line in text
    assert "10/2024" in text
    assert f"Validade: {statement.valid_until:%d/%m/%Y}" in text


def test_ext_20_the_customer_statement_pdf_reads_back(
    gsan: gsan_core.System,
) -> None:
    """EXT-20: the customer's total, then one page per property's statement."""
    gsan.billing.record_debts([item(101), item(201, property_id=2, amount=Decimal(40))])
    acme = gsan.accounts.register_customer(actor=1, name="ACME", customer_type_id=2)
    for pid in (1, 2):
        gsan.accounts.relate(
            actor=1,
            customer_id=acme.id,
            property_id=pid,
            relation=RelationType.OWNER,
            start=date(2024, 1, 1),
        )
    statement = gsan.accounts.issue_customer_statement(actor=1, customer_id=acme.id)
    pdf = render_customer_statement(statement)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    text = _text(pdf)
    assert f"Cliente {acme.id}" in text
    assert "Imóveis: 1, 2" in text
    assert f"Total a pagar: R$ {statement.value:.2f}".replace(".", ",") in text
    for one in statement.statements:
        assert one.barcode.formatted_line in text
        assert f"Matrícula: {one.document.property_id}" in text


def test_cnd_06_11_the_certificate_pdf_reads_back(gsan: gsan_core.System) -> None:
    gsan.billing.record_debts([item(900, DebtKind.CREDIT, amount=Decimal("5"))])
    ana = gsan.accounts.register_customer(actor=1, name="ANA", customer_type_id=1)
    gsan.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=1,
        relation=RelationType.USER,
        start=date(2024, 1, 1),
    )
    cert = gsan.accounts.issue_certificate(actor=1, property_id=1)
    text = _text(render_certificate(cert))
    assert "Certidão Negativa de Débito - Com Efeito Positivo" in text
    assert cert.authentication_code in text
    assert "Matrícula: 1" in text
    by_customer = gsan.accounts.issue_customer_certificate(actor=1, customer_id=ana.id)
    assert "Cliente: " in _text(render_certificate(by_customer))
