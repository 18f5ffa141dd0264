"""Connection rows for synthetic properties (demo, docs, notebooks, benchmarks).

A property whose water (sewer) situation is neither POTENCIAL nor FACTÍVEL has a
water (sewer) connection row in GSAN; :func:`connection_rows` makes those rows
for a set of properties so the connection operations can run on a synthetic
town (:mod:`gsan_core.testing.town`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gsan_core.model.connections import SewerConnection, WaterConnection
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property

__all__ = ["connection_rows"]


def connection_rows(
    properties: Iterable[Property],
    profile: UtilityProfile,
    *,
    connected_on: date = date(2020, 1, 1),
) -> tuple[list[WaterConnection], list[SewerConnection]]:
    """The water and sewer connection rows the properties' situations imply.

    Cut properties get a cut date (``connected_on`` plus a year) and suppressed
    ones a suppression date, with the first cut / suppression type and reason.
    """
    empty_water = profile.ids("water_status.potential") | profile.ids(
        "water_status.feasible"
    )
    empty_sewer = profile.ids("sewer_status.potential") | profile.ids(
        "sewer_status.feasible"
    )
    cut = profile.ids("water_status.cut")
    suppressed = profile.ids("water_status.suppressed") | profile.ids(
        "water_status.partially_suppressed_on_request"
    )
    later = connected_on.replace(year=connected_on.year + 1)
    water: list[WaterConnection] = []
    sewer: list[SewerConnection] = []
    for prop in properties:
        if prop.water_status_id not in empty_water:
            is_cut = prop.water_status_id in cut
            is_suppressed = prop.water_status_id in suppressed
            water.append(
                WaterConnection(
                    id=prop.id,
                    connected_on=connected_on,
                    implanted_on=connected_on,
                    diameter_id=1,
                    material_id=1,
                    profile_id=1,
                    cut_on=later if is_cut else None,
                    cut_type_id=1 if is_cut else None,
                    cut_reason_id=1 if is_cut else None,
                    suppressed_on=later if is_suppressed else None,
                    suppression_type_id=1 if is_suppressed else None,
                    suppression_reason_id=2 if is_suppressed else None,
                )
            )
        if prop.sewer_status_id not in empty_sewer:
            sewer.append(
                SewerConnection(
                    id=prop.id,
                    connected_on=connected_on,
                    diameter_id=1,
                    material_id=1,
                    profile_id=1,
                    grease_trap=False,
                )
            )
    return water, sewer
