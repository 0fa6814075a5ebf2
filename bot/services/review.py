"""Use cases of reviewers: who gets a card, deciding at unit, district and bureau level
(资格审核), lists, history.

Every public function opens one unit of work, re-authorises the person from
the server's data (grants and scope, the application's state and version,
whether its district reported it to the bureau, the deadline of the level),
commits, and returns what to send; nothing is sent while the unit of work is
open. A decision is a conditional update on the version, so a double press or
two reviewers at once move the application exactly once; the loser is told
who was first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.clock import format_local
from bot.domain.application import ApplicationSnapshot
from bot.domain.errors import AlreadyHandled, DeadlinePassed, DomainError, NotAllowed
from bot.domain.exports import Access
from bot.domain.parsers import parse_reason
from bot.domain.reminders import Notice, NoticeKind
from bot.domain.review import (
    ACTOR_OF_LEVEL,
    BUREAU_ROLES,
    LEVEL_OF_STATUS,
    STATUS_OF_LEVEL,
    Change,
    Decision,
    Grant,
    ReviewLevel,
    RoleKind,
    Scope,
    Stage,
    action_of,
    deadline_of,
    diff_answers,
    district_acts_for_unit,
    may_decide,
    may_view,
    reviews,
    scope_of,
    waits_at,
)
from bot.domain.workflow import ENTERED, Action, Status, next_status
from bot.services import reminders
from bot.services.ports import DuplicateRow, EventRow, ListFilter, UnitRow
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.services.roles import grants_of
from bot.texts import review as t

log = logging.getLogger(__name__)

PAGE_SIZE = 8

CardRef = tuple[int, int]
"""(chat id, message id) of a message that carries a review card."""


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
    district_approval: EventRow | None = None
    """At the bureau: the district's approval."""
    bureau_return: EventRow | None = None
    """At the district: the bureau's return to it, with its reason, if that is why it is back."""
    duplicates: Sequence[DuplicateRow] = ()
    """At the bureau: other applications with the same ID number, in any campaign or district."""


@dataclass(frozen=True)
class CardDelivery:
    """A review card to send to the reviewers who must decide next, with the photo above it."""

    card: ReviewCard
    person_ids: Sequence[int]
    photo: bytes | None


@dataclass(frozen=True)
class Onward:
    """Where an application goes once it moved (submitted, or decided at some level)."""

    cards: CardDelivery | None
    """The card for whoever decides next, if anyone may."""
    stage: Stage | None
    """Where it stands now beyond its state (`stage_of`), for the applicant."""
    unassigned: Sequence[int] = ()
    """Bureau admins, when it waits at unit or district level and nobody holds the role to
    decide there, and it is the first of its district to (`_first_unassigned`): they grant it
    (`expertbot grant`) or invite a district reviewer (/invite)."""


@dataclass(frozen=True)
class Outcome:
    """A decision that was made, and what it leaves to send."""

    before: ApplicationSnapshot
    after: ApplicationSnapshot
    level: ReviewLevel
    decision: Decision
    actor_id: int
    actor_name: str
    reason: str | None
    at: datetime
    closed_cards: Sequence[CardRef] = ()
    """Every copy of the card, to rewrite with the outcome (no longer recorded)."""
    next_cards: CardDelivery | None = None
    """The card for whoever decides next: the district after a unit approval or a bureau return,
    the bureau after the approval of a district that has reported."""
    told: Sequence[int] = ()
    """Reviewers below to tell of a decision that reaches them without a card: the district's,
    of a disqualification; the unit's (who approved it), of the district's return or decline."""
    stage: Stage | None = None
    """Where the application stands now beyond its state (`stage_of`), for the applicant."""
    unassigned: Sequence[int] = ()
    """Bureau admins to tell that nobody may decide where it waits now (`Onward.unassigned`)."""


@dataclass(frozen=True)
class Withdrawal:
    """What to tell reviewers when the applicant withdraws."""

    closed_cards: Sequence[CardRef]
    """Every copy of the card, to rewrite (no longer recorded)."""
    watcher_ids: Sequence[int]
    """Reviewers who had the application before them; those with a card see it rewritten."""


@dataclass(frozen=True)
class OpenedCard:
    """An application opened from a list: the decision card, or the full text to read."""

    card: ReviewCard
    can_decide: bool
    nudge: bool
    """Offer 催办: the application waits on someone this viewer may nudge."""
    photo: bytes | None
    closed: Closed | None = None
    """The viewer would decide it, but its level's deadline has passed: no buttons, and why."""


@dataclass(frozen=True)
class Closed:
    """Applications waiting for this reviewer at a level whose deadline has passed: every
    decision on them is refused until the bureau extends the deadline (/campaign)."""

    level: ReviewLevel
    deadline: datetime
    count: int


