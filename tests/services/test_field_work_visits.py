"""Anomaly inspections, field visits (INSP) and measurement visits (VIS), on
every backend."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest

import gsan_core
from gsan_core.model.accounts.customers import (
    CustomerType,
    PersonKind,
    PowerSphere,
    RelationType,
)
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.field_files import FileKind, FileSituation
from gsan_core.model.field_visits import MeasurementVisitClosed, VisitProcessed
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.model.service_orders import OrderSituation
from gsan_core.rules.field_visits import months_before
from gsan_core.synthetic import generate
from gsan_core.testing.hydrometers import METER

INSPECTION = 350
ACTION = 304  # an order a visit may ask for
NOT_EXECUTED = 4
AGENT = 77


def _command(system: gsan_core.System, *, max_orders: int | None = 12) -> int:
    with system.uow_factory() as uow:
        first = min(p.locality_id for p in uow.properties.find_by())
    command = system.field_work.create_selective_command(
        description="INSPECAO DE ANORMALIDADE",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(locality_first=first, locality_last=first),
        actor=1,
        max_orders=max_orders,
    )
    system.field_work.emit_selective_orders(command_id=command.id, actor=1)
    return command.id


@pytest.fixture
def emitted(system: gsan_core.System) -> tuple[gsan_core.System, int]:
    generate(system, properties=300, seed=9)
    return system, _command(system)


def _visit_in_field(system: gsan_core.System, command_id: int) -> tuple[int, list[str]]:
    file = system.field_work.generate_visit_file(command_id=command_id, actor=1)
    system.field_work.release_field_file(file_id=file.id, agent_id=AGENT, actor=1)
    out = io.BytesIO()
    system.field_work.download_field_file(file_id=file.id, out=out, actor=1)
    return file.id, out.getvalue().decode("iso-8859-1").splitlines()


def _orders_of(lines: list[str]) -> list[int]:
    return [int(line.split("|")[1]) for line in lines if line.startswith("09|")]


def _visit_return(file_id: int, order_ids: list[int], *, action: bool = True) -> bytes:
    rows = [f"00|{file_id}|"]
    for order_id in order_ids:
        rows.append(f"01|{order_id}| |1|5|HIDROMETRO PARADO| |")
        rows.append(f"02|JOSE DA SILVA| | | | | |98|32221111| |{order_id}|")
        if action:
            rows.append(f"03|{ACTION}|{order_id}|")
    return ("\n".join(rows) + "\n").encode("iso-8859-1")


# ------------------------------------------------------------ prodiga's file
def test_insp_01_03_the_inspection_file_of_a_command_is_one_zipped_txt(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file = system.field_work.generate_inspection_file(command_id=command_id, actor=1)
    assert file.kind is FileKind.ANOMALY_INSPECTION
    assert file.order_count == 12
    out = io.BytesIO()
    archive = system.field_work.write_inspection_zip(file_id=file.id, out=out)
    assert re.fullmatch(
        rf"OS_INSPECAO_ANORMALIDADE{command_id}\d\d_\d\d_\d{{4}}\d{{6}}\.zip",
        archive.name,
    )
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zipped:
        assert zipped.namelist() == [archive.member]
        text = zipped.read(archive.member).decode("iso-8859-1")
    lines = text.splitlines()
    assert len(lines) == archive.lines == 12
    assert all(line.count(";") == 31 for line in lines)
    assert [int(line.split(";")[2]) for line in lines] == list(range(1, 13))
    # the file's own layout is INSP-03's
    assert list(system.field_work.field_file_lines(file_id=file.id)) == [
        f"{line}\n" for line in lines
    ]


def test_insp_02_only_the_properties_that_repeat_the_anomaly_go_to_the_file(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    with system.uow_factory() as uow:
        links = sorted(
            uow.selective_orders.find_by(command_id=command_id),
            key=lambda link: link.order_id,
        )
    props = [link.property_id for link in links]

    def month(
        property_id: int, reference: int, anomaly: int | None
    ) -> ConsumptionRecord:
        return ConsumptionRecord(
            property_id=property_id,
            reference=reference,
            consumption_type_id=1,
            billed_volume=10,
            anomaly_id=anomaly,
        )

    system.billing.record_consumption(
        [
            *(month(p, r, 5) for p in props[:3] for r in (202610, 202611)),
            month(props[3], 202611, 5),  # only the last month
            month(props[3], 202610, None),
            *(month(props[4], r, 9) for r in (202610, 202611)),  # another anomaly
            month(props[5], 202612, 5),  # the billing month itself: not billed
        ]
    )
    file = system.field_work.generate_inspection_file(
        command_id=command_id,
        anomaly_ids={5, 7},
        consecutive=2,
        billing_month=202612,
        actor=1,
    )
    assert file.order_count == 3
    with system.uow_factory() as uow:
        items = uow.field_file_items.find_by(file_id=file.id)
    assert {i.order_id for i in items} == {link.order_id for link in links[:3]}
    with pytest.raises(gsan_core.RuleViolation) as none:
        system.field_work.generate_inspection_file(
            command_id=command_id, anomaly_ids={8}, billing_month=202612, actor=1
        )
    assert none.value.violations[0].gsan_key == "atencao.pesquisa.nenhumresultado"


def test_insp_02_the_billing_months_counted_back() -> None:
    assert months_before(202602, 3) == (202601, 202512, 202511)
    assert months_before(202612, 0) == (202611,)


def test_insp_01_02_refused_for_a_closed_command_or_orders_no_longer_pending(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    progress = system.field_work.command_progress(command_id=command_id)
    assert progress.pending == 12
    with system.uow_factory() as uow:
        some = uow.selective_orders.find_by(command_id=command_id)[0].order_id
    system.service_orders.close_not_executed(
        order_id=some,
        reason_id=NOT_EXECUTED,
        closed_on=system.clock.now().date(),
        actor=1,
    )
    with pytest.raises(gsan_core.RuleViolation) as not_pending:
        system.field_work.generate_inspection_file(command_id=command_id, actor=1)
    assert not_pending.value.violations[0].gsan_key == (
        "atencao.nao_e_possivel_gerar_txt_comando"
    )
    system.field_work.close_selective_command(
        command_id=command_id, reason_id=NOT_EXECUTED, actor=1
    )
    with pytest.raises(gsan_core.RuleViolation) as closed:
        system.field_work.generate_inspection_file(command_id=command_id, actor=1)
    assert closed.value.violations[0].gsan_key == "atencao.comando.ja_encerrado"


# ------------------------------------------------------- caema's visit files
def test_insp_04_05_a_visit_file_takes_at_most_200_pending_orders(
    system: gsan_core.System,
) -> None:
    generate(system, properties=600, seed=4)
    with system.uow_factory() as uow:
        localities = sorted({p.locality_id for p in uow.properties.find_by()})
    command = system.field_work.create_selective_command(
        description="VISITA",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(
            locality_first=localities[0], locality_last=localities[-1]
        ),
        actor=1,
        max_orders=230,
    )
    system.field_work.emit_selective_orders(command_id=command.id, actor=1)
    file = system.field_work.generate_visit_file(command_id=command.id, actor=1)
    assert file.kind is FileKind.FIELD_VISIT
    assert file.order_count == 200  # INSP-04 (GSAN would store 230)
    rows = system.field_work.visit_file_orders(file_id=file.id)
    assert [r.sequence for r in rows] == list(range(1, 201))
    # the next file of the command takes the orders not in an open file
    following = system.field_work.generate_visit_file(command_id=command.id, actor=1)
    assert following.order_count == 30
    taken = {r.order_id for r in rows}
    assert not taken & {
        r.order_id for r in system.field_work.visit_file_orders(file_id=following.id)
    }
    for chosen in ([], sorted(taken)[:3]):  # nothing, or only busy orders
        with pytest.raises(gsan_core.RuleViolation) as nothing:
            system.field_work.generate_visit_file(order_ids=chosen, actor=1)
        assert nothing.value.violations[0].rule == "INSP-05"


def test_insp_06_the_visit_layout_never_carries_credentials(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    anomaly = system.catalog.add(
        "reading_anomaly", description="HIDROMETRO PARADO", abbreviation="HPAR", actor=1
    )
    with system.uow_factory() as uow:
        link = min(
            uow.selective_orders.find_by(command_id=command_id),
            key=lambda link: link.order_id,
        )
    system.accounts.load_reference(
        power_spheres=[PowerSphere(id=1, description="PARTICULAR")],
        customer_types=[
            CustomerType(
                id=1,
                description="PESSOA FISICA",
                person_kind=PersonKind.INDIVIDUAL,
                power_sphere_id=1,
            )
        ],
    )
    ana = system.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document="529.982.247-25"
    )
    system.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=link.property_id,
        relation=RelationType.USER,
        start=system.clock.now().date() - timedelta(days=30),
    )
    file_id, lines = _visit_in_field(system, command_id)
    assert f"08|{link.order_id}|||ANA|52998224725|||||||" in lines  # its user
    assert lines[0] == f"00|{file_id}|"
    agent = [line for line in lines if line.startswith("07|")]
    assert agent == [f"07|{AGENT}||||"]  # id; login, password, IMEI left empty
    assert any(line.startswith("02|") for line in lines)  # street pavements
    assert f"01|{anomaly.id}|HIDROMETRO PARADO|HPAR|" in lines  # reading anomalies
    assert any(line.startswith("04|") for line in lines)  # service types
    assert "05|1|SECRETARIA DE SEGURANCA|SSP|" in lines  # RG issuers (INSP-06)
    assert "06|25|SAO PAULO|SP|" in lines  # federal units (INSP-06)
    visits = [line.split("|") for line in lines if line.startswith("09|")]
    clients = [line for line in lines if line.startswith("08|")]
    assert len(visits) == len(clients) == 12
    assert [int(v[4]) for v in visits] == list(range(1, 13))
    assert all(v[3] == system.clock.now().strftime("%d/%m/%Y") for v in visits)
    assert all("null" not in line for line in lines)
    assert (
        system.field_work.field_file(file_id=file_id).situation
        is FileSituation.IN_FIELD
    )


def test_insp_07_the_visit_return_is_staged_idempotently_with_positions_kept(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file_id, lines = _visit_in_field(system, command_id)
    orders = _orders_of(lines)
    data = _visit_return(file_id, orders[:2])
    report = system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    )
    assert report.ok, report.errors
    assert report.staged == 6
    again = system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    )
    assert (again.staged, again.discarded) == (0, 6)
    with system.uow_factory() as uow:
        staged = uow.return_lines.find_by(file_id=file_id, order_id=orders[0])
    by_record = {line.record: line.fields for line in staged}
    # " " is empty and positions never shift; the order id is staged first
    assert by_record[1] == (str(orders[0]), "", "1", "5", "HIDROMETRO PARADO", "")
    assert by_record[2][0] == str(orders[0])
    assert by_record[2][1] == "JOSE DA SILVA"
    assert by_record[2][7:9] == ("98", "32221111")
    assert by_record[3] == (str(orders[0]), str(ACTION))
    assert (
        system.field_work.field_file(file_id=file_id).situation
        is FileSituation.TRANSMITTED
    )


def test_insp_07_bad_visit_lines_are_reported_and_nothing_is_staged(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file_id, lines = _visit_in_field(system, command_id)
    orders = _orders_of(lines)
    data = (
        f"00|{file_id}|\n"
        f"01|{orders[0]}| | | |OK| |\n"
        "07|1|2|\n"
        f"03|X|{orders[0]}|\n"
        f"03|{ACTION}|\n"
        f"01|999999999| | | |OK| |\n"
    ).encode("iso-8859-1")
    report = system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    )
    assert [(e.line, e.code) for e in report.errors] == [
        (3, "return.record_type"),
        (4, "return.number"),
        (5, "return.field_count"),
        (6, "return.unknown_order"),
    ]
    assert report.staged == 0
    with system.uow_factory() as uow:
        assert uow.return_lines.count_by(file_id=file_id) == 0


def test_insp_07_a_visit_return_in_the_wrong_encoding_is_reported(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file_id, lines = _visit_in_field(system, command_id)
    order = _orders_of(lines)[0]
    data = f"00|{file_id}|\n01|{order}| | | |HIDRÔMETRO| |\n".encode()
    report = system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    )
    assert [(e.line, e.code) for e in report.errors] == [(2, "return.encoding")]
    assert report.staged == 0


def test_insp_08_09_10_processing_a_visit_keeps_actions_and_closes_the_visit(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file_id, lines = _visit_in_field(system, command_id)
    orders = _orders_of(lines)
    system.field_work.process_field_return(
        file_id=file_id, source=_visit_return(file_id, orders[:3]), actor=1
    )
    rows = {r.order_id: r for r in system.field_work.visit_file_orders(file_id=file_id)}
    assert rows[orders[0]].can_update
    assert rows[orders[0]].received_at is not None
    assert not rows[orders[5]].can_update  # INSP-10: no return yet
    with pytest.raises(gsan_core.RuleViolation) as unproposed:
        system.field_work.process_visit(
            file_id=file_id, order_id=orders[0], actions=[310], actor=1
        )
    assert unproposed.value.violations[0].rule == "INSP-08"
    event = system.field_work.process_visit(
        file_id=file_id, order_id=orders[0], actions=[ACTION], actor=1
    )
    assert isinstance(event, VisitProcessed)
    assert (event.anomaly_id, event.anomaly_text) == (5, "HIDROMETRO PARADO")
    assert (event.street_pavement_id, event.sidewalk_pavement_id) == (None, 1)
    (new_id,) = event.generated_order_ids
    new = system.service_orders.get(new_id)
    visit = system.service_orders.get(orders[0])
    assert new.service_type_id == ACTION
    assert new.reference_order_id == visit.id
    assert new.property_id == visit.property_id
    assert new.situation is OrderSituation.PENDING
    assert visit.situation is OrderSituation.CLOSED
    assert visit.closing_reason_id == 2  # INSP-09: CONCLUSAO DO SERVICO
    # processed (conferida), closed, nothing left to update (INSP-10)
    row = {r.order_id: r for r in system.field_work.visit_file_orders(file_id=file_id)}[
        orders[0]
    ]
    assert (row.pending, row.checked, row.can_update) == (False, True, False)
    with pytest.raises(gsan_core.RuleViolation) as twice:
        system.field_work.process_visit(file_id=file_id, order_id=orders[0], actor=1)
    assert twice.value.violations[0].code == "field_work.visit.not_returned"
    # INSP-08 (3): without an action the visit is closed and checked
    event = system.field_work.process_visit(
        file_id=file_id, order_id=orders[1], actor=1
    )
    assert event.generated_order_ids == ()
    assert event.declined_service_type_ids == (ACTION,)
    applied = system.field_work.process_visits(
        file_id=file_id, actor=1, keep_actions=True
    )
    assert (applied.closed, applied.failed) == ((orders[2],), ())
    with pytest.raises(gsan_core.RuleViolation):
        system.field_work.apply_field_returns(file_id=file_id, actor=1)


def test_insp_08_a_failing_close_writes_nothing(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file_id, lines = _visit_in_field(system, command_id)
    orders = _orders_of(lines)
    system.field_work.process_field_return(
        file_id=file_id, source=_visit_return(file_id, orders[:1]), actor=1
    )
    system.clock.advance(timedelta(days=1))
    system.service_orders.close_not_executed(
        order_id=orders[0],
        reason_id=NOT_EXECUTED,
        closed_on=system.clock.now().date(),
        actor=1,
    )
    with pytest.raises(gsan_core.GsanError):
        system.field_work.process_visit(
            file_id=file_id, order_id=orders[0], actions=[ACTION], actor=1
        )
    with system.uow_factory() as uow:
        assert not uow.service_orders.find_by(reference_order_id=orders[0])
        assert not any(
            line.applied
            for line in uow.return_lines.find_by(file_id=file_id, order_id=orders[0])
        )


def test_insp_08_a_visit_changed_after_its_file_was_read_fails_alone(
    emitted: tuple[gsan_core.System, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``process_visits`` reads the file's staged lines once, before each
    order's own unit of work: a visit processed by another user in between
    (its lines applied, its order closed) fails that order alone, and writes
    nothing of it: its closing, which re-reads the order under its lock,
    refuses the closed order (on every backend, before the lines'
    compare-and-set update, which comes last as a file's returns do); the
    others close."""
    system, command_id = emitted
    file_id, lines = _visit_in_field(system, command_id)
    orders = _orders_of(lines)[:3]
    system.field_work.process_field_return(
        file_id=file_id, source=_visit_return(file_id, orders), actor=1
    )
    fw = system.field_work
    real = fw._work
    meanwhile: list[int] = []

    def work(**kwargs: bool) -> object:
        if kwargs.get("defer") and not meanwhile:
            # the first order's unit of work is about to open: another user
            # processes that visit first, without its action
            meanwhile.append(orders[0])
            fw.process_visit(file_id=file_id, order_id=orders[0], actor=2)
        return real(**kwargs)

    monkeypatch.setattr(fw, "_work", work)
    applied = fw.process_visits(file_id=file_id, actor=1, keep_actions=True)
    assert meanwhile == [orders[0]]
    assert applied.closed == (orders[1], orders[2])
    ((failed, code, _),) = applied.failed
    assert (failed, code) == (orders[0], "service_order.situation_not_allowed")
    with system.uow_factory() as uow:
        # the late run generated no action order for the visit processed
        # meanwhile (the other user kept none); the others have theirs
        assert not uow.service_orders.find_by(reference_order_id=orders[0])
        for order_id in orders[1:]:
            assert len(uow.service_orders.find_by(reference_order_id=order_id)) == 1
    assert system.service_orders.get(orders[0]).situation is OrderSituation.CLOSED


