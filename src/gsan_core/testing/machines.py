"""Hypothesis state machines: a :class:`~gsan_core.System` beside a plain model.

:class:`CatalogPropertiesMachine` drives the catalog (add, update, deactivate,
activate and remove rows of a few reference tables, valid and invalid) and the
properties (register, update, stale updates) of a system, keeps what should be
stored in plain dictionaries, and checks after every step that the system agrees:
the same rows, the same properties, the same events. Invalid commands must raise
:class:`~gsan_core.errors.RuleViolation` with the predicted codes and change
nothing; stale ones :class:`~gsan_core.errors.ConcurrencyConflict`.

Pytest fixtures cannot reach a state machine, so the system comes from a factory
on the class; :func:`make_machine` builds one machine per backend::

    from gsan_core.testing.machines import make_machine

    TestMemory = make_machine(gsan_core.in_memory).TestCase

The factory must return a new, seeded ``gsan_default`` system with no location
and no properties, keeping its events (``System.events``). Needs
``gsan-core[testing]`` (Hypothesis).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import attrs
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    DuplicateEntity,
    GsanError,
    RuleViolation,
)
from gsan_core.model.catalog import AttributeValue, CatalogItem, CatalogKind
from gsan_core.model.events import DomainEvent
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    Property,
    Route,
)
from gsan_core.rules.validation import normalized
from gsan_core.system import SETUP_ACTOR, System
from gsan_core.testing import strategies as gst

__all__ = [
    "KINDS",
    "CatalogPropertiesMachine",
    "Signature",
    "make_machine",
    "signature",
]

#: The reference tables the machine changes (plain, bool, decimal, referenced by
#: properties, referenced by another kind, pointing to another kind).
KINDS = (
    "cut_reason",
    "cut_type",
    "sewer_profile",
    "property_profile",
    "category",
    "subcategory",
)
#: A row that does not exist, for references that must fail.
MISSING = 99_999
ACTORS = st.integers(min_value=1, max_value=50)
PROPERTY_IDS = st.integers(min_value=1, max_value=30)
LOCATION = (
    Locality(id=1, name="CENTRO"),
    CommercialSector(id=10, locality_id=1, code=1, name="SETOR 1"),
    Block(id=100, locality_id=1, sector_id=10, number=1),
    Route(id=1000, locality_id=1, sector_id=10, code=1, group_id=1),
)

#: An event without its instant: ``(tag, fields)``.
Signature = tuple[str, dict[str, Any]]


def signature(event: DomainEvent) -> Signature:
    """What an event says, without ``occurred_at`` (clocks may differ)."""
    fields = attrs.asdict(event)
    del fields["occurred_at"]
    return type(event).tag, fields


class CatalogPropertiesMachine(RuleBasedStateMachine):
    """The catalog and the properties of a system, compared with a plain model."""

    #: Returns a new seeded system (set by :func:`make_machine`).
    system_factory: ClassVar[Callable[[], System] | None] = None

    def __init__(self) -> None:
        super().__init__()
        factory = type(self).system_factory
        if factory is None:
            msg = "build the machine with make_machine(system_factory)"
            raise ConfigurationError(msg)
        self.system = factory()
        self.kinds: dict[str, CatalogKind] = {
            k: self.system.catalog.kind(k) for k in KINDS
        }
        self.rows: dict[tuple[str, int], CatalogItem] = {
            (item.kind, item.id): item
            for kind in KINDS
            for item in self.system.catalog.list(kind)
        }
        self.properties: dict[int, Property] = {}
        loc, sector, block, route = LOCATION
        self.system.properties.load_locations(
            actor=SETUP_ACTOR,
            localities=[loc],
            sectors=[sector],
            blocks=[block],
            routes=[route],
        )
        self.water = self._active_ids("water_status")
        self.sewer = self._active_ids("sewer_status")
        self.situations = self._active_ids("collection_situation")
        self.first_event = len(self.system.events)
        self.expected: list[Signature] = []

    def teardown(self) -> None:
        self.system.close()

    # ------------------------------------------------------------ model helpers
    def _active_ids(self, kind: str) -> list[int]:
        return [i.id for i in self.system.catalog.list(kind, active_only=True)]

    def _rows_of(self, kind: str) -> list[CatalogItem]:
        return sorted(
            (item for (k, _), item in self.rows.items() if k == kind),
            key=lambda item: item.id,
        )

    def _ids(self, kind: str) -> list[int]:
        return [item.id for item in self._rows_of(kind)]

    def _active(self, kind: str, ident: int) -> bool:
        row = self.rows.get((kind, ident))
        return row is not None and row.active

    def _row_codes(
        self, kind: CatalogKind, item: CatalogItem, *, unknown_attribute: bool = False
    ) -> set[str]:
        """The codes CAT-1..CAT-4 raise for ``item`` (as the model sees it)."""
        codes: set[str] = set()
        if not item.description.strip():
            codes.add("common.required")
        elif len(item.description) > kind.description_max_length:
            codes.add("common.too_long")
        if unknown_attribute:
            codes.add("catalog.unknown_attribute")
        if kind.name == "subcategory":
            target = self.rows.get(("category", item.integer("category_id") or 0))
            if target is None or (item.active and not target.active):
                codes.add("catalog.reference_missing")
        mine = normalized(item.description)
        if item.active and any(
            other.active
            and other.id != item.id
            and normalized(other.description) == mine
            for other in self._rows_of(kind.name)
        ):
            codes.add("catalog.duplicate_description")
        return codes

    def _usage(self, kind: str, ident: int) -> int:
        """CAT-5: how many records use the row (as declared by the kinds)."""
        if kind == "property_profile":
            return sum(1 for p in self.properties.values() if p.profile_id == ident)
        if kind == "category":
            # the subcategories pointing to it and the properties with
            # economies of it
            subs = sum(
                1
                for sub in self._rows_of("subcategory")
                if sub.attributes["category_id"] == ident
            )
            return subs + sum(
                1
                for p in self.properties.values()
                if any(e.category_id == ident for e in p.categories)
            )
        if kind == "subcategory":
            return sum(
                1
                for p in self.properties.values()
                if any(e.subcategory_id == ident for e in p.categories)
            )
        return 0

    def _property_codes(self, prop: Property) -> set[str]:
        """The codes PRO-2 raises for the references the machine changes."""
        codes: set[str] = set()
        if not self._active("property_profile", prop.profile_id):
            codes.add("property.unknown_reference")
        for entry in prop.categories:
            if not self._active("category", entry.category_id):
                codes.add("property.unknown_reference")
            if entry.subcategory_id is None:
                continue
            sub = self.rows.get(("subcategory", entry.subcategory_id))
            if sub is None or not sub.active:
                codes.add("property.unknown_reference")
            elif sub.attributes["category_id"] != entry.category_id:
                codes.add("property.inconsistent_location")
        return codes

    def _category_pairs(self) -> list[tuple[int, int | None]]:
        pairs: list[tuple[int, int | None]] = [(MISSING, None)]
        pairs += [(ident, None) for ident in self._ids("category")]
        for sub in self._rows_of("subcategory"):
            parent = sub.integer("category_id") or MISSING
            pairs.append((parent, sub.id))
            pairs.append((parent + 1, sub.id))  # outside its category (PRO-2)
        return pairs

    def _expect(
        self,
        action: Callable[[], Any],
        *,
        codes: Iterable[str] = (),
        error: type[GsanError] | None = None,
    ) -> Any:
        """Run ``action``; it must raise the predicted codes or error, or succeed."""
        wanted = set(codes)
        result: Any = None
        failed: GsanError | None = None
        try:
            result = action()
        except GsanError as error_raised:
            failed = error_raised
        if isinstance(failed, RuleViolation):
            assert wanted, f"unexpected violation: {failed}"
            assert set(failed.codes) == wanted, (sorted(wanted), failed.codes)
            return None
        if failed is not None:
            assert not wanted, f"expected {sorted(wanted)}, got {failed!r}"
            assert error is not None, f"unexpected error: {failed!r}"
            assert isinstance(failed, error), (error, failed)
            return None
        assert not wanted, f"expected {sorted(wanted)}, the command succeeded"
        assert error is None, f"expected {error.__name__}, the command succeeded"
        return result

    # ------------------------------------------------------------ catalog rules
    @rule(
        data=st.data(),
        kind_name=st.sampled_from(KINDS),
        actor=ACTORS,
        variant=st.sampled_from(
            ["valid", "valid", "blank", "too_long", "duplicate", "unknown", "dangling"]
        ),
    )
    def add_row(
        self, data: st.DataObject, kind_name: str, actor: int, variant: str
    ) -> None:
        kind = self.kinds[kind_name]
        item = data.draw(
            gst.catalog_items(
                kind=kind,
                references={"category": self._ids("category") or [MISSING]},
                active=st.booleans(),
            )
        )
        attributes: dict[str, AttributeValue] = dict(item.attributes)
        unknown = variant == "unknown"
        description = item.description
        actives = [r for r in self._rows_of(kind_name) if r.active]
        if variant == "blank":
            description = "   "
        elif variant == "too_long":
            description = "X" * (kind.description_max_length + 1)
        elif variant == "duplicate" and actives:
            twin = data.draw(st.sampled_from(actives)).description
            description = f" {twin.lower()} "
        elif variant == "dangling" and kind_name == "subcategory":
            attributes["category_id"] = MISSING
        new_id = max(self._ids(kind_name), default=0) + 1
        expected = attrs.evolve(
            item, id=new_id, description=description, attributes=attributes
        )
        codes = self._row_codes(kind, expected, unknown_attribute=unknown)
        given: dict[str, object] = dict(attributes)
        if unknown:
            given["colour"] = "red"
        stored = self._expect(
            lambda: self.system.catalog.add(
                kind_name,
                description=description,
                abbreviation=item.abbreviation,
                attributes=given,
                active=item.active,
                actor=actor,
            ),
            codes=codes,
        )
        if stored is not None:
            assert stored == expected
            self.rows[kind_name, new_id] = stored
            self.expected.append(
                (
                    "catalog.item_added",
                    {"actor": actor, "kind": kind_name, "item_id": new_id},
                )
            )

    def _change(
        self,
        current: CatalogItem,
        changed: CatalogItem,
        command: Callable[[int], CatalogItem],
        *,
        actor: int,
        stale: bool = False,
    ) -> None:
        """Expect ``command(expected_version)`` to store ``changed`` (or refuse it)."""
        kind = self.kinds[current.kind]
        after = attrs.evolve(changed, version=current.version + 1)
        stored = self._expect(
            lambda: command(current.version + (1 if stale else 0)),
            codes=() if stale else self._row_codes(kind, after),
            error=ConcurrencyConflict if stale else None,
        )
        if stored is not None:
            assert stored == after
            self.rows[current.kind, current.id] = stored
            self.expected.append(
                (
                    "catalog.item_changed",
                    {
                        "actor": actor,
                        "kind": current.kind,
                        "item_id": current.id,
                        "version": after.version,
                        "active": after.active,
                    },
                )
            )

    @precondition(lambda self: self.rows)
    @rule(
        data=st.data(),
        actor=ACTORS,
        variant=st.sampled_from(["fresh", "keep", "duplicate", "blank", "stale"]),
    )
    def update_row(self, data: st.DataObject, actor: int, variant: str) -> None:
        key = data.draw(st.sampled_from(sorted(self.rows)))
        current = self.rows[key]
        description = current.description
        others = [r for r in self._rows_of(current.kind) if r.id != current.id]
        if variant == "fresh":
            description = data.draw(gst.descriptions(max_size=20))
        elif variant == "duplicate" and others:
            description = data.draw(st.sampled_from(others)).description.lower()
        elif variant == "blank":
            description = ""
        self._change(
            current,
            attrs.evolve(current, description=description),
            lambda version: self.system.catalog.update(
                current.kind,
                current.id,
                expected_version=version,
                description=description,
                actor=actor,
            ),
            actor=actor,
            stale=variant == "stale",
        )

    @precondition(lambda self: any(r.active for r in self.rows.values()))
    @rule(data=st.data(), actor=ACTORS)
    def deactivate_row(self, data: st.DataObject, actor: int) -> None:
        key = data.draw(
            st.sampled_from(sorted(k for k, r in self.rows.items() if r.active))
        )
        current = self.rows[key]
        self._change(
            current,
            attrs.evolve(current, active=False),
            lambda version: self.system.catalog.deactivate(
                current.kind, current.id, expected_version=version, actor=actor
            ),
            actor=actor,
        )

    @precondition(lambda self: any(not r.active for r in self.rows.values()))
    @rule(data=st.data(), actor=ACTORS)
    def activate_row(self, data: st.DataObject, actor: int) -> None:
        key = data.draw(
            st.sampled_from(sorted(k for k, r in self.rows.items() if not r.active))
        )
        current = self.rows[key]
        self._change(
            current,
            attrs.evolve(current, active=True),
            lambda version: self.system.catalog.activate(
                current.kind, current.id, expected_version=version, actor=actor
            ),
            actor=actor,
        )

    @precondition(lambda self: self.rows)
    @rule(data=st.data(), actor=ACTORS, stale=st.booleans())
    def remove_row(self, data: st.DataObject, actor: int, stale: bool) -> None:
        key = data.draw(st.sampled_from(sorted(self.rows)))
        current = self.rows[key]
        kind, ident = key
        usage = self._usage(kind, ident)

        def remove() -> bool:
            self.system.catalog.remove(
                kind,
                ident,
                expected_version=current.version - 1 if stale else current.version,
                actor=actor,
            )
            return True

        result = self._expect(
            remove,
            codes=["catalog.in_use"] if usage and not stale else [],
            error=ConcurrencyConflict if stale else None,
        )
        if result is not None:
            del self.rows[key]
            self.expected.append(
                (
                    "catalog.item_removed",
                    {"actor": actor, "kind": kind, "item_id": ident},
                )
            )

    # ------------------------------------------------------------ property rules
    def _properties(self) -> st.SearchStrategy[Property]:
        return gst.properties(
            ids=PROPERTY_IDS,
            profile_ids=[*self._ids("property_profile"), MISSING],
            water_status_ids=self.water,
            sewer_status_ids=self.sewer,
            categories=self._category_pairs(),
            collection_situation_ids=self.situations,
        )

    @rule(data=st.data(), actor=ACTORS)
    def register_property(self, data: st.DataObject, actor: int) -> None:
        prop = data.draw(self._properties())
        codes = self._property_codes(prop)
        duplicate = not codes and prop.id in self.properties
        stored = self._expect(
            lambda: self.system.properties.register(prop, actor=actor),
            codes=codes,
            error=DuplicateEntity if duplicate else None,
        )
        if stored is not None:
            assert stored == prop
            self.properties[prop.id] = stored
            self.expected.append(
                ("property.registered", {"actor": actor, "property_id": prop.id})
            )

    @precondition(lambda self: self.properties)
    @rule(
        data=st.data(),
        actor=ACTORS,
        variant=st.sampled_from(["face", "profile", "categories", "water", "stale"]),
    )
    def update_property(self, data: st.DataObject, actor: int, variant: str) -> None:
        pid = data.draw(st.sampled_from(sorted(self.properties)))
        current = self.properties[pid]
        drawn = data.draw(self._properties())
        after = current
        if variant == "face":
            after = attrs.evolve(current, block_face=drawn.block_face)
        elif variant == "profile":
            after = attrs.evolve(current, profile_id=drawn.profile_id)
        elif variant == "categories":
            after = attrs.evolve(current, categories=drawn.categories)
        elif variant == "water":
            after = attrs.evolve(current, water_status_id=drawn.water_status_id)
        stale = variant == "stale"
        codes = set() if stale else self._property_codes(after)
        if after.water_status_id != current.water_status_id:
            codes.add("property.situation_change_not_allowed")
        given = attrs.evolve(after, version=current.version + 1) if stale else after
        stored = self._expect(
            lambda: self.system.properties.update(given, actor=actor),
            codes=codes,
            error=ConcurrencyConflict if stale else None,
        )
        if stored is not None:
            assert stored == attrs.evolve(after, version=current.version + 1)
            self.properties[pid] = stored
            self.expected.append(
                (
                    "property.changed",
                    {"actor": actor, "property_id": pid, "version": stored.version},
                )
            )

    # ------------------------------------------------------------ invariants
    @invariant()
    def catalog_agrees(self) -> None:
        for kind in KINDS:
            assert list(self.system.catalog.list(kind)) == self._rows_of(kind), kind

    @invariant()
    def properties_agree(self) -> None:
        stored = list(self.system.properties.find_by())
        assert stored == [self.properties[i] for i in sorted(self.properties)]

    @invariant()
    def events_agree(self) -> None:
        events = self.system.events[self.first_event :]
        assert [signature(e) for e in events] == self.expected
        assert all(e.occurred_at.utcoffset() is not None for e in events)


def make_machine(
    system_factory: Callable[[], System],
    *,
    name: str = "CatalogPropertiesMachine",
    settings: hypothesis_settings | None = None,
) -> type[CatalogPropertiesMachine]:
    """A :class:`CatalogPropertiesMachine` over the systems ``system_factory`` makes.

    Its ``TestCase`` attribute is a ``unittest.TestCase`` that pytest collects.
    """
    machine: type[CatalogPropertiesMachine] = type(
        name,
        (CatalogPropertiesMachine,),
        {"system_factory": staticmethod(system_factory)},
    )
    if settings is not None:
        machine = settings(machine)
    return machine
