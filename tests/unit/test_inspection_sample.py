"""UC1176's seeded sample: the pure rank and size every backend reproduces."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gsan_core.model.inspections import ClosedOrderFilter, ClosedOrderScope
from gsan_core.rules.inspections import (
    SAMPLE_MIXER,
    SAMPLE_MODULUS,
    SAMPLE_MULTIPLIER,
    sample_rank,
    sample_size,
)


def test_uc1176_sample_size_rounds_half_down() -> None:
    """UC1176: 50 % of 3 is 1, 50 % of 5 is 2, 10 % of 50,000 is 5,000."""
    assert sample_size(3, 50) == 1
    assert sample_size(5, 50) == 2
    assert sample_size(1, 51) == 1
    assert sample_size(50_000, 10) == 5_000
    assert sample_size(7, 0) == 0
    assert sample_size(7, 100) == 7


def test_uc1176_sample_rank_products_fit_a_bigint() -> None:
    """UC1176: every intermediate product of the rank stays below 2**63, so
    PostgreSQL's and SQLite's 64-bit integers compute it exactly."""
    top = SAMPLE_MODULUS - 1
    assert top * SAMPLE_MULTIPLIER + top < 2**63
    assert top * top < 2**63
    assert top * SAMPLE_MIXER + top < 2**63


@given(
    seed=st.integers(min_value=-(2**62), max_value=2**62),
    order_id=st.integers(min_value=1, max_value=2**62),
)
def test_uc1176_sample_rank_is_in_range(seed: int, order_id: int) -> None:
    """UC1176: the rank is in ``[0, 2**31 - 1)`` for any seed and id."""
    assert 0 <= sample_rank(seed, order_id) < SAMPLE_MODULUS


def test_uc1176_sample_rank_spreads_consecutive_ids() -> None:
    """UC1176: a 10 % sample of 50,000 consecutive even ids is spread over the
    whole range (not the lowest ids), and another seed draws another one."""
    ids = range(2, 100_002, 2)

    def draw(seed: int) -> list[int]:
        return sorted(sorted(ids, key=lambda i: (sample_rank(seed, i), i))[:5_000])

    chosen = draw(0)
    assert chosen[0] < 1_000
    assert chosen[-1] > 99_000
    quarters = [
        sum(1 for i in chosen if q * 25_000 < i <= (q + 1) * 25_000) for q in range(4)
    ]
    assert all(1_000 < n < 1_500 for n in quarters), quarters
    assert len(set(chosen) & set(draw(1))) < 1_000


def test_uc1176_the_candidates_scope_holds_sets_and_an_aware_instant() -> None:
    """UC1176: the scope every candidate query of the batch starts from keeps
    its ids as sets and refuses a naive instant."""
    since = datetime(2025, 1, 6, tzinfo=UTC)
    scope = ClosedOrderScope(
        unit_ids=[60, 60, 61],
        closed_since=since,
        inspection_type_ids=(705,),
        filters=ClosedOrderFilter(locality_from=1),
    )
    assert (scope.unit_ids, scope.inspection_type_ids) == (
        frozenset({60, 61}),
        frozenset({705}),
    )
    assert scope.filters is not None
    assert scope.filters.by_locality
    with pytest.raises(ValueError, match="closed_since must be timezone-aware"):
        ClosedOrderScope(
            unit_ids=[60],
            closed_since=since.replace(tzinfo=None),
            inspection_type_ids=[705],
        )
