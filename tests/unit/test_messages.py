"""Every message template of the library, found by introspection.

A utility's staff read these every day: the Portuguese text has no English word
and interpolates no English title, and a violation carries the GSAN message key
the domain notes give for its rule (the exceptions are listed here, each with
its reason).
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import gsan_core
from gsan_core.errors import Message
from gsan_core.rules.service_orders import WRONG_SERVICE_TYPE_FOR_OPERATION
from gsan_core.system import default_operations
from tests.support import english_words

ROOT = Path(__file__).resolve().parents[2]
RULE_KEYS = ROOT / "tests" / "data" / "rule_keys.txt"

#: Modules that cannot be imported on their own (Alembic's environment script).
_SKIPPED = (
    "gsan_core.__main__",
    "gsan_core.adapters.sqlalchemy.migrations.env",
    "gsan_core.adapters.gsan_legacy.migrations.env",
)


def _messages_in(value: object, depth: int = 0) -> Iterator[Message]:
    if isinstance(value, Message):
        yield value
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from _messages_in(item, depth + 1)
    elif depth < 2 and isinstance(value, list | tuple | frozenset | set):
        for item in value:
            yield from _messages_in(item, depth + 1)


def all_messages() -> list[Message]:
    """Every ``Message`` a module of ``gsan_core`` holds (alone or in a mapping
    or tuple), once each."""
    found: dict[int, Message] = {}
    for info in pkgutil.walk_packages(gsan_core.__path__, "gsan_core."):
        if info.name in _SKIPPED:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            for message in _messages_in(value):
                found.setdefault(id(message), message)
    return sorted(found.values(), key=lambda m: (m.code, m.rule or ""))


MESSAGES = all_messages()

#: Placeholders whose values are language-neutral: ids, numbers, dates, counts,
#: the user's own input and catalog descriptions (which are the utility's data).
_NEUTRAL = """
    acquired_on acquired_year activity_id after allowed anomaly_id area area_id at
    attended_at attended_on capacity_id category_id changed_on channel_id child_id
    closed_on count cpf current_id customer_id cut_type_id days derived description
    digits division_id earliest employee_id end entity_id example first first_number
    from_ generated_on grade group_id hydrometer_id imei index installed_on
    installments item_id last last_at last_number last_on length level limit
    locality_id location_id manual material_id max_length maximum meter minimum
    minutes months now number occurrence_id offered on order order_id orders
    other_from other_id other_until other_value others parent_id parent_locality
    percentage permission_id profile_id property_id quantity reason_id record_id
    reference reference_id removed_on request_id service_type_id situation
    situation_id specification specification_id start status status_id superior_id
    superior_level suppression_type_id team_id to today type_id unit_id
    unit_type_id user_id valid_from valid_until value year expected
    last_order_id restriction_days well_type_id tariff_id installation_id
    company_id actor responsible_id
    company_id
    customer_type_id power_sphere_id responsible_id relation_id debt_id month
    payment_id
    earlier teams until sequence team_unit_id free needed nature_id vehicle_id
    calibration_id
    due_on offset
    command_id max_orders agent_id file_id order_ids
    service_type_ids
    nth pavement_type_id current_from user_unit_id
    code file_ids
    """
NEUTRAL = frozenset(_NEUTRAL.split())
#: Placeholders a message fills with Portuguese words of its own.
_PORTUGUESE = """
    acao apos campo conhecidas cujo entidade esperado extra_pt filho funcionalidade
    mercosul_pt no_ponto operacao oque pai papel ponto qual situacao tipo
    field_pt kind_pt relation_pt fields_pt bound_pt
    """
PORTUGUESE = frozenset(_PORTUGUESE.split())
#: Placeholders holding an identifier of the API, shown as the caller typed it
#: (a catalog attribute or kind name); ``{x!r}`` placeholders are quoted literals.
IDENTIFIERS = frozenset({"attribute", "other", "ref"})


def test_the_library_has_its_messages() -> None:
    codes = {m.code for m in MESSAGES}
    assert len(MESSAGES) > 300
    assert "hydrometer.install.wrong_service_type" in codes
    assert "connection.water.cut.water_status_not_allowed" in codes


def test_no_portuguese_template_has_an_english_word() -> None:
    found = {m.code: english_words(m.pt) for m in MESSAGES if english_words(m.pt)}
    assert found == {}


def test_no_portuguese_template_interpolates_english() -> None:
    """Every placeholder of a Portuguese template is language-neutral, Portuguese
    by construction, an API identifier, or a quoted literal (``!r``): a new
    placeholder must be classified above, so an English title (an operation's,
    a layout's description) cannot slip into a Portuguese message again."""
    unclassified: dict[str, set[str]] = {}
    for message in MESSAGES:
        for _, name, _, conversion in string.Formatter().parse(message.pt):
            if name is None or conversion == "r":
                continue
            if name not in NEUTRAL | PORTUGUESE | IDENTIFIERS:
                unclassified.setdefault(message.code, set()).add(name)
    assert unclassified == {}


def test_a_portuguese_template_uses_no_english_only_parameter() -> None:
    """A message whose English text names something in words (``{operation}``,
    ``{field}``, ``{point}``) gives the Portuguese text its own parameter."""
    english_only = {"operation", "field", "point", "whose", "feature", "title"}
    leaking = {
        m.code
        for m in MESSAGES
        for _, name, _, conversion in string.Formatter().parse(m.pt)
        if name in english_only and conversion != "r"
    }
    assert leaking == set()


@pytest.mark.parametrize("operation", default_operations(), ids=lambda o: o.key)
def test_every_operation_names_itself_in_portuguese(operation: object) -> None:
    """The generic "service does not allow" message shows the operation's
    Portuguese title (the English one once leaked: "não permite install a
    hydrometer")."""
    title_pt = operation.title_pt  # type: ignore[attr-defined]
    assert title_pt
    assert english_words(title_pt) == []
    violation = WRONG_SERVICE_TYPE_FOR_OPERATION(
        order_id=1,
        service_type_id=2,
        operation=operation.title,  # type: ignore[attr-defined]
        operacao=title_pt,
    )
    assert english_words(violation.message("pt")) == []
    assert title_pt in violation.message("pt")


# ================================================================ GSAN keys
#: The code prefix of a message -> the area of its rule numbers.
_AREAS = {
    "hydrometer.": "hydrometers",
    "connection.": "connections",
    "service_order.": "service-orders",
    "service_type.": "service-orders",
    "service_price.": "service-orders",
    "team.": "service-orders",
    "schedule.": "service-orders",
    "service_request.": "service-requests",
}

#: Violations without a GSAN key although the domain notes give one for their
#: rule, and why: each is a refusal GSAN does not make (the key in the notes is
#: another refusal of the same rule).
KEYLESS: dict[str, str] = {
    "hydrometer.move.nothing_selected": (
        "GSAN's screen refuses an empty selection in JavaScript, with no key; the "
        "key the notes put next to V-1 is the filter's 1,000-row limit"
    ),
    "service_order.commercial.data_required": (
        "gsan_core's own: closing an order that runs an operation needs the "
        "operation's data (GSAN opens its screen); COM-05's keys are the "
        "property checks, which carry them"
    ),
    "service_order.execution.not_executed": (
        "gsan_core's own: GSAN's screen shows the activities only when closing "
        "with execution"
    ),
    "service_request.close.reference_not_allowed": (
        "GSAN disables the field for a reason without duplicity (screen only); "
        "ENC-05's keys are its other refusals"
    ),
    "service_type.unknown_operation": (
        "gsan_core's own wiring check (a type linked to an operation the system "
        "does not register); CFG-05's keys are the type's other refusals"
    ),
}


def _rule_keys() -> dict[tuple[str, str], set[str]]:
    keys: dict[tuple[str, str], set[str]] = {}
    for line in RULE_KEYS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            area, rule, key = line.split()
            keys.setdefault((area, rule), set()).add(key)
    return keys


def _area(code: str) -> str | None:
    return next((a for p, a in _AREAS.items() if code.startswith(p)), None)


def keyless_violations() -> dict[str, set[str]]:
    """code -> the keys the notes give for its rule, for every message without
    a key whose rule has some."""
    keys = _rule_keys()
    found: dict[str, set[str]] = {}
    for message in MESSAGES:
        area = _area(message.code)
        if message.gsan_key is not None or message.rule is None or area is None:
            continue
        given = keys.get((area, message.rule))
        if given:
            found[message.code] = given
    return found


def test_violations_carry_the_gsan_key_the_notes_give() -> None:
    assert set(keyless_violations()) == set(KEYLESS)


def test_the_movement_date_limit_carries_its_gsan_key() -> None:
    """V-6 (the issue that started this list): the key is GSAN's, not ``None``."""
    (message,) = [m for m in MESSAGES if m.code == "hydrometer.move.date_too_old"]
    assert message.gsan_key == "atencao.data.movimentacao.nao.inferior.data.limite"
