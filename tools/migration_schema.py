"""Add ``schema=schema()`` to every table/index operation of migration scripts.

Used by ``tools/new_migration.py``; run it alone on a revision file to fix one:
``python tools/migration_schema.py src/.../versions/0003_x.py``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

OPERATIONS = {
    "create_table",
    "drop_table",
    "create_index",
    "drop_index",
    "add_column",
    "drop_column",
    "alter_column",
    "create_foreign_key",
    "drop_constraint",
}


class _AddSchema(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "op"
            and func.attr in OPERATIONS
            and not any(k.arg == "schema" for k in node.keywords)
        ):
            node.keywords.append(
                ast.keyword(
                    arg="schema",
                    value=ast.Call(func=ast.Name("schema"), args=[], keywords=[]),
                )
            )
        return node


def add_schema(source: str) -> str:
    """``source`` with ``schema=schema()`` on every schema-aware operation."""
    tree = _AddSchema().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(add_schema(path.read_text(encoding="utf-8")), encoding="utf-8")
