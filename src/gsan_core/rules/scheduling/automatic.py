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
    "CalibrationIndex",
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


#: ``(kind, value, calibration row id, weight, factor)``: a part, as a tuple.
_Part = tuple[PrioritizationKind, int | None, int | None, int, int]
_ID_KINDS = (PrioritizationKind.LOCATION, PrioritizationKind.SERVICE_TYPE)


class CalibrationIndex:
    """The active calibration rows, indexed once for scoring many orders."""

    def __init__(self, calibration: Mapping[int, CatalogItem]) -> None:
        self.by_id: dict[int, tuple[int | None, int, int]] = {}
        self.ranges: dict[int, list[tuple[int, int, int, int, int]]] = {}
        for ident in sorted(calibration):
            row = calibration[ident]
            kind = row.integer("kind")
            weight, factor = row.integer("weight"), row.integer("factor")
            # a row stored without them counts as the catalog's default, 1
            entry = (
                kind,
                1 if weight is None else weight,
                1 if factor is None else factor,
            )
            self.by_id[ident] = entry
            low, high = row.integer("range_from"), row.integer("range_to")
            if kind is not None and low is not None and high is not None:
                self.ranges.setdefault(kind, []).append(
                    (low, high, ident, entry[1], entry[2])
                )

    def assigned(self, kind: PrioritizationKind, ident: int | None) -> _Part:
        """A kind matched by the row assigned (location, service type)."""
        entry = None if ident is None else self.by_id.get(ident)
        if entry is None or entry[0] != kind:
            return (kind, None, None, 1, 1)
        return (kind, None, ident, entry[1], entry[2])

    def ranged(self, kind: PrioritizationKind, value: int | None) -> _Part:
        """A kind matched by ``range_from <= value <= range_to`` (first by id)."""
        if value is not None:
            for low, high, ident, weight, factor in self.ranges.get(kind, ()):
                if low <= value <= high:
                    return (kind, value, ident, weight, factor)
        return (kind, value, None, 1, 1)


def _parts(candidate: Candidate, index: CalibrationIndex) -> tuple[_Part, ...]:
    return (
        index.assigned(PrioritizationKind.LOCATION, candidate.location_calibration_id),
        index.ranged(PrioritizationKind.NETWORK_DIAMETER, candidate.network_diameter),
        index.ranged(PrioritizationKind.REITERATION, candidate.reiterations),
        index.ranged(PrioritizationKind.RECURRENCE, candidate.recurrences),
        index.ranged(PrioritizationKind.DAYS_OPEN, candidate.days_open),
        index.assigned(
            PrioritizationKind.SERVICE_TYPE, candidate.service_type_calibration_id
        ),
    )


def _explained(parts: tuple[_Part, ...]) -> tuple[ScorePart, ...]:
    return tuple(
        ScorePart(kind=k, value=v, calibration_id=i, weight=w, factor=f)
        for k, v, i, w, f in parts
    )


def score(
    candidate: Candidate, *, calibration: Mapping[int, CatalogItem] | CalibrationIndex
) -> tuple[int, tuple[ScorePart, ...]]:
    """CAL-03: the order's score and its parts. ``calibration`` holds the active
    calibration rows by id; the range kinds match ``range_from ≤ value ≤
    range_to`` (the first by id), the id kinds the row assigned."""
    index = (
        calibration
        if isinstance(calibration, CalibrationIndex)
        else CalibrationIndex(calibration)
    )
    parts = _parts(candidate, index)
    return sum(p[3] * p[4] for p in parts), _explained(parts)


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
    candidates: Iterable[Candidate], index: CalibrationIndex
) -> list[tuple[Candidate, int, tuple[_Part, ...]]]:
    scored = []
    # many orders share their inputs (type, days open...): score each set once
    memo: dict[tuple[object, ...], tuple[int, tuple[_Part, ...]]] = {}
    for candidate in candidates:
        key = (
            candidate.location_calibration_id,
            candidate.network_diameter,
            candidate.reiterations,
            candidate.recurrences,
            candidate.days_open,
            candidate.service_type_calibration_id,
        )
        known = memo.get(key)
        if known is None:
            parts = _parts(candidate, index)
            known = memo[key] = (sum(p[3] * p[4] for p in parts), parts)
        scored.append((candidate, *known))
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
    for candidate, total, parts in _rank(candidates, CalibrationIndex(calibration)):
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
                parts=_explained(parts),
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
