"""A person is not a Telegram account: a colleague takes over a reviewer, an applicant moves to a
new phone, and nobody else can take anyone over."""

from __future__ import annotations

import re

from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.offline import OfflineUser, OfflineWorld
from bot.services.accounts import person_of_telegram
from storage.models import Account, Application, ApplicationEvent, PersonEvent
from storage.uow import unit_of_work_factory
from tests.flows.helpers import PORTRAIT, VALID_ID, choose_unit, consent
from tests.flows.review_helpers import (
    APPLICANT,
    BUREAU_ADMIN,
    DISTRICT_REVIEWER,
    UNIT_REVIEWER,
    card_of,
    review_data,
    standard_reviewers,
    submitted_application,
)

LINK = re.compile(r"https://t\.me/cq_expert_bot\?start=(b_[A-Za-z0-9_-]+)")
COLLEAGUE = 2050
NEW_PHONE = 1099


def rebind_link(user: OfflineUser) -> str:
    match = LINK.search(user.last().text)
    assert match, user.last().text
    return match.group(1)


async def link_from_the_district(world: OfflineWorld, who: str = "王单位") -> str:
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/roles")
    assert "您可以为以下人员换绑账号" in district.last().text
    await district.press(f"为 {who} 换绑账号")
    assert "只发给接替 王单位 的人本人" in district.last().text
    return rebind_link(district)


async def attached(sessionmaker, person_id: int) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(Account.external_id).where(
                Account.person_id == person_id, Account.detached_at.is_(None)
            )
        )
        return list(rows)


