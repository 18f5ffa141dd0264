"""Rules of the service-order configuration: service-type activities and
materials, reference behaviours, the price table, teams and material kits.

Numbered rules (``domain/service-orders.md`` §3): CFG-01..CFG-06 (CFG-07 is the
catalog's uniqueness with its own key), REF-08, PRG-13. The material-kit checks
have no GSAN number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from gsan_core.errors import Message, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import (
    KitLine,
    MaterialKit,
    OrderSituation,
    ServiceChargeValue,
    ServiceType,
    Team,
    TypeMaterial,
)
from gsan_core.rules.validation import normalized, optional_text, required_text

__all__ = [
    "MAX_TEAM_MINUTES",
    "TEAM_NATURE_UNKNOWN",
    "TEAM_VEHICLE_TAKEN",
    "TEAM_VEHICLE_UNKNOWN",
    "Exists",
    "check_activity_order",
    "check_kit",
    "check_price",
    "check_reference_config",
    "check_team",
    "check_type_materials",
    "overlapping",
    "same_segment",
]

#: ``Equipe.CARGA_HORARIA_MAXIMA``: 24 hours, in minutes.
MAX_TEAM_MINUTES = 24 * 60

#: ``exists(kind, id)``: whether an active row of ``kind`` has that id (``"unit"``,
#: ``"user"``, ``"service_profile"``, ``"special_equipment"``, ``"material"``).
Exists = Callable[[str, int], bool]

# ---------------------------------------------------------------- messages
ACTIVITY_ORDER_REPEATED = Message(
    "service_type.activity_order_repeated",
    en="Execution order {order} is given to more than one activity.",
    pt="Ordem de execução {order} já existente.",
    gsan_key="atencao.ordem_execucao.ja_existente",
    rule="CFG-06",
)
ACTIVITY_ORDER_GAP = Message(
    "service_type.activity_order_not_contiguous",
    en="Execution orders must run 1, 2, 3... without gaps; got {orders}.",
    pt="Ordem de execução inválida: as ordens devem ser 1, 2, 3... sem lacunas ({orders}).",
    gsan_key="atencao.ordem_execucao.invalida",
    rule="CFG-06",
)
ACTIVITY_REPEATED = Message(
    "service_type.activity_repeated",
    en="Activity {activity_id} is listed more than once.",
    pt="Atividade {activity_id} informada mais de uma vez.",
    gsan_key="atencao.ordem_execucao.ja_existente",
    rule="CFG-06",
)
ACTIVITIES_MISSING = Message(
    "service_type.activities_missing",
    en="A service type needs at least one activity (or the single activity).",
    pt="Informe ao menos uma atividade para o tipo de serviço.",
    gsan_key="atencao.adionar.atividade.servico.tipo",
    rule="CFG-05",
)
TYPE_MATERIAL_REPEATED = Message(
    "service_type.material_repeated",
    en="Material {material_id} is listed more than once.",
    pt="Material {material_id} informado mais de uma vez.",
    gsan_key="atencao.material_ja_informado",
    rule="CFG-05",
)
QUANTITY_NOT_POSITIVE = Message(
    "service_order.quantity_not_positive",
    en="The quantity of {what} {item_id} must be positive, got {quantity}.",
    pt="A quantidade de {oque} {item_id} deve ser positiva; informado {quantity}.",
    gsan_key="atencao.quantidade_invalida",
)
REFERENCE_SITUATION_BEFORE = Message(
    "service_type_reference.situation_before_invalid",
    en="A reference that requires a referenced order needs the situation before to be pending (1) or closed (2), got {value}.",
    pt="Indicador de existência da OS de referência incompatível com a situação da OS de referência antes ({value}).",
    gsan_key="atencao.indicador_os_incompativel_os_antes",
    rule="REF-08",
)
REFERENCE_SITUATION_AFTER = Message(
    "service_type_reference.situation_after_invalid",
    en="A reference that requires a referenced order needs the situation after to be closed (2) or awaiting release (4), got {value}.",
    pt="Indicador de existência OS de referência incompatível com a situação da OS de referência após ({value}).",
    gsan_key="atencao.indicador_ordem_servico_incompativel",
    rule="REF-08",
)
REFERENCE_SITUATIONS_NOT_ALLOWED = Message(
    "service_type_reference.situations_not_allowed",
    en="A reference that does not require a referenced order takes no situations before and after.",
    pt="Situação da OS de referência antes não permitido para o indicador de existência informado.",
    gsan_key="atencao.indicador_os_nao_permitido",
    rule="REF-08",
)
PRICE_UNKNOWN_TYPE = Message(
    "service_price.unknown_service_type",
    en="Service type {service_type_id} does not exist.",
    pt="Tipo de Serviço {service_type_id} inexistente.",
    gsan_key="atencao.tipo_servico_inexistente",
    rule="CFG-01",
)
PRICE_ECONOMIES_FROM = Message(
    "service_price.economies_from_invalid",
    en="The initial number of economies must be positive, got {value}.",
    pt="Quantidade de economia inicial inválida ({value}).",
    gsan_key="atencao.quatidade_economia_inicial_invalida",
    rule="CFG-02",
)
PRICE_ECONOMIES_TO = Message(
    "service_price.economies_to_invalid",
    en="The final number of economies must be positive, got {value}.",
    pt="Quantidade de economia final inválida ({value}).",
    gsan_key="atencao.quatidade_economia_final_invalida",
    rule="CFG-02",
)
PRICE_ECONOMIES_RANGE = Message(
    "service_price.economies_range_invalid",
    en="The final number of economies ({to}) must be greater than the initial one ({from_}).",
    pt="Quantidade de economia final ({to}) deve ser superior à inicial ({from_}).",
    gsan_key="atencao.quatidade_economia_final_superior",
    rule="CFG-02",
)
PRICE_VALIDITY_ORDER = Message(
    "service_price.validity_reversed",
    en="The validity ends ({valid_until}) before it starts ({valid_from}).",
    pt="Data de vigência final ({valid_until}) menor que a inicial ({valid_from}).",
    gsan_key="atencao.atencao.data_vigencia_final_menor",
    rule="CFG-03",
)
PRICE_VALUE = Message(
    "service_price.value_invalid",
    en="The price must not be negative, got {value}.",
    pt="Valor do serviço inválido ({value}).",
    gsan_key="atencao.valor_invalido",
)
PRICE_OVERLAP = Message(
    "service_price.validity_overlaps",
    en="Price row {other_id} of the same segment is valid from {other_from} to {other_until}, which overlaps {valid_from}..{valid_until}.",
    pt="Já existe valor de cobrança (id {other_id}) para a vigência informada ({other_from} a {other_until}).",
    gsan_key="atencao.existe_valor_para_vigencia",
    rule="CFG-04",
)
TEAM_WORK_LOAD = Message(
    "team.work_load_invalid",
    en="The work load must be between 1 minute and 24 hours, got {minutes} minutes.",
    pt="A carga de trabalho deve estar entre 1 minuto e 24 horas ({minutes} minutos).",
    gsan_key="atencao.inserir_equipe_carga_horaria_maxima",
    rule="PRG-13",
)
TEAM_PLATE = Message(
    "team.plate_invalid",
    en="The vehicle plate {plate!r} must be three letters and four digits{mercosul}.",
    pt="Placa do veículo {plate!r} inválida: três letras e quatro dígitos{mercosul_pt}.",
    gsan_key="atencao.inserir_equipe_placa_veiculo_invalida",
    rule="PRG-13",
)
TEAM_NAME_TAKEN = Message(
    "team.name_taken",
    en="A team named {name!r} already exists (id {other_id}).",
    pt="Já existe uma equipe com o nome {name!r} (id {other_id}).",
    gsan_key="atencao.inserir_equipe_mesmo_nome",
    rule="PRG-13",
)
TEAM_IMEI_TAKEN = Message(
    "team.imei_taken",
    en="IMEI {imei} is used by active team {other_id}.",
    pt="O IMEI {imei} já é usado pela equipe ativa {other_id}.",
    gsan_key="atencao.descricao_concatenada",
    rule="PRG-13",
)
TEAM_NO_RESPONSIBLE = Message(
    "team.no_responsible",
    en="A team needs one responsible component.",
    pt="Informe um componente responsável pela equipe.",
    gsan_key="atencao.inserir_equipe_nenhum_responsavel",
    rule="PRG-13",
)
TEAM_MANY_RESPONSIBLE = Message(
    "team.many_responsible",
    en="A team has exactly one responsible component; {count} are marked.",
    pt="A equipe só pode ter um componente responsável ({count} informados).",
    gsan_key="atencao.inserir_equipe_um_responsavel",
    rule="PRG-13",
)
TEAM_COMPONENT_REPEATED = Message(
    "team.component_repeated",
    en="Employee {employee_id} is a component of the team more than once.",
    pt="Componente {employee_id} já informado para a equipe.",
    gsan_key="atencao.inserir_equipe_componente_ja_informado",
    rule="PRG-13",
)
TEAM_COMPONENT_INVALID = Message(
    "team.component_invalid",
    en="A team component is an employee or a name (component {index}).",
    pt="Componente da equipe inválido: informe o funcionário ou o nome ({index}).",
    gsan_key="atencao.inserir_equipe_componente_invalido",
    rule="PRG-13",
)
TEAM_NATURE_UNKNOWN = Message(
    "team.nature_unknown",
    en="Team nature {nature_id} does not exist or is inactive.",
    pt="Natureza de Equipe {nature_id} inexistente ou inativa.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="VEI-01",
)
TEAM_VEHICLE_UNKNOWN = Message(
    "team.vehicle_unknown",
    en="Vehicle {vehicle_id} does not exist or is inactive.",
    pt="Veículo {vehicle_id} inexistente ou inativo.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="VEI-02",
)
TEAM_VEHICLE_TAKEN = Message(
    "team.vehicle_taken",
    en="Vehicle {vehicle_id} is already the vehicle of active team {other_id}.",
    pt="O veículo {vehicle_id} já pertence à equipe ativa {other_id}.",
    gsan_key="atencao.veiculo_ja_associado_equipe",
    rule="VEI-02",
)
REFERENCE_MISSING = Message(
    "service_order.reference_missing",
    en="{field} {value} does not exist or is inactive.",
    pt="{campo} {value} inexistente ou inativo(a).",
    gsan_key="atencao.pesquisa_inexistente",
)
KIT_NO_LINES = Message(
    "material_kit.no_materials",
    en="A material kit needs at least one material.",
    pt="Informe ao menos um material para o kit.",
    gsan_key="atencao.required",
)
KIT_NAME_TAKEN = Message(
    "material_kit.description_taken",
    en="An active kit described {description!r} already exists (id {other_id}).",
    pt="Já existe um kit ativo com a descrição {description!r} (id {other_id}).",
    gsan_key="atencao.descricao_existente",
)

_OLD_PLATE = re.compile(r"[A-Za-z]{3}[0-9]{4}")
_MERCOSUL_PLATE = re.compile(r"[A-Za-z]{3}[0-9][A-Za-z][0-9]{2}")


# ---------------------------------------------------------------- service types
def check_activity_order(
    entries: Sequence[tuple[int, int]],
) -> tuple[Violation, ...]:
    """CFG-05/CFG-06 for ``(activity_id, execution order)`` pairs: at least one
    activity, each listed once, and the orders unique and contiguous from 1."""
    if not entries:
        return (ACTIVITIES_MISSING(),)
    found: list[Violation] = []
    seen_orders: set[int] = set()
    seen_activities: set[int] = set()
    for activity_id, order in entries:
        if order in seen_orders:
            found.append(ACTIVITY_ORDER_REPEATED(order=order))
        seen_orders.add(order)
        if activity_id in seen_activities:
            found.append(ACTIVITY_REPEATED(activity_id=activity_id))
        seen_activities.add(activity_id)
    if seen_orders != set(range(1, len(seen_orders) + 1)):
        found.append(ACTIVITY_ORDER_GAP(orders=sorted(seen_orders)))
    return tuple(found)


def check_type_materials(
    materials: Sequence[TypeMaterial], *, exists: Exists
) -> tuple[Violation, ...]:
    """CFG-05: each default material exists, is listed once, with a positive quantity."""
    return tuple(
        _material_lines(materials, exists=exists, repeated=TYPE_MATERIAL_REPEATED)
    )


def _material_lines(
    lines: Sequence[TypeMaterial] | Sequence[KitLine],
    *,
    exists: Exists,
    repeated: Message,
) -> list[Violation]:
    found: list[Violation] = []
    seen: set[int] = set()
    for line in lines:
        if line.material_id in seen:
            found.append(repeated(material_id=line.material_id))
        seen.add(line.material_id)
        if not exists("material", line.material_id):
            found.append(
                REFERENCE_MISSING(
                    field="Material", campo="Material", value=line.material_id
                )
            )
        if line.quantity <= 0:
            found.append(
                QUANTITY_NOT_POSITIVE(
                    what="material",
                    oque="material",
                    item_id=line.material_id,
                    quantity=line.quantity,
                )
            )
    return found


def check_reference_config(item: CatalogItem) -> tuple[Violation, ...]:
    """REF-08 (the cross-field part): with "requires a referenced order" the
    situation before is 1 or 2 and after 2 or 4; without it, neither is given.
    (Unique description and abbreviation are the catalog's CAT-4 with REF-08's
    keys.)"""
    before = item.integer("situation_before")
    after = item.integer("situation_after")
    if not item.flag("requires_reference_order"):
        if before is not None or after is not None:
            return (REFERENCE_SITUATIONS_NOT_ALLOWED(),)
        return ()
    found: list[Violation] = []
    if before not in (OrderSituation.PENDING, OrderSituation.CLOSED):
        found.append(REFERENCE_SITUATION_BEFORE(value=before))
    if after not in (OrderSituation.CLOSED, OrderSituation.AWAITING_RELEASE):
        found.append(REFERENCE_SITUATION_AFTER(value=after))
    return tuple(found)


# ---------------------------------------------------------------- price table
def same_segment(a: ServiceChargeValue, b: ServiceChargeValue) -> bool:
    """Whether two price rows price the same properties (CFG-04's "segment")."""
    return (
        a.service_type_id == b.service_type_id
        and a.metered == b.metered
        and a.property_profile_id == b.property_profile_id
        and a.capacity_id == b.capacity_id
        and a.category_id == b.category_id
        and a.subcategory_id == b.subcategory_id
        and a.economies_from == b.economies_from
        and a.economies_to == b.economies_to
    )


def overlapping(a: ServiceChargeValue, b: ServiceChargeValue) -> bool:
    """Whether two validity periods share a day (containment included)."""
    return a.valid_from <= b.valid_until and b.valid_from <= a.valid_until


def check_price(
    row: ServiceChargeValue,
    *,
    service_type: ServiceType | None,
    others: Iterable[ServiceChargeValue],
) -> tuple[Violation, ...]:
    """CFG-01..CFG-04 for a price row among the stored ``others`` of its type.

    CFG-04 refuses any shared day with a row of the same segment, so a new
    period that *contains* an existing one is refused too (GSAN only tests
    whether the new start or end falls inside an existing period).
    """
    found: list[Violation] = []
    if service_type is None:
        found.append(PRICE_UNKNOWN_TYPE(service_type_id=row.service_type_id))
    if row.value < 0:
        found.append(PRICE_VALUE(value=row.value))
    low, high = row.economies_from, row.economies_to
    if low is not None and low <= 0:
        found.append(PRICE_ECONOMIES_FROM(value=low))
    if high is not None and high <= 0:
        found.append(PRICE_ECONOMIES_TO(value=high))
    if low is not None and high is not None and low > 0 and high > 0 and high <= low:
        found.append(PRICE_ECONOMIES_RANGE(from_=low, to=high))
    if row.valid_until < row.valid_from:
        found.append(
            PRICE_VALIDITY_ORDER(valid_from=row.valid_from, valid_until=row.valid_until)
        )
        return tuple(found)
    found.extend(
        PRICE_OVERLAP(
            other_id=other.id,
            other_from=other.valid_from,
            other_until=other.valid_until,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
        )
        for other in others
        if other.id != row.id and same_segment(row, other) and overlapping(row, other)
    )
    return tuple(found)


# ---------------------------------------------------------------- teams
def _plate_ok(plate: str, *, accept_mercosul: bool) -> bool:
    if _OLD_PLATE.fullmatch(plate):
        return True
    return accept_mercosul and _MERCOSUL_PLATE.fullmatch(plate) is not None


def check_team(
    team: Team,
    *,
    others: Iterable[Team],
    exists: Exists,
    accept_mercosul: bool = False,
) -> tuple[Violation, ...]:
    """PRG-13 for a team among the stored ``others``: work load up to 24 hours (in
    minutes), plate of three letters and four digits, a unique name, an IMEI unique
    among active teams, exactly one responsible component and no employee twice;
    and the unit, profile, equipment and employees it names exist. VEI-01/VEI-02:
    its nature and vehicle exist, and a vehicle serves one active team."""
    found: list[Violation] = list(
        required_text(
            team.name, field="Team name", campo="Nome da equipe", max_length=40
        )
    )
    if not 0 < team.work_minutes <= MAX_TEAM_MINUTES:
        found.append(TEAM_WORK_LOAD(minutes=team.work_minutes))
    if team.plate and not _plate_ok(team.plate, accept_mercosul=accept_mercosul):
        found.append(
            TEAM_PLATE(
                plate=team.plate,
                mercosul=" (or the Mercosul ABC1D23)" if accept_mercosul else "",
                mercosul_pt=" (ou Mercosul ABC1D23)" if accept_mercosul else "",
            )
        )
    for other in others:
        if other.id == team.id:
            continue
        if normalized(other.name) == normalized(team.name):
            found.append(TEAM_NAME_TAKEN(name=team.name, other_id=other.id))
        if team.active and other.active and team.imei and other.imei == team.imei:
            found.append(TEAM_IMEI_TAKEN(imei=team.imei, other_id=other.id))
        if (
            team.active
            and other.active
            and team.vehicle_id is not None
            and other.vehicle_id == team.vehicle_id
        ):
            found.append(
                TEAM_VEHICLE_TAKEN(vehicle_id=team.vehicle_id, other_id=other.id)
            )
    if team.nature_id is not None and not exists("team_nature", team.nature_id):
        found.append(TEAM_NATURE_UNKNOWN(nature_id=team.nature_id))
    if team.vehicle_id is not None and not exists("vehicle", team.vehicle_id):
        found.append(TEAM_VEHICLE_UNKNOWN(vehicle_id=team.vehicle_id))
    found += _components(team, exists=exists)
    for kind, value, field, campo in (
        ("unit", team.unit_id, "Unit", "Unidade Organizacional"),
        ("service_profile", team.profile_id, "Service profile", "Perfil do Serviço"),
        ("user", team.responsible_user_id, "Responsible user", "Usuário responsável"),
    ):
        if value is not None and not exists(kind, value):
            found.append(REFERENCE_MISSING(field=field, campo=campo, value=value))
    found.extend(
        REFERENCE_MISSING(
            field="Special equipment", campo="Equipamento Especial", value=equipment
        )
        for equipment in sorted(team.equipment_ids)
        if not exists("special_equipment", equipment)
    )
    return tuple(found)


def _components(team: Team, *, exists: Exists) -> list[Violation]:
    found: list[Violation] = []
    responsible = sum(1 for c in team.components if c.responsible)
    if responsible == 0:
        found.append(TEAM_NO_RESPONSIBLE())
    elif responsible > 1:
        found.append(TEAM_MANY_RESPONSIBLE(count=responsible))
    seen: set[int] = set()
    for index, component in enumerate(team.components, start=1):
        if component.employee_id is None:
            if not (component.name or "").strip():
                found.append(TEAM_COMPONENT_INVALID(index=index))
            continue
        if component.employee_id in seen:
            found.append(TEAM_COMPONENT_REPEATED(employee_id=component.employee_id))
        seen.add(component.employee_id)
        if not exists("user", component.employee_id):
            found.append(
                REFERENCE_MISSING(
                    field="Employee", campo="Funcionário", value=component.employee_id
                )
            )
    return found


# ---------------------------------------------------------------- material kits
def check_kit(
    kit: MaterialKit, *, others: Iterable[MaterialKit], exists: Exists
) -> tuple[Violation, ...]:
    """A kit: a description unique among active kits, at least one material, each
    material existing, listed once, with a positive quantity."""
    found: list[Violation] = list(
        required_text(
            kit.description, field="Kit description", campo="Descrição", max_length=50
        )
    )
    found += optional_text(
        kit.abbreviation,
        field="Kit abbreviation",
        campo="Descrição abreviada",
        max_length=20,
    )
    if kit.active:
        found.extend(
            KIT_NAME_TAKEN(description=kit.description, other_id=other.id)
            for other in others
            if other.id != kit.id
            and other.active
            and normalized(other.description) == normalized(kit.description)
        )
    if not kit.lines:
        found.append(KIT_NO_LINES())
    found += _material_lines(kit.lines, exists=exists, repeated=TYPE_MATERIAL_REPEATED)
    return tuple(found)
