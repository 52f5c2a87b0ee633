"""The pipeline on a real database (SQLite and PostgreSQL) without the daemon: threading, auto mail, all-or-nothing."""

from __future__ import annotations

import email
import email.policy
import io
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import Connection

from postdesk.daemon import logs
from postdesk.daemon.config import Config, load_config
from postdesk.daemon.pipeline.runner import Pipeline
from postdesk.daemon.web.tokens import reply_token
from postdesk.routing.actions import KINDS
from postdesk.storage import inbound as inbound_q
from postdesk.storage import outbox
from postdesk.storage.db import Database
from postdesk.storage.inbound import Delivery
from postdesk.storage.models import Inbound
from postdesk.storage.options import VERSION, InboundOptions, WebAction
from postdesk.storage.outcomes import Outcome, OutcomeKind
from postdesk.storage.tickets import TicketStore, Tx
from postdesk.templates.render import Renderer

CONFIG = """
[service]
name = "Desk"
address = "service@corp.example"
secret = "0123456789abcdef0123"
[[queues]]
name = "it"
addresses = ["it@corp.example"]
[[queues]]
name = "general"
[routing]
default_queue = "general"
"""


@pytest.fixture
def setup(tmp_path: Path, database_url: str) -> tuple[Config, Database, Pipeline]:
    p = tmp_path / "postdesk.toml"
    p.write_text(CONFIG + f'[database]\nurl = "{database_url}"\n')
    config = load_config(p)
    db = Database(config.database_url)
    db.create_schema()
    return config, db, Pipeline(config, db, Renderer())


def feed(db: Database, pipeline: Pipeline, m: EmailMessage | bytes, envelope_from: str | None = None
         ) -> Outcome | None:
    raw = m if isinstance(m, bytes) else m.as_bytes()
    msgid = None if isinstance(m, bytes) else str(m["Message-ID"]).strip("<>")
    (inbound_id,) = inbound_q.store_inbound(db, raw, source="test", deliveries=[Delivery("service", None, ())],
                                            envelope_from=envelope_from, message_id=msgid)
    assert inbound_id is not None
    return pipeline.process(inbound_id)


def new_ticket(n: int, note: str = "") -> Outcome:
    """What the pipeline says of a new ticket SD-n in the general queue (the line an admin reads, typed)."""
    return Outcome(OutcomeKind.NEW_TICKET, f"new ticket SD-{n} in general{note}", n)


def follow_up(n: int) -> Outcome:
    return Outcome(OutcomeKind.FOLLOW_UP, f"follow-up on SD-{n}", n)


def mail(subject: str, body: str = "Текст", sender: str = "petr@corp.example", **headers: str) -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, "service@corp.example", subject
    m["Message-ID"] = make_msgid(domain="corp.example")
    for k, v in headers.items():
        m[k.replace("_", "-")] = v
    m.set_content(body)
    return m


def test_reply_to_closed_ticket_opens_new_one_that_mentions_it(setup) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = setup
    assert feed(db, pipeline, mail("Монитор")) == new_ticket(1)
    store = TicketStore(db)
    with store.transaction() as tx:
        tx.change_status(1, "new", "closed", actor="test", via="system", now=tx.ticket(1).created_at)  # type: ignore[union-attr]
    assert feed(db, pipeline, mail("Re: Монитор [SD-1]")) == new_ticket(2)
    events = store.detail(2).events  # type: ignore[union-attr]
    assert any(e.kind == "mentions" and e.detail["ticket"] == "SD-1" for e in events)


def test_reply_found_by_in_reply_to_without_subject_tag(setup) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = setup
    feed(db, pipeline, mail("Принтер"))
    (ack,) = outbox.list_rows(db)
    out = feed(db, pipeline, mail("Re: Принтер", "Уже работает", In_Reply_To=f"<{ack.message_id}>"))
    assert out == follow_up(1)


def test_tag_with_other_prefix_is_not_ours(setup) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = setup
    feed(db, pipeline, mail("Принтер"))
    assert feed(db, pipeline, mail("Re: [INC-1] Принтер")) == new_ticket(2)


