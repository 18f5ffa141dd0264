"""Every numbered rule of the domain notes is named by a test or listed as not
implemented (``docs/profiles.md``, "Rules not implemented"), so the list cannot
drift.

The rules come from ``tests/data/rule_ids.txt`` (``tools/rule_ids.py`` copies them
from the domain notes). A test *names* a rule when its name carries the id
(``test_enc_08_09_...`` names ENC-08 and ENC-09, ``test_v_la7_...`` V-LA7,
``test_i_7_prime_...`` I-7') or its docstring carries the id as a token (a
method of a ``Test*`` class also by the class's docstring).
The ids the order and request notes share (ENC-, UPD-, CFG-) count only in a
test module of their area (``order`` / ``request`` in the module's path).

Run the module as a script to print the rules named nowhere.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "tests" / "data" / "rule_ids.txt"
PROFILES = ROOT / "docs" / "profiles.md"
TESTS = ROOT / "tests"

#: The keywords of a test module's path that put it in an area.
AREA_WORDS = {
    "connections": ("connection", "water", "sewer"),
    "hydrometers": ("hydrometer", "meter"),
    "service-orders": ("order", "service_configuration"),
    "service-requests": ("request",),
    "accounts": ("account",),
    "field-work": ("schedul", "field"),
    "account-services": ("desk", "request"),
}
_NOT_IMPLEMENTED = re.compile(
    r"^## Rules not implemented\n(?P<body>.*?)(?=^## |\Z)", re.S | re.M
)
_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)(?P<suffix>'|b)?$")


def rules() -> list[tuple[str, str]]:
    """``(area, rule id)`` of every numbered rule."""
    found = []
    for line in RULES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            area, rule = line.split()
            found.append((area, rule))
    return found


def _name_form(rule: str) -> str:
    """``ENC-08`` -> ``enc_08``; ``I-7'`` -> ``i_7_prime``; ``V-LA7`` -> ``v_la7``."""
    return rule.lower().replace("-", "_").replace("'", "_prime")


def _names_in_identifier(name: str, rule: str) -> bool:
    """Whether the test name carries ``rule`` (its number zero-padded or not),
    alone or in an enumeration that shares its prefix (``enc_08_09`` names
    ``ENC-09``; ``i_07_09`` names ``I-9``)."""
    split = _NUMBERED.match(rule)
    if split is None:
        return (
            re.search(rf"(?<![a-z0-9]){_name_form(rule)}(?![a-z0-9])", name) is not None
        )
    prefix = re.escape(_name_form(split["prefix"]))
    suffix = _name_form(split["suffix"] or "")
    number = rf"0*{int(split['number'])}{re.escape(suffix)}"
    end = r"(?![a-z0-9])" if suffix else r"(?![a-z0-9]|_prime)"
    if re.search(rf"(?<![a-z0-9]){prefix}{number}{end}", name):
        return True
    if suffix == "_prime":
        return False
    enumeration = rf"(?<![a-z0-9]){prefix}[0-9]+[a-z]?(?:_[0-9]+[a-z]?)*_{number}{end}"
    return re.search(enumeration, name) is not None


