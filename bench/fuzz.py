"""Fuzz the parser and address handling by hand: mutated mails from tests/mail/*.eml and generated address
headers, the same operators the suite's Hypothesis properties draw from (tests/lib/mailfuzz.py).

Usage:
    .venv/bin/python bench/fuzz.py [--n 100000] [--seed 1] [--show 3]

For each mail: `parse_mail` must not fail (it never raises; a caught exception shows as a `parser:` defect, and
is counted here by type), no address, name or Message-ID it hands on may hold a control character, and composing
a reply to its sender must either work or refuse the address as unsendable (never with UnsafeHeader: the parser
is the first wall). Prints mails/s and what it found, by kind, with a reproducer for the first few.
"""

from __future__ import annotations

import argparse
import collections
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "lib"))

from mailfuzz import address_value, mutate, random_steps, seeds  # noqa: E402

from postdesk.daemon.outgoing.compose import UnsafeHeader, Unsendable, compose  # noqa: E402
from postdesk.parsers import parse_mail  # noqa: E402
from postdesk.parsers.addresses import parse_addresses  # noqa: E402
from postdesk.parsers.headers import CONTROL  # noqa: E402

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def findings_of_mail(raw: bytes) -> list[str]:
    """What is wrong with how one mail is handled: [] when nothing is."""
    try:
        mail = parse_mail(raw, envelope_from="fuzz@corp.example")
    except Exception as exc:  # parse_mail promises never to raise
        return [f"escaped {type(exc).__name__}"]
    found = [f"caught {d.split(':', 2)[1].strip()}" for d in mail.defects if d.startswith("parser:")]
    people = [*((mail.from_,) if mail.from_ else ()), *mail.to, *mail.cc, *mail.reply_to]
    if any(CONTROL.search(a.name) or CONTROL.search(a.email) for a in people):
        found.append("control character in an address or name")
    if any(CONTROL.search(i) for i in (mail.message_id or "", *mail.in_reply_to, *mail.references)):
        found.append("control character in a Message-ID")
    texts = (mail.subject, mail.text, mail.message_id or "", *mail.in_reply_to, *mail.references,
             *(a.email + a.name for a in people))
    try:
        "".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        found.append("undecoded bytes (surrogates) that the database cannot store")
    if mail.sender:
        try:
            compose(from_name="Desk", from_email="service@corp.example",
                    to=[(mail.from_.name if mail.from_ else "", mail.sender)], subject=mail.subject, text="t",
                    html=None, in_reply_to=mail.message_id, references=mail.references, now=NOW, auto=True,
                    ticket_ref="SD-1", language=mail.language)
        except Unsendable:
            pass  # a non-ASCII local part: the desk records it and sends nothing
        except UnsafeHeader:
            found.append("compose refused a header (the parser let a control through)")
        except Exception as exc:
            found.append(f"compose {type(exc).__name__}")
    return found


def findings_of_address(value: str) -> list[str]:
    try:
        addresses = parse_addresses(value, [])
    except Exception as exc:
        return [f"address {type(exc).__name__}"]
    if any(CONTROL.search(a.name) or CONTROL.search(a.email) for a in addresses):
        return ["control character in a generated address"]
    return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="mutated mails (and as many generated address headers)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=3, help="reproducers printed per kind of finding")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    count = len(seeds())
    found: collections.Counter[str] = collections.Counter()
    shown: dict[str, list[str]] = collections.defaultdict(list)
    size = 0
    started = time.perf_counter()
    for _ in range(args.n):
        seed, steps = rng.randrange(count), random_steps(rng)
        raw = mutate(seed, steps)
        size += len(raw)
        for kind in findings_of_mail(raw):
            found[kind] += 1
            if len(shown[kind]) < args.show:
                shown[kind].append(f"mutate({seed}, {steps!r})")
    mails_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(args.n):
        number, parts = rng.getrandbits(32), rng.randint(1, 10)
        for kind in findings_of_address(address_value(random.Random(number), parts)):
            found[kind] += 1
            if len(shown[kind]) < args.show:
                shown[kind].append(f"address_value(random.Random({number}), {parts})")
    address_seconds = time.perf_counter() - started
    print(f"# {args.n} mutated mails from {count} seeds ({size / 1e6:.1f} MB), {args.n} generated address headers; "
          f"seed {args.seed}")
    print(f"# vm: {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M}")
    print(f"mails: parse + checks + compose   {args.n / mails_seconds:8.0f} mails/s  ({mails_seconds:.1f} s)")
    print(f"address headers: parse + checks   {args.n / address_seconds:8.0f} values/s ({address_seconds:.1f} s)")
    if not found:
        print("findings: none")
    for kind, n in found.most_common():
        print(f"finding: {kind}: {n}")
        for line in shown[kind]:
            print(f"    {line}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