class DecisionClosed(DeadlinePassed):
    """A decision refused because its level's deadline has passed: the card it was pressed on
    is to lose its decision buttons and say so (`closed`), like one opened from /pending."""

    def __init__(self, app: ApplicationSnapshot, closed: Closed) -> None:
        super().__init__(
            t.DEADLINE_PASSED.format(
                level=t.LEVEL[closed.level], deadline=format_local(closed.deadline)
            )
        )
        self.app = app
        self.closed = closed


@dataclass(frozen=True)
class Waiting:
    """What waits for a reviewer's decision, for their home screen."""

    total: int
    closed: Sequence[Closed] = ()
    """Those of them past their level's deadline, by level."""


@dataclass(frozen=True)
class Page:
    items: Sequence[ApplicationSnapshot]
    total: int
    page: int
    pages: int
    nudge: frozenset[int] = frozenset()
    """Ids of the items that wait on someone this viewer may nudge: their entry offers 催办."""
    closed_ids: frozenset[int] = frozenset()
    """Ids of the items on this page whose level's deadline has passed (/pending)."""
    closed: Sequence[Closed] = ()
    """/pending: every waiting application past its level's deadline, counted by level."""


@dataclass(frozen=True)
class Listing:
    """A page of /applications, or (with `units`) the menu to pick a filter from."""

    page: Page
    counts: dict[str, int]
    bureau: bool
    district_names: Sequence[str]
    units: Sequence[UnitRow] | None
    """The units to filter by, when the menu was asked for."""
    unit_name: str | None
    """The unit filtered by, if any."""
    units_only: bool = False
    """The list of a unit reviewer (no district or bureau role): their units' applications,
    their own left out (回避), no filter by unit."""
    unit_names: Sequence[str] = ()
    """With `units_only`: the units it covers."""


# queries inside an open unit of work --------------------------------------------------------


async def _covers(uow: UnitOfWork, app: ApplicationSnapshot) -> bool:
    has_reviewer = bool(app.unit_id) and await uow.people.unit_has_reviewer(
        app.unit_id or 0, app.person_id
    )
    return district_acts_for_unit(
        unit_id=app.unit_id, unit_confirmed=app.unit_confirmed, unit_has_reviewer=has_reviewer
    )


async def _reported(uow: UnitOfWork, app: ApplicationSnapshot) -> bool:
    """Whether the bureau has the application: its district reported its batch of the campaign
    (上报市局), or the bureau entered it from paper itself (录入)."""
    reports = await uow.campaigns.reports(app.campaign.id, app.district_id)
    if any(not r.replaced for r in reports):
        return True
    return any(e.action == ENTERED for e in await uow.applications.events_of(app.id))


async def _waits_at(uow: UnitOfWork, app: ApplicationSnapshot) -> ReviewLevel | None:
    """The level whose decision the application waits for now, if any."""
    level = LEVEL_OF_STATUS.get(app.status)
    if level is ReviewLevel.BUREAU:
        return waits_at(app.status, district_reported=await _reported(uow, app))
    return level


async def stage_of(
    uow: UnitOfWork, app: ApplicationSnapshot, now: datetime, audience: Audience | None = None
) -> Stage | None:
    """Where the application stands beyond its state, as its applicant is told (in an open
    unit of work): a form may be closed by the deadline; a district-approved one is at the
    bureau only once its district reported; one waiting at unit or district level may have
    nobody to decide it (`audience`: its `_audience`, when the caller has it already)."""
    if app.closed_to_applicant(now):
        return Stage.CLOSED
    if app.status is Status.DISTRICT_APPROVED:
        return Stage.AT_BUREAU if await _reported(uow, app) else Stage.AWAITING_REPORT
    if app.status in (Status.SUBMITTED, Status.UNIT_APPROVED):
        audience = audience or await _audience(uow, app)
        return Stage.NO_REVIEWER if audience is not None and not audience.person_ids else None
    return None


def _bureau_return(events: Sequence[EventRow]) -> EventRow | None:
    """The bureau's return to the district, when that was the application's last move."""
    last = events[-1] if events else None
    return last if last is not None and last.action == Action.RETURN_TO_DISTRICT.value else None


async def _reviewers_other_than_applicant(
    uow: UnitOfWork, grant: Grant, app: ApplicationSnapshot
) -> list[int]:
    """Who holds `grant`, but never the applicant: nobody reviews their own application (回避)."""
    return [i for i in await uow.people.reviewer_ids(grant) if i != app.person_id]


