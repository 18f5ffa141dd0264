"""INSP-07: a field-visit return line without its final terminator."""

from __future__ import annotations

from gsan_core.rules import field_visits as rules
from gsan_core.rules.field_files import ParsedLine


def test_a_line_without_the_final_bar_keeps_its_last_field() -> None:
    closed = rules.parse_visit_line("01|10| |3| |PARADO|7|", 1)
    open_ended = rules.parse_visit_line("01|10| |3| |PARADO|7", 1)
    assert isinstance(open_ended, ParsedLine), open_ended
    assert isinstance(closed, ParsedLine), closed
    assert open_ended.fields == ("10", "", "3", "", "PARADO", "7")
    assert open_ended.fields == closed.fields
    assert open_ended.order_id == 10
