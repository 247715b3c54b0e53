"""The flow of data is one way: screens → kiosk services → db. Checked on the source (AST), so a
function-level import counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", ["kiosk", "db"])
def test_core_never_imports_textual_or_screens(folder):
    bad = {str(p.relative_to(ROOT)): sorted(n for n in imports(p) if n.split(".")[0] in ("textual", "screens"))
           for p in sources(folder)}
    assert {k: v for k, v in bad.items() if v} == {}


def test_screens_never_touch_the_database():
    """Screens call services; they never import peewee, playhouse, db, or run SQL."""
    bad = {}
    for path in sources("screens"):
        found = sorted(n for n in imports(path) if n.split(".")[0] in ("peewee", "playhouse", "db", "sqlite3", "psycopg"))
        text = path.read_text(encoding="utf-8")
        if "execute_sql" in text:
            found.append("execute_sql")
        if found:
            bad[str(path.relative_to(ROOT))] = found
    assert bad == {}


def test_the_checks_see_real_files():
    assert len(sources("kiosk")) > 10 and len(sources("screens")) > 5 and len(sources("db")) >= 4