async def _audience(uow: UnitOfWork, app: ApplicationSnapshot) -> Audience | None:
    """Who must decide next; None when the application waits for nobody."""
    level = await _waits_at(uow, app)
    if level is None:
        return None
    covers = await _covers(uow, app)
    if level is ReviewLevel.BUREAU:
        target = Grant(role=RoleKind.BUREAU_REVIEWER)
    elif level is ReviewLevel.UNIT and not covers:
        target = Grant(role=RoleKind.UNIT, unit_id=app.unit_id)
    else:
        target = Grant(role=RoleKind.DISTRICT, district_id=app.district_id)
    return Audience(level, await _reviewers_other_than_applicant(uow, target, app), covers)


async def _first_unassigned(uow: UnitOfWork, app: ApplicationSnapshot) -> bool:
    """Whether `app`, which waits with nobody to decide, is the only one of its district and
    campaign that does (in an open unit of work).

    What is missing is always a district reviewer (the district stands in for a unit nobody
    reviews), so the bureau's admins are told once per district, with its first such
    application, not once per application. The rest is read from the data, so a restart or a
    second process changes nothing; once someone may review there, nothing waits for nobody,
    and the next gap is told again.
    """
    district = Grant(role=RoleKind.DISTRICT, district_id=app.district_id)
    if await uow.people.reviewer_ids(district):
        return True  # its only reviewer is its applicant: the others' have a reviewer
    waiting, _ = await uow.applications.list_applications(
        scope_of([district]), app.campaign.id, ListFilter(pending_only=True), 0, 2
    )
    return all(other.id == app.id for other in waiting)


async def _review_card(uow: UnitOfWork, app: ApplicationSnapshot) -> ReviewCard:
    events = await uow.applications.events_of(app.id)
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
    district_approval = bureau_return = None
    duplicates: Sequence[DuplicateRow] = ()
    if level is ReviewLevel.BUREAU:
        district_approval = next(
            (e for e in reversed(events) if e.to_status == Status.DISTRICT_APPROVED.value), None
        )
        duplicates = await uow.applications.same_id_number(app.id)
    elif level is ReviewLevel.DISTRICT:
        bureau_return = _bureau_return(events)
    return ReviewCard(
        app,
        level,
        changes,
        unit_approval,
        await _covers(uow, app),
        resubmitted,
        district_approval,
        bureau_return,
        duplicates,
    )


async def onward(
    uow: UnitOfWork, app: ApplicationSnapshot, admin_ids: Iterable[int], now: datetime
) -> Onward:
    """Where the application goes now that it moved (in an open unit of work): the card for
    those who decide next; when it waits at unit or district level with nobody to decide, and
    is the first of its district to, the bureau admins (`admin_ids` from the settings, and
    those granted the role) to tell."""
    audience = await _audience(uow, app)
    stage = await stage_of(uow, app, now, audience)
    if audience is None:
        return Onward(None, stage)
    if not audience.person_ids:
        log.warning("application %s waits at level %s but has no reviewer", app.id, audience.level.name)
        if stage is not Stage.NO_REVIEWER:
            return Onward(None, stage)  # at the bureau, whose admins decide it themselves
        if not await _first_unassigned(uow, app):
            return Onward(None, stage)  # the admins heard of its district with the first one
        admins = sorted({*admin_ids, *await uow.people.bureau_admins()})
        return Onward(None, stage, admins)
    card = await _review_card(uow, app)
    photo = await uow.applications.photo(app.id)
    return Onward(CardDelivery(card, audience.person_ids, photo), stage)


async def _take_cards(uow: UnitOfWork, app_id: int) -> Sequence[CardRef]:
    """The recorded copies of the card, forgotten: they are about to show an outcome."""
    cards = await uow.applications.card_messages(app_id)
    await uow.applications.drop_card_messages(app_id)
    return cards


async def _watchers(uow: UnitOfWork, app: ApplicationSnapshot, previous: Status) -> list[int]:
    """Reviewers to tell when the applicant withdraws from state `previous`: those below who
    passed it on, and the bureau's once it reached them."""
    if previous not in LEVEL_OF_STATUS and previous is not Status.QUALIFIED:
        return []
    covers = await _covers(uow, app)
    ids: list[int] = []
    if not covers:
        ids += await uow.people.reviewer_ids(Grant(role=RoleKind.UNIT, unit_id=app.unit_id))
    if covers or previous is not Status.SUBMITTED:
        ids += await uow.people.reviewer_ids(
            Grant(role=RoleKind.DISTRICT, district_id=app.district_id)
        )
    at_bureau = previous is Status.QUALIFIED or (
        previous is Status.DISTRICT_APPROVED and await _reported(uow, app)
    )
    if at_bureau:
        ids += await uow.people.reviewer_ids(Grant(role=RoleKind.BUREAU_REVIEWER))
    return list(dict.fromkeys(ids))


