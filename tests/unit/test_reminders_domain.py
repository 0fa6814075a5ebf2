"""What is due, as plain data: audiences, offsets, quiet hours, deadlines, records, extensions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.clock import TZ
from bot.domain.reminders import (
    DEADLINE_OF,
    DEFAULT_LEASE,
    Audience,
    Deadline,
    DeadlineKind,
    DistrictReviewer,
    Recorded,
    Schedule,
    Status,
    Todo,
    current_offset,
    due_reminders,
    format_offset,
    in_quiet,
    parse_offsets,
    parse_quiet,
    reminder_key,
    slot_at,
    unreported_todos,
)

CREATED = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)
UNIT = Deadline(kind=DeadlineKind.UNIT, at=datetime(2022, 9, 30, 18, 0, tzinfo=TZ), since=CREATED)
DISTRICT = Deadline(
    kind=DeadlineKind.DISTRICT, at=datetime(2022, 10, 15, 18, 0, tzinfo=TZ), since=CREATED
)
DEFAULT = Schedule()
OFFSETS = (7 * 1440, 3 * 1440, 1440, 180)

TODOS = {
    Audience.DRAFT: Todo(recipient_id=1, audience=Audience.DRAFT, scope=11, fields_left=5),
    Audience.RETURNED: Todo(recipient_id=2, audience=Audience.RETURNED, scope=12, reason="照片不清晰"),
    Audience.UNIT_PENDING: Todo(recipient_id=3, audience=Audience.UNIT_PENDING, scope=5, count=2),
    Audience.DISTRICT_PENDING: Todo(
        recipient_id=4, audience=Audience.DISTRICT_PENDING, scope=7, count=3
    ),
    Audience.UNREPORTED: Todo(recipient_id=5, audience=Audience.UNREPORTED, scope=8, count=4),
}


def due(now: datetime, todos=None, recorded=None, schedule=DEFAULT, deadlines=(UNIT, DISTRICT)):
    return due_reminders(
        campaign_id=1,
        deadlines=deadlines,
        schedule=schedule,
        todos=list(TODOS.values()) if todos is None else todos,
        recorded=recorded or {},
        now=now,
    )


def test_default_offsets_are_seven_days_three_days_one_day_and_three_hours() -> None:
    assert DEFAULT.offsets == OFFSETS
    assert [format_offset(o) for o in OFFSETS] == ["7d", "3d", "1d", "3h"]


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("offset", OFFSETS)
def test_each_audience_gets_exactly_its_reminder_at_each_offset(
    audience: Audience, offset: int
) -> None:
    deadline = UNIT if DEADLINE_OF[audience] is DeadlineKind.UNIT else DISTRICT
    now = deadline.at - timedelta(minutes=offset)
    notices = due(now, todos=list(TODOS.values()))
    mine = [n for n in notices if n.recipient_id == TODOS[audience].recipient_id]
    assert len(mine) == 1
    n = mine[0]
    assert n.offset == offset
    assert n.deadline_kind is deadline.kind
    assert n.deadline_at == deadline.at
    assert n.payload["audience"] == audience.value
    assert n.key == reminder_key(1, deadline, offset, TODOS[audience])
    # a minute earlier it is the previous offset (or nothing before the first)
    earlier = [
        x for x in due(now - timedelta(minutes=1)) if x.recipient_id == n.recipient_id
    ]
    assert all(x.offset != offset for x in earlier)


def test_nothing_is_due_before_the_first_offset() -> None:
    assert due(UNIT.at - timedelta(days=7, minutes=1), todos=[TODOS[Audience.DRAFT]]) == []


def test_unit_deadline_audiences_are_not_reminded_of_the_district_deadline() -> None:
    now = DISTRICT.at - timedelta(days=1)
    assert {n.recipient_id for n in due(now)} == {4, 5}


@pytest.mark.parametrize("after", [timedelta(0), timedelta(minutes=1), timedelta(days=2)])
def test_nothing_is_due_at_or_after_the_deadline(after: timedelta) -> None:
    assert due(UNIT.at + after, deadlines=(UNIT,)) == []


def test_nobody_with_nothing_to_do_is_reminded() -> None:
    assert due(UNIT.at - timedelta(days=1), todos=[]) == []


def test_a_recorded_reminder_is_not_due_again_but_the_next_offset_is() -> None:
    todo = TODOS[Audience.DRAFT]
    now = UNIT.at - timedelta(days=3)
    [first] = due(now, todos=[todo])
    sent = {first.key: Recorded(status=Status.SENT, claimed_at=now)}
    assert due(now + timedelta(hours=5), todos=[todo], recorded=sent) == []
    [second] = due(UNIT.at - timedelta(days=1), todos=[todo], recorded=sent)
    assert second.offset == 1440


def test_only_the_latest_slot_counts_after_a_long_outage() -> None:
    todo = TODOS[Audience.DRAFT]
    notices = due(UNIT.at - timedelta(hours=2), todos=[todo])
    assert [n.offset for n in notices] == [180]


@pytest.mark.parametrize(
    ("status", "claimed_ago", "again"),
    [
        (Status.PENDING, DEFAULT_LEASE, True),
        (Status.PENDING, DEFAULT_LEASE - timedelta(seconds=1), False),
        (Status.PENDING, None, True),
        (Status.SENT, DEFAULT_LEASE * 10, False),
        (Status.UNREACHABLE, DEFAULT_LEASE * 10, False),
        (Status.FAILED, DEFAULT_LEASE * 10, False),
    ],
)
def test_a_pending_record_is_taken_over_only_after_the_lease(status, claimed_ago, again) -> None:
    todo = TODOS[Audience.DRAFT]
    now = UNIT.at - timedelta(days=1)
    [n] = due(now, todos=[todo])
    claimed = None if claimed_ago is None else now - claimed_ago
    recorded = {n.key: Recorded(status=status, claimed_at=claimed)}
    assert bool(due(now, todos=[todo], recorded=recorded)) is again


def test_quiet_hours_wrap_midnight() -> None:
    assert in_quiet(datetime(2022, 9, 29, 22, 0, tzinfo=TZ), DEFAULT)
    assert in_quiet(datetime(2022, 9, 30, 7, 59, tzinfo=TZ), DEFAULT)
    assert not in_quiet(datetime(2022, 9, 30, 8, 0, tzinfo=TZ), DEFAULT)
    assert not in_quiet(datetime(2022, 9, 29, 21, 59, tzinfo=TZ), DEFAULT)
    assert not in_quiet(datetime(2022, 9, 29, 23, 0, tzinfo=TZ), Schedule(
        quiet_start=time(0), quiet_end=time(0)
    ))


def test_a_slot_in_quiet_hours_moves_to_the_next_morning() -> None:
    deadline = datetime(2022, 9, 30, 9, 0, tzinfo=TZ)
    assert slot_at(deadline, 180, DEFAULT) == datetime(2022, 9, 30, 8, 0, tzinfo=TZ)
    assert slot_at(deadline, 10 * 60, DEFAULT) == datetime(2022, 9, 30, 8, 0, tzinfo=TZ)
    assert slot_at(deadline, 12 * 60, DEFAULT) == datetime(2022, 9, 29, 21, 0, tzinfo=TZ)


def test_a_slot_stays_in_quiet_hours_when_the_deadline_would_pass_first() -> None:
    deadline = datetime(2022, 9, 30, 7, 0, tzinfo=TZ)
    assert slot_at(deadline, 180, DEFAULT) == datetime(2022, 9, 30, 4, 0, tzinfo=TZ)
    d = Deadline(kind=DeadlineKind.UNIT, at=deadline, since=CREATED)
    assert current_offset(d, DEFAULT, datetime(2022, 9, 30, 4, 0, tzinfo=TZ)) == 180


def test_a_reminder_missed_in_the_evening_waits_for_the_morning() -> None:
    deadline = Deadline(
        kind=DeadlineKind.UNIT, at=datetime(2022, 9, 30, 23, 0, tzinfo=TZ), since=CREATED
    )
    todo = TODOS[Audience.DRAFT]
    # the 1d slot is 09-29 23:00, in quiet hours: it goes out at 08:00 on the 30th
    assert due(datetime(2022, 9, 29, 23, 30, tzinfo=TZ), todos=[todo], deadlines=(deadline,)) == []
    at_night = due(datetime(2022, 9, 30, 2, 0, tzinfo=TZ), todos=[todo], deadlines=(deadline,),
                   recorded={})
    assert at_night == []
    [morning] = due(datetime(2022, 9, 30, 8, 0, tzinfo=TZ), todos=[todo], deadlines=(deadline,))
    assert morning.offset == 1440
    assert morning.due_at == datetime(2022, 9, 30, 8, 0, tzinfo=TZ)


def test_an_extended_deadline_reschedules_the_remaining_reminders() -> None:
    todo = TODOS[Audience.DRAFT]
    extended_at = datetime(2022, 9, 29, 20, 0, tzinfo=TZ)
    old = UNIT
    [sent] = due(old.at - timedelta(days=1), todos=[todo])
    recorded = {sent.key: Recorded(status=Status.SENT, claimed_at=sent.due_at)}
    new = Deadline(kind=DeadlineKind.UNIT, at=datetime(2022, 10, 3, 18, 0, tzinfo=TZ),
                   since=extended_at)
    # the 7d slot of the new deadline had passed at the extension: it never fires
    assert due(extended_at + timedelta(minutes=1), todos=[todo], deadlines=(new,),
               recorded=recorded) == []
    [d3] = due(datetime(2022, 9, 30, 18, 0, tzinfo=TZ), todos=[todo], deadlines=(new,),
               recorded=recorded)
    assert d3.offset == 4320
    [d1] = due(datetime(2022, 10, 2, 18, 0, tzinfo=TZ), todos=[todo], deadlines=(new,),
               recorded=recorded)
    assert (d1.offset, d1.deadline_at) == (1440, new.at)
    assert d1.key != sent.key
    [h3] = due(datetime(2022, 10, 3, 15, 0, tzinfo=TZ), todos=[todo], deadlines=(new,))
    assert h3.offset == 180


def test_offsets_and_quiet_hours_parse_from_what_an_admin_types() -> None:
    assert parse_offsets("3h, 7d,1d，3d,3h") == (10080, 4320, 1440, 180)
    assert parse_offsets("1d12h") == (2160,)
    assert parse_quiet("22:00-08:00") == (time(22), time(8))
    assert parse_quiet("none") == (time(0), time(0))
    for bad in ("", "7x", "d", "0h"):
        with pytest.raises(ValueError):
            parse_offsets(bad)
    with pytest.raises(ValueError):
        parse_quiet("22:00")


REVIEWERS = [
    DistrictReviewer(person_id=41, district_id=7, label="渝中区"),
    DistrictReviewer(person_id=42, district_id=7, label="渝中区"),
    DistrictReviewer(person_id=51, district_id=8, label="江北区"),
    DistrictReviewer(person_id=61, district_id=9, label="南岸区"),
]


def test_only_districts_with_approved_applications_and_no_report_have_a_batch_to_report() -> None:
    todos = unreported_todos(reviewers=REVIEWERS, approved={7: 3, 8: 2, 9: 0}, reported={8})
    assert [(x.recipient_id, x.scope, x.count, x.label) for x in todos] == [
        (41, 7, 3, "渝中区"),
        (42, 7, 3, "渝中区"),
    ]
    assert all(x.audience is Audience.UNREPORTED for x in todos)
    assert unreported_todos(reviewers=REVIEWERS, approved={}, reported=()) == []
    assert unreported_todos(reviewers=REVIEWERS, approved={7: 1}, reported={7}) == []


@pytest.mark.parametrize("offset", OFFSETS)
def test_an_unreported_batch_is_reminded_at_the_district_deadlines_offsets_only(offset: int) -> None:
    todos = unreported_todos(reviewers=REVIEWERS, approved={7: 3}, reported=())
    now = DISTRICT.at - timedelta(minutes=offset)
    notices = due(now, todos=todos)
    assert [(n.recipient_id, n.offset, n.deadline_kind) for n in notices] == [
        (41, offset, DeadlineKind.DISTRICT),
        (42, offset, DeadlineKind.DISTRICT),
    ]
    assert notices[0].payload["audience"] == "unreported"
    assert notices[0].app_id is None
    # the unit deadline's offsets do not concern it
    assert due(UNIT.at - timedelta(minutes=offset), todos=todos, deadlines=(UNIT,)) == []


def test_an_unreported_batch_and_pending_applications_are_separate_reminders() -> None:
    pending = Todo(recipient_id=41, audience=Audience.DISTRICT_PENDING, scope=7, count=1)
    [unreported] = unreported_todos(reviewers=REVIEWERS[:1], approved={7: 3}, reported=())
    notices = due(DISTRICT.at - timedelta(days=1), todos=[pending, unreported])
    assert len({n.key for n in notices}) == 2
