"""Timed work, run by APScheduler in the worker: every job is idempotent and safe to run twice.

Each ticket is handled in its own transaction that re-reads the ticket's clock before acting, so a job
that fires twice, overlaps a restart, or runs in two daemons at once never acts twice. Beyond that, every
daemon's scheduler fires but only the daemon that claims the run's slot (a `job_runs` row) does the work.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from postdesk.daemon.config import Config
from postdesk.daemon.learning.refit import run_refit
from postdesk.daemon.logs import fields
from postdesk.daemon.outgoing.digest import run_digest
from postdesk.daemon.outgoing.mailer import Mailer, ref_of
from postdesk.routing.news import cron_trigger, period_of
from postdesk.routing.sla import clocks, policy_for, sla_steps
from postdesk.routing.timers import AUTORESOLVE, CLOSE, REMIND_PENDING, REMIND_RATING, due
from postdesk.storage import daemons
from postdesk.storage.db import Database
from postdesk.storage.models import utcnow
from postdesk.storage.retention import purge_raw
from postdesk.storage.tickets import TicketStore, Tx
from postdesk.storage.views import TicketView
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.jobs")


def run_ticket_timers(config: Config, db: Database, renderer: Renderer, now: datetime | None = None) -> Counter[str]:
    """Pending reminders, auto-resolution, closing, rating reminders; returns what was done."""
    now = now or utcnow()
    store = TicketStore(db)
    mailer = Mailer(config, renderer)
    done: Counter[str] = Counter()
    for ticket_id in store.waiting():
        try:
            with store.transaction() as tx:
                clock = tx.ticket_clock(ticket_id)
                t = tx.ticket(ticket_id)
                if clock is None or t is None:
                    continue
                for step in due(clock, now, config.timers):
                    _apply(step, tx, t, mailer, config, now)
                    done[step] += 1
                    t = tx.ticket(ticket_id) or t
        except Exception:  # one ticket's trouble must not stop the others; the next run tries again
            log.exception("ticket timers: %s failed", ref_of(config, ticket_id),
                          extra=fields(ticket=ref_of(config, ticket_id)))
            done["failed"] += 1
    if done:
        log.info("ticket timers: %s", ", ".join(f"{k} {v}" for k, v in sorted(done.items())))
    return done


def _apply(step: str, tx: Tx, t: TicketView, mailer: Mailer, config: Config, now: datetime) -> None:
    s = config.timers
    if step == REMIND_PENDING:
        days = max(1, round((s.pending_autoresolve - s.pending_reminder).total_seconds() / 86400))
        mailer.tell_requester(tx, t, "pending_reminder", now, autoresolve_days=days)
        tx.add_event(t.id, actor="system", via="system", kind="pending-reminder", now=now)
    elif step == AUTORESOLVE:
        tx.change_status(t.id, "pending", "resolved", actor="system", via="system", now=now,
                         reason=f"no answer from the requester in {s.pending_autoresolve.days} days")
        mailer.tell_requester(tx, t, "autoresolved", now)
    elif step == CLOSE:
        tx.change_status(t.id, "resolved", "closed", actor="system", via="system", now=now,
                         reason=f"resolved for {s.close_after.days} days")
    elif step == REMIND_RATING:
        mailer.ask_rating(tx, t, now, reminder=True)


def run_sla(config: Config, db: Database, renderer: Renderer, now: datetime | None = None) -> Counter[str]:
    """Warn the assignee at 80 % of a clock, tell the queue's leads once it is breached; each once."""
    now = now or utcnow()
    store = TicketStore(db)
    mailer = Mailer(config, renderer)
    done: Counter[str] = Counter()
    for ticket_id in store.running_sla({p.queue for p in config.sla}):
        try:
            with store.transaction() as tx:
                t = tx.hold_ticket(ticket_id)  # an agent's mail resolving it meanwhile waits, or is seen
                if t is None or t.status in ("resolved", "closed"):
                    continue
                policy = policy_for(config.sla, t.queue, t.priority)
                if policy is None:
                    continue
                first, warned, escalated, pauses = tx.sla_facts(t.id)
                found = clocks(policy, t.created_at, first, t.resolved_at, now, pauses)
                for step in sla_steps(found, warned, escalated):
                    kind, _, name = step.partition(":")
                    clock = next(c for c in found if c.name == name)
                    words = f"{name.replace('_', ' ')} due {clock.deadline.isoformat(timespec='minutes')}"
                    if kind == "warn":
                        tx.add_event(t.id, actor="system", via="system", kind="sla-warning", now=now, clock=name,
                                     deadline=clock.deadline.isoformat())
                        mailer.notify(tx, t, "sla-warning", now, text=words)
                    else:
                        tx.add_event(t.id, actor="system", via="system", kind="sla-breach", now=now, clock=name,
                                     deadline=clock.deadline.isoformat())
                        leads = tuple(a for a in config.agents_of_queue(t.queue) if a.lead)
                        mailer.notify(tx, t, "sla-breach", now, text=words,
                                      to=leads or config.agents_of_queue(t.queue))
                    done[step] += 1
        except Exception:
            log.exception("sla: %s failed", ref_of(config, ticket_id), extra=fields(ticket=ref_of(config, ticket_id)))
            done["failed"] += 1
    if done:
        log.info("sla: %s", ", ".join(f"{k} {v}" for k, v in sorted(done.items())))
    return done