async def _viewable(
    uow: UnitOfWork, app_id: int, grants: Sequence[Grant], actor_id: int
) -> ApplicationSnapshot:
    """The application if the person may see it (its reviewers, its district, the bureau)."""
    app = await uow.applications.application(app_id)
    if app is None or not may_view(grants, district_id=app.district_id, unit_id=app.unit_id):
        log.warning("view of application %s by %s refused", app_id, actor_id)
        raise NotAllowed(t.NOT_VIEWABLE.format(id=app_id))
    if app.status is Status.DRAFT:
        raise NotAllowed(t.NOT_VIEWABLE.format(id=app_id))
    return app


async def _record_view(uow: UnitOfWork, actor_id: int, app_id: int, now: datetime) -> None:
    """Logs that every field was shown (查看全部), in the transaction of the read."""
    await uow.documents.add_access(
        actor_id=actor_id,
        action=Access.VIEW_FULL_RECORD.value,
        target=f"application:{app_id}",
        detail={},
        now=now,
    )
    log.info("access %s application:%s by %s", Access.VIEW_FULL_RECORD.value, app_id, actor_id)


async def _load_for_decision(
    uow: UnitOfWork,
    *,
    app_id: int,
    version: int,
    level: ReviewLevel,
    actor_id: int,
    grants: Sequence[Grant],
    now: datetime,
) -> ApplicationSnapshot:
    """The application if `actor_id` may decide on it at `level` now; raises otherwise."""
    app = await uow.applications.application(app_id)
    if app is None:
        log.warning("review press by %s on unknown application %s", actor_id, app_id)
        raise NotAllowed(t.STALE_CARD)
    covers = await _covers(uow, app)
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
    if app.person_id == actor_id:
        log.warning("review press by %s on their own application %s refused", actor_id, app_id)
        raise NotAllowed(t.OWN_APPLICATION)
    if app.status is not STATUS_OF_LEVEL[level] or app.version != version:
        log.info("stale review press by %s on application %s", actor_id, app_id)
        raise await _handled_error(uow, app)
    if level is ReviewLevel.BUREAU and not await _reported(uow, app):
        log.warning("qualification press by %s on unreported application %s", actor_id, app_id)
        raise NotAllowed(t.NOT_REPORTED_YET)
    deadline = await _passed_deadline(uow, app, level, now)
    if deadline is not None:
        raise DecisionClosed(app, Closed(level, deadline, 1))
    return app


async def _passed_deadline(
    uow: UnitOfWork, app: ApplicationSnapshot, level: ReviewLevel, now: datetime
) -> datetime | None:
    """The deadline of `level` for this application, if it has passed: a decision there is
    refused. A bureau return lifts the district's deadline (`deadline_of`)."""
    passed = _deadline_passed(level, app, now, returned_by_bureau=False)
    if passed is not None and level is ReviewLevel.DISTRICT:
        # Read the trail only once the deadline has passed.
        returned = _bureau_return(await uow.applications.events_of(app.id)) is not None
        passed = _deadline_passed(level, app, now, returned_by_bureau=returned)
    return passed


def _deadline_passed(
    level: ReviewLevel, app: ApplicationSnapshot, now: datetime, *, returned_by_bureau: bool
) -> datetime | None:
    """The deadline of `level` for this application if it has passed (`deadline_of`)."""
    deadline = deadline_of(level, app.campaign, returned_by_bureau=returned_by_bureau)
    return deadline if deadline is not None and now > deadline else None


async def _handled_error(uow: UnitOfWork, app: ApplicationSnapshot) -> DomainError:
    """Who moved the application last, as the refusal for someone who comes second."""
    events = await uow.applications.events_of(app.id)
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


# use cases -----------------------------------------------------------------------------------


def clean_reason(text: str | None) -> str:
    """A reason cleaned like every free text; a DomainError says why it cannot be one."""
    try:
        return parse_reason(text)
    except ValueError as problem:
        raise DomainError(str(problem)) from None


async def check_decision(
    uows: UnitOfWorkFactory,
    *,
    app_id: int,
    version: int,
    level: ReviewLevel,
    actor_id: int,
    admin_ids: Iterable[int],
    now: datetime,
) -> ApplicationSnapshot:
    """Refuses early (before asking for a reason) what `decide` would refuse."""
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admin_ids)
        return await _load_for_decision(
            uow, app_id=app_id, version=version, level=level, actor_id=actor_id, grants=grants, now=now
        )


