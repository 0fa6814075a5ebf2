"""Steps to a district-approved, reported application, shared by the bureau's flow tests."""

from __future__ import annotations

from bot.domain.review import RoleKind
from bot.offline import OfflineUser, OfflineWorld
from tests.flows.review_helpers import (
    DISTRICT_REVIEWER,
    UNIT_REVIEWER,
    application,
    grant,
    standard_reviewers,
    submitted_application,
)

BUREAU_REVIEWER = 4001


async def district_approved(world: OfflineWorld, sessionmaker) -> OfflineUser:
    """The standard reviewers and a bureau reviewer; an application approved by unit and district."""
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, BUREAU_REVIEWER, "钱市局", RoleKind.BUREAU_REVIEWER, "")
    applicant = await submitted_application(world)
    await world.user(UNIT_REVIEWER, "单位").press("通过")
    await world.user(DISTRICT_REVIEWER, "区县").press("通过")
    assert (await application(sessionmaker)).status == "district_approved"
    return applicant


async def report(world: OfflineWorld) -> None:
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/report")
    await district.press("确认上报")
    assert "向市局上报 沙坪坝区 的推荐汇总表，共 1 人" in district.last().text


async def open_from_pending(user: OfflineUser) -> None:
    await user.send("/pending")
    await user.press("#1 张三")


