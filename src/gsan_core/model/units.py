"""Organisational units and users.

Units form a tree through ``superior_id``; a unit may hand its service requests to
a dispatch centre (``unidade centralizadora``). Users belong to one home unit
(``lotação``), which the authorisation rules read.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from gsan_core.model.events import DomainEvent

__all__ = [
    "OrganizationalUnit",
    "PermissionChange",
    "PermissionGranted",
    "PermissionRevoked",
    "UnitChanged",
    "UnitRegistered",
    "User",
    "UserChanged",
    "UserRegistered",
]


@attrs.frozen(kw_only=True)
class OrganizationalUnit:
    """An organisational unit (``cadastro.unidade_organizacional``)."""

    id: int
    name: str
    acronym: str | None = None
    unit_type_id: int
    superior_id: int | None = None
    #: ``unid_idcentralizadora``: the dispatch centre that receives RAs for it.
    dispatch_centre_id: int | None = None
    #: ``unid_ictramite``: may receive forwarded RAs.
    accepts_routing: bool = True
    #: ``unid_icabertura``: may open RAs.
    may_open_requests: bool = True
    #: ``unid_iccentralatendimento``: a call centre (its users maintain any RA).
    call_centre: bool = False
    #: ``unid_ictarifasocial``.
    social_tariff: bool = False
    #: ``unid_icesgoto``.
    sewer: bool = False
    locality_id: int | None = None
    #: Contractor company (``empr_id``) of an outsourced unit.
    company_id: int | None = None
    active: bool = True
    version: int = 1


@attrs.frozen(kw_only=True)
class User:
    """A system user with their home unit (``lotação``)."""

    id: int
    name: str
    unit_id: int
    login: str | None = None
    active: bool = True
    version: int = 1


@attrs.frozen(kw_only=True)
class UnitRegistered(DomainEvent):
    """An organisational unit was created."""

    tag: ClassVar[str] = "unit.registered"
    unit_id: int


@attrs.frozen(kw_only=True)
class UnitChanged(DomainEvent):
    """An organisational unit changed."""

    tag: ClassVar[str] = "unit.changed"
    unit_id: int
    version: int


@attrs.frozen(kw_only=True)
class UserRegistered(DomainEvent):
    """A user was created."""

    tag: ClassVar[str] = "user.registered"
    user_id: int
    unit_id: int


@attrs.frozen(kw_only=True)
class PermissionChange:
    """One grant or revocation of a special permission: who, to whom, when
    (the audit trail of ``units.grant`` / ``units.revoke``)."""

    id: int
    user_id: int
    permission_id: int
    #: ``True`` for a grant, ``False`` for a revocation.
    granted: bool
    actor: int
    at: datetime
    version: int = 1


@attrs.frozen(kw_only=True)
class PermissionGranted(DomainEvent):
    """A special permission was granted to a user."""

    tag: ClassVar[str] = "user.permission_granted"
    user_id: int
    permission_id: int


@attrs.frozen(kw_only=True)
class PermissionRevoked(DomainEvent):
    """A special permission was revoked from a user."""

    tag: ClassVar[str] = "user.permission_revoked"
    user_id: int
    permission_id: int


@attrs.frozen(kw_only=True)
class UserChanged(DomainEvent):
    """A user was activated or deactivated."""

    tag: ClassVar[str] = "user.changed"
    user_id: int
    active: bool
