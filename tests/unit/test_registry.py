"""The expert database's tables and dates: every move of an expert allowed or refused, terms,
numbers, publicity. The application's moves are tests/unit/test_workflow.py's."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.registry import (
    EXPERT_FINAL,
    EXPERT_MOVES,
    ExpertAction,
    Rating,
    Standing,
    certificate_number,
    check_certificate_format,
    flagged,
    formats_clash,
    made_by,
    may_apply,
    next_standing,
    renewal_reminders,
    series_of,
    term_end,
    weekday_of,
    working_days_after,
)

S, XA = Standing, ExpertAction


@pytest.mark.parametrize("state,action", list(itertools.product(Standing, ExpertAction)))
def test_an_experts_standing_moves_only_as_the_table_says(state, action) -> None:
    expected = EXPERT_MOVES.get((state, action))
    assert next_standing(state, action) == expected
    if state in EXPERT_FINAL:
        assert expected is None, "withdrawn, dismissed and ended experts stay so"


def test_a_current_expert_is_not_taken_through_the_form_again_but_a_former_one_may() -> None:
    assert may_apply(None)
    assert not may_apply(S.APPOINTED) and not may_apply(S.DUE)
    assert all(may_apply(s) for s in EXPERT_FINAL)


def test_a_term_ends_the_day_before_the_fifth_anniversary() -> None:
    assert term_end(date(2022, 11, 1)) == date(2027, 10, 31)
    assert term_end(date(2023, 1, 1)) == date(2027, 12, 31)
    assert term_end(date(2024, 2, 29)) == date(2029, 2, 28)
    assert renewal_reminders(date(2027, 10, 31)) == (date(2027, 8, 2), date(2027, 10, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_a_term_lasts_five_years_to_the_day(start: date) -> None:
    end = term_end(start)
    assert 5 * 365 <= (end - start).days + 1 <= 5 * 366
    renewed = end + timedelta(days=1)
    assert term_end(renewed) > end, "a renewal's term starts the day after the old one ends"


def test_certificate_numbers_follow_the_campaigns_format() -> None:
    template = check_certificate_format("CQGSYF-{year}-{number:04d}")
    assert certificate_number(template, 2022, 1) == "CQGSYF-2022-0001"
    assert certificate_number(template, 2022, 9999) == "CQGSYF-2022-9999"
    with pytest.raises(ValueError):
        certificate_number(template, 2022, 10_000)
    with pytest.raises(ValueError):
        certificate_number(template, 2022, 0)
    for bad in ("cq-{year}-{number:04d}", "CQ-{number:04d}", "CQ-{year}-{number}", "CQ-{year}-{number:02d}"):
        with pytest.raises(ValueError):
            check_certificate_format(bad)


def test_formats_that_could_make_the_same_number_clash() -> None:
    default = "CQGSYF-{year}-{number:04d}"
    assert not formats_clash(default, default), "one format shares its counters"
    assert formats_clash(default, "CQGSYF-{year}-0{number:03d}")
    assert formats_clash("CQ{year}{number:04d}", "CQ{year}1{number:03d}")
    assert not formats_clash(default, "CQRS-{year}-{number:04d}")
    assert not formats_clash(default, "CQGSYF-{year}-{number:05d}")
    assert made_by(default, "CQGSYF-2022-0012") == (2022, 12)
    assert made_by("CQGSYF-{year}-0{number:03d}", "CQGSYF-2022-0012") == (2022, 12)
    assert made_by(default, "CQGSYF-2022-00012") is None
    assert series_of(default, 2027) == "CQGSYF-2027-{number:04d}"


def test_publicity_ends_after_five_working_days_and_says_the_weekday() -> None:
    friday = date(2022, 11, 4)
    assert working_days_after(friday) == date(2022, 11, 10)
    assert weekday_of(date(2022, 11, 10)) == "星期四"
    saturday = date(2022, 11, 5)
    assert working_days_after(saturday) == date(2022, 11, 11)


def test_failing_twice_in_a_term_is_flagged() -> None:
    assert not flagged([Rating.PASS, Rating.FAIL, Rating.EXCELLENT])
    assert flagged([Rating.FAIL, Rating.PASS, Rating.FAIL])


def test_the_latest_term_reminder_due() -> None:
    from bot.domain.registry import due_reminder

    end = date(2027, 11, 14)
    assert due_reminder(end, date(2027, 8, 15)) is None
    assert due_reminder(end, date(2027, 8, 16)) == 90
    assert due_reminder(end, date(2027, 10, 15)) == 30
    assert due_reminder(end, date(2027, 11, 14)) == 30


def test_the_term_in_force_is_the_one_started_not_a_renewal_still_to_come() -> None:
    from dataclasses import dataclass

    from bot.domain.registry import in_force

    @dataclass(frozen=True)
    class T:
        certificate_no: str
        starts_on: date
        ends_on: date
        ended_on: date | None = None

    old = T("A-1", date(2022, 11, 2), date(2027, 11, 1))
    new = T("A-2", date(2027, 11, 2), date(2032, 11, 1))
    assert in_force([], date(2025, 1, 1)) is None
    early = in_force([old, new], date(2027, 9, 1))  # 续聘 decided before the end
    assert early is not None and (early.current, early.next) == (old, new)
    started = in_force([old, new], date(2027, 11, 2))
    assert started is not None and (started.current, started.next) == (new, None)
    due = in_force([old], date(2028, 1, 1))  # over, renewal not decided: still the last one
    assert due is not None and (due.current, due.next) == (old, None)
    # A renewal cut off before it began is passed over; a former expert appointed again from
    # a later day: the term to come, not the one they left.
    cut = T("A-2", date(2027, 11, 2), date(2032, 11, 1), ended_on=date(2027, 10, 1))
    left = in_force([old, cut], date(2027, 10, 2))
    assert left is not None and left.current == old and left.next is None
    gone = T("A-1", date(2022, 11, 2), date(2027, 11, 1), ended_on=date(2024, 3, 1))
    again = T("A-9", date(2026, 12, 1), date(2031, 11, 30))
    back = in_force([gone, again], date(2026, 11, 20))
    assert back is not None and (back.current, back.next) == (again, None)
