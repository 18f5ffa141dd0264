"""The meter's situation lifecycle as data (:data:`SITUATION_TRANSITIONS`),
over the profile's situation roles."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from gsan_core.errors import ConfigurationError
from gsan_core.model.profile import UtilityProfile

# ================================================================ situations
#: The situation roles of a meter (``hydrometer_situation.<role>`` in the profile).
SITUATION_ROLES: Final = ("installed", "maintenance", "available", "stolen")
#: In :data:`SITUATION_TRANSITIONS`: any situation but ``installed``.
ANY_NOT_INSTALLED: Final = "*"
#: In :data:`SITUATION_TRANSITIONS`: the situation the user chose (never installed).
CHOSEN: Final = "chosen"


class MeterEvent(StrEnum):
    """What happens to a meter (the columns of the §3.7 transition table)."""

    INSERT = "insert"
    INSTALL = "install"
    REPLACE_INCOMING = "replace_incoming"
    REPLACE_OUTGOING = "replace_outgoing"
    REMOVE = "remove"
    MOVE_TO_WORKSHOP = "move_to_workshop"
    MOVE_TO_STORE = "move_to_store"


#: ``(situation role before, event) -> situation role after`` (§3.7). ``None``
#: before is a new meter; a missing pair is refused.
SITUATION_TRANSITIONS: Mapping[tuple[str | None, MeterEvent], str] = {
    (None, MeterEvent.INSERT): "available",
    ("available", MeterEvent.INSTALL): "installed",
    ("available", MeterEvent.REPLACE_INCOMING): "installed",
    ("installed", MeterEvent.REMOVE): CHOSEN,
    ("installed", MeterEvent.REPLACE_OUTGOING): CHOSEN,
    (ANY_NOT_INSTALLED, MeterEvent.MOVE_TO_WORKSHOP): "maintenance",
    (ANY_NOT_INSTALLED, MeterEvent.MOVE_TO_STORE): "available",
}


def situation_id(profile: UtilityProfile, role: str) -> int:
    """The id of the situation that plays ``role`` (``"installed"``...)."""
    ident = profile.id(f"hydrometer_situation.{role}")
    if ident is None:
        raise ConfigurationError(
            f"the profile maps no id to role 'hydrometer_situation.{role}'",
            field=f"roles.hydrometer_situation.{role}",
        )
    return ident


def situation_role(profile: UtilityProfile, situation: int | None) -> str | None:
    """The role ``situation`` plays, if any (``"available"``, ``"installed"``...)."""
    for role in SITUATION_ROLES:
        if profile.plays(f"hydrometer_situation.{role}", situation):
            return role
    return None


def situation_after(
    profile: UtilityProfile,
    current: int | None,
    event: MeterEvent,
    *,
    chosen: int | None = None,
) -> int | None:
    """The situation id after ``event`` from ``current`` (``None``: refused).

    ``chosen`` is the situation the user picked for a removed or replaced meter.
    """
    role = None if current is None else situation_role(profile, current)
    after = SITUATION_TRANSITIONS.get((role, event))
    if after is None and current is not None and role != "installed":
        after = SITUATION_TRANSITIONS.get((ANY_NOT_INSTALLED, event))
    if after is None:
        return None
    if after == CHOSEN:
        if chosen is None or situation_role(profile, chosen) == "installed":
            return None
        return chosen
    return situation_id(profile, after)
