"""Manter Registro de Atendimento (UC0408) as a whole, on memory, SQLite and
PostgreSQL: the specification, the attendance unit, the requesters, the
observation and the deadline of an open request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.service_requests import (
    OperationalOccurrence,
    RequestChange,
    Requester,
    RequestLocation,
    ServiceRequestUpdated,
    SimplifiedKind,
)
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    RequestUtility,
    build_request_utility,
    request_profile,
)

from .test_service_requests import open_, prop_id, tick


@pytest.fixture
def gsan(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    return make_system(request_profile())


@pytest.fixture
def utility(gsan: gsan_core.System) -> RequestUtility:
    return build_request_utility(gsan)


def test_upd_08_09_a_new_specification_recomputes_the_deadline_and_opens_its_order(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """UPD-09: a new specification recomputes both deadlines from the attendance
    date; UPD-08: its service type generates the automatic order."""
    opened = open_(gsan, utility, 311)
    assert opened.order is None
    assert opened.request.original_due_date == date(2025, 1, 13)
    steps = gsan.service_requests.history(opened.request.id)
    tick(clock)
    changed = gsan.service_requests.update(
        request_id=opened.request.id,
        specification_id=679,
        actor=utility.attendant,
        expected_version=opened.request.version,
    )
    assert changed.specification_id == 679
    # Monday 2025-01-06 + 1 business day
    assert changed.original_due_date == changed.current_due_date == date(2025, 1, 7)
    assert changed.version == opened.request.version + 1
    assert gsan.service_requests.get(changed.id) == changed
    orders = gsan.service_orders.find_by(request_id=changed.id)
    assert [o.service_type_id for o in orders] == [679]
    assert orders[0].current_unit_id == changed.current_unit_id
    # no routing step: the current unit stays
    assert gsan.service_requests.history(changed.id) == steps
    updated = [e for e in gsan.events if isinstance(e, ServiceRequestUpdated)]
    assert [(e.request_id, e.fields) for e in updated] == [
        (changed.id, ("specification",))
    ]


def test_upd_09_attendance_unit_requesters_observation_and_typed_deadline(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """UPD-09: a new attendance unit replaces the opening one (the current unit
    stays, no step); the deadline typed overwrites both deadlines; requesters and
    observation are replaced."""
    opened = open_(gsan, utility, 311)
    bia = (Requester(name="BIA", address="RUA 2", phone="81999990000"),)
    changed = gsan.service_requests.update(
        request_id=opened.request.id,
        unit_id=utility.office,
        requesters=bia,
        observation="CLIENTE PEDE RETORNO",
        due_date=date(2025, 1, 20),
        actor=utility.attendant,
    )
    assert changed.opening_unit_id == utility.office
    assert changed.current_unit_id == opened.request.current_unit_id
    assert changed.requesters == bia
    assert changed.observation == "CLIENTE PEDE RETORNO"
    assert changed.original_due_date == changed.current_due_date == date(2025, 1, 20)
    assert len(gsan.service_requests.history(changed.id)) == 1


def test_upd_09_refusals_write_nothing(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """UPD-09: a deadline before the attendance day, an attendance unit that may
    not open requests (INS-04), no requester where the specification needs one
    (INS-18) and an empty form are refused, with nothing written."""
    opened = open_(gsan, utility, 311)
    before = gsan.service_requests.get(opened.request.id)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.update(
            request_id=before.id,
            unit_id=utility.contractor,
            requesters=(),
            due_date=date(2025, 1, 1),
            actor=utility.attendant,
        )
    assert sorted(v.rule for v in refused.value.violations) == [
        "INS-04",
        "INS-18",
        "UPD-09",
    ]
    assert {v.code for v in refused.value.violations} >= {
        "service_request.update.due_before_attendance"
    }
    with pytest.raises(RuleViolation) as empty:
        gsan.service_requests.update(request_id=before.id, actor=utility.attendant)
    assert empty.value.code == "service_request.update.nothing_to_change"
    assert gsan.service_requests.get(before.id) == before


def test_upd_03_a_closed_request_cannot_be_edited(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """UPD-03: editing a closed RA is refused with GSAN's key."""
    opened = open_(gsan, utility, 311)
    tick(clock)
    gsan.service_requests.close(
        request_id=opened.request.id, reason_id=4, actor=utility.attendant
    )
    closed = gsan.service_requests.get(opened.request.id)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.update(
            request_id=closed.id, observation="TARDE DEMAIS", actor=utility.attendant
        )
    assert refused.value.code == "service_request.update.closed"
    assert (
        refused.value.violations[0].gsan_key == "atencao.registro_atendimento_situacao"
    )
    assert refused.value.violations[0].rule == "UPD-03"
    assert gsan.service_requests.get(closed.id) == closed


