"""Drawing experts for a using unit (notice § 四(七)): who may be drawn, the draw, its proof.

A draw must be shown fair afterwards, so it is a pure function of data that
is written down before and during it:

1. When the request is filed, a random 32-byte key is made and only its
   SHA-256 (the commitment) is written to the audit trail. Nobody, the
   requester included, can know the draw's order yet.
2. At the draw the pool is formed (`eligible`) and written down, with its
   SHA-256 over the sorted entries. The key is revealed beside it, and the
   next round's key is made and committed, so a redraw is as unknown.
3. Round r's seed is HMAC-SHA256(key, "draw:<request id>:<r>"). Each expert
   in the pool gets the score HMAC-SHA256(seed, "<expert id>"); experts from
   a preferred district come first, then everyone by score (bytes, ascending).
   The first N are invited, the next ones are the ordered reserve.

Anyone with the record can recompute every step (`verify`): the key
matches the commitment, the pool matches its hash, the order matches the
scores, and the invitations went down that order (`followed_order`).

What it does not prove: that the pool was right. Whoever can read the
database before a draw can see its key; leave, bookings and 回避 that shape
a pool are each recorded with who and when, for the audit to check.
Standard library only.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import NamedTuple

from bot.domain.parsers import TIMEZONE, parse_day_near
from bot.texts import draws as t

MAX_EXPERTS = 20
"""Experts one request may ask for."""
MAX_DAYS = 10
"""Days one request may cover."""
REPLY_HOURS = 24
"""How long a drawn expert has to answer by default."""
MAX_FEE_YUAN = 100_000
MAX_OPEN_REQUESTS = 30
"""Requests a using unit may have open at once (not cancelled, work not yet past): a unit
cannot hold the whole database by filing without end."""


class WorkKind(StrEnum):
    REVIEW = "review"
    ACCEPTANCE = "accept"
    INSPECTION = "inspect"
    TRAINING = "training"
    ACCIDENT = "accident"
    OTHER = "other"


class RequestStatus(StrEnum):
    FILED = "filed"
    """Key committed; the pool is shown, nobody drawn yet."""
    DRAWN = "drawn"
    """Invitations are out or answered."""
    CANCELLED = "cancelled"


class InvitationStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    """No answer by the reply deadline."""
    SKIPPED = "skipped"
    """A reserve whose turn came when they could no longer go (booked, left, on leave)."""
    CANCELLED = "cancelled"
    """The request was cancelled."""
    LEFT = "left"
    """The expert left service (解聘, 退出, 不予续聘) before the work."""


class InvitationAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    EXPIRE = "expire"
    CANCEL = "cancel"
    LEAVE = "leave"
    EXCUSE = "excuse"
    """The bureau answers for an expert on leave (`expertbot draw leave --release`)."""


IS, IA = InvitationStatus, InvitationAction

INVITATION_MOVES: dict[tuple[InvitationStatus, InvitationAction], InvitationStatus] = {
    (IS.INVITED, IA.ACCEPT): IS.ACCEPTED,
    (IS.INVITED, IA.DECLINE): IS.DECLINED,
    (IS.INVITED, IA.EXPIRE): IS.EXPIRED,
    (IS.INVITED, IA.CANCEL): IS.CANCELLED,
    (IS.ACCEPTED, IA.DECLINE): IS.DECLINED,
    (IS.ACCEPTED, IA.CANCEL): IS.CANCELLED,
    (IS.INVITED, IA.LEAVE): IS.LEFT,
    (IS.ACCEPTED, IA.LEAVE): IS.LEFT,
    (IS.INVITED, IA.EXCUSE): IS.DECLINED,
    (IS.ACCEPTED, IA.EXCUSE): IS.DECLINED,
}
"""An expert who accepted may still find they cannot come (the service allows it until the day
before the work), and the unit's cancellation releases them; a declined one stays declined.
An expert who leaves service leaves every invitation still holding their days; one on leave is
answered for by the bureau as they would have answered (婉拒, or 无法参加 after 接受)."""

HOLDS_DAY = frozenset({IS.INVITED, IS.ACCEPTED})
"""Invitations that book the expert's days: nobody else may invite them for those days."""
OPENS_RESERVE = frozenset({IA.DECLINE, IA.EXPIRE, IA.LEAVE, IA.EXCUSE})
"""Moves after which the next in the reserve is invited."""


