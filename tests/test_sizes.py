"""Size limits of issue 16: a module is read whole, a function on one screen.

No module of ours over 400 lines, no function over 60 — tables of data and templates aside (a table is a long
literal, not logic; Alembic's baseline migration is the schema written out once, a table too)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("daemon", "parsers", "routing", "storage", "templates")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
TABLES = {Path("storage/migrations/versions/0001_baseline.py")}


def our_modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_no_module_over_400_lines() -> None:
    over = {str(p.relative_to(ROOT)): n for p in our_modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
            and p.relative_to(ROOT) not in TABLES}
    assert over == {}


def test_no_function_over_60_lines() -> None:
    over: dict[str, int] = {}
    for p in our_modules():
        if p.relative_to(ROOT) in TABLES:
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    over[f"{p.relative_to(ROOT)}:{node.lineno} {node.name}"] = length
    assert over == {}


def test_the_walk_sees_our_code() -> None:
    """Guards the two above: a wrong root would find nothing and pass."""
    assert len(our_modules()) > 100
