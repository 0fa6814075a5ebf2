"""Who may export what, and how a title is printed: pure rules."""

from __future__ import annotations

import pytest

from bot.domain.errors import NotAllowed
from bot.domain.exports import (
    Annex2Request,
    authorize_annex2,
    authorize_district,
    authorize_full,
    may_report,
    title_with_level,
)
from bot.domain.review import Grant, RoleKind
from bot.domain.workflow import Status

BUREAU = [Grant(role=RoleKind.BUREAU)]
DISTRICT_7 = [Grant(role=RoleKind.DISTRICT, district_id=7)]
UNIT_3 = [Grant(role=RoleKind.UNIT, unit_id=3)]


def test_a_district_reviewer_exports_only_its_own_district() -> None:
    selection = authorize_annex2(DISTRICT_7, Annex2Request(district_id=7))
    assert selection.district_id == 7 and selection.pending == frozenset()
    assert Status.DISTRICT_APPROVED in selection.statuses
    assert Status.UNIT_APPROVED not in selection.statuses
    for request in (Annex2Request(district_id=8), Annex2Request(), Annex2Request(unit_id=3)):
        with pytest.raises(NotAllowed):
            authorize_annex2(DISTRICT_7, request)


def test_a_unit_reviewer_exports_only_its_unit_and_pending_means_submitted() -> None:
    selection = authorize_annex2(UNIT_3, Annex2Request(unit_id=3, include_pending=True))
    assert selection.pending == {Status.SUBMITTED}
    assert Status.UNIT_APPROVED in selection.statuses and selection.district_id is None
    with pytest.raises(NotAllowed):
        authorize_annex2(UNIT_3, Annex2Request(unit_id=4))
    with pytest.raises(NotAllowed):
        authorize_annex2(UNIT_3, Annex2Request(district_id=7))


def test_the_bureau_and_the_command_line_export_anything() -> None:
    for grants in (BUREAU, None):
        assert authorize_annex2(grants, Annex2Request()).district_id is None
        assert authorize_annex2(grants, Annex2Request(district_id=8, include_pending=True)).pending
        authorize_full(grants)
        authorize_district(grants, 8)
    for grants in (DISTRICT_7, UNIT_3, []):
        with pytest.raises(NotAllowed):
            authorize_full(grants)


def test_a_districts_annex2_keeps_its_rows_whatever_the_bureau_decided() -> None:
    statuses = authorize_annex2(DISTRICT_7, Annex2Request(district_id=7)).statuses
    assert {Status.QUALIFIED, Status.NOT_QUALIFIED, Status.DISTRICT_APPROVED} <= statuses
    unit = authorize_annex2(UNIT_3, Annex2Request(unit_id=3)).statuses
    assert {Status.QUALIFIED, Status.NOT_QUALIFIED} <= unit


def test_a_bureau_reviewer_exports_nothing_the_admins_do() -> None:
    reviewer = [Grant(role=RoleKind.BUREAU_REVIEWER)]
    for request in (Annex2Request(), Annex2Request(district_id=7)):
        with pytest.raises(NotAllowed):
            authorize_annex2(reviewer, request)
    with pytest.raises(NotAllowed):
        authorize_full(reviewer)


def test_only_the_districts_own_reviewer_reports() -> None:
    assert may_report(DISTRICT_7, 7)
    assert not may_report(DISTRICT_7, 8) and not may_report(BUREAU, 7) and not may_report(UNIT_3, 7)


@pytest.mark.parametrize(
    ("title", "level", "printed"),
    [
        ("高级工程师", "副高级", "高级工程师（副高级）"),
        ("教授", "正高级", "教授（正高级）"),
        ("注册安全工程师", "无", "注册安全工程师"),
        ("", "副高级", "副高级"),
        ("副高级", "副高级", "副高级"),
        (None, None, ""),
    ],
)
def test_title_is_printed_with_its_level(title, level, printed) -> None:
    assert title_with_level({"title": title, "title_level": level}) == printed
