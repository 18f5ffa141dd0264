"""The pure repaving rules (``gsan_core.rules.repaving``) at their edges."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs

from gsan_core.errors import Violation
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork
from gsan_core.rules import repaving as rules

DAY = date(2025, 1, 6)
WORK = RepavingWork(
    id=1,
    order_id=10,
    property_id=5,
    unit_id=50,
    closed_on=DAY,
    street_pavement_id=1,
    street_area=Decimal(10),
    opened_at=datetime(2025, 1, 6, tzinfo=UTC),
    actor=1,
)


def _codes(found: list[Violation]) -> list[str]:
    return [v.code for v in found]


def _return(work: RepavingWork, on: date, **areas: Decimal | None) -> list[str]:
    return _codes(
        rules.check_return(
            work,
            user_unit_id=50,
            authorised=False,
            returned_on=on,
            street_area=areas.get("street"),
            sidewalk_area=areas.get("sidewalk"),
            percentage=Decimal(0),
            today=date(2025, 1, 20),
        )
    )


def test_enc_16_an_area_is_required() -> None:
    """ENC-16: at least one area, each positive."""
    found = rules.check_open(
        street_area=None, sidewalk_area=None, unit_id=50, repaving_unit=True
    )
    assert _codes(found) == ["repaving.area_not_positive"]


def test_pav_02_dates_against_the_return_and_the_refusal() -> None:
    """PAV-02: not after today; after a refusal not before it; after a return
    not before it; an area with nothing sent must be zero."""
    assert _return(WORK, date(2025, 1, 21)) == ["repaving.executed_in_future"]
    refused = attrs.evolve(
        WORK, acceptance=RepavingAcceptance.REFUSED, accepted_on=date(2025, 1, 10)
    )
    assert _return(refused, date(2025, 1, 8)) == ["repaving.executed_before_refusal"]
    assert _return(refused, date(2025, 1, 10)) == []
    returned = attrs.evolve(WORK, returned_on=date(2025, 1, 9))
    assert _return(returned, date(2025, 1, 8)) == ["repaving.executed_before_return"]
    assert _return(WORK, DAY, sidewalk=Decimal(0)) == []
    assert _return(WORK, DAY, sidewalk=Decimal(1)) == ["repaving.area_invalid"]


def test_pav_03_convergence_edges() -> None:
    """PAV-03: only returned, undecided works of the same street pavement; no
    street area on either side converges only with none on the other."""
    back = attrs.evolve(
        WORK,
        returned_on=DAY,
        returned_street_pavement_id=1,
        returned_street_area=Decimal("10.4"),
    )
    assert rules.converges(back, percentage=Decimal(5))
    assert not rules.converges(WORK, percentage=Decimal(5))
    accepted = attrs.evolve(back, acceptance=RepavingAcceptance.ACCEPTED)
    assert not rules.converges(accepted, percentage=Decimal(5))
    other = attrs.evolve(back, returned_street_pavement_id=2)
    assert not rules.converges(other, percentage=Decimal(5))
    none_sent = attrs.evolve(back, street_area=None)
    assert not rules.converges(none_sent, percentage=Decimal(5))
    assert rules.converges(
        attrs.evolve(none_sent, returned_street_area=None), percentage=Decimal(5)
    )


def test_pav_04_05_acceptance_and_rejection_edges() -> None:
    """PAV-04: an authorised user of another unit may accept; PAV-05: a work
    without a return cannot be rejected."""
    back = attrs.evolve(WORK, returned_on=DAY)
    assert (
        rules.check_acceptance(
            [back], on=DAY, today=DAY, user_unit_id=7, authorised=True
        )
        == []
    )
    assert _codes(rules.check_rejection(WORK, on=DAY, today=DAY)) == [
        "repaving.not_returned"
    ]
