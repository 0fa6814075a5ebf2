"""An expert's card and /me through the real Dispatcher once the expert's standing moves: a
card or a step shown before offers nothing that could still succeed, and a press on it is
refused in Chinese and changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.clock import TZ
from bot.offline import OfflineWorld
from bot.services import experts
from handlers.callbacks import ExpertAct, ExpertDo
from storage.models import ExpertEvaluation
from storage.uow import unit_of_work_factory
from tests.flows.review_helpers import BUREAU_ADMIN
from tests.flows.test_experts_filters import appointed

DISMISSED = "该专家目前“已解聘”，不能这样处理。"


async def evaluations(sessionmaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(ExpertEvaluation)) or 0)


async def test_a_card_and_its_steps_shown_before_a_dismissal_change_nothing(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2023, 12, 20, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last()
    await admin.press("2023年度评价")
    ratings = admin.last()
    await admin.press("2023年：合格")
    notes = admin.last()
    await experts.dismiss(
        unit_of_work_factory(sessionmaker), expert_id=1, reason="违反纪律", by=None,
        now=clock.now(),
    )  # fmt: skip

    await admin.send("全年参加评审3次")  # the notes the step asked for
    assert admin.last().text == DISMISSED
    await admin.press("跳过", message=notes)
    assert admin.alert == DISMISSED
    await admin.press_data(ExpertAct(do=ExpertDo.RATE, id=1, pick=0).pack(), ratings)
    assert admin.alert == DISMISSED
    for label in ("2023年度评价", "期满考核", "解聘"):
        await admin.press(label, message=card)
        assert admin.alert == DISMISSED, label
    assert await evaluations(sessionmaker) == 0
    await admin.send("/expert CQGSYF-2022-0001")
    assert "状态：已解聘" in admin.last().text and not admin.last().buttons()


async def test_the_yearly_evaluation_is_offered_until_the_years_is_recorded(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2023, 12, 20, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("2023年度评价")
    await admin.press("2023年：合格")
    await admin.press("跳过")
    await admin.send("/expert CQGSYF-2022-0001")
    assert "2023年度评价" not in [label for label, _ in admin.last().buttons()]
