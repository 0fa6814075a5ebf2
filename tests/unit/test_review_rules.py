"""Who may decide or see what, and what changed between two submissions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.clock import TZ
from bot.domain.application import Campaign
from bot.domain.review import (
    ACTOR_OF_LEVEL,
    STATUS_OF_LEVEL,
    Change,
    Decision,
    Grant,
    ReviewLevel,
    RoleKind,
    action_of,
    answer_snapshot,
    deadline_of,
    diff_answers,
    district_acts_for_unit,
    may_decide,
    may_view,
    reviews,
    scope_of,
    waits_at,
)
from bot.domain.workflow import TRANSITIONS, Action, Status, next_status
from bot.services.ports import UnitRow
from bot.services.roles import may_invite

UNIT_7 = Grant(role=RoleKind.UNIT, unit_id=7)
DISTRICT_3 = Grant(role=RoleKind.DISTRICT, district_id=3)
BUREAU = Grant(role=RoleKind.BUREAU)
BUREAU_REVIEWER = Grant(role=RoleKind.BUREAU_REVIEWER)


def decide(grants, level, *, district_id=3, unit_id=7, covers=False) -> bool:
    return may_decide(
        grants, level, district_id=district_id, unit_id=unit_id, district_covers_unit=covers
    )


def test_unit_reviewer_decides_only_on_its_own_unit_at_unit_level() -> None:
    assert decide([UNIT_7], ReviewLevel.UNIT)
    assert not decide([UNIT_7], ReviewLevel.UNIT, unit_id=8)
    assert not decide([UNIT_7], ReviewLevel.DISTRICT)


def test_district_reviewer_decides_at_unit_level_only_when_it_covers_the_unit() -> None:
    assert decide([DISTRICT_3], ReviewLevel.DISTRICT)
    assert not decide([DISTRICT_3], ReviewLevel.DISTRICT, district_id=4)
    assert not decide([DISTRICT_3], ReviewLevel.UNIT)
    assert decide([DISTRICT_3], ReviewLevel.UNIT, covers=True)
    assert not decide([DISTRICT_3], ReviewLevel.UNIT, district_id=4, covers=True)


def test_bureau_sees_everything_but_decides_nothing_at_these_levels() -> None:
    for bureau in (BUREAU, BUREAU_REVIEWER):
        assert may_view([bureau], district_id=9, unit_id=None)
        assert not decide([bureau], ReviewLevel.UNIT, covers=True)
        assert not decide([bureau], ReviewLevel.DISTRICT)


def test_only_bureau_reviewers_and_admins_decide_qualifications_in_any_district() -> None:
    assert decide([BUREAU_REVIEWER], ReviewLevel.BUREAU, district_id=9)
    assert decide([BUREAU], ReviewLevel.BUREAU, district_id=9)
    assert not decide([DISTRICT_3], ReviewLevel.BUREAU)
    assert not decide([UNIT_7], ReviewLevel.BUREAU)
    assert not decide([], ReviewLevel.BUREAU)
    assert scope_of([BUREAU_REVIEWER]).qualifies and not scope_of([DISTRICT_3]).qualifies
    assert reviews([BUREAU_REVIEWER]) and reviews([BUREAU]) and not reviews([])


def test_a_district_approved_application_waits_for_the_bureau_only_once_reported() -> None:
    assert waits_at(Status.DISTRICT_APPROVED, district_reported=False) is None
    assert waits_at(Status.DISTRICT_APPROVED, district_reported=True) is ReviewLevel.BUREAU
    assert waits_at(Status.UNIT_APPROVED, district_reported=False) is ReviewLevel.DISTRICT
    for status in (Status.QUALIFIED, Status.NOT_QUALIFIED, Status.RETURNED, Status.DRAFT):
        assert waits_at(status, district_reported=True) is None


CAMPAIGN = Campaign(
    id=1,
    name="2022",
    unit_deadline=datetime(2022, 9, 30, 18, tzinfo=TZ),
    district_deadline=datetime(2022, 10, 15, 18, tzinfo=TZ),
    is_open=True,
)


def test_the_bureau_has_no_deadline_and_a_district_deciding_a_bureau_return_has_none_either() -> None:
    assert deadline_of(ReviewLevel.UNIT, CAMPAIGN) == CAMPAIGN.unit_deadline
    assert deadline_of(ReviewLevel.DISTRICT, CAMPAIGN) == CAMPAIGN.district_deadline
    assert deadline_of(ReviewLevel.BUREAU, CAMPAIGN) is None
    assert deadline_of(ReviewLevel.DISTRICT, CAMPAIGN, returned_by_bureau=True) is None
    assert deadline_of(ReviewLevel.UNIT, CAMPAIGN, returned_by_bureau=True) == CAMPAIGN.unit_deadline


def test_nobody_without_a_grant_may_do_anything() -> None:
    assert not decide([], ReviewLevel.UNIT, covers=True)
    assert not may_view([], district_id=3, unit_id=7)
    assert scope_of([]).empty


def test_view_follows_unit_and_district_scope() -> None:
    assert may_view([UNIT_7], district_id=3, unit_id=7)
    assert not may_view([UNIT_7], district_id=3, unit_id=8)
    assert may_view([DISTRICT_3], district_id=3, unit_id=None)
    assert not may_view([DISTRICT_3], district_id=4, unit_id=7)


@pytest.mark.parametrize(
    ("unit_id", "confirmed", "has_reviewer", "covers"),
    [(7, True, True, False), (7, True, False, True), (None, False, False, True), (7, False, True, True)],
)
def test_district_covers_unregistered_or_unreviewed_units(unit_id, confirmed, has_reviewer, covers) -> None:
    assert (
        district_acts_for_unit(unit_id=unit_id, unit_confirmed=confirmed, unit_has_reviewer=has_reviewer)
        is covers
    )


@pytest.mark.parametrize(("level", "decision"), [(lv, d) for lv in ReviewLevel for d in Decision])
def test_every_decision_exists_in_the_workflow_table_for_its_level(level, decision) -> None:
    key = (STATUS_OF_LEVEL[level], ACTOR_OF_LEVEL[level], action_of(level, decision))
    assert key in TRANSITIONS


def test_the_bureaus_buttons_qualify_return_to_the_district_and_disqualify() -> None:
    assert [action_of(ReviewLevel.BUREAU, d) for d in Decision] == [
        Action.QUALIFY,
        Action.RETURN_TO_DISTRICT,
        Action.DISQUALIFY,
    ]
    assert action_of(ReviewLevel.UNIT, Decision.APPROVE) is Action.APPROVE
    assert Decision.RETURN.needs_reason and Decision.DECLINE.needs_reason
    assert not Decision.APPROVE.needs_reason
    back = next_status(Status.DISTRICT_APPROVED, ACTOR_OF_LEVEL[ReviewLevel.BUREAU], Action.RETURN_TO_DISTRICT)
    assert back is STATUS_OF_LEVEL[ReviewLevel.DISTRICT]


def test_diff_lists_changed_answers_in_form_order() -> None:
    old = answer_snapshot({"name": "张三", "position": "部长", "main_specialties": ["矿山"], "part_time": ""})
    new = answer_snapshot({"name": "张三", "position": "总工", "main_specialties": ["矿山", "化工"]})
    assert diff_answers(old, new) == [
        Change("position", "部长", "总工"),
        Change("main_specialties", ["矿山"], ["矿山", "化工"]),
    ]


def test_snapshot_is_json_safe_and_ignores_empty_differences() -> None:
    snap = answer_snapshot({"birth_date": date(1990, 1, 1), "part_time": None})
    assert "birth_date" not in snap
    assert diff_answers({"part_time": ""}, {"part_time": None}) == []
    assert answer_snapshot({"resume": ({"start": "2005.07"},)})["resume"] == [{"start": "2005.07"}]


def test_the_unit_is_compared_only_between_submissions_that_recorded_it() -> None:
    """Submissions recorded before the unit was part of the snapshot have no unit_name key:
    their next resubmission must not show a change of unit that never happened."""
    assert answer_snapshot({"unit_name": "重庆大学"})["unit_name"] == "重庆大学"
    assert diff_answers({"position": "部长"}, {"position": "部长", "unit_name": "重庆大学"}) == []
    assert diff_answers({"unit_name": "重大"}, {"unit_name": "重庆大学"}) == [
        Change("unit_name", "重大", "重庆大学")
    ]


def test_invites_follow_the_hierarchy() -> None:
    unit = UnitRow(id=7, code="CQU001", name="重庆大学", kind="高等院校", district_id=3, district_name="沙坪坝区")
    other = UnitRow(id=8, code="X", name="别的", kind="企业", district_id=4, district_name="渝中区")
    assert may_invite([BUREAU], DISTRICT_3)
    assert not may_invite([DISTRICT_3], DISTRICT_3)
    assert may_invite([BUREAU], BUREAU_REVIEWER)
    assert not may_invite([BUREAU_REVIEWER], BUREAU_REVIEWER)
    assert not may_invite([DISTRICT_3], BUREAU_REVIEWER)
    assert not may_invite([BUREAU_REVIEWER], DISTRICT_3)
    assert may_invite([DISTRICT_3], Grant(role=RoleKind.UNIT, unit_id=7), unit)
    assert not may_invite([DISTRICT_3], Grant(role=RoleKind.UNIT, unit_id=8), other)
    assert not may_invite([UNIT_7], Grant(role=RoleKind.UNIT, unit_id=7), unit)