def next_invitation(state: InvitationStatus, action: InvitationAction) -> InvitationStatus | None:
    return INVITATION_MOVES.get((state, action))


class WorkAnswer(StrEnum):
    """The expert's answer to the unit's record of the work."""

    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


# The request ----------------------------------------------------------------------------


def check_days(days: Sequence[date], today: date) -> tuple[date, ...]:
    """The request's days, sorted and unique; ValueError (its message for the user) when there
    are none, too many, or one is not after today."""
    unique = tuple(sorted(set(days)))
    if not unique:
        raise ValueError(t.BAD_DAYS)
    if len(unique) > MAX_DAYS:
        raise ValueError(t.DAYS_TOO_MANY.format(max_days=MAX_DAYS))
    if unique[0] <= today:
        raise ValueError(t.DAYS_PAST.format(today=today.isoformat()))
    return unique


_ITEMS = re.compile(r"[\s,，、;；]+")
"""What separates the items of a typed list: days, or the names of groups and districts."""


def days_text(days: Sequence[date | str]) -> str:
    """Days with their weekday, as people plan work: 2026-12-07 周一、2026-12-08 周二.
    Days kept in the conversation or a notice's payload are ISO strings."""
    shown = []
    for day in days:
        when = date.fromisoformat(day) if isinstance(day, str) else day
        shown.append(t.DAY_WITH_WEEKDAY.format(day=when, weekday=t.WEEKDAYS[when.weekday()]))
    return "、".join(shown)


def read_days(text: str, today: date) -> list[date] | None:
    """The days in a text that is nothing but days (as `parse_days` reads them: a month and day
    without the year is the next such day, `parse_day_near`), else None."""
    parts = [p for p in _ITEMS.split(text.strip()) if p]
    try:
        return [parse_day_near(p, today) for p in parts] or None
    except ValueError:
        return None


def read_names(text: str, ids_by_name: Mapping[str, int]) -> set[int] | None:
    """The ids of the names in a text that is nothing but such names (groups or districts, as
    their buttons read), else None."""
    typed = [x for x in _ITEMS.split(text.strip()) if x]
    if not typed or any(x not in ids_by_name for x in typed):
        return None
    return {ids_by_name[x] for x in typed}


def parse_days(text: str, today: date) -> tuple[date, ...]:
    """Days typed as 2022-12-10 (or as `parse_day` reads), or as 12月20日 or 12-20 (the next such
    day, today or later), separated by commas or spaces."""
    days = read_days(text, today)
    if days is None:
        raise ValueError(t.BAD_DAYS)
    return check_days(days, today)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_number(text: str) -> int | None:
    """一 … 九十九 as written (二, 两, 十, 十二, 二十), else None."""
    tens, ten, ones = text.partition("十")
    if not ten:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    high = 1 if not tens else _CHINESE_DIGITS.get(tens) if len(tens) == 1 else None
    low = 0 if not ones else _CHINESE_DIGITS.get(ones) if len(ones) == 1 else None
    if high is None or low is None or tens == "两" or ones == "两":
        return None
    return high * 10 + low


def parse_wanted(text: str) -> int:
    """How many experts: 3, ３ (a Chinese keyboard's digits), 三 or 两 (Chinese numerals up to
    二十), each with 人, 位 or 名 after it or not; ValueError otherwise (² and other digit-like
    signs included)."""
    value = text.strip().translate(_FULLWIDTH_DIGITS).rstrip("人位名个 ")
    number = int(value) if value.isascii() and value.isdigit() else _chinese_number(value)
    if number is None or not 1 <= number <= MAX_EXPERTS:
        raise ValueError(t.BAD_WANTED.format(max=MAX_EXPERTS))
    return number


