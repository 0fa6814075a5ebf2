"""年度评价 from the /expert card through the real Dispatcher: the result, then the notes (or
跳过); once a year; 不合格 twice in a term is flagged on the card."""

from __future__ import annotations

from datetime import date, datetime

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


async def test_renewal_is_offered_near_the_term_end_and_only_after_a_passing_term_review(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """The terms run 2022-11-15 to 2027-11-14: 续聘 and 不予续聘 from 2027-08-16 on; 续聘 after a
    passing 期满考核. A stale button is refused and changes nothing."""
    from handlers.callbacks import ExpertAct, ExpertDo
    from storage.models import ExpertTerm

    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2022, 12, 6, 9, 0, tzinfo=TZ)  # three weeks into the term
    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last()
    labels = [label for label, _ in card.buttons()]
    assert "续聘" not in labels and "不予续聘" not in labels and "解聘" in labels
    await admin.press_data(ExpertAct(do=ExpertDo.RENEW, id=1).pack(), card)
    assert admin.alert == "聘期到 2027-11-14 届满：续聘或不予续聘须在届满前 90 天内决定，即 2027-08-16 起。"
    await admin.press_data(ExpertAct(do=ExpertDo.NOT_RENEW, id=1).pack(), card)
    assert admin.alert is not None and "2027-08-16 起" in admin.alert

    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    assert [label for label, _ in admin.last().buttons()][-3:] == ["续聘", "不予续聘", "解聘"]
    await admin.press("续聘")
    assert admin.alert == "续聘前须先完成本聘期的期满考核（卡片上的“期满考核”），考核合格后才能续聘。"
    await admin.press("期满考核")
    await admin.send("健康")
    await admin.send("聘期内未参加专家库活动")
    await admin.press("不合格")
    await admin.send("/expert CQGSYF-2022-0001")
    after_fail = admin.last()
    labels = [label for label, _ in after_fail.buttons()]
    assert "续聘" not in labels and "不予续聘" in labels
    await admin.press_data(ExpertAct(do=ExpertDo.RENEW, id=1).pack(), after_fail)
    assert admin.alert == "本聘期的期满考核结果为“不合格”，不能续聘。"

    await admin.send("/expert CQGSYF-2022-0002")  # 李矿山 passes and is renewed
    await admin.press("期满考核")
    await admin.send("健康")
    await admin.send("聘期内参加评审12次")
    await admin.press("合格")
    await admin.send("/expert CQGSYF-2022-0002")
    await admin.press("续聘")
    await admin.send("2027-10-01")
    assert admin.last().text == "新聘期须在当前聘期届满（2027-11-14）之后开始，请输入 2027-11-15 或更晚的日期。"
    await admin.send("2027-11-15")
    await admin.press("确认续聘")
    assert "已续聘 李矿山：CQGSYF-2027-0001，聘期 2027-11-15 至 2032-11-14" in admin.last().text
    async with sessionmaker() as session:
        terms = (await session.execute(select(ExpertTerm.certificate_no, ExpertTerm.ended_on).order_by(ExpertTerm.id))).all()  # fmt: skip
    assert [tuple(t) for t in terms] == [
        ("CQGSYF-2022-0001", None),
        ("CQGSYF-2022-0002", None),
        ("CQGSYF-2022-0003", date(2022, 10, 28)),
        ("CQGSYF-2027-0001", None),
    ], "nobody's term was cut short"


async def test_the_term_review_waits_for_the_terms_last_90_days_and_non_renewal_for_it(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    from handlers.callbacks import ExpertAct, ExpertDo
    from storage.models import Expert
    from tests.flows.export_helpers import documents

    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2023, 12, 20, 9, 0, tzinfo=TZ)  # mid-term
    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last()
    assert "期满考核" not in [label for label, _ in card.buttons()]
    await admin.press_data(ExpertAct(do=ExpertDo.TERM_EVALUATE, id=1).pack(), card)
    assert admin.alert == "聘期到 2027-11-14 届满：期满考核在届满前 90 天内进行，即 2027-08-16 起。"

    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    assert [label for label, _ in admin.last().buttons()][:2] == ["2027年度评价", "期满考核"]
    await admin.press("不予续聘")
    assert admin.alert == "不予续聘前须先完成本聘期的期满考核（卡片上的“期满考核”），再据考核结果作出决定。"
    await admin.press("期满考核")
    await admin.send("健康状况欠佳")
    await admin.send("聘期内参加评审2次")
    await admin.press("不合格")
    await admin.send("/expert CQGSYF-2022-0001")
    labels = [label for label, _ in admin.last().buttons()]
    assert "期满考核" not in labels and "不予续聘" in labels, "reviewed this year"
    await admin.press("不予续聘")
    await admin.send("期满考核不合格")
    assert "确认不予续聘 王建筑（CQGSYF-2022-0001）？" in admin.last().text
    assert "聘期至 2027-11-14 届满后不再续聘" in admin.last().text
    await admin.press("确认不予续聘")
    assert documents(admin)[-1].document[0] == "书面函告_不予续聘_CQGSYF-2022-0001.docx"
    async with sessionmaker() as session:
        standing = await session.scalar(select(Expert.standing).where(Expert.id == 1))
    assert standing == "appointed", "the term runs to its last day"