def run_retention(config: Config, db: Database, renderer: Renderer, now: datetime | None = None) -> Counter[str]:
    """Drop the raw bytes of processed and sent mail older than [retention] raw_mail (storage.retention)."""
    done: Counter[str] = Counter()
    if config.retention.raw_mail is None:
        return done
    purged = purge_raw(db, (now or utcnow()) - config.retention.raw_mail)
    done.update({"inbound raw purged": purged.inbound, "outbox raw purged": purged.outbox})
    log.info("retention: raw bytes of %d inbound and %d sent mail(s) from before %s purged", purged.inbound,
             purged.outbox, purged.before.isoformat(timespec="seconds"))
    return +done


@dataclass(frozen=True)
class Job:
    name: str
    what: str
    trigger: BaseTrigger
    run: Callable[..., Counter[str]]

    def slot(self, now: datetime) -> str:
        """What one run covers, the same on every daemon: a cron job's period, else the minute."""
        if not isinstance(self.trigger, IntervalTrigger):
            period = period_of(self.trigger, now)
            if period is not None:
                return period.isoformat()
        return now.replace(second=0, microsecond=0).isoformat(timespec="minutes")


def jobs(config: Config | None = None) -> list[Job]:
    """The fixed jobs, one per `[[digests]]` entry on its own schedule, and retention when it is set."""
    digests = [Job(f"digest:{d.name}", f"news digest to {d.audience} ({d.schedule}, {d.timezone})",
                   cron_trigger(d.schedule, d.timezone),
                   lambda c, db, r, now=None, name=d.name: run_digest(c, db, r, name, now))
               for d in (config.digests if config else ())]
    found = _fixed() + digests
    if config is not None and config.retention.raw_mail is not None:  # daily at 03:30, the center's time
        found.append(Job("retention", f"drop the raw bytes of mail done over {config.retention.raw_mail.days} "
                         "days ago", CronTrigger(hour=3, minute=30, timezone=config.service.timezone), run_retention))
    if config is not None and config.model.enabled:  # nightly at 02:30, the center's time
        found.append(Job("model-refit", f"refit the learned routing when {config.model.min_new} tickets were "
                         "resolved since", CronTrigger(hour=2, minute=30, timezone=config.service.timezone), run_refit))
    return found


def _fixed() -> list[Job]:
    return [Job("ticket-timers", "pending reminders and auto-resolution, closing resolved tickets, rating reminders",
                IntervalTrigger(minutes=1), run_ticket_timers),
            Job("sla", "SLA warnings at 80 % to the assignee, breaches to the queue's leads",
                IntervalTrigger(minutes=1), run_sla)]


def start_scheduler(get_config: Callable[[], Config], db: Database, get_renderer: Callable[[], Renderer],
                    me: str) -> BackgroundScheduler:
    """In the worker; coalesced and one instance at a time, so a slow run is never stacked."""
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,
                                                                  "misfire_grace_time": 300})
    schedule_jobs(scheduler, get_config, db, get_renderer, me)
    scheduler.start()
    return scheduler


def schedule_jobs(scheduler: BackgroundScheduler, get_config: Callable[[], Config], db: Database,
                  get_renderer: Callable[[], Renderer], me: str) -> None:
    """(Re)place every job: called at start and after a reload changed the digests."""
    scheduler.remove_all_jobs()
    for job in jobs(get_config()):
        scheduler.add_job(lambda j=job: run_once(j, get_config(), db, get_renderer(), me), job.trigger,
                          id=job.name, name=job.what)


def run_once(job: Job, config: Config, db: Database, renderer: Renderer, me: str) -> Counter[str] | None:
    """Every daemon's scheduler fires; the one that claims the slot runs it, the others skip it."""
    now = utcnow()
    slot = job.slot(now)
    if job.name == "ticket-timers":  # every minute: the moment to look after what dead daemons left
        finish_for_the_dead(config, db, renderer, me)
    if not daemons.claim_slot(db, job.name, slot, me):
        log.debug("%s: slot %s is another daemon's", job.name, slot)
        return None
    if now.minute == 0 and job.name == "ticket-timers":  # hourly: slots older than a week are of no use
        daemons.forget_slots(db, now - timedelta(days=7))
    done = job.run(config, db, renderer)
    daemons.finish_slot(db, job.name, slot)
    return done


def finish_for_the_dead(config: Config, db: Database, renderer: Renderer, me: str) -> None:
    """A digest whose daemon died mid-run (a crash, a restart during the run) is finished by another.

    Only within the day: its period's digest is sent once per subscriber whoever runs it, and a slot
    older than that is the next period's business (its digest carries what this one would have).
    """
    by_name = {j.name: j for j in jobs(config) if j.name.startswith("digest:")}
    if not by_name:
        return
    for name, slot, dead in daemons.unfinished_of_the_dead(db, set(by_name), utcnow() - timedelta(days=1), me):
        if not daemons.take_slot(db, name, slot, dead, me):
            continue
        log.warning("%s: slot %s was left unfinished by daemon %s, which died; finishing it", name, slot, dead)
        by_name[name].run(config, db, renderer)
        daemons.finish_slot(db, name, slot)
