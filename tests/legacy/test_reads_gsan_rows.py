"""Reads through the library's ports of rows GSAN wrote: users, permissions,
orders, debts and consumption (issue 19, phase 1); their writes are phase 2."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.errors import ConfigurationError, DuplicateEntity, NotFound
from gsan_core.model.billing import BillStatus, DebtKind, OverdueBills
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import Requester, RequestSituation
from gsan_core.model.units import User
from tests.legacy.support import ensure_row, seed_property

pytestmark = pytest.mark.postgres
BELEM = ZoneInfo("America/Belem")


def _bill(c: sa.Connection, ident: int, reference: int, status: int, due: date) -> None:
    ensure_row(
        c,
        "faturamento.conta_geral",
        {"cnta_id": ident},
    )
    ensure_row(
        c,
        "faturamento.conta",
        {
            "cnta_id": ident,
            "imov_id": 1000,
            "cnta_amreferenciaconta": reference,
            "dcst_idatual": status,
            "cnta_dtvencimentoconta": due,
            "cnta_vlagua": Decimal("40.00"),
            "cnta_vlesgoto": Decimal("20.00"),
            "cnta_vldebitos": Decimal("5.00"),
            "cnta_vlcreditos": Decimal("3.00"),
            "cnta_vlimpostos": Decimal("2.00"),
            "cnta_iccobrancamulta": 2,
        },
    )


@pytest.fixture
def gsan_rows(legacy: LegacyBackend) -> LegacyBackend:
    """Rows as GSAN's screens and batches write them, for property 1000."""
    with legacy.engine.begin() as c:
        seed_property(c, 1000)
        ensure_row(c, "cadastro.unidade_organizacional", {"unid_id": 4})
        ensure_row(
            c,
            "seguranca.usuario",
            {
                "usur_id": 7,
                "usur_nmlogin": "maria",
                "usur_nmusuario": "MARIA SILVA",
                "unid_id": 4,
                "usst_id": 1,
            },
        )
        ensure_row(c, "seguranca.permissao_especial", {"pmep_id": 30})
        ensure_row(
            c, "seguranca.usuario_permissao_espec", {"usur_id": 7, "pmep_id": 30}
        )
        ensure_row(
            c,
            "atendimentopublico.ordem_servico",
            {
                "orse_id": 55,
                "imov_id": 1000,
                "svtp_id": 242,
                "orse_cdsituacao": 2,
                "orse_tmgeracao": datetime(2024, 5, 2, 8, 0),  # noqa: DTZ001
                "orse_tmencerramento": datetime(2024, 5, 3, 17, 30),  # noqa: DTZ001
                "orse_iccomercialatualizado": 1,
                "orse_icdiagnostico": 2,
                "orse_icprogramada": 2,
                "unid_idatual": 4,
                "orse_vlservicooriginal": Decimal("12.50"),
            },
        )
        _bill(c, 1, 202409, 0, date(2024, 10, 10))
        _bill(c, 2, 202410, 3, date(2024, 11, 10))  # cancelled: not open
        _bill(c, 3, 202411, 1, date(2024, 12, 10))
        ensure_row(
            c,
            "faturamento.guia_pagamento",
            {
                "gpag_id": 8,
                "imov_id": 1000,
                "gpag_dtemissao": date(2024, 12, 1),
                "gpag_dtvencimento": date(2024, 12, 20),
                "gpag_vldebito": Decimal("33.00"),
                "dbtp_id": 41,
                "dcst_idatual": 0,
                "gpag_iccobrancamulta": 2,
            },
        )
        ensure_row(
            c,
            "faturamento.debito_a_cobrar",
            {
                "dbac_id": 9,
                "imov_id": 1000,
                "dbtp_id": 41,
                "dbac_vldebito": Decimal("60.00"),
                "dbac_nnprestacaodebito": 3,
                "dbac_nnprestacaocobradas": 1,
                "dcst_idatual": 0,
            },
        )
        for reference, kind, billed, minimum in (
            (202410, 1, 12, 10),
            (202411, 1, 0, 10),
            (202411, 2, 7, 6),
        ):
            ensure_row(
                c,
                "micromedicao.consumo_historico",
                {
                    "cshi_id": reference * 10 + kind,
                    "imov_id": 1000,
                    "lgti_id": kind,
                    "cshi_amfaturamento": reference,
                    "cstp_id": 1,
                    "cshi_nnconsumofaturadomes": billed,
                    "cshi_nnconsumominimo": minimum,
                },
            )
    return legacy


def test_users_and_permissions_read_from_gsans_security_tables(
    gsan_rows: LegacyBackend,
) -> None:
    with gsan_rows.uow_factory() as uow:
        user = uow.users.get(7)
        assert user == User(id=7, name="MARIA SILVA", unit_id=4, login="maria")
        assert uow.users.find_by(login="maria") == [user]
        assert uow.permissions.has(7, 30)
        assert not uow.permissions.has(7, 31)
        with pytest.raises(NotFound):
            uow.users.get(99)
        with pytest.raises(DuplicateEntity):  # GSAN's user (the writes:
            uow.users.add(user)  # test_registry_writes.py)


