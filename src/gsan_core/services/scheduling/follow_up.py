"""Special days (caema UC1394, ROT-02..ROT-04) and the users who follow teams
(caema UC1398, ROT-12, ROT-13): a base of
:class:`~gsan_core.services.scheduling.SchedulingService`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from gsan_core.errors import Violation
from gsan_core.model.scheduling import (
    SpecialDay,
    SpecialDayAdded,
    TeamFollower,
    TeamFollowerSaved,
)
from gsan_core.model.service_orders import Team
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.scheduling.messages import (
    UNIT_WITHOUT_LOCALITY,
    UNIT_WITHOUT_MUNICIPALITY,
)
from gsan_core.rules.scheduling.special_days import check_follower, check_special_day
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service
from gsan_core.services.service_setup import exists_in

__all__ = ["FollowUp"]


class FollowUp(Service):
    """Special days and team followers (on ``gsan.scheduling``)."""

    # ------------------------------------------------------------ special days
    def _working_day(
        self, uow: UnitOfWork, team: Team, on: date
    ) -> tuple[bool, list[Violation]]:
        """ROT-04: whether ``on`` is a working day where the team works: not a
        weekend, nor a national holiday, nor one of its unit's municipality."""
        unit = uow.units.find(team.unit_id)
        if unit is None or unit.locality_id is None:
            return False, [UNIT_WITHOUT_LOCALITY(unit_id=team.unit_id)]
        locality = uow.localities.find(unit.locality_id)
        if locality is None or locality.municipality_id is None:
            return False, [UNIT_WITHOUT_MUNICIPALITY(locality_id=unit.locality_id)]
        working = self._ctx.calendar.is_business_day(
            on, scope="municipal", municipality_id=locality.municipality_id
        )
        return working, []

    def add_special_day(
        self,
        *,
        team_id: int | None,
        on: date | None,
        actor: int,
        confirmed: bool = False,
    ) -> SpecialDay:
        """Allow programming a team on a weekend or holiday ("Incluir Programação de
        Roteiros em Dias Especiais"). A working day needs ``confirmed`` (ROT-04)."""
        at = self._now()
        with self._work() as uow:
            team = None if team_id is None else uow.teams.find(team_id)
            if team is not None and not team.active:
                team = None
            existing: Sequence[SpecialDay] = ()
            working = False
            found: list[Violation] = []
            if team is not None and on is not None:
                existing = uow.special_days.find_by(team_id=team.id, on=on)
                working, found = self._working_day(uow, team, on)
            found = [
                *check_special_day(
                    on=on,
                    team_id=team_id,
                    team_exists=team is not None,
                    existing=existing,
                    working_day=working,
                    confirmed=confirmed,
                ),
                *found,
            ]
            ensure(found)
            assert team is not None
            assert on is not None
            day = SpecialDay(
                id=uow.next_id("special_day"), team_id=team.id, on=on, created_by=actor
            )
            uow.special_days.add(day)
            uow.record(
                SpecialDayAdded(
                    occurred_at=at,
                    actor=actor,
                    special_day_id=day.id,
                    team_id=team.id,
                    on=on,
                )
            )
            uow.commit()
        return day

    def special_days(
        self, *, team_id: int | None = None, on: date | None = None
    ) -> Sequence[SpecialDay]:
        """The special days (of a team, of a date), by id."""
        criteria: dict[str, object] = {}
        if team_id is not None:
            criteria["team_id"] = team_id
        if on is not None:
            criteria["on"] = on
        with self._read() as uow:
            return uow.special_days.find_by(**criteria)

    # ------------------------------------------------------------ followers
    def set_followed_teams(
        self,
        *,
        user_id: int,
        actor: int,
        nature_ids: Iterable[int] = (),
        team_ids: Iterable[int] = (),
    ) -> TeamFollower:
        """Replace what a user follows (ROT-12): the teams of the natures named
        and the teams named. Empty sets stop the following."""
        natures, teams = frozenset(nature_ids), frozenset(team_ids)
        at = self._now()
        with self._work() as uow:
            exists = exists_in(uow)

            def known(kind: str, ident: int) -> bool:
                if kind == "team":
                    team = uow.teams.find(ident)
                    return team is not None and team.active
                return exists(kind, ident)

            ensure(
                check_follower(
                    user_exists=exists("user", user_id),
                    user_id=user_id,
                    nature_ids=natures,
                    team_ids=teams,
                    exists=known,
                )
            )
            stored = uow.team_followers.find(user_id)
            if stored is None:
                saved = TeamFollower(id=user_id, nature_ids=natures, team_ids=teams)
                uow.team_followers.add(saved)
            else:
                saved = TeamFollower(
                    id=user_id,
                    nature_ids=natures,
                    team_ids=teams,
                    version=stored.version + 1,
                )
                uow.team_followers.update(saved)
            uow.record(
                TeamFollowerSaved(
                    occurred_at=at, actor=actor, user_id=user_id, version=saved.version
                )
            )
            uow.commit()
        return saved

    def followed_teams(self, *, user_id: int) -> list[Team]:
        """The active teams a user follows (ROT-13), by id."""
        with self._read() as uow:
            found = followed_in(uow, user_id)
        return [found[k] for k in sorted(found)]


def followed_in(uow: UnitOfWork, user_id: int) -> dict[int, Team]:
    """The active teams ``user_id`` follows (ROT-13): those of his natures and
    those named, by id; none when he follows nothing."""
    follower = uow.team_followers.find(user_id)
    if follower is None:
        return {}
    by_nature: Sequence[Team] = ()
    if follower.nature_ids:
        by_nature = uow.teams.find_by(
            nature_id=sorted(follower.nature_ids), active=True
        )
    named = uow.teams.get_many(follower.team_ids)
    found = {t.id: t for t in by_nature}
    found.update({k: t for k, t in named.items() if t.active})
    return found
