"""Field-device files and their returns (TXT, RET, R1536), on every backend."""

from __future__ import annotations

import io
from datetime import timedelta

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.field_files import FileKind, FileSituation
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.model.service_orders import OrderSituation
from gsan_core.rules.field_work import consumption_since
from gsan_core.services.field_work.files import AVERAGE_MONTHS
from gsan_core.synthetic import generate
from gsan_core.testing.clocks import FixedClock
from tests.field_commands import INSPECTION, emitted_inspections

EXECUTED = 2  # CONCLUSAO DO SERVICO
NOT_EXECUTED = 4


@pytest.fixture
def emitted(system: gsan_core.System) -> tuple[gsan_core.System, int]:
    generate(system, properties=300, seed=9)
    return system, emitted_inspections(system, max_orders=12)


def _file(system: gsan_core.System, command_id: int) -> int:
    return system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, command_id=command_id, actor=1
    ).id


def _ready(system: gsan_core.System, command_id: int) -> tuple[int, list[int]]:
    """A file in the field, with its orders in file order."""
    file_id = _file(system, command_id)
    system.field_work.release_field_file(file_id=file_id, agent_id=77, actor=1)
    out = io.BytesIO()
    system.field_work.download_field_file(file_id=file_id, out=out, actor=1)
    orders = [
        int(line.split("|")[1])
        for line in out.getvalue().decode("iso-8859-1").splitlines()
        if line.startswith("16|")
    ]
    return file_id, orders


def _return(file_id: int, lines: list[str], flag: int = 4) -> bytes:
    return ("\n".join([f"0|{file_id}|{flag}|", *lines]) + "\n").encode("iso-8859-1")


def _executed(order_id: int, when: str, reason: int = EXECUTED) -> str:
    return f"1|{order_id}|1|{reason}|{when}|SERVIÇO OK|{INSPECTION}|"


def test_sel_05_txt_02_05_insp_03_a_file_carries_the_commands_pending_orders_in_place_order(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, command_id=command_id, actor=1
    )
    assert file.situation is FileSituation.AVAILABLE
    assert file.order_count == 12
    lines = list(system.field_work.field_file_lines(file_id=file.id))
    assert lines[0] == f"00|{file.id}|\n"
    records = [line.split("|") for line in lines if line.startswith("16|")]
    assert [int(r[3]) for r in records] == list(range(1, 13))  # sequence
    assert all(len(r) == 33 for r in records)  # type, 31 fields, terminator
    assert all("null" not in line for line in lines)
    inspection = list(
        system.field_work.field_file_lines(file_id=file.id, layout="inspection")
    )
    assert len(inspection) == 12
    assert all(line.count(";") == 31 for line in inspection)


def test_txt_uc1484_record_16_the_average_consumption_of_the_last_6_months(
    emitted: tuple[gsan_core.System, int], clock: FixedClock
) -> None:
    """Record 16's last field: the property's water history of the current
    reference month and the five before it, averaged and rounded down
    (``FieldFileQueries.average_consumptions``, one read a page); empty for a
    property without history in the window, never ``null``."""
    system, command_id = emitted
    file_id = _file(system, command_id)
    records = [
        line.split("|")
        for line in system.field_work.field_file_lines(file_id=file_id)
        if line.startswith("16|")
    ]
    first, other = int(records[0][6]), int(records[1][6])  # their properties
    today = clock.now().date()
    inside = consumption_since(today, AVERAGE_MONTHS)
    before = consumption_since(today, AVERAGE_MONTHS + 1)
    with system.uow_factory() as uow:
        uow.seeding.record_consumption(
            ConsumptionRecord(
                property_id=pid,
                reference=reference,
                consumption_type_id=1,
                billed_volume=volume,
            )
            for pid, reference, volume in (
                (first, before, 90),  # out of the window
                (first, inside, 10),
                (first, int(today.strftime("%Y%m")), 13),
                (other, before, 50),
            )
        )
        uow.commit()
    again = [
        line.split("|")
        for line in system.field_work.field_file_lines(file_id=file_id)
        if line.startswith("16|")
    ]
    assert again[0][31] == "11"  # (10 + 13) // 2
    assert again[1][31] == ""
    assert [r[:31] for r in again] == [r[:31] for r in records]


