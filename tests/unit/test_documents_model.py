"""The counter's documents as values: their short repr and HTML view."""

from __future__ import annotations

from gsan_core.model.accounts.documents import CertificateHeader, CustomerStatement


def test_a_customer_statement_shows_its_customer_and_total() -> None:
    statement = CustomerStatement(customer_id=5, customer_ids=(5, 6), statements=())
    assert repr(statement) == "<CustomerStatement customer_id=5 value=0.00>"
    html = statement._repr_html_()
    assert html.startswith("<")
    assert "CustomerStatement" in html
    assert "customer_ids" in html


def test_a_certificate_header_shows_its_property_and_user() -> None:
    header = CertificateHeader(
        property_id=1000001,
        inscription="1.2.3",
        locality_id=1,
        user_name="MARIA",
        profile_id=1,
        water_status_id=3,
        sewer_status_id=1,
    )
    assert repr(header) == (
        "<CertificateHeader property_id=1000001 inscription=1.2.3 user_name=MARIA>"
    )
