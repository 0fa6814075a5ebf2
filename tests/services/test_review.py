"""Review and role use cases on a real database: each opens its own unit of work and returns what to send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.clock import TZ
from bot.domain.errors import AlreadyHandled, DeadlinePassed, NotAllowed
from bot.domain.review import Decision, Grant, ReviewLevel, RoleKind
from bot.offline import OfflineWorld
from bot.services import review, roles
from bot.services.transaction import unit_of_work_open
from storage.models import AccessLog, ApplicationEvent, Invite, Unit
from storage.uow import unit_of_work_factory
from tests.flows.review_helpers import (
    APPLICANT,
    DISTRICT_REVIEWER,
    UNIT_REVIEWER,
    application,
    standard_reviewers,
    submitted_application,
)
from tests.support.people import is_unreachable, met_person, person

NOW = datetime(2022, 9, 20, 10, 0, tzinfo=TZ)


@pytest.fixture
async def submitted(world: OfflineWorld, sessionmaker):
    """A submitted application (its cards already sent), and a `uows` on the same database."""
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    return await application(sessionmaker), unit_of_work_factory(sessionmaker)


@dataclass(frozen=True)
class People:
    """Person ids of the applicant and the reviewers of the submitted application."""

    applicant: int
    unit: int
    district: int


@pytest.fixture
async def who(submitted, sessionmaker) -> People:
    return People(
        applicant=await met_person(sessionmaker, APPLICANT),
        unit=await met_person(sessionmaker, UNIT_REVIEWER),
        district=await met_person(sessionmaker, DISTRICT_REVIEWER),
    )


async def approve(uows, app_id: int, version: int, actor_id: int, **kw):
    return await review.decide(
        uows,
        app_id=app_id,
        version=version,
        level=kw.pop("level", ReviewLevel.UNIT),
        decision=kw.pop("decision", Decision.APPROVE),
        actor_id=actor_id,
        actor_name="王单位",
        admin_ids=(),
        reason=kw.pop("reason", None),
        now=kw.pop("now", NOW),
    )


async def event_count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return (
            await session.execute(select(func.count()).select_from(ApplicationEvent))
        ).scalar_one()


async def test_unit_approval_hands_back_the_cards_to_close_and_the_district_card(
    submitted, who: People, sessionmaker
) -> None:
    app, uows = submitted
    outcome = await approve(uows, app.id, app.version, who.unit)
    assert not unit_of_work_open.get()
    assert [chat for chat, _ in outcome.closed_cards] == [UNIT_REVIEWER]  # the Telegram chat
    assert outcome.after.status.value == "unit_approved"
    assert outcome.next_cards is not None
    assert list(outcome.next_cards.person_ids) == [who.district]
    assert outcome.next_cards.card.level is ReviewLevel.DISTRICT
    assert outcome.next_cards.photo


async def test_the_closed_cards_are_forgotten_in_the_same_transaction(
    submitted, who: People
) -> None:
    app, uows = submitted
    await approve(uows, app.id, app.version, who.unit)
    withdrawal = await review.withdraw_cards(uows, app, app.status)
    assert withdrawal.closed_cards == []


async def test_second_press_on_the_same_version_reports_who_was_first(
    submitted, who: People, sessionmaker
) -> None:
    app, uows = submitted
    await approve(uows, app.id, app.version, who.unit)
    with pytest.raises(AlreadyHandled, match="已由 王单位 于 2022-09-20 10:00 审核通过"):
        await approve(uows, app.id, app.version, who.unit)
    assert await event_count(sessionmaker) == 2


async def test_a_refused_decision_writes_nothing(submitted, who: People, sessionmaker) -> None:
    app, uows = submitted
    with pytest.raises(DeadlinePassed):
        await approve(uows, app.id, app.version, who.unit, now=datetime(2022, 10, 1, tzinfo=TZ))
    with pytest.raises(NotAllowed):
        await approve(uows, app.id, app.version, actor_id=who.applicant)
    assert (await application(sessionmaker)).status == "submitted"
    assert await event_count(sessionmaker) == 1
    assert len((await review.withdraw_cards(uows, app, app.status)).closed_cards) == 1


async def test_deliveries_are_recorded_after_the_sends(
    submitted, who: People, sessionmaker
) -> None:
    app, uows = submitted
    await review.record_deliveries(
        uows, app_id=app.id, cards=[(who.district, 77)], unreachable=[who.applicant], now=NOW
    )
    outcome = await approve(uows, app.id, app.version, who.unit)
    assert (DISTRICT_REVIEWER, 77) in outcome.closed_cards  # in the district reviewer's chat
    assert await is_unreachable(sessionmaker, APPLICANT) is True


async def test_a_reviewer_who_may_not_decide_gets_the_full_text_and_the_view_is_logged(
    submitted, who: People, sessionmaker
) -> None:
    app, uows = submitted
    opened = await review.open_card(
        uows, app_id=app.id, actor_id=who.district, admin_ids=(), now=NOW
    )
    assert (opened.can_decide, opened.nudge, opened.photo) == (False, True, None)
    mine = await review.open_card(uows, app_id=app.id, actor_id=who.unit, admin_ids=(), now=NOW)
    assert mine.can_decide and mine.photo
    async with sessionmaker() as session:
        rows = (await session.execute(select(AccessLog.actor_id, AccessLog.action))).all()
    assert [tuple(r) for r in rows] == [(who.district, "view_full_record")]


async def test_a_new_unit_and_its_invite_are_stored_together_or_not_at_all(
    submitted, who: People, sessionmaker
) -> None:
    _, uows = submitted
    added = await roles.add_unit_and_invite(
        uows,
        person_id=who.district,
        admin_ids=(),
        district_id=(await roles.find_target(uows, RoleKind.DISTRICT, "500106")).district_id,
        name="重庆师范大学",
        kind="高等院校",
        now=NOW,
    )
    assert len(added.unit.code) == 8 and added.invite.grant.unit_id == added.unit.id
    with pytest.raises(NotAllowed, match="已有名为“重庆大学”的单位"):
        await roles.add_unit_and_invite(
            uows,
            person_id=who.district,
            admin_ids=(),
            district_id=added.unit.district_id,
            name="重庆大学",
            kind="高等院校",
            now=NOW,
        )
    async with sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(Invite))).scalar_one() == 1
        names = (await session.execute(select(Unit.name))).scalars().all()
    assert names.count("重庆大学") == 1


async def test_accepting_an_invite_returns_every_role_now_held(submitted, who: People) -> None:
    _, uows = submitted
    target = await roles.find_target(uows, RoleKind.UNIT, "CQU001")
    assert target is not None
    invite = await roles.create_invite(uows, inviter_id=None, target=target, now=NOW)
    accepted = await roles.accept_invite(
        uows, invite.token, person_id=who.district, full_name="赵区县", admin_ids=(), now=NOW
    )
    assert accepted.grant.unit_name == "重庆大学" and not accepted.already_held
    assert [g.role for g in accepted.menu.grants] == [RoleKind.DISTRICT, RoleKind.UNIT]
    with pytest.raises(NotAllowed):
        await roles.accept_invite(
            uows,
            invite.token,
            person_id=await person(uows, 5),
            full_name="又一个",
            admin_ids=(),
            now=NOW,
        )


async def test_only_reviewers_have_a_pending_list(submitted, who: People) -> None:
    _, uows = submitted
    page = await review.pending(uows, person_id=who.unit, admin_ids=(), page=0, now=NOW)
    assert page.total == 1
    with pytest.raises(NotAllowed, match="您还没有审核权限"):
        await review.pending(uows, person_id=who.applicant, admin_ids=(), page=0, now=NOW)
    admin = await person(uows, 900)  # BUREAU_ADMIN_IDS of the settings
    assert Grant(role=RoleKind.BUREAU) in await roles.roles_of(uows, admin, (admin,))
    bureau = await review.pending(uows, person_id=admin, admin_ids=(admin,), page=0, now=NOW)
    assert bureau.total == 0, "a submitted application waits for the unit, not the bureau"
