"""A restart between storing an answer and sending the next question: the next update, whatever
it is, brings that question instead of answering it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from sqlalchemy import select

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain import keys
from bot.domain.form import BY_KEY
from bot.main import create_dispatcher
from bot.offline import OfflineSession, OfflineUser, OfflineWorld
from bot.services import applicant as svc
from bot.texts import chat as t
from storage.db import Database
from storage.lease import mark_running, mark_stopped
from storage.models import Application
from storage.uow import unit_of_work_factory
from tests.flows.helpers import PORTRAIT, VALID_ID, choose_unit, consent
from tests.support.people import met_person


async def _app(sessionmaker: Database) -> Application:
    async with sessionmaker() as session:
        return (await session.execute(select(Application))).scalar_one()


async def _up_to_ethnicity(world: OfflineWorld) -> OfflineUser:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.press("矿山")
    await user.send("张三")
    await user.send(VALID_ID)
    await user.press("确认无误")
    assert "民族" in user.last().text
    return user


@pytest.fixture
async def restarted(
    settings: Settings, sessionmaker: Database, clock: FixedClock
) -> AsyncIterator[OfflineWorld]:
    """A second process on the same database, started a minute later."""

    async def start() -> OfflineWorld:
        clock.advance(minutes=1)
        dp = create_dispatcher(settings=settings, database=sessionmaker, clock=clock)
        return OfflineWorld(dp, Bot(token=settings.bot_token, session=OfflineSession()), clock.now)

    worlds: list[OfflineWorld] = []

    async def factory() -> OfflineWorld:
        worlds.append(await start())
        return worlds[-1]

    yield factory  # type: ignore[misc]
    for w in worlds:
        await w.close()


async def test_a_text_after_a_crash_brings_the_unseen_question_and_is_not_taken_as_its_answer(
    world: OfflineWorld, sessionmaker: Database, clock: FixedClock, restarted
) -> None:
    user = await _up_to_ethnicity(world)
    await user.press("汉族")
    await user.send_photo(PORTRAIT)
    assert "职务" in user.last().text
    # Stored, then the process died before 社会兼职 was asked.
    me = await met_person(sessionmaker, user.id)
    await svc.take_answer(
        unit_of_work_factory(sessionmaker), person_id=me, app_id=None, text="安全环保部部长",
        now=clock.now(),
    )
    after = await restarted()
    again = after.user(1001, "三", last_name="张")
    replies = await again.send("安全环保部部长")  # "it did not arrive", they think
    assert replies[0].text == t.NOT_SHOWN_YET
    assert "社会兼职" in replies[-1].text
    app = await _app(sessionmaker)
    assert app.cursor == keys.PART_TIME and app.part_time is None
    await again.send("重庆市安全生产协会理事")
    assert (await _app(sessionmaker)).part_time == "重庆市安全生产协会理事"


async def test_pressing_the_old_button_after_a_crash_brings_the_unseen_question(
    world: OfflineWorld, sessionmaker: Database, clock: FixedClock, restarted
) -> None:
    user = await _up_to_ethnicity(world)
    prompt = user.last()
    data = next(d for label, d in prompt.buttons() if label == "汉族")
    choices = BY_KEY[keys.ETHNICITY].choices
    me = await met_person(sessionmaker, user.id)
    await svc.choose(
        unit_of_work_factory(sessionmaker), person_id=me, app_id=None, key=keys.ETHNICITY,
        index=choices.index("汉族"), now=clock.now(),
    )
    after = await restarted()
    again = after.user(1001, "三", last_name="张")
    replies = await again.press_data(data, prompt)
    assert again.alert == t.STALE_BUTTON
    assert [m.text for m in replies][0] == t.NOT_SHOWN_YET
    assert "照片" in replies[-1].text


async def test_answers_in_a_running_process_are_taken_as_before(
    world: OfflineWorld, sessionmaker: Database
) -> None:
    user = await _up_to_ethnicity(world)
    await user.press("汉族")
    await user.send_photo(PORTRAIT)
    await user.send("安全环保部部长")
    assert "社会兼职" in user.last().text
    assert t.NOT_SHOWN_YET not in user.texts()


async def test_a_question_whose_send_failed_is_shown_on_the_next_message(
    world: OfflineWorld, sessionmaker: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await _up_to_ethnicity(world)
    await user.press("汉族")
    await user.send_photo(PORTRAIT)
    session = world.session
    real = session.make_request

    async def fail_prompts(bot, method, timeout=None):
        if getattr(method, "text", "") and "社会兼职" in method.text:
            raise RuntimeError("Telegram timed out")
        return await real(bot, method, timeout)

    monkeypatch.setattr(session, "make_request", fail_prompts)
    await user.send("安全环保部部长")
    monkeypatch.setattr(session, "make_request", real)
    replies = await user.send("安全环保部部长")
    assert replies[0].text == t.NOT_SHOWN_YET and "社会兼职" in replies[-1].text
    assert (await _app(sessionmaker)).part_time is None


async def test_after_a_clean_stop_the_next_message_is_an_answer_as_always(
    world: OfflineWorld, sessionmaker: Database, settings: Settings, clock: FixedClock
) -> None:
    user = await _up_to_ethnicity(world)
    await user.press("汉族")
    await user.send_photo(PORTRAIT)
    assert "职务" in user.last().text, "the question was shown before the process stopped"
    assert not await mark_running(sessionmaker, "first", clock.now()), "a fresh database"
    await mark_stopped(sessionmaker, "first", clock.now())
    clock.advance(minutes=1)
    after_crash = await mark_running(sessionmaker, "second", clock.now())
    assert not after_crash
    dp = create_dispatcher(
        settings=settings, database=sessionmaker, clock=clock, after_crash=after_crash
    )
    after = OfflineWorld(dp, Bot(token=settings.bot_token, session=OfflineSession()), clock.now)
    try:
        await after.user(1001, "三", last_name="张").send("安全环保部部长")
        assert (await _app(sessionmaker)).position == "安全环保部部长"
    finally:
        await after.close()


async def test_a_process_that_never_said_it_stopped_counts_as_crashed(
    sessionmaker: Database, clock: FixedClock
) -> None:
    assert not await mark_running(sessionmaker, "first", clock.now())
    assert await mark_running(sessionmaker, "second", clock.now()), "first was killed"
    await mark_stopped(sessionmaker, "first", clock.now())  # not the holder any more: no effect
    assert await mark_running(sessionmaker, "third", clock.now())
