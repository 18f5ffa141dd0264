"""Automatic scheduling (UC1190) and its calibration (CAL-01..CAL-03): pure,
deterministic scoring and placement.

Each candidate order gets ``score = Σ weight_k × factor_k`` over the six
prioritisation kinds; a kind whose calibration row is not found counts
``1 × 1`` (so the minimum score is 6). Orders are taken by descending score,
then by age (generated first) and id; each goes to the team with the most free
minutes left after it (ties: the lower team id); an order with missing special
equipment (the previous day's reason) goes only to a team that carries it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.scheduling import PrioritizationKind
from gsan_core.model.service_orders import Team
from gsan_core.rules.scheduling.messages import (
    CALIBRATION_KIND_MISMATCH,
    CALIBRATION_UNKNOWN,
    CALIBRATION_VALUE_REQUIRED,
    IMPORTANCE_NOTHING_SELECTED,
    IMPORTANCE_TYPE_UNKNOWN,
    IMPORTANCE_VALUE_REQUIRED,
)

__all__ = [
    "Candidate",
    "Placement",
    "ScorePart",
    "check_calibration",
    "check_importance",
    "place",
    "score",
]


@attrs.frozen(kw_only=True)
class ScorePart:
    """One prioritisation kind's share of a score."""

    kind: PrioritizationKind
    #: The order's value for the kind (days open, reiterations...); ``None`` for
    #: the kinds matched by id (location, service type).
    value: int | None
    #: The calibration row matched (``None``: the default 1 x 1).
    calibration_id: int | None
    weight: int
    factor: int

    @property
    def points(self) -> int:
        """``weight × factor``."""
        return self.weight * self.factor


@attrs.frozen(kw_only=True)
class Candidate:
    """What the scheduler knows of an open order."""

    order_id: int
    generated_at: datetime
    minutes: int
    #: The calibration row of the order's location (its property's locality) and
    #: of its service type (CAL-02), when assigned.
    location_calibration_id: int | None = None
    service_type_calibration_id: int | None = None
    network_diameter: int | None = None
    reiterations: int = 0
    recurrences: int = 0
    days_open: int = 0
    #: Special equipment the crew lacked last time: only teams carrying it.
    missing_equipment_id: int | None = None


def _by_range(
    rows: Sequence[CatalogItem], kind: PrioritizationKind, value: int | None
) -> CatalogItem | None:
    if value is None:
        return None
    for row in rows:
        low, high = row.integer("range_from"), row.integer("range_to")
        if row.integer("kind") != kind or low is None or high is None:
            continue
        if low <= value <= high:
            return row
    return None


def score(
    candidate: Candidate, *, calibration: Mapping[int, CatalogItem]
) -> tuple[int, tuple[ScorePart, ...]]:
    """CAL-03: the order's score and its parts. ``calibration`` holds the active
    calibration rows by id; the range kinds match ``range_from ≤ value ≤
    range_to`` (the first by id), the id kinds the row assigned."""
    ordered = [calibration[k] for k in sorted(calibration)]
    found: list[tuple[PrioritizationKind, int | None, CatalogItem | None]] = []
    for kind, assigned in (
        (PrioritizationKind.LOCATION, candidate.location_calibration_id),
        (PrioritizationKind.SERVICE_TYPE, candidate.service_type_calibration_id),
    ):
        row = None if assigned is None else calibration.get(assigned)
        if row is not None and row.integer("kind") != kind:
            row = None
        found.append((kind, None, row))
    for kind, value in (
        (PrioritizationKind.NETWORK_DIAMETER, candidate.network_diameter),
        (PrioritizationKind.REITERATION, candidate.reiterations),
        (PrioritizationKind.RECURRENCE, candidate.recurrences),
        (PrioritizationKind.DAYS_OPEN, candidate.days_open),
    ):
        found.append((kind, value, _by_range(ordered, kind, value)))
    parts = tuple(
        ScorePart(
            kind=kind,
            value=value,
            calibration_id=None if row is None else row.id,
            weight=1 if row is None else row.integer("weight") or 0,
            factor=1 if row is None else row.integer("factor") or 0,
        )
        for kind, value, row in sorted(found, key=lambda item: item[0])
    )
    return sum(p.points for p in parts), parts


