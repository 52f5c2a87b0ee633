"""News by mail: an editor's mail becomes a draft, published once the editor is proven (a trusted DKIM/SPF
pass, or a reply to the preview's signed Reply-To); anyone else's is ignored."""

from __future__ import annotations

import logging

from postdesk.daemon.outgoing import answers
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.daemon.web.tokens import news_token
from postdesk.routing.actions import NewsByMail
from postdesk.routing.news import NewsItem, mailed_queues
from postdesk.storage.tickets import Tx

log = logging.getLogger("postdesk.pipeline")


def news_mail(h: Handling, action: NewsByMail) -> Result:
    """Editors only. The preview's Reply-To is signed for the draft and the editor: a reply from the
    editor's mailbox proves them (as the agents' reply addresses do), or a trusted DKIM/SPF pass does."""
    cfg, tx, mail, now, sender = h.config, h.tx, h.mail, h.now, h.sender.lower()
    if sender not in cfg.news_editors:
        log.warning("news mail from %s, who is no editor: ignored", sender or "(no sender)")
        return None, f"news mail from {sender or '(no sender)'}, who is no editor: ignored"
    tokens = {a.lower().partition("@")[0].partition("+")[2] for a in (*mail.envelope_to, *(
        x.email for x in (*mail.to, *mail.cc) if x.email))} - {""}
    for key in tx.news_drafts():
        if news_token(cfg.service.secret, key, sender) in tokens:
            tx.publish_news(key)
            item = news_item_of(tx, key)
            if item is not None:
                _preview(h, sender, item, True)
            return None, f"news {key} published by {sender} (confirmed from the preview)"
    queues, unknown = mailed_queues(((c.name, c.args) for c in mail.commands),
                                    (q.name for q in cfg.routing.queues))
    item = NewsItem(f"mail:{mail.message_id or now.isoformat()}", mail.subject.strip() or "-",
                    (mail.text or mail.full_text).strip(), mail.language, queues, now.date())
    tx.add_news_draft(item)
    if action.proven:  # decided with the facts: never from Authentication-Results a stranger handed over
        tx.publish_news(item.key)
    _preview(h, sender, item, bool(action.proven), unknown)
    return None, f"news {item.key} from {sender}: " + ("published" if action.proven
                                                       else "preview sent for confirmation")


def _preview(h: Handling, editor: str, item: NewsItem, published: bool, unknown: tuple[str, ...] = ()) -> None:
    answers.news_preview(h.mailer, h.tx, h.mail, h.row, editor, item, published, h.now, unknown)


def news_item_of(tx: Tx, key: str) -> NewsItem | None:
    return next((i for i in tx.news_items() if i.key == key), None)
