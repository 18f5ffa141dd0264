"""CFG-02..CFG-08: the configuration rules of the service requests (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import ServiceType
from gsan_core.model.service_requests import (
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    PropertySituationProfile,
    RequestSpecification,
    SituationCriterion,
    SpecificationServiceType,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.rules import request_configuration as c

ROWS: dict[tuple[str, int], CatalogItem] = {
    ("request_type", 1): CatalogItem(kind="request_type", id=1, description="T"),
    ("debit_type", 2): CatalogItem(kind="debit_type", id=2, description="D"),
    ("request_message", 1): CatalogItem(kind="request_message", id=1, description="M"),
    ("request_channel", 4): CatalogItem(kind="request_channel", id=4, description="C"),
    ("service_type_reference", 1): CatalogItem(
        kind="service_type_reference",
        id=1,
        description="DIAG",
        attributes={"requires_reference_order": True},
    ),
    ("water_status", 1): CatalogItem(kind="water_status", id=1, description="POT"),
    ("water_status", 3): CatalogItem(
        kind="water_status",
        id=3,
        description="LIG",
        attributes={"connection_exists": True},
    ),
    ("sewer_status", 1): CatalogItem(kind="sewer_status", id=1, description="POT"),
    ("sewer_status", 3): CatalogItem(
        kind="sewer_status",
        id=3,
        description="LIG",
        attributes={"connection_exists": True},
    ),
    ("collection_situation", 1): CatalogItem(
        kind="collection_situation", id=1, description="JUDICIAL"
    ),
    ("request_type_group", 6): CatalogItem(
        kind="request_type_group", id=6, description="G"
    ),
}


def lookup(kind: str, id: int) -> CatalogItem | None:
    return ROWS.get((kind, id))


def one(
    violations: Sequence[Violation], code: str, rule: str, key: str | None
) -> Violation:
    found = [v for v in violations if v.code == code]
    assert found, f"{code} not in {[v.code for v in violations]}"
    assert (found[0].rule, found[0].gsan_key) == (rule, key)
    return found[0]


UNITS = {
    1: OrganizationalUnit(id=1, name="U1", unit_type_id=12),
    2: OrganizationalUnit(id=2, name="U2", unit_type_id=12, active=False),
}
TYPES = {
    350: ServiceType(id=350, description="INSP", abbreviation="INSP"),
    351: ServiceType(id=351, description="DIAG", abbreviation="DIAG", reference_id=1),
    352: ServiceType(id=352, description="OLD", abbreviation="OLD", active=False),
    353: ServiceType(id=353, description="REF2", abbreviation="REF2", reference_id=9),
}


def spec(**changes: object) -> RequestSpecification:
    values: dict[str, object] = {
        "id": 10,
        "request_type_id": 1,
        "description": "VAZAMENTO",
        "deadline_days": 2,
    }
    values.update(changes)
    return RequestSpecification(**values)  # type: ignore[arg-type]


def check(
    specification: RequestSpecification, *siblings: RequestSpecification
) -> tuple[Violation, ...]:
    return c.check_specification(
        specification,
        lookup=lookup,
        siblings=siblings,
        units=UNITS,
        service_types=TYPES,
        specification_ids=[10, 11],
        situation_profile_ids=[1],
    )


def test_cfg_02_valid_specification() -> None:
    full = spec(
        unit_id=1,
        debit_type_id=2,
        message_id=1,
        document_channel_ids={4},
        property_situation_id=1,
        new_request_specification_id=11,
        service_type_id=350,
        service_types=[
            SpecificationServiceType(service_type_id=350, execution_order=1)
        ],
    )
    assert check(full) == ()
    # its own id may be the new-request specification
    assert check(spec(new_request_specification_id=10, id=10)) == ()


def test_cfg_02_description_and_deadline_required() -> None:
    found = check(spec(description=" ", deadline_days=None))
    assert {v.params["field"] for v in found} == {"Description", "Deadline (days)"}
    one(
        found,
        "service_request.config.specification_required",
        "CFG-02",
        "atencao.required",
    )
    one(
        check(spec(description="X" * 51)),
        "service_request.config.specification_too_long",
        "CFG-02",
        "atencao.execedeu_limit_observacao",
    )


def test_cfg_02_description_unique_inside_the_type() -> None:
    sibling = spec(id=11, description=" vazamento ")
    one(
        check(spec(), sibling),
        "service_request.config.specification_duplicate",
        "CFG-02",
        "atencao.tipo.especificacao.ja.existe",
    )
    assert check(spec(), spec(id=11, request_type_id=2)) == ()
    assert check(spec(), spec(id=11, active=False)) == ()
    assert check(spec(active=False), sibling) == ()
    assert check(spec(), spec(id=10)) == ()


def test_cfg_02_references_must_exist() -> None:
    broken = spec(
        request_type_id=9,
        unit_id=2,
        debit_type_id=9,
        message_id=9,
        document_channel_ids={9},
        property_situation_id=9,
        new_request_specification_id=99,
        service_type_id=352,
        service_types=[
            SpecificationServiceType(service_type_id=999, execution_order=1)
        ],
    )
    found = check(broken)
    fields = {v.params["field"] for v in found}
    assert fields == {
        "Request type",
        "Initial routing unit",
        "Debit type",
        "Automatic message",
        "Request channel",
        "Property-situation profile",
        "New-request specification",
        "Automatic service type",
        "Service type",
    }
    one(
        found,
        "service_request.config.reference_missing",
        "CFG-02",
        "atencao.pesquisa_inexistente",
    )


def test_cfg_03_automatic_type_without_a_reference_order() -> None:
    one(
        check(spec(service_type_id=351)),
        "service_request.config.automatic_type_needs_reference",
        "CFG-03",
        "atencao.tipo.servico.nao.geracao.automatica",
    )
    assert check(spec(service_type_id=353)) == ()


def test_cfg_04_execution_orders_unique_and_contiguous() -> None:
    def orders(*values: int) -> RequestSpecification:
        return spec(
            service_types=[
                SpecificationServiceType(service_type_id=350, execution_order=v)
                for v in values
            ]
        )

    assert check(orders(3, 4, 5)) == ()
    one(
        check(orders(1, 1)),
        "service_request.config.execution_order_repeated",
        "CFG-04",
        "atencao.valor.ordem.execucao.ja.existe",
    )
    one(
        check(orders(1, 3)),
        "service_request.config.execution_order_gap",
        "CFG-04",
        "atencao.valor.ordem.execucao.fora.sequencia",
    )


def test_cfg_08_document_obligation_combinations() -> None:
    one(
        check(spec(document_required=True)),
        "service_request.config.document_needs_customer",
        "CFG-08",
        "atencao.especificacao.obrigatoriedade.cliente",
    )
    one(
        check(spec(validate_responsible_document=True, requires_property=True)),
        "service_request.config.responsible_needs_document",
        "CFG-08",
        "atencao.especificacao.obrigatoriedade.cliente_imovel",
    )
    one(
        check(
            spec(
                validate_responsible_document=True,
                document_required=True,
                requires_customer=True,
            )
        ),
        "service_request.config.responsible_needs_property",
        "CFG-08",
        "atencao.especificacao.obrigatoriedade.imovel",
    )
    assert (
        check(
            spec(
                validate_responsible_document=True,
                document_required=True,
                requires_customer=True,
                requires_property=True,
            )
        )
        == ()
    )


def test_cfg_07_situation_profile() -> None:
    good = PropertySituationProfile(
        id=1,
        description="LIGADOS",
        criteria=[
            SituationCriterion(water_status_id=3, water_meter=True),
            SituationCriterion(sewer_status_id=3, well_meter=True),
        ],
    )
    assert c.check_situation_profile(good, lookup=lookup) == ()
    empty = PropertySituationProfile(id=2, description=" ")
    assert {
        v.params["field"] for v in c.check_situation_profile(empty, lookup=lookup)
    } == {
        "Description",
        "Criterion",
    }
    repeated = PropertySituationProfile(
        id=3, description="R", criteria=[SituationCriterion(), SituationCriterion()]
    )
    one(
        c.check_situation_profile(repeated, lookup=lookup),
        "service_request.config.situation_criterion_repeated",
        "CFG-07",
        "atencao.inserir_especificacao_situacao_imovel_criterio_ja_informado",
    )
    unknown = PropertySituationProfile(
        id=4,
        description="U",
        criteria=[SituationCriterion(water_status_id=9, sewer_status_id=9)],
    )
    found = c.check_situation_profile(unknown, lookup=lookup)
    assert len(found) == 2
    one(
        found,
        "service_request.config.situation_unknown_status",
        "CFG-07",
        "atencao.inserir_especificacao_situacao_imovel_invalida",
    )
    meters = PropertySituationProfile(
        id=5,
        description="M",
        criteria=[
            SituationCriterion(
                water_status_id=1, sewer_status_id=1, water_meter=True, well_meter=True
            )
        ],
    )
    found = c.check_situation_profile(meters, lookup=lookup)
    one(
        found,
        "service_request.config.situation_meter_without_water",
        "CFG-07",
        "atencao.inserir_especificacao_situacao_imovel_ligacao_agua",
    )
    one(
        found,
        "service_request.config.situation_well_without_sewer",
        "CFG-07",
        "atencao.inserir_especificacao_situacao_imovel_ligacao_esgoto",
    )


def test_cfg_05_locality_specification_grid() -> None:
    def row(
        id: int, spec: int, unit: int, locality: int = 5
    ) -> LocalitySpecificationUnit:
        return LocalitySpecificationUnit(
            id=id, locality_id=locality, specification_id=spec, unit_id=unit
        )

    assert (
        c.check_locality_specification_units(
            5,
            [row(1, 10, 1)],
            locality_exists=True,
            specification_ids=[10],
            units=UNITS,
        )
        == ()
    )
    one(
        c.check_locality_specification_units(
            5, [], locality_exists=True, specification_ids=[], units=UNITS
        ),
        "service_request.config.locality_specification_empty",
        "CFG-05",
        "atencao.especificacao_unidade_nao_informada",
    )
    found = c.check_locality_specification_units(
        5,
        [row(1, 10, 1), row(2, 10, 1), row(3, 99, 2, locality=6)],
        locality_exists=False,
        specification_ids=[10],
        units=UNITS,
    )
    violation = one(
        found,
        "service_request.config.locality_specification_repeated",
        "CFG-05",
        "atencao.localidade_especificacao_unidade_ja_informado",
    )
    assert violation.params["unit_id"] == 1
    missing = [
        v.params["field"]
        for v in found
        if v.code == "service_request.config.association_reference_missing"
    ]
    assert sorted(missing) == ["Locality", "Locality", "Specification", "Unit"]


def test_cfg_06_collection_situation_one_row_per_pair() -> None:
    def row(
        id: int, situation: int = 1, unit: int = 1, spec: int = 10
    ) -> CollectionSituationUnit:
        return CollectionSituationUnit(
            id=id,
            specification_id=spec,
            collection_situation_id=situation,
            unit_id=unit,
        )

    kwargs = {"lookup": lookup, "specification_ids": [10], "units": UNITS}
    assert (
        c.check_collection_situation_units([row(2)], existing=[row(2)], **kwargs) == ()
    )  # type: ignore[arg-type]
    one(
        c.check_collection_situation_units([row(2)], existing=[row(1)], **kwargs),  # type: ignore[arg-type]
        "service_request.config.collection_repeated",
        "CFG-06",
        "atencao.associacao.cobranca_situacao.ja_existente",
    )
    found = c.check_collection_situation_units(
        [row(3, situation=9, unit=2, spec=99)], existing=[], **kwargs
    )  # type: ignore[arg-type]
    assert {v.params["field"] for v in found} == {
        "Collection situation",
        "Specification",
        "Unit",
    }
    assert {(v.rule, v.gsan_key) for v in found} == {
        ("CFG-06", "atencao.pesquisa_inexistente")
    }


def test_locality_group_one_unit_per_pair() -> None:
    def row(
        id: int, group: int = 6, unit: int = 1, locality: int = 5
    ) -> LocalityGroupUnit:
        return LocalityGroupUnit(
            id=id, locality_id=locality, group_id=group, unit_id=unit
        )

    kwargs = {"lookup": lookup, "locality_ids": [5], "units": UNITS}
    assert c.check_locality_group_units([row(1)], existing=[], **kwargs) == ()  # type: ignore[arg-type]
    one(
        c.check_locality_group_units([row(1), row(2)], existing=[], **kwargs),  # type: ignore[arg-type]
        "service_request.config.group_repeated",
        "CFG-05",
        "atencao.localidade_especificacao_unidade.existente",
    )
    found = c.check_locality_group_units(
        [row(3, group=9, unit=2, locality=7)], existing=[], **kwargs
    )  # type: ignore[arg-type]
    assert {v.params["field"] for v in found} == {
        "Locality",
        "Request type group",
        "Unit",
    }
