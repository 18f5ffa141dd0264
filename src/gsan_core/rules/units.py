"""Rules of the organisational-unit tree and of users.

* UNI-1 (GSAN U-2): name required; name and acronym unique among active units;
* UNI-2: the superior unit exists, is active, and the tree has no cycle;
* UNI-3: the dispatch centre exists and is active;
* UNI-4 (GSAN U-4): the superior's type level is smaller than the unit's; unless
  ``vary_unit_hierarchy`` is on, exactly one level above;
* UNI-5 (GSAN U-1): at most one active unit per locality;
* UNI-6 (GSAN U-3): a contractor unit (type code ``T``) may not belong to the
  main company;
* UNI-7 (GSAN U-5): a unit that is the first unit of a request specification
  keeps accepting forwarded requests; a unit serving a sewer division stays a
  sewer unit;
* USR-1: a user's name is required and their home unit exists and is active.
* USR-2: a command's actor is the setup actor (0) or a registered, active user;
  a special permission is granted to or revoked from a registered user, and
  only a permission the utility's profile knows (one of its ``permission.*``
  roles); a deactivated user holds no permission.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from gsan_core.errors import Message, Violation
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.validation import normalized, required_text

__all__ = [
    "ACTOR_INACTIVE",
    "ACTOR_UNKNOWN",
    "CONTRACTOR_OF_MAIN_COMPANY",
    "CONTRACTOR_TYPE_CODE",
    "CYCLE",
    "DUPLICATE_ACRONYM",
    "DUPLICATE_LOCALITY",
    "DUPLICATE_NAME",
    "HIERARCHY_LEVEL",
    "PERMISSION_UNKNOWN",
    "ROUTING_UNIT_IN_USE",
    "SETUP_ACTOR",
    "SEWER_UNIT_IN_USE",
    "UNKNOWN_UNIT",
    "UNKNOWN_UNIT_TYPE",
    "USER_UNKNOWN",
    "ancestors",
    "check_actor",
    "check_permission_change",
    "check_unit",
    "check_unit_in_use",
    "check_user",
]

#: The actor of setup work (seeding reference rows, loading data): not a user.
SETUP_ACTOR = 0

ACTOR_UNKNOWN = Message(
    "actor.unknown",
    en="The acting user {actor} is not registered.",
    pt="Usuário {actor} inexistente.",
    gsan_key="atencao.usuario.inexistente",
    rule="USR-2",
)
ACTOR_INACTIVE = Message(
    "actor.inactive",
    en="The acting user {actor} is inactive.",
    pt="Usuário {actor} inativo.",
    gsan_key="atencao.usuario.inativo",
    rule="USR-2",
)
USER_UNKNOWN = Message(
    "user.unknown",
    en="User {user_id} is not registered.",
    pt="Usuário {user_id} inexistente.",
    gsan_key="atencao.usuario.inexistente",
    rule="USR-2",
)
PERMISSION_UNKNOWN = Message(
    "user.permission.unknown",
    en="Special permission {permission_id} is not one this utility uses.",
    pt="Permissão especial {permission_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="USR-2",
)

#: ``UnidadeTipo.UNIDADE_TIPO_TERCERIZADO``: the type code of a contractor unit.
CONTRACTOR_TYPE_CODE = "T"

DUPLICATE_NAME = Message(
    "unit.duplicate_name",
    en="An active organisational unit named {name!r} already exists (id {other_id}).",
    pt="Unidade Organizacional com a descrição {name!r} já existe (id {other_id}).",
    gsan_key="atencao.inserir_unidade_organizacional_descricao_ja_existe",
    rule="UNI-1",
)
DUPLICATE_ACRONYM = Message(
    "unit.duplicate_acronym",
    en="An active organisational unit with acronym {acronym!r} already exists (id {other_id}).",
    pt="Unidade Organizacional com a sigla {acronym!r} já existe (id {other_id}).",
    gsan_key="atencao.inserir_unidade_organizacional_sigla_ja_existe",
    rule="UNI-1",
)
UNKNOWN_UNIT = Message(
    "unit.unknown",
    en="The {role} unit {unit_id} does not exist or is inactive.",
    pt="A unidade {papel} {unit_id} é inexistente ou está inativa.",
    gsan_key="atencao.unidade.organizacional.inexistente",
    rule="UNI-2",
)
CYCLE = Message(
    "unit.cycle",
    en="Unit {unit_id} cannot be below {superior_id}: the tree would have a cycle.",
    pt="A unidade {unit_id} não pode ficar abaixo de {superior_id}: haveria um ciclo.",
    rule="UNI-2",
)
UNKNOWN_UNIT_TYPE = Message(
    "unit.unknown_type",
    en="Unit type {unit_type_id} does not exist or is inactive.",
    pt="Tipo de unidade {unit_type_id} inexistente ou inativo.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="UNI-1",
)
HIERARCHY_LEVEL = Message(
    "unit.hierarchy_level",
    en="The superior unit's level ({superior_level}) must be {expected} the "
    "unit's level ({level}).",
    pt="O nível da unidade superior ({superior_level}) deve ser {esperado} o nível "
    "da unidade ({level}).",
    gsan_key="atencao.nivel_unidade_superior_invalido",
    rule="UNI-4",
)
DUPLICATE_LOCALITY = Message(
    "unit.duplicate_locality",
    en="An active unit already serves locality {locality_id} (id {other_id}).",
    pt="Unidade Organizacional com a localidade {locality_id} já cadastrada (id {other_id}).",
    gsan_key="atencao.inserir_unidade_organizacional_localidade_ja_cadastradado",
    rule="UNI-5",
)
CONTRACTOR_OF_MAIN_COMPANY = Message(
    "unit.contractor_of_main_company",
    en="A contractor unit cannot belong to the main company ({company_id}).",
    pt="Unidade com tipo Terceirizada não pode estar associada à empresa "
    "principal ({company_id}).",
    gsan_key="atencao.inserir_unidade_organizacional_terceirizada_associada",
    rule="UNI-6",
)
ROUTING_UNIT_IN_USE = Message(
    "unit.routing_in_use",
    en="Unit {unit_id} is the first unit of request specification "
    "{specification_id} and must keep accepting forwarded requests.",
    pt="Unidade Organizacional está associada à especificação {specification_id} "
    "de solicitação de registro de atendimento e não pode deixar de aceitar "
    "trâmite.",
    gsan_key="atencao.unidade.tramitacao",
    rule="UNI-7",
)
SEWER_UNIT_IN_USE = Message(
    "unit.sewer_in_use",
    en="Unit {unit_id} serves sewer division {division!r} and must stay a sewer unit.",
    pt="Unidade Organizacional está associada à divisão de esgoto {division!r} e "
    "não pode deixar de ser unidade de esgoto.",
    gsan_key="atencao.unidade.esgoto",
    rule="UNI-7",
)


_PAPEL = {
    "superior": "superior",
    "dispatch centre": "centralizadora",
    "home": "de lotação",
}


def _unknown_unit(role: str, unit_id: int) -> Violation:
    return UNKNOWN_UNIT(role=role, papel=_PAPEL[role], unit_id=unit_id)


def ancestors(
    unit_id: int, units: Mapping[int, OrganizationalUnit]
) -> Iterator[OrganizationalUnit]:
    """The superiors of ``unit_id`` from the nearest upward, stopping at a cycle."""
    seen = {unit_id}
    current = units.get(unit_id)
    while current is not None and current.superior_id is not None:
        if current.superior_id in seen:
            return
        seen.add(current.superior_id)
        current = units.get(current.superior_id)
        if current is not None:
            yield current


def check_unit(
    unit: OrganizationalUnit,
    *,
    units: Mapping[int, OrganizationalUnit],
    type_levels: Mapping[int, int | None],
    vary_hierarchy: bool,
    contractor_types: Collection[int] = (),
    main_company_id: int | None = None,
) -> tuple[Violation, ...]:
    """Every UNI-1..UNI-6 violation of ``unit`` within the stored ``units``.

    ``type_levels`` maps the active unit-type ids to their level;
    ``contractor_types`` are the ids of the types coded ``T``.
    """
    found: list[Violation] = list(
        required_text(
            unit.name, field="Unit name", campo="Nome da unidade", max_length=60
        )
    )
    if unit.unit_type_id not in type_levels:
        found.append(UNKNOWN_UNIT_TYPE(unit_type_id=unit.unit_type_id))
    if unit.active:
        found += _unit_uniqueness(unit, units)
    if unit.superior_id is not None:
        superior = units.get(unit.superior_id)
        if superior is None or not superior.active:
            found.append(_unknown_unit("superior", unit.superior_id))
        else:
            tree = dict(units)
            tree[unit.id] = unit
            if unit.superior_id == unit.id or any(
                a.id == unit.id for a in ancestors(unit.superior_id, tree)
            ):
                found.append(CYCLE(unit_id=unit.id, superior_id=unit.superior_id))
            found += _levels(unit, superior, type_levels, vary_hierarchy=vary_hierarchy)
    if unit.dispatch_centre_id is not None:
        centre = units.get(unit.dispatch_centre_id)
        if centre is None or not centre.active:
            found.append(_unknown_unit("dispatch centre", unit.dispatch_centre_id))
    if (
        unit.unit_type_id in contractor_types
        and main_company_id is not None
        and unit.company_id == main_company_id
    ):
        found.append(CONTRACTOR_OF_MAIN_COMPANY(company_id=main_company_id))
    return tuple(found)


def check_unit_in_use(
    unit: OrganizationalUnit,
    *,
    specification_ids: Collection[int],
    sewer_divisions: Collection[str],
) -> tuple[Violation, ...]:
    """UNI-7: what ``unit`` serves that its flags must keep.

    ``specification_ids`` are the request specifications whose first unit it is;
    ``sewer_divisions`` the descriptions of the sewer divisions it serves. As in
    GSAN, the flags are checked on every save, not only when they change.
    """
    found: list[Violation] = []
    if not unit.accepts_routing and specification_ids:
        found.append(
            ROUTING_UNIT_IN_USE(
                unit_id=unit.id, specification_id=min(specification_ids)
            )
        )
    if not unit.sewer and sewer_divisions:
        found.append(SEWER_UNIT_IN_USE(unit_id=unit.id, division=min(sewer_divisions)))
    return tuple(found)


def _unit_uniqueness(
    unit: OrganizationalUnit, units: Mapping[int, OrganizationalUnit]
) -> list[Violation]:
    found: list[Violation] = []
    name = normalized(unit.name)
    acronym = normalized(unit.acronym or "")
    for other in units.values():
        if other.id == unit.id or not other.active:
            continue
        if normalized(other.name) == name:
            found.append(DUPLICATE_NAME(name=unit.name, other_id=other.id))
        if acronym and normalized(other.acronym or "") == acronym:
            found.append(DUPLICATE_ACRONYM(acronym=unit.acronym, other_id=other.id))
        if unit.locality_id is not None and other.locality_id == unit.locality_id:
            found.append(
                DUPLICATE_LOCALITY(locality_id=unit.locality_id, other_id=other.id)
            )
    return found


def _levels(
    unit: OrganizationalUnit,
    superior: OrganizationalUnit,
    type_levels: Mapping[int, int | None],
    *,
    vary_hierarchy: bool,
) -> list[Violation]:
    level = type_levels.get(unit.unit_type_id)
    superior_level = type_levels.get(superior.unit_type_id)
    if level is None or superior_level is None:
        return []
    if vary_hierarchy:
        if superior_level < level:
            return []
        expected, esperado = "smaller than", "menor que"
    else:
        if superior_level == level - 1:
            return []
        expected, esperado = "exactly one below", "exatamente um a menos que"
    return [
        HIERARCHY_LEVEL(
            superior_level=superior_level,
            level=level,
            expected=expected,
            esperado=esperado,
        )
    ]


def check_user(
    user: User, *, units: Mapping[int, OrganizationalUnit]
) -> tuple[Violation, ...]:
    """USR-1 violations of ``user``."""
    found = list(
        required_text(
            user.name, field="User name", campo="Nome do usuário", max_length=60
        )
    )
    unit = units.get(user.unit_id)
    if unit is None or not unit.active:
        found.append(_unknown_unit("home", user.unit_id))
    return tuple(found)


def check_actor(actor: int, user: User | None) -> tuple[Violation, ...]:
    """USR-2: ``actor`` is the setup actor or the registered, active ``user``."""
    if actor == SETUP_ACTOR:
        return ()
    if user is None:
        return (ACTOR_UNKNOWN(actor=actor),)
    if not user.active:
        return (ACTOR_INACTIVE(actor=actor),)
    return ()


def check_permission_change(
    *, user_id: int, user: User | None, permission_id: int, known: Collection[int]
) -> tuple[Violation, ...]:
    """USR-2: a grant or revocation names a registered user and a permission of
    the profile's ``permission.*`` roles."""
    found: list[Violation] = []
    if user is None:
        found.append(USER_UNKNOWN(user_id=user_id))
    if permission_id not in known:
        found.append(PERMISSION_UNKNOWN(permission_id=permission_id))
    return tuple(found)
