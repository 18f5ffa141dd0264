"""The pure rules and model of field work II (SEL, TXT, RET), edge by edge."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from gsan_core.model.field_files import (
    FieldFile,
    FileKind,
    FileSituation,
    LineError,
    ReturnReport,
)
from gsan_core.model.field_work import (
    SelectiveCommand,
    SelectiveCriteria,
    SelectiveDecision,
    SelectiveFact,
)
from gsan_core.model.profile import FieldWorkParameters
from gsan_core.model.service_orders import ServiceType
from gsan_core.rules import field_files, field_work

NOW = datetime(2025, 3, 3, 12, tzinfo=UTC)
NAIVE = datetime(2025, 3, 3, 12)  # noqa: DTZ001 - refused on purpose


def _file(situation: FileSituation) -> FieldFile:
    return FieldFile(
        id=1,
        kind=FileKind.COLLECTION,
        situation=situation,
        created_at=NOW,
        created_by=1,
    )


def _fact(**changes: object) -> SelectiveFact:
    fact = SelectiveFact(
        property_id=1,
        locality_id=1,
        water_status_id=3,
        sewer_status_id=1,
        profile_id=1,
        active=True,
        open_bills=0,
        emitted=False,
        has_open_order=False,
        unit_id=5,
    )
    return attrs.evolve(fact, **changes)


def test_the_models_refuse_naive_times_and_backward_ranges() -> None:
    with pytest.raises(ValueError, match="aware"):
        FieldFile(id=1, kind=FileKind.COLLECTION, created_at=NAIVE, created_by=1)
    with pytest.raises(ValueError, match="aware"):
        SelectiveCommand(
            id=1, description="X", service_type_id=350, created_at=NAIVE, created_by=1
        )
    with pytest.raises(ValueError, match="first bound"):
        SelectiveCriteria(locality_first=5, locality_last=2)
    with pytest.raises(ValueError, match="iso-8859-1"):
        FieldWorkParameters(file_encoding="cp1252")  # type: ignore[arg-type]


def test_the_models_show_themselves_briefly() -> None:
    file = _file(FileSituation.AVAILABLE)
    assert "order_count" in repr(file)
    command = SelectiveCommand(
        id=1, description="X", service_type_id=350, created_at=NOW, created_by=1
    )
    assert "emitted" in repr(command)
    report = ReturnReport(
        file_id=1,
        lines=2,
        staged=1,
        discarded=0,
        errors=[LineError(line=2, code="return.date", reason="bad")],
    )
    assert not report.ok
    assert "staged" in repr(report)
    assert "<" in report._repr_html_()


def test_sel_01_sel_04_the_rules_of_a_command() -> None:
    """SEL-01: an inactive type cannot be emitted; SEL-04: the decisions on
    the sewer situation and the profile."""
    kind = ServiceType(id=350, description="I", abbreviation="I", active=False)
    found = field_work.check_new_command(
        description="X", service_type=kind, criteria=SelectiveCriteria(property_id=1)
    )
    assert [v.rule for v in found] == ["SEL-01"]
    criteria = SelectiveCriteria(sewer_status_ids={2}, profile_ids={9})
    assert field_work.decide_selective(_fact(), criteria) is (
        SelectiveDecision.SEWER_SITUATION
    )
    assert field_work.decide_selective(_fact(sewer_status_id=2), criteria) is (
        SelectiveDecision.PROFILE
    )


def test_sel_04_the_measured_criteria_in_their_order() -> None:
    """SEL-04: debt amount, then average consumption, then consecutive
    anomalies, then the meter's installation period, then GEN-11."""
    criteria = SelectiveCriteria(
        min_debt_amount="50",
        consumption_first=10,
        consumption_last=20,
        consecutive_anomalies=2,
        meter_installed_first=date(2024, 1, 1),
        meter_installed_last=date(2024, 12, 31),
    )
    good = _fact(
        debt_total=Decimal(50),
        average_consumption=Decimal(15),
        anomaly_streak=2,
        meter_installed_on=date(2024, 6, 1),
    )
    decide = field_work.decide_selective
    assert decide(good, criteria) is SelectiveDecision.GENERATE
    cases = [
        ({"debt_total": Decimal("49.99")}, SelectiveDecision.DEBT_AMOUNT),
        ({"average_consumption": None}, SelectiveDecision.CONSUMPTION),
        ({"average_consumption": Decimal("9.9")}, SelectiveDecision.CONSUMPTION),
        ({"average_consumption": Decimal("20.1")}, SelectiveDecision.CONSUMPTION),
        ({"anomaly_streak": 1}, SelectiveDecision.ANOMALY),
        ({"meter_installed_on": None}, SelectiveDecision.METER),
        ({"meter_installed_on": date(2025, 1, 1)}, SelectiveDecision.METER),
        ({"has_open_order": True}, SelectiveDecision.OPEN_ORDER),
    ]
    for changes, expected in cases:
        assert decide(attrs.evolve(good, **changes), criteria) is expected
    assert decide(_fact(), SelectiveCriteria()) is SelectiveDecision.GENERATE
    with pytest.raises(ValueError, match="before its first bound"):
        SelectiveCriteria(consumption_first=5, consumption_last=4)
    with pytest.raises(ValueError, match="before its first bound"):
        SelectiveCriteria(block_first=5, block_last=4)
    assert field_work.consumption_since(date(2025, 3, 3), 6) == 202410
    assert field_work.consumption_since(date(2025, 1, 31), 1) == 202501
    assert field_work.consumption_since(date(2025, 1, 31), 13) == 202401


