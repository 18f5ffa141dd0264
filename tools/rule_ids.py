"""Extract the numbered rules of the domain notes, and the GSAN message keys the
notes give next to them, into ``tests/data/rule_ids.txt`` and
``tests/data/rule_keys.txt``.

    .venv/bin/python tools/rule_ids.py                 # rewrite the list
    .venv/bin/python tools/rule_ids.py --check         # fail if it is out of date
    .venv/bin/python tools/rule_ids.py --domain DIR    # notes elsewhere

The domain notes (``connections.md``, ``hydrometers.md``, ``service-orders.md``,
``service-requests.md``, ``account-services.md``) live outside the repository, in the team's shared
folder; the list is copied into the repository so the test that checks every
rule is named by a test or listed as not implemented
(``tests/docs/test_rule_coverage.py``) runs on a clean clone.

A rule id is a token of one of the area's prefixes (``I-7``, ``I-7'``,
``V-LA7``, ``C-CAMPO``, ``GEN-05``, ``TRM-03b``...); a range written in the notes
(``I-1 to I-6``, ``GEN-06..09``, ``FIS-03/04``) stands for every id in it.

A key (`` `atencao.…` ``) belongs to the nearest rule id before it on its line,
else to the rule that opened the paragraph (a bullet, a table row, a numbered
line); a heuristic, good enough to list the library's violations that lack a
key the notes give (``tests/unit/test_messages.py``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "tests" / "data" / "rule_ids.txt"
KEYS_OUTPUT = ROOT / "tests" / "data" / "rule_keys.txt"
DEFAULT_DOMAIN = Path("/work/shared/domain")

#: area -> (notes file, the token pattern of its rule ids).
AREAS: dict[str, tuple[str, str]] = {
    "connections": (
        "connections.md",
        r"V-(?:LAH|LA|CO|SU|LE|AS)\d+|C-(?:OS|ST|IM|ATV|LA|CAMPO|CONC)|E-(?:TRX|OS|DEB)",
    ),
    "hydrometers": ("hydrometers.md", r"(?:OS|H|I|R|S|M|A|V|E)-\d+'?"),
    "service-orders": (
        "service-orders.md",
        r"(?:GEN|UPD|PRG|EXE|ENC|REF|COM|DEB|CFG|VEN|FIS|PAV)-\d{2}",
    ),
    "field-work": ("field-work.md", r"(?:ROT|CAL|VEI|SEL|TXT|RET|INSP|VIS|ESG)-\d{2}"),
    "service-requests": (
        "service-requests.md",
        r"(?:INS|UPD|TRM|ENC|REA|REI|CMD|NUM|SIMP|SAT|CFG|AUTH)-\d{2}b?|U-\d",
    ),
    # sections 1-7 of the account services (sections 8-13 are other issues)
    "accounts": (
        "account-services.md",
        r"(?:ODB|ACR|IDX|EXT|CND|CNC|SVS|DEV|SIM)-\d{2}",
    ),
    # only the service desk's sections of the account-services notes (§8, §10,
    # §11); the other sections belong to billing and collection
    "account-services": ("account-services.md", r"(?:PAM|SMS|POP)-\d{2}"),
}
_KEY = re.compile(r"`(atencao\.[A-Za-z0-9_.]*[A-Za-z0-9_])`")
_LEAD = re.compile(r"^\s*(?:[-*|]\s*|\d+\.\s*)*(?:\*\*)?")
_SPLIT = re.compile(r"^(?P<prefix>[A-Z]+-)(?P<number>\d+)(?P<suffix>.*)$")
_NUMBERED = re.compile(r"^(\D*)(\d+)(\D*)$")


def _token(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9-])(?:{pattern})(?![A-Za-z0-9])")


def _range(first: str, last: str) -> list[str]:
    """``GEN-06`` .. ``GEN-09`` (or ``09``) as every id in between."""
    start = _SPLIT.match(first)
    if start is None or start["suffix"]:
        return [first]
    prefix, width = start["prefix"], len(start["number"])
    end_number = last.removeprefix(prefix)
    if not end_number.isdigit():
        return [first]
    return [
        f"{prefix}{n:0{width}d}"
        for n in range(int(start["number"]), int(end_number) + 1)
    ]


def extract(area: str, text: str) -> list[str]:
    """The rule ids of ``area`` mentioned in ``text``, ranges expanded, sorted."""
    token = AREAS[area][1]
    found = {m.group(0) for m in _token(token).finditer(text)}
    ranges = re.compile(
        rf"(?<![A-Za-z0-9-])(?P<first>{token})"
        rf"(?:\s+to\s+|\.\.|/)(?P<last>(?:{token})|\d+)(?![A-Za-z0-9])"
    )
    for match in ranges.finditer(text):
        found.update(_range(match["first"], match["last"]))
    return sorted(found, key=_order)


def keys(area: str, text: str) -> list[tuple[str, str]]:
    """``(rule id, GSAN key)`` pairs the notes of ``area`` give."""
    token = _token(AREAS[area][1])
    found: set[tuple[str, str]] = set()
    head: str | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            head = None
            continue
        opening = token.match(line, _LEAD.match(line).end())  # type: ignore[union-attr]
        if opening is not None:
            head = opening.group(0)
        for key in _KEY.finditer(line):
            before = [m.group(0) for m in token.finditer(line, 0, key.start())]
            owner = before[-1] if before else head
            if owner is not None:
                found.add((owner, key.group(1)))
    return sorted(found, key=lambda pair: (_order(pair[0]), pair[1]))


def _order(rule: str) -> tuple[str, int, str]:
    split = _NUMBERED.match(rule)
    if split is None:
        return (rule, 0, "")
    return (split[1], int(split[2]), split[3])


def lines(domain: Path) -> Iterator[str]:
    """``<area> <rule id>`` for every rule of every area."""
    for area, (name, _) in AREAS.items():
        for rule in extract(area, (domain / name).read_text(encoding="utf-8")):
            yield f"{area} {rule}"


def render(domain: Path) -> str:
    """The content of ``tests/data/rule_ids.txt``."""
    header = [
        "# The numbered rules of the domain notes, one `<area> <rule id>` a line.",
        "# Generated by tools/rule_ids.py from the shared domain notes: do not edit.",
    ]
    return "\n".join([*header, *lines(domain)]) + "\n"


def render_keys(domain: Path) -> str:
    """The content of ``tests/data/rule_keys.txt``."""
    header = [
        "# The GSAN message keys the domain notes give next to a rule:",
        "# `<area> <rule id> <key>` a line. Generated by tools/rule_ids.py: do not edit.",
    ]
    rows = [
        f"{area} {rule} {key}"
        for area, (name, _) in AREAS.items()
        for rule, key in keys(area, (domain / name).read_text(encoding="utf-8"))
    ]
    return "\n".join([*header, *rows]) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or ``--check``) the list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=Path, default=DEFAULT_DOMAIN)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    outputs = {OUTPUT: render(args.domain), KEYS_OUTPUT: render_keys(args.domain)}
    if args.check:
        stale = [
            path
            for path, text in outputs.items()
            if (path.read_text(encoding="utf-8") if path.exists() else "") != text
        ]
        for path in stale:
            print(f"{path} is out of date: run tools/rule_ids.py")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {text.count(chr(10)) - 2} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
