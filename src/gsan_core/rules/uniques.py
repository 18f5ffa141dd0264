"""The unique keys of the schema that are business rules, and the rule each one is.

A unique index of the SQL schema (or the memory adapter's equivalent check) is
the last line of a rule that the services check first: two commands racing past
the check both reach the insert, and the loser's unique violation must read as
the rule it broke (``hydrometer.install.point_has_meter``, rule I-9), not as a
duplicate of an internal id. The adapters look the broken key up here by table
and columns (SQLite names the columns) or by index name (PostgreSQL names the
constraint).

The messages carry no parameters: the database does not say which values
collided, and no message may carry the values of a statement.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from gsan_core.errors import Message, Violation

__all__ = ["UNIQUE_RULES", "UniqueRule", "unique_rule", "unique_violation"]


@attrs.frozen(kw_only=True)
class UniqueRule:
    """One unique key of the schema (``table`` and ``index`` without the table
    prefix) and the rule it enforces."""

    table: str
    columns: tuple[str, ...]
    #: The index's name after ``ix_<prefix><table>_``.
    index: str
    message: Message

    def matches(
        self, table: str, *, columns: Sequence[str] = (), constraint: str = ""
    ) -> bool:
        """Whether a violation reported on ``table`` (prefixed) by ``columns``
        or by the ``constraint`` name is this key."""
        if not table.endswith(self.table):
            return False
        if constraint:
            return constraint.endswith(f"{self.table}_{self.index}")
        return tuple(columns) == self.columns


UNIQUE_RULES: tuple[UniqueRule, ...] = (
    UniqueRule(
        table="hydrometer_installation",
        columns=("property_id", "point"),
        index="open_point",
        message=Message(
            "hydrometer.install.point_has_meter",
            en="The measurement point already has an installed meter (another command installed one first).",
            pt="Imóvel já tem hidrômetro instalado no imóvel para o tipo de medição informado.",
            gsan_key="atencao.hidrometro_instalado_ligacao_agua",
            rule="I-9",
        ),
    ),
    UniqueRule(
        table="hydrometer_installation",
        columns=("hydrometer_id",),
        index="open_hydrometer",
        message=Message(
            "hydrometer.install.not_available",
            en="The meter is already installed (another command installed it first): only an available meter can be installed.",
            pt="Hidrômetro com situação instalado não pode ser instalado.",
            gsan_key="atencao.hidrometro_situacao_indisponivel",
            rule="I-12",
        ),
    ),
    UniqueRule(
        table="hydrometer",
        columns=("number",),
        index="number",
        message=Message(
            "hydrometer.number.exists",
            en="A meter with this number already exists.",
            pt="Hidrômetro com o número informado já existe no cadastro.",
            gsan_key="atencao.hidrometro_ja_existente",
            rule="H-10",
        ),
    ),
    UniqueRule(
        table="satisfaction_survey",
        columns=("request_id",),
        index="request",
        message=Message(
            "service_request.survey.already_answered",
            en="The satisfaction survey of this request was already answered.",
            pt="O questionário de satisfação deste registro de atendimento já foi respondido.",
            rule="SAT-03",
        ),
    ),
    UniqueRule(
        table="service_request",
        columns=("submission_key",),
        index="submission_key",
        message=Message(
            "service_request.open.submission_key_taken",
            en="A request with this submission key is being opened by another command; retry to get it.",
            pt="Um registro de atendimento com esta chave de envio está sendo aberto por outro comando; tente novamente.",
        ),
    ),
)


def unique_rule(
    table: str, *, columns: Sequence[str] = (), constraint: str = ""
) -> UniqueRule | None:
    """The business rule of the unique key reported on ``table`` (by columns or
    by constraint name), or ``None`` when the key is only an identity."""
    for rule in UNIQUE_RULES:
        if rule.matches(table, columns=columns, constraint=constraint):
            return rule
    return None


def unique_violation(rule: UniqueRule) -> Violation:
    """The violation a command that broke ``rule``'s key gets."""
    return rule.message()
