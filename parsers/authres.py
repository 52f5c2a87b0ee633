"""Authentication-Results (RFC 8601): trust a sender's domain only on what our own MTA verified.

The parser is lenient, as real headers are (Microsoft 365 omits the authserv-id, Yandex writes `smtp.mail`),
and never raises: a header it cannot read yields no results, which simply means "not verified".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["AuthResult", "parse_authentication_results", "passes_for_domain"]


@dataclass(frozen=True, slots=True)
class AuthResult:
    """One `method=result` with its properties, tagged with the host that claims to have checked it."""

    authserv_id: str  # lower-case; "" when the header has none (Microsoft 365)
    method: str  # lower-case, without a method version
    result: str  # lower-case
    properties: tuple[tuple[str, str], ...]  # (lower-case key, value unquoted), e.g. ("header.d", "x.example")

    def get(self, key: str) -> str | None:
        """The first value of a property, since most appear once."""
        key = key.lower()
        return next((v for k, v in self.properties if k == key), None)


_MAX_VALUE = 20_000  # a header longer than this is not an Authentication-Results anyone wrote
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_ID_RE = re.compile(rf'\s*(?:({_QUOTED})|([^\s"=]+))(?:\s+(\d+))?\s*$', re.S)
_ARC_INSTANCE_RE = re.compile(r"\s*i\s*=\s*\d+\s*$")  # ARC-Authentication-Results starts with "i=1;"
_PAIR_RE = re.compile(rf'\s*([A-Za-z0-9_][A-Za-z0-9_.\-/]*)\s*=\s*({_QUOTED}|[^\s";]*)', re.S)
_JUNK_RE = re.compile(r'\s*(?:"(?:[^"\\]|\\.)*"?|[^\s"]+)', re.S)
_RESULT_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_ESCAPE_RE = re.compile(r"\\(.)", re.S)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return _ESCAPE_RE.sub(r"\1", value[1:-1])
    return value


def _without_comments(value: str) -> str:
    """Comments (nested, escaped) become a space; they may hold ";" and "=" that are not syntax."""
    out: list[str] = []
    depth = 0
    quoted = False
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\" and (quoted or depth):
            if not depth:
                out.append(value[i:i + 2])
            i += 2
            continue
        if quoted:
            quoted = c != '"'
            out.append(c)
        elif c == "(":
            depth += 1
        elif c == ")" and depth:
            depth -= 1
            if not depth:
                out.append(" ")
        elif not depth:
            quoted = c == '"'
            out.append(c)
        i += 1
    return "".join(out)


def _split_semicolons(value: str) -> list[str]:
    """Split on ";" outside quoted strings."""
    parts: list[str] = []
    start = 0
    quoted = False
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\" and quoted:
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c == ";" and not quoted:
            parts.append(value[start:i])
            start = i + 1
        i += 1
    parts.append(value[start:])
    return parts


def _resinfo(segment: str, authserv_id: str) -> AuthResult | None:
    """`method=result` then properties; junk between properties is skipped, a bad method drops the segment."""
    m = _PAIR_RE.match(segment)
    if not m:
        return None
    method = m.group(1).split("/", 1)[0].lower()
    result = _unquote(m.group(2)).lower()
    if not method or "." in method or method == "reason" or not _RESULT_RE.fullmatch(result):
        return None
    props: list[tuple[str, str]] = []
    pos = m.end()
    while pos < len(segment):
        p = _PAIR_RE.match(segment, pos)
        if p and p.end() > pos:
            props.append((p.group(1).lower(), _unquote(p.group(2))))
            pos = p.end()
            continue
        junk = _JUNK_RE.match(segment, pos)
        if not junk or junk.end() <= pos:  # only whitespace is left
            break
        pos = junk.end()
    return AuthResult(authserv_id, method, result, tuple(props))


def parse_authentication_results(value: str) -> tuple[AuthResult, ...]:
    """Every result of one header value, in order; `none` or anything unreadable gives ()."""
    if not isinstance(value, str) or len(value) > _MAX_VALUE:
        return ()
    segments = _split_semicolons(_without_comments(value.replace("\r", " ").replace("\n", " ")))
    if len(segments) > 1 and _ARC_INSTANCE_RE.match(segments[0]):
        segments = segments[1:]
    head = segments[0]
    if "=" in head.replace('\\"', "").split('"', 1)[0]:  # no authserv-id: the first segment is a result already
        authserv_id = ""
    else:
        m = _ID_RE.match(head)
        if not m:
            return ()
        authserv_id = (_unquote(m.group(1)) if m.group(1) else m.group(2)).strip().lower()
        segments = segments[1:]
    results: list[AuthResult] = []
    for segment in segments:
        if not segment.strip() or segment.strip().lower() == "none":
            continue
        r = _resinfo(segment, authserv_id)
        if r is not None:
            results.append(r)
    return tuple(results)


def _domain_of(identity: str) -> str:
    return identity.rsplit("@", 1)[-1].strip().strip(".").lower()


def passes_for_domain(values: Sequence[str], authserv_id: str, domain: str) -> str | None:
    """Why mail from `domain` is genuine per our own `authserv_id` (DKIM first, then SPF), or None.

    Results claimed by any other host -- and results without an authserv-id -- are the sender's word, not ours.
    """
    want_id = authserv_id.strip().lower()
    want = _domain_of(domain)
    if not want_id or not want:
        return None
    spf: str | None = None
    for value in values:
        for r in parse_authentication_results(value):
            if r.authserv_id != want_id or r.result != "pass":
                continue
            if r.method == "dkim":
                for key in ("header.d", "header.i"):
                    signer = r.get(key)
                    if signer and _domain_of(signer) == want:
                        return f"dkim=pass {key}={signer}"
            elif r.method == "spf" and spf is None:
                mailfrom = r.get("smtp.mailfrom") or r.get("smtp.mail")  # Yandex writes smtp.mail
                if mailfrom and _domain_of(mailfrom) == want:
                    spf = f"spf=pass smtp.mailfrom={mailfrom}"
    return spf