def test_txt_uc1484_record_16_economies_and_principal_category(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """Record 16's fields 8 and 9 (GSAN's ``quantidadeEconomiasCategoriaPrincipal``
    and ``dsCategoriaPrincipal``): the economies of the property's principal
    category (``Property.main_category``: the most economies, the first on a
    tie) and that category's description, from the page's one joined read;
    the address (4) and the last reading (21) stay empty, never ``null``."""
    system, command_id = emitted
    file_id = _file(system, command_id)
    records = [
        line.split("|")
        for line in system.field_work.field_file_lines(file_id=file_id)
        if line.startswith("16|")
    ]
    with system.uow_factory() as uow:
        props = uow.properties.get_many([int(r[6]) for r in records])
        names = {c.id: c.description for c in uow.catalog.list("category")}
    expected = []
    for r in records:
        main = props[int(r[6])].main_category
        assert main is not None  # the synthetic utility gives each one
        expected.append((str(main.count), names[main.category_id]))
    assert [(r[8], r[9]) for r in records] == expected
    assert all(r[9] for r in records)  # every category has its description
    assert {(r[4], r[21]) for r in records} == {("", "")}


def test_txt_03_04_06_what_a_file_refuses(
    emitted: tuple[gsan_core.System, int], make_system
) -> None:  # type: ignore[no-untyped-def]
    system, command_id = emitted
    _file(system, command_id)
    with pytest.raises(gsan_core.RuleViolation) as again:
        _file(system, command_id)
    assert again.value.violations[0].rule == "TXT-06"
    with pytest.raises(gsan_core.RuleViolation) as none:
        system.field_work.generate_field_file(
            kind=FileKind.COLLECTION, order_ids=[], actor=1
        )
    assert none.value.violations[0].gsan_key == "atencao.nenhuma_os_selecionada"


def test_txt_04_the_cap_per_file() -> None:
    loaded = profiles.default()
    profile = attrs.evolve(
        loaded.profile,
        field_work=attrs.evolve(loaded.profile.field_work, max_orders_per_file=3),
    )
    system = gsan_core.in_memory(attrs.evolve(loaded, profile=profile))
    generate(system, properties=60, seed=2)
    first = min(p.locality_id for p in system.properties.find_by())
    made = system.field_work.create_selective_command(
        description="X",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(locality_first=first, locality_last=first),
        actor=1,
    )
    system.field_work.emit_selective_orders(command_id=made.id, actor=1)
    with pytest.raises(gsan_core.RuleViolation) as raised:
        _file(system, made.id)
    assert raised.value.violations[0].rule == "TXT-04"


def test_txt_07_08_09_release_download_finish(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file_id = _file(system, command_id)
    with pytest.raises(gsan_core.RuleViolation):  # not released yet
        system.field_work.download_field_file(
            file_id=file_id, out=io.BytesIO(), actor=1
        )
    with pytest.raises(gsan_core.RuleViolation):  # never in the field
        system.field_work.finish_field_file(file_id=file_id, actor=1)
    released = system.field_work.release_field_file(
        file_id=file_id, agent_id=5, actor=1
    )
    assert released.situation is FileSituation.RELEASED
    with pytest.raises(gsan_core.RuleViolation) as twice:
        system.field_work.release_field_file(file_id=file_id, agent_id=5, actor=1)
    assert twice.value.violations[0].gsan_key == "atencao.arquivo_txt_liberado"
    out = io.BytesIO()
    sent = system.field_work.download_field_file(file_id=file_id, out=out, actor=1)
    assert sent.situation is FileSituation.IN_FIELD
    assert out.getvalue()
    with pytest.raises(gsan_core.RuleViolation) as again:
        system.field_work.download_field_file(
            file_id=file_id, out=io.BytesIO(), actor=1
        )
    assert again.value.violations[0].gsan_key == "atencao.arquivo_ja_baixado"
    done = system.field_work.finish_field_file(file_id=file_id, actor=1)
    assert done.situation is FileSituation.FINISHED_BY_USER
    with pytest.raises(gsan_core.RuleViolation):
        system.field_work.finish_field_file(file_id=file_id, actor=1)


def test_txt_07_an_agent_holds_one_open_file(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, _command_id = emitted
    orders = [o.id for o in system.service_orders.find_by(service_type_id=INSPECTION)]
    one = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, order_ids=orders[:3], actor=1
    )
    two = system.field_work.generate_field_file(
        kind=FileKind.COLLECTION, order_ids=orders[3:6], actor=1
    )
    system.field_work.release_field_file(file_id=one.id, agent_id=9, actor=1)
    with pytest.raises(gsan_core.RuleViolation) as busy:
        system.field_work.release_field_file(file_id=two.id, agent_id=9, actor=1)
    assert (
        busy.value.violations[0].gsan_key
        == "atencao.arquivo_txt_leiturista_nao_liberado"
    )


def test_ret_01_02_03_04_a_return_is_staged_once_and_closes_its_orders(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """RET-01 staging and idempotence, RET-02 the header's flag, RET-03/04
    consolidation through the closing path, RET-07 lines marked applied."""
    system, command_id = emitted
    file_id, orders = _ready(system, command_id)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    data = _return(
        file_id,
        [
            _executed(orders[0], when),
            _executed(orders[1], when, reason=NOT_EXECUTED),
            f"2|{orders[0]}|JOSÉ|52998224725|||||81|5555|",  # empty last field: accepted
        ],
    )
    report = system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    )
    assert report.ok
    assert (report.staged, report.discarded) == (3, 0)
    assert (
        system.field_work.field_file(file_id=file_id).situation
        is FileSituation.TRANSMITTED
    )
    again = system.field_work.process_field_return(
        file_id=file_id, source=io.BytesIO(data), actor=1
    )
    assert (again.staged, again.discarded) == (0, 3)
    assert system.service_orders.get(orders[0]).situation is OrderSituation.PENDING
    applied = system.field_work.apply_field_returns(file_id=file_id, actor=1)
    assert applied.failed == ()
    assert set(applied.closed) == {orders[0], orders[1]}
    closed = system.service_orders.get(orders[0])
    assert closed.situation is OrderSituation.CLOSED
    assert closed.closing_reason_id == EXECUTED
    assert system.service_orders.get(orders[1]).closing_reason_id == NOT_EXECUTED
    assert system.field_work.apply_field_returns(file_id=file_id, actor=1).closed == ()
    rows = system.field_work.field_file_report()
    row = next(r for r in rows if r.file_id == file_id)
    assert (row.executed, row.not_executed, row.pending) == (1, 1, 10)


def test_ret_08_a_late_return_fails_alone(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """RET-08: the closing-date window of a selective order (ENC-10) applies:
    an old execution fails, reported, and the other order closes."""
    system, command_id = emitted
    file_id, orders = _ready(system, command_id)
    now = system.clock.now()
    old = (now - timedelta(days=400)).strftime("%d/%m/%Y %H:%M:%S")
    data = _return(
        file_id,
        [
            _executed(orders[0], old),
            _executed(orders[1], now.strftime("%d/%m/%Y %H:%M:%S")),
        ],
    )
    assert system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    ).ok
    applied = system.field_work.apply_field_returns(file_id=file_id, actor=1)
    assert applied.closed == (orders[1],)
    assert [f[0] for f in applied.failed] == [orders[0]]
    assert system.service_orders.get(orders[0]).situation is OrderSituation.PENDING


def test_ret_08_an_order_closed_after_the_file_was_read_fails_alone(
    emitted: tuple[gsan_core.System, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``apply_field_returns`` reads the file's staged lines once, before
    each order's own unit of work: an order another user closes in between
    fails alone (the closing re-reads it under its lock) and keeps that
    user's closing and its return line unapplied; the other order closes."""
    system, command_id = emitted
    file_id, orders = _ready(system, command_id)
    system.clock.advance(timedelta(days=1))
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    data = _return(file_id, [_executed(orders[0], when), _executed(orders[1], when)])
    assert system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    ).ok
    fw = system.field_work
    real = fw._work
    meanwhile: list[int] = []

    def work(**kwargs: bool) -> object:
        if kwargs.get("defer") and not meanwhile:
            meanwhile.append(orders[0])
            system.service_orders.close_not_executed(
                order_id=orders[0],
                reason_id=NOT_EXECUTED,
                closed_on=system.clock.now().date(),
                actor=1,
            )
        return real(**kwargs)

    monkeypatch.setattr(fw, "_work", work)
    applied = fw.apply_field_returns(file_id=file_id, actor=1)
    assert meanwhile == [orders[0]]
    assert applied.closed == (orders[1],)
    assert [f[0] for f in applied.failed] == [orders[0]]
    assert system.service_orders.get(orders[0]).closing_reason_id == NOT_EXECUTED
    assert system.service_orders.get(orders[1]).closing_reason_id == EXECUTED
    with system.uow_factory() as uow:
        assert not any(
            line.applied
            for line in uow.return_lines.find_by(file_id=file_id, order_id=orders[0])
        )


def test_ret_bad_lines_are_reported_and_nothing_is_staged(
    emitted: tuple[gsan_core.System, int],
) -> None:
    system, command_id = emitted
    file_id, orders = _ready(system, command_id)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    lines = [
        _executed(orders[0], when),
        "X|1|2|",  # wrong record type
        f"1|{orders[1]}|1|2|",  # wrong field count
        f"1|{orders[2]}|1|2|31/02/2025 10:00:00|OK|350|",  # bad date
        _executed(999_999_999, when),  # unknown order
        _executed(orders[0], when),  # duplicated line
        f"3|{orders[3]}|1|1||",  # no record 1 for the order
    ]
    report = system.field_work.process_field_return(
        file_id=file_id, source=_return(file_id, lines), actor=1
    )
    assert not report.ok
    assert report.staged == 0
    assert [(e.line, e.code) for e in report.errors] == [
        (3, "return.record_type"),
        (4, "return.field_count"),
        (5, "return.date"),
        (6, "return.unknown_order"),
        (7, "return.duplicate_line"),
        (8, "return.no_execution"),
    ]
    with system.uow_factory() as uow:
        assert uow.return_lines.find_by(file_id=file_id) == []


def test_ret_file_level_errors(emitted: tuple[gsan_core.System, int]) -> None:
    system, command_id = emitted
    file_id, orders = _ready(system, command_id)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    headless = (_executed(orders[0], when) + "\n").encode("iso-8859-1")
    assert (
        system.field_work.process_field_return(
            file_id=file_id, source=headless, actor=1
        )
        .errors[0]
        .code
        == "return.header"
    )
    other = _return(file_id + 1000, [_executed(orders[0], when)])
    assert (
        system.field_work.process_field_return(file_id=file_id, source=other, actor=1)
        .errors[0]
        .code
        == "return.wrong_file"
    )
    utf8 = (
        _return(file_id, [_executed(orders[0], when)])
        .decode("iso-8859-1")
        .encode("utf-8")
    )
    codes = {
        e.code
        for e in system.field_work.process_field_return(
            file_id=file_id, source=utf8, actor=1
        ).errors
    }
    assert codes == {"return.encoding"}
    huge = _return(file_id, ["1|" + "9" * 70_000 + "|"])
    report = system.field_work.process_field_return(
        file_id=file_id, source=huge, actor=1
    )
    assert [e.code for e in report.errors] == ["return.line_too_long"]


def test_ret_line_by_line_profile_stages_the_good_lines() -> None:
    loaded = profiles.default()
    profile = attrs.evolve(
        loaded.profile,
        field_work=attrs.evolve(loaded.profile.field_work, returns_line_by_line=True),
    )
    system = gsan_core.in_memory(attrs.evolve(loaded, profile=profile))
    generate(system, properties=60, seed=2)
    first = min(p.locality_id for p in system.properties.find_by())
    made = system.field_work.create_selective_command(
        description="X",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(locality_first=first, locality_last=first),
        actor=1,
        max_orders=4,
    )
    system.field_work.emit_selective_orders(command_id=made.id, actor=1)
    file_id, orders = _ready(system, made.id)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    report = system.field_work.process_field_return(
        file_id=file_id,
        source=_return(file_id, [_executed(orders[0], when), "X|1|"]),
        actor=1,
    )
    assert not report.ok
    assert report.staged == 1


def test_ret_05_a_returned_cut_runs_the_cut_operation(system: gsan_core.System) -> None:
    """RET-05: record 3's cut data run the cut of a cut order closed with
    execution, in the same unit of work as the close."""
    generate(system, properties=200, seed=4)
    with system.uow_factory() as uow:
        connected = sorted(
            p.id for p in uow.properties.find_by(water_status_id=3) if p.active
        )
    made = system.field_work.create_selective_command(
        description="CORTE",
        service_type_id=242,
        criteria=SelectiveCriteria(property_id=connected[0]),
        actor=1,
    )
    assert (
        system.field_work.emit_selective_orders(command_id=made.id, actor=1).generated
        == 1
    )
    file_id, orders = _ready(system, made.id)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    data = _return(
        file_id,
        [
            f"1|{orders[0]}|1|{EXECUTED}|{when}|CORTADO|242|",
            f"3|{orders[0]}|1|1|123|456|",
        ],
    )
    assert system.field_work.process_field_return(
        file_id=file_id, source=data, actor=1
    ).ok
    applied = system.field_work.apply_field_returns(file_id=file_id, actor=1)
    assert applied.failed == ()
    assert applied.closed == (orders[0],)
    order = system.service_orders.get(orders[0])
    assert order.commercial_applied
    assert system.properties.get(connected[0]).water_status_id != 3


def test_ret_a_runaway_return_stops_with_a_file_error(
    emitted: tuple[gsan_core.System, int],
) -> None:
    """A return with more lines than its file's orders can have (a wrong or
    runaway file, a 1 GB upload) stops at the bound: memory stays bounded."""
    system, command_id = emitted
    file_id, orders = _ready(system, command_id)
    lines = [f"6|{orders[0]}|{n}|" for n in range(1, 30 * len(orders) + 50)]
    report = system.field_work.process_field_return(
        file_id=file_id, source=_return(file_id, lines), actor=1
    )
    assert report.staged == 0
    assert report.errors[-1].code == "return.too_many_lines"
    assert report.lines < len(lines)


def _one_order_file(
    system: gsan_core.System, service_type_id: int, property_id: int
) -> tuple[int, int]:
    made = system.field_work.create_selective_command(
        description="RETORNO",
        service_type_id=service_type_id,
        criteria=SelectiveCriteria(property_id=property_id),
        actor=1,
    )
    assert (
        system.field_work.emit_selective_orders(command_id=made.id, actor=1).generated
        == 1
    )
    file_id, orders = _ready(system, made.id)
    return file_id, orders[0]


def _apply(
    system: gsan_core.System, file_id: int, lines: list[str]
) -> tuple[tuple[int, ...], tuple[tuple[int, str, str], ...]]:
    assert system.field_work.process_field_return(
        file_id=file_id, source=_return(file_id, lines), actor=1
    ).ok
    applied = system.field_work.apply_field_returns(file_id=file_id, actor=1)
    return applied.closed, applied.failed


def _connected(system: gsan_core.System, metered: bool = False) -> list[int]:
    with system.uow_factory() as uow:
        with_meter = {
            i.property_id
            for i in uow.hydrometer_installations.find_by()
            if i.removed_on is None
        }
        return sorted(
            p.id
            for p in uow.properties.find_by(water_status_id=3)
            if p.active and (p.id in with_meter) == metered
        )


@pytest.mark.parametrize(("suppression_type", "status"), [(1, 6), (2, 8)])
def test_ret_05_record_4_a_returned_suppression_runs_the_suppression(
    system: gsan_core.System, suppression_type: int, status: int
) -> None:
    """RET-05, record 4: a suppression order closed with execution runs the
    suppression from the staged motive, type, reading and seal; the type says
    total or partial (SUPRIMIDO / SUP. PARC. PEDIDO)."""
    generate(system, properties=200, seed=4)
    system.units.grant(user_id=1, permission_id=79, actor=0)  # V-SU8
    target = _connected(system)[0]
    file_id, order_id = _one_order_file(system, 245, target)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    closed, failed = _apply(
        system,
        file_id,
        [
            f"1|{order_id}|1|{EXECUTED}|{when}|SUPRIMIDO|245|",
            f"4|{order_id}|1|{suppression_type}|321|654||",
        ],
    )
    assert (closed, failed) == ((order_id,), ())
    assert system.service_orders.get(order_id).commercial_applied
    with system.uow_factory() as uow:
        assert uow.properties.get(target).water_status_id == status
        water = uow.water_connections.get(target)
    assert (water.suppression_type_id, water.suppression_seal) == (
        suppression_type,
        654,
    )
    # RET-01/RET-07: applied once; a second apply has nothing left to do
    again = system.field_work.apply_field_returns(file_id=file_id, actor=1)
    assert (again.closed, again.failed) == ((), ())


def test_ret_05_record_8_a_returned_removal_relocates_the_meter(
    system: gsan_core.System,
) -> None:
    """RET-05, record 8: the place, protection and stand of a meter-relocation
    order's return run the relocation (GSAN's "remoção" runs remanejamento)."""
    generate(system, properties=200, seed=4)
    target = _connected(system, metered=True)[0]
    file_id, order_id = _one_order_file(system, 308, target)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    closed, failed = _apply(
        system,
        file_id,
        [
            f"1|{order_id}|1|{EXECUTED}|{when}|REMANEJADO|308|",
            f"8|{order_id}|3|9|1|",
        ],
    )
    assert (closed, failed) == ((order_id,), ())
    current = system.hydrometers.current_installation(property_id=target)
    assert current is not None
    assert (current.place_id, current.protection_id, current.stand) == (3, 9, True)


def test_ret_05_an_operation_without_its_record_or_refused_closes_nothing(
    system: gsan_core.System,
) -> None:
    """RET-05: an executed suppression with no record 4 is reported with the
    "data required" code, a suppression the operation refuses (V-SU8: no
    permission 79 for a motive other than the customer's) with the
    operation's code; neither order is closed, its lines stay to apply."""
    generate(system, properties=200, seed=4)
    first, second = _connected(system)[:2]
    file_a, order_a = _one_order_file(system, 245, first)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    closed, failed = _apply(
        system, file_a, [f"1|{order_a}|1|{EXECUTED}|{when}|SUPRIMIDO|245|"]
    )
    assert closed == ()
    assert [f[:2] for f in failed] == [
        (order_a, "service_order.commercial.data_required")
    ]
    file_b, order_b = _one_order_file(system, 245, second)
    closed, failed = _apply(
        system,
        file_b,
        [
            f"1|{order_b}|1|{EXECUTED}|{when}|SUPRIMIDO|245|",
            f"4|{order_b}|1|1||||",
        ],
    )
    assert closed == ()
    assert [f[:2] for f in failed] == [
        (order_b, "connection.water.suppress.permission_required")
    ]
    for order_id, prop in ((order_a, first), (order_b, second)):
        assert (
            system.service_orders.get(order_id).situation is not OrderSituation.CLOSED
        )
        assert system.properties.get(prop).water_status_id == 3
    with system.uow_factory() as uow:
        waiting = uow.return_lines.find_by(file_id=file_b, applied=False)
    assert len(waiting) == 2
