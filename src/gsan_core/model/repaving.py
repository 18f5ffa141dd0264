"""Repaving (repavimentação): the pavement an executed order broke, the work
the repaving unit does and returns, and the utility's acceptance
(``ordem_servico_pavimento``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import ClassVar

import attrs

from gsan_core.model.catalog import AttributeSpec, CatalogKind
from gsan_core.model.events import DomainEvent

__all__ = [
    "REPAVING_KINDS",
    "REPAVING_NEIGHBOURHOOD",
    "REPAVING_SERVICE",
    "CostLine",
    "PavementSurface",
    "RepavingAcceptance",
    "RepavingAccepted",
    "RepavingCost",
    "RepavingCostChanged",
    "RepavingCostLine",
    "RepavingOpened",
    "RepavingReturned",
    "RepavingWork",
]


class RepavingAcceptance(IntEnum):
    """``ospv_icaceite``."""

    ACCEPTED = 1
    REFUSED = 2


@attrs.frozen(kw_only=True)
class RepavingWork:
    """``ordem_servico_pavimento``: one order's pavement to repair."""

    id: int
    order_id: int
    property_id: int | None
    #: The repaving unit (``unid_idrepavimentadora``).
    unit_id: int
    #: The order's closing date: the first return may not be before it (PAV-02).
    closed_on: date
    street_pavement_id: int | None = None
    street_area: Decimal | None = None
    sidewalk_pavement_id: int | None = None
    sidewalk_area: Decimal | None = None
    returned_street_pavement_id: int | None = None
    returned_street_area: Decimal | None = None
    returned_sidewalk_pavement_id: int | None = None
    returned_sidewalk_area: Decimal | None = None
    returned_on: date | None = None
    acceptance: RepavingAcceptance | None = None
    accepted_on: date | None = None
    acceptance_remark: str | None = None
    accepted_by: int | None = None
    #: A rejected return (PAV-05): the repaving unit must return it again.
    rejected_on: date | None = None
    rejection_reason_id: int | None = None
    rejection_remark: str | None = None
    opened_at: datetime
    actor: int
    version: int = 1


@attrs.frozen(kw_only=True)
class RepavingOpened(DomainEvent):
    """An executed order's pavement went to its repaving unit."""

    tag: ClassVar[str] = "repaving.opened"
    work_id: int
    order_id: int
    unit_id: int


@attrs.frozen(kw_only=True)
class RepavingReturned(DomainEvent):
    """The repaving unit informed (or the utility rejected) a return."""

    tag: ClassVar[str] = "repaving.returned"
    work_id: int
    rejected: bool = False


@attrs.frozen(kw_only=True)
class RepavingAccepted(DomainEvent):
    """Returns were accepted or refused (by hand, or automatically)."""

    tag: ClassVar[str] = "repaving.accepted"
    work_ids: tuple[int, ...]
    acceptance: RepavingAcceptance
    automatic: bool = False


REPAVING_NEIGHBOURHOOD = CatalogKind(
    name="repaving_neighbourhood",
    title="Neighbourhood grouping per repaving unit",
    title_pt="Agrupamento de Bairros por Unidade Repavimentadora",
    gsan_table="cadastro.bairro_unid_repavimentadora",
    description_unique=False,
    attributes=(
        AttributeSpec(
            name="neighbourhood_id",
            type="int",
            required=True,
            unique=True,
            doc="bair_id: a neighbourhood belongs to one repaving unit (PAV-10)",
        ),
        AttributeSpec(
            name="unit_id", type="int", required=True, doc="the repaving unit"
        ),
    ),
)
REPAVING_SERVICE = CatalogKind(
    name="repaving_service",
    title="Repaving service",
    title_pt="Serviço Repavimentadora",
    gsan_table="atendimentopublico.servico_repav",
    description_unique=False,
    attributes=(
        AttributeSpec(
            name="unit_id",
            type="int",
            required=True,
            doc="unid_idrepavimentadora: the repaving unit offering it (PAV-09)",
        ),
        AttributeSpec(
            name="measure_unit_id",
            type="int",
            required=True,
            doc="mtun_id: the unit the service is measured in (m², m, unit)",
        ),
        AttributeSpec(
            name="value",
            type="decimal",
            required=True,
            min_value=Decimal("0.01"),
            doc="svrp_vlservico: the price of one unit of the service, 2 decimals",
        ),
    ),
)
REPAVING_KINDS: tuple[CatalogKind, ...] = (REPAVING_NEIGHBOURHOOD, REPAVING_SERVICE)


class PavementSurface(IntEnum):
    """Which pavement a cost prices: GSAN keeps one table for each
    (``unid_repav_custo_pav_rua`` / ``unid_repav_custo_pav_calcada``)."""

    STREET = 1
    SIDEWALK = 2


@attrs.frozen(kw_only=True)
class RepavingCost:
    """The cost of a square metre of one pavement type for one repaving unit
    in a vigência (``UnidadeRepavimentadoraCustoPavimentoRua/Calcada``)."""

    id: int
    unit_id: int
    surface: PavementSurface
    pavement_type_id: int
    valid_from: date
    #: ``None``: in force until a new vigência closes it (PAV-06).
    valid_until: date | None = None
    value: Decimal
    actor: int
    version: int = 1

    def in_force(self, on: date) -> bool:
        """Whether the vigência covers ``on``."""
        return self.valid_from <= on and (
            self.valid_until is None or on <= self.valid_until
        )


@attrs.frozen(kw_only=True)
class CostLine:
    """One line of "Inserir Custo de Pavimento por Repavimentadora" (UC1106)."""

    surface: PavementSurface
    pavement_type_id: int
    value: Decimal


@attrs.frozen(kw_only=True)
class RepavingCostLine:
    """One line of the cost bulletin (PAV-11): an accepted work valued by the
    costs in force on its order's closing date (``None`` when no cost is)."""

    work_id: int
    order_id: int
    closed_on: date
    accepted_on: date | None
    street_pavement_id: int | None
    street_area: Decimal | None
    street_unit_cost: Decimal | None
    street_cost: Decimal | None
    sidewalk_pavement_id: int | None
    sidewalk_area: Decimal | None
    sidewalk_unit_cost: Decimal | None
    sidewalk_cost: Decimal | None

    @property
    def total(self) -> Decimal:
        """Street plus sidewalk cost (a missing one counts zero)."""
        return (self.street_cost or Decimal(0)) + (self.sidewalk_cost or Decimal(0))


@attrs.frozen(kw_only=True)
class RepavingCostChanged(DomainEvent):
    """Costs of a repaving unit were inserted, changed or removed."""

    tag: ClassVar[str] = "repaving.cost_changed"
    unit_id: int
    cost_ids: tuple[int, ...]
    removed: bool = False
