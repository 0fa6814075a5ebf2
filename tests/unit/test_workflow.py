"""The application's one state table: every (state, actor, action) allowed or refused as written."""

from __future__ import annotations

import itertools

import pytest

from bot.domain.workflow import (
    EDITABLE,
    FINAL,
    LIVE,
    TRANSITIONS,
    Action,
    Actor,
    Status,
    next_status,
)

S, R, A = Status, Actor, Action

ALLOWED = {
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
    (S.DRAFT, R.APPLICANT, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, R.APPLICANT, A.WITHDRAW): S.WITHDRAWN,
    (S.UNIT_APPROVED, R.APPLICANT, A.WITHDRAW): S.WITHDRAWN,
    (S.RETURNED, R.APPLICANT, A.WITHDRAW): S.WITHDRAWN,
    (S.DISTRICT_APPROVED, R.APPLICANT, A.WITHDRAW): S.WITHDRAWN,
    (S.QUALIFIED, R.APPLICANT, A.WITHDRAW): S.WITHDRAWN,
}


@pytest.mark.parametrize(("state", "actor", "action"), list(itertools.product(Status, Actor, Action)))
def test_every_move_is_allowed_exactly_as_the_table_says(state, actor, action) -> None:
    assert next_status(state, actor, action) == ALLOWED.get((state, actor, action))


def test_the_table_holds_nothing_else() -> None:
    assert TRANSITIONS == ALLOWED


def test_no_move_leaves_a_final_state() -> None:
    assert not [key for key in TRANSITIONS if key[0] in FINAL]
    assert S.NOT_QUALIFIED in FINAL


def test_only_the_bureau_decides_qualifications_and_only_on_district_approved_applications() -> None:
    qualification = (A.QUALIFY, A.DISQUALIFY, A.RETURN_TO_DISTRICT)
    bureau = {k: v for k, v in TRANSITIONS.items() if k[2] in qualification}
    assert {state for state, _, _ in bureau} == {S.DISTRICT_APPROVED}
    assert set(bureau.values()) == {S.QUALIFIED, S.NOT_QUALIFIED, S.UNIT_APPROVED}
    assert all(
        actor is R.BUREAU
        for (_, actor, action) in TRANSITIONS
        if action in (A.QUALIFY, A.DISQUALIFY, A.RETURN_TO_DISTRICT)
    )


def test_a_return_to_the_district_waits_for_the_district_again_not_the_applicant() -> None:
    returned = next_status(S.DISTRICT_APPROVED, R.BUREAU, A.RETURN_TO_DISTRICT)
    assert returned is S.UNIT_APPROVED and returned not in EDITABLE
    assert next_status(S.UNIT_APPROVED, R.DISTRICT, A.APPROVE) is S.DISTRICT_APPROVED


def test_not_qualified_frees_the_id_number_like_a_decline_and_qualified_holds_it() -> None:
    assert S.NOT_QUALIFIED not in LIVE and S.DECLINED not in LIVE
    assert S.QUALIFIED in LIVE and S.DISTRICT_APPROVED in LIVE


def test_no_move_is_named_by_more_than_one_actor_at_once() -> None:
    by_move: dict[tuple[Status, Action], set[Actor]] = {}
    for state, actor, action in TRANSITIONS:
        by_move.setdefault((state, action), set()).add(actor)
    assert all(len(actors) == 1 for actors in by_move.values())


def test_every_state_has_a_label_wherever_states_are_shown() -> None:
    from bot.texts import chat, exports
    from handlers.render_review import LISTED_STATUSES, SHORT_STATUS

    for status in Status:
        assert chat.STATUS[status] and exports.STATUS[status] and SHORT_STATUS[status]
    assert set(LISTED_STATUSES) == set(Status) - {S.DRAFT}
    assert SHORT_STATUS[S.QUALIFIED] == "资格审核通过"
    assert SHORT_STATUS[S.NOT_QUALIFIED] == "资格审核未通过"
