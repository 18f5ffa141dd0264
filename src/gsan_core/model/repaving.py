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
    "RepavingAcceptance",
    "RepavingAccepted",
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
REPAVING_KINDS: tuple[CatalogKind, ...] = (REPAVING_NEIGHBOURHOOD,)