def test_txt_07_the_life_cycle_guards() -> None:
    finished = _file(FileSituation.TRANSMITTED)
    assert [
        v.code for v in field_files.check_release(finished, agent_id=1, other_open=None)
    ] == ["field_work.file.finished"]
    assert [
        v.code
        for v in field_files.check_release(
            _file(FileSituation.AVAILABLE), agent_id=None, other_open=None
        )
    ] == ["field_work.file.no_agent"]
    assert [v.code for v in field_files.check_download(finished)] == [
        "field_work.file.finished"
    ]


def test_txt_05_a_record_never_writes_null_nor_breaks_a_line() -> None:
    line = field_files.record("16", [1, None, "A|B\nC", True, NOW])
    assert line == "16|1||A B C|1|03/03/2025 12:00:00|\n"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1|5|1|2|03-03-2025 10:00:00|OK|350|", "return.date"),
        ("1|5|1|2|aa/03/2025 10:00:00|OK|350|", "return.date"),
        ("1|5|x|2|03/03/2025 10:00:00|OK|350|", "return.number"),
        ("2|5|ANA|52998224724|||||||", "return.document"),  # RET-06
        ("2|5|ACME||11222333000180||||||", "return.document"),
        ("2|5|ANA|||||||123456789012345678901|", "return.too_long"),
    ],
)
def test_ret_a_bad_field_is_reported_with_its_code(text: str, code: str) -> None:
    parsed = field_files.parse_return_line(text, 7)
    assert isinstance(parsed, LineError)
    assert (parsed.line, parsed.code) == (7, code)


def test_ret_06_a_good_client_record_is_kept_as_sent() -> None:
    """RET-06: record 2 with a valid CPF and an empty last field."""
    parsed = field_files.parse_return_line("2|5|ANA|529.982.247-25||||||98|3222|", 3)
    assert not isinstance(parsed, LineError)
    assert parsed.fields[2] == "529.982.247-25"


def test_ret_a_line_without_its_terminator_is_read_the_same() -> None:
    one = field_files.parse_return_line("5|9|1|", 1)
    two = field_files.parse_return_line("5|9|1", 2)
    assert not isinstance(one, LineError)
    assert not isinstance(two, LineError)
    assert one.digest == two.digest
    assert one.order_id == 9
