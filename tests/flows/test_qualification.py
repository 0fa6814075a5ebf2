"""The bureau's qualification review (资格审核) of reported applications, through the real Dispatcher."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import update

from bot.clock import TZ, FixedClock
from bot.domain.review import RoleKind
from bot.offline import OfflineUser, OfflineWorld
from bot.services import privacy
from bot.services.transaction import unit_of_work_open
from storage.models import Application
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.flows.helpers import VALID_ID
from tests.flows.qualification_steps import (
    BUREAU_REVIEWER,
    district_approved,
    open_from_pending,
    report,
)
from tests.flows.review_helpers import (
    BUREAU_ADMIN,
    DISTRICT_REVIEWER,
    OTHER_UNIT_REVIEWER,
    UNIT_REVIEWER,
    answers,
    application,
    card_of,
    events,
    grant,
    last_answer,
    review_data,
)

BUREAU_REVIEWER_2 = 4002
LAST_YEAR = datetime(2021, 9, 30, 18, 0, tzinfo=TZ)


def has_card(user: OfflineUser) -> bool:
    try:
        card_of(user)
    except LookupError:
        return False
    return True


async def test_a_reported_application_reaches_the_bureau_once_and_is_qualified(
    world: OfflineWorld, sessionmaker
) -> None:
    applicant = await district_approved(world, sessionmaker)
    bureau = world.user(BUREAU_REVIEWER, "市局")
    await bureau.send("/pending")
    assert bureau.last().text == "目前没有待您审核的申报。"
    assert not has_card(bureau)

    await report(world)
    notice = bureau.last()
    assert notice.text == "📋 沙坪坝区上报了 1 份申报，待资格审核。"
    assert [label for label, _ in notice.buttons()] == ["查看待审核的申报"]
    assert not has_card(bureau), "a report brings one message, not a card per application"

    await bureau.press("查看待审核的申报")
    assert "待您审核的申报：共 1 份" in bureau.last().text
    await bureau.press("#1 张三")
    card = card_of(bureau)
    assert card.text.startswith("📝 待资格审核 · 申报编号 1")
    assert [label for label, _ in card.buttons()] == [
        "资格审核通过", "退回区县", "不通过", "查看全部", "审核记录", "下载推荐表",
    ]  # fmt: skip
    for expected in (
        "✅ 单位审核：单位 于 2022-09-20 10:00 同意",
        "✅ 区县审核：区县 于 2022-09-20 10:00 同意，已上报市局",
        "申报条件（年龄按单位提交截止日 2022-09-30 计算）：",
        "· 年龄：32 周岁，须65周岁以下 ✅",
        "· 职称：正高级，单位类型 高等院校，须正高级 ✅",
        "· 学科类别：安全科学与工程类 ✅",
        "同一身份证号的其他申报：无",
        "138****0000",
    ):
        assert expected in card.text
    assert VALID_ID not in card.text and "13800000000" not in card.text

    await bureau.press("资格审核通过")
    assert last_answer(world) == "已通过资格审核。"
    assert "✅ 已由 市局 于 2022-09-20 10:00 审核通过（资格审核）" in card.text
    assert card.buttons() == []
    assert "已通过市人力社保局资格审核（2022-09-20 10:00）" in applicant.texts()[-1]
    assert (await application(sessionmaker)).status == "qualified"
    assert [(a, s) for a, s, _ in await events(sessionmaker)][-1] == ("qualify", "qualified")
    assert (await events(sessionmaker))[-1][2] == "市局"

    await applicant.send("/status")
    assert "市局资格审核通过，待联席会议确认" in applicant.last().text
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/applications")
    assert "资格审核通过 1" in district.last().text
    await district.send("/history 1")
    assert "市局：审核通过（区县已同意 → 资格审核通过）" in district.last().text
    await bureau.send("/pending")
    assert bureau.last().text == "目前没有待您审核的申报。"


async def test_the_bureau_hears_of_what_a_report_brought_not_of_what_it_had(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """Once a district reported, what it approves goes to the bureau one by one, with a card;
    a second report (replacing the first) brings nothing the bureau did not have."""
    await district_approved(world, sessionmaker)
    await report(world)
    bureau = world.user(BUREAU_REVIEWER, "市局")
    assert bureau.last().text == "📋 沙坪坝区上报了 1 份申报，待资格审核。"

    await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="unit_approved",
                   name="李四")  # fmt: skip
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/pending")
    await district.press("#2 李四")
    await district.press("通过")
    card = card_of(bureau).text
    assert card.startswith("📝 待资格审核 · 申报编号 2")
    assert "所学专业及类别：未填\n" in card, "the seeded form has no major: said, not left blank"
    assert "· 年龄：未知，须65周岁以下 ❔" in card
    told = len(bureau.texts())

    clock.advance(hours=1)
    await district.send("/report")
    await district.press("确认上报")
    assert "重新上报 沙坪坝区 的推荐汇总表，共 2 人" in district.last().text
    assert len(bureau.texts()) == told, "nothing new waits for the bureau's reviewers"
    await bureau.send("/pending")
    assert "待您审核的申报：共 2 份" in bureau.last().text


async def test_the_applicant_hears_of_the_district_approval_and_then_of_the_report(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """The district's approval does not take the application to the bureau: its report does.
    The applicant is told each when it happens, and /status says where it stands."""
    applicant = await district_approved(world, sessionmaker)
    approved = applicant.texts()[-1]
    assert "已通过沙坪坝区人力社保部门审核（2022-09-20 10:00），将由区县汇总后报送市人力社保局" in approved
    assert "已报送" not in approved and "已推荐" not in approved
    await applicant.send("/status")
    assert "状态：区县已同意，待区县报送市人力社保局" in applicant.last().text

    clock.advance(hours=1)
    await report(world)
    assert applicant.texts()[-1] == (
        "📮 沙坪坝区人力社保部门已将您的申报报送市人力社保局（2022-09-20 11:00），等待资格审核。"
        "发送 /status 查看进度。"
    )
    await applicant.send("/status")
    assert "状态：区县已同意，已报送市人力社保局，待资格审核" in applicant.last().text

    told = len(applicant.texts())
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/report")
    await district.press("确认上报")  # replaces the first report: nothing new reaches the bureau
    assert "重新上报 沙坪坝区 的推荐汇总表" in district.last().text
    assert len(applicant.texts()) == told


async def test_a_return_to_the_district_is_decided_again_there_after_its_deadline_then_qualified(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    applicant = await district_approved(world, sessionmaker)
    await report(world)
    bureau = world.user(BUREAU_REVIEWER, "市局")
    district = world.user(DISTRICT_REVIEWER, "区县")
    clock.advance(days=30)  # the bureau reviews after the district deadline (2022-10-15 18:00)
    await open_from_pending(bureau)
    card = card_of(bureau)
    await bureau.press("退回区县")
    assert "请输入“退回区县”的理由" in bureau.last().text
    await bureau.send("请核实申报人现任职务")
    assert bureau.last().text == "✅ 申报编号 1（张三）已退回区县。"
    assert "↩️ 已由 市局 于 2022-10-20 10:00 退回区县（资格审核）" in card.text
    app = await application(sessionmaker)
    assert app.status == "unit_approved" and app.return_reason is None

    told = applicant.texts()[-1]
    assert "退回沙坪坝区人力社保部门重新审核" in told and "请核实申报人现任职务" in told
    assert not any(label == "签名提交" for label, _ in applicant.last().buttons())
    district_card = card_of(district)
    assert "📝 待区县审核" in district_card.text
    assert "↩️ 市局资格审核退回区县重新审核：市局 于 2022-10-20 10:00" in district_card.text
    assert "退回理由：请核实申报人现任职务" in district_card.text
    await district.send("/pending")
    assert "#1 张三" in district.last().text and "⏰" not in district.last().text, (
        "past the district deadline, but a bureau return has none"
    )

    await district.press("通过", message=district_card)
    assert (await application(sessionmaker)).status == "district_approved"
    assert "已通过沙坪坝区人力社保部门审核（2022-10-20 10:00），已报送市人力社保局进行资格审核" in (
        applicant.texts()[-1]
    ), "the district reported already: the application is at the bureau again at once"
    again = card_of(bureau)
    assert again is not card and "📝 待资格审核" in again.text
    await bureau.press("资格审核通过", message=again)
    assert (await application(sessionmaker)).status == "qualified"
    assert [(a, s) for a, s, _ in await events(sessionmaker)] == [
        ("submit", "submitted"),
        ("approve", "unit_approved"),
        ("approve", "district_approved"),
        ("return_to_district", "unit_approved"),
        ("approve", "district_approved"),
        ("qualify", "qualified"),
    ]


async def test_a_disqualification_is_final_told_with_its_reason_and_purged_after_retention(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    applicant = await district_approved(world, sessionmaker)
    await report(world)
    admin = world.user(BUREAU_ADMIN, "周处长")
    await open_from_pending(admin)
    data = review_data(admin)
    await admin.press("不通过")
    await admin.send("职称与所在单位类型要求不符")
    assert admin.last().text == "✅ 申报编号 1（张三）已决定资格审核不通过。"
    assert (await application(sessionmaker)).status == "not_qualified"
    told = applicant.texts()[-1]
    assert "未通过市人力社保局资格审核（2022-09-20 10:00）" in told
    assert "理由：职称与所在单位类型要求不符" in told and "沙坪坝区人力社保部门" in told
    district = world.user(DISTRICT_REVIEWER, "区县").texts()[-1]
    assert "申报编号 1（张三，重庆大学）未通过市局资格审核：周处长 于 2022-09-20 10:00" in district
    assert "职称与所在单位类型要求不符" in district
    assert world.user(UNIT_REVIEWER, "单位").texts()[-1] != district

    await admin.press_data(data["资格审核通过"])
    assert "已由 周处长 于 2022-09-20 10:00 决定不通过" in last_answer(world)
    assert (await application(sessionmaker)).status == "not_qualified"

    uows = unit_of_work_factory(sessionmaker)
    assert (await privacy.purge_expired(uows, clock.now(), 180)).applications == ()
    clock.advance(days=181)
    purged = await privacy.purge_expired(uows, clock.now(), 180)
    assert [a.status for a in purged.applications] == ["not_qualified"]
    assert (await application(sessionmaker)).id_number is None


async def test_forged_and_early_presses_change_nothing(
    world: OfflineWorld, sessionmaker, caplog
) -> None:
    applicant = await district_approved(world, sessionmaker)
    bureau = world.user(BUREAU_REVIEWER, "市局")
    app = await application(sessionmaker)
    qualify = f"rv:{app.id}:{app.version}:3:a"
    await bureau.send("/roles")
    await bureau.press_data(qualify, bureau.last())
    assert last_answer(world) == "该申报所在区县尚未上报市局，暂不能进行资格审核。"

    await report(world)
    for telegram_id in (DISTRICT_REVIEWER, UNIT_REVIEWER, OTHER_UNIT_REVIEWER):
        someone = world.user(telegram_id, "冒用")
        await someone.send("/roles")
        await someone.press_data(qualify, someone.last())
        assert last_answer(world) == "您无权处理这份申报。"
    await applicant.press_data(qualify, applicant.last())
    assert last_answer(world) == "您无权处理这份申报。"
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.press_data(qualify.replace(":3:a", ":2:a"), district.last())
    assert "已由 区县 于 2022-09-20 10:00 审核通过" in last_answer(world)
    for forged in (qualify.replace(":3:a", ":3:x"), qualify.replace(":3:a", ":4:a")):
        await bureau.press_data(forged, bureau.last())
        assert last_answer(world) == "该按钮已失效，请按最新消息操作。"
    assert (await application(sessionmaker)).status == "district_approved"
    assert [a for a, _, _ in await events(sessionmaker)] == ["submit", "approve", "approve"]
    assert "out of scope" in caplog.text and "unreported application" in caplog.text


async def test_a_double_press_and_two_bureau_reviewers_at_once_qualify_once(
    world: OfflineWorld, sessionmaker
) -> None:
    await district_approved(world, sessionmaker)
    await grant(sessionmaker, BUREAU_REVIEWER_2, "孙市局", RoleKind.BUREAU_REVIEWER, "")
    await report(world)
    first, second = world.user(BUREAU_REVIEWER, "市局"), world.user(BUREAU_REVIEWER_2, "市局二")
    await open_from_pending(first)
    await open_from_pending(second)
    card1, card2 = card_of(first), card_of(second)
    data = review_data(first)["资格审核通过"]
    before = len(answers(world))
    await asyncio.gather(
        first.press_data(data, card1),
        second.press_data(review_data(second)["资格审核通过"], card2),
    )
    replies = answers(world)[before:]
    assert sorted("已由" in r for r in replies) == [False, True]
    await first.press_data(data, card1)
    assert "审核通过" in last_answer(world) and "已由" in last_answer(world)
    assert [a for a, _, _ in await events(sessionmaker)].count("qualify") == 1
    assert card1.buttons() == [] and card2.buttons() == []


async def test_pending_lists_for_the_bureau_only_what_reported_districts_approved(
    world: OfflineWorld, sessionmaker
) -> None:
    await district_approved(world, sessionmaker)
    await seed_app(
        sessionmaker, telegram_id=1005, unit_code="CQJT01", status="district_approved",
        name="李交通", id_number="500103198501011233",
    )  # fmt: skip
    admin = world.user(BUREAU_ADMIN, "周处长")
    bureau = world.user(BUREAU_REVIEWER, "市局")
    for user in (admin, bureau):
        await user.send("/pending")
        assert user.last().text == "目前没有待您审核的申报。"
    await report(world)
    for user in (admin, bureau):
        await user.send("/pending")
        listing = user.last().text
        assert "待您审核的申报：共 1 份" in listing and "#1 张三" in listing
        assert "李交通" not in listing, "渝中区 has not reported"
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/pending")
    assert district.last().text == "目前没有待您审核的申报。"
    [greeting] = await bureau.send("/start")
    assert "市局审核人（资格审核）" in greeting.text and "待您审核的申报：1 份" in greeting.text
    assert "/pending" in greeting.text and "/export" not in greeting.text


async def test_the_card_lists_the_same_id_number_in_other_districts_and_campaigns(
    world: OfflineWorld, sessionmaker
) -> None:
    await district_approved(world, sessionmaker)
    other_district = await seed_app(
        sessionmaker, telegram_id=1006, unit_code="CQJT01", status="submitted", name="张三",
        id_number=VALID_ID,
    )  # fmt: skip
    earlier = await seed_app(
        sessionmaker, telegram_id=1007, unit_code="CQU001", status="district_approved",
        name="张三", id_number=VALID_ID,
    )  # fmt: skip
    unrelated = await seed_app(
        sessionmaker, telegram_id=1008, unit_code="CQU001", status="submitted", name="王五",
    )  # fmt: skip
    async with unit_of_work_factory(sessionmaker)() as uow:
        old = await uow.campaigns.add_campaign(
            name="2021年重庆市工伤预防专家库征集",
            unit_deadline=LAST_YEAR,
            district_deadline=LAST_YEAR,
            now=LAST_YEAR,
        )
        await uow.campaigns.set_open(old, False)
        await uow.commit()
    async with sessionmaker() as session:
        await session.execute(
            update(Application).where(Application.id == other_district).values(status="withdrawn")
        )
        await session.execute(
            update(Application).where(Application.id == earlier).values(campaign_id=old)
        )
        await session.commit()

    await report(world)
    bureau = world.user(BUREAU_REVIEWER, "市局")
    await open_from_pending(bureau)
    text = card_of(bureau).text
    assert "⚠️ 同一身份证号的其他申报 2 份：" in text
    assert f"· #{earlier} · 2021年重庆市工伤预防专家库征集 · 沙坪坝区 · 重庆大学 · 区县已同意" in text
    assert (
        f"· #{other_district} · 2022年重庆市工伤预防专家库征集 · 渝中区 · "
        "重庆交通运输集团有限公司 · 已撤回"
    ) in text
    assert f"#{unrelated} " not in text and VALID_ID not in text


async def test_every_notice_of_the_bureaus_decisions_leaves_after_the_unit_of_work(
    world: OfflineWorld, sessionmaker, monkeypatch
) -> None:
    await district_approved(world, sessionmaker)
    send = world.session.make_request
    open_at_call: list[bool] = []

    async def spy(bot, method, timeout=None):
        open_at_call.append(unit_of_work_open.get())
        return await send(bot, method, timeout)

    monkeypatch.setattr(world.session, "make_request", spy)
    await report(world)
    bureau = world.user(BUREAU_REVIEWER, "市局")
    await open_from_pending(bureau)
    await bureau.press("退回区县")
    await bureau.send("请补充说明")
    await world.user(DISTRICT_REVIEWER, "区县").press("通过")
    await bureau.press("不通过")
    await bureau.send("不符合条件")
    assert (await application(sessionmaker)).status == "not_qualified"
    assert open_at_call and not any(open_at_call)


async def test_deleting_ones_data_withdraws_a_qualified_application_and_tells_the_bureau(
    world: OfflineWorld, sessionmaker
) -> None:
    applicant = await district_approved(world, sessionmaker)
    await report(world)
    bureau = world.user(BUREAU_REVIEWER, "市局")
    await open_from_pending(bureau)
    await bureau.press("资格审核通过")
    await applicant.send("/delete_my_data")
    assert "撤回正在审核的申报 1 份" in applicant.last().text
    await applicant.press("确认删除")
    app = await application(sessionmaker)
    assert (app.status, app.id_number) == ("withdrawn", None)
    assert [a for a, _, _ in await events(sessionmaker)][-2:] == ["withdraw", "erase"]
    assert "申报编号 1（张三，重庆大学）已由申报人撤回" in bureau.texts()[-1]
    assert "已由申报人撤回" in world.user(DISTRICT_REVIEWER, "区县").texts()[-1]
