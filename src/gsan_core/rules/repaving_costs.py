"""Repaving costs and services: inserting the costs of a repaving unit's
pavement types in a vigência (PAV-06, UC1106), changing one (PAV-07, UC1107),
removing one no order used (PAV-08), the cost bulletin (PAV-11) and the
repaving services a unit offers (PAV-09). Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from gsan_core.errors import Message, Violation
from gsan_core.model.repaving import (
    CostLine,
    PavementSurface,
    RepavingCost,
    RepavingCostLine,
    RepavingWork,
)

__all__ = [
    "check_cost_lines",
    "check_cost_removal",
    "check_cost_update",
    "check_service_unit",
    "cost_line",
    "cost_on",
    "previous_closed",
]

UNIT_REQUIRED = Message(
    "repaving.cost.unit_required",
    en="Inform the repaving unit.",
    pt="Informe a unidade repavimentadora.",
    gsan_key="atencao.unidade_repavimentadora_nao_informada",
    rule="PAV-06",
)
NO_COST_LINE = Message(
    "repaving.cost.no_line",
    en="Inform at least one pavement cost for the repaving unit.",
    pt="Informe o custo de pavimento por repavimentadora.",
    gsan_key="atencao.informe.custo_pavimento_por_repavimentadora",
    rule="PAV-06",
)
COST_NOT_POSITIVE = Message(
    "repaving.cost.value_not_positive",
    en="The cost of pavement type {pavement_type_id} must be greater than zero.",
    pt="O valor do custo do pavimento {pavement_type_id} deve ser maior que zero.",
    rule="PAV-06",
)
COST_LINE_TWICE = Message(
    "repaving.cost.line_twice",
    en="Pavement type {pavement_type_id} is given twice for the {surface}.",
    pt="O pavimento {pavement_type_id} foi informado mais de uma vez.",
    gsan_key="atencao.informe.custo_pavimento_por_repavimentadora",
    rule="PAV-06",
)
STARTS_BEFORE_OPEN = Message(
    "repaving.cost.starts_before_current",
    en="The new vigência of pavement type {pavement_type_id} starts on {valid_from}, "
    "not after the one in force since {current_from}.",
    pt="A vigência inicial {valid_from} deve ser posterior à vigência em vigor "
    "desde {current_from}.",
    gsan_key="atencao.data_vigencia_inicial_invalida",
    rule="PAV-06",
)
START_INVALID = Message(
    "repaving.cost.start_invalid",
    en="The vigência start is invalid.",
    pt="Data de vigência inicial inválida.",
    gsan_key="atencao.data_vigencia_inicial_invalida",
    rule="PAV-07",
)
END_BEFORE_START = Message(
    "repaving.cost.end_before_start",
    en="The vigência end {valid_until} is before its start {valid_from}.",
    pt="A data de vigência final é menor que a inicial.",
    gsan_key="atencao.atencao.data_vigencia_final_menor",
    rule="PAV-07",
)
OVERLAPS = Message(
    "repaving.cost.overlaps",
    en="The vigência overlaps that of cost {other_id} ({other_from} to {other_until}).",
    pt="A vigência se sobrepõe à do custo {other_id}.",
    rule="PAV-07",
)
GAP = Message(
    "repaving.cost.gap",
    en="The change leaves days without a cost between {gap_from} and {gap_until}: "
    "confirm it.",
    pt="Existe período sem cadastro de custo de pavimento por repavimentadora: "
    "confirme.",
    gsan_key="atencao.existe.periodo.sem_cadastro.custo_pavimento_por_repavimentadora",
    rule="PAV-07",
)
IN_USE_STREET = Message(
    "repaving.cost.in_use_street",
    en="The street cost {cost_id} prices orders closed in its vigência "
    "({order_ids}): it cannot be removed.",
    pt="O custo de pavimento de rua é usado por ordens encerradas na sua vigência.",
    gsan_key="atencao.custo_pavimento_por_repavimentadora_rua.remover",
    rule="PAV-08",
)
IN_USE_SIDEWALK = Message(
    "repaving.cost.in_use_sidewalk",
    en="The sidewalk cost {cost_id} prices orders closed in its vigência "
    "({order_ids}): it cannot be removed.",
    pt="O custo de pavimento de calçada é usado por ordens encerradas na sua vigência.",
    gsan_key="atencao.custo_pavimento_por_repavimentadora_calcada.remover",
    rule="PAV-08",
)
SERVICE_OF_OTHER_UNIT = Message(
    "repaving.service.other_unit",
    en="A user of repaving unit {user_unit_id} maintains only that unit's services, "
    "not those of unit {unit_id}.",
    pt="O usuário da unidade repavimentadora {user_unit_id} só mantém os serviços "
    "dessa unidade.",
    gsan_key="atencao.nao_possui_permissao_para_atualizar",
    rule="PAV-09",
)
SERVICE_UNIT_NOT_REPAVING = Message(
    "repaving.service.unit_not_repaving",
    en="Unit {unit_id} is not a repaving unit.",
    pt="Não existe unidade repavimentadora {unit_id}.",
    gsan_key="erro.nao_existe_unidade_repavimentadora",
    rule="PAV-09",
)


def check_cost_lines(
    *,
    unit_id: int | None,
    repaving_unit: bool,
    valid_from: date | None,
    lines: Sequence[CostLine],
    open_costs: Sequence[RepavingCost],
) -> list[Violation]:
    """PAV-06: the unit is given and repaves; at least one line, each once and
    positive; each new vigência starts after the open one it closes
    (``open_costs``: the unit's costs without an end)."""
    found: list[Violation] = []
    if unit_id is None:
        found.append(UNIT_REQUIRED())
    elif not repaving_unit:
        found.append(SERVICE_UNIT_NOT_REPAVING(unit_id=unit_id))
    if valid_from is None:
        found.append(START_INVALID())
    if not lines:
        found.append(NO_COST_LINE())
    seen: set[tuple[PavementSurface, int]] = set()
    for line in lines:
        key = (line.surface, line.pavement_type_id)
        if key in seen:
            found.append(
                COST_LINE_TWICE(
                    pavement_type_id=line.pavement_type_id,
                    surface=line.surface.name.lower(),
                )
            )
        seen.add(key)
        if line.value <= 0:
            found.append(COST_NOT_POSITIVE(pavement_type_id=line.pavement_type_id))
        current = _open_for(open_costs, line)
        if (
            current is not None
            and valid_from is not None
            and valid_from <= current.valid_from
        ):
            found.append(
                STARTS_BEFORE_OPEN(
                    pavement_type_id=line.pavement_type_id,
                    valid_from=valid_from,
                    current_from=current.valid_from,
                )
            )
    return found


def _open_for(costs: Sequence[RepavingCost], line: CostLine) -> RepavingCost | None:
    for cost in costs:
        if (
            cost.valid_until is None
            and cost.surface is line.surface
            and cost.pavement_type_id == line.pavement_type_id
        ):
            return cost
    return None


def previous_closed(cost: RepavingCost, *, valid_from: date) -> date:
    """PAV-06: inserting a vigência from ``valid_from`` ends the open one the
    day before (GSAN updates the previous row; the day before is the library's
    choice, so no day has two costs)."""
    del cost
    return valid_from - timedelta(days=1)


def check_cost_update(
    cost: RepavingCost,
    *,
    valid_from: date | None,
    valid_until: date | None,
    value: Decimal,
    siblings: Sequence[RepavingCost],
    gap_confirmed: bool,
) -> list[Violation]:
    """PAV-07: a valid start, an end not before it, a positive value; the
    vigência overlaps no other of the same unit, surface and pavement type
    (``siblings``); a change that leaves days without a cost between it and its
    neighbours needs ``gap_confirmed``."""
    if valid_from is None:
        return [START_INVALID()]
    found: list[Violation] = []
    if valid_until is not None and valid_until < valid_from:
        found.append(END_BEFORE_START(valid_from=valid_from, valid_until=valid_until))
    if value <= 0:
        found.append(COST_NOT_POSITIVE(pavement_type_id=cost.pavement_type_id))
    end = date.max if valid_until is None else valid_until
    others = sorted(
        (s for s in siblings if s.id != cost.id), key=lambda s: s.valid_from
    )
    for other in others:
        other_end = date.max if other.valid_until is None else other.valid_until
        if other.valid_from <= end and valid_from <= other_end:
            found.append(
                OVERLAPS(
                    other_id=other.id,
                    other_from=other.valid_from,
                    other_until=other.valid_until,
                )
            )
    if found or gap_confirmed:
        return found
    before = [o for o in others if o.valid_from < valid_from]
    after = [o for o in others if o.valid_from > valid_from]
    if before and before[-1].valid_until is not None:
        gap_from = before[-1].valid_until + timedelta(days=1)
        if gap_from < valid_from:
            found.append(GAP(gap_from=gap_from, gap_until=valid_from - timedelta(1)))
    if after and valid_until is not None:
        gap_until = after[0].valid_from - timedelta(days=1)
        if valid_until < gap_until:
            found.append(
                GAP(gap_from=valid_until + timedelta(days=1), gap_until=gap_until)
            )
    return found


def _paved(work: RepavingWork, surface: PavementSurface) -> int | None:
    if surface is PavementSurface.STREET:
        return work.street_pavement_id
    return work.sidewalk_pavement_id


def check_cost_removal(
    cost: RepavingCost, *, works: Sequence[RepavingWork]
) -> list[Violation]:
    """PAV-08: a cost no work of its unit with its pavement type (on its
    surface) closed within its vigência uses (``works``: the unit's)."""
    used = sorted(
        w.order_id
        for w in works
        if w.unit_id == cost.unit_id
        and _paved(w, cost.surface) == cost.pavement_type_id
        and cost.in_force(w.closed_on)
    )
    if not used:
        return []
    message = (
        IN_USE_STREET if cost.surface is PavementSurface.STREET else IN_USE_SIDEWALK
    )
    return [message(cost_id=cost.id, order_ids=used)]


def cost_on(
    costs: Sequence[RepavingCost],
    *,
    surface: PavementSurface,
    pavement_type_id: int | None,
    on: date,
) -> RepavingCost | None:
    """The cost of a pavement type on a surface in force on ``on``."""
    if pavement_type_id is None:
        return None
    for cost in costs:
        if (
            cost.surface is surface
            and cost.pavement_type_id == pavement_type_id
            and cost.in_force(on)
        ):
            return cost
    return None


def _priced(
    area: Decimal | None, cost: RepavingCost | None
) -> tuple[Decimal | None, Decimal | None]:
    if cost is None:
        return None, None
    if area is None:
        return cost.value, None
    return cost.value, (area * cost.value).quantize(Decimal("0.01"))


def cost_line(work: RepavingWork, *, costs: Sequence[RepavingCost]) -> RepavingCostLine:
    """PAV-11: a work valued by the unit's costs in force on its order's closing
    date, over the areas returned (the sent ones when nothing was returned)."""
    street_type = work.returned_street_pavement_id or work.street_pavement_id
    sidewalk_type = work.returned_sidewalk_pavement_id or work.sidewalk_pavement_id
    street_area = (
        work.returned_street_area if work.returned_on is not None else work.street_area
    )
    sidewalk_area = (
        work.returned_sidewalk_area
        if work.returned_on is not None
        else work.sidewalk_area
    )
    street_unit, street_cost = _priced(
        street_area,
        cost_on(
            costs,
            surface=PavementSurface.STREET,
            pavement_type_id=street_type,
            on=work.closed_on,
        ),
    )
    sidewalk_unit, sidewalk_cost = _priced(
        sidewalk_area,
        cost_on(
            costs,
            surface=PavementSurface.SIDEWALK,
            pavement_type_id=sidewalk_type,
            on=work.closed_on,
        ),
    )
    return RepavingCostLine(
        work_id=work.id,
        order_id=work.order_id,
        closed_on=work.closed_on,
        accepted_on=work.accepted_on,
        street_pavement_id=street_type,
        street_area=street_area,
        street_unit_cost=street_unit,
        street_cost=street_cost,
        sidewalk_pavement_id=sidewalk_type,
        sidewalk_area=sidewalk_area,
        sidewalk_unit_cost=sidewalk_unit,
        sidewalk_cost=sidewalk_cost,
    )


def check_service_unit(
    *, unit_id: int | None, user_unit_id: int | None, user_repaves: bool, repaves: bool
) -> list[Violation]:
    """PAV-09: the service's unit repaves; a user whose own unit is a repaving
    unit maintains only that unit's services (the utility's users any)."""
    found: list[Violation] = []
    if unit_id is None or not repaves:
        found.append(SERVICE_UNIT_NOT_REPAVING(unit_id=unit_id))
    if user_repaves and unit_id != user_unit_id:
        found.append(SERVICE_OF_OTHER_UNIT(user_unit_id=user_unit_id, unit_id=unit_id))
    return found
