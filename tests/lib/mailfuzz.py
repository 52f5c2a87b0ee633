"""Generated and mutated mails for fuzzing the parser: one set of operators for the suite's Hypothesis
properties (tests/parsers/test_fuzz.py) and the hand-run bench/fuzz.py.

A mail is one of the project's own tests/mail/*.eml put through a few mutations, each chosen by a name, a
number and a few bytes -- so Hypothesis can shrink a failure to the one mutation that matters, and the bench
can draw the same mutations from a seeded `random.Random`.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path

MAIL_DIR = Path(__file__).resolve().parents[1] / "mail"
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\u2028\u2029\r\n\r\n"
CHARSETS = ("utf-8", "koi8-r", "windows-1251", "iso-8859-1", "iso-2022-jp", "gb2312", "x-unknown", "utf-7", "")
ADDRESS_HEADERS = ("From", "To", "Cc", "Reply-To", "Sender", "Resent-From")


@cache
def seeds() -> tuple[bytes, ...]:
    """The project's own test mails, in a stable order."""
    return tuple(p.read_bytes() for p in sorted(MAIL_DIR.glob("*.eml")))


def encoded_word(rng: random.Random, text: str) -> str:
    charset = rng.choice(CHARSETS)
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.5:
        return f"=?{charset}?b?{base64.b64encode(data).decode()}?="
    return f"=?{charset}?q?{''.join(f'={b:02X}' if b > 126 or b < 33 or b in b'=?_' else chr(b) for b in data)}?="


def address_value(rng: random.Random, size: int = 4) -> str:
    """An address header value from the pieces real (and hostile) mail is made of."""
    def word() -> str:
        return rng.choice(["pete", "Пётр", "ann.lee", "a+tag", "MAILER-DAEMON", "x" * rng.randint(1, 70), "",
                           rng.choice(CONTROLS) + "e", "Urgent:", "Bcc", "victim@x.example"])

    def domain() -> str:
        return rng.choice(["corp.example", "почта.рф", "[192.0.2.1]", "silly.test", "x", "", "a..b",
                          "corp.example" + rng.choice(CONTROLS)])

    pieces: list[Callable[[], str]] = [
        lambda: f"{word()}@{domain()}",
        lambda: f"<{word()}@{domain()}>",
        lambda: f'"{word()} \\" {word()}"',
        lambda: f"({word()} ({word()}) \\) {word()})",
        lambda: encoded_word(rng, f"{word()} <{word()}@{domain()}>{rng.choice(CONTROLS)}Subject: {word()}"),
        lambda: encoded_word(rng, word()),
        lambda: rng.choice([",", ";", ":", " ", "\t", "\r\n ", "<", ">", "@", '"', "(", ")", "\\", "=?", "?="]),
        lambda: f"{word()}:;",  # an empty group
        lambda: f"<@route.example,@b.example:{word()}@{domain()}>",
        lambda: rng.choice(CONTROLS),
        lambda: "\udcff\udcc3",  # raw 8-bit bytes as the compat32 parser hands them on
    ]
    return "".join(rng.choice(pieces)() for _ in range(size))


def _header_line(rng: random.Random, payload: bytes) -> bytes:
    name = rng.choice((*ADDRESS_HEADERS, "Subject", "Message-ID", "In-Reply-To", "References", "Content-Type",
                       "Content-Disposition", "Authentication-Results", "X Bad"))
    if name in ADDRESS_HEADERS:
        value = address_value(rng, rng.randint(1, 8))
    elif name == "Content-Type":
        value = rng.choice(['multipart/mixed; boundary="', "text/plain; charset=", "message/rfc822",
                            "multipart/alternative; boundary=x\r\n\tboundary*0=y"]) + payload.decode("latin-1")
    else:
        value = encoded_word(rng, payload.decode("latin-1")) if rng.random() < 0.5 else payload.decode("latin-1")
    return f"{name}: {value}".encode("utf-8", "surrogateescape") + b"\r\n"


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _flip(data: bytes, rng: random.Random, payload: bytes) -> bytes:
    if not data:
        return payload
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.choice(b"\x00\r\n\x1b\x80\xff=?:;<>\"()" + payload[:4])
    return bytes(out)


def _insert(data: bytes, rng: random.Random, payload: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + payload + data[at:]


def _truncate(data: bytes, rng: random.Random, payload: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def _header(data: bytes, rng: random.Random, payload: bytes) -> bytes:
    """A hostile header line at the top, among the others, or replacing one."""
    lines = _lines(data)
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    at = rng.randint(0, end)
    if rng.random() < 0.3 and at < end:
        lines[at] = _header_line(rng, payload).rstrip(b"\r\n") + b"\r"
    else:
        lines.insert(at, _header_line(rng, payload).rstrip(b"\n"))
    return b"\n".join(lines)


def _lines_shuffle(data: bytes, rng: random.Random, payload: bytes) -> bytes:
    lines = _lines(data)
    if len(lines) < 2:
        return data
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    op = rng.randrange(3)
    if op == 0:
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 1:
        del lines[i]
    else:
        lines.insert(j, lines[i] * rng.randint(1, 3))
    return b"\n".join(lines)


def _splice(data: bytes, rng: random.Random, payload: bytes) -> bytes:
    other = rng.choice(seeds())
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)):]


def _nest(data: bytes, rng: random.Random, payload: bytes) -> bytes:
    """The mail forwarded as an attachment, or its body in a multipart with a damaged boundary."""
    boundary = rng.choice([b"b1", b"", b"=_x", payload[:20].replace(b"\n", b"")])
    return (b"From: Fwd <fwd@corp.example>\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
            b'boundary="' + boundary + b'"\r\n\r\n--' + boundary + b"\r\nContent-Type: message/rfc822\r\n\r\n"
            + data + b"\r\n--" + boundary + rng.choice([b"--\r\n", b"", b"-\r\n"]))


def _line_endings(data: bytes, rng: random.Random, payload: bytes) -> bytes:
    return rng.choice([data.replace(b"\r\n", b"\n"), data.replace(b"\n", b"\r\n"), data.replace(b"\r\n", b"\r")])


MUTATIONS: dict[str, Callable[[bytes, random.Random, bytes], bytes]] = {
    "flip": _flip, "insert": _insert, "truncate": _truncate, "header": _header, "header2": _header,
    "lines": _lines_shuffle, "splice": _splice, "nest": _nest, "line-endings": _line_endings,
}


def mutate(seed: int, steps: list[tuple[str, int, bytes]]) -> bytes:
    """Seed mail number `seed` (modulo the count) after each (mutation, number, bytes) step in turn."""
    data = seeds()[seed % len(seeds())]
    for name, number, payload in steps:
        data = MUTATIONS[name](data, random.Random(number), payload)
    return data


def random_steps(rng: random.Random, most: int = 4) -> list[tuple[str, int, bytes]]:
    """What the bench draws: a few mutations with their numbers and bytes."""
    names = sorted(MUTATIONS)
    return [(rng.choice(names), rng.getrandbits(32), rng.randbytes(rng.randint(0, 40)))
            for _ in range(rng.randint(1, most))]
