"""From/To/Cc/Reply-To values to Addresses: RFC 5322 and what mailers actually send (obsolete routes, comments,
unclosed quotes and brackets, a whole `Name <addr>` in one encoded word), never a forged header or log line.

Split from headers.py: the scanner is a module's worth on its own, and only the address fields need it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from postdesk.parsers.headers import (
    _BARE_ID,
    _ENCODED_WORD,
    _MEMO_MAX,
    _MEMO_SIZE,
    BIDI_CONTROLS,
    CONTROL,
    decode_header_value,
    raw_to_str,
    unfold,
)
from postdesk.parsers.model import Address

_SPACES = re.compile(r"[ \t]+")

# One address in its everyday forms, `Name Words <addr>`, `"Name" <addr>`, `<addr>` or a bare `addr`: ASCII
# atoms without specials, a quoted name without escapes. _tokens reads these exactly as the full scanner would.
_ATOM = r"[^\x00-\x20\x7f\"<>(),;:\\]++"
_SIMPLE_ADDRESS = re.compile(
    rf'[ \t]*(?:"([^"\\]*)"|((?:{_ATOM}[ \t]+)*{_ATOM})?)[ \t]*<([^<>,]*)>[ \t]*|[ \t]*({_ATOM})[ \t]*')
_BREAKS_ATOM = re.compile(r'[\s"<>(),;:\\]')


def _simple_tokens(value: str) -> list[tuple[str, str]] | None:
    """The tokens of a one-address value in an everyday form, or None when the full scanner must read it."""
    if not value.isascii():
        return None
    m = _SIMPLE_ADDRESS.fullmatch(value)
    if m is None:
        return None
    quoted, words, angle, bare = m.groups()
    if bare is not None:
        return [("atom", bare)]
    if "=?" in value and any(_BREAKS_ATOM.search(w.group(0)) for w in _ENCODED_WORD.finditer(value)):
        return None  # the scanner keeps an encoded word whole, blanks and specials inside included
    tokens = [("quoted", quoted)] if quoted is not None else [("atom", w) for w in (words or "").split()]
    tokens.append(("angle", angle))
    return tokens


def _quoted(value: str, i: int) -> tuple[str | None, int]:
    """The quoted string opening at `i`: (its text, the index after it). A quote never closed would swallow the
    `<address>` after it, and a word of the name would be taken for the sender: then (None, i + 1), the stray
    quote dropped and the rest read as usual."""
    n = len(value)
    j, buf = i + 1, []
    while j < n and value[j] != '"':
        if value[j] == "\\" and j + 1 < n:
            j += 1
        buf.append(value[j])
        j += 1
    if j >= n and "<" in value[i:]:
        return None, i + 1
    return "".join(buf), j + 1


def _comment(value: str, i: int) -> tuple[str, int]:
    """The (possibly nested) comment opening at `i`: its text and the index after it."""
    n = len(value)
    depth, j, buf = 1, i + 1, []
    while j < n and depth:
        if value[j] == "\\" and j + 1 < n:
            j += 1
        elif value[j] == "(":
            depth += 1
        elif value[j] == ")":
            depth -= 1
            if not depth:
                break
        buf.append(value[j])
        j += 1
    return "".join(buf), j + 1


def _angle(value: str, i: int) -> tuple[str, int]:
    """The bracketed address opening at `i`: its text and the index after it. A comma inside brackets before
    any '>' on the line means the bracket was never closed."""
    n = len(value)
    j = i + 1
    while j < n and value[j] not in ">,":
        j += 1
    if j < n and value[j] == "," and ">" in value[j:]:
        k = value.index(">", j)
        if "<" not in value[j:k]:
            j = k
    return value[i + 1 : j], (j + 1 if j < n and value[j] == ">" else j)


_PUNCTUATION_TOKENS = {",": "sep", ";": "groupend"}


def _tokens(value: str) -> list[tuple[str, str]]:
    """Split an address header into (kind, text) tokens: quoted, comment, angle, sep, group, groupend, atom."""
    simple = _simple_tokens(value)
    if simple is not None:
        return simple
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(value)
    atom: list[str] = []

    def end_atom() -> None:
        if atom:
            tokens.append(("atom", "".join(atom)))
            atom.clear()

    while i < n:
        c = value[i]
        if c == "=" and value.startswith("=?", i) and (m := _ENCODED_WORD.match(value, i)):
            atom.append(m.group(0))  # an encoded word is one atom even when it hides a comma or a quote
            i = m.end()
        elif c == '"':
            end_atom()
            quoted, i = _quoted(value, i)
            if quoted is not None:
                tokens.append(("quoted", quoted))
        elif c == "(":
            end_atom()
            comment, i = _comment(value, i)
            tokens.append(("comment", comment))
        elif c == "<":
            end_atom()
            angle, i = _angle(value, i)
            tokens.append(("angle", angle))
        elif c in ",;":
            end_atom()
            tokens.append((_PUNCTUATION_TOKENS[c], c))
            i += 1
        elif c == ":" and not (tokens and tokens[-1][0] == "angle") and "@" not in "".join(atom):
            end_atom()
            tokens.append(("group", c))
            i += 1
        elif c in " \t":
            end_atom()
            i += 1
        else:
            atom.append(c)
            i += 1
    end_atom()
    return tokens


_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9._%+\-=!#$&'*/?^`{|}~]+@[A-Za-z0-9.\-]+")
_COMMENT = re.compile(r"\((?:[^()\\]|\\.)*\)")  # innermost first; repeated for nested comments
_CFWS_AROUND = re.compile(r"\s*([@.])\s*")
_NOT_IN_ADDRESS = re.compile(r'[\t\n\r\f\v<>(),;:\\\[\]"]')  # outside a quoted local part and domain literal;
# a space is let through: `<power quadrant system@x>` is broken but is what the sender's mail says


def _uncomment(text: str) -> str:
    """An addr-spec without its RFC 5322 comments and the folding whitespace around `@` and dots:
    `pete(his account)@silly.test(his host)` -> `pete@silly.test` (obsolete, still sent)."""
    for _ in range(8):  # nested comments, from the inside out; deeper nesting is not an address anyone writes
        if "(" not in text:
            break
        text = _COMMENT.sub("", text)
    return _CFWS_AROUND.sub(r"\1", text).strip()


def _valid_email(text: str) -> bool:
    """No control character anywhere; no space or special outside a quoted local part and a domain literal."""
    if _PLAIN_EMAIL.fullmatch(text):
        return True
    if CONTROL.search(text):
        return False
    rest = text
    if rest.startswith('"'):  # "quoted local"@domain: anything but controls inside the quotes
        end = rest.rfind('"@')
        rest = rest[end + 1 :] if end > 0 else rest
    local, at, domain = rest.rpartition("@")
    if at and domain.startswith("[") and domain.endswith("]"):
        rest = local + at
    return not _NOT_IN_ADDRESS.search(rest)


def _clean_email(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if text.startswith("@") and ":" in text:  # obsolete source route @a,@b:user@host
        text = text.split(":", 1)[1]
    if "(" in text or " " in text or "\t" in text:
        text = _uncomment(text)
    if text.endswith(">") and "<" not in text:  # `"Name"@host>`: a bracket lost its other half
        text = text[:-1]
    return text.lower()


def _build(item: list[tuple[str, str]], defects: list[str] | None) -> Address | None:
    angles = [t for k, t in item if k == "angle"]
    # `"<b>x</b>" <svg …> <a@b>`: brackets in a name are not the address; the mailbox is the last bracket that
    # holds one, as in every `Name <address>`
    angle = next((t for t in reversed(angles) if "@" in t), angles[-1] if angles else None)
    comments = [t for k, t in item if k == "comment"]
    if angle is not None:
        words: list[str] = [t for k, t in item if k in ("quoted", "atom")]
        name = " ".join(words)
        email = _clean_email(angle)
        if not email and not name:
            return None
    else:
        # no brackets: join a quoted local part to its domain, then take the word with an '@'
        words = []
        for k, t in item:
            if k == "quoted":
                words.append(f'"{t}"')
            elif k == "atom":
                if words and t.startswith("@") and words[-1].startswith('"'):
                    words[-1] += t
                else:
                    words.append(t)
        words = _join_at_signs(words)
        mail_words = [w for w in words if "@" in w]
        mail_comments = [c for c in comments if _BARE_ID.fullmatch(c.strip())]
        if mail_words:
            email = _clean_email(mail_words[0])
            name = ""
        elif mail_comments:  # Name (user@host): the address hides in the comment
            email = _clean_email(mail_comments[0])
            name = " ".join(words)
            comments = []
        elif len(words) == 1 and "=?" not in words[0]:
            email, name = _clean_email(words[0]), ""
        elif words:
            email, name = "", " ".join(w.strip('"') for w in words)
        else:
            return None
    if not name and comments:
        name = " ".join(comments)
    email = raw_to_str(email, defects)
    if email and not _valid_email(email):
        if defects is not None:
            defects.append("address: invalid address dropped" + (", control characters" if CONTROL.search(email)
                                                                 else ""))
        email = ""
    return Address(name=_shown_name(name, email, defects) if name else "", email=email)


def _shown_name(name: str, email: str, defects: list[str] | None) -> str:
    """The display name as it may be shown and greeted: decoded, or "" when it would deceive."""
    name = decode_header_value(name, defects)
    dropped = ""
    if CONTROL.search(name):  # decoded to a line break or worse: a name that would forge a header or a log line
        dropped = "control characters in a display name"
    elif "@" in name and email and _names_another(name, email):
        dropped = "a display name naming another address"  # `"ivanov@corp.example" <a5@evil.example>`: read first
    if dropped:
        if defects is not None:
            defects.append(f"address: {dropped}, name dropped")
        return ""
    if not name.isascii() and BIDI_CONTROLS.search(name):  # a name shown reversed, over its own address
        name = BIDI_CONTROLS.sub("", name)
    return (_SPACES.sub(" ", name) if "\t" in name or "  " in name else name).strip()


_NAME_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _names_another(name: str, email: str) -> bool:
    """Whether a display name is nothing but an address other than the mailbox it stands over (a forger's way to be
    read as someone else: clients show the name, a hurried reader takes it for the sender). A name that says more
    ("Doe, Jane (jane@home.example)", "it@corp.example via list") is a person's or a list's way of naming."""
    bare = name.strip(" \t'\"<>()[]")
    return _NAME_ADDRESS.fullmatch(bare) is not None and plain_address(bare) != plain_address(email)


def _glued(before: str, word: str) -> bool:
    """Whether `word` continues the address `before` started (the blanks between were folding)."""
    if word.startswith("@"):
        return "@" not in before
    if before.endswith("@"):
        return "@" not in word
    return "@" in before and "@" not in word and (word.startswith(".") or before.endswith("."))


def _join_at_signs(words: list[str]) -> list[str]:
    """`pete (his account) @ silly.test` and `jdoe@test . example` (obsolete folding) are one address each."""
    if len(words) < 2 or not any(w[0] in "@." or w[-1] in "@." for w in words):
        return words
    out: list[str] = []
    for w in words:
        if out and _glued(out[-1], w):
            out[-1] += w
        else:
            out.append(w)
    return out


_DOT_STRING = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


def plain_address(address: str) -> str:
    """An address in the one spelling of its mailbox: lower case, without the DNS root's trailing dot and without
    quotes its local part does not need (`"Petr+1"@Corp.Example.` is `petr+1@corp.example`: RFC 5321 4.1.2 makes
    a quoted string whose content is a dot-string the same local part). A forger who spells a victim's or the
    desk's own address so must not pass for someone else."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return address.strip().lower()
    if len(local) > 2 and local[0] == local[-1] == '"' and _DOT_STRING.fullmatch(local, 1, len(local) - 1):
        local = local[1:-1]
    return f"{local}@{domain.rstrip('.')}"


