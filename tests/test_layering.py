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


def layer(module: str) -> str | None:
    """`postdesk.routing.route` -> "routing"; None for a module not ours."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "postdesk" and parts[1] in OURS else None


def imported_packages(path: Path) -> set[str]:
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(layer(a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(layer(node.module))
            if node.module == "postdesk":
                found.update(a.name for a in node.names)
    return {p for p in found if p in OURS}


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


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run, at the top or inside a function; not those under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def module_imports() -> dict[str, set[str]]:
    """Our module -> our modules it imports, at the top or inside a function (a deferred import is still an
    edge: it only hides the circle until the day someone moves it up)."""
    files: dict[str, Path] = {}
    for package in sorted(OURS):
        for f in (ROOT / package).rglob("*.py"):
            parts = f.relative_to(ROOT).with_suffix("").parts
            files[".".join(("postdesk", *(parts[:-1] if parts[-1] == "__init__" else parts)))] = f
    graph: dict[str, set[str]] = {}
    for name, f in files.items():
        edges: set[str] = set()
        for node in _runtime_imports(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in files)
            elif node.level == 0 and node.module in files:
                # `from postdesk.parsers import quotes` imports the module postdesk.parsers.quotes, not its __init__
                subs = {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in files}
                edges |= subs or {node.module}
                if len(subs) < len(node.names):
                    edges.add(node.module)
        graph[name] = edges - {name}
    return graph


def test_no_import_circle() -> None:
    """One module's import of another never leads back to it (daemon.cli <-> worker and <-> model_cli did)."""
    assert "postdesk.daemon.pipeline.runner" in module_imports(), "the walk found none of our modules"
    graph = module_imports()
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    circles: list[list[str]] = []

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for nxt in sorted(graph[module]):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert not circles, "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)
