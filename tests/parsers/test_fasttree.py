"""parsers.fasttree builds the very tree BytesParser(policy=compat32) builds: compared part by part.

Every attribute of every Message (headers, payload strings and lists, preamble, epilogue, default type,
unix-from, defects with their arguments) must be equal, on the project's mails, on the public corpora in
../shared/corpus (when present), on the generated benchmark corpus, on hand-written tricky mails and on
random MIME-like mails. The fallback to the FeedParser must stay rare on real mail.
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import sys
from collections.abc import Iterator
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path
from types import ModuleType

import pytest

from postdesk.parsers.fasttree import fast_tree, parse_tree

ROOT = Path(__file__).resolve().parents[2]
MAIL_DIR = ROOT / "tests" / "mail"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
# Folders of the shared corpora that hold whole mails (the others hold bare reply bodies).
SHARED_MAIL_DIRS = ("sisimai", "stalwart_mail_parser", "zammad/mail")


def _difference(got: object, want: object, where: str = "root") -> str | None:
    """Where two message trees first differ, or None when they are the same."""
    if type(got) is not type(want):
        return f"{where}: {type(got).__name__} != {type(want).__name__}"
    if not isinstance(want, Message):
        return None if got == want else f"{where}: {got!r:.120} != {want!r:.120}"
    mine, theirs = vars(got), vars(want)
    if mine.keys() != theirs.keys():
        return f"{where}: attributes {sorted(mine.keys() ^ theirs.keys())}"
    for name, value in theirs.items():
        other = mine[name]
        if name == "defects":
            shown = [(type(d).__name__, d.args, vars(d)) for d in other]
            expected = [(type(d).__name__, d.args, vars(d)) for d in value]
            if shown != expected:
                return f"{where}: defects {shown} != {expected}"
        elif name == "_payload" and isinstance(value, list):
            if not isinstance(other, list) or len(other) != len(value):
                return f"{where}: payload {other!r:.80} != {len(value)} parts"
            for i, (a, b) in enumerate(zip(other, value, strict=True)):
                found = _difference(a, b, f"{where}/{i}")
                if found:
                    return found
        elif type(other) is not type(value) or other != value:
            return f"{where}.{name}: {other!r:.120} != {value!r:.120}"
    return None


def assert_same_tree(raw: bytes) -> bool:
    """Assert that parse_tree(raw) equals the stdlib's tree; True when the fast path built it."""
    want = BytesParser(policy=compat32).parsebytes(raw)
    found = _difference(parse_tree(raw), want)
    assert found is None, found
    fast = fast_tree(raw.decode("ascii", "surrogateescape"))
    if fast is not None:
        found = _difference(fast, want)
        assert found is None, found
    return fast is not None


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in ("LICENSE", "SOURCE.txt"))


# ---------------------------------------------------------------------------------------------- corpora


def test_project_mails() -> None:
    files = sorted(MAIL_DIR.glob("*.eml"))
    assert files
    fast = sum(assert_same_tree(p.read_bytes()) for p in files)
    assert fast >= 0.8 * len(files)  # the rest are the broken mails kept on purpose


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus is not there")
def test_shared_corpora() -> None:
    """Every file, mail or not (reply bodies make good garbage); the fast share is counted on the mails."""
    for path in _files(SHARED_CORPUS):
        assert_same_tree(path.read_bytes())
    mails = [p for d in SHARED_MAIL_DIRS for p in _files(SHARED_CORPUS / d) if p.suffix not in (".json", ".yml")]
    fast = sum(fast_tree(p.read_bytes().decode("ascii", "surrogateescape")) is not None for p in mails)
    print(f"shared corpora: {fast} of {len(mails)} mails built without the FeedParser")
    assert fast >= 0.9 * len(mails)


def _bench_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 7])
def test_generated_corpus(seed: int) -> None:
    """The benchmark's own mix (bench/corpus.py), all of it on the fast path."""
    corpus = _bench_corpus().Corpus(500, seed)
    fast = sum(assert_same_tree(corpus.mail(i)[1]) for i in range(1, 501))
    assert fast == 500


# ---------------------------------------------------------------------------------------------- tricky mails


def mail(text: str, *, crlf: bool = False) -> bytes:
    """A mail written with LF line ends (CRLF when asked, CRLFs already there kept); UTF-8 for 8-bit cases."""
    data = text.encode("utf-8")
    return re.sub(rb"(?<!\r)\n", b"\r\n", data) if crlf else data


HEAD = "From: a@corp.example\nTo: service@corp.example\nSubject: test\nMIME-Version: 1.0\n"

