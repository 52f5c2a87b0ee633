"""One way out (issue 16): every mail the desk writes is composed and queued in daemon/outgoing/, where its
rule is applied once; nobody else builds a mail or writes an outbox row."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postdesk.daemon.config import load_config
from postdesk.daemon.outgoing.send import ACK, LOGIN, NOTIFY, STATUS, Answering, Body, Held, Letter, Post, Reason, Sent
from postdesk.storage import outbox
from postdesk.storage.db import Database
from postdesk.storage.tickets import TicketStore
from postdesk.templates.render import Renderer

ROOT = Path(__file__).resolve().parents[2]
OUTGOING = ROOT / "daemon" / "outgoing"


def _calls(path: Path, names: set[str]) -> list[str]:
    """`file:line name(...)` for each call of a function or method by one of these names."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in names:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}()")
    return found


def _outside_outgoing() -> list[Path]:
    files = [f for f in sorted((ROOT / "daemon").rglob("*.py")) if OUTGOING not in f.parents]
    assert len(files) > 20, "daemon/ has not been found where this test looks for it"
    return files


def test_only_outgoing_composes_or_queues_mail() -> None:
    """compose() (the mail's bytes) and enqueue() (its outbox row) are called in daemon/outgoing/ alone: a caller
    hands a letter to the one way out, which applies the auto-reply guard and the limits before either."""
    found = [call for f in _outside_outgoing() for call in _calls(f, {"compose", "enqueue"})]
    assert found == []


def test_the_check_sees_what_it_looks_for() -> None:
    """The walk above finds these calls where they are, so an empty answer means none elsewhere."""
    found = [call for f in sorted(OUTGOING.rglob("*.py")) for call in _calls(f, {"compose", "enqueue"})]
    assert any("send.py" in c and "compose()" in c for c in found)
    assert any("send.py" in c and "enqueue()" in c for c in found)


CONFIG = """
[service]
name = "Desk"
address = "service@corp.example"
secret = "0123456789abcdef0123"
[[queues]]
name = "general"
[routing]
default_queue = "general"
"""
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PERSON = Answering(envelope_from="petr@corp.example")


@pytest.fixture
def post(tmp_path: Path, database_url: str) -> tuple[Post, TicketStore, Database]:
    p = tmp_path / "postdesk.toml"
    p.write_text(CONFIG + f'[database]\nurl = "{database_url}"\n')
    config = load_config(p)
    db = Database(config.database_url)
    db.create_schema()
    return Post(config, Renderer()), TicketStore(db), db


def _to(address: str) -> Letter:
    return Letter(to=(("", address),), subject="Re: вопрос", language="ru")


def test_the_guard_holds_what_rfc_3834_says_is_never_answered(post: tuple[Post, TicketStore, Database]) -> None:
    p, store, db = post
    rendered: list[str] = []

    def body() -> Body:
        rendered.append("x")
        return Body("Текст")

    with store.transaction() as tx:
        null = p.send(tx, ACK, _to("petr@corp.example"), body, NOW, Answering(envelope_from=""))
        robot = p.send(tx, STATUS, _to("petr@corp.example"), body, NOW, Answering("petr@corp.example", "auto-reply"))
        loop = p.send(tx, STATUS, _to("service+x@corp.example"), body, NOW, PERSON)
    assert [h.reason for h in (null, robot, loop) if isinstance(h, Held)] == \
        [Reason.NULL_SENDER, Reason.AUTOMATIC, Reason.OURS]
    assert rendered == [] and outbox.counts(db) == {}  # nothing rendered, nothing queued


def test_answers_count_together_and_other_kinds_apart(post: tuple[Post, TicketStore, Database]) -> None:
    p, store, db = post
    with store.transaction() as tx:
        sent = [p.send(tx, rule, _to("petr@corp.example"), Body("Текст"), NOW, PERSON)
                for rule in (ACK, STATUS, ACK, STATUS, ACK, STATUS, ACK)]
        login = p.send(tx, LOGIN, _to("petr@corp.example"), Body("Ссылка"), NOW)
        notice = p.send(tx, NOTIFY, _to("petr@corp.example"), Body("Заявка"), NOW)
    assert [isinstance(s, Sent) for s in sent] == [True] * 5 + [False] * 2  # five answers an hour, of any kind
    assert all(isinstance(s, Held) and s.reason == Reason.LIMIT for s in sent[5:])
    assert isinstance(login, Sent) and isinstance(notice, Sent)  # a sign-in link and a notification are no answers
    assert sum(outbox.counts(db).values()) == 7