def test_upd_06_a_new_specification_is_checked_for_duplicates(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """UPD-06: changing to a specification already pending on the property is
    refused as INS-09; the command form does the same as the keywords."""
    open_(gsan, utility, 3)
    other = open_(gsan, utility, 311)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_requests.execute_change(
            request_id=other.request.id,
            change=RequestChange(specification_id=3),
            actor=utility.attendant,
        )
    assert [v.rule for v in refused.value.violations] == ["INS-09"]
    moved = gsan.service_requests.execute_change(
        request_id=other.request.id,
        change=RequestChange(
            location=RequestLocation(property_id=prop_id(utility, 2)),
            specification_id=3,
        ),
        actor=utility.attendant,
    )
    assert (moved.specification_id, moved.property_id) == (3, prop_id(utility, 2))


# ================================================================= occurrences
def test_simp_03_an_occurrence_is_edited_and_removed_unless_a_request_uses_it(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """SIMP-03, Manter Ocorrência Operacional: an open occurrence is edited (the
    registry's rules again, not against itself; a stale read refused), removed
    when no request refers to it (``atencao.dependencias.existentes``
    otherwise); a concluded one does not change."""
    registry = gsan.service_requests
    base = OperationalOccurrence(
        id=0,
        type_id=1,
        reason_id=2,
        municipality_id=101,
        locality_id=1,
        description="ROMPIMENTO DA ADUTORA",
        occurred_at=clock.now(),
    )
    outage = registry.register_occurrence(base, actor=utility.attendant)
    other = registry.register_occurrence(
        attrs.evolve(base, locality_id=2), actor=utility.attendant
    )
    edited = registry.update_occurrence(
        attrs.evolve(outage, description="ROMPIMENTO DA ADUTORA PRINCIPAL"),
        actor=utility.attendant,
    )
    assert (edited.description, edited.version) == (
        "ROMPIMENTO DA ADUTORA PRINCIPAL",
        2,
    )
    with pytest.raises(RuleViolation) as duplicate:
        registry.update_occurrence(
            attrs.evolve(other, locality_id=1), actor=utility.attendant
        )
    assert duplicate.value.code == "service_request.occurrence.exists"
    with pytest.raises(RuleViolation) as stale:
        registry.update_occurrence(
            attrs.evolve(outage, description="X"), actor=utility.attendant
        )
    assert stale.value.violations[0].gsan_key == "atencao.atualizacao.timestamp"
    registry.open_simplified(
        kind=SimplifiedKind.OPERATIONAL,
        name="JOSE",
        occurrence_id=outage.id,
        actor=utility.attendant,
    )
    with pytest.raises(RuleViolation) as used:
        registry.remove_occurrence(occurrence_id=outage.id, actor=utility.attendant)
    assert used.value.violations[0].gsan_key == "atencao.dependencias.existentes"
    removed = registry.remove_occurrence(
        occurrence_id=other.id, actor=utility.attendant, expected_version=1
    )
    assert removed == other
    assert [o.id for o in registry.open_occurrences()] == [outage.id]
    tick(clock)
    concluded = registry.conclude_occurrence(
        occurrence_id=outage.id, actor=utility.attendant
    )
    with pytest.raises(RuleViolation) as closed:
        registry.update_occurrence(
            attrs.evolve(concluded, description="Y"), actor=utility.attendant
        )
    assert closed.value.code == "service_request.occurrence.concluded"
