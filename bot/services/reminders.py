"""Use cases of reminders: one pass that sends what is due, the loop around it, and 催办.

A pass reads who still has something to do and asks the domain what is due;
then its workers claim a small chunk at a time, just before sending it, each
claim in a unit of work that is committed and closed before anything is
sent, and mark each message sent in a unit of work of its own right after
Telegram accepted it. No unit of work is ever open across a send.

Every claim names its holder (one id per pass) and lives for the lease (a
minute): the pass renews its own claims while it works and releases those it
did not use when it ends, by exception or cancellation too. So a pass that
dies leaves nothing locked: a rerun sends the rest at once, and the claims
of a killed process (which cannot release) pass to the next pass within
about a minute. A reminder whose claim was committed is never dropped, and
one marked sent is never repeated: a crash repeats only what was in flight,
accepted by Telegram (or on its way) and not yet marked, at most one message
per worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, format_local, local
from bot.domain.application import ApplicationSnapshot
from bot.domain.errors import DeadlinePassed, DomainError, NotAllowed, NotFound
from bot.domain.form import applicable, is_answered
from bot.domain.reminders import (
    DEFAULT_LEASE,
    Audience,
    Deadline,
    DeadlineKind,
    Notice,
    NoticeKind,
    Status,
    Todo,
    due_reminders,
    unreported_todos,
)
from bot.domain.review import Grant, RoleKind
from bot.domain.workflow import Status as AppStatus
from bot.services.draw_notices import draw_text
from bot.services.draws import draw_reminders, expire_overdue
from bot.services.experts import end_terms, term_notices
from bot.services.reminder_ports import CampaignPlan, NoticeSender, Outcome
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.texts import chat as ct
from bot.texts import registry as rt
from bot.texts import reminders as t

log = logging.getLogger(__name__)

NUDGE_WINDOW = timedelta(hours=1)
CHUNK = 32
"""Notices claimed per transaction, just before they are sent: about a second at Telegram's rate."""
CONCURRENCY = 32
"""Notices in flight at once; the limiter, not this, sets the pace."""


