"""What reminder is due for whom: a pure function of the data and the time.

A campaign has two deadlines; each has slots at fixed offsets before it
(7 days, 3 days, 1 day and 3 hours by default). A slot that falls in quiet
hours moves to the end of the quiet hours, unless the deadline would pass
first, in which case it stays where it is. At any moment only the latest
slot that has come counts: someone the bot could not reach for a while gets
one reminder, not a backlog. Slots that had already passed when a deadline
was set (created or extended) never fire, so an extension does not repeat
the reminders just sent for the old deadline.

Each reminder has a key (campaign, deadline, offset, recipient); a key that
is recorded is not due again unless it is still pending (recorded, never
marked sent) and its claim is free (released by a pass that ended) or older
than the lease: that is how a crash between recording and sending is recovered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from bot.domain.parsers import TIMEZONE


class DeadlineKind(StrEnum):
    UNIT = "unit"
    """Applicants submit and units decide until then."""
    DISTRICT = "district"
    """Districts decide and report until then."""


class Audience(StrEnum):
    """What the recipient still has to do; decides the deadline and the text."""

    DRAFT = "draft"
    RETURNED = "returned"
    UNIT_PENDING = "unit"
    DISTRICT_PENDING = "district"
    UNREPORTED = "unreported"
    """A district reviewer whose district has approved applications but no batch report."""


DEADLINE_OF: dict[Audience, DeadlineKind] = {
    Audience.DRAFT: DeadlineKind.UNIT,
    Audience.RETURNED: DeadlineKind.UNIT,
    Audience.UNIT_PENDING: DeadlineKind.UNIT,
    Audience.DISTRICT_PENDING: DeadlineKind.DISTRICT,
    Audience.UNREPORTED: DeadlineKind.DISTRICT,
}


class NoticeKind(StrEnum):
    """Everything that leaves through the reminder outbox."""

    REMINDER = "reminder"
    EXTENDED = "extended"
    """A deadline was extended; told to everyone it concerns."""
    UNREACHABLE = "unreachable"
    """Someone below blocked the bot; told once to the level above."""
    NUDGE = "nudge"
    """催办 by a reviewer or the bureau."""
    REGISTRY = "registry"
    """The expert database: appointed, not accepted after an objection (payload `what`)."""
    DRAW = "draw"
    """Draws: invitations, answers, timeouts, work records (payload `what`, bot.services.draws)."""
    TO_DISTRICT = "to_district"
    """A unit lost its last reviewer (`expertbot revoke`): its waiting applications are now the
    district's to decide (payload `unit`, `count`), with a button to /pending."""


class Status(StrEnum):
    PENDING = "pending"
    """Recorded (claimed), not yet known to be sent."""
    SENT = "sent"
    UNREACHABLE = "unreachable"
    FAILED = "failed"
    EXPIRED = "expired"
    """The deadline passed before it could be sent."""


DEFAULT_OFFSETS: tuple[int, ...] = (7 * 24 * 60, 3 * 24 * 60, 24 * 60, 3 * 60)
"""Minutes before a deadline."""
DEFAULT_LEASE = timedelta(seconds=60)
"""How long a claimed, unsent reminder belongs to the pass that claimed it, unless renewed.

A live pass renews its claims well within this; a killed one cannot, so the
next pass takes them over about a minute later."""


@dataclass(frozen=True, kw_only=True)
class Schedule:
    offsets: tuple[int, ...] = DEFAULT_OFFSETS
    """Minutes before each deadline at which reminders go out."""
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)
    """Quiet hours in Asia/Shanghai; start == end means none."""


@dataclass(frozen=True, kw_only=True)
class Deadline:
    kind: DeadlineKind
    at: datetime
    since: datetime
    """When this deadline took effect (campaign created or deadline extended)."""


@dataclass(frozen=True, kw_only=True)
class Todo:
    """One recipient and what they still have to do."""

    recipient_id: int
    audience: Audience
    scope: int
    """Application id (applicants), unit id or district id (reviewers)."""
    count: int = 1
    """Pending applications (reviewers)."""
    fields_left: int = 0
    """Required fields still empty (drafts)."""
    reason: str | None = None
    """Why it was returned."""
    label: str = ""
    """Unit or district name."""


@dataclass(frozen=True, kw_only=True)
class Recorded:
    status: Status
    claimed_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class Notice:
    """One message in the outbox, as plain data: the renderer turns it into text and buttons."""

    key: str
    kind: NoticeKind
    recipient_id: int
    campaign_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    deadline_kind: DeadlineKind | None = None
    deadline_at: datetime | None = None
    """The notice is pointless after this moment (reminders only)."""
    offset: int | None = None
    app_id: int | None = None
    due_at: datetime | None = None


def in_quiet(moment: datetime, schedule: Schedule) -> bool:
    t = moment.astimezone(TIMEZONE).time()
    start, end = schedule.quiet_start, schedule.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end


def quiet_end_after(moment: datetime, schedule: Schedule) -> datetime:
    """The first end of quiet hours after `moment`."""
    local = moment.astimezone(TIMEZONE)
    end = datetime.combine(local.date(), schedule.quiet_end, tzinfo=TIMEZONE)
    if end <= local:
        end += timedelta(days=1)
    return end


def slot_at(deadline: datetime, offset: int, schedule: Schedule) -> datetime:
    """When the reminder `offset` minutes before `deadline` goes out, quiet hours considered."""
    nominal = deadline - timedelta(minutes=offset)
    if in_quiet(nominal, schedule):
        morning = quiet_end_after(nominal, schedule)
        if morning < deadline:
            return morning
    return nominal


