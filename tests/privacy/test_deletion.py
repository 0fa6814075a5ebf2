"""/delete_my_data: told what is kept and why; drafts go at once, applications under review are withdrawn and erased."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.offline import OfflineWorld
from storage.models import Application, ApplicationEvent, ConsentRecord, Person, Photo
from tests.flows.helpers import choose_unit, consent
from tests.flows.review_helpers import (
    UNIT_REVIEWER,
    card_of,
    standard_reviewers,
    submitted_application,
)
from tests.privacy.helpers import SECRETS, dump
from tests.support.people import met_person


async def test_a_draft_is_deleted_at_once_and_consent_is_asked_again(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.press("矿山")
    await user.send("张三")
    await user.send("/delete_my_data")
    plan = user.last().text
    assert "删除未提交的草稿 1 份" in plan and "6 个月" in plan and "《网络安全法》" in plan
    await user.press("确认删除")
    assert "删除草稿 1 份" in user.last().text
    me = await met_person(sessionmaker, 1001)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Application)) == 0
        assert (await session.get(Person, me)).consent_version is None
        actions = (await session.execute(select(ConsentRecord.action).order_by(ConsentRecord.id))).scalars()
        assert list(actions) == ["agree", "withdraw"]
    await user.send("/start")
    assert "个人信息处理告知" in user.last().text


async def test_an_application_under_review_is_withdrawn_erased_and_reviewers_told(
    world: OfflineWorld, sessionmaker, engine
) -> None:
    await standard_reviewers(sessionmaker)
    user = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    card = card_of(unit)
    await user.send("/delete_my_data")
    assert "撤回正在审核的申报 1 份" in user.last().text
    await user.press("确认删除")
    assert "撤回申报 1 份" in user.last().text
    assert "撤回" in card.text and card.buttons() == []
    me = await met_person(sessionmaker, user.id)
    async with sessionmaker() as session:
        app = (await session.execute(select(Application))).scalar_one()
        assert (app.status, app.name, app.id_number, app.mobile) == ("withdrawn", "张三", None, None)
        assert app.purged_at is not None
        assert await session.get(Photo, app.id) is None
        events = (await session.execute(select(ApplicationEvent).order_by(ApplicationEvent.id))).scalars().all()
        assert [e.action for e in events] == ["submit", "withdraw", "erase"]
        assert all(e.changes is None for e in events) and events[-1].actor_id == me
    stored = await dump(engine)
    assert not any(secret in stored for secret in SECRETS)


async def test_cancel_deletes_nothing(world: OfflineWorld, sessionmaker) -> None:
    await submitted_application(world)
    user = world.user(1001, "三", last_name="张")
    await user.send("/delete_my_data")
    await user.press("取消")
    async with sessionmaker() as session:
        assert (await session.execute(select(Application.status))).scalar_one() == "submitted"


async def test_the_searches_kept_beside_the_conversation_go_with_it(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """/experts keeps each listing's search (experts' names) in an FSM record of its own, beside
    the conversation; deleting one's data cleared the conversation and kept the names searched."""
    from tests.flows.review_helpers import BUREAU_ADMIN
    from tests.flows.test_experts_filters import appointed
    from tests.privacy.helpers import raw_rows

    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/experts 李矿山")
    assert "共 1 人" in admin.last().text

    async def kept() -> str:
        rows = await raw_rows(sessionmaker, "SELECT data FROM fsm_state")
        return str([json.loads(data) if isinstance(data, str) else data for data, in rows])

    assert "李矿山" in await kept()
    await admin.send("/delete_my_data")
    await admin.press("确认删除")
    assert "李矿山" not in await kept()
