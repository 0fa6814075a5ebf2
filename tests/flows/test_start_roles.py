"""/start greets each person by their roles; a plain applicant's /start is the consent screen."""

from __future__ import annotations

from bot.offline import OfflineWorld
from bot.texts import review as rt
from tests.flows.helpers import choose_unit
from tests.flows.review_helpers import (
    BUREAU_ADMIN,
    DISTRICT_REVIEWER,
    UNIT_REVIEWER,
    standard_reviewers,
    submitted_application,
)


async def test_a_reviewer_is_greeted_with_pending_count_and_commands_not_the_consent_screen(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    [greeting] = await unit.send("/start")
    assert "重庆大学" in greeting.text
    assert rt.HOME_PENDING.format(count=1) in greeting.text
    assert "/pending" in greeting.text and "/history" in greeting.text
    assert "同意" not in " ".join(label for label, _ in greeting.buttons())
    assert [label for label, _ in greeting.buttons()] == [rt.BUTTON_APPLY_MYSELF]


async def test_the_home_lists_status_and_download_only_for_a_reviewer_with_an_application(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    [greeting] = await district.send("/start")
    assert "/pending" in greeting.text
    assert "/status" not in greeting.text and "/download" not in greeting.text

    await district.press(rt.BUTTON_APPLY_MYSELF)
    await district.press("全部同意")
    await choose_unit(district)
    replies = await district.send("/start")
    assert "/status" in replies[0].text and "/download" in replies[0].text


async def test_a_bureau_admin_sees_the_commands_and_what_waits_for_qualification(
    world: OfflineWorld,
) -> None:
    admin = world.user(BUREAU_ADMIN, "管理员")
    [greeting] = await admin.send("/start")
    assert "市人力社保局管理员" in greeting.text and "/audit" in greeting.text
    assert rt.HOME_NO_PENDING in greeting.text and "/pending" in greeting.text


async def test_a_reviewer_who_applies_presses_apply_myself_and_sees_both_after(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/start")
    await district.press(rt.BUTTON_APPLY_MYSELF)
    await district.press("全部同意")
    await choose_unit(district)
    assert "拟报专业组" in district.last().text

    replies = await district.send("/start")
    assert rt.HOME_NO_PENDING in replies[0].text and rt.HOME_OWN_APPLICATION in replies[0].text
    assert replies[0].buttons() == []
    assert "继续填写" in replies[1].text and "拟报专业组" in replies[-1].text


async def test_a_plain_applicants_start_is_unchanged(world: OfflineWorld) -> None:
    user = world.user(1001, "三", last_name="张")
    replies = await user.send("/start")
    assert "您好！这里是重庆市工伤预防专家库申报机器人" in replies[0].text
    assert any("全部同意" in label for label, _ in replies[-1].buttons())


async def test_help_lists_the_commands_of_the_persons_roles_after_everyones(
    world: OfflineWorld, sessionmaker
) -> None:
    """QA: /help gave every person the applicant's commands only: a district reviewer read
    nothing of /pending, /export or /report, the bureau nothing of /registry or /experts."""
    await standard_reviewers(sessionmaker)
    [applicant_help] = await world.user(1001, "申报人").send("/help")
    [district_help] = await world.user(DISTRICT_REVIEWER, "区县").send("/help")
    [admin_help] = await world.user(BUREAU_ADMIN, "管理员").send("/help")
    assert "/pending" not in applicant_help.text and "您的角色" not in applicant_help.text
    for help_text in (district_help.text, admin_help.text):
        assert help_text.startswith(applicant_help.text), "everyone's commands first"
    assert "您的角色：沙坪坝区区县审核人。您还可以使用：\n/pending" in district_help.text
    for line in ("/pending 待我审核的申报", "/export 导出汇总表（附件2）与推荐表",
                 "/report 向市局上报本区县汇总表", "/invite 邀请审核人"):  # fmt: skip
        assert line in district_help.text, line
    assert "/registry" not in district_help.text
    for command in ("/campaign", "/registry", "/experts", "/expert ", "/audit", "/draws", "/nudge"):
        assert command in admin_help.text, command
    assert admin_help.text.count("/status") == 1, "a command is listed once"
