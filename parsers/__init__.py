"""Bytes in, values out: everything Postdesk reads from a mail, without I/O or clock."""

from postdesk.parsers.model import Address, Attachment, AutoVerdict, Command, InboundMail, ParseOptions

__all__ = ["Address", "Attachment", "AutoVerdict", "Command", "InboundMail", "ParseOptions", "parse_mail",
           "parse_or_error"]


def parse_mail(raw: bytes, options: ParseOptions | None = None, *,
               envelope_from: str | None = None, envelope_to: tuple[str, ...] = ()) -> InboundMail:
    """Parse one mail; never raises on bad mail (problems go into `defects`)."""
    from postdesk.parsers.mime import parse_mail as _parse

    return _parse(raw, options or ParseOptions(), envelope_from=envelope_from, envelope_to=envelope_to)


def parse_or_error(raw: bytes, options: ParseOptions, envelope: tuple[str | None, tuple[str, ...]]
                   ) -> InboundMail | Exception:
    """For a process pool: the mail, or the exception that would have escaped, to quarantine it with.

    It lives here so the pool's workers import the parser only, not the daemon around it (memory).
    """
    try:
        return parse_mail(raw, options, envelope_from=envelope[0], envelope_to=tuple(envelope[1]))
    except Exception as exc:  # parse_mail must not raise; if it does, the mail is quarantined, not lost
        return exc
