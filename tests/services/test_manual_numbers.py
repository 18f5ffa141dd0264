"""Manual request numbers are contiguous (UC0494, NUM-01..NUM-05), on memory,
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.service_requests import Requester, RequestLocation
from gsan_core.rules.service_requests import check_digit
from gsan_core.services.service_requests.registry import generate_manual_numbers_in
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    RequestUtility,
    build_request_utility,
    request_profile,
)


@pytest.fixture
def gsan(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    return make_system(request_profile())


@pytest.fixture
def utility(gsan: gsan_core.System) -> RequestUtility:
    return build_request_utility(gsan)


def numbers(
    gsan: gsan_core.System, utility: RequestUtility, quantity: int
) -> tuple[int, int]:
    block, printed = gsan.service_requests.generate_manual_numbers(
        unit_id=utility.call_centre, quantity=quantity, actor=utility.admin
    )
    assert len(printed) == quantity
    return block.first_number, block.last_number


def test_num_03_blocks_follow_each_other_without_gaps(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """NUM-03: the numbers are ``ultimoRAManual + 1 ... + quantity``: 90 then 30
    numbers are 1-90 then 91-120 (the id-block allocator gave 101-130), and a
    refused request (NUM-01, more than 90) takes none."""
    assert numbers(gsan, utility, 90) == (1, 90)
    assert numbers(gsan, utility, 30) == (91, 120)
    with pytest.raises(RuleViolation) as refused:
        numbers(gsan, utility, 91)
    assert refused.value.violations[0].rule == "NUM-01"
    assert numbers(gsan, utility, 5) == (121, 125)


def test_num_03_a_generation_rolled_back_gives_its_numbers_back(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """NUM-03: the counter moves in the generation's own transaction."""
    assert numbers(gsan, utility, 10) == (1, 10)
    with gsan.uow_factory() as uow:  # generated, never committed
        block, _ = generate_manual_numbers_in(
            uow,
            gsan.service_orders._ctx,
            unit_id=utility.call_centre,
            quantity=20,
            actor=utility.admin,
            at=gsan.clock.now(),
        )
        assert (block.first_number, block.last_number) == (11, 30)
    assert numbers(gsan, utility, 20) == (11, 30)


def test_num_05_only_issued_numbers_are_accepted(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """NUM-05: a number above the last one issued is refused; every number of
    the second block (91-100 used to be skipped yet accepted) is issued."""
    numbers(gsan, utility, 90)
    numbers(gsan, utility, 30)

    def opening(number: int) -> gsan_core.services.service_requests.OpeningResult:
        return gsan.service_requests.open(
            specification_id=3,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
            location=RequestLocation(property_id=utility.town.properties[0].id),
            requesters=(Requester(name="ANA", address="RUA 1"),),
            manual_number=f"{number}{check_digit(number)}",
        )

    assert opening(95).request.manual_number == int(f"95{check_digit(95)}")
    with pytest.raises(RuleViolation) as beyond:
        opening(121)
    assert beyond.value.code == "service_request.manual.not_issued"