def parse_amount(text: str, low: Decimal, high: Decimal, places: int) -> int:
    """A decimal with at most `places` places in [low, high], in units of 10**-places (hours in
    tenths, yuan in fen); a plain ValueError when it is not one."""
    try:
        value = Decimal(text.strip().rstrip("元小时hH "))
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or not low <= value <= high or value != round(value, places):
        raise ValueError(text)
    return int(value * 10**places)


def reply_deadline_hours(first_day: date, today: date) -> int:
    """The default reply window, shortened when the work starts sooner: the reserve needs time too."""
    days_ahead = (first_day - today).days
    return REPLY_HOURS if days_ahead > 2 else max(2, min(REPLY_HOURS, days_ahead * 6))


def reply_deadline(now: datetime, first_day: date, hours: int) -> datetime:
    """When an invitation sent `now` must be answered: after `hours`, and never later than the
    start of the work's first day (Asia/Shanghai), so that nobody accepts work already begun."""
    start = datetime.combine(first_day, time(0, 0), tzinfo=TIMEZONE)
    return min(now + timedelta(hours=hours), start)


def reserve_size(wanted: int) -> int:
    """How many to keep in line behind the drawn: declines are common, a redraw costs a day."""
    return max(2 * wanted, 5)


# The pool --------------------------------------------------------------------------------


class Candidate(NamedTuple):
    """One expert in a term that covers the request's days, as the pool sees them (a tuple:
    a group's pool is built of a thousand or more of them per draw)."""

    expert_id: int
    group: str
    district_id: int | None
    unit_id: int | None
    unit_name: str
    serving: bool
    """Appointed and not asked to withdraw."""
    on_leave: bool = False
    """On leave on one of the request's days."""
    booked: bool = False
    """Held by another invitation on one of the request's days."""


@dataclass(frozen=True)
class AvoidEntry:
    """One avoided unit or expert, as read from a 回避 line."""

    shown: str
    """How it reads back on the form: 单位：…, a certificate number, or a name with its number."""
    unit: str | None = None
    certificate: str | None = None

    @property
    def key(self) -> str:
        """The same unit or expert typed twice has the same key."""
        return f"c:{self.certificate}" if self.certificate else f"u:{unit_key(self.unit or '')}"


@dataclass(frozen=True)
class AvoidForm:
    """The 回避 a request form holds so far, in the order given: what it shows, and the units
    and certificate numbers it names."""

    shown: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()

    def with_entries(self, entries: Iterable[AvoidEntry]) -> tuple[AvoidForm, list[str], list[str]]:
        """The form with the entries it does not hold yet; and what was added, what repeated."""
        shown, keys = list(self.shown), list(self.keys)
        units, certificates = list(self.units), list(self.certificates)
        added: list[str] = []
        repeated: list[str] = []
        for entry in entries:
            if entry.key in keys:
                repeated.append(entry.shown)
                continue
            keys.append(entry.key)
            shown.append(entry.shown)
            added.append(entry.shown)
            if entry.certificate:
                certificates.append(entry.certificate)
            elif entry.unit:
                units.append(entry.unit)
        form = AvoidForm(tuple(shown), tuple(keys), tuple(units), tuple(certificates))
        return form, added, repeated


@dataclass(frozen=True, kw_only=True)
class Avoid:
    """回避: the requesting unit always, and whatever units and persons the request names."""

    unit_ids: frozenset[int] = frozenset()
    unit_names: frozenset[str] = frozenset()
    """Normalised with `unit_key`."""
    expert_ids: frozenset[int] = frozenset()


@functools.lru_cache(maxsize=4096)
def unit_key(name: str) -> str:
    """A unit's name as compared for 回避: no spaces, brackets unified."""
    return "".join(name.split()).replace("（", "(").replace("）", ")")


