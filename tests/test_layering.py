"""The dependency rule of DESIGN.md: parsers import nothing of ours, routing only parsers, storage no daemon."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"daemon", "parsers", "routing", "storage", "templates"}
ALLOWED = {
    "parsers": {"parsers"},
    "routing": {"routing", "parsers"},
    "storage": {"storage", "parsers", "routing", "templates"},
    "templates": {"templates"},
}


def imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_the_design_allows(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    bad = {str(f.relative_to(ROOT)): sorted(imported_packages(f) - ALLOWED[package]) for f in files}
    assert {k: v for k, v in bad.items() if v} == {}


def test_pure_packages_do_no_io() -> None:
    """parsers/ and routing/ take values and return values: no sockets, files, clock or database."""
    forbidden = {"socket", "sqlalchemy", "smtplib", "imaplib", "aiohttp", "asyncio", "time", "subprocess"}
    for package in ("parsers", "routing"):
        for f in (ROOT / package).rglob("*.py"):
            tree = ast.parse(f.read_text(encoding="utf-8"))
            mods = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            mods |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
            assert not mods & forbidden, f"{f.relative_to(ROOT)} imports {sorted(mods & forbidden)}"
            assert "open(" not in f.read_text(encoding="utf-8"), f"{f.relative_to(ROOT)} opens files"
