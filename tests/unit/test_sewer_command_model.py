"""The sewer-connection command (ESG) as a value."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gsan_core.model.sewer_commands import SewerCommand

AT = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


NAIVE = datetime(2026, 12, 6, 8, 0)  # noqa: DTZ001


def test_its_creation_time_must_be_aware() -> None:
    with pytest.raises(ValueError, match="created_at must be an aware datetime"):
        SewerCommand(
            id=1,
            description="ESGOTO",
            service_type_id=621,
            created_by=1,
            created_at=NAIVE,
        )


def test_its_execution_and_finishing_times_must_be_aware() -> None:
    with pytest.raises(ValueError, match="executed_at must be an aware datetime"):
        SewerCommand(
            id=1,
            description="ESGOTO",
            service_type_id=621,
            created_by=1,
            created_at=AT,
            executed_at=NAIVE,
        )
    with pytest.raises(ValueError, match="finished_at must be an aware datetime"):
        SewerCommand(
            id=1,
            description="ESGOTO",
            service_type_id=621,
            created_by=1,
            created_at=AT,
            finished_at=NAIVE,
        )


def test_it_shows_its_description_type_and_orders() -> None:
    command = SewerCommand(
        id=4,
        description="ESGOTO",
        service_type_id=621,
        created_at=AT,
        created_by=1,
        generated=12,
    )
    assert repr(command) == (
        "<SewerCommand 4 description=ESGOTO service_type_id=621 generated=12>"
    )
