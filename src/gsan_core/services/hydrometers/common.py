"""Small helpers the hydrometer use cases share: reference rows, the local
date, the "in field" lock, finding a meter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import Hydrometer
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.hydrometers import IncomingMeter

_METER_KINDS = (
    "hydrometer_type",
    "hydrometer_brand",
    "hydrometer_capacity",
    "hydrometer_diameter",
    "hydrometer_metrological_class",
    "hydrometer_register",
    "hydrometer_turbine_type",
    "hydrometer_stock_location",
)


# ================================================================ helpers
T = TypeVar("T")


def _keep(value: T | None, stored: T) -> T:
    return stored if value is None else value


def _today(profile: UtilityProfile, at: datetime) -> date:
    return at.astimezone(ZoneInfo(profile.timezone)).date()


def _item(uow: UnitOfWork, kind: str, ident: object) -> CatalogItem | None:
    if not isinstance(ident, int) or isinstance(ident, bool):
        return None
    return uow.catalog.find(kind, ident)


def _references(
    uow: UnitOfWork, kinds: Iterable[str]
) -> dict[str, dict[int, CatalogItem]]:
    return {kind: {i.id: i for i in uow.catalog.list(kind)} for kind in kinds}


def _active_references(
    uow: UnitOfWork, kinds: Iterable[str]
) -> dict[str, dict[int, CatalogItem]]:
    """The *active* rows of ``kinds``: all a meter's attributes may name
    (H-2..H-8 refuse an inactive row as an unknown one), from the backend's
    reference cache (issue 20: no statement once read)."""
    return {
        kind: {i.id: i for i in uow.catalog.list(kind, active_only=True)}
        for kind in kinds
    }


def _locality_location(uow: UnitOfWork, prop: Property) -> int | None:
    locality = uow.localities.find(prop.locality_id)
    return None if locality is None else locality.stock_location_id


def _find_meter(
    uow: UnitOfWork,
    profile: UtilityProfile,
    hydrometer_id: int | None,
    number: str | None,
) -> IncomingMeter:
    given: int | str | None = hydrometer_id if hydrometer_id is not None else number
    ambiguous = hydrometer_id is not None and number is not None
    meter: Hydrometer | None = None
    if isinstance(hydrometer_id, int) and not ambiguous:
        meter = uow.hydrometers.find(hydrometer_id)
    elif isinstance(number, str) and not ambiguous:
        meter = uow.hydrometers.find_by_number(number.strip().upper())
    if meter is None:
        return IncomingMeter(given=given, ambiguous=ambiguous, meter=None)
    # The situation's row only names it in the I-12 message.
    available = profile.plays("hydrometer_situation.available", meter.situation_id)
    return IncomingMeter(
        given=given,
        ambiguous=ambiguous,
        meter=meter,
        situation=None
        if available
        else uow.catalog.find("hydrometer_situation", meter.situation_id),
        last_removal=uow.hydrometer_installations.last_removal(hydrometer_id=meter.id),
    )


def _lock(uow: UnitOfWork, prop: Property) -> int | None:
    return uow.field_lock.locked_reference(prop.id)
