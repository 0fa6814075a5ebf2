"""/stats through the real Dispatcher: the bureau gets its three charts as an album, a district
reviewer the chart of their own district, anyone else a refusal in Chinese."""

from __future__ import annotations

import io

from aiogram.methods import SendMediaGroup, SendPhoto
from PIL import Image

from bot.domain.review import Grant, RoleKind
from bot.offline import OfflineWorld, Sent
from handlers.render_review import commands_for
from tests.flows.review_helpers import (
    APPLICANT,
    BUREAU_ADMIN,
    DISTRICT_REVIEWER,
    UNIT_REVIEWER,
    grant,
    standard_reviewers,
)
from tests.flows.stats_helpers import two_districts_and_two_experts

REFUSAL = "只有市局管理员、市局审核人和区县审核人可以查看统计图表。"


def photos(sent: list[Sent]) -> list[Sent]:
    for message in sent:
        assert message.photo is not None, message.text
        assert Image.open(io.BytesIO(message.photo[1])).format == "PNG"
    return sent


async def test_the_bureau_admin_gets_the_three_charts_as_one_album(
    world: OfflineWorld, sessionmaker
) -> None:
    await two_districts_and_two_experts(sessionmaker)
    admin = world.user(BUREAU_ADMIN, "局长")
    sent = photos(await admin.send("/stats"))
    assert [type(r) for r in world.session.requests[-1:]] == [SendMediaGroup]
    assert [m.photo[0] for m in sent if m.photo] == [
        "申报情况_2022-09-20.png", "在聘专家_2022-09-20.png", "专家抽取_2022-09-20.png",
    ]  # fmt: skip
    applications, experts, draws = (m.text for m in sent)
    assert applications == (
        "各区县申报情况（按状态）\n2022年重庆市工伤预防专家库征集 · 共 4 份（不含草稿） · 截至 2022-09-20"
    )
    assert experts == "在聘专家：专业组与职称等级\n共 2 人 · 截至 2022-09-20"
    assert draws == "近 12 个月专家抽取：邀请与接受率\n邀请 0 次，接受 0 次 · 截至 2022-09-20"


async def test_a_bureau_reviewer_sees_the_whole_city_too(world: OfflineWorld, sessionmaker) -> None:
    await grant(sessionmaker, 9002, "钱科员", RoleKind.BUREAU_REVIEWER, "")
    sent = photos(await world.user(9002, "钱").send("/stats"))
    assert [m.text.split("\n")[0] for m in sent] == [
        "各区县申报情况（按状态）", "在聘专家：专业组与职称等级", "近 12 个月专家抽取：邀请与接受率",
    ]  # fmt: skip


async def test_a_district_reviewer_gets_only_their_districts_applications(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await two_districts_and_two_experts(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    sent = photos(await district.send("/stats"))
    assert [type(r) for r in world.session.requests[-1:]] == [SendPhoto]
    assert len(sent) == 1
    assert sent[0].text == (
        "沙坪坝区申报情况（按状态）\n2022年重庆市工伤预防专家库征集 · 共 3 份（不含草稿） · 截至 2022-09-20"
    )


async def test_a_unit_reviewer_and_an_applicant_are_refused(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    for telegram_id in (UNIT_REVIEWER, APPLICANT):
        user = world.user(telegram_id, "某")
        sent = await user.send("/stats")
        assert [m.text for m in sent] == [REFUSAL]
        assert not any(m.photo for m in user.inbox())


def test_stats_is_in_the_command_menu_of_the_bureau_and_districts_only() -> None:
    def names(*grants: Grant) -> set[str]:
        return {c.command for c in commands_for(grants)}

    assert "stats" in names(Grant(role=RoleKind.BUREAU))
    assert "stats" in names(Grant(role=RoleKind.BUREAU_REVIEWER))
    assert "stats" in names(Grant(role=RoleKind.DISTRICT, district_id=1))
    assert "stats" not in names(Grant(role=RoleKind.UNIT, unit_id=1))
    assert "stats" not in names()
