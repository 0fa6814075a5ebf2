"""Rows the registry repository hands to the services: plain data, no storage types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class BatchRow:
    id: int
    campaign_id: int
    meeting_on: date
    reference: str
    corrects_id: int | None
    corrected_by_id: int | None
    """The batch that replaced this one; None while this one counts."""
    app_ids: tuple[int, ...]
    recorded_at: datetime


@dataclass(frozen=True)
class PublicityRow:
    id: int
    batch_id: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ObjectionRow:
    id: int
    publicity_id: int
    app_id: int
    received_on: date
    summary: str
    outcome: str
    """`open`, `upheld`, `overruled` or `moot` (closed: the person left the batch otherwise)."""
    reason: str | None


@dataclass(frozen=True)
class ExpertRow:
    id: int
    person_id: int
    app_id: int
    group: str
    standing: str
    version: int
    withdrawal_reason: str | None = None
    """申请退出 waiting for the bureau."""
    not_renewed_on: date | None = None
    """不予续聘 decided on that day: in service to the term's last day, `ended` after it."""


@dataclass(frozen=True)
class TermRow:
    id: int
    certificate_no: str
    starts_on: date
    ends_on: date
    ended_on: date | None
    batch_id: int | None


@dataclass(frozen=True)
class ExpertListRow:
    """One expert as the registry lists them: a term and the application behind them. Storage
    gives the latest term, which after an early 续聘 is still to come; the listings shown to
    people put the term in force in its place (`bot.services.registry.in_force_rows`)."""

    expert_id: int
    person_id: int
    app_id: int
    name: str
    gender: str
    unit: str
    position: str
    title: str
    district: str
    group: str
    standing: str
    certificate_no: str
    starts_on: date
    ends_on: date
    ended_on: date | None
    mobile: str
    not_renewed_on: date | None = None
    """不予续聘 decided on that day: in service to the latest term's last day, `ended` after it."""
    renewed_to: date | None = None
    """续聘 decided before the term shown ends: the last day of the term that follows it. Set
    where a listing shows the term in force (`bot.services.registry.in_force_rows`)."""

    @property
    def last_day(self) -> date:
        """The term's last day as served: cut short by 解聘 or 退出, never past its end (one
        who leaves after the term ran out, waiting for renewal, left on a later day)."""
        return min(self.ended_on, self.ends_on) if self.ended_on else self.ends_on


@dataclass(frozen=True)
class ExpertFilter:
    group: str | None = None
    district_id: int | None = None
    standing: str | None = None
    search: str | None = None
    """A name (part of it) or a certificate number."""
    person_id: int | None = None
    ends_from: date | None = None
    ends_to: date | None = None
    """The latest term's last day, each bound inclusive; with either, experts in a term only."""
    undecided: bool = False
    """Only experts whose renewal is still to decide: not those whose 不予续聘 is decided."""


@dataclass(frozen=True)
class EvaluationRow:
    kind: str
    year: int
    rating: str
    health: str | None
    notes: str | None
    term_id: int


@dataclass(frozen=True)
class ExpertEventRow:
    action: str
    from_standing: str | None
    to_standing: str
    reason: str | None
    actor_name: str
    at: datetime


@dataclass(frozen=True)
class ContactChangeRow:
    field: str
    old: str | None
    new: str | None
    at: datetime