async def test_not_renewed_serves_to_the_terms_last_day_and_leaves_after_it(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: 不予续聘 made the expert 不再续聘 and took them out of draws the day it was decided,
    while the term runs to its last day (notice § 四(四), (五); the letter says 聘期届满后). Now the
    card, /me, the confirmation and draws keep them in service to 2027-11-14; the reminder
    pass after it moves them to 不再续聘."""
    from bot.services import experts
    from storage.models import Expert, ExpertEvent
    from storage.uow import unit_of_work_factory
    from tests.flows.test_registry import sender_pass

    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("期满考核")
    await admin.send("健康")
    await admin.send("聘期内参加评审2次")
    await admin.press("不合格")
    await admin.send("/expert CQGSYF-2022-0001")
    started_from = admin.last()
    await admin.press("不予续聘")
    await admin.send("期满考核不合格")
    asked = admin.last().text
    assert "聘期至 2027-11-14 届满后不再续聘：届满前仍在聘，照常参加专家抽取" in asked
    assert "自即日起不再参加专家抽取" not in asked
    await admin.press("确认不予续聘")
    assert "已决定不予续聘 王建筑：聘期至 2027-11-14 届满，届满前仍在聘，届满后不再续聘。" in admin.texts()[-2]
    assert "不予续聘：2027-09-01 决定" in started_from.text, "the card is rewritten"
    assert "不予续聘" not in [label for label, _ in started_from.buttons()]

    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last()
    assert "状态：在聘" in card.text
    assert "不予续聘：2027-09-01 决定，聘期至 2027-11-14 届满" in card.text
    labels = [label for label, _ in card.buttons()]
    assert "续聘" not in labels and "不予续聘" not in labels and "解聘" in labels
    expert = world.user(5001, "建筑")
    await expert.send("/me")
    mine = expert.last()
    assert mine.text.startswith("您是重庆市工伤预防专家库专家。\n状态：在聘")
    assert "市局已决定聘期届满后不再续聘：聘期至 2027-11-14 届满，届满前您仍是专家库专家" in mine.text
    assert "下载聘书" in [label for label, _ in mine.buttons()]
    async with unit_of_work_factory(sessionmaker)() as uow:
        pool = await uow.draws.candidates(["建筑"], [date(2027, 11, 14)])
    assert [c.expert_id for c in pool] == [1], "drawn to the term's last day"

    clock.at = datetime(2027, 11, 14, 20, 0, tzinfo=TZ)  # the last day: still in service
    assert await experts.end_terms(unit_of_work_factory(sessionmaker), clock.now()) == 0
    clock.at = datetime(2027, 11, 15, 0, 30, tzinfo=TZ)
    await sender_pass(world, sessionmaker, clock)
    async with sessionmaker() as session:
        assert await session.scalar(select(Expert.standing).where(Expert.id == 1)) == "ended"
        events = (await session.execute(select(ExpertEvent.action, ExpertEvent.to_standing, ExpertEvent.actor_name).where(ExpertEvent.expert_id == 1).order_by(ExpertEvent.id))).all()  # fmt: skip
    assert [tuple(e)[:2] for e in events] == [
        ("appoint", "appointed"), ("decide_not_renew", "appointed"), ("not_renew", "ended"),
    ]
    assert events[-1].actor_name == "系统（聘期届满）"
    await expert.send("/me")
    assert expert.last().text.startswith(
        "您的聘期已于 2027-11-14 届满，市局决定不再续聘，您不再是重庆市工伤预防专家库专家。\n状态：不再续聘"
    )
    assert not expert.last().buttons()
    await admin.send("/expert CQGSYF-2022-0001")
    assert "状态：不再续聘" in admin.last().text and not admin.last().buttons()
