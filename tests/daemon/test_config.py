"""Config validation: the shipped example loads; every problem names its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdesk.daemon.config import ConfigError, load_config, parse_duration, parse_size

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "postdesk.toml"


def test_example_loads_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTDESK_SECRET", "a-long-enough-secret-value")
    c = load_config(EXAMPLE)
    assert c.service.address == "service@corp.example" and c.service.language == "ru"
    assert c.database_url == f"sqlite:///{EXAMPLE.parent / 'var' / 'postdesk.db'}"
    assert c.smtp_out.maildir == EXAMPLE.parent / "var" / "outbox"
    assert [q.name for q in c.routing.queues] == ["it", "hr", "buh", "general"]
    assert [r.name for r in c.routing.rules] == ["vacation", "outage"]
    assert c.service.secret == b"a-long-enough-secret-value"


def problems(tmp_path: Path, text: str) -> list[str]:
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(p)
    return exc.value.problems


MINIMAL = """
[service]
name = "Desk"
address = "service@corp.example"
secret = "0123456789abcdef0123"
[[queues]]
name = "general"
"""


def test_minimal_config_gets_defaults(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text(MINIMAL)
    c = load_config(p)
    assert c.database_url == f"sqlite:///{tmp_path.resolve() / 'var' / 'postdesk.db'}"
    assert str(c.smtp_in.listen) == "127.0.0.1:2525" and str(c.web) == "127.0.0.1:8025"
    assert c.service.base_url == "http://127.0.0.1:8025" and c.routing.default_queue == "general"
    assert c.smtp_in.max_message_size == 25_000_000 and c.service.auto_replies_per_hour == 5


def test_missing_secret_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL.replace('secret = "0123456789abcdef0123"\n', ""))
    assert len(found) == 1 and found[0].startswith("service.secret: missing")


def test_every_problem_is_reported_with_its_key(tmp_path: Path) -> None:
    text = MINIMAL + """
[smtp_in]
listen = "localhost"
max_message_size = "big"
protocol = "uucp"
[routing]
default_queue = "nope"
[[rules]]
name = "r"
match = { subject = "(unclosed", colour = "red" }
set = { queue = "hrr", priority = "asap" }
[extra]
"""
    found = problems(tmp_path, text)
    expected = [
        "(top level).extra: unknown key",
        "smtp_in.listen: not HOST:PORT",
        "smtp_in.max_message_size: not a size",
        "smtp_in.protocol: must be one of smtp, lmtp",
        'routing.default_queue: unknown queue "nope"',
        "rules[0].match.subject: bad regular expression",
        "rules[0].match.colour: unknown match key",
        'rules[0].set.queue: unknown queue "hrr"',
        "rules[0].set.priority: must be one of low, normal, high, urgent",
    ]
    for prefix in expected:
        assert any(p.startswith(prefix) for p in found), (prefix, found)


def test_bad_toml_says_where(tmp_path: Path) -> None:
    found = problems(tmp_path, "[service\nname=1")
    assert "not valid TOML" in found[0] and "line 1" in found[0]


def test_header_match_key(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text(MINIMAL + '[[rules]]\nname = "p"\nmatch = { header.X-Priority = "^1" }\nset = { priority = "high" }\n')
    assert load_config(p).routing.rules[0].conditions[0].field == "header.X-Priority"


@pytest.mark.parametrize("text,value", [("25MB", 25_000_000), ("1MiB", 1_048_576), ("512k", 512_000), (1000, 1000)])
def test_sizes(text: object, value: int) -> None:
    assert parse_size(text) == value


@pytest.mark.parametrize("text,value", [("30s", 30), ("5m", 300), ("2h", 7200), ("1d", 86400), (10, 10)])
def test_durations(text: object, value: float) -> None:
    assert parse_duration(text) == value


def test_agents_and_reply_address(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text(MINIMAL + '[[agents]]\naddress = "Ivanov@Corp.Example"\nname = "Иван Иванов"\nqueues = ["general"]\n')
    c = load_config(p)
    (agent,) = c.agents
    assert agent.address == "ivanov@corp.example" and agent.queues == ("general",) and not agent.lead
    assert c.service.reply_address == "service+{token}@corp.example" and c.service.reopen_days == 14
    assert c.service.reply_token_of("SERVICE+12-abc@corp.example") == "12-abc"
    assert c.service.reply_token_of("service@corp.example") is None
    assert c.service.reply_token_of("other+12-abc@corp.example") is None
    assert c.agents_of_queue("general") == (agent,) and c.agent("IVANOV@corp.example") == agent


def test_agent_problems_name_their_keys(tmp_path: Path) -> None:
    bad_reply = 'secret = "0123456789abcdef0123"\nreply_address = "replies@corp.example"\n'
    found = problems(tmp_path, MINIMAL.replace('secret = "0123456789abcdef0123"\n', bad_reply)
                     + '[[agents]]\naddress = "not-an-address"\nqueues = ["sales"]\nlead = "yes"\n'
                     + '[[agents]]\naddress = "service@corp.example"\n')
    assert any(f.startswith("service.reply_address: must be an address with one \"{token}\"") for f in found)
    assert "agents[0].address: not an address: 'not-an-address'" in found
    assert 'agents[0].queues: unknown queue "sales"' in found
    assert "agents[0].lead: must be true or false" in found
    assert "agents[1].address: service@corp.example is one of the desk's own addresses" in found


def test_a_ca_file_is_checked_when_the_config_loads(tmp_path: Path) -> None:
    (tmp_path / "not-a-cert.pem").write_text("hello\n")
    found = problems(tmp_path, MINIMAL + """