def new_holder() -> str:
    """An id for one pass's claims: host:pid:random."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class PassReport:
    planned: list[Notice] = field(default_factory=list)
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    retry: int = 0
    expired: int = 0
    skipped: int = 0
    """Claimed by another pass, or its recipient is unreachable."""


def fields_left(values: dict[str, object]) -> int:
    return sum(1 for f in applicable(values) if f.required and not is_answered(f, values))


def todo_of_form(app: ApplicationSnapshot) -> Todo:
    returned = app.status is AppStatus.RETURNED
    return Todo(
        recipient_id=app.person_id,
        audience=Audience.RETURNED if returned else Audience.DRAFT,
        scope=app.id,
        fields_left=fields_left(app.values),
        reason=app.return_reason if returned else None,
        label=app.unit_name,
    )


async def collect_todos(uow: UnitOfWork, campaign_id: int) -> list[Todo]:
    """Everyone with something left to do in the campaign; nobody else.

    District reviewers are reminded both of applications waiting for their
    decision and of a batch of approved applications not yet reported.
    """
    apps = uow.applications
    todos = [todo_of_form(a) for a in await apps.open_forms(campaign_id)]
    todos += await apps.unit_pending(campaign_id)
    todos += await apps.district_pending(campaign_id)
    facts = await apps.batch_facts(campaign_id)
    todos += unreported_todos(
        reviewers=facts.reviewers, approved=facts.approved or {}, reported=facts.reported
    )
    return todos


def deadlines_of(plan: CampaignPlan) -> list[Deadline]:
    c = plan.campaign
    return [
        Deadline(kind=DeadlineKind.UNIT, at=c.unit_deadline, since=plan.unit_since),
        Deadline(kind=DeadlineKind.DISTRICT, at=c.district_deadline, since=plan.district_since),
    ]


async def plan_pass(
    uow: UnitOfWork,
    now: datetime,
    lease: timedelta = DEFAULT_LEASE,
    admin_ids: Iterable[int] = (),
) -> tuple[list[Notice], list[Notice]]:
    """(what to send now, waiting notices whose recipient became unreachable), in an open unit of work."""
    admins = sorted({*admin_ids, *await uow.people.bureau_admins()})
    notices: list[Notice] = await term_notices(uow, local(now).date(), admins)
    notices += await draw_reminders(uow, now)
    dropped: list[Notice] = []
    for n in await uow.campaigns.waiting_notices(now, lease):
        (dropped if await uow.people.is_unreachable(n.recipient_id) else notices).append(n)
    campaign = await uow.campaigns.current_campaign()
    if campaign is not None and campaign.is_open:
        plan = await uow.campaigns.plan(campaign.id)
        assert plan is not None
        notices += due_reminders(
            campaign_id=campaign.id,
            deadlines=deadlines_of(plan),
            schedule=plan.schedule,
            todos=await collect_todos(uow, campaign.id),
            recorded=await uow.campaigns.recorded(campaign.id),
            now=now,
            lease=lease,
        )
    return notices, dropped


async def send_due_reminders(
    uows: UnitOfWorkFactory,
    sender: NoticeSender,
    clock: Clock,
    *,
    admin_ids: Iterable[int] = (),
    dry_run: bool = False,
    lease: timedelta = DEFAULT_LEASE,
    chunk: int = CHUNK,
    concurrency: int = CONCURRENCY,
    stop: asyncio.Event | None = None,
    renew_every: float | None = None,
) -> PassReport:
    """One pass: experts whose term ended move to DUE, then plan, then claim and send chunk by
    chunk. Safe to run twice at once.

    Claims are renewed every `renew_every` seconds (a third of the lease by
    default) and released when the pass ends, however it ends.
    """
    if not dry_run:
        await end_terms(uows, clock.now())
        await expire_overdue(uows, clock.now())
    async with uows() as uow:
        notices, dropped = await plan_pass(uow, clock.now(), lease, admin_ids)
        if not dry_run:
            for n in dropped:
                await uow.campaigns.mark(n.key, Status.UNREACHABLE, clock.now())
            await uow.commit()
    report = PassReport(planned=notices, skipped=len(dropped))
    if dry_run:
        return report
    claims = _Claims(
        uows, clock, new_holder(), lease, report, planned=notices, chunk=max(1, chunk)
    )
    await _send(uows, sender, claims, clock, tuple(admin_ids), concurrency, stop, renew_every)
    return report


async def deliver(
    uows: UnitOfWorkFactory,
    sender: NoticeSender,
    claimed: Sequence[Notice],
    clock: Clock,
    *,
    holder: str,
    admin_ids: Iterable[int] = (),
    concurrency: int = CONCURRENCY,
    lease: timedelta = DEFAULT_LEASE,
    stop: asyncio.Event | None = None,
    report: PassReport | None = None,
) -> PassReport:
    """Sends notices `holder` already claimed (and committed) and marks each; one failing never holds up the rest."""
    report = report if report is not None else PassReport()
    claims = _Claims(uows, clock, holder, lease, report, claimed=claimed)
    await _send(uows, sender, claims, clock, tuple(admin_ids), concurrency, stop, None)
    return report


class _Claims:
    """The claims one pass holds: taken a chunk at a time just before they are sent, renewed
    while the pass works, and given up when it ends."""

    def __init__(
        self,
        uows: UnitOfWorkFactory,
        clock: Clock,
        holder: str,
        lease: timedelta,
        report: PassReport,
        *,
        planned: Sequence[Notice] = (),
        claimed: Sequence[Notice] = (),
        chunk: int = CHUNK,
    ) -> None:
        self.uows = uows
        self.clock = clock
        self.holder = holder
        self.lease = lease
        self.report = report
        self.chunk = chunk
        self.todo = deque(planned)
        """Planned, not claimed yet."""
        self.hand = deque(claimed)
        """Claimed, not started yet."""
        self.unmarked: set[str] = set()
        """Accepted by Telegram, mark not committed yet."""
        self._lock = asyncio.Lock()

    def __len__(self) -> int:
        return len(self.todo) + len(self.hand)

    async def next(self) -> Notice | None:
        """The next notice this pass holds, claiming the next chunk when the hand is empty."""
        async with self._lock:
            while not self.hand and self.todo:
                part = [self.todo.popleft() for _ in range(min(self.chunk, len(self.todo)))]
                async with self.uows() as uow:
                    won = await uow.campaigns.claim(part, self.clock.now(), self.lease, self.holder)
                    await uow.commit()
                self.report.skipped += len(part) - len(won)
                self.hand.extend(won)
            return self.hand.popleft() if self.hand else None

    async def mark_sent(self, key: str) -> None:
        """Marks one accepted notice sent at once: a crash after this never repeats it."""
        self.unmarked.add(key)
        async with self.uows() as uow:
            if not await uow.campaigns.mark_sent([key], self.clock.now(), self.holder):
                log.warning("%s was sent after its claim had passed to another pass", key)
            await uow.commit()
        self.unmarked.discard(key)

    async def renew(self, every: float) -> None:
        """Renews this pass's claims every `every` seconds until cancelled."""
        while True:
            await asyncio.sleep(every)
            try:
                async with self.uows() as uow:
                    await uow.campaigns.extend(self.holder, self.clock.now())
                    await uow.commit()
            except Exception:
                log.exception("could not renew the claims of %s", self.holder)

    async def release(self) -> None:
        """Marks what was accepted but not marked yet, and gives up every other claim held."""
        async with self.uows() as uow:
            if self.unmarked:
                await uow.campaigns.mark_sent(sorted(self.unmarked), self.clock.now(), self.holder)
            released = await uow.campaigns.release(self.holder)
            await uow.commit()
        self.unmarked.clear()
        if released:
            log.info("released %d unsent claims of %s", released, self.holder)


