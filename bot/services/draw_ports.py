"""Rows the draws repository hands to the services: plain data, no storage types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class UsingUnitRow:
    id: int
    code: str
    name: str
    kind: str
    district_id: int | None
    unit_id: int | None


@dataclass(frozen=True, kw_only=True)
class NewRequest:
    using_unit_id: int
    requested_by: int
    groups: tuple[str, ...]
    days: tuple[date, ...]
    place: str
    project: str
    work_kind: str
    wanted: int
    preferred_districts: tuple[int, ...] = ()
    avoid_units: tuple[str, ...] = ()
    avoid_experts: tuple[int, ...] = ()
    reply_hours: int


@dataclass(frozen=True, kw_only=True)
class RequestRow(NewRequest):
    id: int
    unit_name: str
    status: str
    key_hex: str
    commitment: str
    version: int
    filed_at: datetime
    cancel_reason: str | None = None


@dataclass(frozen=True)
class RoundRow:
    id: int
    request_id: int
    round_no: int
    wanted: int
    pool: str
    pool_hash: str
    drawn: tuple[int, ...]
    reserve: tuple[int, ...]
    drawn_at: datetime


@dataclass(frozen=True)
class InvitationRow:
    id: int
    request_id: int
    round_id: int
    expert_id: int
    person_id: int
    name: str
    unit: str
    position: int
    status: str
    invited_at: datetime
    reply_by: datetime | None
    reason: str | None
    version: int


@dataclass(frozen=True)
class WorkRow:
    invitation_id: int
    hours_tenths: int
    rating: int
    comment: str | None
    fee_fen: int
    answer: str | None
    answer_note: str | None


@dataclass(frozen=True)
class WorkSummary:
    """An expert's recorded work in a year, for the yearly evaluation."""

    count: int
    hours_tenths: int
    rating_avg: float | None
    fee_fen: int
    disputed: int


@dataclass(frozen=True)
class RequestListRow:
    id: int
    project: str
    days: tuple[date, ...]
    wanted: int
    status: str
    accepted: int
    open: int
    filed_at: datetime
    unit: str = ""
    """The using unit that filed it."""
