"""PDF rendering of the account documents: the optional extra
``gsan-core[documents]`` (fpdf2).

The documents are typed values (:class:`~gsan_core.model.accounts.DebtStatement`,
:class:`~gsan_core.model.accounts.NoDebtCertificate`); this module only draws
them. A utility replaces the :class:`Template` (letterhead, texts, footer) or
the whole drawing function; the barcode is drawn as GSAN draws it, Interleaved
2 of 5 of the 44 digits the rules computed, with the "linha digitável" above it.

    from gsan_core.rendering import Template, render_statement
    pdf_bytes = render_statement(statement, template=Template(company="SAAE"))
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from gsan_core.errors import ConfigurationError
from gsan_core.model.accounts import (
    CertificateHeader,
    CustomerStatement,
    DebtLine,
    DebtStatement,
    NoDebtCertificate,
    PersonKind,
)
from gsan_core.services.scheduling.results import RouteSheet

__all__ = [
    "Template",
    "render_certificate",
    "render_customer_statement",
    "render_route_sheet",
    "render_statement",
]

_REPLACEMENTS = {"–": "-", "—": "-", "“": '"', "”": '"', "’": "'"}


@attrs.frozen(kw_only=True)
class Template:
    """What a utility puts around its documents (letterhead and texts)."""

    company: str = "Companhia de Saneamento"
    company_document: str = ""
    address: str = ""
    phone: str = ""
    statement_title: str = "EXTRATO DE DÉBITOS"
    route_sheet_title: str = "ROTEIRO DA EQUIPE"
    footer: str = "Documento emitido pelo sistema comercial."


def _fpdf() -> Any:
    try:
        return importlib.import_module("fpdf")
    except ImportError as exc:  # pragma: no cover - the extra is installed in tests
        msg = 'PDF rendering needs the extra: pip install "gsan-core[documents]"'
        raise ConfigurationError(msg) from exc


def _latin1(text: str) -> str:
    """The core PDF fonts cover Latin-1: Portuguese fits, a few signs do not."""
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def _money(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return "R$ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def _ref(reference: int | None) -> str:
    return "" if reference is None else f"{reference % 100:02d}/{reference // 100}"


class _Page:
    def __init__(self, template: Template) -> None:
        self.pdf = _fpdf().FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_page()
        self.template = template
        self._letterhead()

    def text(
        self, value: str, *, size: int = 10, bold: bool = False, height: int = 6
    ) -> None:
        self.pdf.set_font("Helvetica", "B" if bold else "", size)
        self.pdf.multi_cell(0, height, _latin1(value), new_x="LMARGIN", new_y="NEXT")

    def _letterhead(self) -> None:
        t = self.template
        self.text(t.company, size=14, bold=True)
        for line in (t.company_document, t.address, t.phone):
            if line:
                self.text(line, size=9, height=5)
        self.pdf.ln(4)

    def table(self, title: str, rows: Sequence[tuple[str, str, str, str]]) -> None:
        if not rows:
            return
        self.text(title, bold=True)
        self.pdf.set_font("Helvetica", "", 9)
        for cells in (("Item", "Referência", "Vencimento", "Valor"), *rows):
            for width, cell in zip((30, 40, 40, 50), cells, strict=True):
                self.pdf.cell(width, 6, _latin1(cell), border=1)
            self.pdf.ln(6)
        self.pdf.ln(2)

    def output(self) -> bytes:
        self.text(self.template.footer, size=8)
        return bytes(self.pdf.output())


def _rows(lines: Sequence[DebtLine]) -> list[tuple[str, str, str, str]]:
    return [
        (
            str(x.debt.id),
            _ref(x.debt.reference),
            "" if x.debt.due_date is None else f"{x.debt.due_date:%d/%m/%Y}",
            _money(x.updated_value),
        )
        for x in lines
    ]


def _statement_body(page: _Page, statement: DebtStatement) -> None:
    doc = statement.document
    page.text(
        f"Matrícula: {doc.property_id}   Documento: {doc.id}   "
        f"Emissão: {doc.issued_at:%d/%m/%Y}   Validade: {doc.valid_until:%d/%m/%Y}"
    )
    page.table("Contas", _rows(statement.bills + statement.previous_bills))
    page.table("Guias de pagamento", _rows(statement.payment_slips))
    page.table("Débitos a cobrar", _rows(statement.charges))
    page.table("Créditos a realizar", _rows(statement.credits))
    page.text(f"Valor total das contas: {_money(statement.bills_total)}")
    page.text(f"Serviços e atualizações: {_money(statement.services_total)}")
    page.text(f"Desconto/créditos: {_money(statement.credits_total)}")
    page.text(f"Total a pagar: {_money(statement.value)}", bold=True)
    page.pdf.ln(4)
    page.text(statement.barcode.formatted_line, size=11, bold=True)
    y = page.pdf.get_y() + 2
    page.pdf.interleaved2of5(statement.barcode.digits, x=15, y=y, w=0.8, h=13)
    page.pdf.set_y(y + 16)


def render_statement(
    statement: DebtStatement, *, template: Template | None = None
) -> bytes:
    """The PDF of an Extrato de Débitos: its items, summary, validity, the
    linha digitável and the Interleaved 2 of 5 barcode."""
    page = _Page(template or Template())
    page.text(page.template.statement_title, size=13, bold=True)
    _statement_body(page, statement)
    return page.output()


def render_customer_statement(
    statement: CustomerStatement, *, template: Template | None = None
) -> bytes:
    """The PDF of an Extrato de Débitos por Cliente (EXT-20): the customer's
    totals, then each property's statement (with its own barcode) on a page."""
    page = _Page(template or Template())
    page.text(
        f"{page.template.statement_title} - Cliente {statement.customer_id}",
        size=13,
        bold=True,
    )
    page.text(f"Imóveis: {', '.join(map(str, statement.property_ids))}")
    page.text(f"Total a pagar: {_money(statement.value)}", bold=True)
    for one in statement.statements:
        page.pdf.add_page()
        _statement_body(page, one)
    return page.output()


