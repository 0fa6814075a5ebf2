"""Use cases of reviewers: who gets a card, deciding at unit and district level, lists, history.

Every decision is re-authorised here from the server's data: the presser's
grants and scope, the application's current state and version, and the
deadline of the level. The move itself is a conditional update on the
version, so a double press or two reviewers at once move it exactly once;
the loser is told who was first.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.clock import format_local
from bot.domain.application import ApplicationSnapshot
from bot.domain.errors import AlreadyHandled, DeadlinePassed, DomainError, NotAllowed
from bot.domain.review import (
    ACTOR_OF_LEVEL,
    LEVEL_OF_STATUS,
    STATUS_OF_LEVEL,
    Change,
    Decision,
    Grant,
    ReviewLevel,
    RoleKind,
    Scope,
    deadline_of,
    diff_answers,
    district_acts_for_unit,
    may_decide,
    may_view,
    scope_of,
)
from bot.domain.workflow import Action, Status, next_status
from bot.services.ports import EventRow, ListFilter, ReviewStore
from bot.texts import review as t

log = logging.getLogger(__name__)

PAGE_SIZE = 8
MIN_REASON, MAX_REASON = 2, 500


@dataclass(frozen=True)
class Audience:
    level: ReviewLevel
    person_ids: Sequence[int]
    district_covers_unit: bool
    """The district reviews at unit level (unregistered unit, or nobody reviews the unit)."""


@dataclass(frozen=True)
class ReviewCard:
    """What a reviewer's card shows besides the answers."""

    app: ApplicationSnapshot
    level: ReviewLevel
    changes: Sequence[Change]
    """Since the previous submission; empty on a first submission."""
    unit_approval: EventRow | None
    district_covers_unit: bool
    resubmitted: bool


@dataclass(frozen=True)
class Outcome:
    before: ApplicationSnapshot
    after: ApplicationSnapshot
    level: ReviewLevel
    decision: Decision
    actor_id: int
    actor_name: str
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class Page:
    items: Sequence[ApplicationSnapshot]
    total: int
    page: int
    pages: int


async def _covers(store: ReviewStore, app: ApplicationSnapshot) -> bool:
    has_reviewer = bool(app.unit_id) and await store.unit_has_reviewer(app.unit_id or 0)
    return district_acts_for_unit(
        unit_id=app.unit_id, unit_confirmed=app.unit_confirmed, unit_has_reviewer=has_reviewer
    )


async def audience(store: ReviewStore, app: ApplicationSnapshot) -> Audience | None:
    """Who must decide next; None when the application waits for nobody."""
    level = LEVEL_OF_STATUS.get(app.status)
    if level is None:
        return None
    covers = await _covers(store, app)
    if level is ReviewLevel.UNIT and not covers:
        ids = await store.reviewer_ids(Grant(role=RoleKind.UNIT, unit_id=app.unit_id))
    else:
        ids = await store.reviewer_ids(Grant(role=RoleKind.DISTRICT, district_id=app.district_id))
    if not ids:
        log.warning("application %s waits at level %s but has no reviewer", app.id, level.name)
    return Audience(level, ids, covers)


async def review_card(store: ReviewStore, app: ApplicationSnapshot) -> ReviewCard:
    events = await store.events_of(app.id)
    answers = [
        e.changes["answers"]
        for e in events
        if e.action == Action.SUBMIT.value and e.changes and "answers" in e.changes
    ]
    changes = diff_answers(answers[-2], answers[-1]) if len(answers) >= 2 else []
    unit_approval = next(
        (
            e
            for e in reversed(events)
            if e.action == Action.APPROVE.value and e.to_status == Status.UNIT_APPROVED.value
        ),
        None,
    )
    level = LEVEL_OF_STATUS.get(app.status, ReviewLevel.UNIT)
    resubmitted = sum(e.action == Action.SUBMIT.value for e in events) > 1
    return ReviewCard(app, level, changes, unit_approval, await _covers(store, app), resubmitted)


async def open_card(
    store: ReviewStore, app_id: int, grants: Sequence[Grant], actor_id: int
) -> tuple[ReviewCard, bool]:
    """The card of a viewable application, and whether this person may decide on it now."""
    app = await viewable(store, app_id, grants, actor_id)
    card = await review_card(store, app)
    level = LEVEL_OF_STATUS.get(app.status)
    can_decide = level is not None and may_decide(
        grants,
        level,
        district_id=app.district_id,
        unit_id=app.unit_id,
        district_covers_unit=card.district_covers_unit,
    )
    return card, can_decide


async def watchers(
    store: ReviewStore, app: ApplicationSnapshot, previous: Status
) -> Sequence[int]:
    """Reviewers to tell when the applicant withdraws from state `previous`."""
    if previous not in LEVEL_OF_STATUS and previous is not Status.DISTRICT_APPROVED:
        return []
    covers = await _covers(store, app)
    ids: list[int] = []
    if not covers:
        ids += await store.reviewer_ids(Grant(role=RoleKind.UNIT, unit_id=app.unit_id))
    if covers or previous is not Status.SUBMITTED:
        ids += await store.reviewer_ids(Grant(role=RoleKind.DISTRICT, district_id=app.district_id))
    return list(dict.fromkeys(ids))