async def decide(
    uows: UnitOfWorkFactory,
    *,
    app_id: int,
    version: int,
    level: ReviewLevel,
    decision: Decision,
    actor_id: int,
    actor_name: str,
    admin_ids: Iterable[int],
    reason: str | None,
    now: datetime,
) -> Outcome:
    """Approves, returns or declines at `level`, once; commits the move, its audit event, and
    forgets the card copies it hands back for rewriting."""
    admins = tuple(admin_ids)
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admins)
        app = await _load_for_decision(
            uow, app_id=app_id, version=version, level=level, actor_id=actor_id, grants=grants, now=now
        )
        if decision.needs_reason:
            reason = clean_reason(reason)
        action = action_of(level, decision)
        to = next_status(app.status, ACTOR_OF_LEVEL[level], action)
        if to is None:
            raise AlreadyHandled(t.STALE_CARD)
        values: dict[str, object] = {"status": to.value}
        if to is Status.RETURNED:
            values["return_reason"] = reason
            values["cursor"] = None
        if to is Status.UNIT_APPROVED and not app.unit_confirmed:
            values["unit_confirmed"] = True  # the district checked the typed unit and approved for it
        if not await uow.applications.update_application(app.id, app.version, values, now):
            log.info("application %s was moved concurrently; %s came second", app.id, actor_id)
            raise await _handled_error(uow, app)
        await uow.applications.add_event(
            app_id=app.id,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action.value,
            from_status=app.status.value,
            to_status=to.value,
            note=reason,
            now=now,
        )
        after = await uow.applications.application(app.id)
        assert after is not None
        cards = await _take_cards(uow, app.id)
        goes = await onward(uow, after, admins, now)
        told: Sequence[int] = ()
        if to is Status.NOT_QUALIFIED:
            told = await uow.people.reviewer_ids(
                Grant(role=RoleKind.DISTRICT, district_id=app.district_id)
            )
        elif level is ReviewLevel.DISTRICT and to in (Status.RETURNED, Status.DECLINED) and app.unit_id:
            unit = Grant(role=RoleKind.UNIT, unit_id=app.unit_id)
            told = await _reviewers_other_than_applicant(uow, unit, app)
        await uow.commit()
    return Outcome(
        app, after, level, decision, actor_id, actor_name, reason, now, cards, goes.cards, told,
        goes.stage, goes.unassigned,
    )  # fmt: skip


async def withdraw_cards(
    uows: UnitOfWorkFactory, app: ApplicationSnapshot, previous: Status
) -> Withdrawal:
    """Hands back the card copies to rewrite and the reviewers to tell of a withdrawal."""
    async with uows() as uow:
        cards = await _take_cards(uow, app.id)
        watchers = await _watchers(uow, app, previous)
        await uow.commit()
    return Withdrawal(cards, watchers)


async def record_deliveries(
    uows: UnitOfWorkFactory,
    *,
    app_id: int | None,
    cards: Sequence[tuple[int, int]],
    unreachable: Sequence[int],
    now: datetime,
    admin_ids: Iterable[int] = (),
) -> None:
    """After the sends: remembers the cards of application `app_id`, as (person id, message id),
    to rewrite them on a decision, and who could not be reached.

    A reviewer newly found unreachable (blocked the bot, or deleted their Telegram account,
    which sends no my_chat_member) is told to the level above as the reminders do
    (`reminders.escalations`: a unit's to its district, a district's to the bureau admins,
    `admin_ids` from the settings among them); the mark would otherwise keep it from ever
    being told, and what waits for that reviewer would wait for nobody, unannounced."""
    if not cards and not unreachable:
        return
    admins = tuple(admin_ids)
    async with uows() as uow:
        for person_id, message_id in cards:
            assert app_id is not None, "a card belongs to an application"
            await uow.applications.add_card_message(app_id, person_id, message_id, now)
        for person_id in unreachable:
            if await uow.people.mark_unreachable(person_id):
                above = await reminders.escalations(uow, person_id, admins)
                await uow.campaigns.add_notices(above, now)
        await uow.commit()


async def open_card(
    uows: UnitOfWorkFactory, *, app_id: int, actor_id: int, admin_ids: Iterable[int], now: datetime
) -> OpenedCard:
    """A viewable application opened from a list: the decision card if this person may decide
    on it now, else its full text (a full-record view, logged)."""
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admin_ids)
        app = await _viewable(uow, app_id, grants, actor_id)
        card = await _review_card(uow, app)
        level = await _waits_at(uow, app)
        can_decide = level is not None and may_decide(
            grants,
            level,
            district_id=app.district_id,
            unit_id=app.unit_id,
            district_covers_unit=card.district_covers_unit,
        )
        passed = await _passed_deadline(uow, app, level, now) if level and can_decide else None
        if not can_decide or passed is not None:
            await _record_view(uow, actor_id, app.id, now)
            await uow.commit()
            nudge = not can_decide and reminders.may_nudge(app, grants, can_decide=False)
            if nudge:  # not past the deadline that would refuse it
                units = await uow.people.unit_reviewers(app.unit_id) if app.unit_id else []
                nudge = not reminders.nudge_too_late(app, now, unit_reviewers=units)
            closed = Closed(level, passed, 1) if level and passed else None
            return OpenedCard(card, False, nudge, None, closed)
        photo = await uow.applications.photo(app.id)
    return OpenedCard(card, True, False, photo)


