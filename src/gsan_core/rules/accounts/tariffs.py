"""ACR-12 "atualização tarifária": a bill re-priced at the tariff in force.

The tariff and what the bill charged come from billing (the port); the rule
re-prices the bill's water with the same volume and economies per category,
its sewer with the bill's sewer percentage, and the update is what the new
water + sewer exceed the billed ones by, never negative.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from gsan_core.model.billing import BilledConsumption, CategoryTariff, Tariff

__all__ = ["category_value", "reprice", "tariff_update"]

ZERO = Decimal(0)
_CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def category_value(part: CategoryTariff, per_economy: Decimal) -> Decimal:
    """One economy's water value in a category: the minimum value for the
    minimum volume, then each range's price per m³ for the volume above the
    minimum that falls in it."""
    value = part.minimum_value
    for band in part.ranges:
        low = max(Decimal(band.start), Decimal(part.minimum_volume))
        high = per_economy if band.end is None else min(per_economy, Decimal(band.end))
        if high > low:
            value += (high - low) * band.price
    return value


def reprice(consumption: BilledConsumption, tariff: Tariff) -> tuple[Decimal, Decimal]:
    """The bill's water and sewer at ``tariff``: the volume shared equally by
    the economies, each category's economies at its tariff (a category the
    tariff lacks costs nothing), sewer = water × the bill's sewer percentage
    (none when the sewer was not connected), both HALF_UP to cents."""
    total = sum(e for _, e in consumption.economies)
    if total <= 0:
        return ZERO, ZERO
    per_economy = Decimal(consumption.water_volume) / total
    parts = {c.category_id: c for c in tariff.categories}
    water = sum(
        (
            category_value(parts[category], per_economy) * economies
            for category, economies in consumption.economies
            if category in parts
        ),
        ZERO,
    ).quantize(_CENT, rounding=ROUND_HALF_UP)
    sewer = ZERO
    if consumption.sewer_percent is not None:
        sewer = (water * consumption.sewer_percent / HUNDRED).quantize(
            _CENT, rounding=ROUND_HALF_UP
        )
    return water, sewer


def tariff_update(consumption: BilledConsumption, tariff: Tariff) -> Decimal:
    """ACR-12: new water + sewer − billed water + sewer, never negative."""
    water, sewer = reprice(consumption, tariff)
    billed = consumption.water_value + consumption.sewer_value
    return max(water + sewer - billed, ZERO)
