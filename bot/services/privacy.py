"""Use cases of personal-information protection: consent history, deletion on request, retention.

Retention erases the personal fields of withdrawn, declined and not-accepted
applications a set time after their last change; a deletion request does the
same at once (a draft is deleted outright). Neither deletes an audit event
or an access-log row: erasing keeps the name, so the trail stays readable
for the six months and more that the law asks for.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.domain import keys
from bot.domain.application import ApplicationSnapshot
from bot.domain.errors import AlreadyHandled
from bot.domain.workflow import Action, Actor, Status, next_status
from bot.services.ports import Store
from bot.texts import chat as ct
from bot.texts import privacy as t

log = logging.getLogger(__name__)

CONSENT_ITEMS = ("general", "sensitive", "transfer")
"""The separate consents: processing, sensitive information (PIPL art. 29), transfer abroad (art. 39)."""
ERASED_AFTER_RETENTION = (Status.WITHDRAWN, Status.DECLINED, Status.NOT_ACCEPTED)
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


class PrivacyStore(Store, Protocol):
    async def add_consent_record(
        self,
        *,
        person_id: int,
        version: str,
        items: Sequence[str],
        action: str,
        notice: str | None,
        now: datetime,
    ) -> None: ...
    async def consent_history(self, person_id: int) -> Sequence[ConsentEntry]: ...
    async def clear_consent(self, person_id: int) -> None: ...
    async def expired_applications(
        self, statuses: Sequence[str], changed_before: datetime
    ) -> Sequence[ExpiredApplication]: ...
    async def erase_application(self, app_id: int, now: datetime) -> bool: ...
    async def delete_draft(self, app_id: int, version: int) -> bool: ...


class PrivacyStoreFactory(Protocol):
    def __call__(self) -> AbstractAsyncContextManager[PrivacyStore]: ...


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


async def record_consent_given(store: PrivacyStore, person_id: int, version: str, now: datetime) -> None:
    """Appends the three separate consents to the history; the caller commits."""
    await store.add_consent_record(
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


async def deletion_plan(store: PrivacyStore, person_id: int) -> DeletionPlan:
    drafts, withdraw, erase, kept = [], [], [], []
    for app in await store.applications_of(person_id):
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
    store: PrivacyStore, person_id: int, actor_name: str, version: str | None, now: datetime
) -> DeletionDone:
    """Deletes drafts, withdraws and erases applications under review, erases closed ones; withdraws consent.

    Applications accepted into the expert database are kept (the bureau
    decides on requests about them). One commit at the end.
    """
    plan = await deletion_plan(store, person_id)
    done = DeletionDone(kept=list(plan.kept))
    for app in plan.drafts:
        if not await store.delete_draft(app.id, app.version):
            raise AlreadyHandled(ct.CHANGED_ELSEWHERE)
        done.drafts_deleted += 1
    for app in plan.withdraw:
        if not await store.update_application(app.id, app.version, {"status": Status.WITHDRAWN.value}, now):
            raise AlreadyHandled(ct.CHANGED_ELSEWHERE)
        await store.add_event(
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
        if await store.erase_application(app.id, now):
            await store.add_event(
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
    await store.clear_consent(person_id)
    await store.add_consent_record(
        person_id=person_id, version=version or "", items=(), action="withdraw", notice=None, now=now
    )
    await store.commit()
    return done


# retention -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    applications: tuple[ExpiredApplication, ...]
    dry_run: bool


async def purge_expired(
    store: PrivacyStore, now: datetime, retention_days: int, *, dry_run: bool = False
) -> PurgeReport:
    """Erases the personal fields of applications closed more than `retention_days` ago."""
    cutoff = now - timedelta(days=retention_days)
    expired = tuple(
        await store.expired_applications([s.value for s in ERASED_AFTER_RETENTION], cutoff)
    )
    if not dry_run:
        for app in expired:
            if await store.erase_application(app.id, now):
                await store.add_event(
                    app_id=app.id,
                    actor_id=None,
                    actor_name=t.SYSTEM_ACTOR,
                    action="erase",
                    from_status=app.status,
                    to_status=app.status,
                    note=t.EVENT_ERASED_AFTER_RETENTION.format(days=retention_days),
                    now=now,
                )
        await store.commit()
    return PurgeReport(cutoff, expired, dry_run)


async def run_daily_purge(
    stores: PrivacyStoreFactory, clock: Clock, stop: asyncio.Event, retention_days: int
) -> None:
    """The retention sweep inside `expertbot run`: once at start, then daily, until `stop`.

    Erasing is a conditional update, so several instances running it is harmless.
    """
    while not stop.is_set():
        try:
            async with stores() as store:
                report = await purge_expired(store, clock.now(), retention_days)
            if report.applications:
                log.info("retention: erased %d application(s)", len(report.applications))
        except Exception:
            log.exception("retention sweep failed; next try in a day")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=24 * 3600)
