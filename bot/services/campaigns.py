"""Use cases of the bureau: see and change a campaign, its deadlines and its reminder schedule.

Extending a deadline is one action: the new moment is stored together with
an announcement to everyone it concerns, recorded in the reminder outbox in
the same transaction, so the next reminder pass sends it exactly like a
reminder (rate-limited, once). Slots of the new deadline that had already
passed at the moment of extension never fire.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.clock import format_local
from bot.domain.application import Campaign
from bot.domain.errors import DomainError, NotAllowed, NotFound
from bot.domain.reminders import (
    DeadlineKind,
    Notice,
    NoticeKind,
    Schedule,
    format_offset,
    parse_offsets,
    parse_quiet,
    unreported_todos,
)
from bot.domain.review import RoleKind
from bot.services.reminder_ports import CampaignPlan, ReminderStore
from bot.services.repositories import UnitOfWork
from bot.texts import reminders as t


async def is_bureau(uow: UnitOfWork, person_id: int, admin_ids: Iterable[int]) -> bool:
    """Whether the person is a bureau admin (in an open unit of work)."""
    if person_id in set(admin_ids):
        return True
    return any(g.role is RoleKind.BUREAU for g in await uow.people.grants_of(person_id))


async def require_bureau(uow: UnitOfWork, person_id: int, admin_ids: Iterable[int]) -> None:
    if not await is_bureau(uow, person_id, admin_ids):
        raise NotAllowed(t.NOT_BUREAU)


async def plan_of(store: ReminderStore, campaign_id: int | None = None) -> CampaignPlan:
    """The given campaign, or the current one (the open one, else the newest)."""
    if campaign_id is None:
        current = await store.current_campaign()
        if current is None:
            raise NotFound(t.NO_CAMPAIGN)
        campaign_id = current.id
    plan = await store.plan(campaign_id)
    if plan is None:
        raise NotFound(t.NO_CAMPAIGN)
    return plan


def describe(plan: CampaignPlan) -> str:
    c, s = plan.campaign, plan.schedule
    quiet = (
        t.QUIET_NONE
        if s.quiet_start == s.quiet_end
        else f"{s.quiet_start:%H:%M}-{s.quiet_end:%H:%M}"
    )
    return t.CAMPAIGN_CARD.format(
        id=c.id,
        name=c.name,
        state=t.STATE_OPEN if c.is_open else t.STATE_CLOSED,
        unit_deadline=format_local(c.unit_deadline),
        district_deadline=format_local(c.district_deadline),
        offsets=", ".join(format_offset(o) for o in s.offsets),
        quiet=quiet,
    )


async def extend_deadline(
    store: ReminderStore,
    campaign_id: int,
    kind: DeadlineKind,
    new: datetime,
    now: datetime,
) -> int:
    """Moves a deadline later and records the announcement; returns how many will be told."""
    plan = await plan_of(store, campaign_id)
    c = plan.campaign
    old = c.unit_deadline if kind is DeadlineKind.UNIT else c.district_deadline
    if new <= old:
        raise DomainError(t.EXTEND_NOT_LATER.format(new=format_local(new), old=format_local(old)))
    if new <= now:
        raise DomainError(t.EXTEND_IN_PAST.format(new=format_local(new)))
    unit, district = (new, c.district_deadline) if kind is DeadlineKind.UNIT else (
        c.unit_deadline, new
    )
    if unit >= district:
        raise DomainError(
            t.EXTEND_ORDER.format(unit=format_local(unit), district=format_local(district))
        )
    await store.set_deadline(c.id, kind, new, now)
    people = await concerned(store, c, kind)
    payload = {
        "campaign": c.name,
        "deadline_kind": kind.value,
        "old": old.isoformat(),
        "new": new.isoformat(),
    }
    notices = [
        Notice(
            key=f"e:{c.id}:{kind}@{new:%Y%m%dT%H%M%z}:{person}",
            kind=NoticeKind.EXTENDED,
            recipient_id=person,
            campaign_id=c.id,
            payload=payload,
            due_at=now,
        )
        for person in people
    ]
    await store.add_notices(notices, now)
    await store.commit()
    return len(notices)


async def concerned(store: ReminderStore, campaign: Campaign, kind: DeadlineKind) -> list[int]:
    """Who a change of this deadline concerns: those whose work it bounds.

    Unit deadline: applicants with a draft or a returned form, and unit
    reviewers with applications waiting; district deadline: district
    reviewers with applications waiting or a batch not yet reported.
    """
    people: set[int] = set()
    if kind is DeadlineKind.UNIT:
        people |= {a.person_id for a in await store.open_forms(campaign.id)}
        people |= {todo.recipient_id for todo in await store.unit_pending(campaign.id)}
    else:
        people |= {todo.recipient_id for todo in await store.district_pending(campaign.id)}
        facts = await store.batch_facts(campaign.id)
        unreported = unreported_todos(
            reviewers=facts.reviewers, approved=facts.approved or {}, reported=facts.reported
        )
        people |= {todo.recipient_id for todo in unreported}
    return sorted(people)


async def set_open(store: ReminderStore, campaign_id: int, is_open: bool) -> None:
    await plan_of(store, campaign_id)
    await store.set_open(campaign_id, is_open)
    await store.commit()


async def rename(store: ReminderStore, campaign_id: int, name: str) -> None:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise DomainError(t.BAD_NAME)
    await plan_of(store, campaign_id)
    await store.rename_campaign(campaign_id, name)
    await store.commit()


async def set_schedule(
    store: ReminderStore, campaign_id: int, offsets: str, quiet: str | None = None
) -> Schedule:
    """Stores offsets like `7d,3d,1d,3h` and optionally quiet hours like `22:00-08:00`."""
    plan = await plan_of(store, campaign_id)
    try:
        parsed = parse_offsets(offsets)
        start, end = parse_quiet(quiet) if quiet else (
            plan.schedule.quiet_start, plan.schedule.quiet_end
        )
    except ValueError:
        raise DomainError(t.BAD_OFFSETS) from None
    schedule = Schedule(offsets=parsed, quiet_start=start, quiet_end=end)
    await store.save_schedule(campaign_id, schedule)
    await store.commit()
    return schedule
