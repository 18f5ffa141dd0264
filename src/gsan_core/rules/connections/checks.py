"""Checks and situation moves shared by the water and sewer operations
(C-ATV, C-CAMPO, C-DATE, catalog references, roles)."""

from __future__ import annotations

from datetime import date

import attrs

from gsan_core.errors import ConfigurationError, Message, Violation
from gsan_core.model.connections import ConnectionKind
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.rules.connections.facts import (
    CatalogLookup,
    ConnectionContext,
    ConnectionFacts,
    SituationStep,
)
from gsan_core.rules.connections.messages import (
    DATE_IN_FUTURE,
    DATE_TOO_EARLY,
    NEGATIVE_VALUE,
    NO_SEWER_CONNECTION,
    NO_WATER_CONNECTION,
    PROPERTY_IN_FIELD,
    PROPERTY_INACTIVE,
    REQUIRED,
    UNKNOWN_REFERENCE,
)


# ---------------------------------------------------------------- helpers
def role_id(profile: UtilityProfile, role: str) -> int:
    """The single id of a situation role; a profile without it is misconfigured."""
    found = profile.ids(role)
    if len(found) != 1:
        raise ConfigurationError(
            f"the profile must map role {role!r} to exactly one id, got {sorted(found)}",
            field=f"roles.{role}",
        )
    return next(iter(found))


def coupled_sewer(profile: UtilityProfile, sewer_status_id: int) -> int:
    """§2.3: water back to LIGADO moves the sewer from LIG. FORA DE USO to LIGADO."""
    if sewer_status_id in profile.ids("sewer_status.out_of_use"):
        return role_id(profile, "sewer_status.connected")
    return sewer_status_id


def _status_text(catalog: CatalogLookup, kind: str, status_id: int) -> str:
    row = catalog.find(kind, status_id)
    return f"{status_id} {row.description}" if row is not None else str(status_id)


def _water_status_text(ctx: ConnectionContext, status_id: int) -> str:
    return _status_text(ctx.catalog, "water_status", status_id)


def _sewer_status_text(ctx: ConnectionContext, status_id: int) -> str:
    return _status_text(ctx.catalog, "sewer_status", status_id)


def _active(
    facts: ConnectionFacts, message: Message = PROPERTY_INACTIVE
) -> list[Violation]:
    if facts.property.active:
        return []
    return [message(property_id=facts.property.id)]


def _in_field(facts: ConnectionFacts) -> list[Violation]:
    reference = facts.locked_reference
    if reference is None:
        return []
    return [
        PROPERTY_IN_FIELD(
            property_id=facts.property.id,
            reference=f"{reference % 100:02d}/{reference // 100}",
        )
    ]


def _water_source(
    facts: ConnectionFacts, ctx: ConnectionContext, key: str, message: Message
) -> list[Violation]:
    status = facts.property.water_status_id
    if status in ctx.profile.allowed(key):
        return []
    return [
        message(property_id=facts.property.id, status=_water_status_text(ctx, status))
    ]


def _sewer_source(
    facts: ConnectionFacts, ctx: ConnectionContext, key: str, message: Message
) -> list[Violation]:
    status = facts.property.sewer_status_id
    if status in ctx.profile.allowed(key):
        return []
    return [
        message(property_id=facts.property.id, status=_sewer_status_text(ctx, status))
    ]


def _required(value: object, field: str, campo: str) -> list[Violation]:
    if value is None:
        return [REQUIRED(field=field, campo=campo)]
    return []


def _reference(
    ctx: ConnectionContext,
    kind: str,
    value: int | None,
    field: str,
    campo: str,
    *,
    required: bool = True,
) -> list[Violation]:
    """A catalog id: required (when asked), existing and active."""
    if value is None:
        return _required(None, field, campo) if required else []
    row = ctx.catalog.find(kind, value)
    if row is None or not row.active:
        return [UNKNOWN_REFERENCE(field=field, campo=campo, value=value)]
    return []


def _not_negative(value: int | None, field: str, campo: str) -> list[Violation]:
    if value is not None and value < 0:
        return [NEGATIVE_VALUE(field=field, campo=campo, value=value)]
    return []


def _date(
    on: date,
    ctx: ConnectionContext,
    field: str,
    campo: str,
    *,
    after: date | None = None,
    after_field: str = "connection date",
    apos: str = "data da ligação",
) -> list[Violation]:
    """C-DATE: never in the future, never before the event it follows."""
    found: list[Violation] = []
    if on > ctx.today:
        found.append(DATE_IN_FUTURE(field=field, campo=campo, on=on, today=ctx.today))
    if after is not None and on < after:
        found.append(
            DATE_TOO_EARLY(
                field=field,
                campo=campo,
                on=on,
                after=after,
                after_field=after_field,
                apos=apos,
            )
        )
    return found


def _water_row(facts: ConnectionFacts) -> list[Violation]:
    if facts.water is None:
        return [NO_WATER_CONNECTION(property_id=facts.property.id)]
    return []


def _sewer_row(facts: ConnectionFacts) -> list[Violation]:
    if facts.sewer is None:
        return [NO_SEWER_CONNECTION(property_id=facts.property.id)]
    return []


def _move_water(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    target: int,
    *,
    couple: bool,
) -> tuple[Property, tuple[SituationStep, ...]]:
    """The property after moving its water to ``target`` (and the sewer coupling)."""
    prop = facts.property
    sewer = coupled_sewer(ctx.profile, prop.sewer_status_id) if couple else None
    steps: list[SituationStep] = []
    if target != prop.water_status_id:
        steps.append(
            SituationStep(
                kind=ConnectionKind.WATER, before=prop.water_status_id, after=target
            )
        )
    if sewer is not None and sewer != prop.sewer_status_id:
        steps.append(
            SituationStep(
                kind=ConnectionKind.SEWER, before=prop.sewer_status_id, after=sewer
            )
        )
    if not steps:
        return prop, ()
    moved = attrs.evolve(
        prop,
        water_status_id=target,
        sewer_status_id=prop.sewer_status_id if sewer is None else sewer,
        version=prop.version + 1,
    )
    return moved, tuple(steps)


def _move_sewer(
    facts: ConnectionFacts, target: int
) -> tuple[Property, tuple[SituationStep, ...]]:
    prop = facts.property
    if target == prop.sewer_status_id:
        return prop, ()
    step = SituationStep(
        kind=ConnectionKind.SEWER, before=prop.sewer_status_id, after=target
    )
    moved = attrs.evolve(prop, sewer_status_id=target, version=prop.version + 1)
    return moved, (step,)