def test_bounce_of_an_acknowledgment_is_recorded_on_its_ticket(setup) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = setup
    feed(db, pipeline, mail("Доступ к папке", sender="old.employee@corp.example"))
    (ack,) = outbox.list_rows(db)
    bounce = (
        "From: MAILER-DAEMON@mx.corp.example (Mail Delivery System)\r\n"
        "To: service@corp.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <bounce-1@mx.corp.example>\r\nIn-Reply-To: <{ack.message_id}>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n<old.employee@corp.example>: user unknown\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.corp.example\r\n\r\n"
        "Final-Recipient: rfc822; old.employee@corp.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--b--\r\n").encode()
    out = feed(db, pipeline, bounce, envelope_from="")
    assert out is not None and out.kind is OutcomeKind.AUTOMATIC and out.ticket_id == 1
    assert "recorded on SD-1" in out.text
    assert TicketStore(db).count() == 1
    assert len(outbox.list_rows(db)) == 1  # a bounce is never answered
    (event,) = [e for e in TicketStore(db).detail(1).events if e.kind == "automatic-mail"]  # type: ignore[union-attr]
    assert event.detail["auto"] == "bounce"


def test_a_failure_in_a_late_stage_leaves_nothing_half_done(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config, db, _ = setup
    broken = tmp_path / "tpl" / "ru"
    broken.mkdir(parents=True)
    (broken / "ack.txt").write_text("{{ no_such_variable }}")
    pipeline = Pipeline(config, db, Renderer(tmp_path / "tpl"))
    out = feed(db, pipeline, mail("Сломанный шаблон"))
    assert out is not None and out.kind is OutcomeKind.QUARANTINED
    (row,) = inbound_q.list_by_status(db, "quarantined")
    assert row.stage == "compose" and "no_such_variable" in (row.error or "")
    assert TicketStore(db).count() == 0 and outbox.list_rows(db) == []  # rolled back whole
    assert inbound_q.load(db, row.id)[1].startswith(b"From: petr@corp.example")  # type: ignore[index]

    # the admin fixes the template and retries: now it goes through once
    (broken / "ack.txt").unlink()
    assert inbound_q.requeue(db, row.id)
    out = Pipeline(config, db, Renderer(tmp_path / "tpl")).process(row.id)
    # SD-1 on SQLite; PostgreSQL's sequences do not roll back, so there it may be SD-2: numbers are unique, not dense
    assert out is not None and out.kind is OutcomeKind.NEW_TICKET and out.text.endswith(" in general")


def test_processing_a_row_twice_does_nothing_the_second_time(setup) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = setup
    m = mail("Пропуск")
    (inbound_id,) = inbound_q.store_inbound(db, m.as_bytes(), source="test",
                                            deliveries=[Delivery("service", None, ())], envelope_from=None,
                                            message_id=str(m["Message-ID"]).strip("<>"))
    assert inbound_id is not None
    assert pipeline.process(inbound_id) == new_ticket(1)
    assert pipeline.process(inbound_id) is None
    assert TicketStore(db).count() == 1 and len(outbox.list_rows(db)) == 1


def test_a_reply_waits_while_the_mail_it_answers_is_still_pending(setup) -> None:  # type: ignore[no-untyped-def]
    """Two daemons: the first mail may sit in one daemon's open transaction while another takes the reply."""
    _config, db, pipeline = setup
    first = mail("Не работает VPN", "С утра не подключается.")
    reply = mail("Re: Не работает VPN", "Забыл: ошибка 809.", In_Reply_To=str(first["Message-ID"]),
                 References=str(first["Message-ID"]))
    ids = []
    for m in (first, reply):
        (i,) = inbound_q.store_inbound(db, m.as_bytes(), source="test", deliveries=[Delivery("service", None, ())],
                                       envelope_from=None, message_id=str(m["Message-ID"]).strip("<>"))
        ids.append(i)
    out = pipeline.process(ids[1])
    assert out is not None and out.kind is OutcomeKind.DEFER and out.text.startswith("deferred: answers <")
    assert TicketStore(db).count() == 0 and [r.id for r in inbound_q.list_by_status(db, "pending")] == ids[::-1]
    assert pipeline.process(ids[0]) == new_ticket(1)
    assert pipeline.process(ids[1]) == follow_up(1)
    assert TicketStore(db).count() == 1
    # a reply to mail that came in after it (or failed) does not wait
    late = mail("Re: Старое", "Ответ на письмо, которого нет.", In_Reply_To="<nowhere@corp.example>")
    assert feed(db, pipeline, late) == new_ticket(2)


def with_an_agent(tmp_path: Path, database_url: str) -> tuple[Config, Database]:
    """A desk whose general queue has one agent, Ivanov: every new ticket notifies him."""
    p = tmp_path / "postdesk.toml"
    p.write_text(CONFIG + '[[agents]]\naddress = "ivanov@corp.example"\nname = "Иван"\nqueues = ["general"]\n'
                 f'[database]\nurl = "{database_url}"\n')
    config = load_config(p)
    db = Database(config.database_url)
    db.create_schema()
    return config, db


def test_a_failure_while_notifying_agents_is_quarantined_as_notify(tmp_path: Path, database_url: str) -> None:
    """The admin reads where the mail broke: a broken notification says "notify", not the "store" around it."""
    config, db = with_an_agent(tmp_path, database_url)
    broken = tmp_path / "tpl" / "ru"
    broken.mkdir(parents=True)
    (broken / "notify.txt").write_text("{{ no_such_variable }}")
    out = feed(db, Pipeline(config, db, Renderer(tmp_path / "tpl")), mail("Сломанное уведомление"))
    assert out is not None and out.kind is OutcomeKind.QUARANTINED
    (row,) = inbound_q.list_by_status(db, "quarantined")
    assert row.stage == "notify" and "no_such_variable" in (row.error or "")
    assert TicketStore(db).count() == 0 and outbox.list_rows(db) == []  # the acknowledgment went back too


def test_the_agents_notice_names_fifty_files_and_counts_the_rest(tmp_path: Path, database_url: str) -> None:
    """An outsider's mail of 8,000 parts made a 120 KB notice listing every name; the tracking page lists 50."""
    config, db = with_an_agent(tmp_path, database_url)
    m = mail("Сканы договоров", "Прикладываю сканы.")
    for n in range(1, 61):
        m.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename=f"скан-{n:02}.pdf")
    assert feed(db, Pipeline(config, db, Renderer()), m) == new_ticket(1)
    (raw,) = [raw for row, raw in outbox.claim_due(db) if row.kind == "notify"]
    text = email.message_from_bytes(raw, policy=email.policy.default).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    line = next(x for x in text.splitlines() if x.startswith("Вложения:"))
    assert "скан-50.pdf" in line and "скан-51.pdf" not in line and line.endswith(" и ещё 10")


