"""Issue 17's limits as wired into the handlers and services: each through the real Dispatcher."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import GetFile
from sqlalchemy import select

from bot.config import Settings
from bot.main import create_bot
from bot.offline import OfflineSession, OfflineWorld
from bot.texts import chat as ct
from bot.texts import exports as et
from bot.texts import reminders as mt
from bot.texts import review as rt
from handlers.limits import ClipToLimits
from storage.models import AccessLog, Campaign
from tests.flows.helpers import PORTRAIT, VALID_ID, choose_unit, consent
from tests.flows.review_helpers import (
    BUREAU_ADMIN,
    DISTRICT_REVIEWER,
    UNIT_REVIEWER,
    application,
    standard_reviewers,
    submitted_application,
)
from tests.support.people import met_person

HUGE = "9" * 30


async def _to_id_number(world: OfflineWorld):
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.press("矿山")
    await user.send("张三")
    return user


async def test_a_person_who_is_18_at_the_deadline_but_not_today_may_apply(
    world: OfflineWorld, sessionmaker
) -> None:
    """The clock says 2022-09-20, the unit deadline is 2022-09-30: the notice counts at the deadline."""
    user = await _to_id_number(world)
    await user.send("500103200409251235")  # 18 on 2022-09-25
    assert "确认无误" in [label for label, _ in user.last().buttons()]
    await user.press("重新输入")
    replies = await user.send("500103200410051230")  # 18 only on 2022-10-05
    assert "未满18周岁" in replies[0].text


async def test_a_photo_over_telegrams_download_limit_gets_a_clear_answer_and_the_question_again(
    world: OfflineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await _to_id_number(world)
    await user.send(VALID_ID)
    await user.press("确认无误")
    await user.press("汉族")
    real = world.session.make_request

    async def too_big(bot, method, timeout=None):
        if isinstance(method, GetFile):
            raise TelegramBadRequest(method=method, message="Bad Request: file is too big")
        return await real(bot, method, timeout)

    monkeypatch.setattr(world.session, "make_request", too_big)
    replies = await user.send_photo(PORTRAIT)
    assert replies[0].text == ct.PHOTO_TELEGRAM_TOO_BIG
    assert "照片" in replies[-1].text


async def test_a_reason_of_invisible_characters_is_refused(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press(rt.DECISION["r"])
    [refused] = await unit.send("\u200b\u200c\u200d\ufeff")
    assert refused.text == rt.REASON_EMPTY
    assert (await application(sessionmaker)).status == "submitted"


@pytest.mark.parametrize("command", ["/history", "/nudge"])
async def test_a_huge_id_after_a_command_gets_its_usage(
    world: OfflineWorld, sessionmaker, command: str
) -> None:
    await standard_reviewers(sessionmaker)
    [reply] = await world.user(DISTRICT_REVIEWER, "区县").send(f"{command} {HUGE}")
    assert reply.text == {"/history": rt.HISTORY_USAGE, "/nudge": mt.NUDGE_USAGE}[command]


async def test_a_huge_id_to_download_is_unknown_and_a_huge_audit_count_gets_its_usage(
    world: OfflineWorld,
) -> None:
    admin = world.user(BUREAU_ADMIN, "管理员")
    [reply] = await admin.send(f"/download {HUGE}")
    assert reply.text == et.UNKNOWN_APPLICATION
    [reply] = await admin.send(f"/audit {HUGE}")
    assert reply.text == et.AUDIT_USAGE


async def test_a_campaign_name_is_cleaned_and_an_invisible_one_refused(
    world: OfflineWorld, sessionmaker
) -> None:
    admin = world.user(BUREAU_ADMIN, "管理员")
    [reply] = await admin.send("/campaign name \u200b\u200d")
    assert reply.text == mt.BAD_NAME
    [reply] = await admin.send("/campaign name 2023年\u202e度\x00征集")
    assert reply.text == mt.RENAMED.format(name="2023年度征集")
    async with sessionmaker() as session:
        assert "2023年度征集" in (await session.execute(select(Campaign.name))).scalars().all()


async def test_the_full_diff_is_logged_as_a_view_of_the_record(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press(rt.DECISION["r"])
    await unit.send("请补充简历")
    await applicant.press("修改 职务")
    await applicant.send("总工程师")
    await applicant.press("签名提交")
    await applicant.send("张三")
    app_id = (await application(sessionmaker)).id
    await unit.press_data(f"rs:{app_id}:d")
    assert any("总工程师" in text for text in unit.texts()[-2:])
    async with sessionmaker() as session:
        rows = (await session.execute(select(AccessLog))).scalars().all()
    assert [(r.actor_id, r.action, r.target) for r in rows] == [
        (await met_person(sessionmaker, UNIT_REVIEWER), "view_full_record", f"application:{app_id}")
    ]


def test_the_production_bot_clips_what_a_renderer_missed(settings: Settings) -> None:
    bot = create_bot(settings, session=OfflineSession())
    assert any(isinstance(m, ClipToLimits) for m in bot.session.middleware)
