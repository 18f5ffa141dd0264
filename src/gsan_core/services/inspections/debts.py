"""The debts an inspection return charges (FIS-13): once per order and
situation, with the reincidence multiplier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import attrs

from gsan_core.errors import RuleViolation
from gsan_core.model.billing import Charge, Tariff
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.inspections import (
    SituationFound,
)
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import (
    ServiceOrder,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import inspections as rules
from gsan_core.rules.service_orders import ChargeRequest
from gsan_core.services.charges import create_charge, price_of
from gsan_core.services.context import ServiceContext

_NOTICE_KINDS = "inspection_charge"
_SITUATION = "inspection_situation"
#: The calculation codes valued at the tariff in force (FIS-13).
_AT_TARIFF = frozenset({1, 11}) | rules.CONSUMPTION_CODES


def charge_findings(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    order: ServiceOrder,
    service_type: ServiceType,
    prop: Property | None,
    new: Sequence[SituationFound],
    situations: dict[int, CatalogItem],
    actor: int,
    at: datetime,
    today: date,
) -> list[tuple[int, Charge]]:
    wanted = [f.situation_id for f in new if f.charge]
    if prop is None or not wanted:
        return []
    rows = [
        row
        for row in uow.catalog.list(_NOTICE_KINDS, active_only=True)
        if row.integer("situation_id") in wanted and not row.flag("notice_fine")
    ]
    if not rows:
        return []
    reincident = _reincident(uow, prop, order, situations)
    months = _months_since_cut(uow, ctx, prop, today)
    price = price_of(uow, service_type=service_type, prop=prop, on=today)
    tariff = (
        _tariff_of(uow, prop, today)
        if any(r.integer("calculation") in _AT_TARIFF for r in rows)
        else None
    )
    created: list[tuple[int, Charge]] = []
    for row in sorted(rows, key=lambda r: r.id):
        situation_id = row.integer("situation_id")
        assert situation_id is not None
        charge = _charge_row(
            uow,
            ctx,
            row,
            order=order,
            service_type=service_type,
            prop=prop,
            price=price,
            tariff=tariff,
            reincident=reincident
            and situations[situation_id].flag("checks_reincidence"),
            months_since_cut=months,
            actor=actor,
            at=at,
            today=today,
        )
        if charge is not None:
            created.append((situation_id, charge))
    return created


def _charge_row(
    uow: UnitOfWork,
    ctx: ServiceContext,
    row: CatalogItem,
    *,
    order: ServiceOrder,
    service_type: ServiceType,
    prop: Property,
    price: Decimal | None,
    tariff: Tariff | None,
    reincident: bool,
    months_since_cut: int | None,
    actor: int,
    at: datetime,
    today: date,
) -> Charge | None:
    debit_type_id = row.integer("debit_type_id")
    debit_type = (
        None if debit_type_id is None else uow.catalog.find("debit_type", debit_type_id)
    )
    unit = rules.charge_value(
        row,
        order_price=price,
        suggested=None if debit_type is None else debit_type.decimal("suggested_value"),
        minimum_tariff=_minimum(prop, tariff),
        average=_average(uow, ctx, row, prop, tariff),
        consumption=None
        if tariff is None
        else _consumption(
            uow,
            ctx,
            row,
            prop=prop,
            tariff=tariff,
            today=today,
            months_since_cut=months_since_cut,
        ),
    )
    if unit is None:
        return None
    times = rules.charge_times(
        row, reincident=reincident, months_since_cut=months_since_cut
    )
    return create_charge(
        uow,
        profile=ctx.profile,
        service_type=attrs.evolve(service_type, debit_type_id=debit_type_id),
        prop=prop,
        value=unit * times,
        request=ChargeRequest(),
        order=order,
        request_id=order.request_id,
        generated_on=order.generated_at.astimezone(ctx.zone).date(),
        at=at,
        actor=actor,
    )


def _tariff_of(uow: UnitOfWork, prop: Property, today: date) -> Tariff | None:
    """The tariff in force today of the property's consumption tariff, read
    through the billing port (FIS-13 codes 1 and 11)."""
    tariff_id = prop.consumption_tariff_id
    if tariff_id is None:
        return None
    return uow.billing.tariffs_in_force([tariff_id], on=today).get(tariff_id)


def _minimum(prop: Property, tariff: Tariff | None) -> Decimal | None:
    """FIS-13 code 11: the minimum tariff of the property's main category."""
    main = prop.main_category
    if main is None:
        return None
    return rules.tariff_minimum(
        tariff, category_id=main.category_id, economies=prop.economies
    )


def _average(
    uow: UnitOfWork,
    ctx: ServiceContext,
    row: CatalogItem,
    prop: Property,
    tariff: Tariff | None,
) -> Decimal | None:
    """FIS-13 code 1: the water and sewer of the average of the property's
    last ``average_months`` billed water volumes (billing port), the sewer at
    the sewer connection's percentage unless it is out of use or plugged."""
    if tariff is None or row.integer("calculation") != 1:
        return None
    volumes = uow.billing.billed_volumes(prop.id, last=_months(row))
    return rules.average_value(
        volumes,
        tariff,
        economies=_economies(prop),
        sewer_percent=_sewer_percent(uow, ctx, prop),
    )


