"""Programação de Abastecimento e Manutenção through ``gsan.service_desk``, on
memory, SQLite and PostgreSQL: windows, overlaps, copying, the "programmed
interruption now" query and the outage request's warning."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.service_desk import (
    MaintenanceSituation,
    ScheduleKind,
    SupplySchedule,
    SupplyScheduleChanged,
)
from gsan_core.model.service_requests import RequestLocation
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    RequestUtility,
    build_request_utility,
    request_profile,
)

from .test_service_requests import open_, prop_id

SUPPLY, MAINTENANCE = ScheduleKind.SUPPLY, ScheduleKind.MAINTENANCE
AREA, NEIGHBOURHOOD, MUNICIPALITY = 3, 4, 101


@pytest.fixture
def gsan(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    return make_system(request_profile())


@pytest.fixture
def utility(gsan: gsan_core.System) -> RequestUtility:
    return build_request_utility(gsan)


@contextmanager
def statements(gsan: gsan_core.System) -> Iterator[list[str]]:
    """The SQL statements run inside the block (none on memory)."""
    seen: list[str] = []
    engine = getattr(gsan.backend, "engine", None)

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    if engine is not None:
        sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        if engine is not None:
            sa.event.remove(engine, "before_cursor_execute", count)


def window(
    gsan: gsan_core.System,
    kind: ScheduleKind = SUPPLY,
    *,
    days: tuple[int, int] = (6, 6),
    hours: tuple[int, int] = (6, 18),
    **place: Any,
) -> SupplySchedule:
    where: dict[str, Any] = {"area_id": AREA, **place}
    extra: dict[str, Any] = {}
    if kind is MAINTENANCE:
        extra = {
            "description": "TROCA DE REGISTRO",
            "situation": MaintenanceSituation.OPEN,
        }
    return gsan.service_desk.schedule(
        kind=kind,
        municipality_id=MUNICIPALITY,
        starts_on=date(2025, 1, days[0]),
        ends_on=date(2025, 1, days[1]),
        start_time=time(hours[0]),
        end_time=time(hours[1]),
        actor=1,
        **where,
        **extra,
    )


def test_pam_01_02_windows_are_stored_changed_and_removed(
    gsan: gsan_core.System,
) -> None:
    """PAM-01: a place's month is a list of windows, added, changed and removed
    one by one; PAM-02: the month defaults to the first day's."""
    supply = window(gsan)
    assert (supply.reference, supply.version) == (202501, 1)
    moved = gsan.service_desk.update_schedule(
        attrs.evolve(supply, end_time=time(20)), actor=1
    )
    assert (moved.end_time, moved.version) == (time(20), 2)
    assert gsan.service_desk.schedules(reference=202501, area_id=AREA) == [moved]
    gsan.service_desk.remove_schedule(schedule_id=supply.id, actor=1)
    assert gsan.service_desk.schedules(reference=202501) == []
    changes = [e.change for e in gsan.events if isinstance(e, SupplyScheduleChanged)]
    assert changes == ["added", "changed", "removed"]


def test_pam_02_bad_windows_are_refused_with_nothing_written(
    gsan: gsan_core.System,
) -> None:
    """PAM-02: a window that ends before it starts, leaves its month, a
    maintenance without description or situation, no place below the
    municipality: refused, nothing written."""
    with pytest.raises(RuleViolation) as refused:
        gsan.service_desk.schedule(
            kind=MAINTENANCE,
            municipality_id=MUNICIPALITY,
            starts_on=date(2025, 1, 31),
            ends_on=date(2025, 2, 1),
            start_time=time(8),
            end_time=time(6),
            actor=1,
        )
    codes = sorted(v.code for v in refused.value.violations)
    assert codes == [
        "service_desk.schedule.outside_month",
        "service_desk.schedule.place_required",
        "service_desk.schedule.required",
        "service_desk.schedule.required",
    ]
    with pytest.raises(RuleViolation) as backwards:
        window(gsan, days=(6, 6), hours=(18, 6))
    assert backwards.value.code == "service_desk.schedule.end_before_start"
    assert gsan.service_desk.schedules() == []