[smtp_out]
host = "relay.corp.example"
ca_file = "missing-ca.pem"
[[mailboxes]]
name = "hr"
host = "imap.corp.example"
username = "hr"
password = "x"
ca_file = "not-a-cert.pem"
""")
    assert f"smtp_out.ca_file: no such file: {tmp_path / 'missing-ca.pem'}" in found
    assert any(p.startswith(f"mailboxes[0].ca_file: {tmp_path / 'not-a-cert.pem'} is not a PEM file") for p in found)


def test_queue_titles_per_language(tmp_path: Path) -> None:
    """An English requester must not be told their request went to «ИТ-поддержка»."""
    p = tmp_path / "c.toml"
    p.write_text(MINIMAL + 'title = { ru = "Общие вопросы", en = "General questions" }\n'
                 '[[queues]]\nname = "it"\ntitle = "IT"\n', encoding="utf-8")
    routing = load_config(p).routing
    assert routing.queue_title("general", "en") == "General questions"
    assert routing.queue_title("general", "ru") == "Общие вопросы"
    assert routing.queue_title("it", "en") == routing.queue_title("it", "ru") == "IT"
    assert routing.queue_title("gone", "en") == "gone"  # a ticket of a queue since removed from the config


def test_queue_title_table_names_the_bad_key(tmp_path: Path) -> None:
    assert any("queues[0].title" in p and "'de'" in p
               for p in problems(tmp_path, MINIMAL + 'title = { de = "Allgemein" }\n'))
    assert any("queues[0].title" in p for p in problems(tmp_path, MINIMAL + "title = 5\n"))


def test_trusted_relays_take_addresses_and_networks(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text(MINIMAL.replace("[[queues]]", '[smtp_in]\ntrusted_relays = ["10.0.0.0/24", "::1"]\n[[queues]]'))
    smtp_in = load_config(p).smtp_in
    assert smtp_in.relayed_by_mx("10.0.0.7") and smtp_in.relayed_by_mx("::1")
    assert not smtp_in.relayed_by_mx("127.0.0.1") and not smtp_in.relayed_by_mx("unix")
    p.write_text(MINIMAL)
    assert load_config(p).smtp_in.relayed_by_mx("::ffff:127.0.0.1")  # the default: loopback, v4-mapped too
    assert any(x.startswith("smtp_in.trusted_relays:") for x in problems(
        tmp_path, MINIMAL.replace("[[queues]]", '[smtp_in]\ntrusted_relays = ["mx.corp"]\n[[queues]]')))
