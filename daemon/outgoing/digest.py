"""News digests: each subscriber gets the items not yet sent to them, once per digest and period.

One transaction per subscriber records (digest, period, address) — a unique key — and queues the mail
together, so a run that fires twice, a restart halfway, or a second daemon never sends one twice, and an
interrupted run resumes with those not yet sent. Sending goes through the outbox, behind ticket mail.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from postdesk.daemon.config import Config, DigestConfig
from postdesk.daemon.outgoing.compose import Outgoing
from postdesk.daemon.outgoing.send import DIGEST, Body, Held, Letter, Post, Reason
from postdesk.daemon.web.metrics import DIGEST_MAILS
from postdesk.daemon.web.tokens import unsubscribe_token
from postdesk.routing.news import NewsItem, cron_trigger, for_subscriber, parse_news, period_of
from postdesk.storage import news
from postdesk.storage.db import Database
from postdesk.storage.models import utcnow
from postdesk.storage.portal import opted_out_of
from postdesk.storage.tickets import TicketStore, Tx
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.digest")
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_NO_REMOTE = MarkdownIt("commonmark", {"html": False})
_EMBEDDED = ("data:", "cid:")  # carried in the mail itself: opening it tells nobody anything


def _image_or_alt(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """An image from another host is a tracking pixel as far as the reader can tell: its alt text stays."""
    token = tokens[idx]
    if str(token.attrGet("src") or "").strip().lower().startswith(_EMBEDDED):
        return str(self.image(tokens, idx, options, env))
    alt = self.renderInline(token.children or [], options, env)
    return f"[{alt}]" if alt else ""


_NO_REMOTE.add_render_rule("image", _image_or_alt)


def news_html(body: str, remote_images: bool = False) -> Markup:
    """A news item's Markdown as the HTML a digest carries; images from other hosts only when
    `[news] remote_images` allows them (off by default: each would report who opened the mail, and when)."""
    return Markup((_MARKDOWN if remote_images else _NO_REMOTE).render(body))


def load_news_dir(path: Path) -> tuple[list[NewsItem], list[str]]:
    items: list[NewsItem] = []
    problems: list[str] = []
    for file in sorted(path.rglob("*.md")):
        name = str(file.relative_to(path))
        try:
            item, found = parse_news(file.read_text(encoding="utf-8"), name)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{name}: cannot read: {exc}")
            continue
        problems += [f"{name}: {p}" for p in found]
        if item is not None:
            items.append(item)
    return items, problems


def sync_news(config: Config, db: Database) -> list[str]:
    """The files of `[news] dir` into the news table; returns the problems (a broken file is skipped)."""
    if config.news_dir is None:
        return []
    items, problems = load_news_dir(config.news_dir)
    news.sync_files(db, items)
    for p in problems:
        log.warning("news: %s", p)
    return problems


def digest_letter(config: Config, address: str, name: str, lang: str, items: list[NewsItem]) -> Letter:
    """One subscriber's digest mail, but its body: the subject, and the headers a mail client offers the
    unsubscribe link by."""
    cfg = config.service
    subject = (f"Новости сервисов: {items[0].title}" if lang == "ru" else f"Service news: {items[0].title}") + (
        f" (+{len(items) - 1})" if len(items) > 1 else "")
    return Letter(to=((name, address),), subject=subject, language=lang, headers=(
        ("List-Unsubscribe", f"<{_unsubscribe_url(config, address)}>, <mailto:{cfg.address}?subject=unsubscribe>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("List-Id", f"{cfg.name} <news.{cfg.address.partition('@')[2]}>"),
        ("Precedence", "bulk")))


def digest_body(config: Config, renderer: Renderer, letter: Letter, items: list[NewsItem]) -> Body:
    (name, address), = letter.to
    shown = [{"title": i.title, "date": i.date, "body": i.body, "html": news_html(i.body, config.news_remote_images)}
             for i in items]
    return Body(*renderer.mail("digest", letter.language, items=shown, name=name, service_name=config.service.name,
                               unsubscribe_url=_unsubscribe_url(config, address), subject=letter.subject))


def _unsubscribe_url(config: Config, address: str) -> str:
    return f"{config.service.base_url}/u/{unsubscribe_token(config.service.secret, address)}"


def compose_digest(config: Config, renderer: Renderer, d: DigestConfig, address: str, name: str, lang: str,
                   items: list[NewsItem], now: datetime) -> Outgoing:
    """The digest's mail as it would be sent, queued by nobody (`postdesk digest preview`)."""
    letter = digest_letter(config, address, name, lang, items)
    return Post(config, renderer).compose(DIGEST, letter, digest_body(config, renderer, letter, items), now)


def run_digest(config: Config, db: Database, renderer: Renderer, name: str, now: datetime | None = None,
               dry_run: bool = False) -> Counter[str]:
    """Queue this period's digest for everyone with something new; returns counts of what happened."""
    now = now or utcnow()
    d = config.digest(name)
    if d is None:
        raise ValueError(f"no digest {name!r} in the config")
    period = period_of(cron_trigger(d.schedule, d.timezone), now)
    done: Counter[str] = Counter()
    if period is None:
        done["no period yet"] += 1
        return done
    sync_news(config, db)
    items = news.items(db)
    since = now - timedelta(days=d.active_days) if d.audience == "requesters" else None
    post = Post(config, renderer)
    switched_off = opted_out_of(db, d.name)  # this digest alone, switched off on the portal
    for address, person, lang, queues in news.audience(db, since):
        if address in switched_off:
            done["switched off"] += 1
            continue
        chosen = for_subscriber(items, queues, lang, news.received(db, address), now)
        if not chosen:
            done["nothing new"] += 1
            continue
        if dry_run:
            done["would send"] += 1
            continue
        try:
            with TicketStore(db).transaction() as tx:
                outcome = _send_one(post, tx, d, period.isoformat(), address, person, lang, chosen, now)
            done[outcome] += 1
            if outcome == "sent":
                DIGEST_MAILS.labels(name, "queued").inc()
        except Exception:  # one subscriber's trouble must not stop the run; the next run tries again
            log.exception("digest %s: %s failed", name, address)
            done["failed"] += 1
            DIGEST_MAILS.labels(name, "failed").inc()
    log.info("digest %s for %s: %s", name, period.isoformat(), ", ".join(f"{k} {v}" for k, v in sorted(done.items())))
    return done


def _send_one(post: Post, tx: Tx, d: DigestConfig, period: str, address: str, name: str, lang: str,
              chosen: list[NewsItem], now: datetime) -> str:
    """One subscriber's digest, claimed (digest, period, address) and queued in one transaction; what happened."""
    letter = digest_letter(post.config, address, name, lang, chosen)
    cleared = post.clear(tx, DIGEST, letter, now)  # an address that bounced for good, or that no relay takes
    if isinstance(cleared, Held):
        return {Reason.BOUNCED: "suppressed", Reason.UNSENDABLE: "cannot be sent"}.get(cleared.reason, "held")
    send_id = tx.claim_digest(d.name, period, address, [i.key for i in chosen], now)
    if send_id is None:
        return "already sent"
    sent = post.queue(tx, cleared, digest_body(post.config, post.renderer, letter, chosen), now)
    tx.set_digest_outbox(send_id, sent.outbox_id)
    return "sent"