def _months(row: CatalogItem) -> int:
    """The months of history a row reads (GSAN's ``mesesMediaConsumo``)."""
    return row.integer("average_months") or rules.AVERAGE_MONTHS


def _economies(prop: Property) -> list[tuple[int, int]]:
    return [(c.category_id, c.count) for c in prop.categories]


def _sewer_percent(
    uow: UnitOfWork, ctx: ServiceContext, prop: Property
) -> Decimal | None:
    """The sewer connection's percentage, ``None`` (no sewer value) when it is
    out of use or plugged or there is none."""
    profile = ctx.profile
    idle = profile.ids("sewer_status.out_of_use") | profile.ids("sewer_status.plugged")
    sewer = uow.sewer_connections.find(prop.id)
    if sewer is None or prop.sewer_status_id in idle:
        return None
    return sewer.sewer_percentage


def _consumption(
    uow: UnitOfWork,
    ctx: ServiceContext,
    row: CatalogItem,
    *,
    prop: Property,
    tariff: Tariff,
    today: date,
    months_since_cut: int | None,
) -> Decimal | None:
    """FIS-13 codes 2, 3, 5 and 6 (``informarRetornoOSFiscalizacao`` 7.1.2,
    7.1.3, 7.1.5, 7.1.6): valued at the tariff in force from the property's
    billed volumes (the measured average, the highest) and its non-measured
    average (billing's minimum consumption, else the tariff's minimum volumes)."""
    code = row.integer("calculation")
    if code not in rules.CONSUMPTION_CODES:
        return None
    economies = _economies(prop)
    percent = _sewer_percent(uow, ctx, prop)

    def value(volume: int) -> Decimal:
        return rules.consumption_value(
            volume, tariff, economies=economies, sewer_percent=percent
        )

    volumes = uow.billing.billed_volumes(prop.id, last=_months(row))
    non_measured = uow.billing.minimum_consumption(prop.id)
    if non_measured is None:
        non_measured = rules.minimum_volume(tariff, economies=economies)
    if code == 3:
        top = value(max(non_measured, max(volumes, default=0)))
        months = rules.shortfall_months(
            installed_on=_meter_installed_on(uow, prop),
            today=today,
            limit=_months(row),
        )
        return rules.shortfall_value(top, [value(v) for v in volumes[:months]])
    base = value(
        rules.greater_volume(
            measured=rules.average_volume(volumes), non_measured=non_measured
        )
    )
    if code == 2:
        return base
    return base * _factor(uow, ctx, row, prop, months_since_cut)


def _factor(
    uow: UnitOfWork,
    ctx: ServiceContext,
    row: CatalogItem,
    prop: Property,
    months_since_cut: int | None,
) -> int:
    """Codes 5 (water) and 6 (sewer): the months factor, from the inspection
    matrix row of the situation and the connection's current situation."""
    situation_id = row.integer("situation_id")
    assert situation_id is not None
    if row.integer("calculation") == 5:
        kind, status_id = "inspection_water_effect", prop.water_status_id
        cap = ctx.profile.service_orders.max_sanction_months
    else:
        kind, status_id, cap, months_since_cut = (
            "inspection_sewer_effect",
            prop.sewer_status_id,
            None,
            None,
        )
    effect = rules.matching_effect(
        uow.catalog.list(kind, active_only=True),
        situation_id=situation_id,
        status_id=status_id,
    )
    return rules.months_factor(
        configured=None if effect is None else effect.integer("bill_months"),
        months_since_cut=months_since_cut,
        max_months=cap,
    )


def _meter_installed_on(uow: UnitOfWork, prop: Property) -> date:
    """Code 3: the installation date of the water connection's meter; GSAN
    refuses the return of a property without one."""
    current = uow.hydrometer_installations.current(
        property_id=prop.id, point=MeasurementPoint.WATER_CONNECTION
    )
    if current is None:
        raise RuleViolation([rules.NO_METER(property_id=prop.id)])
    return current.installed_on


def _months_since_cut(
    uow: UnitOfWork, ctx: ServiceContext, prop: Property, today: date
) -> int | None:
    """FIS-13: the whole months since the property's water connection was cut
    (a water situation of role ``water_status.cut``) or suppressed (the
    ``water_status.*suppressed*`` roles); ``None`` otherwise."""
    profile = ctx.profile
    cut = profile.ids("water_status.cut")
    suppressed = (
        profile.ids("water_status.suppressed")
        | profile.ids("water_status.partially_suppressed")
        | profile.ids("water_status.partially_suppressed_on_request")
    )
    status = prop.water_status_id
    if status not in cut | suppressed:
        return None
    connection = uow.water_connections.find(prop.id)
    if connection is None:
        return None
    since = connection.cut_on if status in cut else connection.suppressed_on
    return None if since is None else rules.months_between(since, today)


def _reincident(
    uow: UnitOfWork,
    prop: Property,
    order: ServiceOrder,
    situations: dict[int, CatalogItem],
) -> bool:
    """The property had a finding of a reincidence-checking situation on
    another order before."""
    before = uow.inspection_findings.find_by(property_id=prop.id)
    others = [f for f in before if f.order_id != order.id]
    if not others:
        return False
    checked = uow.catalog.find_many(
        [(_SITUATION, i) for i in sorted({f.situation_id for f in others})]
    )
    return any(item.flag("checks_reincidence") for item in checked.values())
