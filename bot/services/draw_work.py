"""Use cases after the work: the using unit records hours, rating and fee once; the expert
confirms or disputes. Each owns its unit of work and claims what it tells for the handler to send."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import local
from bot.domain import draws as d
from bot.domain.errors import AlreadyHandled, DomainError, NotAllowed, NotFound
from bot.domain.reminders import DEFAULT_LEASE, Notice, NoticeKind
from bot.services.draw_ports import InvitationRow, RequestRow
from bot.services.draws import Outcome, request_for, to_unit, view_of
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import draws as t


@dataclass(frozen=True, kw_only=True)
class WorkForm:
    hours_tenths: int
    rating: int
    comment: str | None
    fee_fen: int


def format_hours(tenths: int) -> str:
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def format_fee(fen: int) -> str:
    return f"{fen // 100}" if fen % 100 == 0 else f"{fen / 100:.2f}"


async def work_target(
    uows: UnitOfWorkFactory, *, person_id: int, invitation_id: int, now: datetime,
    admin_ids: Iterable[int] = (),
) -> InvitationRow:  # fmt: skip
    """The accepted invitation whose work this unit may record now."""
    async with uows() as uow:
        inv = await uow.draws.invitation(invitation_id)
        if inv is None:
            raise NotFound(t.INVITATION_NOT_FOUND)
        request = await request_for(uow, inv.request_id, person_id, admin_ids, act=True)
        _check_workable(inv, request, now)
        if await uow.draws.work(inv.id) is not None:
            raise AlreadyHandled(t.WORK_ALREADY)
        return inv


def _check_workable(inv: InvitationRow, request: RequestRow, now: datetime) -> None:
    if inv.status != d.IS.ACCEPTED:
        raise DomainError(t.WORK_NOT_ACCEPTED)
    if local(now).date() < request.days[0]:
        raise DomainError(t.WORK_TOO_EARLY.format(day=request.days[0].isoformat()))


async def record_work(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    invitation_id: int,
    work: WorkForm,
    now: datetime,
    holder: str,
    admin_ids: Iterable[int] = (),
    lease: timedelta = DEFAULT_LEASE,
) -> Outcome:
    """The unit records hours, rating and fee once; the expert is asked to confirm."""
    if not 1 <= work.rating <= 5 or work.hours_tenths <= 0 or work.fee_fen < 0:
        raise DomainError(t.BAD_HOURS)
    async with uows() as uow:
        inv = await uow.draws.invitation(invitation_id)
        if inv is None:
            raise NotFound(t.INVITATION_NOT_FOUND)
        request = await request_for(uow, inv.request_id, person_id, admin_ids, act=True)
        _check_workable(inv, request, now)
        if not await uow.draws.add_work(
            invitation_id=inv.id, hours_tenths=work.hours_tenths, rating=work.rating,
            comment=work.comment, fee_fen=work.fee_fen, by=person_id, now=now,
        ):  # fmt: skip
            raise AlreadyHandled(t.WORK_ALREADY)
        await uow.draws.add_event(
            request_id=request.id, invitation_id=inv.id, action="work",
            detail={"hours_tenths": work.hours_tenths, "rating": work.rating,
                    "fee_fen": work.fee_fen, "comment": work.comment},
            actor_id=person_id, now=now,
        )  # fmt: skip
        unit = await uow.draws.using_unit(request.using_unit_id)
        assert unit is not None
        notice = Notice(
            key=f"iw:{inv.id}", kind=NoticeKind.DRAW, recipient_id=inv.person_id,
            payload={"what": "work", "invitation_id": inv.id, "unit": unit.name,
                     "project": request.project, "hours": format_hours(work.hours_tenths),
                     "rating": work.rating, "fee": format_fee(work.fee_fen),
                     "comment": work.comment or ""},
        )  # fmt: skip
        claimed = await uow.campaigns.claim([notice], now, lease, holder)
        view = await view_of(uow, request, may_act=True, now=now)
        await uow.commit()
    text = t.WORK_RECORDED.format(
        name=inv.name, hours=format_hours(work.hours_tenths), rating=work.rating,
        fee=format_fee(work.fee_fen),
    )  # fmt: skip
    return Outcome(view=view, text=text, claimed=claimed)


async def answer_work(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    invitation_id: int,
    confirm: bool,
    note: str | None,
    now: datetime,
    holder: str,
    lease: timedelta = DEFAULT_LEASE,
) -> Outcome:
    """The expert confirms or disputes the record, once; the unit is told."""
    async with uows() as uow:
        inv = await uow.draws.invitation(invitation_id)
        if inv is None or inv.person_id != person_id:
            raise NotAllowed(t.NOT_YOUR_WORK)
        request = await uow.draws.request(inv.request_id)
        assert request is not None
        answer = d.WorkAnswer.CONFIRMED if confirm else d.WorkAnswer.DISPUTED
        if not await uow.draws.answer_work(inv.id, answer, note, now):
            raise AlreadyHandled(t.WORK_ANSWERED)
        await uow.draws.add_event(
            request_id=request.id, invitation_id=inv.id, action=f"work_{answer.value}",
            detail={"note": note} if note else {}, actor_id=person_id, now=now,
        )  # fmt: skip
        notices = await to_unit(uow, request, f"wa:{inv.id}", {
            "what": "work_answer", "name": inv.name, "answer": answer.value, "note": note or "",
        })  # fmt: skip
        claimed = await uow.campaigns.claim(notices, now, lease, holder)
        await uow.commit()
    return Outcome(text=t.WORK_CONFIRMED_OWN if confirm else t.WORK_DISPUTED_OWN, claimed=claimed)


async def work_of_expert(uows: UnitOfWorkFactory, *, person_id: int, invitation_id: int) -> None:
    """The person's own work record, not answered yet: checked before asking what is wrong."""
    async with uows() as uow:
        inv = await uow.draws.invitation(invitation_id)
        work = await uow.draws.work(invitation_id) if inv else None
    if inv is None or work is None or inv.person_id != person_id:
        raise NotAllowed(t.NOT_YOUR_WORK)
    if work.answer is not None:
        raise AlreadyHandled(t.WORK_ANSWERED)


