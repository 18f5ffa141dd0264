"""The pure rules of the inspection and visit files (INSP) and of the
measurement visits (VIS)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from gsan_core.model.field_files import LineError
from gsan_core.rules import field_visits as rules
from gsan_core.rules.field_files import ParsedLine


def _parsed(text: str) -> ParsedLine:
    parsed = rules.parse_visit_line(text, 1)
    assert isinstance(parsed, ParsedLine), parsed
    return parsed


def test_insp_01_the_archive_name_has_the_command_the_date_and_the_time() -> None:
    at = datetime(2026, 12, 6, 8, 5, 9, tzinfo=UTC)
    assert (
        rules.inspection_file_name(42, at)
        == "OS_INSPECAO_ANORMALIDADE4206_12_2026080509"
    )


def test_insp_07_a_space_is_empty_and_positions_never_shift() -> None:
    """GSAN's StringTokenizer skips empty fields, so a device must send a space;
    here both an empty field and a space are empty, in their place."""
    spaced = _parsed("01|10| |3| |PARADO| |")
    empty = _parsed("01|10||3||PARADO||")
    assert spaced.fields == empty.fields == ("10", "", "3", "", "PARADO", "")
    assert spaced.digest == empty.digest
    assert spaced.order_id == 10


def test_insp_07_the_order_id_is_staged_first() -> None:
    client = _parsed("02|ANA| | | | | |98|3222| |77|")
    assert client.order_id == 77
    assert client.fields[:2] == ("77", "ANA")
    action = _parsed("03|304|77|")
    assert action.fields == ("77", "304")


def test_insp_07_the_header_and_bad_lines() -> None:
    assert _parsed("00|5|").fields == ("5", "4")  # transmitted when left out
    assert _parsed("00|5|6|").fields == ("5", "6")
    bad = {
        "04|1|": "return.record_type",
        "XX|1|": "return.record_type",
        "03|304|": "return.field_count",
        "01|A| | | | | |": "return.number",
        "02|ANA| | | | | |98|3222| |": "return.field_count",
    }
    for text, code in bad.items():
        problem = rules.parse_visit_line(text, 3)
        assert isinstance(problem, LineError), text
        assert (problem.line, problem.code) == (3, code), text


def test_insp_08_only_the_proposed_actions_can_be_kept() -> None:
    assert rules.check_visit_actions(1, ticked=[304], proposed=[304, 310]) == []
    (problem,) = rules.check_visit_actions(1, ticked=[304, 999], proposed=[304])
    assert problem.params["service_type_ids"] == [999]


def test_vis_01_the_agents_meters_are_checked_before_the_download() -> None:
    assert rules.check_agent_meters(7, count=0, limit=None)[0].rule == "VIS-01"
    assert rules.check_agent_meters(7, count=3, limit=None) == []
    (over,) = rules.check_agent_meters(7, count=3, limit=2)
    assert over.gsan_key == "atencao.arquivo_txt_existem_mais_hidr_limite"


def test_vis_02_a_measurement_visit_of_another_type_is_refused() -> None:
    found = rules.check_measurement_visit(
        order_id=1,
        service_type_id=350,
        visit_type_ids={500},
        reason_in_use=True,
        reason_id=1,
        penalise=False,
        reading=None,
        anomaly_id=None,
    )
    assert [v.code for v in found] == ["field_work.measurement.not_a_visit"]


_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="|\r\n", blacklist_categories=["Cs"]),
    max_size=12,
)


@given(
    order=st.integers(min_value=1, max_value=10**12),
    name=_TEXT,
    phone=st.sampled_from(["", " ", "32221111"]),
    extension=st.sampled_from(["", " ", "12"]),
)
def test_insp_07_positions_never_shift_whatever_is_empty(
    order: int, name: str, phone: str, extension: str
) -> None:
    text = f"02|{name}| | | | | |98|{phone}|{extension}|{order}|"
    parsed = _parsed(text)
    assert parsed.order_id == order
    assert parsed.fields == (
        str(order),
        name.strip(),
        "",
        "",
        "",
        "",
        "",
        "98",
        phone.strip(),
        extension.strip(),
    )
