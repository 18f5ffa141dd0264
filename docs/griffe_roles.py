"""A griffe extension of the docs build: reST roles in docstrings
(``:class:`~gsan_core.System```, ``:func:`connect```...) become Markdown.

A role whose target resolves becomes an optional cross-reference (a link when
the reference pages render the target, the name in code otherwise); ``~``
keeps only the last part of the name, as in Sphinx.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|data|mod|attr|exc|obj):`(~?)([\w.]+)`")


def _resolve(obj: griffe.Object, name: str) -> str | None:
    """The full path ``name`` means in the scope of ``obj``, if any."""
    if name.startswith("gsan_core"):
        return name
    scope: Any = obj
    while scope is not None:
        try:
            return str(scope.resolve(name))
        except Exception:  # griffe raises several kinds
            scope = scope.parent
    return None


def convert(obj: griffe.Object, text: str) -> str:
    """``text`` with its roles as Markdown."""

    def replace(match: re.Match[str]) -> str:
        short, name = match.group(1) == "~", match.group(2)
        shown = name.rsplit(".", 1)[-1] if short else name
        target = _resolve(obj, name)
        if target is None:
            return f"`{shown}`"
        return f'<autoref identifier="{target}" optional><code>{shown}</code></autoref>'

    return _ROLE.sub(replace, text)


class ReSTRoles(griffe.Extension):
    """Convert the roles of every docstring once the package is loaded."""

    def on_package(self, *, pkg: griffe.Module, **_: Any) -> None:
        self._walk(pkg, set())

    def _walk(self, obj: griffe.Object, seen: set[str]) -> None:
        if obj.path in seen:
            return
        seen.add(obj.path)
        if obj.docstring is not None:
            obj.docstring.value = convert(obj, obj.docstring.value)
        for member in obj.members.values():
            if not member.is_alias:
                self._walk(member, seen)  # type: ignore[arg-type]
