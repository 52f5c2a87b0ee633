"""What an ingress knows of a mail beyond its bytes: the inbound row's options, one typed value.

The SMTP ingress (a client that is not our MX), the IMAP reader (a mail left on the server for its size),
the requester's page and the portal (a click or a form turned into a mail) and `postdesk import` (a silent
history import) each write some of these; the pipeline reads them as facts for the decision. They are kept
in the row's JSON `options` column, written by `encode` and read by `decode` only, so a key is named once.

Rows written before version 1 carry the same keys without "v" and with looser types (a score or size as
text, a "web" kind of any spelling): `decode` reads them as the pipeline always did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

VERSION = 1  # the "v" key of rows written since options were typed; a row without one is version 0


class WebAction(StrEnum):
    """What a click or a form on our pages turned into an inbound row."""

    COMMENT = "comment"  # a comment on the requester's page
    SOLVED = "solved"  # "this solved my problem"
    RATING = "rating"  # a rating link, with its score and comment
    REQUEST = "request"  # a new request filed on the portal


@dataclass(frozen=True, slots=True)
class InboundOptions:
    """The row's options; every field's default means "not said", and only said fields are stored."""

    web: WebAction | None = None
    score: int | None = None  # a web rating's 1–5
    comment: str = ""  # a web rating's comment
    too_large: int | None = None  # bytes of a mail left on the IMAP server for its size (the row holds its header)
    silent: bool = False  # a history import: threads join whatever their status, nothing reopens, nobody hears
    status: str | None = None  # the status an imported request starts in (`postdesk import --closed`)
    untrusted_peer: str | None = None  # the SMTP client that handed it over and is not our MX

    def encode(self) -> dict[str, Any]:
        """The JSON the row stores: the version and the fields that say something."""
        out: dict[str, Any] = {"v": VERSION}
        if self.web is not None:
            out["web"] = self.web.value
        if self.score is not None:
            out["score"] = self.score
        if self.comment:
            out["comment"] = self.comment
        if self.too_large is not None:
            out["too_large"] = self.too_large
        if self.silent:
            out["silent"] = True
        if self.status is not None:
            out["status"] = self.status
        if self.untrusted_peer is not None:
            out["untrusted_peer"] = self.untrusted_peer
        return out

    @classmethod
    def decode(cls, stored: Mapping[str, Any] | None) -> InboundOptions:
        """The options of a stored row, of any version: an unknown web kind or a score given without a
        rating means nothing (as the pipeline read them before they were typed)."""
        o = stored or {}
        web = _web(o.get("web"))
        return cls(web=web,
                   score=int(o["score"]) if web is WebAction.RATING and o.get("score") is not None else None,
                   comment=str(o.get("comment") or ""),
                   too_large=int(o["too_large"]) if o.get("too_large") else None,
                   silent=bool(o.get("silent")),
                   status=str(o["status"]) if o.get("status") else None,
                   untrusted_peer=str(o["untrusted_peer"]) if o.get("untrusted_peer") else None)


def _web(value: object) -> WebAction | None:
    try:
        return WebAction(str(value)) if value else None
    except ValueError:
        return None