def mailbox_of(address: str) -> str:
    """The mailbox an address reaches, the one form to compare addresses in: its plain spelling without the local
    part's `+tag` (`Service+SD-12@Corp.Example.` and `"service"@corp.example` -> `service@corp.example`)."""
    local, at, domain = plain_address(address).rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if at else address.strip().lower()


def parse_addresses(value: str | None, defects: list[str] | None = None) -> tuple[Address, ...]:
    """Addresses of a From/To/Cc header: groups flattened, brackets optional, garbage skipped."""
    if not value:
        return ()
    if len(value) > _MEMO_MAX:
        return _read_addresses(value, defects)
    found, their_defects = _remembered_addresses(value)
    if their_defects and defects is not None:
        defects.extend(their_defects)
    return found


@lru_cache(maxsize=_MEMO_SIZE)
def _remembered_addresses(value: str) -> tuple[tuple[Address, ...], tuple[str, ...]]:
    """parse_addresses of a value seen before: a desk's mail repeats its own To and its frequent senders'
    From (the result is immutable: frozen Addresses in a tuple)."""
    defects: list[str] = []
    return _read_addresses(value, defects), tuple(defects)


def _read_addresses(value: str, defects: list[str] | None) -> tuple[Address, ...]:
    value = unfold(value)
    out = _parse_address_list(value, defects)
    if "=?" in value and any("@" not in a.email for a in out):
        # the whole "Name <addr>" hidden in one encoded word: decode first, then parse
        text = decode_header_value(value)
        if CONTROL.search(text):  # "IT <a@b>\r\nSubject: ..." smuggled in an encoded word: no address in it counts
            if defects is not None:
                defects.append("address: control characters in an encoded address, refused")
            return out
        decoded = _parse_address_list(text, defects)
        if sum("@" in a.email for a in decoded) > sum("@" in a.email for a in out):
            return decoded
    return out


def parse_address_headers(values: list[str], defects: list[str] | None = None) -> tuple[Address, ...]:
    """The addresses of every To (or Cc) header of a mail: a second header adds to the first."""
    if len(values) == 1:
        return parse_addresses(values[0], defects)
    return tuple(a for v in values for a in parse_addresses(v, defects))


def _parse_address_list(value: str, defects: list[str] | None) -> tuple[Address, ...]:
    out: list[Address] = []
    item: list[tuple[str, str]] = []

    def close() -> None:
        if item:
            addr = _build(item, defects)
            if addr is not None and (addr.email or addr.name):
                out.append(addr)
            item.clear()

    for kind, text in _tokens(value):
        if kind in ("sep", "groupend"):
            close()
        elif kind == "group":
            item.clear()  # the group's display name is not a mailbox
        else:
            item.append((kind, text))
    close()
    return tuple(out)
