"""Use cases of personal-information protection: consent history, deletion on request, retention.

Retention erases the personal fields of withdrawn, declined, not-qualified and
not-accepted applications a set time after their last change; a deletion request does the
same at once (a draft is deleted outright). Neither deletes an audit event
or an access-log row: erasing keeps the name, so the trail stays readable
for the six months and more that the law asks for.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.domain import keys
from bot.domain.application import ApplicationSnapshot
from bot.domain.errors import AlreadyHandled
from bot.domain.workflow import Action, Actor, Status, next_status
from bot.texts import chat as ct
from bot.texts import privacy as t

if TYPE_CHECKING:
    from bot.services.repositories import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

CONSENT_ITEMS = ("general", "sensitive", "transfer")
"""The separate consents: processing, sensitive information (PIPL art. 29), transfer abroad (art. 39)."""
ERASED_AFTER_RETENTION = (
    Status.WITHDRAWN,
    Status.DECLINED,
    Status.NOT_QUALIFIED,
    Status.NOT_ACCEPTED,
)
KEPT_BY_LAW = frozenset({Status.ACCEPTED})
"""Experts in the database: their record is kept for the appointment; the bureau handles requests."""
AUDIT_DAYS = 183
"""Audit events and access logs are kept at least this long (Cybersecurity Law art. 21: six months)."""


@dataclass(frozen=True, kw_only=True)
class ConsentEntry:
    version: str
    items: tuple[str, ...]
    action: str
    notice_sha256: str | None
    at: datetime


@dataclass(frozen=True, kw_only=True)
class ExpiredApplication:
    id: int
    name: str
    status: str
    updated_at: datetime


def consent_notice(version: str) -> str:
    """The notice as shown with the consent buttons; its SHA-256 goes into the consent history."""
    return "\n\n".join(
        (
            ct.CONSENT.format(version=version),
            "① " + ct.CONSENT_GENERAL,
            "② " + ct.CONSENT_SENSITIVE,
            "③ " + ct.CONSENT_TRANSFER,
        )
    )


def notice_digest(version: str) -> str:
    return hashlib.sha256(consent_notice(version).encode()).hexdigest()


async def record_consent_given(
    uow: UnitOfWork, person_id: int, version: str, now: datetime
) -> None:
    """Appends the three separate consents to the history, inside the caller's unit of work."""
    await uow.people.add_consent_record(
        person_id=person_id,
        version=version,
        items=CONSENT_ITEMS,
        action="agree",
        notice=consent_notice(version),
        now=now,
    )


# deletion on request ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeletionPlan:
    """What /delete_my_data would do, shown before the applicant confirms."""

    drafts: tuple[ApplicationSnapshot, ...] = ()
    withdraw: tuple[ApplicationSnapshot, ...] = ()
    erase: tuple[ApplicationSnapshot, ...] = ()
    kept: tuple[ApplicationSnapshot, ...] = ()


@dataclass
class DeletionDone:
    drafts_deleted: int = 0
    withdrawn: list[tuple[ApplicationSnapshot, str]] = field(default_factory=list)
    """Withdrawn applications with the state they were in, for telling the reviewers."""
    erased: list[int] = field(default_factory=list)
    kept: list[ApplicationSnapshot] = field(default_factory=list)


async def deletion_plan(uows: UnitOfWorkFactory, person_id: int) -> DeletionPlan:
    """What deleting the person's data would do now; nothing is written."""
    async with uows() as uow:
        return await _plan(uow, person_id)


async def _plan(uow: UnitOfWork, person_id: int) -> DeletionPlan:
    drafts, withdraw, erase, kept = [], [], [], []
    for app in await uow.applications.applications_of(person_id):
        if app.status is Status.DRAFT:
            drafts.append(app)
        elif app.status in KEPT_BY_LAW:
            kept.append(app)
        elif next_status(app.status, Actor.APPLICANT, Action.WITHDRAW) is not None:
            withdraw.append(app)
        elif app.values.get(keys.ID_NUMBER) is not None:
            erase.append(app)
    return DeletionPlan(tuple(drafts), tuple(withdraw), tuple(erase), tuple(kept))


