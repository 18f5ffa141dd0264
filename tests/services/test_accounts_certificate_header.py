"""The certificate's printed header (CND-09) and the by-customer certificate's
properties (CNC-07), on every backend, built from what the certificate
already reads."""

from __future__ import annotations

import io
from datetime import date

import pytest

import gsan_core
from gsan_core.model.accounts import DebtOwner, PersonKind, RelationType
from gsan_core.rendering import render_certificate
from tests.services.conftest import valid_property
from tests.services.test_accounts_customers import CPF_ANA, setup_counter
from tests.services.test_accounts_debts import load_indices, with_people


@pytest.fixture
def counter(system: gsan_core.System) -> tuple[gsan_core.System, int, int]:
    setup_counter(system)
    load_indices(system)
    ana, bia = with_people(system)
    return system, ana, bia


def test_cnd_09_the_header_names_the_user_and_the_registration(
    counter: tuple[gsan_core.System, int, int],
) -> None:
    system, ana, _ = counter
    cert = system.accounts.issue_certificate(actor=1, property_id=1)
    header = cert.header
    assert header is not None
    assert header.property_id == 1
    assert header.user_id == ana
    assert (header.user_name, header.user_document) == ("ANA", CPF_ANA)
    assert header.user_person_kind is PersonKind.INDIVIDUAL
    assert header.inscription == "1.10.100"
    assert (header.locality_name, header.municipality_id) == ("CENTRO", 7)
    assert header.categories == ((1, 10, 2), (2, 20, 1))
    assert (header.main_category_id, header.main_subcategory_id) == (1, 10)
    assert header.economies == 3
    prop = valid_property(1)
    assert header.profile_id == prop.profile_id
    assert (header.water_status_id, header.sewer_status_id) == (
        prop.water_status_id,
        prop.sewer_status_id,
    )


def test_cnd_09_a_property_without_user_has_an_anonymous_header(
    counter: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = counter
    cert = system.accounts.issue_certificate(actor=1, property_id=2)
    assert cert.header is not None
    assert (cert.header.user_id, cert.header.user_name) == (None, None)
    assert cert.header.locality_name == "CENTRO"


def test_cnc_07_the_customer_certificate_lists_each_property_s_header(
    counter: tuple[gsan_core.System, int, int],
) -> None:
    system, ana, _ = counter
    system.properties.register(valid_property(3), actor=1)
    system.accounts.relate(
        actor=1,
        customer_id=ana,
        property_id=3,
        relation=RelationType.USER,
        start=date(2024, 1, 1),
    )

    cert = system.accounts.issue_customer_certificate(
        actor=1, customer_id=ana, scope=DebtOwner.CURRENT_PROPERTIES
    )
    assert [(h.property_id, h.user_name) for h in cert.headers] == [
        (1, "ANA"),
        (3, "ANA"),
    ]
    assert cert.header is None  # several properties: no single header


def test_cnd_09_the_printed_certificate_carries_the_header(
    counter: tuple[gsan_core.System, int, int],
) -> None:
    pypdf = pytest.importorskip("pypdf")
    system, _, _ = counter
    cert = system.accounts.issue_certificate(actor=1, property_id=1)
    reader = pypdf.PdfReader(io.BytesIO(render_certificate(cert)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Usuário: ANA CPF: " + CPF_ANA in text
    assert "Inscrição 1.10.100" in text
