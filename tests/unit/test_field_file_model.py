"""The location filter of a field file: its final bounds never precede the
first ones (TXT-01/TXT-02)."""

from __future__ import annotations

import pytest

from gsan_core.model.field_files import FieldFileFilter


def test_a_final_sector_before_the_first_is_refused() -> None:
    with pytest.raises(ValueError, match=r"sector_last \(2\) is before"):
        FieldFileFilter(sector_first=5, sector_last=2)


def test_a_final_block_before_the_first_is_refused() -> None:
    with pytest.raises(ValueError, match=r"block_last \(1\) is before"):
        FieldFileFilter(block_first=3, block_last=1)


def test_equal_or_later_final_bounds_are_kept() -> None:
    found = FieldFileFilter(sector_first=5, sector_last=5, block_first=1, block_last=9)
    assert found.sectors == (5, 5)
    assert found.blocks == (1, 9)
