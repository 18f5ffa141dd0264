"""``benchmarks.id_ranges``: every figure and repeat of a run writes ids of
its own (issue 20: every command in one run), above the library's."""

from __future__ import annotations

import itertools
import os

import pytest
from benchmarks import commands, id_ranges, scale

from gsan_core.adapters.sqlalchemy import SqlBackend


def test_two_figures_ranges_never_overlap() -> None:
    first = id_ranges.take("open_request")
    second = id_ranges.take("compose_messages", span=50)
    again = id_ranges.take("open_request")  # the next repeat
    ranges = [first, second, again]
    assert all(r.start >= id_ranges.FIRST for r in ranges)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(ranges, 2))
    assert id_ranges.TAKEN[-3:] == ranges
    assert not any(a.overlaps(b) for a, b in itertools.combinations(id_ranges.TAKEN, 2))
    ids = [next(first) for _ in range(3)]
    assert ids == [first.start, first.start + 1, first.start + 2]
    assert second.block(50) == second.start


def test_a_range_refuses_an_id_past_its_end() -> None:
    ids = id_ranges.take("tiny", span=3)
    assert ids.block(2) == ids.start
    assert next(ids) == ids.start + 2
    with pytest.raises(id_ranges.RangeExhausted, match="tiny: 1 ids asked, 0 left"):
        next(ids)
    with pytest.raises(ValueError, match="a range of 0 ids"):
        id_ranges.take("empty", span=0)


def test_module_counters_take_fresh_ranges_as_they_go() -> None:
    stream = id_ranges.stream("works", span=2)
    blocks = id_ranges.blocks("trail", span=10)
    got = [next(stream), next(stream), next(blocks), next(stream)]
    works, trail, more = id_ranges.TAKEN[-3:]
    assert [(r.name, r.stop - r.start) for r in (works, trail, more)] == [
        ("works", 2),
        ("trail", 10),
        ("works", 2),
    ]
    # the first range of works spent, the next id comes from a new one
    assert got == [works.start, works.start + 1, trail.start, more.start]


def test_the_library_ids_stay_below_the_ranges(sql_backend: SqlBackend) -> None:
    id_ranges.check_below(sql_backend)  # an empty database
    sql_backend.reserve_ids("service_request", floor=id_ranges.FIRST - 2)
    id_ranges.check_below(sql_backend)
    sql_backend.reserve_ids("service_request", floor=id_ranges.FIRST - 1)
    with pytest.raises(RuntimeError, match="could meet"):
        id_ranges.check_below(sql_backend)


#: Properties of the utility of the one-run test (two localities).
SIZE = 5_000
#: Commands whose lean versions and set-ups took ids from the same fixed
#: offsets (9e9 + 5e6: the opening, the change of situation, the composition's
#: requests; + 6e6: the refund, the connection, the dispatch; + 7e6: the
#: statement, the meter; + 9e6: the meter range, the certificate; + 40e6:
#: the reactivation, the application of returns).
COLLIDED = (
    "open_request",
    "change_situation",
    "compose_messages",
    "refund",
    "connect_water",
    "dispatch_messages",
    "debt_statement",
    "insert_meter",
    "insert_range",
    "customer_certificate",
    "reactivate",
    "apply_return",
)


@pytest.mark.postgres
def test_commands_that_shared_ids_run_in_one_run() -> None:
    """A small run of commands that collided (DuplicateEntity) in one run,
    two repeats each."""
    from benchmarks import seeded  # noqa: PLC0415

    url = os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("GSAN_CORE_TEST_POSTGRES_URL is not set")
    try:
        figures = commands.measure(SIZE, 2, 2, url, only=COLLIDED)
    finally:
        seeded.drop_template(SIZE, seed=scale.SEED, tag="scale", url=url)
    assert len(figures) == len(COLLIDED)
    assert all(f["ratio"] > 0 and f["repeats"] == 2 for f in figures)