async def _load_for_decision(
    store: ReviewStore,
    *,
    app_id: int,
    version: int,
    level: ReviewLevel,
    actor_id: int,
    grants: Sequence[Grant],
    now: datetime,
) -> ApplicationSnapshot:
    """The application if `actor_id` may decide on it at `level` now; raises otherwise."""
    app = await store.application(app_id)
    if app is None:
        log.warning("review press by %s on unknown application %s", actor_id, app_id)
        raise NotAllowed(t.STALE_CARD)
    covers = await _covers(store, app)
    if not may_decide(
        grants, level, district_id=app.district_id, unit_id=app.unit_id, district_covers_unit=covers
    ):
        log.warning(
            "review press by %s on application %s at level %s refused: out of scope",
            actor_id,
            app_id,
            level.name,
        )
        raise NotAllowed(t.NOT_YOUR_APPLICATION)
    if app.status is not STATUS_OF_LEVEL[level] or app.version != version:
        log.info("stale review press by %s on application %s", actor_id, app_id)
        raise await _handled_error(store, app)
    deadline = deadline_of(level, app.campaign)
    if now > deadline:
        raise DeadlinePassed(
            t.DEADLINE_PASSED.format(level=t.LEVEL[level], deadline=format_local(deadline))
        )
    return app


async def _handled_error(store: ReviewStore, app: ApplicationSnapshot) -> DomainError:
    """Who moved the application last, as the refusal for someone who comes second."""
    events = await store.events_of(app.id)
    last = events[-1] if events else None
    if last is None or last.action == Action.SUBMIT.value:
        return AlreadyHandled(t.STALE_CARD)
    return AlreadyHandled(
        t.ALREADY_HANDLED.format(
            who=last.actor_name or t.SOMEONE,
            when=format_local(last.at),
            what=t.DONE[last.action],
        )
    )


async def check_decision(
    store: ReviewStore,
    *,
    app_id: int,
    version: int,
    level: ReviewLevel,
    actor_id: int,
    grants: Sequence[Grant],
    now: datetime,
) -> ApplicationSnapshot:
    """Refuses early (before asking for a reason) what `decide` would refuse."""
    return await _load_for_decision(
        store, app_id=app_id, version=version, level=level, actor_id=actor_id, grants=grants, now=now
    )


def clean_reason(text: str | None) -> str:
    reason = " ".join((text or "").split())
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        raise DomainError(t.REASON_LENGTH.format(low=MIN_REASON, high=MAX_REASON))
    return reason


async def decide(
    store: ReviewStore,
    *,
    app_id: int,
    version: int,
    level: ReviewLevel,
    decision: Decision,
    actor_id: int,
    actor_name: str,
    grants: Sequence[Grant],
    reason: str | None,
    now: datetime,
) -> Outcome:
    """Approves, returns or declines at `level`, once; commits the move and its audit event."""
    app = await _load_for_decision(
        store, app_id=app_id, version=version, level=level, actor_id=actor_id, grants=grants, now=now
    )
    if decision.needs_reason:
        reason = clean_reason(reason)
    to = next_status(app.status, ACTOR_OF_LEVEL[level], decision.action)
    if to is None:
        raise AlreadyHandled(t.STALE_CARD)
    values: dict[str, object] = {"status": to.value}
    if to is Status.RETURNED:
        values["return_reason"] = reason
        values["cursor"] = None
    if not await store.update_application(app.id, app.version, values, now):
        log.info("application %s was moved concurrently; %s came second", app.id, actor_id)
        raise await _handled_error(store, app)
    await store.add_event(
        app_id=app.id,
        actor_id=actor_id,
        actor_name=actor_name,
        action=decision.action.value,
        from_status=app.status.value,
        to_status=to.value,
        note=reason,
        now=now,
    )
    await store.commit()
    after = await store.application(app.id)
    assert after is not None
    return Outcome(app, after, level, decision, actor_id, actor_name, reason, now)


async def viewable(
    store: ReviewStore, app_id: int, grants: Sequence[Grant], actor_id: int
) -> ApplicationSnapshot:
    """The application if the person may see it (its reviewers, its district, the bureau)."""
    app = await store.application(app_id)
    if app is None or not may_view(grants, district_id=app.district_id, unit_id=app.unit_id):
        log.warning("view of application %s by %s refused", app_id, actor_id)
        raise NotAllowed(t.NOT_YOUR_APPLICATION)
    if app.status is Status.DRAFT:
        raise NotAllowed(t.NOT_YOUR_APPLICATION)
    return app


async def history(
    store: ReviewStore, app_id: int, grants: Sequence[Grant], actor_id: int
) -> tuple[ApplicationSnapshot, Sequence[EventRow]]:
    app = await viewable(store, app_id, grants, actor_id)
    return app, await store.events_of(app.id)


async def pending(store: ReviewStore, grants: Sequence[Grant], page: int) -> Page:
    """What waits for this reviewer's decision, oldest submission first."""
    return await _page(store, grants, ListFilter(pending_only=True), page)


async def applications(
    store: ReviewStore, grants: Sequence[Grant], what: ListFilter, page: int
) -> tuple[Page, dict[str, int]]:
    """A page of the district's (or, for the bureau, every) application, and counts by state."""
    if not any(g.role in (RoleKind.BUREAU, RoleKind.DISTRICT) for g in grants):
        raise NotAllowed(t.NOT_A_REVIEWER_LIST)
    scope = scope_of(g for g in grants if g.role is not RoleKind.UNIT)
    campaign = await store.current_campaign()
    if campaign is None:
        return Page([], 0, 0, 1), {}
    counts = await store.status_counts(scope, campaign.id)
    return await _page(store, grants, what, page, scope=scope), counts


async def _page(
    store: ReviewStore,
    grants: Sequence[Grant],
    what: ListFilter,
    page: int,
    scope: Scope | None = None,
) -> Page:
    campaign = await store.current_campaign()
    scope = scope or scope_of(grants)
    if campaign is None or scope.empty:
        return Page([], 0, 0, 1)
    page = max(page, 0)
    items, total = await store.list_applications(
        scope, campaign.id, what, page * PAGE_SIZE, PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages and total:
        return await _page(store, grants, what, pages - 1, scope)
    return Page(items, total, page, pages)