@pytest.mark.parametrize("options", [
    InboundOptions(), InboundOptions(untrusted_peer="203.0.113.9"), InboundOptions(too_large=31_000_000),
    InboundOptions(web=WebAction.REQUEST), InboundOptions(web=WebAction.RATING, score=2, comment="долго"),
    InboundOptions(silent=True, status="closed")])
def test_inbound_options_are_stored_with_their_version_and_read_back_as_written(
        setup, options: InboundOptions) -> None:  # type: ignore[no-untyped-def]
    _config, db, _pipeline = setup
    (inbound_id,) = inbound_q.store_inbound(db, mail("Опции").as_bytes(), source="test",
                                            deliveries=[Delivery("service", None, ())], envelope_from=None,
                                            message_id=None, options=options)
    assert inbound_id is not None
    row, _ = inbound_q.load(db, inbound_id)  # type: ignore[misc]
    assert row.options == options
    with db.read() as s:
        assert s.get(Inbound, inbound_id).options["v"] == VERSION  # type: ignore[union-attr]


def stored_the_old_way(db: Database, m: EmailMessage, options: dict[str, object]) -> int:
    """A row as Postdesk stored it before its options were typed: the bare keys, no version, a score as text."""
    (inbound_id,) = inbound_q.store_inbound(db, m.as_bytes(), source="test",
                                            deliveries=[Delivery("service", None, ())], envelope_from=None,
                                            message_id=str(m["Message-ID"]).strip("<>"))
    assert inbound_id is not None
    with db.write() as s:
        s.execute(update(Inbound).where(Inbound.id == inbound_id).values(options=options))
    return inbound_id