def test_pam_03_05_overlaps_of_a_kind_are_refused_and_stale_writes_too(
    gsan: gsan_core.System,
) -> None:
    """PAM-03: a window whose start or end falls in one of its kind at the same
    place is refused with GSAN's key, and so (unlike GSAN) one that contains
    it; another kind or another place may overlap. PAM-05: a change from a
    stale read is refused."""
    first = window(gsan, days=(10, 12))
    with pytest.raises(RuleViolation) as refused:
        window(gsan, days=(12, 14))
    violation = refused.value.violations[0]
    assert (violation.rule, violation.gsan_key) == (
        "PAM-03",
        "atencao.ja_existe_programacao_no_periodo",
    )
    assert violation.message("pt") == (
        "Já existe programação de abastecimento para o período "
        "10/01/2025 06:00 a 12/01/2025 18:00."
    )
    with pytest.raises(RuleViolation):
        window(gsan, days=(9, 13))
    window(gsan, MAINTENANCE, days=(11, 11))
    window(gsan, days=(11, 11), area_id=AREA + 1)
    with pytest.raises(RuleViolation) as stale:
        gsan.service_desk.update_schedule(
            attrs.evolve(first, end_time=time(19)), actor=1, expected_version=7
        )
    assert stale.value.violations[0].gsan_key == "atencao.atualizacao.timestamp"


def test_pam_03_the_gsan_option_lets_a_containing_window_pass(
    make_system: Callable[..., gsan_core.System],
) -> None:
    """PAM-03 [QUIRK] reproduced on request (``schedule_overlap_as_gsan``)."""
    gsan = make_system(request_profile(schedule_overlap_as_gsan=True))
    window(gsan, days=(10, 12))
    contains = window(gsan, days=(9, 13))
    assert contains.starts_on == date(2025, 1, 9)


def test_pam_04_copy_the_supply_rotation_to_another_month(
    gsan: gsan_core.System,
) -> None:
    """PAM-04: "Copiar" moves the supply windows of a place's month to another
    place and month (a day the month lacks becomes its last); nothing to copy
    is refused with GSAN's key."""
    window(gsan, days=(6, 6))
    window(gsan, days=(31, 31))
    window(gsan, MAINTENANCE, days=(7, 7))
    source = gsan.service_desk.schedules(reference=202501, kind=SUPPLY)[0]
    target = attrs.evolve(source, reference=202502, area_id=AREA + 1)
    copies = gsan.service_desk.copy_supply(source=source, target=target, actor=1)
    assert [(c.starts_on, c.area_id, c.kind) for c in copies] == [
        (date(2025, 2, 6), AREA + 1, SUPPLY),
        (date(2025, 2, 28), AREA + 1, SUPPLY),
    ]
    empty = attrs.evolve(source, reference=202503)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_desk.copy_supply(source=empty, target=target, actor=1)
    assert refused.value.violations[0].gsan_key == (
        "atencao.ja_existe_programacao_abastecimento_na_area"
    )


