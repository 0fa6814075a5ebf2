"""Signing and submitting, and what an applicant sends or presses after that."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.offline import OfflineUser, OfflineWorld
from storage.models import Application, ApplicationEvent
from tests.flows.helpers import choose_unit, consent, fill_form


async def _app(sessionmaker) -> Application:
    async with sessionmaker() as session:
        return (await session.execute(select(Application))).scalar_one()


async def _events(sessionmaker) -> int:
    async with sessionmaker() as session:
        return (await session.execute(select(func.count()).select_from(ApplicationEvent))).scalar()


async def _submitted(world: OfflineWorld) -> OfflineUser:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await fill_form(user)
    await user.send("/status")  # its 继续填写 stays behind in the chat
    await user.press("修改 职务")  # an old question's buttons stay behind in the chat
    await user.send("副院长")
    await user.press("签名提交")
    await user.press("签名提交")  # a double press shows the pledge again, nothing more
    await user.send("张三")
    assert "申报已提交" in user.last().text
    return user


async def test_text_sent_after_submitting_is_said_not_saved_and_how_to_change_it(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _submitted(world)
    before = await _app(sessionmaker)
    await user.send("我的手机号换了，13900000000")
    said = user.last().text
    assert "未保存" in said and "退回" in said
    assert "已提交，待单位审核" in said
    after = await _app(sessionmaker)
    assert (after.version, after.mobile) == (before.version, before.mobile)


async def test_old_buttons_after_submitting_change_nothing(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _submitted(world)
    before, events = await _app(sessionmaker), await _events(sessionmaker)
    for label in ("修改 姓名", "签名提交", "保存并退出", "继续填写", "⬅ 上一项"):
        await user.press(label)
        assert user.alert and ("不能修改" in user.alert or "失效" in user.alert), label
        assert "申报已提交" in user.last().text, f"{label} sent {user.last().text}"
    await user.send("张三")  # the signature typed a second time
    after = await _app(sessionmaker)
    assert (after.version, after.status) == (before.version, "submitted")
    assert await _events(sessionmaker) == events == 1
    await user.send("/status")
    assert "已提交，待单位审核" in user.last().text
