"""Reminders, /campaign and /nudge through the real Dispatcher and the offline Telegram."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.clock import TZ
from bot.offline import OfflineWorld
from bot.ratelimit import RateLimiter
from bot.services import reminders as svc
from handlers.reminders import NudgeAction
from handlers.sending import TelegramSender
from storage.models import Application, Campaign, Reminder
from storage.uow import unit_of_work_factory
from tests.flows.helpers import choose_unit, consent
from tests.support.people import is_unreachable


async def _instant(_: float) -> None:
    return None


async def test_the_reminder_button_resumes_the_draft_exactly_where_it_stopped(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.press("矿山")
    await user.send("张三")
    await user.send("/cancel")
    clock.at = datetime(2022, 9, 29, 18, 0, tzinfo=TZ)
    uows = unit_of_work_factory(sessionmaker)
    sender = TelegramSender(world.bot, RateLimiter(sleep=_instant), clock, uows)
    await svc.send_due_reminders(uows, sender, clock)
    reminder = user.last()
    assert "项必填内容未填写" in reminder.text and "1天0小时" in reminder.text
    fresh = await user.press("继续填写")
    assert "身份证" in fresh[-1].text
    async with sessionmaker() as session:
        app = (await session.execute(select(Application))).scalar_one()
        assert app.cursor == "id_number"


async def test_a_bureau_admin_extends_the_unit_deadline_in_one_command(
    world: OfflineWorld, sessionmaker
) -> None:
    admin = world.user(900, "局")
    [card] = await admin.send("/campaign")
    assert "2022-09-30 18:00" in card.text and "7d, 3d, 1d, 3h" in card.text
    [done] = await admin.send("/campaign extend unit 2022-10-08 18:00")
    assert "2022-10-08 18:00" in done.text
    async with sessionmaker() as session:
        c = (await session.execute(select(Campaign))).scalar_one()
        assert c.unit_deadline == datetime(2022, 10, 8, 18, 0, tzinfo=TZ)
    [refused] = await admin.send("/campaign extend unit 2022-10-01 18:00")
    assert "必须晚于" in refused.text
    [closed] = await admin.send("/campaign close")
    assert "已关闭" in closed.text


async def test_campaign_commands_are_refused_to_others_in_any_state(world: OfflineWorld) -> None:
    user = world.user(1001, "三")
    await consent(user)
    [refused] = await user.send("/campaign extend unit 2022-10-08 18:00")
    assert "只有市人力社保局管理员" in refused.text


async def test_a_bureau_admin_nudges_an_applicant_by_application_id(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    admin = world.user(900, "局")
    async with sessionmaker() as session:
        app_id = (await session.execute(select(Application.id))).scalar_one()
    [answer] = await admin.send(f"/nudge {app_id}")
    assert "1 人" in answer.text
    assert "催办" in user.last().text
    assert [b for b, _ in user.last().buttons()] == ["继续填写"]
    clock.advance(minutes=30)
    [too_soon] = await admin.send(f"/nudge {app_id}")
    assert "每小时最多催办一次" in too_soon.text
    async with sessionmaker() as session:
        rows = (await session.execute(select(Reminder))).scalars().all()
        assert [(r.kind, r.status) for r in rows] == [("nudge", "sent")]


async def test_blocking_the_bot_marks_the_person_unreachable_and_unblocking_undoes_it(
    world: OfflineWorld, sessionmaker
) -> None:
    from aiogram.types import ChatMemberBanned, ChatMemberMember, ChatMemberUpdated

    from bot.offline import BOT_USER

    user = world.user(1001, "三")
    await consent(user)

    async def member(banned: bool) -> None:
        old = ChatMemberMember(user=BOT_USER)
        new = ChatMemberBanned(user=BOT_USER, until_date=0) if banned else old
        if not banned:
            old = ChatMemberBanned(user=BOT_USER, until_date=0)
        event = ChatMemberUpdated(
            chat=user.chat, from_user=user.tg, date=world.now() - timedelta(0),
            old_chat_member=old, new_chat_member=new,
        )
        await world.feed(user, my_chat_member=event)

    await member(banned=True)
    assert await is_unreachable(sessionmaker, 1001) is True
    await member(banned=False)
    assert await is_unreachable(sessionmaker, 1001) is False


async def test_refusals_are_sent_once_the_unit_of_work_has_closed(
    world: OfflineWorld, sessionmaker
) -> None:
    """The offline session fails any Bot API call made inside a unit of work: these replies got out."""
    user = world.user(1001, "三")
    await consent(user)
    await choose_unit(user)
    async with sessionmaker() as session:
        app_id = (await session.execute(select(Application.id))).scalar_one()
    stranger = world.user(1002, "四")
    await consent(stranger)
    [refused] = await stranger.send(f"/nudge {app_id}")
    assert refused.text == "您无权催办这份申报。"
    await stranger.press_data(NudgeAction(app_id=app_id).pack(), refused)
    assert stranger.alert == "您无权催办这份申报。"
    [bad_date] = await stranger.send("/campaign extend unit 明天")
    assert "只有市人力社保局管理员" in bad_date.text
    [bad_date] = await world.user(900, "局").send("/campaign extend unit 明天")
    assert "只有市人力社保局管理员" not in bad_date.text
