"""Use cases of organisational units, users and their special permissions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import attrs

from gsan_core.errors import ConcurrencyConflict, NotFound, Violation
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.units import (
    OrganizationalUnit,
    PermissionChange,
    PermissionGranted,
    PermissionRevoked,
    UnitChanged,
    UnitRegistered,
    User,
    UserChanged,
    UserRegistered,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import request_routing as routing
from gsan_core.rules import units as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service

__all__ = ["UnitService", "load_units", "may_maintain"]

Violations = tuple[Violation, ...]


def load_units(
    uow: UnitOfWork, ids: Iterable[int | None], *, ancestors: bool = True
) -> dict[int, OrganizationalUnit]:
    """The units of ``ids`` with their dispatch centres and (optionally) every
    superior up the tree, in a few round trips (one per missing level)."""
    found: dict[int, OrganizationalUnit] = {}
    wanted = {i for i in ids if i is not None}
    while wanted:
        loaded = uow.units.get_many(wanted)
        found.update(loaded)
        missing: set[int] = set()
        for unit in loaded.values():
            for other in (
                unit.dispatch_centre_id,
                unit.superior_id if ancestors else None,
            ):
                if other is not None and other not in found:
                    missing.add(other)
        wanted = missing - set(found) - (wanted - set(loaded))
    return found


def may_maintain(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    actor: int,
    unit_id: int,
    units: Mapping[int, OrganizationalUnit] | None = None,
) -> bool:
    """AUTH-01 for the acting user on a request now in ``unit_id``."""
    user = uow.users.find(actor)
    user_unit = None if user is None else user.unit_id
    tree = dict(units) if units is not None else {}
    missing = [u for u in (unit_id, user_unit) if u is not None and u not in tree]
    if missing:
        tree.update(load_units(uow, missing))
    return routing.is_authorised(
        user_unit_id=user_unit,
        unit_id=unit_id,
        units=tree,
        may_forward_anywhere=any(
            uow.permissions.has(actor, pid)
            for pid in profile.ids("permission.forward_request_to_any_unit")
        ),
    )


class UnitService(Service):
    """``gsan.units``: the organisational-unit tree, users and permissions."""

    def _tree(self, uow: UnitOfWork) -> dict[int, OrganizationalUnit]:
        return {unit.id: unit for unit in uow.units.find_by()}

    def _unit_checks(
        self, uow: UnitOfWork
    ) -> Callable[[OrganizationalUnit, Mapping[int, OrganizationalUnit]], Violations]:
        """UNI-1..UNI-6 against the stored unit types and the profile."""
        types = uow.catalog.list("unit_type", active_only=True)
        levels = {item.id: item.integer("level") for item in types}
        contractor_types = {
            item.id for item in types if item.text("code") == rules.CONTRACTOR_TYPE_CODE
        }
        vary = self.profile.service_requests.vary_unit_hierarchy
        main_company = self.profile.system.main_company_id

        def check(
            unit: OrganizationalUnit, tree: Mapping[int, OrganizationalUnit]
        ) -> Violations:
            return rules.check_unit(
                unit,
                units=tree,
                type_levels=levels,
                vary_hierarchy=vary,
                contractor_types=contractor_types,
                main_company_id=main_company,
            )

        return check

    def _in_use(self, uow: UnitOfWork, unit: OrganizationalUnit) -> Violations:
        """UNI-7: the specifications and sewer divisions ``unit`` serves."""
        if unit.accepts_routing and unit.sewer:
            return ()
        specifications = (
            ()
            if unit.accepts_routing
            else [s.id for s in uow.request_specifications.find_by(unit_id=unit.id)]
        )
        divisions = (
            ()
            if unit.sewer
            else [
                item.description
                for item in uow.catalog.list("sewer_division")
                if item.integer("unit_id") == unit.id
            ]
        )
        return rules.check_unit_in_use(
            unit, specification_ids=specifications, sewer_divisions=divisions
        )

    def register(self, unit: OrganizationalUnit, *, actor: int) -> OrganizationalUnit:
        """Add a unit (UNI-1..UNI-6)."""
        return self.register_many([unit], actor=actor)[0]

    def register_many(
        self, units: Iterable[OrganizationalUnit], *, actor: int
    ) -> list[OrganizationalUnit]:
        """Add several units in one transaction, superiors before subordinates."""
        new = [attrs.evolve(u, version=1) for u in units]
        with self._work() as uow:
            tree = self._tree(uow)
            check = self._unit_checks(uow)
            violations: list[Violation] = []
            for unit in new:
                violations += check(unit, tree)
                tree[unit.id] = unit
            ensure(violations)
            uow.units.add_many(new)
            now = self._now()
            uow.record(
                *(
                    UnitRegistered(occurred_at=now, actor=actor, unit_id=u.id)
                    for u in new
                )
            )
            uow.commit()
        return new

    def update(self, unit: OrganizationalUnit, *, actor: int) -> OrganizationalUnit:
        """Store a change of a unit read at ``unit.version`` (UNI-1..UNI-7)."""
        with self._work() as uow:
            # the tree read once: the stored unit is in it (issue 20)
            tree = self._tree(uow)
            stored = tree.get(unit.id)
            if stored is None:
                raise NotFound("unit", unit.id)
            if stored.version != unit.version:
                raise ConcurrencyConflict("unit", unit.id, unit.version)
            changed = attrs.evolve(unit, version=stored.version + 1)
            ensure(self._unit_checks(uow)(changed, tree) + self._in_use(uow, changed))
            uow.units.update(changed)
            uow.record(
                UnitChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    unit_id=unit.id,
                    version=changed.version,
                )
            )
            uow.commit()
        return changed

    def get(self, id: int) -> OrganizationalUnit:
        """One unit; ``NotFound`` if absent."""
        with self._read() as uow:
            return uow.units.get(id)

    def tree(self) -> Mapping[int, OrganizationalUnit]:
        """Every unit by id."""
        with self._read() as uow:
            return self._tree(uow)

    def ancestors(self, id: int) -> list[OrganizationalUnit]:
        """The superiors of a unit, nearest first."""
        return list(rules.ancestors(id, self.tree()))

    # ------------------------------------------------------------ users
    def register_user(self, user: User, *, actor: int) -> User:
        """Add a user with a home unit (USR-1)."""
        return self.register_users([user], actor=actor)[0]

    def register_users(self, users: Iterable[User], *, actor: int) -> list[User]:
        """Add several users in one transaction."""
        new = [attrs.evolve(u, version=1) for u in users]
        with self._work() as uow:
            tree = self._tree(uow)
            violations: list[Violation] = []
            for user in new:
                violations += rules.check_user(user, units=tree)
            ensure(violations)
            uow.users.add_many(new)
            now = self._now()
            uow.record(
                *(
                    UserRegistered(
                        occurred_at=now, actor=actor, user_id=u.id, unit_id=u.unit_id
                    )
                    for u in new
                )
            )
            uow.commit()
        return new

    def user(self, id: int) -> User:
        """One user; ``NotFound`` if absent."""
        with self._read() as uow:
            return uow.users.get(id)

    # ------------------------------------------------------------ permissions
    def grant(self, *, user_id: int, permission_id: int, actor: int) -> None:
        """Grant a special permission (``PermissaoEspecial`` id) to a user
        (USR-2): recorded in the audit trail (:meth:`permission_changes`) and
        announced by ``PermissionGranted``."""
        self._change_permission(
            user_id=user_id, permission_id=permission_id, actor=actor, granted=True
        )

    def revoke(self, *, user_id: int, permission_id: int, actor: int) -> None:
        """Revoke a special permission (USR-2): audited, ``PermissionRevoked``."""
        self._change_permission(
            user_id=user_id, permission_id=permission_id, actor=actor, granted=False
        )

    def _change_permission(
        self, *, user_id: int, permission_id: int, actor: int, granted: bool
    ) -> None:
        known = {
            pid
            for role, ids in self.profile.roles.items()
            if role.startswith("permission.")
            for pid in ids
        }
        # deferred writes (PostgreSQL): the audit row and the outbox one
        # statement at the commit (issue 20)
        with self._work(defer=True) as uow:
            ensure(
                rules.check_permission_change(
                    user_id=user_id,
                    user=uow.users.lock_many([user_id]).get(user_id),
                    permission_id=permission_id,
                    known=known,
                )
            )
            now = self._now()
            if granted:
                uow.seeding.grant(user_id, permission_id)
            else:
                uow.seeding.revoke(user_id, permission_id)
            uow.permission_changes.add(
                PermissionChange(
                    id=uow.next_id("permission_change"),
                    user_id=user_id,
                    permission_id=permission_id,
                    granted=granted,
                    actor=actor,
                    at=now,
                )
            )
            event = PermissionGranted if granted else PermissionRevoked
            uow.record(
                event(
                    occurred_at=now,
                    actor=actor,
                    user_id=user_id,
                    permission_id=permission_id,
                )
            )
            uow.commit()

    def permission_changes(self, *, user_id: int) -> list[PermissionChange]:
        """The grants and revocations of ``user_id``'s special permissions,
        oldest first (who changed them and when)."""
        with self._read() as uow:
            found = uow.permission_changes.find_by(user_id=user_id)
        return sorted(found, key=lambda change: (change.at, change.id))

    def set_user_active(self, *, user_id: int, active: bool, actor: int) -> User:
        """Activate or deactivate a user: a deactivated user may not act
        (USR-2) and holds no special permission while inactive."""
        with self._work() as uow:
            user = uow.users.lock(user_id)
            changed = attrs.evolve(user, active=active, version=user.version + 1)
            uow.users.update(changed)
            uow.record(
                UserChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    user_id=user_id,
                    active=active,
                )
            )
            uow.commit()
        return changed

    def has_permission(self, *, user_id: int, permission_id: int) -> bool:
        """Whether the user holds the special permission."""
        with self._read() as uow:
            return uow.permissions.has(user_id, permission_id)
