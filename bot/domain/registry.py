"""The expert database after the call (notice § 四): an expert's standing, terms, numbers, dates.

DESIGN.md § "After the call" draws two lives. An application's states, from
the draft through the bureau's qualification review to its entry into the
database, are the application's one state table, `bot.domain.workflow`. An
expert's (one per person, across campaigns) is here: five-year terms that end
in an evaluation and a renewal, or early by withdrawal or dismissal.

Services check role and scope around these tables; storage applies a move
conditionally on the row's version, so a double press changes nothing twice.
Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

TERM_YEARS = 5
PUBLICITY_WORKING_DAYS = 5
"""The publicity period the bot proposes (the notice says 予以公示 and sets no length); without
a holiday calendar the admin confirms the end date or types another."""


class Standing(StrEnum):
    """An expert's standing in the database."""

    APPOINTED = "appointed"
    DUE = "due"
    """The term has ended and awaits the evaluation and renewal decision."""
    ENDED = "ended"
    """不予续聘: the term ran out and was not renewed."""
    WITHDRAWN = "withdrawn"
    """自愿退出, confirmed by the bureau."""
    DISMISSED = "dismissed"
    """解聘 for a violation."""


class ExpertAction(StrEnum):
    TERM_ENDS = "term_ends"
    RENEW = "renew"
    NOT_RENEW = "not_renew"
    WITHDRAW = "withdraw"
    DISMISS = "dismiss"


S, XA = Standing, ExpertAction

EXPERT_MOVES: dict[tuple[Standing, ExpertAction], Standing] = {
    (S.APPOINTED, XA.TERM_ENDS): S.DUE,
    (S.APPOINTED, XA.RENEW): S.APPOINTED,
    (S.DUE, XA.RENEW): S.APPOINTED,
    (S.APPOINTED, XA.NOT_RENEW): S.ENDED,
    (S.DUE, XA.NOT_RENEW): S.ENDED,
    (S.APPOINTED, XA.WITHDRAW): S.WITHDRAWN,
    (S.DUE, XA.WITHDRAW): S.WITHDRAWN,
    (S.APPOINTED, XA.DISMISS): S.DISMISSED,
    (S.DUE, XA.DISMISS): S.DISMISSED,
}
"""续聘 and 不予续聘 are decided from the first term reminder on (`decisions_open`), and 续聘 only
after a passing 期满考核 (the services check both); withdrawal and dismissal at any time."""

DECIDED_AT_TERM_END = frozenset({XA.RENEW, XA.NOT_RENEW})
"""What follows a term (notice § 四(四)): decided when the term is over or about to be."""

EXPERT_FINAL = frozenset({S.ENDED, S.WITHDRAWN, S.DISMISSED})
SERVING = frozenset({S.APPOINTED, S.DUE})
"""Standings of an expert in a term: evaluated, renewed, ended, may withdraw or change contacts."""
LETTER_FOR = frozenset({XA.NOT_RENEW, XA.DISMISS})
"""Moves that produce a written notice (书面函告) to the expert and the unit."""


def next_standing(state: Standing, action: ExpertAction) -> Standing | None:
    return EXPERT_MOVES.get((state, action))


def may_apply(standing: Standing | None) -> bool:
    """A yearly top-up call does not take a current expert through the form again; a former one may."""
    return standing is None or standing in EXPERT_FINAL


# Terms ---------------------------------------------------------------------------------


def term_end(start: date, years: int = TERM_YEARS) -> date:
    """The last day of a term: the day before the `years`th anniversary (29 Feb starts end 28 Feb)."""
    year = start.year + years
    try:
        anniversary = start.replace(year=year)
    except ValueError:  # 29 February into a common year: the anniversary is 1 March
        anniversary = date(year, 3, 1)
    return anniversary - timedelta(days=1)


class Term(Protocol):
    """A term as storage gives it (services' TermRow)."""

    @property
    def certificate_no(self) -> str: ...
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date: ...
    @property
    def ended_on(self) -> date | None: ...


@dataclass(frozen=True)
class InForce:
    """An expert's term as it stands on a day: the one in force, and a renewal decided already
    that starts after it (续聘 decided before the old term's end), if any."""

    current: Term
    next: Term | None = None


def in_force(terms: Sequence[Term], today: date) -> InForce | None:
    """The term in force `today` among an expert's terms (oldest first): the latest that has
    started, passing over one ended before it began (a renewal cut off by 解聘 or 退出); when
    none has started (appointed again from a later day), the first to come. The registry's
    listing shows the latest term, which after an early 续聘 is the one to come."""
    held = [term for term in terms if term.ended_on is None or term.ended_on >= term.starts_on]
    if not held:
        return None
    started = [term for term in held if term.starts_on <= today]
    if not started or (started[-1].ended_on is not None and started[-1].ended_on < today):
        later = [term for term in held if term.starts_on > today]
        return InForce(later[0]) if later else InForce(held[-1])
    current = started[-1]
    later = [term for term in held if term.starts_on > current.ends_on]
    return InForce(current, later[0] if later else None)


TERM_REMINDERS = (90, 30)
"""Days before a term ends on which the bureau is told who is due."""


