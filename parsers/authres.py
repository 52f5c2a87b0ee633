"""Authentication-Results (RFC 8601): believe only what our own MX verified, and only as much as it proves.

The parser is lenient, as real headers are (Microsoft 365 omits the authserv-id, Yandex writes `smtp.mail`),
and never raises: a header it cannot read yields no results, which simply means "not verified".

Trust (RFC 8601 §5): a header carrying our authserv-id is ours only where our MX put it -- at the top, above
the Received header of the hop that brought the mail in. Anything lower was written by the sender, whatever id
it names. And a pass proves only what was checked: a DKIM signature by `corp.example` proves the domain, not
which employee wrote; SPF proves the envelope's domain, never a person.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["AuthResult", "contradicts_from", "parse_authentication_results", "proves_person", "trusted_results"]


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


Headers = Sequence[tuple[str, str]]
_BRACKETED_IP = re.compile(r"\[(?:ipv6:)?([0-9a-f:.]+)\]", re.I)
_BY = re.compile(r"\sby\s", re.I)
# a tag name from its first letter only: a sender's junk signature of 300,000 letters was scanned to its end again
# from each letter (half an hour); a match always starts where the letters start, so the tags are the same
_TAG = re.compile(r"(?<![a-z])([a-z]+)\s*=\s*([^;]*)", re.I)


def _domain_of(identity: str) -> str:
    return identity.rsplit("@", 1)[-1].strip().strip(".").lower()


def _loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def _from_clause(received: str) -> str | None:
    text = received.strip()
    return _BY.split(text, 1)[0] if text[:5].lower() == "from " else None


def _by_host(received: str) -> str:
    parts = _BY.split(received.strip(), 1)
    return parts[1].split(None, 1)[0].strip("();").lower() if len(parts) == 2 and parts[1].strip() else ""


def _internal_hop(received: str) -> bool:
    """A Received header of a hop inside our host after the MX (content filter, LMTP hand-off): its `from`
    clause names the peer by a loopback address only. The HELO name is the sender's word, so every bracketed
    address in the clause must be loopback, not just one; a header with no `from` peer is not internal."""
    clause = _from_clause(received)
    ips = _BRACKETED_IP.findall(clause or "")
    return bool(ips) and all(_loopback(ip) for ip in ips)


def trusted_results(headers: Headers, authserv_id: str) -> tuple[AuthResult, ...]:
    """The results our MX (`authserv_id`) prepended: the contiguous block it wrote at the top of the header
    block, above any Received header that is not our MX's (RFC 8601 §5).

    Walking down: our MX's own headers come first -- internal hops over loopback, results, then the Received of
    the mail's arrival. A milter may put its results just below that arrival line (OpenDKIM and OpenDMARC insert
    at index 1), so Authentication-Results directly under it still count; the first other header there is the
    sender's text, and so is everything after it. The arrival is the Received written `by` the authserv-id
    host; a Received by anyone else ends the block at once. Without any Received the mail passed no MX, and no
    header in it is the MX's. (A sender's header placed directly under the arrival line reads the same as a
    milter's: the MX must remove incoming headers that carry its id, as RFC 8601 asks.)
    """
    want = authserv_id.strip().lower()
    if not want:
        return ()
    found: list[AuthResult] = []
    arrived = False
    for name, value in headers:
        key = name.lower()
        if key == "authentication-results":
            found.extend(r for r in parse_authentication_results(value) if r.authserv_id == want)
        elif arrived:
            break  # the sender's first header below our MX's block
        elif key == "received":
            if _internal_hop(value):
                continue
            if _by_host(value) != want:
                return tuple(found)  # not our MX's hop: above it is ours, below it the sender's
            arrived = True
    return tuple(found) if arrived else ()


def _signature_tags(headers: Headers, result: AuthResult) -> dict[str, str] | None:
    """The tags of the DKIM-Signature a result reports (same d=, b= starting with header.b), when exactly one
    such signature is in the mail; None when none is, or when several disagree."""
    domain, b = (result.get("header.d") or "").lower(), "".join((result.get("header.b") or "").split())
    if not domain or len(b) < 8:
        return None
    found: list[dict[str, str]] = []
    for name, value in headers:
        if name.lower() != "dkim-signature":
            continue
        tags = {k.lower(): "".join(v.split()) for k, v in _TAG.findall(value)}
        if tags.get("d", "").lower() == domain and tags.get("b", "").startswith(b):
            found.append(tags)
    if not found or any((t.get("i"), t.get("h")) != (found[0].get("i"), found[0].get("h")) for t in found):
        return None
    return found[0]


def proves_person(headers: Headers, authserv_id: str, address: str) -> str | None:
    """Why our MX's results prove that `address` itself wrote the mail, or None.

    Only a DKIM pass whose signing identity (`header.i`, else the signature's `i=`) is exactly that address,
    on a mail with one From header that the signature covers. A domain's signature (`header.d=corp.example`,
    `i=@corp.example`) is applied to every employee's mail alike: it says nothing about which one wrote.
    """
    want = address.strip().lower()
    if "@" not in want or want.startswith("@"):
        return None
    if sum(name.lower() == "from" for name, _ in headers) != 1:
        return None  # a second From beside the signed one is how a signature is made to vouch for another
    for r in trusted_results(headers, authserv_id):
        if r.method != "dkim" or r.result != "pass":
            continue
        tags = _signature_tags(headers, r)
        identity = (r.get("header.i") or (tags or {}).get("i") or "").strip().lower()
        if identity != want or (r.get("header.d") and _domain_of(identity) != (r.get("header.d") or "").lower()):
            continue
        if tags is not None and "from" not in {h.strip().lower() for h in tags.get("h", "").split(":")}:
            continue
        return f"dkim=pass header.i={identity}"
    return None


def contradicts_from(headers: Headers, authserv_id: str, from_address: str, employee: bool) -> str | None:
    """Why our MX's results say the From is not genuine, or None: a DMARC or DKIM failure for its domain
    with no DKIM pass for it; for an `employee` (one of our own domains) also passes for other domains only
    (our people's mail carries our signature; outsiders' providers often sign with their own domain)."""
    domain = _domain_of(from_address)
    results = trusted_results(headers, authserv_id)
    if not domain or not results:
        return None
    signed = any(r.method == "dkim" and r.result == "pass"
                 and domain in (_domain_of(r.get("header.d") or ""), _domain_of(r.get("header.i") or ""))
                 for r in results)
    for r in results:
        if r.method == "dmarc" and r.result == "fail" and _domain_of(r.get("header.from") or "") == domain:
            return f"dmarc=fail header.from={domain}"
    if signed:
        return None
    for r in results:
        if r.method == "dkim" and r.result == "fail" and _domain_of(r.get("header.d") or "") == domain:
            return f"dkim=fail header.d={domain}"
    if employee:
        others = sorted({_domain_of(r.get("header.d") or r.get("smtp.mailfrom") or r.get("smtp.mail") or "")
                         for r in results if r.result == "pass" and r.method in ("dkim", "spf")} - {""})
        if others and domain not in others:
            return f"authenticated as {', '.join(others)}, not {domain}"
    return None
