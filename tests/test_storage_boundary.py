"""Only storage/ talks to the database: nothing else imports SQLAlchemy or holds a connection or session.

The daemon asks `storage.tickets.Tx` (one mail's transaction, one part per table group) and the stores'
functions; a statement written outside storage/ would bypass the prepared statements, the durability rules
of storage.db and the one-transaction-per-mail rule, and nobody would see it in a review of storage/.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from postdesk.storage.db import Database
from postdesk.storage.prepared import Runner
from postdesk.storage.tickets import TicketStore

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = ("daemon", "parsers", "routing", "templates")
PRIVATE = {"_c", "_session", "_run", "_db"}  # the transaction's own: storage.txbase.TxBase


def offences(path: Path, root: Path = ROOT) -> list[str]:
    """What in this module reaches past storage's operations to the database itself, in the order written."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        at = getattr(node, "lineno", 0)
        line = f"{path.relative_to(root)}:{at}"
        if isinstance(node, ast.Import):
            found += [(at, f"{line} imports {a.name}") for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            found.append((at, f"{line} imports from {node.module}"))
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE and not (
                isinstance(node.value, ast.Name) and node.value.id == "self"):  # a class's own is its business
            found.append((at, f"{line} reads a transaction's {node.attr}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            named = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            if node.func.attr == "connection" or (node.func.attr in ("read", "write", "core_read", "core_write")
                                                  and named == "db"):
                found.append((at, f"{line} opens {named}.{node.func.attr}()"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Tx":
            found.append((at, f"{line} makes a Tx of its own session"))
    return [what for _, what in sorted(found)]


def test_nothing_outside_storage_touches_the_database() -> None:
    files = [f for package in OUTSIDE for f in sorted((ROOT / package).rglob("*.py"))]
    assert any(f.name == "runner.py" for f in files), "the walk found none of our modules"
    assert [o for f in files for o in offences(f)] == []


def test_the_check_sees_each_way_past_storage(tmp_path: Path) -> None:
    """The check above can fail: each of these lines is one way past storage's operations."""
    probe = tmp_path / "probe.py"
    probe.write_text("from sqlalchemy import text\nimport sqlalchemy.orm\nwith db.write() as s:\n    pass\n"
                     "tx._c.execute(q)\nself.db.read()\nsession.connection()\nTx(s, db)\n", encoding="utf-8")
    found = offences(probe, tmp_path)
    assert [o.split(" ", 1)[1] for o in found] == [
        "imports from sqlalchemy", "imports sqlalchemy.orm", "opens db.write()", "reads a transaction's _c",
        "opens db.read()", "opens session.connection()", "makes a Tx of its own session"]


def test_a_transaction_offers_no_connection_or_session(tmp_path: Path) -> None:
    """Every public attribute of Tx is an operation: none hands out what storage keeps to itself."""
    db = Database(f"sqlite:///{tmp_path / 'desk.db'}")
    db.create_schema()
    raw = (Connection, Session, Runner, Database)
    with TicketStore(db).transaction() as tx:
        public = {name: getattr(tx, name) for name in dir(tx) if not name.startswith("_")}
    assert "create_ticket" in public and "change_status" in public
    assert {name for name, value in public.items() if isinstance(value, raw) or not callable(value)} == set()
    db.dispose()