async def view_all(
    uows: UnitOfWorkFactory, *, app_id: int, actor_id: int, admin_ids: Iterable[int], now: datetime
) -> ApplicationSnapshot:
    """Every field of a viewable application (查看全部); the view is logged."""
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admin_ids)
        app = await _viewable(uow, app_id, grants, actor_id)
        await _record_view(uow, actor_id, app.id, now)
        await uow.commit()
    return app


async def view_changes(
    uows: UnitOfWorkFactory, *, app_id: int, actor_id: int, admin_ids: Iterable[int], now: datetime
) -> ReviewCard:
    """The card of a viewable application, for its resubmission diff in full (查看修改内容).

    The diff shows answers old and new, personal data as 查看全部 does, so the
    view is logged the same way.
    """
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admin_ids)
        app = await _viewable(uow, app_id, grants, actor_id)
        card = await _review_card(uow, app)
        await _record_view(uow, actor_id, app.id, now)
        await uow.commit()
    return card


async def history(
    uows: UnitOfWorkFactory, *, app_id: int, actor_id: int, admin_ids: Iterable[int]
) -> tuple[ApplicationSnapshot, Sequence[EventRow]]:
    """Every transition of a viewable application, for a person who holds some role."""
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admin_ids)
        if not grants:
            raise NotAllowed(t.NOT_A_REVIEWER)
        app = await _viewable(uow, app_id, grants, actor_id)
        return app, await uow.applications.events_of(app.id)


async def pending(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    admin_ids: Iterable[int],
    page: int,
    now: datetime,
) -> Page:
    """What waits for this reviewer's decision, oldest submission first: at unit and district
    level in their scope, and at the bureau the district-approved applications of every
    district that reported; those past their level's deadline are counted and marked."""
    async with uows() as uow:
        grants = await grants_of(uow, person_id, admin_ids)
        if not reviews(grants):
            raise NotAllowed(t.NOT_A_REVIEWER)
        queue = ListFilter(pending_only=True, not_of_person=person_id)
        shown = await _with_nudges(
            uow, await _page(uow, queue, page, scope_of(grants)), grants, now
        )
        closed_ids, closed = await _closed(uow, person_id, grants, now)
        return replace(
            shown,
            closed_ids=frozenset(a.id for a in shown.items if a.id in closed_ids),
            closed=closed,
        )


async def pending_count(
    uow: UnitOfWork, person_id: int, grants: Sequence[Grant], now: datetime
) -> Waiting | None:
    """What waits for this person's decision (in an open unit of work), and how much of it
    is past its level's deadline; None when they review at no level."""
    if not reviews(grants):
        return None
    queue = ListFilter(pending_only=True, not_of_person=person_id)
    total = (await _page(uow, queue, 0, scope_of(grants))).total
    _, closed = await _closed(uow, person_id, grants, now) if total else (set(), ())
    return Waiting(total, closed)


async def _closed(
    uow: UnitOfWork, person_id: int, grants: Sequence[Grant], now: datetime
) -> tuple[set[int], Sequence[Closed]]:
    """The applications waiting for this person whose level's deadline has passed, and their
    count by level. Only read once a unit or district deadline has passed (before it, nothing
    is closed, and the queue is not read twice); then in a fixed number of queries, however
    long the queue: the bureau's level has no deadline, and which applications the bureau
    returned to their district (no deadline for those either) is one query for them all."""
    campaign = await uow.campaigns.current_campaign()
    if campaign is None or scope_of(grants).empty:
        return set(), ()
    passed = {
        level
        for level in (ReviewLevel.UNIT, ReviewLevel.DISTRICT)
        if (d := deadline_of(level, campaign)) is not None and now > d
    }
    if not passed:
        return set(), ()
    queue = ListFilter(pending_only=True, not_of_person=person_id)
    scope = scope_of(grants)
    _, total = await uow.applications.list_applications(scope, campaign.id, queue, 0, 1)
    items, _ = await uow.applications.list_applications(scope, campaign.id, queue, 0, total)
    returned: set[int] = set()
    if ReviewLevel.DISTRICT in passed and any(
        LEVEL_OF_STATUS.get(a.status) is ReviewLevel.DISTRICT for a in items
    ):
        returned = await uow.applications.returned_by_bureau(scope, campaign.id, queue)
    ids: set[int] = set()
    by_level: dict[ReviewLevel, tuple[datetime, int]] = {}
    for app in items:
        level = LEVEL_OF_STATUS.get(app.status)
        if level is None or level not in passed:
            continue  # the bureau's level has no deadline (`deadline_of`)
        deadline = _deadline_passed(level, app, now, returned_by_bureau=app.id in returned)
        if deadline is None:
            continue
        ids.add(app.id)
        _, count = by_level.get(level, (deadline, 0))
        by_level[level] = (deadline, count + 1)
    return ids, [Closed(level, d, n) for level, (d, n) in sorted(by_level.items())]


