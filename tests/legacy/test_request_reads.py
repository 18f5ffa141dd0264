"""Reads of rows GSAN wrote around requests and orders (issue 19, phase 1):
routing steps, reiterations, an order's unit trail, a property's charges,
service types and a request's structured address."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.errors import ConfigurationError
from gsan_core.model.billing import Charge, CollectionForm
from gsan_core.model.service_orders import OrderUnitRecord, OrderUnitRelation
from gsan_core.model.service_requests import Reiteration, RoutingStep
from tests.legacy.support import ensure_row, seed_property

pytestmark = pytest.mark.postgres
BELEM = ZoneInfo("America/Belem")


def _at(day: int, hour: int) -> datetime:
    return datetime(2024, 7, day, hour, 0)  # noqa: DTZ001 - GSAN's local time


def _request(c: sa.Connection, ident: int, **extra: object) -> None:
    ensure_row(
        c,
        "atendimentopublico.registro_atendimento",
        {
            "rgat_id": ident,
            "step_id": 5,
            "meso_id": 2,
            "rgat_cdsituacao": 1,
            "rgat_tmregistroatendimento": _at(1, 10),
            "rgat_dtprevistaoriginal": date(2024, 7, 4),
            "rgat_dtprevistaatual": date(2024, 7, 5),
            "rgat_icatendimentoonline": 1,
            "imov_id": 1000,
            **extra,
        },
    )


@pytest.fixture
def rows(legacy: LegacyBackend) -> LegacyBackend:
    with legacy.engine.begin() as c:
        seed_property(c, 1000)
        for unit in (4, 5):
            ensure_row(c, "cadastro.unidade_organizacional", {"unid_id": unit})
        _request(c, 31, lgbr_id=77)
        _request(c, 32)
        for ident, request, source, target, day, remark in (
            (2, 31, 5, 4, 3, None),
            (1, 31, 4, 5, 2, "ENCAMINHADO AO DISTRITO"),
            (3, 32, 4, 5, 2, None),
        ):
            ensure_row(
                c,
                "atendimentopublico.tramite",
                {
                    "tram_id": ident,
                    "rgat_id": request,
                    "unid_idorigem": source,
                    "unid_iddestino": target,
                    "tram_tmtramite": _at(day, 9),
                    "usur_idregistro": 2,
                    "usur_idresponsavel": 3,
                    "tram_dsparecertramite": remark,
                },
            )
        ensure_row(
            c,
            "atendimentopublico.ra_reiteracao",
            {
                "rart_id": 8,
                "rgat_id": 31,
                "rart_nnprotocoloatendimento": "2024000123",
                "rart_nmsolicitante": "JOANA",
                "rart_tmultimaalteracao": _at(4, 11),
                "rart_dsobservacao": "AINDA VAZANDO",
            },
        )
        ensure_row(c, "cadastro.fone_tipo", {"fnet_id": 1})
        for ident, ddd, number, default in (
            (1, "91", "32220000", 2),
            (2, "91", "98888", 1),
        ):
            ensure_row(
                c,
                "atendimentopublico.ra_reiteracao_fone",
                {
                    "rtfo_id": ident,
                    "rart_id": 8,
                    "fnet_id": 1,
                    "rtfo_cdddd": ddd,
                    "rtfo_nnfone": number,
                    "rtfo_icfonepadrao": default,
                },
            )
        ensure_row(
            c,
            "atendimentopublico.ordem_servico",
            {"orse_id": 55, "imov_id": 1000, "svtp_id": 243, "orse_cdsituacao": 1},
        )
        for ident, relation in ((1, 1), (2, 2), (3, 3)):
            ensure_row(
                c,
                "atendimentopublico.ordem_servico_unidade",
                {
                    "osun_id": ident,
                    "orse_id": 55,
                    "unid_id": 4,
                    "usur_id": 3,
                    "attp_id": relation,
                    "osun_tmultimaalteracao": _at(5, 8 + ident),
                },
            )
    return legacy


def test_routing_steps_read_gsans_tramite_rows(rows: LegacyBackend) -> None:
    with rows.uow_factory() as uow:
        steps = uow.routing_steps.find_by(request_id=31)
        assert uow.routing_steps.get(3).request_id == 32
        with pytest.raises(ConfigurationError) as refused:
            uow.routing_steps.add(steps[0])
    assert refused.value.code == "configuration.read_only"
    assert steps == [
        RoutingStep(
            id=1,
            request_id=31,
            from_unit_id=4,
            to_unit_id=5,
            at=datetime(2024, 7, 2, 9, 0, tzinfo=BELEM),
            registered_by=2,
            responsible_id=3,
            remark="ENCAMINHADO AO DISTRITO",
        ),
        RoutingStep(
            id=2,
            request_id=31,
            from_unit_id=5,
            to_unit_id=4,
            at=datetime(2024, 7, 3, 9, 0, tzinfo=BELEM),
            registered_by=2,
            responsible_id=3,
        ),
    ]


def test_reiterations_read_the_default_phone(rows: LegacyBackend) -> None:
    with rows.uow_factory() as uow:
        found = uow.reiterations.find_by(request_id=31)
        assert uow.reiterations.count_by(request_id=32) == 0
    assert found == [
        Reiteration(
            id=8,
            request_id=31,
            at=datetime(2024, 7, 4, 11, 0, tzinfo=BELEM),
            actor=0,
            requester_name="JOANA",
            phone="91 98888",
            remark="AINDA VAZANDO",
        )
    ]


def test_the_unit_trail_of_an_order_reads_the_opening_and_closing_units(
    rows: LegacyBackend,
) -> None:
    with rows.uow_factory() as uow:
        trail = uow.order_units.find_by(order_id=55)
    assert [r.relation for r in trail] == [
        OrderUnitRelation.OPENED,
        OrderUnitRelation.CLOSED,
    ]
    assert trail[0] == OrderUnitRecord(
        id=1,
        order_id=55,
        unit_id=4,
        user_id=3,
        relation=OrderUnitRelation.OPENED,
        at=datetime(2024, 7, 5, 9, 0, tzinfo=BELEM),
    )


def test_a_request_reads_its_street_and_no_neighbourhood_without_the_tables(
    rows: LegacyBackend,
) -> None:
    assert "address" in rows.report.unavailable
    with rows.uow_factory() as uow:
        request = uow.service_requests.get(31)
    assert request.street_id == 77
    assert (request.neighbourhood_id, request.municipality_id) == (None, None)


def test_a_request_reads_its_neighbourhood_and_municipality_from_gsans_tables(
    rows: LegacyBackend, run_sql: object
) -> None:
    with rows.engine.begin() as c:
        c.execute(sa.text("ALTER TABLE cadastro.logradouro_bairro ADD bair_id integer"))
        c.execute(sa.text("ALTER TABLE cadastro.bairro ADD muni_id integer"))
        c.execute(sa.text("INSERT INTO cadastro.bairro VALUES (12, 1501)"))
        c.execute(sa.text("UPDATE cadastro.logradouro_bairro SET bair_id = 12"))
    backend = LegacyBackend(rows.engine)
    assert "address" not in backend.report.unavailable
    with backend.uow_factory() as uow:
        request = uow.service_requests.get(31)
        other = uow.service_requests.get(32)
    assert (request.street_id, request.neighbourhood_id) == (77, 12)
    assert request.municipality_id == 1501
    assert (other.street_id, other.neighbourhood_id, other.municipality_id) == (
        None,
        None,
        None,
    )


def test_charges_of_a_property_read_gsans_debito_a_cobrar(rows: LegacyBackend) -> None:
    with rows.engine.begin() as c:
        for ident, form in ((9, 1), (10, 2)):  # 2: a form the library does not know
            ensure_row(
                c,
                "faturamento.debito_a_cobrar",
                {
                    "dbac_id": ident,
                    "imov_id": 1000,
                    "dbtp_id": 41,
                    "dbac_vldebito": Decimal("100.00"),
                    "dbac_nnprestacaodebito": 3,
                    "dbac_nnprestacaocobradas": 1,
                    "dbac_pctaxajurosfinanciamento": Decimal("1.00"),
                    "dbac_tmatudebito": _at(6, 10),
                    "dbac_amreferenciadebito": 202407,
                    "orse_id": 55,
                    "rgat_id": 31,
                    "cbfm_id": form,
                    "dcst_idatual": 0,
                    "usur_id": 3,
                },
            )
    with rows.uow_factory() as uow:
        charges = uow.billing.charges_of(1000)
        assert uow.billing.charges_of(1001) == []
    assert charges == [
        Charge(
            id=9,
            property_id=1000,
            debit_type_id=41,
            total=Decimal("100.00"),
            installments=3,
            installment_value=Decimal("33.33"),
            installments_billed=1,
            collection_form=CollectionForm.IN_BILL,
            interest_rate=Decimal("1.00"),
            service_order_id=55,
            service_request_id=31,
            generated_at=datetime(2024, 7, 6, 10, 0, tzinfo=BELEM),
            reference=202407,
            actor=3,
        )
    ]


def test_service_types_read_gsans_flags(rows: LegacyBackend) -> None:
    with rows.engine.begin() as c:
        ensure_row(c, "atendimentopublico.servico_tipo", {"svtp_id": 243})
        c.execute(
            sa.text(
                "UPDATE atendimentopublico.servico_tipo SET"
                " svtp_dsservicotipo = 'CORTE ADMINISTRATIVO',"
                " svtp_dsabreviado = 'CORTADM', svtp_cdservicotipo = 'C',"
                " svtp_vlservico = 12.50, svtp_icatualizacomercial = 1,"
                " svtp_icvistoria = 2, svtp_icuso = 1,"
                " svtp_icpermitealteracaoimovelemcampo = 2,"
                " svtp_nntempomedioexecucao = 40 WHERE svtp_id = 243"
            )
        )
    with rows.uow_factory() as uow:
        found = uow.service_types.get(243)
        assert found in uow.service_types.find_by(active=True)
        assert uow.service_types.find_by(code="C") == [found]
        assert uow.service_types.find_by(code="O") == []
    assert (found.description, found.abbreviation, found.code) == (
        "CORTE ADMINISTRATIVO",
        "CORTADM",
        "C",
    )
    assert found.value == Decimal("12.50")
    assert found.updates_commercial
    assert found.active
    assert not found.inspection
    assert not found.allows_property_in_field  # 2: GSAN blocks it (ENC-17)
    assert found.operation is None
    assert found.average_execution_minutes == 40