def _token(rule: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9-]){re.escape(rule)}(?![A-Za-z0-9'])")


class _Test:
    """What a test function says about itself."""

    def __init__(self, module: Path, name: str, texts: list[str]) -> None:
        self.module = module
        self.name = name
        self.texts = texts
        lowered = str(module.relative_to(TESTS)).lower()
        self.areas = {
            area
            for area, words in AREA_WORDS.items()
            if any(word in lowered for word in words)
        }

    def names(self, rule: str) -> bool:
        return _names_in_identifier(self.name.lower(), rule) or any(
            _token(rule).search(text) for text in self.texts
        )


def _tests_of(module: Path) -> Iterator[_Test]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(
                    item, ast.FunctionDef | ast.AsyncFunctionDef
                ) and item.name.startswith("test"):
                    texts = [
                        ast.get_docstring(item) or "",
                        ast.get_docstring(node) or "",
                    ]
                    yield _Test(module, f"{node.name}_{item.name}", texts)
        elif isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef
        ) and node.name.startswith("test"):
            yield _Test(module, node.name, [ast.get_docstring(node) or ""])


def collect_tests(paths: Iterable[Path] | None = None) -> list[_Test]:
    """Every test function of the test tree (this module excepted)."""
    modules = paths if paths is not None else sorted(TESTS.rglob("test_*.py"))
    return [
        test
        for module in modules
        if module.resolve() != Path(__file__).resolve()
        for test in _tests_of(module)
    ]


def _shared(all_rules: Iterable[tuple[str, str]]) -> set[str]:
    areas: dict[str, set[str]] = {}
    for area, rule in all_rules:
        areas.setdefault(rule, set()).add(area)
    return {rule for rule, where in areas.items() if len(where) > 1}


def named(
    all_rules: list[tuple[str, str]], tests: list[_Test]
) -> dict[tuple[str, str], list[str]]:
    """The tests naming each rule (``area``-scoped for the shared ids)."""
    shared = _shared(all_rules)
    found: dict[tuple[str, str], list[str]] = {}
    for area, rule in all_rules:
        found[(area, rule)] = [
            f"{test.module.name}::{test.name}"
            for test in tests
            if (rule not in shared or area in test.areas) and test.names(rule)
        ]
    return found


def _expand(cell: str) -> list[str]:
    ids: list[str] = []
    for part in (p.strip().strip("`") for p in cell.split(",")):
        if ".." not in part:
            ids.append(part)
            continue
        first, last = (s.strip() for s in part.split(".."))
        head, tail = _NUMBERED.match(first), _NUMBERED.match(last)
        assert head is not None, part
        assert tail is not None, part
        width = len(head["number"])
        ids.extend(
            f"{head['prefix']}{n:0{width}d}"
            for n in range(int(head["number"]), int(tail["number"]) + 1)
        )
    return ids


def not_implemented() -> dict[tuple[str, str], str]:
    """``(area, rule) -> reason`` from the "Rules not implemented" table."""
    match = _NOT_IMPLEMENTED.search(PROFILES.read_text(encoding="utf-8"))
    assert match is not None, "docs/profiles.md has no '## Rules not implemented'"
    listed: dict[tuple[str, str], str] = {}
    for line in match["body"].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Area", "") or set(cells[0]) <= {"-"}:
            continue
        area, ids, reason = cells
        for rule in _expand(ids):
            listed[(area, rule)] = reason
    return listed


def test_the_rule_list_is_the_domain_notes_list() -> None:
    """The copied list parses, has every area and no duplicate."""
    found = rules()
    assert len(found) == len(set(found))
    assert {area for area, _ in found} == set(AREA_WORDS)


def test_every_rule_is_named_by_a_test_or_listed_as_not_implemented() -> None:
    all_rules = rules()
    listed = not_implemented()
    unknown = sorted(set(listed) - set(all_rules))
    assert not unknown, f"listed as not implemented but not a rule: {unknown}"
    by_rule = named(all_rules, collect_tests())
    missing = [r for r in all_rules if not by_rule[r] and r not in listed]
    assert not missing, f"named by no test and not listed: {missing}"
    both = [r for r in all_rules if by_rule[r] and r in listed]
    assert not both, f"listed as not implemented but named by a test: {both}"


def test_an_enumerated_test_name_names_each_rule() -> None:
    assert _names_in_identifier("test_enc_08_09_bounds", "ENC-09")
    assert _names_in_identifier("test_i_7_prime_well", "I-7'")
    assert not _names_in_identifier("test_i_7_prime_well", "I-7")
    assert _names_in_identifier("test_v_la7_tariff", "V-LA7")
    assert not _names_in_identifier("test_units_1", "S-1")
    assert not _names_in_identifier("test_gen_12_cut", "GEN-01")
    assert _names_in_identifier("test_trm_03b_programmed", "TRM-03b")
    assert _names_in_identifier("test_i_07_the_water_situation", "I-7")
    assert not _names_in_identifier("test_i_07_the_water_situation", "I-70")
    assert _names_in_identifier("test_i_07_prime_a_well_meter", "I-7'")


if __name__ == "__main__":  # pragma: no cover - a developer report
    everything = rules()
    report = named(everything, collect_tests())
    listed_rules = (
        not_implemented()
        if _NOT_IMPLEMENTED.search(PROFILES.read_text(encoding="utf-8"))
        else {}
    )
    for key, tests in report.items():
        if not tests and key not in listed_rules:
            print(*key)