@attrs.frozen(kw_only=True)
class Placement:
    """One order placed by the scheduler, with why."""

    order_id: int
    team_id: int
    #: The order's position in the team's day.
    sequence: int
    minutes: int
    score: int
    parts: tuple[ScorePart, ...]
    #: The team's free minutes after the order.
    free_after: int


def _rank(
    candidates: Iterable[Candidate], calibration: Mapping[int, CatalogItem]
) -> list[tuple[Candidate, int, tuple[ScorePart, ...]]]:
    scored = [(c, *score(c, calibration=calibration)) for c in candidates]
    scored.sort(key=lambda item: (-item[1], item[0].generated_at, item[0].order_id))
    return scored


def place(
    candidates: Iterable[Candidate],
    *,
    teams: Sequence[Team],
    used: Mapping[int, int],
    taken: Mapping[int, int],
    calibration: Mapping[int, CatalogItem],
    fill_gaps: bool = False,
) -> tuple[list[Placement], list[int]]:
    """UC1190's placement: ``used`` are the minutes already programmed per team,
    ``taken`` its last sequence. Returns the placements and the ids of the
    orders left out, in rank order. GSAN stops at the first order no team has
    room for; ``fill_gaps`` goes on with the next (smaller) ones."""
    free = {t.id: t.work_minutes - used.get(t.id, 0) for t in teams}
    sequence = {t.id: taken.get(t.id, 0) for t in teams}
    equipment = {t.id: t.equipment_ids for t in teams}
    placements: list[Placement] = []
    left: list[int] = []
    stopped = False
    for candidate, total, parts in _rank(candidates, calibration):
        if stopped:
            left.append(candidate.order_id)
            continue
        fitting = [
            (free[t.id] - candidate.minutes, -t.id)
            for t in teams
            if free[t.id] - candidate.minutes >= 0
            and (
                candidate.missing_equipment_id is None
                or candidate.missing_equipment_id in equipment[t.id]
            )
        ]
        if not fitting:
            left.append(candidate.order_id)
            stopped = not fill_gaps and candidate.missing_equipment_id is None
            continue
        after, negative_id = max(fitting)
        team_id = -negative_id
        free[team_id] = after
        sequence[team_id] += 1
        placements.append(
            Placement(
                order_id=candidate.order_id,
                team_id=team_id,
                sequence=sequence[team_id],
                minutes=candidate.minutes,
                score=total,
                parts=parts,
                free_after=after,
            )
        )
    return placements, left


def check_calibration(
    changes: Mapping[int, tuple[int | None, int | None]],
    *,
    rows: Mapping[int, CatalogItem],
) -> list[Violation]:
    """CAL-01: each calibration row changed exists, with integer weight and
    factor (``atencao.campo_texto.obrigatorio``)."""
    found: list[Violation] = []
    for ident, (weight, factor) in sorted(changes.items()):
        if ident not in rows:
            found.append(CALIBRATION_UNKNOWN(calibration_id=ident))
            continue
        for value, field, campo in (
            (weight, "Weight", "Peso"),
            (factor, "Factor", "Fator"),
        ):
            if value is None or isinstance(value, bool) or value < 0:
                found.append(
                    CALIBRATION_VALUE_REQUIRED(
                        field=field, campo=campo, calibration_id=ident
                    )
                )
    return found


def check_importance(
    assignments: Mapping[int, int | None],
    *,
    known_types: Iterable[int],
    rows: Mapping[int, CatalogItem],
) -> list[Violation]:
    """CAL-02: at least one service type; each gets a calibration row of the
    service-type kind."""
    if not assignments:
        return [IMPORTANCE_NOTHING_SELECTED()]
    known = set(known_types)
    found: list[Violation] = []
    for type_id, row_id in sorted(assignments.items()):
        if type_id not in known:
            found.append(IMPORTANCE_TYPE_UNKNOWN(service_type_id=type_id))
            continue
        if row_id is None:
            found.append(IMPORTANCE_VALUE_REQUIRED(service_type_id=type_id))
            continue
        row = rows.get(row_id)
        if row is None or row.integer("kind") != PrioritizationKind.SERVICE_TYPE:
            found.append(
                CALIBRATION_KIND_MISMATCH(
                    calibration_id=row_id, service_type_id=type_id
                )
            )
    return found
