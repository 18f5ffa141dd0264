"""Input checked at the boundary (``gsan_core.services.validation``): every public
service method refuses a bad argument with ``input.invalid.<field>`` before it
reads or writes anything, on every backend alike."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Literal

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.units import OrganizationalUnit
from gsan_core.services.context import Service
from gsan_core.services.validation import checked

AT = datetime(2025, 1, 6, 12, tzinfo=UTC)


def _codes(call: Callable[[], object]) -> tuple[str, ...]:
    with pytest.raises(RuleViolation) as caught:
        call()
    return caught.value.codes


def test_a_wrong_typed_id_is_refused_and_does_not_poison_memory(
    system: gsan_core.System,
) -> None:
    before = len(system.catalog.list("cut_reason"))
    codes = _codes(
        lambda: system.catalog.add(
            "cut_reason",
            description="X",
            actor=1,
            id="1",  # type: ignore[arg-type]
        )
    )
    assert codes == ("input.invalid.id",)
    added = system.catalog.add("cut_reason", description="DEPOIS", actor=1)
    assert len(system.catalog.list("cut_reason")) == before + 1
    assert system.catalog.get("cut_reason", added.id).description == "DEPOIS"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (True, "a bool is not an int"),
        (-1, "negative"),
        (2**63, "beyond BIGINT"),
        (1.0, "a float"),
        (None, "required"),
    ],
)
def test_ids_are_ints_within_bigint(
    system: gsan_core.System, value: object, why: str
) -> None:
    assert _codes(lambda: system.units.get(value)) == ("input.invalid.id",), why  # type: ignore[arg-type]


def test_text_is_text_without_nul_within_its_column(system: gsan_core.System) -> None:
    def add(description: object) -> object:
        return system.catalog.add(
            "cut_reason",
            description=description,  # type: ignore[arg-type]
            actor=1,
        )

    assert _codes(lambda: add("A\x00B")) == ("input.invalid.description",)
    assert _codes(lambda: add("X" * 201)) == ("input.invalid.description",)
    assert _codes(lambda: add(b"bytes")) == ("input.invalid.description",)
    assert _codes(lambda: add(None)) == ("input.invalid.description",)


def test_the_actor_is_an_id(system: gsan_core.System) -> None:
    codes = _codes(
        lambda: system.catalog.add("cut_reason", description="X", actor="1")  # type: ignore[arg-type]
    )
    assert codes == ("input.invalid.actor",)


def test_unknown_missing_and_extra_arguments_are_violations(
    system: gsan_core.System,
) -> None:
    catalog: Any = system.catalog
    assert _codes(lambda: catalog.add("cut_reason", description="X")) == (
        "input.invalid.actor",
    )
    assert _codes(
        lambda: catalog.add("cut_reason", description="X", actor=1, color="red")
    ) == ("input.invalid.color",)
    assert _codes(lambda: catalog.get("cut_reason", 1, 2)) == (
        "input.invalid.arguments",
    )
    assert _codes(lambda: catalog.get("cut_reason", 1, kind="x")) == (
        "input.invalid.kind",
    )


def test_attrs_objects_are_checked_field_by_field(system: gsan_core.System) -> None:
    unit = OrganizationalUnit(id=900, name="N\x00", unit_type_id=1)
    assert _codes(lambda: system.units.register(unit, actor=1)) == (
        "input.invalid.unit.name",
    )
    assert _codes(lambda: system.units.register("unit", actor=1)) == (  # type: ignore[arg-type]
        "input.invalid.unit",
    )
    with pytest.raises(gsan_core.NotFound):
        system.units.get(900)


# ------------------------------------------------------------------ the mechanism
class Color(enum.Enum):
    RED = 1


@attrs.frozen
class Inner:
    count: int
    when: date | None = None


class _Probe(Service):
    """A service with one method per kind of annotation."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    def take(
        self,
        first: int,
        *,
        on: date = date(2025, 1, 1),
        at: datetime = AT,
        clock: time = time(9),
        money: Decimal = Decimal(1),
        ratio: float = 1.0,
        flag: bool = False,
        color: Color = Color.RED,
        mode: Literal["a", "b"] = "a",
        pair: tuple[int, str] = (1, "x"),
        many: tuple[int, ...] = (),
        seq: Sequence[int] = (),
        ids: Iterable[int] = (),
        mapping: Mapping[str, int] | None = None,
        inner: Inner | None = None,
        either: int | str = 1,
        anything: object = None,
        call: Callable[[], None] | None = None,
        installation_reading: int = 0,
    ) -> None:
        self.seen.append(tuple(ids))
        self.seen.append(first)

    def rest(self, *values: int, **named: int) -> int:
        return len(values) + len(named)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"on": datetime(2025, 1, 1, tzinfo=UTC)}, "on"),
        ({"on": date(1800, 1, 1)}, "on"),
        ({"at": datetime(2025, 1, 1)}, "at"),  # noqa: DTZ001 - the point
        ({"at": date(2025, 1, 1)}, "at"),
        ({"at": datetime(3000, 1, 1, tzinfo=UTC)}, "at"),
        ({"clock": "09:00"}, "clock"),
        ({"money": Decimal("NaN")}, "money"),
        ({"money": Decimal("Infinity")}, "money"),
        ({"money": Decimal(10) ** 13}, "money"),
        ({"money": 1.5}, "money"),
        ({"money": True}, "money"),
        ({"ratio": float("inf")}, "ratio"),
        ({"ratio": "1"}, "ratio"),
        ({"flag": 1}, "flag"),
        ({"color": 1}, "color"),
        ({"mode": "c"}, "mode"),
        ({"pair": (1,)}, "pair"),
        ({"pair": ("x", 1)}, "pair"),
        ({"many": (1, "2")}, "many"),
        ({"many": [1]}, "many"),
        ({"seq": {1, 2}}, "seq"),
        ({"seq": "12"}, "seq"),
        ({"ids": "12"}, "ids"),
        ({"ids": 12}, "ids"),
        ({"ids": [1, -2]}, "ids"),
        ({"mapping": {"a": "b"}}, "mapping"),
        ({"mapping": {1: 1}}, "mapping"),
        ({"mapping": [("a", 1)]}, "mapping"),
        ({"inner": Inner(count="1")}, "inner.count"),  # type: ignore[arg-type]
        ({"inner": Inner(count=1, when=AT)}, "inner.when"),
        ({"either": 1.5}, "either"),
        ({"call": 3}, "call"),
        ({"installation_reading": 2**31}, "installation_reading"),
    ],
)
def test_each_kind_of_annotation_is_checked(
    arguments: dict[str, object], field: str
) -> None:
    probe = _Probe()
    assert _codes(lambda: probe.take(1, **arguments)) == (f"input.invalid.{field}",)  # type: ignore[arg-type]
    assert probe.seen == []