def current_offset(deadline: Deadline, schedule: Schedule, now: datetime) -> int | None:
    """The offset whose reminder is due now for this deadline, or None."""
    if now >= deadline.at:
        return None
    if in_quiet(now, schedule) and quiet_end_after(now, schedule) < deadline.at:
        return None
    best: tuple[datetime, int] | None = None
    for offset in schedule.offsets:
        at = slot_at(deadline.at, offset, schedule)
        if deadline.since <= at <= now and (best is None or at > best[0]):
            best = (at, offset)
    return best[1] if best else None


def reminder_key(campaign_id: int, deadline: Deadline, offset: int, todo: Todo) -> str:
    """Unique per campaign, deadline (kind and moment), offset and recipient (person and scope)."""
    return (
        f"r:{campaign_id}:{deadline.kind}@{deadline.at:%Y%m%dT%H%M%z}:{offset}:"
        f"{todo.recipient_id}:{todo.audience}{todo.scope}"
    )


def is_due_again(recorded: Recorded | None, now: datetime, lease: timedelta) -> bool:
    """Not recorded, or recorded and left pending by a pass that is gone."""
    if recorded is None:
        return True
    if recorded.status is not Status.PENDING:
        return False
    return recorded.claimed_at is None or recorded.claimed_at <= now - lease


def due_reminders(
    *,
    campaign_id: int,
    deadlines: Iterable[Deadline],
    schedule: Schedule,
    todos: Sequence[Todo],
    recorded: Mapping[str, Recorded],
    now: datetime,
    lease: timedelta = DEFAULT_LEASE,
) -> list[Notice]:
    """The reminders to send now, in a stable order."""
    out: list[Notice] = []
    for deadline in deadlines:
        offset = current_offset(deadline, schedule, now)
        if offset is None:
            continue
        for todo in todos:
            if DEADLINE_OF[todo.audience] is not deadline.kind:
                continue
            key = reminder_key(campaign_id, deadline, offset, todo)
            if not is_due_again(recorded.get(key), now, lease):
                continue
            out.append(
                Notice(
                    key=key,
                    kind=NoticeKind.REMINDER,
                    recipient_id=todo.recipient_id,
                    campaign_id=campaign_id,
                    payload=payload_of(todo, deadline),
                    deadline_kind=deadline.kind,
                    deadline_at=deadline.at,
                    offset=offset,
                    app_id=todo.scope if todo.audience in APPLICANT else None,
                    due_at=slot_at(deadline.at, offset, schedule),
                )
            )
    return out


APPLICANT = frozenset({Audience.DRAFT, Audience.RETURNED})


@dataclass(frozen=True, kw_only=True)
class DistrictReviewer:
    person_id: int
    district_id: int
    label: str = ""
    """District name."""


def unreported_todos(
    *,
    reviewers: Iterable[DistrictReviewer],
    approved: Mapping[int, int],
    reported: Iterable[int],
) -> list[Todo]:
    """District reviewers whose district has district-approved applications and no current report.

    `approved` counts district-approved applications per district; `reported`
    holds the districts with a batch report that has not been replaced. A
    district with a report, or with nothing approved, has nothing to report.
    """
    done = set(reported)
    return [
        Todo(
            recipient_id=r.person_id,
            audience=Audience.UNREPORTED,
            scope=r.district_id,
            count=approved[r.district_id],
            label=r.label,
        )
        for r in reviewers
        if approved.get(r.district_id, 0) > 0 and r.district_id not in done
    ]


def payload_of(todo: Todo, deadline: Deadline) -> dict[str, Any]:
    return {
        "audience": todo.audience.value,
        "scope": todo.scope,
        "count": todo.count,
        "fields_left": todo.fields_left,
        "reason": todo.reason,
        "label": todo.label,
        "deadline": deadline.at.isoformat(),
        "deadline_kind": deadline.kind.value,
    }


def parse_offset(text: str) -> int:
    """`7d`, `3h`, `90m` or `1d12h` as minutes."""
    value = text.strip().lower()
    units = {"d": 24 * 60, "h": 60, "m": 1}
    total, number = 0, ""
    for ch in value:
        if ch.isdigit():
            number += ch
        elif ch in units and number:
            total += int(number) * units[ch]
            number = ""
        else:
            raise ValueError(text)
    if number or total <= 0 or total > 60 * 24 * 60:
        raise ValueError(text)
    return total


def format_offset(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (mins, "m")) if n]
    return "".join(parts) or "0m"


def parse_offsets(text: str) -> tuple[int, ...]:
    """`7d,3d,1d,3h` as minutes, largest first, without repeats."""
    items = [p for p in text.replace("，", ",").replace(" ", ",").split(",") if p.strip()]
    if not items:
        raise ValueError(text)
    return tuple(sorted({parse_offset(p) for p in items}, reverse=True))


def parse_quiet(text: str) -> tuple[time, time]:
    """`22:00-08:00` as (start, end); `none` for no quiet hours."""
    value = text.strip().lower()
    if value in ("none", "off", "无"):
        return time(0, 0), time(0, 0)
    start, sep, end = value.replace("–", "-").partition("-")
    if not sep:
        raise ValueError(text)
    return time.fromisoformat(start.strip().zfill(5)), time.fromisoformat(end.strip().zfill(5))
