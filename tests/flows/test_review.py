"""Unit and district reviewers decide through inline buttons, through the real Dispatcher."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from aiogram import Bot
from aiogram.methods import SendPhoto
from sqlalchemy import event

from bot.clock import TZ, FixedClock
from bot.config import Settings
from bot.domain.reminders import DeadlineKind
from bot.domain.review import RoleKind
from bot.main import create_dispatcher
from bot.offline import OfflineSession, OfflineWorld
from bot.ratelimit import RateLimiter
from bot.services import campaigns, reminders, review, roles
from bot.services.transaction import unit_of_work_open
from bot.texts import review as rt
from handlers.sending import TelegramSender
from storage.uow import unit_of_work_factory
from tests.flows.helpers import VALID_ID, choose_unit, consent, fill_form
from tests.flows.review_helpers import (
    APPLICANT,
    BUREAU_ADMIN,
    DISTRICT_REVIEWER,
    OTHER_UNIT_REVIEWER,
    UNIT_REVIEWER,
    UNIT_REVIEWER_2,
    answers,
    application,
    card_of,
    events,
    grant,
    last_answer,
    review_data,
    standard_reviewers,
    submitted_application,
)
from tests.support.people import is_unreachable, met_person


@pytest.mark.production_loop
async def test_unit_then_district_approval_reaches_everyone(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    district = world.user(DISTRICT_REVIEWER, "区县")
    other = world.user(OTHER_UNIT_REVIEWER, "交通")

    card = card_of(unit)
    assert "待单位审核" in card.text
    for expected in ("张三", "男", "1990年01月", "教授 正高级", "矿山", "安全工程 安全科学与工程类",
                     "重庆大学", "安全环保部部长", "138****0000", "未发现不符合项"):
        assert expected in card.text
    assert "13800000000" not in card.text
    assert "500103199001019998" not in card.text
    assert [label for label, _ in card.buttons()] == ["通过", "退回修改", "不同意", "查看全部", "审核记录", "下载推荐表"]
    photos = [r for r in world.session.requests if isinstance(r, SendPhoto)]
    assert [p.chat_id for p in photos] == [UNIT_REVIEWER]
    assert other.inbox() == [] and district.inbox() == []

    await unit.press("通过")
    assert "已通过" in last_answer(world)
    assert "已由 单位 于 2022-09-20 10:00 审核通过（单位审核）" in card.text
    assert card.buttons() == []
    assert "已通过单位审核" in applicant.texts()[-1]
    district_card = card_of(district)
    assert "待区县审核" in district_card.text
    assert "单位审核：单位 于 2022-09-20 10:00 同意" in district_card.text

    await district.press("通过")
    assert "已通过沙坪坝区人力社保部门审核（2022-09-20 10:00），将由区县汇总后报送市人力社保局" in applicant.texts()[-1]
    assert "区县审核" in district_card.text and district_card.buttons() == []
    app = await application(sessionmaker)
    assert app.status == "district_approved"
    assert [(a, s) for a, s, _ in await events(sessionmaker)] == [
        ("submit", "submitted"),
        ("approve", "unit_approved"),
        ("approve", "district_approved"),
    ]
    assert other.inbox() == []


async def test_returned_application_is_edited_resubmitted_and_shows_the_diff(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")

    await unit.press("退回修改")
    assert "请输入“退回修改”的理由" in unit.last().text
    await unit.send("职务填写不完整")
    assert "已退回修改" in unit.last().text
    assert "职务填写不完整" in card_of_text(unit)
    texts = applicant.texts()
    assert "退回修改" in texts[-2] and "原因：职务填写不完整" in texts[-2]
    assert "退回修改原因：职务填写不完整" in texts[-1]
    app = await application(sessionmaker)
    assert (app.status, app.return_reason) == ("returned", "职务填写不完整")

    await applicant.press("修改 职务")
    await applicant.send("安全环保部部长兼总工程师")
    assert "推荐表汇总" in applicant.last().text
    await applicant.press("签名提交")
    await applicant.send("张三")
    assert "申报已提交" in applicant.last().text

    card = card_of(unit)
    assert "重新提交" in card.text
    assert "职务：安全环保部部长 → 安全环保部部长兼总工程师" in card.text
    await unit.press("通过")
    assert (await application(sessionmaker)).status == "unit_approved"
    district_card = card_of(world.user(DISTRICT_REVIEWER, "区县"))
    assert "职务：安全环保部部长 → 安全环保部部长兼总工程师" in district_card.text


async def test_a_unit_changed_on_a_returned_form_is_shown_to_the_new_units_reviewer(
    world: OfflineWorld, sessionmaker
) -> None:
    """The district returns a form whose typed unit is 重庆大学 under another name; the applicant
    picks 重庆大学 on the card; its reviewer sees the unit among the changes, not 内容相同."""
    await standard_reviewers(sessionmaker)
    user = await submitted_application(world, typed_unit="重大安全学院")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.press("退回修改")
    await district.send("单位应为重庆大学，请在列表中选择")
    await user.press("修改 工作单位")
    await user.press("沙坪坝区")
    await user.press("重庆大学")
    await user.press("签名提交")
    await user.send("张三")
    card = card_of(world.user(UNIT_REVIEWER, "单位")).text
    assert "· 工作单位：重大安全学院 → 重庆大学" in card and rt.CARD_NO_CHANGES not in card


async def test_a_returned_form_moved_to_another_unit_is_told_to_the_reviewer_who_returned_it(
    world: OfflineWorld, sessionmaker
) -> None:
    """QA: after a return, 修改 工作单位 to a unit of another district sent the resubmission to
    that unit's reviewer; the one who returned it waited for a form that never came back."""
    from tests.flows.review_helpers import OTHER_UNIT_REVIEWER

    await standard_reviewers(sessionmaker)
    user = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press("退回修改")
    await unit.send("您的人事关系在交通集团，请向该单位申报")
    told = len(unit.texts())
    await user.press("修改 工作单位")
    await user.press("渝中区")
    await user.press("重庆交通运输集团有限公司")
    await user.press("签名提交")
    await user.send("张三")
    assert "重庆交通运输集团有限公司" in card_of(world.user(OTHER_UNIT_REVIEWER, "交通")).text
    [notice] = unit.texts()[told:]
    assert notice == (
        "📤 您退回修改的申报编号 1（张三）已将工作单位改为“重庆交通运输集团有限公司”（渝中区）"
        "并重新提交，将由新单位审核。"
    )