def test_good_arguments_pass_and_iterators_are_read_once() -> None:
    probe = _Probe()
    probe.take(
        5,
        ids=(i for i in (1, 2, 3)),
        either="x",
        anything=object(),
        mapping={"a": 1},
        inner=Inner(count=2, when=date(2025, 1, 1)),
        call=lambda: None,
        many=(1, 2),
        pair=(1, "y"),
        seq=[1, 2],
        money=3,
    )
    assert probe.seen == [(1, 2, 3), 5]
    probe.take(first=6, ids=iter([4]))
    assert probe.seen[-2:] == [(4,), 6]
    assert probe.rest(1, 2, a=3) == 3


def test_the_plan_is_built_once_per_method() -> None:
    def method(self: object, value: int) -> int:
        return value

    wrapped = checked(method)
    probe = object()
    calls = [wrapped(probe, number) for number in range(3)]
    assert calls == [0, 1, 2]
    assert wrapped.__wrapped__ is method  # type: ignore[attr-defined]


@attrs.frozen
class Leaf:
    at: datetime
    money: Decimal
    when: date
    flag: bool
    color: Color
    user_ids: frozenset[int] = frozenset()
    reference: int = 202501


@attrs.frozen
class Branch:
    name: str | None
    leaves: tuple[Leaf, ...]


def test_the_fast_path_and_the_plan_agree() -> None:
    """A generated predicate accepts the common case at once; whatever it does
    not accept goes through the field-by-field plan, which names the field."""
    good = Leaf(
        at=AT, money=Decimal(1), when=date(2025, 1, 1), flag=True, color=Color.RED
    )
    probe = _Probe()

    class Trees(Service):
        def __init__(self) -> None:
            pass

        def take(self, *, branches: Sequence[Branch]) -> int:
            return len(branches)

    trees = Trees()
    assert trees.take(branches=[Branch(name=None, leaves=(good,))] * 3) == 3
    cases = {
        "branches.name": Branch(name="A\x00", leaves=(good,)),
        "branches.leaves.money": Branch(
            name="A", leaves=(attrs.evolve(good, money=Decimal("NaN")),)
        ),
        "branches.leaves.user_ids": Branch(
            name="A", leaves=(attrs.evolve(good, user_ids=frozenset({-1})),)
        ),
        "branches.leaves.reference": Branch(
            name="A", leaves=(attrs.evolve(good, reference=202513),)
        ),
    }
    for field, branch in cases.items():
        assert _codes(lambda branch=branch: trees.take(branches=[branch])) == (
            f"input.invalid.{field}",
        )

    # an int subclass fails the fast path and passes the plan
    class Code(int):
        pass

    assert (
        trees.take(
            branches=[
                Branch(name=None, leaves=(attrs.evolve(good, reference=Code(202501)),))
            ]
        )
        == 1
    )
    del probe
