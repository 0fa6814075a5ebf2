"""Use cases of the bureau: see and change a campaign, its deadlines and its reminder schedule.

Extending a deadline is one action: the new moment is stored together with
an announcement to everyone it concerns, recorded in the reminder outbox in
the same transaction, so the next reminder pass sends it exactly like a
reminder (rate-limited, once). Slots of the new deadline that had already
passed at the moment of extension never fire.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.clock import format_local
from bot.domain.application import Campaign
from bot.domain.errors import DomainError, NotAllowed, NotFound
from bot.domain.parsers import clean_text, same_text
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
from bot.services.ports import UnitRow
from bot.services.reminder_ports import CampaignPlan
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.texts import reminders as t


async def is_bureau(uow: UnitOfWork, person_id: int, admin_ids: Iterable[int]) -> bool:
    """Whether the person is a bureau admin (in an open unit of work)."""
    if person_id in set(admin_ids):
        return True
    return any(g.role is RoleKind.BUREAU for g in await uow.people.grants_of(person_id))


async def require_bureau(uow: UnitOfWork, person_id: int, admin_ids: Iterable[int]) -> None:
    if not await is_bureau(uow, person_id, admin_ids):
        raise NotAllowed(t.NOT_BUREAU)


@dataclass(frozen=True)
class Extended:
    """A campaign after its deadlines moved, and how many people the outbox will tell."""

    plan: CampaignPlan
    told: int


async def _authorize(uow: UnitOfWork, actor_id: int | None, admin_ids: Iterable[int]) -> None:
    """Bureau admins only; `actor_id` None is the operator's command line."""
    if actor_id is not None:
        await require_bureau(uow, actor_id, admin_ids)


async def plan_of(uow: UnitOfWork, campaign_id: int | None = None) -> CampaignPlan:
    """The given campaign, or the current one (the open one, else the newest), in an open unit of work."""
    if campaign_id is None:
        current = await uow.campaigns.current_campaign()
        if current is None:
            raise NotFound(t.NO_CAMPAIGN)
        campaign_id = current.id
    plan = await uow.campaigns.plan(campaign_id)
    if plan is None:
        raise NotFound(t.NO_CAMPAIGN)
    return plan


async def show(
    uows: UnitOfWorkFactory,
    campaign_id: int | None = None,
    *,
    actor_id: int | None = None,
    admin_ids: Iterable[int] = (),
) -> CampaignPlan:
    """The campaign with its schedule, for a bureau admin or the command line."""
    async with uows() as uow:
        await _authorize(uow, actor_id, admin_ids)
        return await plan_of(uow, campaign_id)


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
    uows: UnitOfWorkFactory,
    changes: Mapping[DeadlineKind, datetime],
    now: datetime,
    *,
    campaign_id: int | None = None,
    actor_id: int | None = None,
    admin_ids: Iterable[int] = (),
) -> Extended:
    """Moves deadlines later and records their announcements, all or none.

    The district deadline moves first, so that a unit deadline moved past the
    old district deadline is valid when both move.
    """
    told = 0
    async with uows() as uow:
        await _authorize(uow, actor_id, admin_ids)
        campaign_id = (await plan_of(uow, campaign_id)).campaign.id
        for kind in sorted(changes, key=lambda k: k is DeadlineKind.UNIT):
            told += await _extend(uow, campaign_id, kind, changes[kind], now)
        plan = await plan_of(uow, campaign_id)
        await uow.commit()
    return Extended(plan, told)


async def _extend(
    uow: UnitOfWork, campaign_id: int, kind: DeadlineKind, new: datetime, now: datetime
) -> int:
    plan = await plan_of(uow, campaign_id)
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
    await uow.campaigns.set_deadline(c.id, kind, new, now)
    people = await concerned(uow, c, kind)
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
    await uow.campaigns.add_notices(notices, now)
    return len(notices)


async def concerned(uow: UnitOfWork, campaign: Campaign, kind: DeadlineKind) -> list[int]:
    """Who a change of this deadline concerns: those whose work it bounds.

    Unit deadline: applicants with a draft or a returned form, and unit
    reviewers with applications waiting; district deadline: district
    reviewers with applications waiting or a batch not yet reported.
    """
    apps = uow.applications
    people: set[int] = set()
    if kind is DeadlineKind.UNIT:
        people |= {a.person_id for a in await apps.open_forms(campaign.id)}
        people |= {todo.recipient_id for todo in await apps.unit_pending(campaign.id)}
    else:
        people |= {todo.recipient_id for todo in await apps.district_pending(campaign.id)}
        facts = await apps.batch_facts(campaign.id)
        unreported = unreported_todos(
            reviewers=facts.reviewers, approved=facts.approved or {}, reported=facts.reported
        )
        people |= {todo.recipient_id for todo in unreported}
    return sorted(people)