TRICKY_FAST = {
    "plain": HEAD + "\nhello\n",
    "no body": HEAD,
    "headers only, no blank line": "From: a@b\nSubject: x\n",
    "empty header block": "\nbody only\n",
    "folded and blank-valued headers": "Subject: a\n  b\n\tc\nX-Empty:\nX-Spaces:   \nX-Cont:\n next\n\nbody",
    "mbox From line": "From a@b Mon Jan  1 00:00:00 2024\n" + HEAD + "\nbody\n",
    "boundary with regex characters": HEAD + 'Content-Type: multipart/mixed; boundary="a.b+c*(d)?[e]$^|{2}"\n\n'
    "--a.b+c*(d)?[e]$^|{2}\n\none\n--a.bXc*(d)?[e]$^|{2}\nnot a boundary\n--a.b+c*(d)?[e]$^|{2}--\n",
    "boundary text in the preamble": HEAD + 'Content-Type: multipart/mixed; boundary="b1"\n\n'
    "This is --b1 in a line.\n --b1 indented\n--b1x is longer\n--b1\n\npart\n--b1--\nepilogue --b1\n",
    "nested with similar boundaries": HEAD + 'Content-Type: multipart/mixed; boundary="abc"\n\npre\n--abc\n'
    'Content-Type: multipart/alternative; boundary="abc-1"\n\n--abc-1\n\ntext\n--abc-1\n'
    'Content-Type: multipart/related; boundary="ab"\n\n--ab\n\ninner\n--ab--\n--abc-1--\nepi1\n'
    "--abc\n\nlast\n--abc--\n",
    "trailing whitespace after boundaries": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n'
    "--b \t\n\none\n--b\t\n\ntwo\n--b-- \n\nafter\n",
    "close boundary at the very end": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\none\n--b--',
    "missing close boundary": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\none\n--b\n\ntwo\n',
    "nested close boundary missing": HEAD + 'Content-Type: multipart/mixed; boundary="o"\n\n--o\n'
    'Content-Type: multipart/alternative; boundary="i"\n\n--i\n\nx\n--o\n\ny\n--o--\n',
    "empty parts": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\n--b\nContent-Type: text/plain\n'
    "--b\n\n\n--b--\n",
    "rfc822 inside multipart": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\nsee attached\n'
    "--b\nContent-Type: message/rfc822\n\nFrom: x@y\nSubject: inner\n\ninner body\n\n--b--\n",
    "rfc822 with a multipart inside": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
    'Content-Type: message/rfc822\n\nContent-Type: multipart/alternative; boundary="c"\n\n--c\n\nplain\n--c\n'
    "Content-Type: text/html\n\n<p>html</p>\n--c--\ninner epilogue\n\n--b--\n",
    "digest default types": HEAD + 'Content-Type: multipart/digest; boundary="d"\n\n--d\n\nFrom: one@x\n\n1\n'
    "--d\nContent-Type: text/plain\n\n2\n--d\n\n\n--d--\n",
    "delivery status": HEAD + 'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
    "--r\n\nfailed\n--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
    "Final-Recipient: rfc822; x@y\nAction: failed\n\n\nFinal-Recipient: rfc822; z@y\n  folded\n"
    "--r\nContent-Type: message/delivery-status\n\n--r\nContent-Type: text/rfc822-headers\n\nSubject: x\n--r--\n",
    "8-bit headers": "Subject: Не работает VPN\nFrom: Иван <ivan@corp.example>\n"
    "Content-Type: text/plain; charset=\"utf-8\"; name=\"отчёт.txt\"\n\nтекст\n",
    "8-bit parameter of a multipart": 'Content-Type: multipart/mixed; boundary="b"; name="ё"\n\n--b\n\nx\n--b--\n',
    "preamble of blank lines": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n\n\n--b\n\nx\n--b--\n\n\n',
    "mixed line ends": "Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\n\nlf part\r\n--b\r\n"
    "\r\ncrlf part\n--b--\r\n",
    "quoted boundary with spaces": HEAD + 'Content-Type: multipart/mixed; boundary="a b "\n\n--a b\n\nx\n--a b--\n',
    "no final newline in a leaf": HEAD + "\nlast line",
}