def test_orders_read_as_the_library_s_service_orders(gsan_rows: LegacyBackend) -> None:
    with gsan_rows.uow_factory() as uow:
        order = uow.service_orders.get(55)
        assert uow.service_orders.find_by(property_id=1000, service_type_id=[242]) == [
            order
        ]
        assert uow.service_orders.find_by(property_id=1000, service_type_id=[458]) == []
        assert uow.service_orders.find_by(commercial_applied=True) == [order]
        assert uow.service_orders.find_by(diagnosed=True) == []
        with pytest.raises(ConfigurationError) as caught:
            uow.service_orders.add(order)
    assert caught.value.code == "configuration.read_only"
    assert order.situation is OrderSituation.CLOSED
    assert order.generated_at == datetime(2024, 5, 2, 8, 0, tzinfo=BELEM)
    assert order.closed_at == datetime(2024, 5, 3, 17, 30, tzinfo=BELEM)
    assert order.commercial_applied
    assert not order.diagnosed
    assert (order.current_unit_id, order.original_value) == (4, Decimal("12.50"))


def test_debts_are_gsans_open_items(gsan_rows: LegacyBackend) -> None:
    """ODB-01: the open situations only; a bill's amount is water + sewer +
    debits - credits - taxes."""
    with gsan_rows.uow_factory() as uow:
        debts = uow.billing.open_debts(1000)
        overdue = uow.billing.overdue_bills([1000, 1001], due_before=date(2024, 12, 1))
        slip = uow.billing.has_payment_slip(
            property_id=1000, debit_type_id=41, issued_on=date(2024, 12, 1)
        )
        charges_only = uow.billing.open_debts_of([1000], kinds=[DebtKind.CHARGE])
        slips = uow.billing.payment_slips_issued(
            [
                (1000, 41, date(2024, 12, 1)),
                (1000, 41, date(2024, 12, 2)),
                (1000, 7, date(2024, 12, 1)),
                (1001, 41, date(2024, 12, 1)),
            ]
        )
    bills = [d for d in debts if d.kind is DebtKind.BILL]
    assert [(b.id, b.amount, b.status) for b in bills] == [
        (1, Decimal("60.00"), BillStatus.NORMAL),
        (3, Decimal("60.00"), BillStatus.RETIFIED),
    ]
    assert {d.kind for d in debts} == {
        DebtKind.BILL,
        DebtKind.PAYMENT_SLIP,
        DebtKind.CHARGE,
    }
    charge = charges_only[1000][0]
    assert (
        charge.id,
        charge.amount,
        charge.installments,
        charge.installments_billed,
    ) == (
        9,
        Decimal("60.00"),
        3,
        1,
    )
    assert overdue == {1000: OverdueBills(count=1, amount=Decimal("60.00"))}
    assert slip
    # DEB-02 for a chunk: only the key of the slip itself
    assert slips == {(1000, 41, date(2024, 12, 1))}


def test_consumption_history_reads(gsan_rows: LegacyBackend) -> None:
    with gsan_rows.uow_factory() as uow:
        assert uow.billing.real_consumption(
            [1000], reference=202410, real_type_ids=[1]
        ) == {1000}
        # billed nothing that month: not a real consumption
        assert (
            uow.billing.real_consumption([1000], reference=202411, real_type_ids=[1])
            == set()
        )
        assert uow.billing.minimum_consumption(1000) == 10
        assert uow.billing.minimum_consumption(1000, kind=MeasurementKind.SEWER) == 6
        assert uow.billing.minimum_consumption(1001) is None


def test_a_request_reads_with_its_requesters_and_units(legacy: LegacyBackend) -> None:
    with legacy.engine.begin() as c:
        seed_property(c, 1000)
        ensure_row(c, "cadastro.unidade_organizacional", {"unid_id": 4})
        ensure_row(
            c,
            "atendimentopublico.registro_atendimento",
            {
                "rgat_id": 31,
                "step_id": 5,
                "meso_id": 2,
                "rgat_cdsituacao": 1,
                "rgat_tmregistroatendimento": datetime(2024, 7, 1, 10, 0),  # noqa: DTZ001
                "rgat_dtprevistaoriginal": date(2024, 7, 4),
                "rgat_dtprevistaatual": date(2024, 7, 5),
                "rgat_icatendimentoonline": 1,
                "imov_id": 1000,
                "unid_idatual": 4,
                "rgat_dsobservacao": "VAZAMENTO",
            },
        )
        for ident, name, principal, protocol in (
            (1, "JOAO", 1, "20240700000017"),
            (2, "ANA", 2, None),
        ):
            ensure_row(
                c,
                "atendimentopublico.ra_solicitante",
                {
                    "raso_id": ident,
                    "rgat_id": 31,
                    "raso_nmsolicitante": name,
                    "raso_icsolicitanteprincipal": principal,
                    "raso_nnprotocoloatendimento": protocol,
                    "raso_icenvioemailpesquisa": 2,
                },
            )
        ensure_row(
            c,
            "atendimentopublico.ra_unidade",
            {"raun_id": 1, "rgat_id": 31, "unid_id": 4, "usur_id": 3, "attp_id": 1},
        )
    with legacy.uow_factory() as uow:
        request = uow.service_requests.get(31)
        assert uow.service_requests.find_by(property_id=1000) == [request]
        assert uow.service_requests.count_by(property_id=1001) == 0
        with pytest.raises(ConfigurationError):
            uow.service_requests.update(request)
    assert request.situation is RequestSituation.PENDING
    assert request.attended_at == datetime(2024, 7, 1, 10, 0, tzinfo=BELEM)
    assert (request.specification_id, request.channel_id) == (5, 2)
    assert request.online
    assert (request.original_due_date, request.current_due_date) == (
        date(2024, 7, 4),
        date(2024, 7, 5),
    )
    assert request.protocol == "20240700000017"
    assert request.requesters == (
        Requester(name="JOAO", principal=True),
        Requester(name="ANA", principal=False),
    )
    assert (request.opening_unit_id, request.opened_by) == (4, 3)
    assert (request.closing_unit_id, request.closed_by) == (None, None)
    assert request.observation == "VAZAMENTO"