@dataclass(frozen=True)
class Unreviewed:
    """Applications of a district that wait at unit or district level with nobody to decide."""

    district: str
    count: int


async def waiting_for_nobody(uows: UnitOfWorkFactory, role: Grant) -> Unreviewed | None:
    """After a unit or district role was taken away (`expertbot revoke`): how many applications
    of its district now wait with nobody to decide them; None when no role of those kinds, no
    campaign, or none waits so.

    The bureau's admins hear of such a gap once per district, with the first application that
    waits for nobody (`_first_unassigned`); when a revoke leaves some waiting, none of them is
    ever first, so whoever revoked must hear it now.
    """
    if role.role not in (RoleKind.DISTRICT, RoleKind.UNIT):
        return None
    async with uows() as uow:
        campaign = await uow.campaigns.current_campaign()
        district_id = role.district_id
        if role.role is RoleKind.UNIT:
            unit = await uow.campaigns.unit(role.unit_id or 0)
            district_id = unit.district_id if unit else None
        district = await uow.campaigns.district(district_id) if district_id else None
        if campaign is None or district is None:
            return None
        scope = scope_of([Grant(role=RoleKind.DISTRICT, district_id=district.id)])
        queue = ListFilter(pending_only=True)
        _, total = await uow.applications.list_applications(scope, campaign.id, queue, 0, 1)
        items, _ = await uow.applications.list_applications(scope, campaign.id, queue, 0, total)
        count = 0
        for app in items:
            audience = await _audience(uow, app)
            if audience is not None and audience.level is not ReviewLevel.BUREAU:
                count += not audience.person_ids
    return Unreviewed(district.name, count) if count else None


@dataclass(frozen=True)
class ToDistrict:
    """Applications of a unit that wait for its district now that the unit lost its last
    reviewer (the district acts for a unit nobody reviews, `district_acts_for_unit`)."""

    unit: str
    district: str
    count: int
    told: int
    """District reviewers queued a notice (`NoticeKind.TO_DISTRICT`) through the outbox."""


async def moved_to_district(
    uows: UnitOfWorkFactory, role: Grant, revoked_id: int, now: datetime
) -> ToDistrict | None:
    """After a unit role was taken away from `revoked_id` (`expertbot revoke`): the unit's
    applications that waited for its reviewers and now wait for its district's, who are told
    once, each with their own count, through the outbox (a card goes to a reviewer when an
    application first waits for them; these waited already, so a notice with /pending, as the
    bureau gets when a district reports). None when no unit role, no campaign or none moved;
    with none to tell either, `waiting_for_nobody` says what waits for nobody."""
    if role.role is not RoleKind.UNIT or role.unit_id is None:
        return None
    async with uows() as uow:
        campaign = await uow.campaigns.current_campaign()
        unit = await uow.campaigns.unit(role.unit_id)
        district = await uow.campaigns.district(unit.district_id) if unit else None
        if campaign is None or unit is None or district is None:
            return None
        scope = scope_of([Grant(role=RoleKind.DISTRICT, district_id=district.id)])
        queue = ListFilter(pending_only=True, unit_id=unit.id)
        _, total = await uow.applications.list_applications(scope, campaign.id, queue, 0, 1)
        items, _ = await uow.applications.list_applications(scope, campaign.id, queue, 0, total)
        moved = 0
        counts: dict[int, int] = {}
        for app in items:
            if not app.unit_confirmed or app.person_id == revoked_id:
                continue  # its district had it already: the role never counted for it (回避)
            audience = await _audience(uow, app)
            if (
                audience is None
                or audience.level is not ReviewLevel.UNIT
                or not audience.district_covers_unit
                or not audience.person_ids
            ):
                continue
            moved += 1
            for person_id in audience.person_ids:
                counts[person_id] = counts.get(person_id, 0) + 1
        if not moved:
            return None
        stamp = f"{now:%Y%m%dT%H%M%S}"
        await uow.campaigns.add_notices(
            [
                Notice(
                    key=f"td:{unit.id}:{revoked_id}:{stamp}:{person_id}",
                    kind=NoticeKind.TO_DISTRICT,
                    recipient_id=person_id,
                    campaign_id=campaign.id,
                    payload={"unit": unit.name, "count": count},
                )
                for person_id, count in counts.items()
            ],
            now,
        )
        await uow.commit()
    log.info("unit %s lost its reviewers: %d applications now wait for its district", unit.id, moved)
    return ToDistrict(unit.name, district.name, moved, len(counts))


