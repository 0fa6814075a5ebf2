"""The statistics use case on a real database: what each role's charts count."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.errors import NotAllowed
from bot.domain.stats import DistrictStatusCount, DrawMonth, GroupLevelCount, fold_levels
from bot.services import stats
from storage.uow import unit_of_work_factory
from tests.flows.review_helpers import DISTRICT_REVIEWER, UNIT_REVIEWER, standard_reviewers
from tests.flows.stats_helpers import two_districts_and_two_experts
from tests.support.people import person

TODAY = date(2022, 11, 20)


async def test_the_command_line_counts_the_whole_city(sessionmaker) -> None:
    await two_districts_and_two_experts(sessionmaker)
    uows = unit_of_work_factory(sessionmaker)
    seen = await stats.statistics(uows, by=None, today=TODAY)
    assert seen.applications is not None and seen.applications.whole_city
    assert len(seen.applications.districts) == 41
    assert sorted(seen.applications.counts, key=lambda c: (c.district, c.status)) == [
        DistrictStatusCount("沙坪坝区", "accepted", 2),
        DistrictStatusCount("沙坪坝区", "unit_approved", 1),
        DistrictStatusCount("渝中区", "submitted", 1),
    ]
    assert seen.experts == (GroupLevelCount("矿山", "副高级", 1), GroupLevelCount("建筑", "正高级", 1))
    assert seen.draws is not None
    assert [m.month for m in seen.draws][::11] == ["2021-12", "2022-11"]
    assert {(m.invited, m.accepted) for m in seen.draws} == {(0, 0)}


async def test_a_district_reviewer_counts_their_own_district_and_nothing_else(
    sessionmaker,
) -> None:
    await standard_reviewers(sessionmaker)
    await two_districts_and_two_experts(sessionmaker)
    uows = unit_of_work_factory(sessionmaker)
    reviewer = await person(uows, DISTRICT_REVIEWER)
    seen = await stats.statistics(uows, by=reviewer, today=TODAY)
    assert seen.applications is not None and not seen.applications.whole_city
    assert seen.applications.districts == ("沙坪坝区",)
    assert seen.applications.total == 3
    assert seen.experts is None and seen.draws is None


async def test_a_unit_reviewer_is_refused(sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    uows = unit_of_work_factory(sessionmaker)
    with pytest.raises(NotAllowed, match="只有市局管理员、市局审核人和区县审核人"):
        await stats.statistics(uows, by=await person(uows, UNIT_REVIEWER), today=TODAY)


def test_an_unknown_level_is_read_from_the_title_and_counted_once_per_group_and_level() -> None:
    rows = [
        ("矿山", "正高级", "研究员", 2),
        ("矿山", None, "正高级工程师", 1),
        ("矿山", "", "高级工程师", 3),
        ("矿山", None, "注册安全工程师", 1),
        ("建筑", "中级", "工程师", 4),
    ]
    assert fold_levels(rows) == [
        GroupLevelCount("矿山", "正高级", 3),
        GroupLevelCount("矿山", "副高级", 3),
        GroupLevelCount("矿山", None, 1),
        GroupLevelCount("建筑", "中级", 4),
    ]


def test_a_month_without_invitations_has_no_acceptance_rate() -> None:
    assert DrawMonth("2022-11", 0, 0).acceptance is None
    assert DrawMonth("2022-11", 8, 6).acceptance == 0.75
