"""An expert who leaves service (解聘, 确认退出, 不予续聘) leaves their draws too: each invitation
still holding days ends in the move's unit of work, the days are freed, the using unit is told
and the next in the reserve invited; a stale answer afterwards is refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.clock import TZ
from bot.domain.errors import NotAllowed
from bot.services import draw_notices, draws, experts
from storage.models import Booking, Reminder
from tests.flows.test_draws import EXPERTS, FILED_AT, service_side, using_unit
from tests.support.experts import Spec, appointed

LEFT_AT = datetime(2022, 12, 1, 15, 0, tzinfo=TZ)
"""Before the reply deadline (2022-12-02 10:00) and the work (2022-12-10)."""


@pytest.fixture
async def drawn(sessionmaker, clock):
    """A request for one 矿山 expert, drawn: (uows, the unit's person, the invitation)."""
    clock.at = FILED_AT
    await using_unit(sessionmaker, clock)
    await appointed(
        sessionmaker, *(Spec(tid, name, unit_code=code) for tid, (name, code) in EXPERTS.items())
    )
    uows, user, form = await service_side(sessionmaker, wanted=1)
    view = await draws.file_request(uows, person_id=user, form=form, now=clock.now())
    done = await draws.draw(
        uows, person_id=user, request_id=view.request.id, now=clock.now(), holder="h"
    )
    (invitation,) = done.view.invitations
    return uows, user, invitation


async def outbox(sessionmaker) -> dict[int, list[str]]:
    """The draw notices waiting in the outbox, as text, per recipient."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Reminder.recipient_id, Reminder.payload).where(Reminder.kind == "draw")
        )
        found: dict[int, list[str]] = {}
        for recipient, payload in rows:
            found.setdefault(recipient, []).append(draw_notices.draw_text(payload))
        return found


async def booked(sessionmaker) -> dict[int, int]:
    async with sessionmaker() as session:
        rows = await session.execute(select(Booking.invitation_id, Booking.expert_id))
        return dict(rows.all())


async def assert_left_and_reserve_invited(sessionmaker, uows, user: int, first) -> None:
    async with uows() as uow:
        invitations = await uow.draws.invitations(first.request_id)
    left, reserve = invitations
    assert (left.expert_id, left.status) == (first.expert_id, "left")
    assert reserve.status == "invited" and reserve.expert_id != first.expert_id
    assert await booked(sessionmaker) == {reserve.id: reserve.expert_id}, "the leaver's day is free"
    told = await outbox(sessionmaker)
    assert (
        f"第 1 号申请：{first.name} 已不再担任专家。已依次邀请备选专家 {reserve.name}。" in told[user]
    )
    assert any(text.startswith("【专家邀请】") for text in told[reserve.person_id])


async def test_dismissal_ends_a_pending_invitation_and_invites_the_reserve(
    sessionmaker, drawn
) -> None:
    uows, user, first = drawn
    await experts.dismiss(
        uows, expert_id=first.expert_id, reason="违反纪律", by=None, now=LEFT_AT
    )
    await assert_left_and_reserve_invited(sessionmaker, uows, user, first)


async def test_dismissal_frees_an_accepted_booking_and_invites_the_reserve(
    sessionmaker, drawn
) -> None:
    uows, user, first = drawn
    await draws.answer_invitation(
        uows, person_id=first.person_id, invitation_id=first.id, accept=True, reason=None,
        now=FILED_AT, holder="h",
    )  # fmt: skip
    await experts.dismiss(
        uows, expert_id=first.expert_id, reason="违反纪律", by=None, now=LEFT_AT
    )
    await assert_left_and_reserve_invited(sessionmaker, uows, user, first)


async def test_a_confirmed_withdrawal_ends_the_invitation_as_a_dismissal_does(
    sessionmaker, drawn
) -> None:
    uows, user, first = drawn
    await experts.ask_withdrawal(uows, person_id=first.person_id, reason="工作调动", now=FILED_AT)
    await experts.confirm_withdrawal(uows, expert_id=first.expert_id, by=None, now=LEFT_AT)
    await assert_left_and_reserve_invited(sessionmaker, uows, user, first)


async def test_an_answer_after_leaving_is_refused_and_changes_nothing(sessionmaker, drawn) -> None:
    uows, _, first = drawn
    await experts.dismiss(
        uows, expert_id=first.expert_id, reason="违反纪律", by=None, now=LEFT_AT
    )
    before = await booked(sessionmaker)
    for accept in (True, False):
        with pytest.raises(NotAllowed, match="不再担任专家库专家"):
            await draws.answer_invitation(
                uows, person_id=first.person_id, invitation_id=first.id, accept=accept,
                reason=None, now=LEFT_AT, holder="h",
            )  # fmt: skip
    async with uows() as uow:
        assert (await uow.draws.invitation(first.id)).status == "left"
    assert await booked(sessionmaker) == before



async def test_not_renewed_keeps_their_invitations_to_the_terms_last_day(
    sessionmaker, clock
) -> None:
    """QA: 不予续聘 ended the expert's invitations the day it was decided, though they serve to
    the term's last day. Terms here end 2022-12-31: the accepted work of 2022-12-10 stays, and
    the expert leaves the pool only after the term."""
    from datetime import date

    from bot.domain.registry import Rating

    clock.at = FILED_AT
    await using_unit(sessionmaker, clock)
    await appointed(
        sessionmaker,
        *(Spec(tid, name, unit_code=code, ends_on=date(2022, 12, 31)) for tid, (name, code) in EXPERTS.items()),
    )  # fmt: skip
    uows, user, form = await service_side(sessionmaker, wanted=1)
    view = await draws.file_request(uows, person_id=user, form=form, now=clock.now())
    done = await draws.draw(uows, person_id=user, request_id=view.request.id, now=clock.now(), holder="h")  # fmt: skip
    (first,) = done.view.invitations
    await draws.answer_invitation(
        uows, person_id=first.person_id, invitation_id=first.id, accept=True, reason=None,
        now=FILED_AT, holder="h",
    )  # fmt: skip
    await experts.record_evaluation(
        uows, expert_id=first.expert_id, year=2022, rating=Rating.PASS, term=True, health="健康",
        by=None, now=LEFT_AT,
    )  # fmt: skip
    await experts.not_renew(uows, expert_id=first.expert_id, reason="本人年事已高", by=None, now=LEFT_AT)  # fmt: skip

    async with uows() as uow:
        assert (await uow.draws.invitation(first.id)).status == "accepted"
        pool = await uow.draws.candidates(["矿山"], [date(2022, 12, 20)])
    assert await booked(sessionmaker) == {first.id: first.expert_id}
    assert first.expert_id in {c.expert_id for c in pool}
    assert await experts.end_terms(uows, datetime(2023, 1, 1, 9, 0, tzinfo=TZ)) == len(EXPERTS)
    async with uows() as uow:
        assert (await uow.registry.expert(first.expert_id)).standing == "ended"
        assert (await uow.draws.invitation(first.id)).status == "accepted", "the work was done"