async def test_a_returned_form_resubmitted_to_the_same_unit_tells_nobody_it_moved(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    user = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press("退回修改")
    await unit.send("请补充社会兼职")
    await user.press("签名提交")
    await user.send("张三")
    assert "已将工作单位改为" not in "".join(unit.texts())
    assert "重新提交" in card_of(unit).text


def card_of_text(user) -> str:
    """The text of the message that carried the latest (now closed) card."""
    return next(m.text for m in reversed(user.inbox()) if "已由" in m.text)


async def test_cancel_keeps_the_application_as_it_was(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press("不同意")
    await unit.send("取消")
    assert "保持原状" in unit.last().text
    assert (await application(sessionmaker)).status == "submitted"
    assert card_of(unit).buttons()
    await unit.press("退回修改")
    await unit.send("/cancel")  # the command every step knows: never the applicant's "已填写的内容都已保存"
    assert unit.last().text == "已取消，刚才正在输入的内容未保存，其他一切保持原状。"
    await unit.send("请补充")
    assert (await application(sessionmaker)).status == "submitted"


async def test_cancel_typed_with_punctuation_cancels_and_is_no_reason(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    told = len(applicant.texts())
    unit = world.user(UNIT_REVIEWER, "单位")
    for typed in ("取消。", " 取消！", "“取消”"):
        await unit.press("退回修改")
        await unit.send(typed)
        assert unit.last().text == "已取消，申报保持原状。"
    assert (await application(sessionmaker)).status == "submitted"
    assert len(applicant.texts()) == told


async def test_cancel_on_a_prompt_whose_reason_was_given_does_not_claim_nothing_happened(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    [prompt] = await unit.press("退回修改")
    await unit.send("职务填写不完整")
    assert (await application(sessionmaker)).status == "returned"

    await unit.press("取消", message=prompt)
    assert unit.alert is not None and "已失效" in unit.alert
    assert prompt.text.startswith("申报编号 1（张三）：请输入“退回修改”的理由") and "已取消" not in prompt.text
    assert prompt.buttons() == []
    assert (await application(sessionmaker)).status == "returned"


async def test_the_unit_hears_why_the_district_returned_or_declined_what_it_approved(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await unit.press("通过")
    await district.press("退回修改")
    await district.send("请上传清晰的照片（正面免冠）。")
    told = unit.texts()[-1]
    assert "被区县退回修改：区县 于 2022-09-20 10:00" in told
    assert "理由：请上传清晰的照片（正面免冠）。" in told
    assert world.user(OTHER_UNIT_REVIEWER, "交通").inbox() == []

    await applicant.press("签名提交")
    await applicant.send("张三")
    await unit.press("通过")
    await district.press("不同意")
    await district.send("不符合申报条件")
    assert "区县审核不同意：区县 于 2022-09-20 10:00。\n理由：不符合申报条件" in unit.texts()[-1]


async def test_decline_is_final_and_told_with_its_reason(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    data = review_data(unit)
    await unit.press("不同意")
    [done] = await unit.send("非本单位在职人员")
    assert done.text == "✅ 申报编号 1（张三）已决定不同意。", "not 已不同意"
    assert "未获单位审核同意" in applicant.texts()[-1]
    assert "非本单位在职人员" in applicant.texts()[-1]
    assert (await application(sessionmaker)).status == "declined"
    await unit.press_data(data["通过"])
    assert "已由 单位 于 2022-09-20 10:00 决定不同意" in last_answer(world)
    assert (await application(sessionmaker)).status == "declined"


async def test_withdrawal_closes_reviewers_cards(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    card = card_of(unit)
    approve = review_data(unit)["通过"]
    await applicant.press("撤回申报")
    await applicant.press("确定撤回")
    assert (await application(sessionmaker)).status == "withdrawn"
    assert "申报人已于 2022-09-20 10:00 撤回申报" in card.text and card.buttons() == []
    await unit.press_data(approve, card)
    assert "撤回申报" in last_answer(world)


async def test_a_submitted_application_can_be_withdrawn_from_status_until_it_is_decided(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    await world.user(UNIT_REVIEWER, "单位").press("通过")
    await applicant.send("/status")
    assert [label for label, _ in applicant.last().buttons()] == ["撤回申报"]
    await applicant.press("撤回申报", message=applicant.last())
    await applicant.press("确定撤回")
    assert (await application(sessionmaker)).status == "withdrawn"
    district = world.user(DISTRICT_REVIEWER, "区县")
    assert any("申报人已于 2022-09-20 10:00 撤回申报" in sent.text for sent in district.inbox())
    await applicant.send("/status")
    assert applicant.last().buttons() == []


async def test_double_press_moves_once_and_names_who_was_first(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    data = review_data(unit)["通过"]
    await unit.press_data(data)
    await unit.press_data(data)
    assert "已由 单位 于 2022-09-20 10:00 审核通过" in last_answer(world)
    assert [a for a, _, _ in await events(sessionmaker)] == ["submit", "approve"]


async def test_two_reviewers_racing_move_the_application_once(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, UNIT_REVIEWER_2, "李单位", RoleKind.UNIT, "CQU001")
    await submitted_application(world)
    first, second = world.user(UNIT_REVIEWER, "单位"), world.user(UNIT_REVIEWER_2, "单位二")
    card1, card2 = card_of(first), card_of(second)
    before = len(answers(world))
    await asyncio.gather(
        first.press_data(review_data(first)["通过"], card1),
        second.press_data(review_data(second)["通过"], card2),
    )
    replies = answers(world)[before:]
    assert sorted("已由" in r for r in replies) == [False, True]
    assert [a for a, _, _ in await events(sessionmaker)] == ["submit", "approve"]
    assert card1.buttons() == [] and card2.buttons() == []
    assert "审核通过" in card1.text and "审核通过" in card2.text


async def test_forged_presses_change_nothing(world: OfflineWorld, sessionmaker, caplog) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    data = review_data(world.user(UNIT_REVIEWER, "单位"))["通过"]
    other = world.user(OTHER_UNIT_REVIEWER, "交通")
    await other.send("/roles")
    await other.press_data(data, other.last())
    assert last_answer(world) == "您无权处理这份申报。"
    await applicant.press_data(data)
    assert last_answer(world) == "您无权处理这份申报。"
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/roles")
    await district.press_data(data, district.last())
    assert last_answer(world) == "您无权处理这份申报。"
    await district.press_data(data.replace(":1:a", ":2:a"), district.last())
    assert "该卡片已过期" in last_answer(world)
    await other.press_data("rv:9999:1:1:a", other.last())
    assert "该卡片已过期" in last_answer(world)
    await other.press_data("rv:1:x:1:a", other.last())
    assert (await application(sessionmaker)).status == "submitted"
    assert [a for a, _, _ in await events(sessionmaker)] == ["submit"]
    assert "out of scope" in caplog.text


async def test_unit_decisions_are_refused_after_the_unit_deadline(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    card = card_of(unit)
    shown = card.text
    presses = review_data(unit)
    clock.advance(days=11)
    await unit.press("通过")
    assert last_answer(world) == (
        "单位审核截止时间 2022-09-30 18:00 已过，不能再作出审核决定。如需延期请联系市局。"
    ), "worded as the report's refusal and every reviewer-facing text: 市局"
    assert card.text == (
        "⏰ 单位审核截止时间 2022-09-30 18:00 已过，这份申报不能再作出审核决定，以下仅供查看。"
        "如需延期请联系市局。\n\n" + shown
    ), "the card says what /pending says of it, above what it showed"
    assert [label for label, _ in card.buttons()] == ["查看全部", "审核记录", "下载推荐表"]
    await unit.press_data(presses["退回修改"], card)  # an older copy of the card
    assert "2022-09-30 18:00" in last_answer(world)
    assert card.text.count("⏰") == 1
    assert (await application(sessionmaker)).status == "submitted"


async def test_a_reason_given_after_the_deadline_is_refused_in_the_chat(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press("退回修改")
    clock.advance(days=11)
    [refusal] = await unit.send("请补充工作经历")
    assert refusal.text.startswith("单位审核截止时间 2022-09-30 18:00 已过，不能再作出审核决定")
    assert (await application(sessionmaker)).status == "submitted"


async def test_district_decisions_are_refused_after_the_district_deadline(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    await world.user(UNIT_REVIEWER, "单位").press("通过")
    district = world.user(DISTRICT_REVIEWER, "区县")
    clock.advance(days=26)
    await district.press("通过")
    assert "区县审核截止时间 2022-10-15 18:00 已过" in last_answer(world)
    assert (await application(sessionmaker)).status == "unit_approved"
    closed = district.last()
    assert closed.text.startswith("⏰ 区县审核截止时间 2022-10-15 18:00 已过，这份申报不能再作出审核决定")
    assert "通过" not in [label for label, _ in closed.buttons()]


async def test_after_the_unit_deadline_pending_and_home_say_so_and_offer_no_decision(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """What waits past its level's deadline is marked in /pending and on the home screen,
    with what to do; opened from the list it shows no buttons that could only be refused."""
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.send("/pending")
    assert "⏰" not in unit.last().text
    clock.advance(days=11)

    await unit.send("/pending")
    listing = unit.last().text
    assert "待您审核的申报：共 1 份" in listing
    assert "⏰ 单位审核截止时间 2022-09-30 18:00 已过：其中 1 份（标 ⏰）不能再作出审核决定。如需延期请联系市局。" in listing
    assert "⏰ #1 张三" in listing
    await unit.press("#1 张三")
    note, full = unit.inbox()[-2:]
    assert "⏰ 单位审核截止时间 2022-09-30 18:00 已过，这份申报不能再作出审核决定" in note.text
    assert "通过" not in [label for label, _ in full.buttons()]

    [home] = await unit.send("/start")
    assert "待您审核的申报：1 份" in home.text
    assert "⏰ 其中 1 份已过单位审核截止时间 2022-09-30 18:00，不能再作出审核决定。如需延期请联系市局。" in home.text

    extended = datetime(2022, 10, 8, 18, 0, tzinfo=TZ)
    uows = unit_of_work_factory(sessionmaker)
    await campaigns.extend_deadline(uows, {DeadlineKind.UNIT: extended}, clock.now())
    await unit.send("/pending")
    assert "⏰" not in unit.last().text
    await unit.press("#1 张三")
    assert "待单位审核" in card_of(unit).text


async def test_after_the_district_deadline_pending_and_home_say_so(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    await world.user(UNIT_REVIEWER, "单位").press("通过")
    district = world.user(DISTRICT_REVIEWER, "区县")
    clock.advance(days=26)
    await district.send("/pending")
    assert "⏰ 区县审核截止时间 2022-10-15 18:00 已过：其中 1 份" in district.last().text
    [home] = await district.send("/start")
    assert "⏰ 其中 1 份已过区县审核截止时间 2022-10-15 18:00" in home.text


async def test_district_reviews_at_unit_level_when_the_unit_has_no_reviewer(
    world: OfflineWorld, sessionmaker
) -> None:
    await grant(sessionmaker, DISTRICT_REVIEWER, "赵区县", RoleKind.DISTRICT, "500106")
    await submitted_application(world)
    district = world.user(DISTRICT_REVIEWER, "区县")
    card = card_of(district)
    assert "待单位审核" in card.text and "该单位尚无审核人" in card.text
    await district.press("通过")
    assert "待区县审核" in card_of(district).text
    await district.press("通过")
    assert (await application(sessionmaker)).status == "district_approved"


@pytest.mark.production_loop
async def test_the_districts_unit_level_approval_confirms_a_typed_unit(
    world: OfflineWorld, sessionmaker
) -> None:
    """The card asks the district to check a unit the applicant typed and approve for it; once
    it has, the unit is no longer shown as 待区县确认 (nothing else ever confirmed it)."""
    await grant(sessionmaker, DISTRICT_REVIEWER, "赵区县", RoleKind.DISTRICT, "500106")
    user = await submitted_application(world, typed_unit="重庆某设计院")
    district = world.user(DISTRICT_REVIEWER, "区县")
    assert rt.CARD_UNIT_UNCONFIRMED in card_of(district).text
    await district.press("通过")
    app = await application(sessionmaker)
    assert (app.status, app.unit_name, app.unit_confirmed) == ("unit_approved", "重庆某设计院", True)
    card = card_of(district).text
    assert "待区县审核" in card and "待区县确认" not in card and rt.CARD_UNIT_UNCONFIRMED not in card
    await user.send("/status")
    assert "待区县确认" not in user.last().text


async def test_a_reviewer_never_decides_on_their_own_application(
    world: OfflineWorld, sessionmaker
) -> None:
    """回避: the unit's other reviewer gets the card, never the applicant; a forged press by the
    applicant-reviewer is refused and changes nothing."""
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, UNIT_REVIEWER_2, "李单位", RoleKind.UNIT, "CQU001")
    applicant = await submitted_application(world, UNIT_REVIEWER, reviewer=True)
    with pytest.raises(LookupError):
        card_of(applicant)
    data = review_data(world.user(UNIT_REVIEWER_2, "单位二"))["通过"]
    await applicant.press_data(data)
    assert last_answer(world) == "这是您本人的申报。按回避要求，本人的申报由其他审核人员审核，您不能作出决定。"
    assert (await application(sessionmaker)).status == "submitted"
    assert [a for a, _, _ in await events(sessionmaker)] == ["submit"]


async def test_the_district_reviews_at_unit_level_when_the_only_unit_reviewer_applies(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world, UNIT_REVIEWER, reviewer=True)
    with pytest.raises(LookupError):
        card_of(applicant)
    await applicant.send("/pending")
    assert applicant.last().text == "目前没有待您审核的申报。"
    district = world.user(DISTRICT_REVIEWER, "区县")
    card = card_of(district)
    assert "待单位审核" in card.text and "审核人即申报人本人" in card.text
    await district.press("通过")
    assert "待区县审核" in card_of(district).text


async def test_a_blocked_reviewer_does_not_stop_the_others(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, UNIT_REVIEWER_2, "李单位", RoleKind.UNIT, "CQU001")
    world.session.blocked.add(UNIT_REVIEWER)
    await submitted_application(world)
    assert card_of(world.user(UNIT_REVIEWER_2, "单位二"))
    assert await is_unreachable(sessionmaker, UNIT_REVIEWER) is True
    assert await is_unreachable(sessionmaker, UNIT_REVIEWER_2) is False


async def test_pending_applications_and_history(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.send("/pending")
    assert "待您审核的申报：共 1 份" in unit.last().text
    assert "#1 张三 · 重庆大学 · 矿山" in unit.last().text
    await unit.press("#1 张三")
    assert "待单位审核" in card_of(unit).text
    await unit.press("通过")
    await unit.send("/pending")
    assert "目前没有待您审核的申报" in unit.last().text

    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/applications")
    listing = district.last().text
    assert "沙坪坝区" in listing and "待区县审核 1" in listing
    await district.press("按状态")
    await district.press("已退回")
    assert "没有符合条件的申报" in district.last().text
    await district.press("按状态")
    await district.press("待区县审核")
    assert "#1 张三" in district.last().text

    await world.user(APPLICANT, "三").send("/applications")
    assert "只有审核人和市局管理员可以查看申报列表" in world.user(APPLICANT, "三").last().text

    await district.send("/history 1")
    history = district.last().text
    assert "提交申报" in history and "单位：审核通过" in history
    await world.user(OTHER_UNIT_REVIEWER, "交通").send("/history 1")
    refusal = "没有找到您可以查看的申报编号 1，请核对编号。"
    assert world.user(OTHER_UNIT_REVIEWER, "交通").last().text == refusal
    await district.send("/history 999")
    assert district.last().text == refusal.replace("编号 1", "编号 999")


async def test_a_unit_reviewer_lists_their_units_applications_without_their_own(
    world: OfflineWorld, sessionmaker
) -> None:
    """/applications for a unit reviewer: counts and pages of their unit's applications, no
    按单位 filter, another unit's not listed, and (回避) never the reviewer's own application."""
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, UNIT_REVIEWER_2, "李单位", RoleKind.UNIT, "CQU001")
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.send("/start")
    await unit.press(rt.BUTTON_APPLY_MYSELF)
    await unit.press("全部同意")
    await choose_unit(unit)
    await fill_form(unit, name="李四", id_number="500103198801011236")
    await unit.press("签名提交")
    await unit.send("李四")
    await unit.send("/applications")
    listing = unit.last()
    assert "本批次申报（重庆大学）" in listing.text and "待单位审核 1" in listing.text
    assert "#1 张三" in listing.text and "李四" not in listing.text
    labels = [label for label, _ in listing.buttons()]
    assert "按状态" in labels and "按单位" not in labels and "#2 李四" not in labels
    await unit.press("#1 张三")
    assert "待单位审核" in card_of(unit).text
    await unit.press("通过")
    await unit.send("/applications")
    assert "待区县审核 1" in unit.last().text

    second = world.user(UNIT_REVIEWER_2, "单位二")
    await second.send("/applications")
    assert "待单位审核 1" in second.last().text and "#2 李四" in second.last().text
    other = world.user(OTHER_UNIT_REVIEWER, "交通")
    await other.send("/applications")
    assert "本批次申报（" in other.last().text and "张三" not in other.last().text


async def test_a_district_reviewer_nudges_the_unit_from_the_card_of_an_application_waiting_there(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/applications")
    await district.press("#1 张三")
    shown = district.last()
    assert "催办" in [label for label, _ in shown.buttons()]
    before = len(unit.texts())
    await district.press("催办")
    assert "已催办，1 人将收到提醒" in last_answer(world)
    assert "催办" in unit.texts()[-1] and len(unit.texts()) == before + 1
    # the unit reviewer's own card waits on them: decision buttons, no 催办
    assert "催办" not in [label for label, _ in card_of(unit).buttons()]


async def test_list_entries_offer_nudge_to_those_who_may_and_not_to_who_decides(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await unit.send("/pending")
    assert "催办 #1" not in [label for label, _ in unit.last().buttons()]
    await district.send("/applications")
    assert "催办 #1" in [label for label, _ in district.last().buttons()]
    before = len(unit.texts())
    await district.press("催办 #1")
    assert "已催办，1 人将收到提醒" in last_answer(world)
    assert "催办" in unit.texts()[-1] and len(unit.texts()) == before + 1
    await unit.press("通过", message=card_of(unit))
    await district.send("/applications")
    assert "催办 #1" not in [label for label, _ in district.last().buttons()]


async def test_no_nudge_is_offered_past_the_deadline_that_would_refuse_it(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """After the unit deadline 催办 to the unit could only answer 无需催办: neither the list nor
    the card opened from it offers it; an application at the district is nudged until its own."""
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/applications")
    assert "催办 #1" in [label for label, _ in district.last().buttons()]
    clock.advance(days=11)  # past the unit deadline, before the district's
    await district.send("/applications")
    assert not [label for label, _ in district.last().buttons() if "催办" in label]
    await district.press("#1 张三")
    assert not [label for label, _ in district.last().buttons() if "催办" in label]
    bureau = world.user(BUREAU_ADMIN, "周处长")
    await bureau.send("/applications")
    assert not [label for label, _ in bureau.last().buttons() if "催办" in label]


async def test_nudge_is_offered_until_the_district_deadline_when_no_unit_reviewer_can_be_reached(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """Its unit's only reviewer blocked the bot: 催办 goes to the district (`holders_of`), so
    the list and the card still offer it past the unit deadline, and it is accepted."""
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit_person = await met_person(sessionmaker, UNIT_REVIEWER)
    await reminders.person_blocked(unit_of_work_factory(sessionmaker), unit_person, world.now())
    clock.advance(days=11)  # past the unit deadline, before the district's
    bureau = world.user(BUREAU_ADMIN, "周处长")
    await bureau.send("/applications")
    assert "催办 #1" in [label for label, _ in bureau.last().buttons()]
    await bureau.press("#1 张三")
    assert "催办" in [label for label, _ in bureau.last().buttons()]
    await bureau.press("催办")
    assert "已催办，1 人将收到提醒" in last_answer(world)


async def test_refusals_wrong_reasons_and_notifications_all_reach_telegram_after_the_unit_of_work(
    world: OfflineWorld, sessionmaker, monkeypatch, caplog
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    send = world.session.make_request
    open_at_call: list[bool] = []

    async def spy(bot, method, timeout=None):
        open_at_call.append(unit_of_work_open.get())
        return await send(bot, method, timeout)

    monkeypatch.setattr(world.session, "make_request", spy)
    world.session.blocked.add(applicant.id)
    unit = world.user(UNIT_REVIEWER, "单位")
    other = world.user(OTHER_UNIT_REVIEWER, "交通")
    await other.send("/roles")
    await other.press_data(review_data(unit)["通过"], other.last())
    assert last_answer(world) == "您无权处理这份申报。"
    await unit.press("退回修改")
    await unit.send("短")
    assert "理由应为 2 到 500 个字" in unit.last().text
    await unit.send("/cancel")
    await unit.press("通过")
    assert "待区县审核" in card_of(world.user(DISTRICT_REVIEWER, "区县")).text
    assert open_at_call and not any(open_at_call)
    assert "unhandled error" not in caplog.text
    assert await is_unreachable(sessionmaker, applicant.id) is True


async def test_a_list_line_without_a_submission_time_ends_with_its_status(
    world: OfflineWorld, sessionmaker
) -> None:
    """A draft withdrawn before it was ever submitted is listed without a time, and without a
    separator left hanging where the time would be."""
    await standard_reviewers(sessionmaker)
    applicant = world.user(1001, "三", last_name="张")
    await consent(applicant)
    await choose_unit(applicant)
    await fill_form(applicant)
    await applicant.press("撤回申报")
    await applicant.press("确定撤回")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/applications")
    assert "#1 张三 · 重庆大学 · 矿山 · 已撤回" in district.last().text.splitlines()


async def _submit_to_cqjt(
    world: OfflineWorld, user_id: int = APPLICANT, name: str = "张三", id_number: str = VALID_ID
):
    """An application (张三's unless told) to 重庆交通运输集团有限公司 (渝中区), submitted."""
    applicant = world.user(user_id, name[1:], last_name=name[0])
    await consent(applicant)
    await choose_unit(applicant, "渝中区", "重庆交通运输集团有限公司")
    await fill_form(applicant, name=name, id_number=id_number)
    await applicant.press("签名提交")
    await applicant.send(name)
    return applicant


async def test_an_application_nobody_may_review_is_told_to_the_bureau_and_the_applicant(
    world: OfflineWorld, sessionmaker
) -> None:
    admin = world.user(BUREAU_ADMIN, "周处长")
    await admin.send("/roles")
    applicant = await _submit_to_cqjt(world)
    confirmation = applicant.last().text
    assert "申报已提交" in confirmation and "目前渝中区还没有可以审核的人员" in confirmation
    assert "单位“重庆交通运输集团有限公司”的审核人员" not in confirmation
    assert admin.last().text == (
        "⚠️ 申报编号 1（重庆交通运输集团有限公司，渝中区）正在等待单位审核，但无人可以审核："
        "该单位无人审核，应由区县代为进行单位审核，但渝中区还没有区县审核人。\n"
        "请发送 /invite 邀请渝中区的区县审核人（或在服务器上执行 expertbot grant 授权），"
        "授权后对方即可在 /pending 中审核。\n"
        "在渝中区有人可以审核之前，该区县后续等待审核的申报不再逐份通知，可发送 /applications 查看。"
    )
    await applicant.send("/status")
    assert "状态：已提交，待单位审核（目前还没有可以审核的人员，待指定审核人后审核）" in applicant.last().text

    await grant(sessionmaker, DISTRICT_REVIEWER, "钱区县", RoleKind.DISTRICT, "500103")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/pending")
    assert "#1 张三 · 重庆交通运输集团有限公司" in district.last().text
    await applicant.send("/status")
    assert "状态：已提交，待单位审核\n" in applicant.last().text


async def test_the_bureau_hears_once_per_district_without_reviewers_not_once_per_application(
    world: OfflineWorld, sessionmaker, clock: FixedClock, settings: Settings
) -> None:
    """Twenty applicants of an unstaffed district would otherwise bring twenty notices. The
    first one is told; the rest wait silently (the state is the data, so a restart changes
    nothing) until someone may review there; a later gap is told again."""
    admin = world.user(BUREAU_ADMIN, "周处长")
    await admin.send("/roles")
    await _submit_to_cqjt(world)
    told = len(admin.texts())
    assert "无人可以审核" in admin.last().text

    clock.advance(minutes=1)
    dp = create_dispatcher(settings=settings, database=sessionmaker, clock=clock)
    restarted = OfflineWorld(dp, Bot(token=settings.bot_token, session=OfflineSession()), clock.now)
    try:
        again = restarted.user(1002, "四", last_name="李")
        await consent(again)
        await choose_unit(again, "渝中区", "重庆交通运输集团有限公司")
        await fill_form(again, name="李四", id_number="500103198801011236")
        await again.press("签名提交")
        await again.send("李四")
        assert "目前渝中区还没有可以审核的人员" in again.last().text
        assert restarted.user(BUREAU_ADMIN, "周处长").inbox() == []
    finally:
        await restarted.close()
    assert len(admin.texts()) == told

    district_id = await grant(sessionmaker, DISTRICT_REVIEWER, "钱区县", RoleKind.DISTRICT, "500103")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/pending")
    assert "共 2 份" in district.last().text
    for entry in ("#1 张三", "#2 李四"):
        await district.press(entry)
        await district.press("不同意")
        await district.send("不符合条件")
    uows = unit_of_work_factory(sessionmaker)
    district_role = await roles.find_target(uows, RoleKind.DISTRICT, "500103")
    assert district_role is not None
    assert await roles.revoke(uows, district_id, district_role)

    await _submit_to_cqjt(world, 1003, "王五", "500103198901011233")
    assert len(admin.texts()) == told + 1
    assert admin.last().text.startswith("⚠️ 申报编号 3（重庆交通运输集团有限公司，渝中区）")


async def test_revoking_a_units_last_reviewer_tells_the_district_what_now_waits_for_it(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """The unit's waiting application becomes the district's to decide (it acts for a unit
    nobody reviews): its reviewers hear it once, with the count and 查看待审核的申报, through the
    outbox the CLI queues it in (no bot at hand there)."""
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    district = world.user(DISTRICT_REVIEWER, "区县")
    uows = unit_of_work_factory(sessionmaker)
    unit_person = await met_person(sessionmaker, UNIT_REVIEWER)
    unit_role = await roles.find_target(uows, RoleKind.UNIT, "CQU001")
    assert unit_role is not None
    assert await roles.revoke(uows, unit_person, unit_role)
    moved = await review.moved_to_district(uows, unit_role, unit_person, clock.now())
    assert moved == review.ToDistrict("重庆大学", "沙坪坝区", 1, 1)

    sender = TelegramSender(world.bot, RateLimiter(sleep=_instant), clock, uows)
    await reminders.send_due_reminders(uows, sender, clock)
    notice = district.last()
    assert notice.text == (
        "📋 重庆大学已没有单位审核人，其 1 份待单位审核的申报现由您所在区县代为审核。请发送 /pending 查看。"
    )
    await district.press("查看待审核的申报")
    assert "待您审核的申报：共 1 份" in district.last().text
    await district.press("#1 张三")
    assert "待单位审核" in card_of(district).text
    clock.advance(minutes=1)
    await reminders.send_due_reminders(uows, sender, clock)
    assert sum(text.startswith("📋 重庆大学已没有单位审核人") for text in district.texts()) == 1


async def test_a_unit_approval_that_reaches_a_district_without_reviewers_is_told_to_the_bureau(
    world: OfflineWorld, sessionmaker
) -> None:
    await grant(sessionmaker, OTHER_UNIT_REVIEWER, "孙交通", RoleKind.UNIT, "CQJT01")
    admin = world.user(BUREAU_ADMIN, "周处长")
    await admin.send("/roles")
    applicant = await _submit_to_cqjt(world)
    assert "单位“重庆交通运输集团有限公司”的审核人员" in applicant.last().text
    told = len(admin.texts())
    await world.user(OTHER_UNIT_REVIEWER, "交通").press("通过")
    assert len(admin.texts()) == told + 1
    assert admin.last().text.startswith(
        "⚠️ 申报编号 1（重庆交通运输集团有限公司，渝中区）正在等待区县审核，但无人可以审核："
        "渝中区还没有区县审核人。"
    )
    await applicant.send("/status")
    assert "状态：单位已同意，待区县审核（目前还没有可以审核的人员，待指定审核人后审核）" in applicant.last().text


async def test_a_return_after_the_unit_deadline_says_so_and_keeps_the_form_closed(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """The district may return an application until its own deadline, but nothing the applicant
    changed after the unit deadline could be submitted (the unit could not review it again):
    the return says so, and the form takes no edits until the bureau extends the deadline."""
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    await world.user(UNIT_REVIEWER, "单位").press("通过")
    district = world.user(DISTRICT_REVIEWER, "区县")
    clock.advance(days=11)  # 2022-10-01 10:00: after the unit deadline, before the district's
    await district.press("退回修改")
    assert district.last().text.startswith(
        "⚠️ 个人及单位提交截止时间 2022-09-30 18:00 已过：退回后申报人不能再修改和重新提交"
        "（除非市局延长截止时间）。"
    )
    await district.send("职务填写不完整")
    assert (await application(sessionmaker)).status == "returned"
    told = applicant.last()
    assert "被区县审核退回修改（2022-10-01 10:00）" in told.text and "原因：职务填写不完整" in told.text
    assert "个人及单位提交截止时间 2022-09-30 18:00 已过，申报不能再修改或重新提交" in told.text
    assert told.buttons() == [], "no summary card to edit came with it"

    await applicant.send("/status")
    status = applicant.last()
    assert "状态：已退回修改（提交截止时间已过，不能再修改或提交）" in status.text
    assert "退回修改原因：职务填写不完整" in status.text
    assert [label for label, _ in status.buttons()] == ["撤回申报"]

    await applicant.send("/start")
    assert applicant.texts()[-1].startswith("个人及单位提交截止时间 2022-09-30 18:00 已过")
    await applicant.send("安全环保部部长兼总工程师")
    assert applicant.last().text.startswith("您刚才发送的内容未保存。个人及单位提交截止时间")
    await applicant.press("修改 职务")  # the summary card from before the submission
    assert applicant.alert is not None and "2022-09-30 18:00 已过" in applicant.alert
    app = await application(sessionmaker)
    assert (app.status, app.position, app.cursor) == ("returned", "安全环保部部长", None)


async def test_an_id_number_typed_into_a_closed_form_is_deleted_from_the_chat(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press("退回修改")
    await unit.send("身份证号有误")
    await applicant.press("修改 身份证号")
    clock.advance(days=11)
    before = len(world.session.deleted)
    await applicant.send(VALID_ID)
    refusal = applicant.last().text
    assert refusal.startswith("您刚才发送的内容未保存。") and "含身份证号的消息已从聊天中删除" in refusal
    assert len(world.session.deleted) == before + 1


async def test_a_form_left_open_at_the_deadline_takes_no_more_answers_until_it_is_extended(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press("退回修改")
    await unit.send("职务填写不完整")
    [before_deadline] = await applicant.send("/status")
    assert [label for label, _ in before_deadline.buttons()] == ["继续填写"]
    await applicant.press("修改 职务")
    assert "当前填写：安全环保部部长" in applicant.last().text
    clock.advance(days=11)
    await applicant.send("安全环保部部长兼总工程师")
    assert applicant.last().text.startswith(
        "您刚才发送的内容未保存。个人及单位提交截止时间 2022-09-30 18:00 已过"
    )
    assert (await application(sessionmaker)).position == "安全环保部部长"
    await applicant.press("继续填写", message=before_deadline)
    assert applicant.last().text.startswith("个人及单位提交截止时间 2022-09-30 18:00 已过")
    await applicant.send("/status")
    assert [label for label, _ in applicant.last().buttons()] == ["撤回申报"]

    extended = datetime(2022, 10, 8, 18, 0, tzinfo=TZ)
    uows = unit_of_work_factory(sessionmaker)
    await campaigns.extend_deadline(uows, {DeadlineKind.UNIT: extended}, clock.now())
    await applicant.send("/status")
    assert [label for label, _ in applicant.last().buttons()] == ["继续填写"]
    await applicant.press("继续填写")
    await applicant.send("安全环保部部长兼总工程师")
    await applicant.press("签名提交")
    await applicant.send("张三")
    assert (await application(sessionmaker)).status == "submitted"


def _id_number(birth: str, serial: int) -> str:
    """A valid 18-digit ID number of 渝中区 born on `birth` (YYYYMMDD)."""
    body = f"500103{birth}{serial:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


async def _pending_statements(sessionmaker, user) -> tuple[int, str]:
    """How many SQL statements one /pending costs this reviewer, and what it shows."""
    await user.send("/pending")  # the account is met and cached before counting
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(sessionmaker.sync_engine, "before_cursor_execute", record)
    try:
        await user.send("/pending")
    finally:
        event.remove(sessionmaker.sync_engine, "before_cursor_execute", record)
    return len(statements), user.last().text


async def test_pending_after_the_deadline_costs_the_same_queries_for_one_application_or_many(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """The ⏰ marks of /pending were read per waiting application (its trail, whether it is at
    the bureau, who reviews its unit); now a fixed number of statements for any queue."""
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, 3002, "钱区县", RoleKind.DISTRICT, "500103")
    many = world.user(DISTRICT_REVIEWER, "区县")
    one = world.user(3002, "渝中")
    for n, (district, unit) in enumerate(
        [("沙坪坝区", "重庆大学")] * 4 + [("渝中区", "重庆交通运输集团有限公司")]
    ):
        name = "张" + "甲乙丙丁戊"[n]
        applicant = world.user(1001 + n, name[1], last_name="张")
        await consent(applicant)
        await choose_unit(applicant, district, unit)
        await fill_form(applicant, name=name, id_number=_id_number(f"198{n}0101", 123))
        await applicant.press("签名提交")
        await applicant.send(name)
        assert "申报已提交" in applicant.last().text
    for reviewer in (UNIT_REVIEWER, OTHER_UNIT_REVIEWER):
        unit = world.user(reviewer, "单位")
        while any(data.startswith("rv:") for sent in unit.inbox() for _, data in sent.buttons()):
            await unit.press("通过", message=card_of(unit))
    clock.advance(days=26)  # past the district deadline

    for_one, one_text = await _pending_statements(sessionmaker, one)
    for_many, many_text = await _pending_statements(sessionmaker, many)
    assert "其中 1 份（标 ⏰）" in one_text and "其中 4 份（标 ⏰）" in many_text
    assert many_text.count("⏰ #") == 4
    assert for_many == for_one, (for_one, for_many)


async def _instant(_: float) -> None:
    return None


async def test_a_district_reviewer_a_card_cannot_reach_is_told_to_the_bureau(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """A reviewer whose Telegram account was deleted sends no my_chat_member: the failed card
    is how the bot learns it. The bureau hears it as from the reminders (the mark would keep
    them from ever telling it), and what waits there would otherwise wait for nobody, unsaid."""
    await standard_reviewers(sessionmaker)
    admin = world.user(BUREAU_ADMIN, "周处长")
    await admin.send("/roles")
    world.session.blocked.add(DISTRICT_REVIEWER)
    await submitted_application(world)
    await world.user(UNIT_REVIEWER, "单位").press("通过")
    assert await is_unreachable(sessionmaker, DISTRICT_REVIEWER) is True

    uows = unit_of_work_factory(sessionmaker)
    sender = TelegramSender(world.bot, RateLimiter(sleep=_instant), clock, uows)
    await reminders.send_due_reminders(uows, sender, clock)
    told = [text for text in admin.texts() if "屏蔽本机器人或停用账号" in text]
    assert told == ["⚠️ 区县审核人“赵区县”（沙坪坝区）已屏蔽本机器人或停用账号，收不到本机器人发出的审核卡片和提醒。请通过电话等其他方式联系。"]
    clock.advance(minutes=1)
    await reminders.send_due_reminders(uows, sender, clock)
    assert len([text for text in admin.texts() if "屏蔽" in text]) == 1


async def test_a_unit_reviewer_nobody_in_the_district_can_stand_in_for_is_told_to_the_bureau(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """渝中区 has no district reviewer: an unreachable unit reviewer there leaves its applications
    with nobody to reach, and the bureau, not an empty district, is who must hear it."""
    await standard_reviewers(sessionmaker)
    admin = world.user(BUREAU_ADMIN, "周处长")
    await admin.send("/roles")
    world.session.blocked.add(OTHER_UNIT_REVIEWER)
    await _submit_to_cqjt(world)
    assert await is_unreachable(sessionmaker, OTHER_UNIT_REVIEWER) is True

    uows = unit_of_work_factory(sessionmaker)
    sender = TelegramSender(world.bot, RateLimiter(sleep=_instant), clock, uows)
    await reminders.send_due_reminders(uows, sender, clock)
    told = [text for text in admin.texts() if "屏蔽本机器人或停用账号" in text]
    assert len(told) == 1 and told[0].startswith("⚠️ 单位审核人“孙交通”（重庆交通运输集团有限公司")