def test_an_import_row_stored_before_options_were_typed_is_still_silent_and_closed(setup) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = setup
    inbound_id = stored_the_old_way(db, mail("Старая заявка из архива"), {"silent": True, "status": "closed"})
    assert pipeline.process(inbound_id) == new_ticket(1, " (not acknowledged)")
    assert TicketStore(db).get(1).status == "closed"  # type: ignore[union-attr]
    assert outbox.list_rows(db) == []


def test_a_web_rating_row_stored_before_options_were_typed_still_rates(setup) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = setup
    assert feed(db, pipeline, mail("Монитор")) == new_ticket(1)
    store = TicketStore(db)
    with store.transaction() as tx:
        tx.change_status(1, "new", "resolved", actor="test", via="system", now=tx.ticket(1).created_at)  # type: ignore[union-attr]
    inbound_id = stored_the_old_way(db, mail("Re: Монитор [SD-1]", "Быстро починили"),
                                    {"web": "rating", "score": "4", "comment": "Быстро починили"})
    out = pipeline.process(inbound_id)
    assert out is not None and (out.kind, out.ticket_id) == (OutcomeKind.RATING, 1)


def test_every_action_route_test_names_is_a_kind_of_outcome() -> None:
    """The truth test compares route-test's action with the daemon's outcome kind: one set of words for both."""
    assert {kind.kind for kind in KINDS} <= {str(k) for k in OutcomeKind}


def test_the_outcome_is_stored_with_its_kind_and_an_old_row_still_shows_its_line(setup) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = setup
    m = mail("Принтер")
    feed(db, pipeline, m)
    reply = mail("Re: Принтер [SD-1]", "Всё ещё не печатает")
    inbound_id = stored_the_old_way(db, reply, {})
    assert pipeline.process(inbound_id) == follow_up(1)
    row, _ = inbound_q.load(db, inbound_id)  # type: ignore[misc]
    assert row.outcome == follow_up(1)
    with db.write() as s:  # as a row processed before outcomes had kinds
        s.execute(update(Inbound).where(Inbound.id == inbound_id).values(outcome_kind=None))
    row, _ = inbound_q.load(db, inbound_id)  # type: ignore[misc]
    assert row.outcome == Outcome(None, "follow-up on SD-1", 1) and str(row.outcome) == "follow-up on SD-1"


# -- two daemons on one PostgreSQL: mails on one ticket take turns, and a deadlock between them loses nothing.
# Each daemon claims its own inbound rows (SKIP LOCKED), but two mails on the same ticket can be handled at once,
# one by each. A check-then-write ("the leads hear of a low rating once") must then see what the other wrote, so
# the ticket a mail acts on is locked for its transaction; two batches that lock two tickets in opposite orders
# deadlock, and PostgreSQL undoes one of them: that batch is done again, not quarantined.

LEAD = """
[[agents]]
address = "lead@corp.example"
queues = ["general"]
lead = true
"""


@pytest.fixture
def desk(tmp_path: Path, postgres) -> Iterator[tuple[Config, Database, Pipeline]]:  # type: ignore[no-untyped-def]
    url = postgres.new_url()
    p = tmp_path / "postdesk.toml"
    p.write_text(CONFIG + LEAD + f'[database]\nurl = "{url}"\n')
    config = load_config(p)
    db = Database(config.database_url)
    db.create_schema()
    yield config, db, Pipeline(config, db, Renderer())
    db.dispose()
    postgres.drop(url)


def store(db: Database, raw: bytes, options: InboundOptions | None = None) -> int:
    (inbound_id,) = inbound_q.store_inbound(db, raw, source="test", deliveries=[Delivery("service", None, ())],
                                            envelope_from=None, message_id=None, options=options)
    assert inbound_id is not None
    return inbound_id


def tickets(db: Database, pipeline: Pipeline, *subjects: str) -> None:
    for n, subject in enumerate(subjects, 1):
        assert pipeline.process(store(db, mail(subject).as_bytes())).ticket_id == n  # type: ignore[union-attr]


def notices(db: Database) -> int:
    """The agents' notifications in the outbox."""
    return len([r for r in outbox.list_rows(db) if r.kind == "notify"])


def in_thread(work: object) -> tuple[threading.Thread, list[object]]:
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(work()), daemon=True)  # type: ignore[operator]
    t.start()
    return t, out


