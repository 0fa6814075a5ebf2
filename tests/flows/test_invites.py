"""Roles come from invite links: one use, an expiry, and nothing for a made-up token."""

from __future__ import annotations

import re

from aiogram.methods import SetMyCommands
from sqlalchemy import select

from bot.clock import FixedClock
from bot.domain.review import RoleKind
from bot.offline import OfflineUser, OfflineWorld
from storage.models import Invite, Role, Unit
from tests.flows.review_helpers import BUREAU_ADMIN, DISTRICT_REVIEWER, grant, last_answer
from tests.support.people import met_person

LINK = re.compile(r"https://t\.me/cq_expert_bot\?start=(i_[A-Za-z0-9_-]+)")


def link_in(user: OfflineUser) -> str:
    match = LINK.search(user.last().text)
    assert match, user.last().text
    return match.group(1)


async def district_invite(world: OfflineWorld) -> str:
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/invite")
    assert "请选择要邀请审核人的区县" in admin.last().text
    await admin.press("下一页")
    await admin.press("上一页")
    await admin.press("沙坪坝区")
    assert "沙坪坝区区县审核人" in admin.last().text and "只能使用一次" in admin.last().text
    return link_in(admin)


async def roles_in_db(sessionmaker) -> list[tuple[int, str]]:
    async with sessionmaker() as session:
        rows = (await session.execute(select(Role.person_id, Role.role).order_by(Role.id))).all()
        return [tuple(r) for r in rows]


async def test_invite_link_grants_the_district_role_once(world: OfflineWorld, sessionmaker) -> None:
    payload = await district_invite(world)
    newcomer = world.user(3005, "区县新人")
    await newcomer.send(f"/start {payload}")
    assert "您已成为沙坪坝区区县审核人" in newcomer.last().text
    admin = world.user(BUREAU_ADMIN, "局长")
    assert "区县新人（Telegram ID 3005）已通过您的邀请成为沙坪坝区区县审核人" in admin.last().text
    menus = [r for r in world.session.requests if isinstance(r, SetMyCommands)]
    assert menus[-1].scope.chat_id == 3005
    assert {c.command for c in menus[-1].commands} >= {"pending", "applications", "invite", "roles"}
    await newcomer.send("/roles")
    assert "沙坪坝区区县审核人" in newcomer.last().text

    intruder = world.user(3006, "冒用者")
    await intruder.send(f"/start {payload}")
    assert "已被使用过" in intruder.last().text
    assert await roles_in_db(sessionmaker) == [(await met_person(sessionmaker, 3005), "district")]
    async with sessionmaker() as session:
        stored = (await session.execute(select(Invite.token_hash))).scalar_one()
    assert payload[2:] not in stored and len(stored) == 64


async def test_a_bureau_admin_invites_a_bureau_reviewer_and_nobody_else_may(
    world: OfflineWorld, sessionmaker
) -> None:
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/invite")
    await admin.press("邀请市局审核人（资格审核）")
    assert "邀请链接（市局审核人（资格审核））" in admin.last().text
    payload = link_in(admin)
    reviewer = world.user(4005, "钱科员")
    await reviewer.send(f"/start {payload}")
    assert "您已成为市局审核人（资格审核）" in reviewer.last().text
    assert "钱科员（Telegram ID 4005）已通过您的邀请成为市局审核人（资格审核）" in admin.last().text
    menus = [r for r in world.session.requests if isinstance(r, SetMyCommands)]
    assert menus[-1].scope.chat_id == 4005
    commands = {c.command for c in menus[-1].commands}
    assert {"pending", "applications", "history", "roles"} <= commands
    assert not commands & {"export", "report", "invite", "audit"}
    assert await roles_in_db(sessionmaker) == [(await met_person(sessionmaker, 4005), "bureau_rv")]

    await grant(sessionmaker, DISTRICT_REVIEWER, "赵区县", RoleKind.DISTRICT, "500106")
    for telegram_id in (4005, DISTRICT_REVIEWER):
        someone = world.user(telegram_id, "某人")
        await someone.send("/roles")
        await someone.press_data("iv:bureau_rv:0", someone.last())
        assert last_answer(world) == "您无权为该区县或单位发出邀请。"
    async with sessionmaker() as session:
        assert len((await session.execute(select(Invite))).all()) == 1


async def test_expired_and_made_up_links_grant_nothing(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    payload = await district_invite(world)
    clock.advance(days=8)
    late = world.user(3007, "迟到者")
    await late.send(f"/start {payload}")
    assert "该邀请链接已于 2022-09-27 10:00 过期" in late.last().text
    await late.send("/start i_madeUpTokenThatDoesNotExist")
    assert "该邀请链接无效" in late.last().text
    await late.send("/start i_x")
    assert "该邀请链接无效" in late.last().text
    assert await roles_in_db(sessionmaker) == []


async def test_revoked_link_grants_nothing(world: OfflineWorld, sessionmaker) -> None:
    payload = await district_invite(world)
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.press("撤销此邀请")
    assert "该邀请已撤销" in admin.last().text
    late = world.user(3008, "来晚了")
    await late.send(f"/start {payload}")
    assert "已被撤销" in late.last().text
    assert await roles_in_db(sessionmaker) == []


async def test_district_reviewer_creates_a_unit_and_invites_its_reviewer(
    world: OfflineWorld, sessionmaker
) -> None:
    await grant(sessionmaker, DISTRICT_REVIEWER, "赵区县", RoleKind.DISTRICT, "500106")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/invite")
    assert "沙坪坝区：请选择要邀请审核人的单位" in district.last().text
    await district.press("新增单位")
    await district.send("重庆师范大学")
    await district.press("高等院校")
    assert "重庆师范大学" in district.inbox()[-2].text
    payload = link_in(district)
    hr = world.user(2301, "人事处")
    await hr.send(f"/start {payload}")
    assert "您已成为重庆师范大学" in hr.last().text
    async with sessionmaker() as session:
        unit = (await session.execute(select(Unit).where(Unit.name == "重庆师范大学"))).scalar_one()
        assert unit.kind == "高等院校"
    assert (await met_person(sessionmaker, 2301), "unit") in await roles_in_db(sessionmaker)


async def test_people_without_the_role_cannot_invite(world: OfflineWorld, sessionmaker) -> None:
    await grant(sessionmaker, DISTRICT_REVIEWER, "赵区县", RoleKind.DISTRICT, "500106")
    nobody = world.user(4001, "路人")
    await nobody.send("/invite")
    assert "只有市局管理员和区县审核人可以发出邀请" in nobody.last().text
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/roles")
    await district.press_data("iv:district:1", district.last())
    assert last_answer(world) == "您无权为该区县或单位发出邀请。"
    async with sessionmaker() as session:
        other_unit = (await session.execute(select(Unit.id).where(Unit.code == "CQJT01"))).scalar_one()
    await district.press_data(f"iv:unit:{other_unit}", district.last())
    assert last_answer(world) == "您无权为该区县或单位发出邀请。"
    async with sessionmaker() as session:
        assert (await session.execute(select(Invite))).first() is None