async def list_applications(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    admin_ids: Iterable[int],
    what: ListFilter,
    page: int,
    with_units: bool,
    now: datetime,
) -> Listing:
    """A page of the district's (or, for the bureau, every) application and counts by state;
    `with_units` adds the units of those districts, to filter by. A unit reviewer (no district
    or bureau role) gets their units' applications, never their own (回避, as /pending), and
    no unit filter."""
    async with uows() as uow:
        grants = await grants_of(uow, person_id, admin_ids)
        if not any(g.role in (*BUREAU_ROLES, RoleKind.DISTRICT, RoleKind.UNIT) for g in grants):
            raise NotAllowed(t.NOT_A_REVIEWER_LIST)
        broad = [g for g in grants if g.role is not RoleKind.UNIT]
        units_of = [g for g in grants if g.role is RoleKind.UNIT] if not broad else []
        own: int | None = None
        if units_of:
            own = person_id
            what = replace(what, unit_id=None, not_of_person=person_id)
        scope = scope_of(broad or units_of)
        campaign = await uow.campaigns.current_campaign()
        if campaign is None:
            shown, counts = Page([], 0, 0, 1), {}
        else:
            counts = await uow.applications.status_counts(scope, campaign.id, not_of_person=own)
            shown = await _with_nudges(uow, await _page(uow, what, page, scope), grants, now)
        bureau = any(g.role in BUREAU_ROLES for g in grants)
        districts = [g for g in grants if g.role is RoleKind.DISTRICT]
        units: list[UnitRow] | None = None
        if with_units and units_of:
            units = []
        elif with_units:
            district_ids = (
                [d.id for d in await uow.campaigns.districts()]
                if bureau
                else [g.district_id for g in districts if g.district_id]
            )
            units = [u for d in district_ids for u in await uow.campaigns.units_in(d)]
        unit = await uow.campaigns.unit(what.unit_id) if what.unit_id else None
    return Listing(
        shown,
        counts,
        bureau,
        [g.district_name for g in districts],
        units,
        unit.name if unit else None,
        units_only=bool(units_of),
        unit_names=[g.unit_name for g in units_of],
    )


async def _with_nudges(
    uow: UnitOfWork, shown: Page, grants: Sequence[Grant], now: datetime
) -> Page:
    """The page with the entries that offer 催办, as the card opened from it would
    (`reminders.may_nudge`), but none past the deadline that would refuse it; the press is
    re-authorised when it comes. Who reviews the units of the page (`_covers`) is read once
    for the page, not once per entry."""
    candidates = [a for a in shown.items if reminders.may_nudge(a, grants, can_decide=False)]
    if not candidates:
        return shown
    unit_ids = [a.unit_id for a in candidates if a.unit_id]
    reviewers = await uow.people.reviewers_of_units(unit_ids)
    reachable = await uow.people.reviewers_of_units(unit_ids, reachable=True)
    nudge = set()
    for app in candidates:
        level = LEVEL_OF_STATUS.get(app.status)
        holders = reviewers.get(app.unit_id or 0, frozenset())
        nudged = reachable.get(app.unit_id or 0, frozenset())
        if reminders.nudge_too_late(app, now, unit_reviewers=nudged):
            continue
        others = holders - {app.person_id}
        covers = district_acts_for_unit(
            unit_id=app.unit_id, unit_confirmed=app.unit_confirmed, unit_has_reviewer=bool(others)
        )
        can_decide = level is not None and may_decide(
            grants,
            level,
            district_id=app.district_id,
            unit_id=app.unit_id,
            district_covers_unit=covers,
        )
        if not can_decide:
            nudge.add(app.id)
    return replace(shown, nudge=frozenset(nudge))


async def _page(uow: UnitOfWork, what: ListFilter, page: int, scope: Scope) -> Page:
    campaign = await uow.campaigns.current_campaign()
    if campaign is None or scope.empty:
        return Page([], 0, 0, 1)
    page = max(page, 0)
    items, total = await uow.applications.list_applications(
        scope, campaign.id, what, page * PAGE_SIZE, PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages and total:
        return await _page(uow, what, pages - 1, scope)
    return Page(items, total, page, pages)