def hold(c: Connection, ticket_id: int) -> None:
    c.execute(text("SELECT id FROM tickets WHERE id = :pk FOR UPDATE"), {"pk": ticket_id})


def test_a_stranger_at_the_reply_address_while_another_daemon_tells_the_agent_is_told_once(desk) -> None:  # type: ignore[no-untyped-def]
    config, db, pipeline = desk
    tickets(db, pipeline, "Монитор мерцает")
    address = config.service.reply_address_for(reply_token(config.service.secret, 1, "lead@corp.example"))
    stranger = mail("Re: Монитор мерцает [SD-1]", "Купите наши мониторы", sender="spam@elsewhere.example")
    stranger.replace_header("To", address)
    row = store(db, stranger.as_bytes())
    before = notices(db)
    other = db.engine.connect()  # the other daemon, telling the agent of another stranger's mail on SD-1 just now
    tx = other.begin()
    hold(other, 1)
    other.execute(text("INSERT INTO events (ticket_id, actor, via, kind, detail, at) "
                       "VALUES (1, 'x@elsewhere.example', 'mail', 'third-party', '{}', now())"))
    worker, out = in_thread(lambda: pipeline.process(row))
    time.sleep(0.5)
    assert worker.is_alive(), "the mail did not wait for the other daemon's transaction on its ticket"
    tx.commit()
    other.close()
    worker.join(10)
    assert out and out[0].kind == OutcomeKind.THIRD_PARTY  # type: ignore[attr-defined]
    assert notices(db) == before  # the agent heard of strangers on SD-1 once this hour, from the other


def test_a_batch_undone_by_a_deadlock_is_done_again_and_nothing_is_quarantined(desk) -> None:  # type: ignore[no-untyped-def]
    _config, db, pipeline = desk
    tickets(db, pipeline, "Принтер", "Сканер")
    before = len(outbox.list_rows(db))
    rows = [store(db, mail("Re: Сканер [SD-2]", "Всё ещё не сканирует").as_bytes()),
            store(db, mail("Re: Принтер [SD-1]", "И печатать перестал").as_bytes())]
    with daemon_log() as log_file:
        other = db.engine.connect()  # another daemon's batch: SD-1 first, then SD-2
        tx = other.begin()
        other.execute(text("SET LOCAL deadlock_timeout = '10s'"))  # so that PostgreSQL undoes the pipeline's
        hold(other, 1)
        worker, out = in_thread(lambda: pipeline.process_batch(rows))  # SD-2, then waits for SD-1
        time.sleep(0.5)
        hold(other, 2)  # the cycle: PostgreSQL undoes the pipeline's transaction after its deadlock_timeout (1 s)
        tx.commit()
        other.close()
        worker.join(20)
    outcomes = out[0]
    assert [outcomes[r].kind for r in rows] == [OutcomeKind.FOLLOW_UP] * 2  # type: ignore[index]
    assert inbound_q.list_by_status(db, "quarantined") == []
    detail = {n: TicketStore(db).detail(n) for n in (1, 2)}
    assert [[m.kind for m in d.messages].count("follow-up") for d in detail.values()] == [1, 1]  # type: ignore[union-attr]
    assert len(outbox.list_rows(db)) == before + 2  # one notice to each ticket's people, not two
    lines = log_file.getvalue().splitlines()
    assert [x for x in lines if "lock conflict" in x], "the test made no deadlock"
    for row in rows:  # the undone attempt told nothing of its work: each mail's outcome is in the log once
        assert len([x for x in lines if f"inbound {row} <" in x]) == 1, lines