async def _send(
    uows: UnitOfWorkFactory,
    sender: NoticeSender,
    claims: _Claims,
    clock: Clock,
    admins: tuple[int, ...],
    concurrency: int,
    stop: asyncio.Event | None,
    renew_every: float | None,
) -> None:
    """Runs the workers over `claims`; renews them meanwhile and releases them at the end."""

    async def worker() -> None:
        while stop is None or not stop.is_set():
            notice = await claims.next()
            if notice is None:
                return
            await _deliver_one(uows, sender, notice, clock, admins, claims)

    if not claims:
        return
    every = renew_every if renew_every is not None else claims.lease.total_seconds() / 3
    renewer = asyncio.create_task(claims.renew(every), name=f"renew:{claims.holder}")
    try:
        async with asyncio.TaskGroup() as workers:
            for _ in range(max(1, min(concurrency, len(claims)))):
                workers.create_task(worker())
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None  # the workers' first failure, as a plain exception
    finally:
        renewer.cancel()
        await asyncio.wait([renewer])
        try:
            await asyncio.shield(claims.release())
        except Exception:
            log.exception("could not release the claims of %s; they expire by themselves", claims.holder)


async def _deliver_one(
    uows: UnitOfWorkFactory,
    sender: NoticeSender,
    notice: Notice,
    clock: Clock,
    admin_ids: tuple[int, ...],
    claims: _Claims,
) -> None:
    report, holder = claims.report, claims.holder
    if notice.deadline_at is not None and clock.now() >= notice.deadline_at:
        async with uows() as uow:
            await uow.campaigns.mark(notice.key, Status.EXPIRED, clock.now(), holder=holder)
            await uow.commit()
        report.expired += 1
        return
    try:
        outcome = await sender.send(notice)
    except Exception:
        log.exception("sending %s failed", notice.key)
        outcome = Outcome.RETRY
    if outcome is Outcome.SENT:
        report.sent += 1
        await claims.mark_sent(notice.key)
        return
    if outcome is Outcome.RETRY:
        report.retry += 1
        return
    async with uows() as uow:
        now = clock.now()
        if outcome is Outcome.FAILED:
            await uow.campaigns.mark(
                notice.key, Status.FAILED, now, "rejected by Telegram", holder=holder
            )
            report.failed += 1
        else:
            await uow.campaigns.mark(notice.key, Status.UNREACHABLE, now, holder=holder)
            if await uow.people.mark_unreachable(notice.recipient_id):
                above = await escalations(uow, notice.recipient_id, admin_ids)
                await uow.campaigns.add_notices(above, now)
            report.unreachable += 1
        await uow.commit()


