"""An embedded message back to bytes, cheaply: the stdlib generator refolds every header and is slow."""

from __future__ import annotations

from email.message import Message

from postdesk.parsers.compat32 import as_parsed


def _text(value: object) -> bytes:
    return str(value).encode("utf-8", "surrogateescape")


def message_bytes(msg: Message) -> bytes:
    """The message as parsed: raw header lines as received, then the body, parts joined by their boundary."""
    out = [_text(name) + b": " + _text(value) + b"\n" for name, value in msg.raw_items()]
    out.append(b"\n")
    payload = as_parsed(msg)._payload  # as parsed: get_payload() would re-decode 8-bit text with the charset
    if isinstance(payload, list):
        if msg.get_content_maintype() == "multipart":
            boundary = _text(msg.get_boundary() or "")
            if msg.preamble:
                out.append(_text(msg.preamble) + b"\n")
            for sub in payload:
                if isinstance(sub, Message):
                    out += [b"--", boundary, b"\n", message_bytes(sub), b"\n"]
            out += [b"--", boundary, b"--\n"]
            if msg.epilogue:
                out.append(_text(msg.epilogue))
        else:  # message/rfc822, message/delivery-status: blocks of headers
            out += [message_bytes(sub) for sub in payload if isinstance(sub, Message)]
    elif payload is not None:
        out.append(_text(payload))
    return b"".join(out)
