"""Review rules as pure functions: who may decide or see what, and what changed on resubmission.

The services load the facts (grants, the application, whether its unit has a
reviewer) and ask these functions; nothing here touches storage or Telegram.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

from bot.domain import keys
from bot.domain.application import Campaign
from bot.domain.form import FIELDS
from bot.domain.workflow import Action, Actor, Status


class RoleKind(StrEnum):
    BUREAU = "bureau"
    """市局管理员: sees everything, exports, invites; may also decide qualifications."""
    BUREAU_REVIEWER = "bureau_rv"
    """市局审核人: decides qualifications (资格审核) and sees every application to do so."""
    DISTRICT = "district"
    UNIT = "unit"
    USER = "user"
    """使用单位: draws experts for its work (notice § 四(七)); reviews nothing."""


BUREAU_ROLES = frozenset({RoleKind.BUREAU, RoleKind.BUREAU_REVIEWER})
"""Roles that see the whole city and decide qualifications."""


class ReviewLevel(IntEnum):
    UNIT = 1
    DISTRICT = 2
    BUREAU = 3
    """The bureau's qualification review (资格审核) of a district-approved, reported application."""


class Stage(StrEnum):
    """Where an application stands beyond its state, as its applicant is told (/status)."""

    CLOSED = "closed"
    """A draft or a returned form after the unit deadline (`closed_to_applicant`): it can be
    neither changed nor submitted."""
    NO_REVIEWER = "no_reviewer"
    """It waits at unit or district level, and nobody holds the role to decide there yet."""
    AWAITING_REPORT = "awaiting_report"
    """Approved by its district, which has not reported its batch to the bureau yet."""
    AT_BUREAU = "at_bureau"
    """Approved by its district and at the bureau: reported (or entered from paper by the
    bureau), it waits for the qualification review."""


class Decision(StrEnum):
    """What a reviewer's button asks for; short values because they travel in callback data.

    The same three buttons at every level; `action_of` says what each means there.
    """

    APPROVE = "a"
    RETURN = "r"
    DECLINE = "d"

    @property
    def needs_reason(self) -> bool:
        return self is not Decision.APPROVE


_BUREAU_ACTIONS = {
    Decision.APPROVE: Action.QUALIFY,
    Decision.RETURN: Action.RETURN_TO_DISTRICT,
    Decision.DECLINE: Action.DISQUALIFY,
}
_REVIEW_ACTIONS = {
    Decision.APPROVE: Action.APPROVE,
    Decision.RETURN: Action.RETURN,
    Decision.DECLINE: Action.DECLINE,
}


def action_of(level: ReviewLevel, decision: Decision) -> Action:
    """The workflow move a decision makes at `level`: at the bureau, 通过 qualifies, 退回
    returns to the district and 不通过 disqualifies; below, approve, return to the applicant,
    decline."""
    return (_BUREAU_ACTIONS if level is ReviewLevel.BUREAU else _REVIEW_ACTIONS)[decision]


@dataclass(frozen=True, kw_only=True)
class Grant:
    """One role a person holds; names are for display and do not take part in equality."""

    role: RoleKind
    district_id: int | None = None
    unit_id: int | None = None
    using_unit_id: int | None = None
    district_name: str = field(default="", compare=False)
    unit_name: str = field(default="", compare=False)
    unit_code: str = field(default="", compare=False)


@dataclass(frozen=True)
class Scope:
    """The applications a set of grants may see."""

    everything: bool
    district_ids: frozenset[int]
    unit_ids: frozenset[int]
    qualifies: bool = False
    """Decides qualifications: what waits at the bureau is pending for this scope."""

    @property
    def empty(self) -> bool:
        return not (self.everything or self.district_ids or self.unit_ids)


LEVEL_OF_STATUS: dict[Status, ReviewLevel] = {
    Status.SUBMITTED: ReviewLevel.UNIT,
    Status.UNIT_APPROVED: ReviewLevel.DISTRICT,
    Status.DISTRICT_APPROVED: ReviewLevel.BUREAU,
}
"""The level that decides next; a district-approved application waits for the bureau only
once its district has reported the batch (`waits_at`)."""
STATUS_OF_LEVEL: dict[ReviewLevel, Status] = {v: k for k, v in LEVEL_OF_STATUS.items()}
ACTOR_OF_LEVEL: dict[ReviewLevel, Actor] = {
    ReviewLevel.UNIT: Actor.UNIT,
    ReviewLevel.DISTRICT: Actor.DISTRICT,
    ReviewLevel.BUREAU: Actor.BUREAU,
}