# -------------------------------------------------------- measurement visits
def test_vis_01_a_micrometering_file_carries_the_agents_available_meters(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file = system.field_work.generate_field_file(
        kind=FileKind.MICROMETERING, command_id=command_id, actor=1
    )
    system.field_work.release_field_file(file_id=file.id, agent_id=AGENT, actor=1)
    with pytest.raises(gsan_core.RuleViolation) as none:
        system.field_work.download_field_file(
            file_id=file.id, out=io.BytesIO(), actor=1
        )
    assert none.value.violations[0].gsan_key == (
        "atencao.arquivo_txt_nao_ex_hidrometros_agente"
    )
    location = system.catalog.get("hydrometer_stock_location", 2)
    system.catalog.update(
        "hydrometer_stock_location",
        2,
        expected_version=location.version,
        attributes={"agent_id": AGENT},
        actor=1,
    )
    system.hydrometers.insert_range(
        fixed="B24A", first=1, last=3, attributes=METER, location_id=2, actor=1
    )
    system.hydrometers.insert_range(
        fixed="B24A", first=4, last=5, attributes=METER, location_id=1, actor=1
    )
    out = io.BytesIO()
    system.field_work.download_field_file(file_id=file.id, out=out, actor=1)
    lines = out.getvalue().decode("iso-8859-1").splitlines()
    meters = [line.split("|") for line in lines if line.startswith("18|")]
    assert [m[3] for m in meters] == ["B24A000001", "B24A000002", "B24A000003"]
    assert all(m[5] == "2" for m in meters)
    assert any(line.startswith("19|") for line in lines)
    assert any(line.startswith("20|2|") for line in lines)
    first_meter = lines.index(next(line for line in lines if line.startswith("18|")))
    assert all(not line.startswith("16|") for line in lines[first_meter:])


def test_vis_02_closing_a_measurement_visit_with_its_return_reason(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    reason = system.catalog.add(
        "measurement_return_reason",
        description="LEITURA CONFIRMADA",
        abbreviation="LCONF",
        actor=1,
    )
    with system.uow_factory() as uow:
        orders = [
            link.order_id
            for link in uow.selective_orders.find_by(command_id=command_id)
        ]
    with pytest.raises(gsan_core.RuleViolation) as refused:
        system.field_work.close_measurement_visit(
            order_id=orders[0],
            return_reason_id=999,
            closing_reason_id=2,
            penalise=True,
            actor=1,
        )
    assert {v.code for v in refused.value.violations} == {
        "field_work.measurement.return_reason_unknown",
        "field_work.measurement.penalty_needs_reading",
    }
    event = system.field_work.close_measurement_visit(
        order_id=orders[0],
        return_reason_id=reason.id,
        closing_reason_id=2,
        penalise=True,
        reading=1234,
        anomaly_id=5,
        actor=1,
    )
    assert isinstance(event, MeasurementVisitClosed)
    closed = system.service_orders.get(orders[0])
    assert closed.situation is OrderSituation.CLOSED
    assert closed.closing_reason_id == 2
    assert "LEITURA CONFIRMADA" in (closed.closing_remark or "")
    assert "1234" in (closed.closing_remark or "")
