"""Bytes in, values out: everything Postdesk reads from a mail, without I/O or clock."""

from parsers.model import Address, Attachment, AutoVerdict, Command, InboundMail, ParseOptions

__all__ = ["Address", "Attachment", "AutoVerdict", "Command", "InboundMail", "ParseOptions", "parse_mail"]


def parse_mail(raw: bytes, options: ParseOptions | None = None, *,
               envelope_from: str | None = None, envelope_to: tuple[str, ...] = ()) -> InboundMail:
    """Parse one mail; never raises on bad mail (problems go into `defects`)."""
    from parsers.mime import parse_mail as _parse

    return _parse(raw, options or ParseOptions(), envelope_from=envelope_from, envelope_to=envelope_to)
