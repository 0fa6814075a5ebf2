"""The whole year through the real Dispatcher (issue #19's done-when): a district-approved
application is qualified, confirmed by the joint meeting, published with an objection
overruled, appointed; the expert is evaluated, renewed, and withdraws."""

from __future__ import annotations

from datetime import datetime

from bot.clock import TZ
from bot.offline import OfflineWorld
from tests.flows.qualification_steps import district_approved, open_from_pending, report
from tests.flows.review_helpers import APPLICANT, BUREAU_ADMIN, application
from tests.flows.test_registry import sender_pass


async def test_from_district_approval_to_a_renewed_expert_who_withdraws(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    applicant = await district_approved(world, sessionmaker)
    await report(world)
    admin = world.user(BUREAU_ADMIN, "局长")
    await open_from_pending(admin)
    await admin.press("资格审核通过")
    assert (await application(sessionmaker)).status == "qualified"

    clock.at = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)
    await admin.send("/registry")
    await admin.press("记录联席会议确认")
    await admin.press("张三")
    await admin.press("下一步")
    await admin.send("2022-10-28")
    await admin.send("联席会议纪要〔2022〕3号")
    await admin.press("确认记录")
    assert (await application(sessionmaker)).status == "confirmed"

    await admin.send("/registry")
    await admin.press("第1批：开始公示")
    await admin.send("2022-11-01")
    await admin.press("确认公示")
    clock.at = datetime(2022, 11, 3, 16, 0, tzinfo=TZ)  # in the window
    await admin.send("/registry")
    await admin.press("第1批：记录异议")
    await admin.press("张三")
    await admin.send("2022-11-03")
    await admin.send("反映其从业年限不足")
    clock.at = datetime(2022, 11, 8, 9, 0, tzinfo=TZ)
    await admin.send("/registry")
    await admin.press("第1批：处理异议")
    await admin.press("#1 异议不成立")
    await admin.send("经核实从业年限符合要求")
    await admin.send("/registry")
    await admin.press("第1批：聘任")
    await admin.send("2022-11-10")
    await admin.press("确认聘任")
    assert (await application(sessionmaker)).status == "accepted"
    await sender_pass(world, sessionmaker, clock)
    assert "您已被聘任为重庆市工伤预防专家库专家（矿山）" in applicant.last().text

    clock.at = datetime(2023, 12, 20, 9, 0, tzinfo=TZ)
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("2023年度评价")
    await admin.press("2023年：合格")
    await admin.send("全年参加评审3次")
    assert "已记录 张三 2023 年度评价：合格。（全年参加评审3次）" in admin.last().text

    clock.at = datetime(2027, 10, 20, 9, 0, tzinfo=TZ)
    await sender_pass(world, sessionmaker, clock)
    assert "聘期将于 2027-11-09 届满" in admin.last().text
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("期满考核")
    await admin.send("健康")
    await admin.send("聘期内参加评审12次、隐患排查5次")
    await admin.press("合格")
    assert "已记录 张三 期满考核：合格（健康状况：健康）" in admin.last().text
    await admin.send("/expert CQGSYF-2022-0001")
    assert (
        "2023年年度评价：合格（全年参加评审3次）；2027年期满考核：合格（聘期内参加评审12次、隐患排查5次）"
        in admin.last().text
    )
    await admin.press("续聘")
    await admin.send("2027-11-10")
    await admin.press("确认续聘")
    assert "已续聘 张三：CQGSYF-2027-0001" in admin.last().text
    await sender_pass(world, sessionmaker, clock)
    assert "您已获续聘。新聘书编号：CQGSYF-2027-0001" in applicant.last().text

    await applicant.send("/me")
    await applicant.press("修改移动电话")
    await applicant.send("12345")
    assert "手机" in applicant.last().text or "号码" in applicant.last().text
    await applicant.send("13812345678")
    assert "已更新移动电话：138****5678" in applicant.last().text
    await admin.send("/expert CQGSYF-2027-0001")
    assert "移动电话：138****0000 → 138****5678" in admin.last().text
    await admin.send("/experts 张三")
    assert "138****5678" in admin.last().text

    await applicant.send("/me")
    await applicant.press("申请退出专家库")
    await applicant.send("年事已高")
    await sender_pass(world, sessionmaker, clock)
    assert "张三（CQGSYF-2027-0001）申请退出专家库" in admin.last().text
    await admin.send("/expert CQGSYF-2027-0001")
    await admin.press("确认退出")
    await admin.press("确认退出")  # the confirmation's
    await sender_pass(world, sessionmaker, clock)
    assert "市局已确认您的退出申请" in applicant.last().text
    await applicant.send("/me")
    assert "状态：已退出" in applicant.last().text
    assert applicant.id == APPLICANT