async def escalations(
    uow: UnitOfWork, person_id: int, admin_ids: Iterable[int] = ()
) -> list[Notice]:
    """Who is told that this reviewer cannot be reached: unit → its district, district → bureau;
    a unit's to the bureau too when its district has no reviewer to reach (what waits for the
    unit then waits for the district, `collect_todos`, and so for nobody)."""
    people = uow.people
    name = await people.person_name(person_id) or str(person_id)
    out: list[Notice] = []
    for g in await people.grant_rows(person_id):
        if g.role == "unit" and g.unit_id is not None:
            unit = await uow.campaigns.unit(g.unit_id)
            above = await people.district_reviewers(unit.district_id) if unit else []
            if not [p for p in above if p != person_id]:
                above = sorted({*admin_ids, *await people.bureau_admins()})
        elif g.role == "district":
            above = sorted({*admin_ids, *await people.bureau_admins()})
        else:
            continue
        for to in above:
            if to == person_id:
                continue
            out.append(
                Notice(
                    key=f"x:{person_id}:{g.role}{g.unit_id or g.district_id}:{to}",
                    kind=NoticeKind.UNREACHABLE,
                    recipient_id=to,
                    payload={"name": name, "role": g.role, "label": g.label},
                )
            )
    return out


async def run_reminders(
    uows: UnitOfWorkFactory,
    sender: NoticeSender,
    clock: Clock,
    stop: asyncio.Event,
    *,
    admin_ids: Iterable[int] = (),
    interval: float = 60.0,
) -> None:
    """Runs a pass every `interval` seconds until `stop` is set; a failing pass is logged."""
    admins = tuple(admin_ids)
    while not stop.is_set():
        try:
            report = await send_due_reminders(uows, sender, clock, admin_ids=admins, stop=stop)
            if report.planned:
                log.info(
                    "reminders: %d due, %d sent, %d unreachable, %d failed, %d to retry",
                    len(report.planned), report.sent, report.unreachable, report.failed,
                    report.retry,
                )
        except Exception:
            log.exception("reminder pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


# 催办 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holders:
    audience: Audience
    people: list[int]
    deadline_kind: DeadlineKind


async def holders_of(uow: UnitOfWork, app: ApplicationSnapshot) -> Holders:
    """Who has to act on the application now (in an open unit of work)."""
    match app.status:
        case AppStatus.DRAFT | AppStatus.RETURNED:
            audience = Audience.RETURNED if app.status is AppStatus.RETURNED else Audience.DRAFT
            unreachable = await uow.people.is_unreachable(app.person_id)
            return Holders(audience, [] if unreachable else [app.person_id], DeadlineKind.UNIT)
        case AppStatus.SUBMITTED:
            confirmed = app.unit_id and app.unit_confirmed
            unit = await uow.people.unit_reviewers(app.unit_id) if app.unit_id and confirmed else []
            if nudged_at_unit(app, unit):
                people = [p for p in unit if p != app.person_id]
                return Holders(Audience.UNIT_PENDING, people, DeadlineKind.UNIT)
            people = await uow.people.district_reviewers(app.district_id)
            return Holders(Audience.DISTRICT_PENDING, list(people), DeadlineKind.DISTRICT)
        case AppStatus.UNIT_APPROVED:
            people = await uow.people.district_reviewers(app.district_id)
            return Holders(Audience.DISTRICT_PENDING, list(people), DeadlineKind.DISTRICT)
    raise DomainError(t.NUDGE_NOTHING.format(status=ct.STATUS[app.status]))


NUDGEABLE = frozenset({AppStatus.SUBMITTED, AppStatus.UNIT_APPROVED, AppStatus.RETURNED})
"""States in which someone other than a reviewer looking at it has to act."""


def nudged_at_unit(app: ApplicationSnapshot, unit_reviewers: Collection[int]) -> bool:
    """Whether 催办 on a submitted application goes to its unit's reviewers (until the unit
    deadline) rather than to its district (until the district deadline): its unit is confirmed
    and someone other than its applicant reviews it and can be reached. `unit_reviewers`: its
    unit's reachable reviewers (`people.unit_reviewers`). The one rule of `holders_of` and
    `nudge_too_late`."""
    confirmed = app.unit_id is not None and app.unit_confirmed
    return confirmed and any(p != app.person_id for p in unit_reviewers)


def nudge_too_late(
    app: ApplicationSnapshot, now: datetime, *, unit_reviewers: Collection[int]
) -> bool:
    """Whether 催办 on the application would be refused for its deadline, as `_claim_nudge`
    does (`holders_of`): a form, or a unit's decision, is nudged until the unit deadline, a
    district's until the district deadline. `unit_reviewers`: its unit's reachable reviewers
    (`nudged_at_unit`)."""
    at_unit = app.status in (AppStatus.DRAFT, AppStatus.RETURNED) or (
        app.status is AppStatus.SUBMITTED and nudged_at_unit(app, unit_reviewers)
    )
    return now >= (app.campaign.unit_deadline if at_unit else app.campaign.district_deadline)


def may_nudge(app: ApplicationSnapshot, grants: Sequence[Grant], *, can_decide: bool) -> bool:
    """Whether a card shown to this viewer offers 催办: the application waits on someone else
    and `nudge` would let this viewer nudge it (the press is re-authorised there)."""
    if can_decide or app.status not in NUDGEABLE:
        return False
    return any(
        g.role is RoleKind.BUREAU
        or (g.role is RoleKind.DISTRICT and g.district_id == app.district_id)
        or (g.role is RoleKind.UNIT and app.unit_id is not None and g.unit_id == app.unit_id)
        for g in grants
    )


async def actor_role(
    uow: UnitOfWork, actor_id: int, app: ApplicationSnapshot, admin_ids: Iterable[int]
) -> str:
    """The role in which the actor may nudge this application; NotAllowed otherwise."""
    grants = await uow.people.grant_rows(actor_id)
    if actor_id in set(admin_ids) or any(g.role == "bureau" for g in grants):
        return "bureau"
    if app.status is not AppStatus.DRAFT:
        for g in grants:
            if g.role == "district" and g.district_id == app.district_id:
                return "district"
            if g.role == "unit" and app.unit_id is not None and g.unit_id == app.unit_id:
                return "unit"
    raise NotAllowed(t.NUDGE_NOT_ALLOWED)


async def nudge(
    uows: UnitOfWorkFactory,
    *,
    actor_id: int,
    app_id: int,
    now: datetime,
    admin_ids: Iterable[int] = (),
    lease: timedelta = DEFAULT_LEASE,
    holder: str | None = None,
) -> list[Notice]:
    """Records a 催办 to whoever holds the application (at most one an hour per application)
    and returns the notices, claimed for `holder` and committed, for the caller to deliver now."""
    async with uows() as uow:
        claimed = await _claim_nudge(
            uow, actor_id, app_id, now, tuple(admin_ids), lease, holder or new_holder()
        )
        await uow.commit()
    return claimed


async def send_nudge(
    uows: UnitOfWorkFactory,
    sender: NoticeSender,
    clock: Clock,
    *,
    actor_id: int,
    app_id: int,
    admin_ids: Iterable[int] = (),
) -> int:
    """催办 now: records and claims it, then sends it once the unit of work is closed; how many told."""
    admins, holder = tuple(admin_ids), new_holder()
    claimed = await nudge(
        uows, actor_id=actor_id, app_id=app_id, now=clock.now(), admin_ids=admins, holder=holder
    )
    await deliver(uows, sender, claimed, clock, holder=holder, admin_ids=admins)
    return len(claimed)


async def _claim_nudge(
    uow: UnitOfWork,
    actor_id: int,
    app_id: int,
    now: datetime,
    admin_ids: tuple[int, ...],
    lease: timedelta,
    holder: str,
) -> list[Notice]:
    app = await uow.applications.application(app_id)
    if app is None:
        raise NotFound(t.NOT_FOUND)
    role = await actor_role(uow, actor_id, app, admin_ids)
    holders = await holders_of(uow, app)
    deadline = (
        app.campaign.unit_deadline
        if holders.deadline_kind is DeadlineKind.UNIT
        else app.campaign.district_deadline
    )
    if now >= deadline:
        raise DeadlinePassed(
            t.NUDGE_DEADLINE_PASSED.format(
                deadline_name=t.DEADLINE_NAME[holders.deadline_kind], deadline=format_local(deadline)
            )
        )
    if not holders.people:
        raise DomainError(t.NUDGE_NOBODY)
    earlier = await uow.campaigns.add_nudge(app.id, actor_id, now, NUDGE_WINDOW)
    if earlier is not None:
        wait = max(1, int((earlier + NUDGE_WINDOW - now).total_seconds() // 60) + 1)
        raise DomainError(t.NUDGE_TOO_SOON.format(at=format_local(earlier), minutes=wait))
    todo = todo_of_form(app)
    payload = {
        "audience": holders.audience.value,
        "scope": app.id,
        "count": 1,
        "fields_left": todo.fields_left,
        "reason": app.return_reason,
        "label": app.unit_name or app.district_name,
        "name": app.values.get("name") or "",
        "deadline": deadline.isoformat(),
        "deadline_kind": holders.deadline_kind.value,
        "actor_role": role,
    }
    notices = [
        Notice(
            key=f"n:{app.id}:{now:%Y%m%dT%H%M%S}:{person}",
            kind=NoticeKind.NUDGE,
            recipient_id=person,
            campaign_id=app.campaign.id,
            payload=payload,
            deadline_kind=holders.deadline_kind,
            deadline_at=deadline,
            app_id=app.id,
            due_at=now,
        )
        for person in holders.people
    ]
    return await uow.campaigns.claim(notices, now, lease, holder)


# what the notice says ----------------------------------------------------------------------


def remaining(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return t.REMAINING_DAYS.format(days=days, hours=hours)
    if hours:
        return t.REMAINING_HOURS.format(hours=hours, minutes=mins)
    return t.REMAINING_MINUTES.format(minutes=mins)


def notice_text(notice: Notice, now: datetime) -> str:
    """The message for a notice, with the time left counted from `now`."""
    p = notice.payload
    if notice.kind is NoticeKind.EXTENDED:
        return t.EXTENDED.format(
            campaign=p["campaign"],
            deadline_name=t.DEADLINE_NAME[p["deadline_kind"]],
            old=format_local(datetime.fromisoformat(p["old"])),
            new=format_local(datetime.fromisoformat(p["new"])),
        )
    if notice.kind is NoticeKind.TO_DISTRICT:
        return t.TO_DISTRICT.format(unit=p["unit"], count=p["count"])
    if notice.kind is NoticeKind.UNREACHABLE:
        return t.UNREACHABLE.format(role=t.ROLE_NAME[p["role"]], name=p["name"], label=p["label"])
    if notice.kind is NoticeKind.REGISTRY:
        return registry_text(p)
    if notice.kind is NoticeKind.DRAW:
        return draw_text(p)
    deadline = datetime.fromisoformat(p["deadline"])
    common = {
        "deadline_name": t.DEADLINE_NAME[p["deadline_kind"]],
        "deadline": format_local(deadline),
        "remaining": remaining(deadline - now),
    }
    audience = Audience(p["audience"])
    prefix = ""
    if notice.kind is NoticeKind.NUDGE:
        prefix = t.NUDGE_PREFIX.format(actor=t.NUDGE_ACTOR[p["actor_role"]])
        if audience in (Audience.UNIT_PENDING, Audience.DISTRICT_PENDING):
            return prefix + t.NUDGE_REVIEW.format(
                app_id=p["scope"], name=p.get("name", ""), label=p["label"], **common
            )
    match audience:
        case Audience.DRAFT if p["fields_left"]:
            body = t.REMIND_DRAFT.format(left=p["fields_left"], **common)
        case Audience.DRAFT:
            body = t.REMIND_DRAFT_COMPLETE.format(**common)
        case Audience.RETURNED:
            body = t.REMIND_RETURNED.format(reason=p.get("reason") or "", **common)
        case Audience.UNIT_PENDING:
            body = t.REMIND_UNIT.format(count=p["count"], label=p["label"], **common)
        case Audience.DISTRICT_PENDING:
            body = t.REMIND_DISTRICT.format(count=p["count"], label=p["label"], **common)
        case Audience.UNREPORTED:
            body = t.REMIND_UNREPORTED.format(count=p["count"], label=p["label"], **common)
    return prefix + body


def registry_text(p: dict[str, Any]) -> str:
    """Appointed, or taken out of the batch after an objection (bot.services.registry)."""
    match p["what"]:
        case "appointed":
            return rt.APPOINTED.format(
                group=p["group"],
                certificate_no=p["certificate_no"],
                starts_on=p["starts_on"],
                ends_on=p["ends_on"],
            )
        case "appointed_list":
            return rt.APPOINTED_LIST.format(reference=p["reference"], names="、".join(p["names"]))
        case "renewed":
            return (rt.RENEWED_OWN if p["own"] else rt.RENEWED).format(**p)
        case "not_renew":
            return (rt.NOT_RENEWED_OWN if p["own"] else rt.NOT_RENEWED).format(**p)
        case "dismiss":
            return (rt.DISMISSED_OWN if p["own"] else rt.DISMISSED).format(**p)
        case "withdrawn":
            return (rt.WITHDRAWN_OWN if p["own"] else rt.WITHDRAWN).format(**p)
        case "withdrawal_asked":
            return rt.WITHDRAWAL_ASKED.format(**p)
        case "terms_ending":
            return rt.TERMS_ENDING.format(
                ends_on=p["ends_on"], days=p["days"], names="、".join(p["names"])
            )
    return rt.NOT_ACCEPTED.format(reason=p.get("reason") or "")


def resumes_form(notice: Notice) -> int | None:
    """The application a 继续填写 / 修改 button should open, if any."""
    audience = notice.payload.get("audience")
    if audience in (Audience.DRAFT.value, Audience.RETURNED.value) and notice.app_id:
        return notice.app_id
    return None



# blocking and unblocking -----------------------------------------------------------------


async def person_blocked(
    uows: UnitOfWorkFactory, person_id: int, now: datetime, admin_ids: Iterable[int] = ()
) -> bool:
    """Marks the person unreachable; the first time, the level above is told (via the outbox)."""
    async with uows() as uow:
        changed = await uow.people.mark_unreachable(person_id)
        if changed:
            above = await escalations(uow, person_id, admin_ids)
            await uow.campaigns.add_notices(above, now)
        await uow.commit()
    return changed


async def person_unblocked(uows: UnitOfWorkFactory, person_id: int) -> bool:
    """The person can be messaged again; True when they had been unreachable."""
    async with uows() as uow:
        changed = await uow.people.set_reachable(person_id, True)
        await uow.commit()
    return changed
