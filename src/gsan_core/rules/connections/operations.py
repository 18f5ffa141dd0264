"""The operation table: every connection operation described once
(:data:`OPERATIONS`), and the transition rows the docs render from it."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

import attrs

from gsan_core.model.connections import ConnectionKind
from gsan_core.model.profile import UtilityProfile

MenuVariant = Literal["strict", "grace", "update"]
Family = Literal["water", "sewer", "change", "batch"]


class MeterStep(StrEnum):
    """What an operation does with the water connection's meter (the hydrometer
    area does it in the same unit of work)."""

    NONE = "none"
    """Nothing."""
    INSTALL = "install"
    """Installs the meter its input gives ("com instalação de hidrômetro")."""
    OPTIONAL_INSTALL = "optional_install"
    """Installs a meter when its input gives one (UC0579, "sem RA")."""
    REPLACE = "replace"
    """Replaces the installed meter ("com substituição de hidrômetro")."""
    CUT_READING = "cut_reading"
    """Writes the cut reading on the open installation."""
    SUPPRESSION_REMOVAL = "suppression_removal"
    """Writes the suppression reading and removes the meter, without a charge
    (GSAN ``efetuarRetiradaHidrometroSemGeracaoDebito``)."""
    REFUSED_WHILE_INSTALLED = "refused_while_installed"
    """Refused while a meter is installed (V-AS6, V-AS7)."""


#: How the docs describe each meter step.
METER_TEXT: Mapping[MeterStep, str] = {
    MeterStep.NONE: "—",
    MeterStep.INSTALL: "installs the given meter (I-9..I-15)",
    MeterStep.OPTIONAL_INSTALL: "installs a meter when one is given (I-9..I-15)",
    MeterStep.REPLACE: "replaces the installed meter (S-7..S-13)",
    MeterStep.CUT_READING: "cut reading on the open installation",
    MeterStep.SUPPRESSION_REMOVAL: "suppression reading; the meter is removed, "
    "back to available at its location, no charge",
    MeterStep.REFUSED_WHILE_INSTALLED: "refused while a meter is installed",
}


# ---------------------------------------------------------------- the operations
@attrs.frozen(kw_only=True)
class OperationSpec:
    """One connection operation: everything but its rules."""

    key: str
    title: str
    title_pt: str
    family: Family
    #: GSAN ``Operacao`` id (E-TRX), when GSAN has one.
    gsan_operation: int | None
    #: The situation the operation moves (and whose source it checks).
    kind: ConnectionKind
    #: The role of the situation it moves to; ``None``: unchanged or computed.
    target_role: str | None
    #: How it is described in the docs when ``target_role`` is ``None``.
    target_text: str = "unchanged"
    #: The OS check of the menu path (C-OS); ``None``: no order (batches).
    menu_variant: MenuVariant | None = "strict"
    #: E-DEB: the service type's charge applies.
    charges: bool = True
    #: C-CAMPO: the property "in field" lock applies.
    field_lock: bool = False
    #: Whether ``profile.transitions[key]`` lists the allowed source situations.
    checks_source: bool = True
    #: The GSAN use case (for the docs).
    use_case: str = ""
    #: What it does with the water connection's meter.
    meter: MeterStep = MeterStep.NONE


def _spec(key: str, title: str, title_pt: str, **rest: object) -> OperationSpec:
    return OperationSpec(key=key, title=title, title_pt=title_pt, **rest)  # type: ignore[arg-type]


_W, _S = ConnectionKind.WATER, ConnectionKind.SEWER

#: Every connection operation by key (the keys service types link to).
OPERATIONS: Mapping[str, OperationSpec] = {
    spec.key: spec
    for spec in (
        _spec(
            "water.connect",
            "connect the water connection",
            "efetuar ligação de água",
            family="water",
            gsan_operation=257,
            kind=_W,
            target_role="water_status.connected",
            menu_variant="grace",
            field_lock=True,
            use_case="UC0354",
        ),
        _spec(
            "water.connect_without_order",
            "connect the water connection without a service request",
            "efetuar ligação de água sem RA",
            family="water",
            gsan_operation=882,
            kind=_W,
            target_role="water_status.connected",
            menu_variant=None,
            charges=False,
            field_lock=True,
            use_case="UC0354 / UC0579 (sem RA)",
            meter=MeterStep.OPTIONAL_INSTALL,
        ),
        _spec(
            "water.cut",
            "cut the water connection",
            "efetuar corte de ligação de água",
            family="water",
            gsan_operation=48,
            kind=_W,
            target_role="water_status.cut",
            menu_variant="grace",
            use_case="UC0355",
            meter=MeterStep.CUT_READING,
        ),
        _spec(
            "water.administrative_cut",
            "record an administrative cut",
            "efetuar corte administrativo",
            family="water",
            gsan_operation=358,
            kind=_W,
            target_role=None,
            use_case="UC0369",
        ),
        _spec(
            "water.suppress",
            "suppress the water connection",
            "efetuar supressão da ligação de água",
            family="water",
            gsan_operation=685,
            kind=_W,
            target_role=None,
            target_text="suppressed (total) or partially suppressed on request",
            menu_variant="grace",
            use_case="UC0360",
            meter=MeterStep.SUPPRESSION_REMOVAL,
        ),
        _spec(
            "water.reconnect",
            "reconnect the water connection",
            "efetuar religação de água",
            family="water",
            gsan_operation=50,
            kind=_W,
            target_role="water_status.connected",
            menu_variant="grace",
            field_lock=True,
            use_case="UC0357",
        ),
        _spec(
            "water.restore",
            "restore the water connection",
            "efetuar restabelecimento da ligação de água",
            family="water",
            gsan_operation=51,
            kind=_W,
            target_role="water_status.connected",
            menu_variant="grace",
            field_lock=True,
            use_case="UC0359",
        ),
        _spec(
            "water.connect_with_meter",
            "connect the water connection with a meter installation",
            "efetuar ligação de água com instalação de hidrômetro",
            family="water",
            gsan_operation=706,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0354 + UC0362",
            meter=MeterStep.INSTALL,
        ),
        _spec(
            "water.reconnect_with_meter",
            "reconnect the water connection with a meter installation",
            "efetuar religação de água com instalação de hidrômetro",
            family="water",
            gsan_operation=16044,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0498 / UC0747",
            meter=MeterStep.INSTALL,
        ),
        _spec(
            "water.restore_with_meter",
            "restore the water connection with a meter installation",
            "efetuar restabelecimento da ligação de água com instalação de hidrômetro",
            family="water",
            gsan_operation=879,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0540",
            meter=MeterStep.INSTALL,
        ),
        _spec(
            "water.connect_with_replacement",
            "connect the water connection with a meter replacement",
            "efetuar ligação de água com substituição de hidrômetro",
            family="water",
            gsan_operation=16045,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0354 + UC0364",
            meter=MeterStep.REPLACE,
        ),
        _spec(
            "water.reconnect_with_replacement",
            "reconnect the water connection with a meter replacement",
            "efetuar religação de água com substituição de hidrômetro",
            family="water",
            gsan_operation=16046,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0357 + UC0364",
            meter=MeterStep.REPLACE,
        ),
        _spec(
            "water.restore_with_replacement",
            "restore the water connection with a meter replacement",
            "efetuar restabelecimento com substituição de hidrômetro",
            family="water",
            gsan_operation=16047,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0359 + UC0364",
            meter=MeterStep.REPLACE,
        ),
        _spec(
            "water.minimum_consumption",
            "update the minimum consumption",
            "atualizar consumo mínimo da ligação de água",
            family="water",
            gsan_operation=393,
            kind=_W,
            target_role=None,
            charges=False,
            checks_source=False,
            use_case="UC0463",
        ),
        _spec(
            "water.update",
            "update the water connection data",
            "atualizar ligação de água",
            family="water",
            gsan_operation=422,
            kind=_W,
            target_role=None,
            menu_variant="update",
            charges=False,
            field_lock=True,
            use_case="UC0367",
        ),
        _spec(
            "water.change_cut_type",
            "change the cut type",
            "alterar tipo de corte",
            family="water",
            gsan_operation=1503,
            kind=_W,
            target_role=None,
            use_case="op. 1503",
        ),
        _spec(
            "sewer.connect",
            "connect the sewer connection",
            "efetuar ligação de esgoto",
            family="sewer",
            gsan_operation=272,
            kind=_S,
            target_role="sewer_status.connected",
            field_lock=True,
            use_case="UC0353",
        ),
        _spec(
            "sewer.connect_without_order",
            "connect the sewer connection without a service request",
            "efetuar ligação de esgoto sem RA",
            family="sewer",
            gsan_operation=1002,
            kind=_S,
            target_role="sewer_status.connected",
            menu_variant=None,
            charges=False,
            field_lock=True,
            use_case="UC0353 (sem RA)",
        ),
        _spec(
            "sewer.billing_situation",
            "change the sewer billing situation",
            "efetuar mudança de situação de faturamento da ligação de esgoto",
            family="sewer",
            gsan_operation=247,
            kind=_S,
            target_role=None,
            target_text="by the service type: plug → plugged, deactivate → "
            "feasible/potential by the block's network (or out of use), "
            "restore / reactivate → connected",
            checks_source=False,
            use_case="UC0356",
        ),
        _spec(
            "sewer.minimum_volume",
            "update the minimum sewer volume",
            "atualizar volume mínimo da ligação de esgoto",
            family="sewer",
            gsan_operation=277,
            kind=_S,
            target_role=None,
            charges=False,
            checks_source=False,
            use_case="UC0464",
        ),
        _spec(
            "sewer.update",
            "update the sewer connection data",
            "atualizar ligação de esgoto",
            family="sewer",
            gsan_operation=None,
            kind=_S,
            target_role=None,
            menu_variant="update",
            charges=False,
            field_lock=True,
            use_case="atualizar ligação de esgoto",
        ),
        _spec(
            "sewer.feasible_billable.inform",
            "inform the feasible-billable sewer situation",
            "informar situação de esgoto factível faturável",
            family="sewer",
            gsan_operation=None,
            kind=_S,
            target_role="sewer_status.feasible_billable",
            use_case="UC1467 (CAEMA)",
        ),
        _spec(
            "sewer.feasible_billable.withdraw",
            "withdraw the feasible-billable sewer situation",
            "retirar situação de esgoto factível faturável",
            family="sewer",
            gsan_operation=None,
            kind=_S,
            target_role=None,
            target_text="the situation before it was informed",
            use_case="UC1468 (CAEMA)",
        ),
        _spec(
            "connection.change_situation",
            "change the connection situation",
            "alterar situação da ligação",
            family="change",
            gsan_operation=857,
            kind=_W,
            target_role=None,
            target_text="potential or feasible by the block's network; the "
            "connection row is deleted",
            charges=False,
            checks_source=False,
            use_case="UC0555",
            meter=MeterStep.REFUSED_WHILE_INSTALLED,
        ),
        _spec(
            "water.reconnect_by_consumption",
            "reconnect cut properties with real consumption (batch)",
            "religar imóveis cortados com consumo real",
            family="batch",
            gsan_operation=1685,
            kind=_W,
            target_role="water_status.connected",
            menu_variant=None,
            charges=False,
            use_case="UC1073",
        ),
        _spec(
            "water.promote_analysis",
            "promote 'connected under analysis' to connected (batch)",
            "atualizar ligação de água de ligado em análise para ligado",
            family="batch",
            gsan_operation=None,
            kind=_W,
            target_role="water_status.connected",
            menu_variant=None,
            charges=False,
            use_case="UC0823",
        ),
    )
}


# ---------------------------------------------------------------- the table (docs)
@attrs.frozen(kw_only=True)
class TransitionRow:
    """One row of an operation family's transition table, for a profile."""

    key: str
    title: str
    use_case: str
    gsan_operation: int | None
    sources: tuple[int, ...] | None
    target: str
    sewer_effect: str
    menu_variant: str
    charges: bool
    field_lock: bool
    meter: str = METER_TEXT[MeterStep.NONE]


def transition_rows(profile: UtilityProfile, family: Family) -> list[TransitionRow]:
    """The rows of ``family`` for ``profile`` (what the docs render)."""
    rows: list[TransitionRow] = []
    for spec in OPERATIONS.values():
        if spec.family != family:
            continue
        sources = (
            tuple(sorted(profile.allowed(spec.key))) if spec.checks_source else None
        )
        target = spec.target_text
        if spec.target_role is not None:
            target = spec.target_role.split(".", 1)[1].replace("_", " ")
            target += (
                f" ({', '.join(str(i) for i in sorted(profile.ids(spec.target_role)))})"
            )
        coupled = spec.target_role == "water_status.connected"
        rows.append(
            TransitionRow(
                key=spec.key,
                title=spec.title,
                use_case=spec.use_case,
                gsan_operation=spec.gsan_operation,
                sources=sources,
                target=target,
                sewer_effect="out of use → connected" if coupled else "unchanged",
                menu_variant=spec.menu_variant or "no order",
                charges=spec.charges,
                field_lock=spec.field_lock,
                meter=METER_TEXT[spec.meter],
            )
        )
    return rows