def _header_line(header: CertificateHeader) -> str:
    """One property's registration data, as the certificate's header prints it."""
    user = header.user_name or "-"
    kind = "CNPJ" if header.user_person_kind is PersonKind.COMPANY else "CPF"
    document = f" {kind}: {header.user_document}" if header.user_document else ""
    return (
        f"Imóvel {header.property_id} - Inscrição {header.inscription} - "
        f"Localidade {header.locality_name or header.locality_id} - "
        f"Usuário: {user}{document} - Economias: {header.economies} - "
        f"Perfil {header.profile_id} - Água {header.water_status_id} / "
        f"Esgoto {header.sewer_status_id}"
    )


def render_certificate(
    certificate: NoDebtCertificate, *, template: Template | None = None
) -> bytes:
    """The PDF of a no-debt certificate: title, text, items, validity and the
    authentication code to verify it."""
    page = _Page(template or Template())
    cert = certificate.certificate
    page.text(certificate.title, size=13, bold=True)
    subject = (
        f"Matrícula: {cert.property_id}"
        if cert.property_id is not None
        else f"Cliente: {cert.customer_id}"
    )
    page.text(subject)
    for header in certificate.headers:  # CND-09, CNC-07
        page.text(_header_line(header))
    page.text(certificate.text)
    page.table("Itens", _rows(certificate.lines))
    page.text(
        f"Emitida em {cert.issued_on:%d/%m/%Y}, válida até {cert.valid_until:%d/%m/%Y}."
    )
    if certificate.validity_text:  # CND-10
        page.text(certificate.validity_text)
    page.text(f"Código de autenticação: {cert.authentication_code}", bold=True)
    return page.output()


_ROUTE_COLUMNS = (
    ("Seq.", 12),
    ("OS", 20),
    ("Serviço", 62),
    ("Min.", 14),
    ("Imóvel", 22),
    ("RA", 20),
    ("Princ.", 15),
)


def render_route_sheet(sheet: RouteSheet, *, template: Template | None = None) -> bytes:
    """The printable route sheet of a team's day (field-work §9.3, beside the
    route file): the team, its device, the date, one line per stop in sequence
    with its estimated minutes, the observations, and the day's total against
    the team's work load."""
    page = _Page(template or Template())
    page.text(page.template.route_sheet_title, size=13, bold=True)
    page.text(
        f"Equipe: {sheet.team_id} - {sheet.team_name}   "
        f"Data: {sheet.on:%d/%m/%Y}   IMEI: {sheet.imei or '-'}"
    )
    page.pdf.set_font("Helvetica", "B", 9)
    for title, width in _ROUTE_COLUMNS:
        page.pdf.cell(width, 6, _latin1(title), border=1)
    page.pdf.ln(6)
    page.pdf.set_font("Helvetica", "", 9)
    for stop in sheet.stops:
        cells = (
            str(stop.sequence),
            str(stop.order_id),
            stop.service_type[:34],
            str(stop.minutes),
            "" if stop.property_id is None else str(stop.property_id),
            "" if stop.request_id is None else str(stop.request_id),
            "Sim" if stop.principal else "Não",
        )
        for (_, width), cell in zip(_ROUTE_COLUMNS, cells, strict=True):
            page.pdf.cell(width, 6, _latin1(cell), border=1)
        page.pdf.ln(6)
        if stop.observation:
            page.text(f"   Obs.: {stop.observation}", size=8, height=5)
    page.pdf.ln(2)
    page.text(
        f"Ordens: {len(sheet.stops)}   Tempo estimado: {sheet.minutes} min "
        f"de {sheet.work_minutes} min da carga de trabalho",
        bold=True,
    )
    return page.output()
