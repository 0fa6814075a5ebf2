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
from storage.models import Expert, ExpertEvaluation, ExpertEvent
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import documents
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
    for label in ("2023年度评价", "解聘"):
        await admin.press(label, message=card)
        assert admin.alert == DISMISSED, label
    await admin.press_data(ExpertAct(do=ExpertDo.TERM_EVALUATE, id=1).pack(), card)
    assert admin.alert == DISMISSED
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


async def standings(sessionmaker) -> dict[int, str]:
    async with sessionmaker() as session:
        return dict((await session.execute(select(Expert.id, Expert.standing))).all())


async def moves(sessionmaker, expert_id: int) -> list[str]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(ExpertEvent.action)
                .where(ExpertEvent.expert_id == expert_id)
                .order_by(ExpertEvent.id)
            )
        )


async def test_dismissal_takes_effect_only_at_its_confirmation_once(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2023, 3, 1, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last()
    await admin.press("解聘")
    await admin.send(" ")
    assert admin.last().text == "内容不能为空，请重新输入。"
    await admin.send("违反专家工作纪律")
    asked = admin.last()
    assert asked.text.startswith("确认解聘 王建筑（CQGSYF-2022-0001）？\n理由：违反专家工作纪律\n")
    assert "解聘自 2023-03-01 起生效" in asked.text and "解聘后不能撤销" in asked.text
    assert [label for label, _ in asked.buttons()] == ["确认解聘", "取消"]
    assert (await standings(sessionmaker))[1] == "appointed", "nothing happens before 确认"
    await admin.send("另一个理由")
    assert admin.last().text == "请点上面的“确认解聘”或“取消”；要修改理由，请点“取消”后重新办理。"

    await admin.press("取消", message=asked)
    assert admin.last().text == "已取消，王建筑 的状态没有改变。" and not asked.buttons()
    await admin.press_data(ExpertAct(do=ExpertDo.CONFIRM_END, id=1).pack(), asked)
    assert admin.alert == "这个确认已失效（之后已取消或办理了其他操作）。请重新发送 /expert CQGSYF-2022-0001，在卡片上重新办理。"
    assert (await standings(sessionmaker))[1] == "appointed"

    await admin.press("解聘", message=card)
    await admin.send("违反专家工作纪律")
    confirmation = admin.last()
    await admin.press("确认解聘")
    assert "已解聘 王建筑。书面函告见附件" in admin.texts()[-2]
    assert documents(admin)[-1].document[0] == "书面函告_解聘_CQGSYF-2022-0001.docx"
    assert not confirmation.buttons() and not card.buttons(), "the card offers nothing more"
    await admin.press_data(ExpertAct(do=ExpertDo.CONFIRM_END, id=1).pack(), confirmation)
    assert admin.alert == DISMISSED, "a second press"
    assert await moves(sessionmaker, 1) == ["appoint", "dismiss"]


async def test_a_confirmation_left_behind_by_another_step_is_stale(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2023, 3, 1, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("解聘")
    await admin.send("违反专家工作纪律")
    first = admin.last()
    await admin.send("/expert CQGSYF-2022-0002")
    await admin.press("解聘")
    await admin.send("多次无故拒绝邀请")
    second = admin.last()
    await admin.press("确认解聘", message=first)
    assert admin.alert is not None and admin.alert.startswith("这个确认已失效")
    await admin.press("确认解聘", message=second)
    assert await standings(sessionmaker) == {1: "appointed", 2: "dismissed", 3: "dismissed"}


async def test_a_withdrawal_is_confirmed_on_a_second_press_showing_the_reason(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await appointed(sessionmaker, clock)
    clock.at = datetime(2023, 3, 1, 9, 0, tzinfo=TZ)
    expert = world.user(5001, "建筑")
    await expert.send("/me")
    await expert.press("申请退出专家库")
    await expert.send("工作调动")
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("确认退出")
    asked = admin.last()
    assert asked.text.startswith("确认 王建筑（CQGSYF-2022-0001）退出专家库？\n退出原因：工作调动\n")
    assert "聘期于今日（2023-03-01）结束" in asked.text
    assert (await standings(sessionmaker))[1] == "appointed"
    [(_, confirm), _] = asked.buttons()
    await admin.press_data(confirm, asked)
    assert admin.last().text == "已确认 王建筑 退出专家库。" and not asked.buttons()
    await admin.press_data(confirm, asked)
    assert admin.alert == "该专家目前“已退出”，不能这样处理。"
    assert await moves(sessionmaker, 1) == ["appoint", "ask_withdrawal", "withdraw"]


async def test_me_says_one_thing_per_standing_and_its_stale_buttons_are_refused(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await appointed(sessionmaker, clock)
    clock.at = datetime(2023, 3, 1, 9, 0, tzinfo=TZ)
    expert = world.user(5001, "建筑")
    await expert.send("/me")
    serving = expert.last()
    assert serving.text.startswith("您是重庆市工伤预防专家库专家。\n状态：在聘")
    await expert.press("申请退出专家库")
    await expert.send("工作调动")

    await expert.send("/me")
    asked = expert.last()
    assert asked.text.startswith("您是重庆市工伤预防专家库专家。\n状态：在聘")
    assert asked.text.endswith("退出申请：已提交（原因：工作调动），等待市局确认；确认前您仍是专家库专家。")
    labels = [label for label, _ in asked.buttons()]
    assert "申请退出专家库" not in labels and "下载聘书" in labels and "修改移动电话" in labels
    await expert.press("申请退出专家库", message=serving)
    assert expert.alert == "您的退出申请已提交，正等待市局确认。", "refused at the press"

    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("确认退出")
    await admin.press("确认退出")
    await expert.send("/me")
    gone = expert.last()
    assert gone.text.startswith("您已于 2023-03-01 退出重庆市工伤预防专家库，不再是专家库专家。\n状态：已退出")
    assert "原聘期：2022-11-15 至 2027-11-14（2023-03-01 退出）" in gone.text
    assert "您是重庆市工伤预防专家库专家" not in gone.text and not gone.buttons()
    await expert.press("下载聘书", message=asked)
    assert expert.alert == "您目前“已退出”，不再是专家库专家，不能再下载聘书。"
    await expert.press("修改移动电话", message=asked)
    assert expert.alert == "您目前不是专家库专家。申报进度请发送 /status。"
    await expert.send("13812345678")
    assert "已更新" not in expert.last().text

    dismissed = world.user(5003, "危化")
    await dismissed.send("/me")
    assert dismissed.last().text.startswith(
        "您已被解聘，自 2022-10-28 起不再是重庆市工伤预防专家库专家。\n状态：已解聘"
    )
    assert not dismissed.last().buttons()


async def test_an_expired_press_points_to_the_command_that_shows_it_again(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: an expired press on an expert's card or on /me said 请重新发送 /registry, a screen
    that shows neither: the card's points to /expert with its number, /me's to /me."""
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2023, 12, 20, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last()
    again = "该操作已过期，请重新发送 /expert CQGSYF-2022-0001，在卡片上重新办理。"
    for do, pick in ((ExpertDo.SKIP_NOTES, 0), (ExpertDo.CONFIRM_RENEWAL, 0), (ExpertDo.RATE, 9)):
        await admin.press_data(ExpertAct(do=do, id=1, pick=pick).pack(), card)
        assert admin.alert == again, do

    expert = world.user(5001, "建筑")
    await expert.send("/me")
    await expert.press_data(ExpertAct(do=ExpertDo.CONTACT, pick=9).pack(), expert.last())
    assert expert.alert == "该操作已过期，请重新发送 /me。"
    assert await evaluations(sessionmaker) == 0


async def test_the_card_a_decision_started_from_shows_the_new_standing(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: after 确认解聘 or 确认退出 the card lost its buttons but still said 状态：在聘 until
    /expert was sent again. The card is now rewritten from the service's result."""
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2023, 3, 1, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last()
    assert "状态：在聘" in card.text
    await admin.press("解聘")
    await admin.send("违反专家工作纪律")
    await admin.press("确认解聘")
    assert "状态：已解聘" in card.text and "（2023-03-01 提前结束）" in card.text
    assert not card.buttons()

    expert = world.user(5002, "矿山")
    await expert.send("/me")
    await expert.press("申请退出专家库")
    await expert.send("工作调动")
    await admin.send("/expert CQGSYF-2022-0002")
    card = admin.last()
    await admin.press("确认退出")
    await admin.press("确认退出")
    assert "状态：已退出" in card.text and "退出申请" not in card.text
    assert not card.buttons()


async def test_the_card_a_renewal_was_decided_from_shows_the_new_term_and_standing(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: after 确认续聘 the card still said 聘期已满，待续聘 with the old term and offered 续聘
    again, while 解聘, 不予续聘 and 确认退出 rewrite theirs."""
    await appointed(sessionmaker, clock)
    clock.at = datetime(2027, 11, 20, 9, 0, tzinfo=TZ)  # the term ended on 2027-11-14
    assert await experts.end_terms(unit_of_work_factory(sessionmaker), clock.now()) == 2
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/expert CQGSYF-2022-0002")
    await admin.press("期满考核")
    await admin.send("健康")
    await admin.send("聘期内参加评审12次")
    await admin.press("合格")
    await admin.send("/expert CQGSYF-2022-0002")
    card = admin.last()
    assert "状态：聘期已满，待续聘" in card.text and "续聘" in [b for b, _ in card.buttons()]
    await admin.press("续聘")
    await admin.send("2027-11-21")
    await admin.press("确认续聘")
    assert "已续聘 李矿山：CQGSYF-2027-0001，聘期 2027-11-21 至 2032-11-20" in admin.last().text
    assert "状态：在聘" in card.text, "the card is rewritten"
    assert "· CQGSYF-2027-0001 2027-11-21 至 2032-11-20" in card.text
    labels = [label for label, _ in card.buttons()]
    assert "续聘" not in labels and "不予续聘" not in labels and "解聘" in labels
    assert (await standings(sessionmaker))[2] == "appointed"


async def test_only_the_latest_renewal_confirmation_acts_and_for_its_own_expert(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: 确认续聘 took the last day typed in the conversation, whichever confirmation it was
    pressed on: one showing 2027-11-15, pressed after another day was typed (or after 续聘 of
    another expert), renewed with that other day."""
    from storage.models import ExpertTerm

    await appointed(sessionmaker, clock)
    clock.at = datetime(2027, 11, 20, 9, 0, tzinfo=TZ)
    await experts.end_terms(unit_of_work_factory(sessionmaker), clock.now())
    admin = world.user(BUREAU_ADMIN, "局长")
    for number in ("CQGSYF-2022-0001", "CQGSYF-2022-0002"):
        await admin.send(f"/expert {number}")
        await admin.press("期满考核")
        await admin.send("健康")
        await admin.send("聘期内参加评审12次")
        await admin.press("合格")

    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("续聘")
    await admin.send("2027-11-21")
    first = admin.last()
    await admin.send("2027-12-01")
    latest = admin.last()
    assert "新聘期 2027-12-01 至 2032-11-30" in latest.text
    await admin.press("确认续聘", message=first)
    assert admin.alert == "该操作已过期，请重新发送 /expert CQGSYF-2022-0001，在卡片上重新办理。"
    await admin.send("/expert CQGSYF-2022-0002")
    await admin.press("续聘")
    await admin.send("2028-01-01")
    await admin.press("确认续聘", message=latest)
    assert admin.alert is not None and admin.alert.startswith("该操作已过期"), "another expert's"
    assert await standings(sessionmaker) == {1: "due", 2: "due", 3: "dismissed"}

    await admin.press("确认续聘")
    assert "已续聘 李矿山：CQGSYF-2028-0001，聘期 2028-01-01 至 2032-12-31" in admin.last().text
    async with sessionmaker() as session:
        terms = await session.scalars(select(ExpertTerm.id).where(ExpertTerm.expert_id == 1))
        assert len(list(terms)) == 1, "王建筑 was not renewed by a confirmation left behind"


async def test_a_renewal_confirmation_can_be_cancelled_like_the_others(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: 确认续聘 was the only confirmation without 取消."""
    await appointed(sessionmaker, clock)
    clock.at = datetime(2027, 11, 20, 9, 0, tzinfo=TZ)
    await experts.end_terms(unit_of_work_factory(sessionmaker), clock.now())
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/expert CQGSYF-2022-0002")
    await admin.press("期满考核")
    await admin.send("健康")
    await admin.send("聘期内参加评审12次")
    await admin.press("合格")
    await admin.send("/expert CQGSYF-2022-0002")
    await admin.press("续聘")
    await admin.send("2027-11-21")
    confirmation = admin.last()
    assert [label for label, _ in confirmation.buttons()] == ["确认续聘", "取消"]
    confirm = dict(confirmation.buttons())["确认续聘"]
    await admin.press("取消")
    assert admin.last().text == "已取消，李矿山 的状态没有改变。"
    assert not confirmation.buttons()
    await admin.press_data(confirm, sent=confirmation)
    assert admin.alert is not None and admin.alert.startswith("该操作已过期"), "nothing left to confirm"
    assert (await standings(sessionmaker))[2] == "due"
    await admin.send("2027-11-22")  # the step is over: a day typed now asks nothing to confirm
    assert "确认续聘" not in [label for label, _ in admin.last().buttons()]


async def test_leaving_after_the_term_has_run_out_is_not_said_to_cut_it_short(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: for an expert 聘期已满，待续聘 the withdrawal's confirmation said 聘期于今日结束 and the
    dismissal's 聘期提前结束, and the card then showed the term (ended 2027-11-14) as 提前结束."""
    await appointed(sessionmaker, clock)
    clock.at = datetime(2027, 11, 20, 9, 0, tzinfo=TZ)
    assert await experts.end_terms(unit_of_work_factory(sessionmaker), clock.now()) == 2
    expert = world.user(5001, "建筑")
    await expert.send("/me")
    await expert.press("申请退出专家库")
    await expert.send("工作调动")
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/expert CQGSYF-2022-0001")
    card = admin.last()
    await admin.press("确认退出")
    asked = admin.last().text
    assert "聘期已于 2027-11-14 届满，确认后今日（2027-11-20）即退出专家库" in asked
    assert "聘期于今日" not in asked
    await admin.press("确认退出")
    assert "状态：已退出" in card.text and "提前结束" not in card.text
    await expert.send("/me")
    assert expert.last().text.startswith("您已于 2027-11-20 退出重庆市工伤预防专家库")
    await admin.send("/experts 王建筑")
    assert "· 已退出 · 聘期至 2027-11-14 ·" in admin.last().text, "the term ran to its end"

    await admin.send("/expert CQGSYF-2022-0002")
    card = admin.last()
    await admin.press("解聘")
    await admin.send("违反专家工作纪律")
    asked = admin.last().text
    assert "聘期已于 2027-11-14 届满，解聘自该日起生效" in asked and "提前结束" not in asked
    await admin.press("确认解聘")
    assert "状态：已解聘" in card.text and "提前结束" not in card.text