async def test_a_colleague_takes_over_a_unit_reviewer_and_approves_the_pending_card(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    old = world.user(UNIT_REVIEWER, "单位")
    old_card = card_of(old)
    reviewer = await person_of_telegram(
        unit_of_work_factory(sessionmaker), UNIT_REVIEWER, world.now()
    )

    payload = await link_from_the_district(world)
    colleague = world.user(COLLEAGUE, "接任", username="jieren")
    await colleague.send(f"/start {payload}")
    assert "换绑完成：这个账号现在是 王单位 的账号" in " ".join(colleague.texts())
    assert "已换绑到另一个 Telegram 账号" in old.last().text
    assert "您生成的换绑链接已使用：王单位 的账号已换绑到新账号（@jieren）" in (
        world.user(DISTRICT_REVIEWER, "区县").last().text
    )
    assert await attached(sessionmaker, reviewer) == [str(COLLEAGUE)]

    # The old account is somebody new now: its old card decides nothing.
    await old.press_data(review_data(old)["通过"], old_card)
    assert "无权" in (old.alert or "")
    assert (await _status(sessionmaker)) == "submitted"

    await colleague.send("/pending")
    assert "待您审核的申报：共 1 份" in colleague.last().text
    await colleague.press("#1 张三")
    await colleague.press("通过")
    assert (await _status(sessionmaker)) == "unit_approved"
    assert "您的申报已通过单位审核" in applicant.last().text

    async with sessionmaker() as session:
        actors = (
            await session.scalars(select(ApplicationEvent.actor_id).order_by(ApplicationEvent.id))
        ).all()
        audit = (await session.execute(select(PersonEvent.action, PersonEvent.person_id))).all()
    assert actors[-1] == reviewer, "the decision is the same person's, from the new account"
    assert ("rebind", reviewer) in audit and ("rebind_link", reviewer) in audit

    intruder = world.user(2051, "冒用")
    await intruder.send(f"/start {payload}")
    assert "已经用过或已作废" in intruder.last().text


async def test_an_applicant_on_a_new_phone_moves_mid_form_and_carries_on_at_the_same_field(
    world: OfflineWorld, sessionmaker
) -> None:
    old = world.user(APPLICANT, "三", last_name="张")
    await consent(old)
    await choose_unit(old)
    await old.press("矿山")
    await old.send("张三")
    await old.send(VALID_ID)
    await old.press("确认无误")
    await old.press("汉族")
    assert "照片" in old.last().text
    applicant = await person_of_telegram(unit_of_work_factory(sessionmaker), APPLICANT, world.now())

    new = world.user(NEW_PHONE, "三", last_name="张")
    await new.send("/rebind")
    assert "请输入您申报时填写的身份证号码" in new.last().text
    await new.send("50010319900101999X")
    assert "校验" in new.last().text, "a mistyped number is refused as in the form"
    await new.send(VALID_ID)
    assert "验证码已发到当时使用的 Telegram 账号" in new.last().text
    deleted = [r for r in world.session.requests if type(r).__name__ == "DeleteMessage"]
    assert deleted and deleted[-1].chat_id == NEW_PHONE, "the typed ID number leaves the chat"
    code = re.search(r"验证码：(\d{6})", old.last().text)
    assert code, old.last().text

    await new.send("000000" if code.group(1) != "000000" else "111111")
    assert "验证码不对，还可以再试 4 次" in new.last().text
    await new.send(code.group(1))
    assert "换绑完成：这个账号现在是" in " ".join(new.texts())
    assert "已换绑到另一个 Telegram 账号" in old.last().text
    await new.press("继续填写")
    assert "照片" in new.last().text, "the same field as before"
    await new.send_photo(PORTRAIT)
    assert "照片" not in new.last().text.split("\n")[0]
    assert await attached(sessionmaker, applicant) == [str(NEW_PHONE)]
    async with sessionmaker() as session:
        owner = (await session.scalars(select(Application.person_id))).one()
    assert owner == applicant

    await old.send("/status")
    assert "您还没有申报" in old.last().text or "没有" in old.last().text


async def test_a_code_is_asked_for_an_unknown_id_number_and_nothing_is_told(
    world: OfflineWorld, sessionmaker
) -> None:
    stranger = world.user(1098, "陌生人")
    await stranger.send("/rebind")
    await stranger.send(VALID_ID)
    assert "如果这个身份证号码在本机器人中有申报" in stranger.last().text
    sends = [r for r in world.session.requests if isinstance(r, SendMessage)]
    assert all(r.chat_id == 1098 for r in sends), "no code went anywhere"
    await stranger.send("123456")
    assert "没有待确认的验证码" in stranger.last().text


async def test_an_account_with_its_own_roles_or_forms_cannot_take_anyone_over(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    payload = await link_from_the_district(world)
    busy = world.user(APPLICANT, "三", last_name="张")
    await busy.send(f"/start {payload}")
    assert "已有自己的角色或申报" in busy.last().text
    colleague = world.user(COLLEAGUE, "接任")
    await colleague.send(f"/start {payload}")
    assert "换绑完成" in " ".join(colleague.texts()), "the refusal did not use the link up"


async def test_a_district_reviewer_cannot_move_a_district_reviewer_nor_forge_the_button(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/roles")
    listed = [text for text, _ in district.last().buttons()]
    assert listed == ["为 王单位 换绑账号"], "only the unit reviewers of the district"
    uows = unit_of_work_factory(sessionmaker)
    other = await person_of_telegram(uows, 2101, world.now())  # 交通's reviewer: another district
    await district.press_data(f"rb:{other}")
    assert "无权为此人换绑账号" in (district.alert or "")
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.send("/roles")
    assert "换绑" not in unit.last().text


async def _status(sessionmaker) -> str:
    async with sessionmaker() as session:
        return (await session.scalars(select(Application.status))).one()


async def test_a_new_account_gets_three_codes_a_day(world: OfflineWorld, sessionmaker) -> None:
    await submitted_application(world)
    new = world.user(NEW_PHONE, "三", last_name="张")
    for _ in range(3):
        await new.send("/rebind")
        await new.send(VALID_ID)
        assert "验证码已发到" in new.last().text
    await new.send("/rebind")
    await new.send(VALID_ID)
    assert "次数已达上限" in new.last().text
    codes = [t for t in world.user(APPLICANT).texts() if "验证码：" in t]
    assert len(codes) == 3


async def test_the_bureau_moves_district_reviewers_but_not_an_admin_named_in_the_settings(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/roles")
    assert [text for text, _ in admin.last().buttons()] == ["为 赵区县 换绑账号"]
    me = await person_of_telegram(unit_of_work_factory(sessionmaker), BUREAU_ADMIN, world.now())
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/roles")
    await district.press_data(f"rb:{me}")
    assert "无权为此人换绑账号" in (district.alert or "")
    await admin.press_data(f"rb:{me}")
    assert "配置中的市局管理员" in (admin.alert or "")


async def test_the_bureau_makes_a_link_for_an_applicant_who_lost_the_old_account(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    await world.user(DISTRICT_REVIEWER, "区县").send("/rebind 1")
    assert "无权为此人换绑账号" in world.user(DISTRICT_REVIEWER).last().text
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/rebind 99")
    assert "没有这份申报" in admin.last().text
    await admin.send("/rebind 1")
    assert "只发给接替 张三 的人本人" in admin.last().text
    new = world.user(NEW_PHONE, "三", last_name="张")
    await new.send(f"/start {rebind_link(admin)}")
    assert "换绑完成：这个账号现在是 张三 的账号" in " ".join(new.texts())
    await new.send("/status")
    assert "张三" in new.last().text or "申报" in new.last().text