async def delete_my_data(
    uows: UnitOfWorkFactory, *, person_id: int, actor_name: str, now: datetime
) -> DeletionDone:
    """Deletes drafts, withdraws and erases applications under review, erases closed ones; withdraws consent.

    Applications accepted into the expert database are kept (the bureau
    decides on requests about them). One commit at the end.
    """
    async with uows() as uow:
        person = await uow.people.person(person_id)
        plan = await _plan(uow, person_id)
        done = DeletionDone(kept=list(plan.kept))
        applications = uow.applications
        for app in plan.drafts:
            if not await applications.delete_draft(app.id, app.version):
                raise AlreadyHandled(ct.CHANGED_ELSEWHERE)
            done.drafts_deleted += 1
        for app in plan.withdraw:
            withdrawn = {"status": Status.WITHDRAWN.value}
            if not await applications.update_application(app.id, app.version, withdrawn, now):
                raise AlreadyHandled(ct.CHANGED_ELSEWHERE)
            await applications.add_event(
                app_id=app.id,
                actor_id=person_id,
                actor_name=actor_name,
                action=Action.WITHDRAW.value,
                from_status=app.status.value,
                to_status=Status.WITHDRAWN.value,
                note=t.EVENT_WITHDRAWN_FOR_DELETION,
                now=now,
            )
            done.withdrawn.append((app, app.status.value))
        withdrawn_ids = {app.id for app in plan.withdraw}
        for app in (*plan.withdraw, *plan.erase):
            status = Status.WITHDRAWN.value if app.id in withdrawn_ids else app.status.value
            if await applications.erase_application(app.id, now):
                await applications.add_event(
                    app_id=app.id,
                    actor_id=person_id,
                    actor_name=actor_name,
                    action="erase",
                    from_status=status,
                    to_status=status,
                    note=t.EVENT_ERASED_ON_REQUEST,
                    now=now,
                )
                done.erased.append(app.id)
        await uow.people.clear_consent(person_id)
        await uow.people.add_consent_record(
            person_id=person_id,
            version=(person.consent_version if person else None) or "",
            items=(),
            action="withdraw",
            notice=None,
            now=now,
        )
        await uow.commit()
    return done


# retention -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    applications: tuple[ExpiredApplication, ...]
    dry_run: bool


async def purge_expired(
    uows: UnitOfWorkFactory, now: datetime, retention_days: int, *, dry_run: bool = False
) -> PurgeReport:
    """Erases the personal fields of applications closed more than `retention_days` ago."""
    cutoff = now - timedelta(days=retention_days)
    async with uows() as uow:
        applications = uow.applications
        statuses = [s.value for s in ERASED_AFTER_RETENTION]
        expired = tuple(await applications.expired_applications(statuses, cutoff))
        if not dry_run:
            for app in expired:
                if await applications.erase_application(app.id, now):
                    await applications.add_event(
                        app_id=app.id,
                        actor_id=None,
                        actor_name=t.SYSTEM_ACTOR,
                        action="erase",
                        from_status=app.status,
                        to_status=app.status,
                        note=t.EVENT_ERASED_AFTER_RETENTION.format(days=retention_days),
                        now=now,
                    )
            await uow.commit()
    return PurgeReport(cutoff, expired, dry_run)


async def run_daily_purge(
    uows: UnitOfWorkFactory, clock: Clock, stop: asyncio.Event, retention_days: int
) -> None:
    """The retention sweep inside `expertbot run`: once at start, then daily, until `stop`.

    Erasing is a conditional update, so several instances running it is harmless.
    """
    while not stop.is_set():
        try:
            report = await purge_expired(uows, clock.now(), retention_days)
            if report.applications:
                log.info("retention: erased %d application(s)", len(report.applications))
        except Exception:
            log.exception("retention sweep failed; next try in a day")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=24 * 3600)
