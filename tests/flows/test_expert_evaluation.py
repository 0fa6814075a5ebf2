"""年度评价 from the /expert card through the real Dispatcher: the result, then the notes (or
跳过); once a year; 不合格 twice in a term is flagged on the card."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.clock import TZ
from bot.offline import OfflineWorld
from storage.models import ExpertEvaluation
from tests.flows.review_helpers import BUREAU_ADMIN
from tests.flows.test_experts_filters import appointed


async def test_the_bureau_records_a_yearly_result_with_notes_and_two_fails_are_flagged(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2023, 12, 20, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("2023年度评价")
    await admin.press("2023年：不合格")
    assert "王建筑 2023 年度评价：不合格。\n请输入评价说明" in admin.last().text
    assert [label for label, _ in admin.last().buttons()] == ["跳过"]
    await admin.send("全年未参加专家库活动")
    assert "已记录 王建筑 2023 年度评价：不合格。（全年未参加专家库活动）" in admin.last().text
    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last().text
    assert "评价：2023年年度评价：不合格（全年未参加专家库活动）" in card
    assert "两次不合格" not in card
    await admin.press("2023年度评价")
    assert admin.alert == "该专家 2023 年的评价已经记录过。"

    clock.at = datetime(2024, 12, 20, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("2024年度评价")
    await admin.press("2024年：不合格")
    await admin.press("跳过")
    done = admin.last().text
    assert "已记录 王建筑 2024 年度评价：不合格。" in done and "两次不合格" in done
    await admin.send("/expert CQGSYF-2022-0001")
    assert "状态：在聘（本聘期年度评价两次不合格，请研究是否续聘）" in admin.last().text
    async with sessionmaker() as session:
        rows = (
            await session.execute(
                select(ExpertEvaluation.year, ExpertEvaluation.rating, ExpertEvaluation.notes)
                .order_by(ExpertEvaluation.year)
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (2023, "不合格", "全年未参加专家库活动"),
        (2024, "不合格", None),
    ]
