"""The remaining records of the smartphone file (UC1484: 01-15 and 17) and of
its return (UC1487: records 5, 6, 7 and 9 applied by RET-05), on every backend."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

import gsan_core
from gsan_core.model.accounts.documents import CollectionDocument, DocumentItem
from gsan_core.model.billing import BillStatus, DebtKind, OpenDebt
from gsan_core.model.field_files import FileKind
from gsan_core.model.service_orders import OrderSituation, ServiceType
from gsan_core.synthetic import generate
from gsan_core.testing.hydrometers import METER
from tests.services.test_field_work_files import (
    EXECUTED,
    _apply,
    _connected,
    _one_order_file,
    _ready,
    _return,
)
from tests.services.test_field_work_files import emitted as _emitted

emitted = _emitted  # the fixture, shared with the file tests

FISCAL = 982  # an infraction-inspection type (UC0488)
NOTHING_FOUND = 31  # an inspection situation without effects


def _types(lines: list[str]) -> list[str]:
    return [line.split("|", 1)[0] for line in lines]


def test_txt_uc1484_records_00_to_15_then_16_then_17_in_order(
    system: gsan_core.System,
) -> None:
    """UC1484: the parameter records 00-15 in order (01 the agent, 02 the active
    RG issuers, 03 every federal unit with its sigla, 06 and 15 the fixed
    codes), then every 16, then every 17."""
    generate(system, properties=100, seed=4)
    system.catalog.add(
        "inspection_situation", id=NOTHING_FOUND, description="NADA", actor=0
    )
    issuer = system.catalog.get("identity_issuer", 4)
    system.catalog.update(
        "identity_issuer",
        4,
        active=False,
        expected_version=issuer.version,
        actor=0,
    )
    file_id, order_id = _one_order_file(system, 242, _connected(system)[0])
    lines = list(system.field_work.field_file_lines(file_id=file_id))
    kinds = _types(lines)
    assert kinds == sorted(kinds)  # 00..15, then 16, then 17 (none here)
    assert set(kinds) == {f"{n:02d}" for n in range(17)}
    assert lines[:2] == [f"00|{file_id}|\n", "01|77|||||\n"]
    assert [line for line in lines if line.startswith("02|")] == [
        "02|1|SECRETARIA DE SEGURANCA|\n",
        "02|2|DEPARTAMENTO DE TRANSITO|\n",
        "02|3|POLICIA FEDERAL|\n",
    ]  # the inactive issuer is left out
    states = [line for line in lines if line.startswith("03|")]
    assert len(states) == 27
    assert "03|25|SAO PAULO|SP|\n" in states
    assert "05|31|NADA|\n" in lines
    assert [line for line in lines if line.startswith("06|")] == [
        "06|1|SOL. COMPARECIMENTO|\n",
        "06|2|AUTO DE INFRACAO|\n",
        "06|3|INFRACAO DE ESGOTO|\n",
        "06|4|NENHUM|\n",
    ]
    assert [line for line in lines if line.startswith("15|")][-1] == (
        "15|14|FACHADA DO IMOVEL|\n"
    )
    assert "08|9|OUTROS|\n" in lines  # meter protections
    assert "14|2|CORTE NO CAVALETE|\n" in lines  # cut types
    assert [line.split("|")[1] for line in lines if line.startswith("16|")] == [
        str(order_id)
    ]


def test_txt_uc1484_record_17_the_bills_of_the_orders_collection_document(
    system: gsan_core.System,
) -> None:
    """UC1484 IT0021 (record 17): each bill item of the order's collection
    document, by reference: ``MM/AAAA``, due date, the open bill's situation
    (empty when no longer open), the value as ``1.234,56``, no separator after
    it; a charge item is not a bill and is not written."""
    generate(system, properties=100, seed=4)
    target = _connected(system)[0]
    system.billing.record_debts(
        [
            OpenDebt(
                id=9001,
                property_id=target,
                kind=DebtKind.BILL,
                amount=Decimal("1234.56"),
                reference=202402,
                due_date=date(2024, 3, 10),
                status=BillStatus.RETIFIED,
            )
        ]
    )
    items = (
        DocumentItem(
            debt_id=9001,
            kind=DebtKind.BILL,
            value=Decimal("1234.56"),
            reference=202402,
            due_date=date(2024, 3, 10),
        ),
        DocumentItem(
            debt_id=9000,
            kind=DebtKind.BILL,
            value=Decimal("7.5"),
            reference=202312,
            due_date=date(2024, 1, 10),
        ),
        DocumentItem(debt_id=9002, kind=DebtKind.CHARGE, value=Decimal("3")),
    )
    with system.uow_factory() as uow:
        document_id = uow.next_id("collection_document")
        uow.collection_documents.add(
            CollectionDocument(
                id=document_id,
                property_id=target,
                issued_at=datetime(2024, 4, 1, tzinfo=UTC),
                valid_until=date(2024, 4, 30),
                value=Decimal("1242.06"),
                barcode="8" * 44,
                items=items,
                actor=1,
            )
        )
        uow.commit()
    order = system.service_orders.generate_from_collection(
        service_type_id=242,
        property_id=target,
        collection_document_id=document_id,
        actor=1,
    )
    file = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, order_ids=[order.id], actor=1
    )
    lines = list(system.field_work.field_file_lines(file_id=file.id))
    assert _types(lines)[-3:] == ["16", "17", "17"]
    assert lines[-2:] == [
        f"17|{order.id}|12/2023|10/01/2024||7,50\n",
        f"17|{order.id}|02/2024|10/03/2024|RETIFICADA|1.234,56\n",
    ]
    out = io.BytesIO()
    assert system.field_work.write_field_file(file_id=file.id, out=out) == len(lines)


# ---------------------------------------------------------------- the return
@pytest.fixture
def inspecting(system: gsan_core.System) -> gsan_core.System:
    generate(system, properties=200, seed=4)
    system.service_orders.add_types(
        [
            ServiceType(
                id=FISCAL,
                description="FISCALIZACAO DE INFRACAO",
                abbreviation="FISC INFR",
                infraction_inspection=True,
            )
        ],
        actor=0,
    )
    system.catalog.add(
        "inspection_situation",
        id=NOTHING_FOUND,
        description="SEM IRREGULARIDADE",
        actor=0,
    )
    return system


def _now(system: gsan_core.System) -> str:
    return system.clock.now().strftime("%d/%m/%Y %H:%M:%S")


def test_ret_05_records_5_and_6_inform_the_inspection_then_close(
    inspecting: gsan_core.System,
) -> None:
    """RET-05, records 5 and 6: the situations found are informed through the
    inspection return (UC0488) before the close, in its unit of work, with the
    delivered document; without record 6 the close refuses (ENC-04)."""
    system = inspecting
    first, second = _connected(system)[:2]
    file_id, order_id = _one_order_file(system, FISCAL, first)
    when = _now(system)
    closed, failed = _apply(
        system,
        file_id,
        [
            f"1|{order_id}|1|{EXECUTED}|{when}|FISCALIZADO|{FISCAL}|",
            f"5|{order_id}|2|",
            f"6|{order_id}|{NOTHING_FOUND}|",
        ],
    )
    assert (closed, failed) == ((order_id,), ())
    found = system.inspections.findings(order_id)
    assert [(f.situation_id, f.delivered_document) for f in found] == [
        (NOTHING_FOUND, 2)
    ]
    assert system.service_orders.get(order_id).situation is OrderSituation.CLOSED
    file_b, order_b = _one_order_file(system, FISCAL, second)
    closed, failed = _apply(
        system, file_b, [f"1|{order_b}|1|{EXECUTED}|{when}|FISCALIZADO|{FISCAL}|"]
    )
    assert closed == ()
    assert [f[0] for f in failed] == [order_b]
    assert system.inspections.findings(order_b) == []


def test_ret_05_record_6_an_unknown_situation_fails_the_order_alone(
    inspecting: gsan_core.System,
) -> None:
    """RET-05, record 6: a situation id the catalogue does not have fails that
    order (reported with its code), nothing of it is written."""
    system = inspecting
    target = _connected(system)[0]
    file_id, order_id = _one_order_file(system, FISCAL, target)
    closed, failed = _apply(
        system,
        file_id,
        [
            f"1|{order_id}|1|{EXECUTED}|{_now(system)}|X|{FISCAL}|",
            f"6|{order_id}|999|",
        ],
    )
    assert closed == ()
    assert [f[0] for f in failed] == [order_id]
    assert system.inspections.findings(order_id) == []
    assert system.service_orders.get(order_id).situation is OrderSituation.PENDING


def test_ret_05_record_7_a_returned_substitution_replaces_the_meter(
    system: gsan_core.System,
) -> None:
    """RET-05, record 7 (``ExecucaoOSSubstituicao``): the outgoing reading,
    situation and stock location, the incoming meter and its reading run the
    replacement; the incoming meter keeps the current place and protection."""
    generate(system, properties=200, seed=4)
    target = _connected(system, metered=True)[0]
    before = system.hydrometers.current_installation(property_id=target)
    assert before is not None
    with system.uow_factory() as uow:
        locality = uow.localities.get(uow.properties.get(target).locality_id)
    location = locality.stock_location_id or 1
    system.hydrometers.insert_range(
        fixed="B24A",
        first=990001,
        last=990001,
        attributes=METER,
        location_id=location,
        actor=1,
    )
    with system.uow_factory() as uow:
        (spare,) = uow.hydrometers.find_by(number="B24A990001")
    file_id, order_id = _one_order_file(system, 310, target)
    closed, failed = _apply(
        system,
        file_id,
        [
            f"1|{order_id}|1|{EXECUTED}|{_now(system)}|SUBSTITUIDO|310|",
            f"7|{order_id}|{before.installation_reading + 10}|3|{spare.location_id}|1|{spare.id}|2|5|",
        ],
    )
    assert (closed, failed) == ((order_id,), ())
    after = system.hydrometers.current_installation(property_id=target)
    assert after is not None
    assert after.hydrometer_id == spare.id
    assert (after.place_id, after.protection_id) == (
        before.place_id,
        before.protection_id,
    )
    assert (after.installation_reading, after.stand) == (5, False)


def test_ret_05_record_7_without_the_removal_reading_is_data_required(
    system: gsan_core.System,
) -> None:
    """RET-05, record 7: no reading of the outgoing meter, no replacement input:
    the close refuses with the "data required" code."""
    generate(system, properties=200, seed=4)
    target = _connected(system, metered=True)[0]
    file_id, order_id = _one_order_file(system, 310, target)
    closed, failed = _apply(
        system,
        file_id,
        [
            f"1|{order_id}|1|{EXECUTED}|{_now(system)}|SUBSTITUIDO|310|",
            f"7|{order_id}||3|1|1|||",
        ],
    )
    assert closed == ()
    assert [f[:2] for f in failed] == [
        (order_id, "service_order.commercial.data_required")
    ]


def test_ret_05_record_9_the_protection_box_updates_the_installation(
    system: gsan_core.System,
) -> None:
    """RET-05, record 9 (``ExecucaoOSCaixaProtecao``; GSAN runs the
    substitution, QUIRK): the box's place and protection update the current
    installation through the operation the order's type runs."""
    generate(system, properties=200, seed=4)
    target = _connected(system, metered=True)[0]
    file_id, order_id = _one_order_file(system, 313, target)
    closed, failed = _apply(
        system,
        file_id,
        [
            f"1|{order_id}|1|{EXECUTED}|{_now(system)}|CAIXA|313|",
            f"9|{order_id}|3|7|1|2|",
        ],
    )
    assert (closed, failed) == ((order_id,), ())
    current = system.hydrometers.current_installation(property_id=target)
    assert current is not None
    assert (current.place_id, current.protection_id) == (3, 7)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("5|{o}|9|", "return.code"),  # not a documento entregue code
        ("5|{o}|", "return.field_count"),
        ("6|{o}|", "return.field_count"),
        ("6|{o}|X|", "return.number"),
        ("7|{o}|1|3|1|3|9|1||", "return.code"),  # meter type 3
        ("7|{o}|1|3|", "return.field_count"),
        ("9|{o}|3|7|1|", "return.field_count"),
        ("9|{o}|3|7|1|0|", "return.code"),  # troca registro 0
        ("9|{o}|3|7|1|2|8|", "return.field_count"),
    ],
)
def test_ret_01_records_5_6_7_9_bad_lines_are_reported_and_nothing_staged(
    emitted: tuple[gsan_core.System, int], line: str, code: str
) -> None:
    """RET-01: a record 5, 6, 7 or 9 with the wrong field count, a field that
    is not a number or a code outside its set is reported with its line, and
    the return stages nothing."""
    system, command_id = emitted
    file_id, orders = _ready(system, command_id)
    when = (system.clock.now() - timedelta(minutes=1)).strftime("%d/%m/%Y %H:%M:%S")
    report = system.field_work.process_field_return(
        file_id=file_id,
        source=_return(
            file_id,
            [
                f"1|{orders[0]}|1|{EXECUTED}|{when}|OK|350|",
                line.format(o=orders[0]),
            ],
        ),
        actor=1,
    )
    assert [(e.line, e.code) for e in report.errors] == [(3, code)]
    assert report.staged == 0
