"""The pure parts around delivery failures: VERP tags, what is ours, the new config keys, digest images."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from postdesk.daemon.config import Config, ConfigError, load_config
from postdesk.daemon.outgoing.digest import compose_digest, news_html
from postdesk.daemon.web.tokens import bounce_outbox_id, bounce_token, verify_bounce_token
from postdesk.routing.news import NewsItem
from postdesk.templates.render import Renderer

SECRET = b"0123456789abcdef0123"
CONFIG = """
[service]
name = "Desk"
address = "service@corp.example"
secret = "0123456789abcdef0123"
{service}
[[queues]]
name = "it"
addresses = ["it@corp.example"]
[[queues]]
name = "general"
[news]
address = "news@corp.example"
{news}
[[digests]]
name = "weekly"
schedule = "mon 09:00"
"""


def config(tmp_path: Path, service: str = "", news: str = "") -> Config:
    p = tmp_path / "c.toml"
    p.write_text(CONFIG.format(service=service, news=news), encoding="utf-8")
    return load_config(p)


def problems(tmp_path: Path, service: str = "", news: str = "") -> list[str]:
    with pytest.raises(ConfigError) as exc:
        config(tmp_path, service, news)
    return exc.value.problems


def test_a_bounce_tag_proves_one_recipient_of_one_row() -> None:
    token = bounce_token(SECRET, 42, "Anna@corp.example")
    assert token.startswith("bounces-42-") and token == token.lower()
    assert bounce_outbox_id(token) == 42 and bounce_outbox_id(token.upper()) == 42
    assert verify_bounce_token(SECRET, token, 42, ["petr@corp.example", "anna@corp.example"]) == "anna@corp.example"
    assert verify_bounce_token(SECRET, token.upper(), 42, ["anna@corp.example"]) == "anna@corp.example"
    assert verify_bounce_token(SECRET, token, 42, ["petr@corp.example"]) is None  # another recipient of the row
    assert verify_bounce_token(SECRET, token, 43, ["anna@corp.example"]) is None  # another row
    assert verify_bounce_token(b"another-secret-value", token, 42, ["anna@corp.example"]) is None
    for forged in ("bounces-42", "bounces-x-abc", "bounce-42-abc", "1-abcdef", "bounces-1234567890123-a", ""):
        assert bounce_outbox_id(forged) is None


def test_is_ours_knows_aliases_departments_news_and_plus_forms(tmp_path: Path) -> None:
    c = config(tmp_path, service='aliases = ["Helpdesk@corp.example", "sd@old.example"]')
    assert c.service.aliases == ("helpdesk@corp.example", "sd@old.example")
    for address in ("service@corp.example", "SERVICE@corp.example", "helpdesk@corp.example", "sd@old.example",
                    "helpdesk+x@corp.example", "it@corp.example", "news@corp.example", "news+abc@corp.example",
                    "service+1-abcdef@corp.example", c.service.bounce_address(bounce_token(SECRET, 7, "a@b.c")),
                    '"it"@corp.example', '"Service"@Corp.Example.', "service@corp.example."):  # one mailbox, spelt anew
        assert c.is_ours(address), address
    for address in ("petr@corp.example", "helpdesk@other.example", "service@corp.example.evil", "", None, "service"):
        assert not c.is_ours(address), address
    assert c.service.bounce_address("bounces-7-x") == "service+bounces-7-x@corp.example"
    assert "helpdesk@corp.example" in c.parse_options().our_addresses  # the parser sees a loop from it too


def test_alias_and_remote_image_keys_are_validated_by_name(tmp_path: Path) -> None:
    found = problems(tmp_path, service='aliases = ["helpdesk", "it@corp.example", "service@corp.example"]')
    assert any(p.startswith("service.aliases") and "'helpdesk'" in p for p in found)
    assert any(p.startswith("service.aliases") and "queue 'it'" in p for p in found)
    assert any(p.startswith("service.aliases") and "service.address itself" in p for p in found)
    assert any(p.startswith("service.aliases") for p in problems(tmp_path, service="aliases = 3"))
    assert any(p.startswith("service.relays_per_hour") for p in problems(tmp_path, service="relays_per_hour = 0"))
    assert any(p.startswith("news.remote_images") for p in problems(tmp_path, news='remote_images = "yes"'))
    c = config(tmp_path)
    assert c.service.aliases == () and c.service.relays_per_hour == 5 and c.news_remote_images is False


def test_a_news_item_loads_no_image_from_another_host_unless_allowed() -> None:
    body = ("Окно работ ![pixel](https://track.example/p.gif?u=1) ![](//track.example/x.gif) "
            "![logo](cid:logo) ![dot](data:image/png;base64,iVBORw0KGgo=)")
    html = str(news_html(body))
    assert "track.example" not in html and "[pixel]" in html  # the alt text stays
    assert 'src="cid:logo"' in html and 'src="data:image/png' in html
    assert 'src="https://track.example/p.gif?u=1"' in str(news_html(body, remote_images=True))


def test_a_digest_mail_carries_no_tracking_pixel_by_default(tmp_path: Path) -> None:
    item = NewsItem("file:a.md", "Плановые работы", "Почта недоступна ночью.\n\n![](http://track.example/p.gif)",
                    "ru", (), date(2026, 12, 1))
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    for setting, expected in (("", False), ("remote_images = true", True)):
        c = config(tmp_path, news=setting)
        d = c.digest("weekly")
        assert d is not None
        raw = compose_digest(c, Renderer(), d, "petr@corp.example", "Пётр", "ru", [item], now).raw
        html = message_from_bytes(raw, policy=default).get_body(("html",))
        assert html is not None and "недоступна" in html.get_content()
        assert ('<img src="http://track.example/p.gif"' in html.get_content()) is expected