async def set_open(
    uows: UnitOfWorkFactory,
    is_open: bool,
    *,
    campaign_id: int | None = None,
    actor_id: int | None = None,
    admin_ids: Iterable[int] = (),
) -> CampaignPlan:
    """Opens or closes the campaign (closed: no submissions, no reminders); returns it as it now is."""

    async def change(uow: UnitOfWork, plan: CampaignPlan) -> None:
        await uow.campaigns.set_open(plan.campaign.id, is_open)

    return await _change(uows, change, campaign_id, actor_id, admin_ids)


async def _change(
    uows: UnitOfWorkFactory,
    change: Callable[[UnitOfWork, CampaignPlan], Awaitable[None]],
    campaign_id: int | None,
    actor_id: int | None,
    admin_ids: Iterable[int],
) -> CampaignPlan:
    """One bureau admin's change to a campaign, in one unit of work; returns the campaign as it now is."""
    async with uows() as uow:
        await _authorize(uow, actor_id, admin_ids)
        plan = await plan_of(uow, campaign_id)
        await change(uow, plan)
        plan = await plan_of(uow, plan.campaign.id)
        await uow.commit()
    return plan


MAX_NAME = 100
"""Characters of a campaign's name: it heads every reminder and export."""


async def rename(
    uows: UnitOfWorkFactory,
    name: str,
    *,
    campaign_id: int | None = None,
    actor_id: int | None = None,
    admin_ids: Iterable[int] = (),
) -> CampaignPlan:
    """Renames the campaign; the name is cleaned like every free text and bounded."""
    try:
        name = clean_text(name)
    except ValueError:
        raise DomainError(t.BAD_NAME) from None
    if len(name) > MAX_NAME:
        raise DomainError(t.BAD_NAME)

    async def change(uow: UnitOfWork, plan: CampaignPlan) -> None:
        await uow.campaigns.rename_campaign(plan.campaign.id, name)

    return await _change(uows, change, campaign_id, actor_id, admin_ids)


async def set_schedule(
    uows: UnitOfWorkFactory,
    offsets: str,
    quiet: str | None = None,
    *,
    campaign_id: int | None = None,
    actor_id: int | None = None,
    admin_ids: Iterable[int] = (),
) -> CampaignPlan:
    """Stores offsets like `7d,3d,1d,3h` and optionally quiet hours like `22:00-08:00`."""

    async def change(uow: UnitOfWork, plan: CampaignPlan) -> None:
        try:
            parsed = parse_offsets(offsets)
            start, end = parse_quiet(quiet) if quiet else (
                plan.schedule.quiet_start, plan.schedule.quiet_end
            )
        except ValueError:
            raise DomainError(t.BAD_OFFSETS) from None
        schedule = Schedule(offsets=parsed, quiet_start=start, quiet_end=end)
        await uow.campaigns.save_schedule(plan.campaign.id, schedule)

    return await _change(uows, change, campaign_id, actor_id, admin_ids)


# the operator's command line ----------------------------------------------------------------


async def create_campaign(
    uows: UnitOfWorkFactory,
    *,
    name: str,
    unit_deadline: datetime,
    district_deadline: datetime,
    now: datetime,
) -> int:
    """Opens a new campaign; returns its id."""
    async with uows() as uow:
        campaign_id = await uow.campaigns.add_campaign(
            name=name, unit_deadline=unit_deadline, district_deadline=district_deadline, now=now
        )
        await uow.commit()
    return campaign_id


async def all_campaigns(uows: UnitOfWorkFactory) -> Sequence[Campaign]:
    """Every campaign, oldest first."""
    async with uows() as uow:
        return await uow.campaigns.campaigns()


async def add_unit(
    uows: UnitOfWorkFactory, *, district_code: str, name: str, kind: str, code: str, now: datetime
) -> UnitRow | None:
    """Registers a unit in the district; None when the district already has one of that name."""
    async with uows() as uow:
        district = await uow.campaigns.district_by_code(district_code)
        assert district is not None, "every district of the vocabulary is stored by the migrations"
        if any(same_text(u.name, name) for u in await uow.campaigns.units_in(district.id)):
            return None
        unit = await uow.campaigns.add_unit(
            code=code, name=name, kind=kind, district_id=district.id, now=now
        )
        await uow.commit()
    return unit


async def all_units(uows: UnitOfWorkFactory) -> list[UnitRow]:
    """Every unit, district by district."""
    async with uows() as uow:
        return [u for d in await uow.campaigns.districts() for u in await uow.campaigns.units_in(d.id)]