@contextmanager
def daemon_log() -> Iterator[io.StringIO]:
    """The lines the daemon's own handler writes meanwhile (logs.configure's), as an admin reads them."""
    out, root = io.StringIO(), logging.getLogger()
    handler, level = logs.Handler(out), root.level
    handler.setFormatter(logs.TextFormatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_a_reply_whose_first_mail_commits_between_its_two_looks_follows_it_up(desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Daemon 2 looks for the reply's ticket (none yet), daemon 1 commits the first mail's ticket, daemon 2 asks
    whether the mail it answers is still pending (no longer): the reply must still find that ticket."""
    config, db, pipeline = desk
    first = mail("Сломался ноутбук", "Не включается")
    reply = mail("Re: Сломался ноутбук", "Включился, но очень медленно", In_Reply_To=str(first["Message-ID"]))
    a, b = store(db, first.as_bytes()), store(db, reply.as_bytes())
    daemon_1 = Pipeline(config, db, Renderer())
    looked, committed = Tx.answers_pending, []

    def first_commits_now(tx: Tx, ids: tuple[str, ...], inbound_id: int) -> str | None:
        if inbound_id == b and not committed:
            committed.append(daemon_1.process(a))
        return looked(tx, ids, inbound_id)

    monkeypatch.setattr(Tx, "answers_pending", first_commits_now)
    out = pipeline.process(b)
    assert committed == [new_ticket(1)]
    assert (out.kind, out.ticket_id) == (OutcomeKind.FOLLOW_UP, 1)  # type: ignore[union-attr]
    assert [t.subject for t, _ in TicketStore(db).list()] == ["Сломался ноутбук"]


def test_a_held_ticket_still_takes_events_from_others_meanwhile(desk) -> None:  # type: ignore[no-untyped-def]
    """The mail that holds a ticket keeps other mails on it waiting, not the rows that only point at it: the
    outbox recording a failed delivery on it, a job's event. (FOR UPDATE made those wait for the whole batch.)"""
    _config, db, pipeline = desk
    tickets(db, pipeline, "Принтер")
    with TicketStore(db).transaction() as tx:
        assert tx.hold_ticket(1) is not None
        other, out = in_thread(lambda: _event_on(db, 1))
        other.join(5)
        assert out == [True], "an event on a held ticket waited for the holder"


def _event_on(db: Database, ticket_id: int) -> bool:
    with db.engine.begin() as c:
        c.execute(text("SET LOCAL lock_timeout = '3s'"))
        c.execute(text("INSERT INTO events (ticket_id, actor, via, kind, detail, at) "
                       "VALUES (:pk, 'system', 'system', 'delivery-failed', '{}', now())"), {"pk": ticket_id})
    return True


def _pool_hanging_on(marker: bytes) -> object:
    """A parse pool's `map` that parses in order and, as the real pool does after PARSE_TIMEOUT, gives up with
    TimeoutError at the first mail holding `marker` (a mail the parser would take hours over)."""
    from postdesk.parsers import parse_or_error

    def parse(fn: object, raws: list[bytes], options: list[object], envelopes: list[object]) -> Iterator[object]:
        for raw, opts, env in zip(raws, options, envelopes, strict=True):
            if marker in raw:
                raise TimeoutError
            yield parse_or_error(raw, opts, env)  # type: ignore[arg-type]
    return parse


def test_a_mail_that_hangs_the_parser_is_quarantined_at_parse_and_the_others_are_done(
        setup: tuple[Config, Database, Pipeline]) -> None:
    """A mail the parser takes hours over (a body of 300,000 blanks, within the size limit) timed the pool out,
    and the pipeline then parsed the rest of the pass, that mail first, in its own thread: the worker hung on it
    and no other mail was processed for hours. A mail the pool gave up on is never parsed in the worker's own
    thread: the mails of the pass it did not reach are taken one a pass, the one that hangs it alone is
    quarantined at "parse", saying why, and every other is processed."""
    _, db, pipeline = setup
    rows = []
    for subject in ("Первое", "HANG", "Третье"):
        m = mail(subject)
        (inbound_id,) = inbound_q.store_inbound(db, m.as_bytes(), source="test", envelope_from="petr@corp.example",
                                                deliveries=[Delivery("service", None, ())],
                                                message_id=str(m["Message-ID"]).strip("<>"))
        rows.append(inbound_id)
    parse = _pool_hanging_on(b"HANG")
    pipeline.process_batch(rows, parse)  # type: ignore[arg-type]
    for _ in range(5):  # the worker's next passes (daemon/process/worker.py), each with a fresh pool
        if suspects := getattr(pipeline, "suspects", []):
            pipeline.process_batch([suspects.pop(0)], parse)  # type: ignore[arg-type]
    (stuck,) = inbound_q.list_by_status(db, "quarantined")
    assert stuck.id == rows[1] and stuck.stage == "parse" and "did not parse" in (stuck.error or "")
    assert [t.subject for t, _ in TicketStore(db).list()] == ["Третье", "Первое"]