def renewal_reminders(end: date, days_before: tuple[int, ...] = TERM_REMINDERS) -> tuple[date, ...]:
    """The days on which the bureau is told that a term ends at `end`."""
    return tuple(end - timedelta(days=d) for d in days_before)


def decisions_open(end: date) -> date:
    """The first day on which 续聘 or 不予续聘 may be decided for a term ending at `end`: the
    first reminder's (90 days before); the term runs on until `end` whatever is decided."""
    return end - timedelta(days=max(TERM_REMINDERS))


def due_reminder(end: date, today: date) -> int | None:
    """The latest reminder due `today` for a term ending at `end` (90, then 30 days before);
    None before the first."""
    due = [d for d in TERM_REMINDERS if end - timedelta(days=d) <= today]
    return min(due) if due else None


class TermEnd(StrEnum):
    """/experts' filter by the end of the expert's latest term (experts in a term only)."""

    SOON = "soon"
    """The last day is today or within the reminders' 90 days."""
    PASSED = "passed"
    """The last day has passed: waiting for the renewal decision."""


def term_end_range(which: TermEnd, today: date) -> tuple[date | None, date | None]:
    """The first and last day (None: open) on which the latest term ends, for the filter."""
    if which is TermEnd.SOON:
        return today, today + timedelta(days=max(TERM_REMINDERS))
    return None, today - timedelta(days=1)


# Certificates --------------------------------------------------------------------------

_PATTERN = re.compile(r"^([A-Z][A-Z0-9-]{0,19})\{year\}([A-Z0-9-]{0,9})\{number:0([3-6])d\}$")


def check_certificate_format(template: str) -> str:
    """A campaign's certificate number format, e.g. `CQGSYF-{year}-{number:04d}`; ValueError if unusable."""
    if not _PATTERN.match(template):
        raise ValueError(
            "证书编号格式应形如 CQGSYF-{year}-{number:04d}：大写字母开头，含年份与 3–6 位序号"
        )
    return template


def _parts(template: str) -> tuple[str, str, int]:
    """(the letters before the year, those between the year and the serial, the serial's width)."""
    head, middle, width = _PATTERN.match(check_certificate_format(template)).groups()  # type: ignore[union-attr]
    return head, middle, int(width)


def series_of(template: str, year: int) -> str:
    """The counter a format numbers from in `year`: one per format and year."""
    return template.replace("{year}", str(year))


def certificate_number(template: str, year: int, number: int) -> str:
    """The `number`th certificate of `year`; numbers are never reused, so callers pass the next unused one."""
    if number < 1:
        raise ValueError("证书序号从 1 开始")
    width = _parts(template)[2]
    if number >= 10**width:
        raise ValueError(f"证书序号超出 {width} 位")
    return template.format(year=year, number=number)


def made_by(template: str, certificate_no: str) -> tuple[int, int] | None:
    """(year, serial) if the format could have made this number, else None."""
    head, middle, width = _parts(template)
    found = re.fullmatch(
        rf"{re.escape(head)}(\d{{4}}){re.escape(middle)}(\d{{{width}}})", certificate_no
    )
    return (int(found[1]), int(found[2])) if found else None


def formats_clash(a: str, b: str) -> bool:
    """Whether two formats, each counting on its own, could make the same number (a format
    never clashes with itself: it shares its counters)."""
    if a == b:
        return False

    def shape(template: str) -> str:  # '#' stands for any digit of the year or the serial
        head, middle, width = _parts(template)
        return f"{head}####{middle}{'#' * width}"

    def fits(x: str, y: str) -> bool:
        return x == y or ("#" in (x, y) and (x + y).replace("#", "").isdigit())

    x, y = shape(a), shape(b)
    return len(x) == len(y) and all(fits(p, q) for p, q in zip(x, y, strict=True))


# Publicity -----------------------------------------------------------------------------

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def working_days_after(start: date, days: int = PUBLICITY_WORKING_DAYS) -> date:
    """The `days`th weekday counting `start` as the first (no holiday calendar: the admin confirms)."""
    if days < 1:
        raise ValueError("公示期至少 1 个工作日")
    current, counted = start, 0
    while True:
        if current.weekday() < 5:
            counted += 1
            if counted == days:
                return current
        current += timedelta(days=1)


def weekdays_in(start: date, end: date) -> int:
    """Monday to Friday from `start` to `end`, both included (holidays not known)."""
    return sum((start + timedelta(days=n)).weekday() < 5 for n in range((end - start).days + 1))


def weekday_of(day: date) -> str:
    return WEEKDAYS[day.weekday()]


# Yearly evaluation ---------------------------------------------------------------------


class Rating(StrEnum):
    EXCELLENT = "优秀"
    PASS = "合格"
    FAIL = "不合格"


def passed(rating: Rating) -> bool:
    """A rating that is not 不合格."""
    return rating is not Rating.FAIL


def flagged(ratings_in_term: list[Rating]) -> bool:
    """不合格 twice within one term is flagged for the bureau's decision."""
    return ratings_in_term.count(Rating.FAIL) >= 2
