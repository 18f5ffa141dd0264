"""``benchmarks.commands``: the median of the repeats, their spread, the ratio."""

from __future__ import annotations

import time
from typing import Any

import pytest
from benchmarks import commands, scale_commands


def test_the_figure_is_the_median_of_the_repeats_with_its_spread() -> None:
    def step(repeat: int) -> dict[str, Any]:
        library, baseline = [(3.0, 1.0), (9.0, 2.0), (4.0, 4.0)][repeat]
        return {"name": "close", "size": 10, "library": library, "baseline": baseline}

    figure = commands._repeat(step, 3)
    assert (figure["library"], figure["baseline"]) == (4.0, 2.0)
    assert figure["library_spread"] == (3.0, 9.0)
    assert figure["baseline_spread"] == (1.0, 4.0)
    assert figure["ratio"] == 2.0
    assert "close" in commands.render([figure])


def test_only_selects_known_commands(capsys: Any) -> None:
    from benchmarks import (  # noqa: PLC0415
        lean_bulletins,
        lean_desk2,
        lean_documents,
        lean_download,
        lean_inform,
        lean_inform_notice,
        lean_more,
        lean_notices,
        lean_orders,
        lean_repaving,
        lean_requests,
        lean_sewer,
    )

    assert set(lean_orders.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_requests.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_sewer.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_documents.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_desk2.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_more.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_download.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_notices.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_inform_notice.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_repaving.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_inform.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_bulletins.COMMANDS) <= set(commands.COMMANDS)
    assert commands.main(["--only", "nope", "--postgres-url", "postgresql://x"]) == 2
    assert "unknown commands: nope" in capsys.readouterr().err


def test_interleaved_counts_a_single_round_and_refuses_no_rows() -> None:
    calls: list[tuple[str, int]] = []
    library, lean = scale_commands.interleaved(
        lambda n: calls.append(("library", n)), lambda n: calls.append(("lean", n)), 3
    )
    assert calls == [("library", n) for n in range(3)] + [("lean", n) for n in range(3)]
    assert library >= 0
    assert lean >= 0
    with pytest.raises(ValueError, match="nothing to measure"):
        scale_commands.interleaved(lambda n: None, lambda n: None, 0)


def test_prepared_times_the_calls_and_not_their_set_up() -> None:
    """Each side's round is set up before it (the library's first), the set-up
    untimed: a set-up sleeping 50 ms a round leaves calls of about nothing."""
    made: list[tuple[int, range]] = []
    calls: list[tuple[str, str]] = []

    def prepare(side: int, round_: range) -> list[str]:
        made.append((side, round_))
        time.sleep(0.05)
        return [f"{side}:{n}" for n in round_]

    library, lean = scale_commands.prepared(
        lambda row: calls.append(("library", row)),
        lambda row: calls.append(("lean", row)),
        prepare,
        3,
        per_round=1,
    )
    assert made == [(side, range(n, n + 1)) for n in range(3) for side in (0, 1)]
    assert calls == [
        (name, f"{side}:{n}")
        for n in range(3)
        for side, name in enumerate(("library", "lean"))
    ]
    # the first round warms and is dropped: two calls a side measured, each
    # well under the 50 ms of its set-up
    assert 0 <= library < 0.01
    assert 0 <= lean < 0.01


def test_prepared_refuses_a_set_up_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="made 0 arguments for 2 calls"):
        scale_commands.prepared(
            lambda row: None, lambda row: None, lambda side, calls: [], 2
        )
    with pytest.raises(ValueError, match="at least one call"):
        scale_commands.prepared(
            lambda row: None, lambda row: None, lambda side, calls: [], 2, per_round=0
        )