def waits_at(status: Status, *, district_reported: bool) -> ReviewLevel | None:
    """The level whose decision the application waits for, or None (DESIGN: "An application
    that the district approved and reported goes on at the city bureau")."""
    level = LEVEL_OF_STATUS.get(status)
    if level is ReviewLevel.BUREAU and not district_reported:
        return None
    return level


def scope_of(grants: Iterable[Grant]) -> Scope:
    grants = list(grants)
    return Scope(
        everything=any(g.role in BUREAU_ROLES for g in grants),
        district_ids=frozenset(
            g.district_id for g in grants if g.role is RoleKind.DISTRICT and g.district_id
        ),
        unit_ids=frozenset(g.unit_id for g in grants if g.role is RoleKind.UNIT and g.unit_id),
        qualifies=any(g.role in BUREAU_ROLES for g in grants),
    )


def reviews(grants: Iterable[Grant]) -> bool:
    """Whether the grants decide at some level (and so have a /pending list)."""
    return any(g.role in (RoleKind.UNIT, RoleKind.DISTRICT, *BUREAU_ROLES) for g in grants)


def district_acts_for_unit(
    *, unit_id: int | None, unit_confirmed: bool, unit_has_reviewer: bool
) -> bool:
    """Whether the district reviews at unit level: unregistered unit, or a unit nobody reviews."""
    return unit_id is None or not unit_confirmed or not unit_has_reviewer


def may_decide(
    grants: Iterable[Grant],
    level: ReviewLevel,
    *,
    district_id: int,
    unit_id: int | None,
    district_covers_unit: bool,
) -> bool:
    """Whether the grants allow a decision at `level` on an application of this district and unit.

    Whether a district-approved application has reached the bureau (`waits_at`) is
    the caller's to check."""
    scope = scope_of(grants)
    if level is ReviewLevel.BUREAU:
        return scope.qualifies
    if level is ReviewLevel.DISTRICT:
        return district_id in scope.district_ids
    if unit_id is not None and unit_id in scope.unit_ids:
        return True
    return district_covers_unit and district_id in scope.district_ids


def may_view(grants: Iterable[Grant], *, district_id: int, unit_id: int | None) -> bool:
    scope = scope_of(grants)
    return (
        scope.everything
        or district_id in scope.district_ids
        or (unit_id is not None and unit_id in scope.unit_ids)
    )


def deadline_of(
    level: ReviewLevel, campaign: Campaign, *, returned_by_bureau: bool = False
) -> datetime | None:
    """The time after which a decision at `level` is refused; None when none applies.

    The campaign's deadlines are for units and districts: the bureau reviews after
    them, so its qualification review has none, and neither has a district deciding
    again on an application the bureau returned to it (that comes after the district
    deadline as a rule; the district would otherwise need an extension for each).
    """
    if level is ReviewLevel.BUREAU:
        return None
    if level is ReviewLevel.UNIT:
        return campaign.unit_deadline
    return None if returned_by_bureau else campaign.district_deadline


SNAPSHOT_KEYS: tuple[str, ...] = (keys.UNIT_NAME,) + tuple(
    f.key for f in FIELDS if f.key not in (keys.ID_CONFIRMED, keys.PHOTO)
)
"""Answers compared between submissions, the unit first as on the card (修改 工作单位); birth
date and gender follow the ID number."""


def answer_snapshot(values: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as JSON-safe data, for the submit event's `changes` column."""
    return {k: _jsonable(values.get(k)) for k in SNAPSHOT_KEYS}


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class Change:
    key: str
    old: Any
    new: Any


def diff_answers(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Answers that differ between two snapshots, in form order; empty and missing are alike."""
    changes = []
    for k in SNAPSHOT_KEYS:
        if k == keys.UNIT_NAME and not (k in old and k in new):
            continue  # a submission recorded before the unit was compared: not a change
        a, b = _blank(old.get(k)), _blank(new.get(k))
        if a != b:
            changes.append(Change(k, a, b))
    return changes


def _blank(value: Any) -> Any:
    return None if value in ("", []) else value