def test_pam_06_the_property_in_a_programmed_interruption_now(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """PAM-06: an open maintenance window of the property's locality (or of
    the area given) covering the instant is a programmed interruption; one
    concluded is not; the hours run from the start instant to the end one."""
    home = prop_id(utility)
    assert gsan.service_desk.property_interruptions(property_id=home) == ()
    # now is 2025-01-06 09:00 in Belém
    works = window(gsan, MAINTENANCE, days=(5, 6), hours=(20, 10), locality_id=1)
    found = gsan.service_desk.property_interruptions(property_id=home)
    assert found == (works,)
    assert gsan.service_desk.interruptions(area_id=AREA) == (works,)
    assert gsan.service_desk.interruptions(area_id=AREA + 1) == ()
    late = datetime(2025, 1, 6, 14, 0, tzinfo=UTC)  # 11:00 local
    assert gsan.service_desk.property_interruptions(property_id=home, at=late) == ()
    gsan.service_desk.update_schedule(
        attrs.evolve(works, situation=MaintenanceSituation.CONCLUDED), actor=1
    )
    assert gsan.service_desk.property_interruptions(property_id=home) == ()


def test_pam_07_an_outage_request_warns_about_the_schedule(
    gsan: gsan_core.System, utility: RequestUtility
) -> None:
    """PAM-07: an outage request of an area on rotation with no supply window
    now is told so; with one, a maintenance window now is told; the request
    opens either way."""
    place = RequestLocation(
        property_id=prop_id(utility),
        area_id=AREA,
        municipality_id=MUNICIPALITY,
        neighbourhood_id=NEIGHBOURHOOD,
    )
    quiet = open_(gsan, utility, 684, location=place)
    assert quiet.warnings == ()
    window(gsan, days=(7, 7))  # the area is on rotation, but not today
    second = attrs.evolve(place, property_id=prop_id(utility, 1))
    told = open_(gsan, utility, 684, location=second)
    assert [(w.code, w.rule) for w in told.warnings] == [
        ("service_desk.schedule.no_supply", "PAM-07")
    ]
    assert told.warnings[0].message("pt") == (
        "Não há programação de abastecimento no dia 06/01/2025 para a Área de bairro 3."
    )
    window(gsan, days=(6, 6))
    window(gsan, MAINTENANCE, days=(6, 6), hours=(8, 12))
    third = attrs.evolve(place, property_id=prop_id(utility, 2))
    works = open_(gsan, utility, 684, location=third)
    assert [w.code for w in works.warnings] == ["service_desk.schedule.maintenance"]


def test_pam_07_gsan_warns_everywhere_without_a_supply_window(
    make_system: Callable[..., gsan_core.System],
) -> None:
    """PAM-07 as GSAN (``warn_unscheduled_supply``): also where the area keeps
    no rotation."""
    gsan = make_system(request_profile(warn_unscheduled_supply=True))
    utility = build_request_utility(gsan)
    opened = open_(
        gsan,
        utility,
        684,
        location=RequestLocation(
            property_id=prop_id(utility),
            area_id=AREA,
            municipality_id=MUNICIPALITY,
            neighbourhood_id=NEIGHBOURHOOD,
        ),
    )
    assert [w.code for w in opened.warnings] == ["service_desk.schedule.no_supply"]


def test_pam_08_the_calendar_pages_in_one_statement(gsan: gsan_core.System) -> None:
    """PAM-08: the month's windows of an area page by start, one statement a
    page whatever the page size."""
    for day in range(1, 21):
        window(gsan, days=(day, day), hours=(6, 7))
    with statements(gsan) as seen:
        first = gsan.service_desk.schedules(reference=202501, area_id=AREA, limit=8)
        rest = gsan.service_desk.schedules(
            reference=202501, area_id=AREA, limit=100, offset=8
        )
    assert [w.starts_on.day for w in first] == list(range(1, 9))
    assert [w.starts_on.day for w in rest] == list(range(9, 21))
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 2
    with pytest.raises(RuleViolation, match="1 to 500"):
        gsan.service_desk.schedules(limit=501)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_desk.schedules(limit=0)
    assert refused.value.code == "input.invalid.limit"


def test_pam_01_informar_saves_the_month_list_in_one_call(
    gsan: gsan_core.System,
) -> None:
    """PAM-01: "Informar" saves the whole list of a place's month: new windows
    added, edited ones replaced, those left out removed, all or nothing
    (PAM-03 inside the list, PAM-05 on a stale window)."""
    kept = window(gsan, days=(6, 6))
    dropped = window(gsan, days=(8, 8))
    new = attrs.evolve(
        kept, id=0, starts_on=date(2025, 1, 10), ends_on=date(2025, 1, 10)
    )
    saved = gsan.service_desk.inform(
        place=kept,
        windows=[attrs.evolve(kept, end_time=time(20)), new],
        actor=1,
    )
    assert [(w.starts_on.day, w.end_time, w.version) for w in saved] == [
        (6, time(20), 2),
        (10, time(18), 1),
    ]
    assert gsan.service_desk.schedules(reference=202501, area_id=AREA) == list(saved)
    assert gsan.service_desk.schedules(reference=202501).count(dropped) == 0
    clash = attrs.evolve(new, id=0)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_desk.inform(place=kept, windows=[*saved, clash], actor=1)
    assert refused.value.violations[0].rule == "PAM-03"
    with pytest.raises(RuleViolation) as stale:
        gsan.service_desk.inform(place=kept, windows=[kept], actor=1)
    assert stale.value.violations[0].rule == "PAM-05"
    assert gsan.service_desk.schedules(reference=202501, area_id=AREA) == list(saved)
