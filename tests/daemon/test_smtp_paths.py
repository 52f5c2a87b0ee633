"""The front's fast reading of MAIL/RCPT paths gives exactly what aiosmtpd's own parser gives."""

from __future__ import annotations

import asyncio

import pytest
from aiosmtpd.smtp import SMTP

from postdesk.daemon.config import SmtpInConfig, parse_listen
from postdesk.daemon.ingress.limits import Connections
from postdesk.daemon.ingress.smtp import LenientSMTP

PATHS = [
    "<petr@corp.example>", "<petr@corp.example> SIZE=1000 BODY=8BITMIME", "  <a.b-c+tag@mail.corp.example>",
    "<service+SD-1.abc123@corp.example>", "<o'brien@corp.example>", "<>", '<"quoted name"@corp.example>',
    "<@relay.example:petr@corp.example>", "<пётр@почта.рф> SMTPUTF8", "<a..b@corp.example>", "<.a@corp.example>",
    "<a@corp..example>", "petr@corp.example", "<petr@[192.0.2.1]>", "<" + "x" * 65 + "@corp.example>",
    "<petr@corp.example", "<petr@@corp.example>", "<petr(comment)@corp.example>", "<petr@corp.example> (c) SIZE=1",
    "<petr@corp.example>   ", "<petr@corp.example>\tBODY=7BIT", "<Petr.Ivanov@Corp.Example>",
]


@pytest.mark.parametrize("arg", PATHS)
def test_the_fast_path_reads_paths_as_aiosmtpd_does(arg: str) -> None:
    async def both() -> tuple[object, object]:
        limits = SmtpInConfig(listen=parse_listen("127.0.0.1:2525"), max_message_size=1000, protocol="smtp")
        ours = LenientSMTP(object(), connections=Connections(), limits=limits)
        return ours._getaddr(arg), SMTP(object())._getaddr(arg)

    ours, stock = asyncio.run(both())
    assert ours == stock