TRICKY_FALLBACK = {
    "8-bit boundary": 'Content-Type: multipart/mixed; boundary="б"\n\n--б\n\nx\n--б--\n',  # never matches
    "headers only, no final newline": "From: a@b\nSubject: x",
    # blank-padded fields before a stray line: a backtracking header regex took forever on this
    "padded fields then a stray line": "".join(f"X-F{i}:     v  \n" for i in range(40)) + "stray\n\nbody\n",
    "no header separator": "From: a@b\nSubject: x\nThis line is body text\nmore\n",
    "continuation first": " folded\nSubject: x\n\nbody\n",
    "empty header name": HEAD + ": no name\n\nbody\n",
    "From line later": HEAD + "From not-a-header\n\nbody\n",
    "lone CR": "Subject: x\rFrom: y\r\rbody\r",
    "multipart without boundary": HEAD + "Content-Type: multipart/mixed\n\n--b\n\nx\n--b--\n",
    "boundary without semicolon": HEAD + "Content-Type: multipart/mixed\n boundary=b\n\n--b\n\nx\n--b--\n",
    "base64 multipart": HEAD + 'Content-Type: multipart/mixed; boundary="b"\nContent-Transfer-Encoding: base64\n\n'
    "--b\n\nx\n--b--\n",
    "close before open": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\npre\n--b--\n--b\n\nx\n--b--\n',
    "no boundary line at all": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\njust text\n',
    "repeated boundary lines": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n--b\n\nx\n--b\n--b--\nz\n',
    "boundary line last": HEAD + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\nx\n--b\n',
    "folded boundary parameter": HEAD + 'Content-Type: multipart/mixed; boundary="a\n b"\n\n--a\n b\n\nx\n',
    "deep nesting": HEAD + "".join(f'Content-Type: multipart/mixed; boundary="n{i}"\n\n--n{i}\n' for i in range(60))
    + "\nleaf\n" + "".join(f"--n{i}--\n" for i in reversed(range(60))),
}


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("name", sorted(TRICKY_FAST))
def test_tricky_mails_on_the_fast_path(name: str, crlf: bool) -> None:
    assert assert_same_tree(mail(TRICKY_FAST[name], crlf=crlf)), "expected the fast path"


@pytest.mark.parametrize("name", sorted(TRICKY_FALLBACK))
def test_tricky_mails_left_to_the_feedparser(name: str) -> None:
    assert not assert_same_tree(mail(TRICKY_FALLBACK[name])), "expected the FeedParser"


def test_empty_and_blank_input() -> None:
    for raw in (b"", b"\n", b"\r\n", b"\n\n\n", b" ", b"--", b"From x"):
        assert_same_tree(raw)


# ---------------------------------------------------------------------------------------------- random mails


_BOUNDARIES = ("b", "b1", "b-1", "bb", "=_x.y", "q r")
_BOUNDARY_TAILS = ("", "", " ", "\t")  # what may follow a boundary on its line
_HEADER_LINES = ("Subject: s", "X-A: 1", "X-B:", "Received: from x\n by y", "From: a@b")
_BODY_LINES = ("", "", "text", "more text --b", "--", "---b", "From here", "Action: failed", "x: y", " indented")


def _random_part(rng: random.Random, depth: int) -> list[str]:
    """The lines of one part: a few header fields, a blank line, a body that may be a multipart or a message."""
    lines = [rng.choice(_HEADER_LINES) for _ in range(rng.randrange(0, 3))]
    kind = rng.random() if depth < 4 else 1.0
    if kind < 0.35:
        b = rng.choice(_BOUNDARIES)
        subtype = rng.choice(["mixed", "alternative", "digest"])
        lines += [f'Content-Type: multipart/{subtype}; boundary="{b}"', ""]
        lines += [rng.choice(_BODY_LINES) for _ in range(rng.randrange(0, 2))]
        for _ in range(rng.randrange(1, 4)):
            lines += ["--" + b + rng.choice(_BOUNDARY_TAILS), *_random_part(rng, depth + 1)]
        lines += [f"--{b}--", *(rng.choice(_BODY_LINES) for _ in range(rng.randrange(0, 2)))]
    elif kind < 0.45:
        lines += ["Content-Type: message/rfc822", "", *_random_part(rng, depth + 1)]
    elif kind < 0.5:
        lines += ["Content-Type: message/delivery-status", "", "Reporting-MTA: dns; x", "", "Action: failed", ""]
    else:
        lines += ["", *(rng.choice(_BODY_LINES) for _ in range(rng.randrange(0, 4)))]
    return lines


def _random_mails(rng: random.Random, count: int) -> Iterator[bytes]:
    """MIME-like mails, some of them then damaged: lines dropped, doubled, swapped, or given other line ends."""
    for _ in range(count):
        lines = "\n".join(_random_part(rng, 0)).split("\n")
        for _ in range(rng.choice([0, 0, 1, 2, 4])):
            i = rng.randrange(len(lines))
            action = rng.randrange(3)
            if action == 0:
                del lines[i]
            elif action == 1:
                lines.insert(i, lines[rng.randrange(len(lines))])
            else:
                lines[i] = rng.choice([*_BODY_LINES, *(f"--{b}" for b in _BOUNDARIES), "--b--"])
            if not lines:
                lines = [""]
        ends = rng.choice(["\n", "\r\n", "mixed", "mixed-cr"])
        choices = {"mixed": ["\n", "\r\n"], "mixed-cr": ["\n", "\r\n", "\r"]}.get(ends, [ends])
        text = "".join(line + rng.choice(choices) for line in lines)
        if rng.random() < 0.2:
            text = text.rstrip("\r\n")
        yield text.encode("utf-8")


def test_random_mails() -> None:
    rng = random.Random(int(os.environ.get("FASTTREE_SEED", "20261127")))
    fast = sum(assert_same_tree(raw) for raw in _random_mails(rng, 3000))
    assert 1000 < fast < 2900  # both paths get exercised
