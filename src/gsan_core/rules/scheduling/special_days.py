"""Special days (caema UC1394, ROT-02..ROT-04) and team followers (ROT-12)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from gsan_core.errors import Violation
from gsan_core.model.scheduling import SpecialDay
from gsan_core.rules.scheduling.messages import (
    FOLLOWER_UNKNOWN,
    SPECIAL_DAY_REQUIRED,
    SPECIAL_DAY_TAKEN,
    SPECIAL_DAY_WORKING_DAY,
    TEAM_UNKNOWN,
)

__all__ = ["check_follower", "check_special_day"]


def check_special_day(
    *,
    on: date | None,
    team_id: int | None,
    team_exists: bool,
    existing: Iterable[SpecialDay],
    working_day: bool,
    confirmed: bool,
) -> list[Violation]:
    """ROT-02 (date and team required), ROT-03 (one per date and team), ROT-04 (a
    working day needs the user's confirmation)."""
    found: list[Violation] = []
    if on is None:
        found.append(
            SPECIAL_DAY_REQUIRED(field="Programming date", campo="Data da Programação")
        )
    if team_id is None:
        found.append(SPECIAL_DAY_REQUIRED(field="Team", campo="Equipe"))
    if on is None or team_id is None:
        return found
    if not team_exists:
        found.append(TEAM_UNKNOWN(team_id=team_id))
    if any(day.on == on and day.team_id == team_id for day in existing):
        found.append(SPECIAL_DAY_TAKEN(team_id=team_id, on=on))
    if working_day and not confirmed:
        found.append(SPECIAL_DAY_WORKING_DAY(on=on))
    return found


def check_follower(
    *,
    user_exists: bool,
    user_id: int,
    nature_ids: Iterable[int],
    team_ids: Iterable[int],
    exists: Callable[[str, int], bool],
) -> list[Violation]:
    """ROT-12: the user, the natures and the teams named exist."""
    found: list[Violation] = []
    if not user_exists:
        found.append(FOLLOWER_UNKNOWN(field="User", campo="Usuário", value=user_id))
    found.extend(
        FOLLOWER_UNKNOWN(field="Team nature", campo="Natureza de Equipe", value=n)
        for n in sorted(set(nature_ids))
        if not exists("team_nature", n)
    )
    found.extend(
        FOLLOWER_UNKNOWN(field="Team", campo="Equipe", value=t)
        for t in sorted(set(team_ids))
        if not exists("team", t)
    )
    return found