def why_not(c: Candidate, groups: frozenset[str], avoid: Avoid) -> str | None:
    """Why this expert is not in the pool (a short code), or None if they are."""
    if c.group not in groups:
        return "group"
    if not c.serving:
        return "standing"
    if c.on_leave:
        return "leave"
    if c.expert_id in avoid.expert_ids:
        return "avoid_person"
    if (c.unit_id is not None and c.unit_id in avoid.unit_ids) or unit_key(c.unit_name) in avoid.unit_names:
        return "avoid_unit"
    if c.booked:
        return "booked"
    return None


def eligible(candidates: Iterable[Candidate], groups: frozenset[str], avoid: Avoid) -> list[Candidate]:
    return [c for c in candidates if why_not(c, groups, avoid) is None]


# The draw --------------------------------------------------------------------------------


def new_key() -> bytes:
    return secrets.token_bytes(32)


def commitment(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()


def seed_of(key: bytes, request_id: int, round_no: int) -> bytes:
    return hmac.digest(key, f"draw:{request_id}:{round_no}".encode(), "sha256")


@dataclass(frozen=True)
class PoolEntry:
    expert_id: int
    preferred: bool


def pool_text(pool: Iterable[PoolEntry]) -> str:
    """The pool as written in the record: sorted ids, `*` after a preferred one, comma-separated."""
    return ",".join(
        f"{e.expert_id}{'*' if e.preferred else ''}" for e in sorted(pool, key=lambda e: e.expert_id)
    )


def parse_pool(text: str) -> list[PoolEntry]:
    return [PoolEntry(int(part.rstrip("*")), part.endswith("*")) for part in text.split(",") if part]


def pool_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def ranked(seed: bytes, pool: Iterable[PoolEntry], count: int) -> list[int]:
    """The first `count` of the pool in draw order: preferred districts first, then by score."""
    return [
        e.expert_id
        for e in heapq.nsmallest(
            count,
            pool,
            key=lambda e: (not e.preferred, hmac.digest(seed, str(e.expert_id).encode(), "sha256")),
        )
    ]


@dataclass(frozen=True, kw_only=True)
class Draw:
    """One round's result: who is invited now, who waits in line, and what proves it."""

    round_no: int
    seed: bytes
    pool: str
    pool_hash: str
    drawn: tuple[int, ...]
    reserve: tuple[int, ...]


def draw(
    key: bytes, request_id: int, round_no: int, pool: Sequence[PoolEntry], wanted: int
) -> Draw:
    seed = seed_of(key, request_id, round_no)
    text = pool_text(pool)
    order = ranked(seed, pool, wanted + reserve_size(wanted))
    return Draw(
        round_no=round_no,
        seed=seed,
        pool=text,
        pool_hash=pool_hash(text),
        drawn=tuple(order[:wanted]),
        reserve=tuple(order[wanted:]),
    )


@dataclass(frozen=True, kw_only=True)
class Record:
    """What the audit trail holds of one round, as written at the time."""

    request_id: int
    round_no: int
    commitment: str
    key_hex: str
    pool: str
    pool_hash: str
    wanted: int
    drawn: tuple[int, ...]
    reserve: tuple[int, ...]


def followed_order(order: Sequence[int], invited: Iterable[tuple[int, int]]) -> bool:
    """Whether a round's invitations (position, expert) went down its order without a gap:
    position p is the p-th in the order, and positions run 1, 2, 3 …"""
    seen = sorted(invited)
    return all(
        position == n and position <= len(order) and order[position - 1] == expert
        for n, (position, expert) in enumerate(seen, start=1)
    )


def verify(record: Record) -> list[str]:
    """What does not hold in a recorded round (empty when the draw is proven)."""
    problems: list[str] = []
    try:
        key = bytes.fromhex(record.key_hex)
    except ValueError:
        return ["key"]
    if commitment(key) != record.commitment:
        problems.append("commitment")
    if pool_hash(record.pool) != record.pool_hash:
        problems.append("pool_hash")
    pool = parse_pool(record.pool)
    if pool_text(pool) != record.pool:
        problems.append("pool_form")
    again = draw(key, record.request_id, record.round_no, pool, record.wanted)
    if again.drawn != record.drawn:
        problems.append("drawn")
    if again.reserve != record.reserve:
        problems.append("reserve")
    return problems

