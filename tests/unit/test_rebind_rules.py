"""Who may move whom to another account (bot.services.accounts.may_rebind)."""

from __future__ import annotations

from bot.domain.review import Grant, RoleKind
from bot.services.accounts import may_rebind

BUREAU = Grant(role=RoleKind.BUREAU)
SHAPINGBA = Grant(role=RoleKind.DISTRICT, district_id=6)
YUZHONG = Grant(role=RoleKind.DISTRICT, district_id=2)
CQU = Grant(role=RoleKind.UNIT, unit_id=1)
JIAOTONG = Grant(role=RoleKind.UNIT, unit_id=9)
UNITS = {1: 6, 9: 2}


def test_the_bureau_moves_anyone() -> None:
    assert may_rebind([BUREAU], [SHAPINGBA], UNITS)
    assert may_rebind([BUREAU], [], UNITS), "an applicant, too"


def test_a_district_reviewer_moves_the_unit_reviewers_of_their_district_only() -> None:
    assert may_rebind([SHAPINGBA], [CQU], UNITS)
    assert not may_rebind([SHAPINGBA], [JIAOTONG], UNITS)
    assert not may_rebind([SHAPINGBA], [CQU, JIAOTONG], UNITS), "a role elsewhere: the bureau's"
    assert not may_rebind([SHAPINGBA], [YUZHONG], UNITS)
    assert not may_rebind([SHAPINGBA], [], UNITS), "applicants are the bureau's or their own"


def test_a_unit_reviewer_moves_nobody() -> None:
    assert not may_rebind([CQU], [CQU], UNITS)
