"""The application's states and the moves between them, as one table.

This is the one source of truth for an application's states, from the draft to
the bureau's qualification review (DESIGN.md § "After the call"); ACCEPTED and
NOT_ACCEPTED are reached later, from the joint meeting's confirmation.

Every transition names who may make it; the services check role, scope and
deadlines around this table, and storage applies the move conditionally on
the application's version so that nothing happens twice.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNIT_APPROVED = "unit_approved"
    DISTRICT_APPROVED = "district_approved"
    QUALIFIED = "qualified"
    """资格审核通过: the bureau found the conditions met; waits for the joint meeting."""
    NOT_QUALIFIED = "not_qualified"
    """资格审核未通过 (final)."""
    CONFIRMED = "confirmed"
    """Named in a joint meeting's batch (入库确认); published, then appointed or not accepted."""
    RETURNED = "returned"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"


class Actor(StrEnum):
    APPLICANT = "applicant"
    UNIT = "unit"
    DISTRICT = "district"
    BUREAU = "bureau"


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    QUALIFY = "qualify"
    DISQUALIFY = "disqualify"
    RETURN_TO_DISTRICT = "return_to_district"
    """The bureau sends a district-approved application back for the district to decide again."""
    ACCEPT = "accept"
    """Appointed (聘任) after publicity: the expert's first term begins."""
    NOT_ACCEPT = "not_accept"
    """An objection upheld during publicity (异议成立)."""
    CONFIRM = "confirm"
    """Named in a joint meeting's batch."""
    DROP_FROM_BATCH = "drop_from_batch"
    """Left out by a batch that corrects an earlier one: qualified again, for a later batch."""


ENTERED = "enter"
"""The event of an application the bureau entered from a district's paper Annex 2 (录入): it
starts district-approved and is at the bureau already, with no district report to wait for."""

S, A, R = Status, Action, Actor

TRANSITIONS: dict[tuple[Status, Actor, Action], Status] = {
    (S.DRAFT, R.APPLICANT, A.SUBMIT): S.SUBMITTED,
    (S.RETURNED, R.APPLICANT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, R.UNIT, A.APPROVE): S.UNIT_APPROVED,
    (S.SUBMITTED, R.UNIT, A.RETURN): S.RETURNED,
    (S.SUBMITTED, R.UNIT, A.DECLINE): S.DECLINED,
    (S.UNIT_APPROVED, R.DISTRICT, A.APPROVE): S.DISTRICT_APPROVED,
    (S.UNIT_APPROVED, R.DISTRICT, A.RETURN): S.RETURNED,
    (S.UNIT_APPROVED, R.DISTRICT, A.DECLINE): S.DECLINED,
    (S.DISTRICT_APPROVED, R.BUREAU, A.QUALIFY): S.QUALIFIED,
    (S.DISTRICT_APPROVED, R.BUREAU, A.RETURN_TO_DISTRICT): S.UNIT_APPROVED,
    (S.DISTRICT_APPROVED, R.BUREAU, A.DISQUALIFY): S.NOT_QUALIFIED,
    (S.QUALIFIED, R.BUREAU, A.CONFIRM): S.CONFIRMED,
    (S.CONFIRMED, R.BUREAU, A.DROP_FROM_BATCH): S.QUALIFIED,
    (S.CONFIRMED, R.BUREAU, A.ACCEPT): S.ACCEPTED,
    (S.CONFIRMED, R.BUREAU, A.NOT_ACCEPT): S.NOT_ACCEPTED,
    **{
        (state, R.APPLICANT, A.WITHDRAW): S.WITHDRAWN
        for state in (
            S.DRAFT,
            S.SUBMITTED,
            S.UNIT_APPROVED,
            S.RETURNED,
            S.DISTRICT_APPROVED,
            S.QUALIFIED,
        )
    },
}

FINAL = frozenset({S.DECLINED, S.WITHDRAWN, S.NOT_QUALIFIED, S.ACCEPTED, S.NOT_ACCEPTED})
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
"""States in which the applicant may change answers."""
RETURNABLE = frozenset(state for (state, _, _), to in TRANSITIONS.items() if to is S.RETURNED)
"""Where a reviewer may still return the form to its applicant for a change."""
LIVE = frozenset(set(Status) - {S.DECLINED, S.WITHDRAWN, S.NOT_QUALIFIED, S.NOT_ACCEPTED})
"""States that count as the one application of an ID number in a campaign."""


def next_status(state: Status, actor: Actor, action: Action) -> Status | None:
    """The state after the move, or None when the table does not allow it."""
    return TRANSITIONS.get((state, actor, action))
