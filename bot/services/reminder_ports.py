"""What the reminder and campaign use cases need from storage and from Telegram.

Kept beside `ports.py` rather than in it so that the outbox can grow without
touching the applicant's and reviewers' port.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.reminders import (
    DeadlineKind,
    DistrictReviewer,
    Notice,
    Recorded,
    Schedule,
    Status,
    Todo,
)
from bot.services.ports import UnitRow


@dataclass(frozen=True, kw_only=True)
class CampaignPlan:
    """A campaign with its reminder schedule and when each deadline took effect."""

    campaign: Campaign
    schedule: Schedule
    unit_since: datetime
    district_since: datetime
    custom: bool = False
    """False when the schedule is the default (no row stored)."""


@dataclass(frozen=True, kw_only=True)
class GrantRow:
    role: str
    """"bureau", "district" or "unit"."""
    district_id: int | None = None
    unit_id: int | None = None
    label: str = ""
    """District or unit name."""


@dataclass(frozen=True, kw_only=True)
class BatchFacts:
    """What decides which districts still have a batch to report in a campaign."""

    reviewers: Sequence[DistrictReviewer] = ()
    """Reachable district reviewers of districts with district-approved applications."""
    approved: dict[int, int] | None = None
    """District id → district-approved applications."""
    reported: frozenset[int] = frozenset()
    """Districts with a batch report that has not been replaced."""


class ReminderStore(Protocol):
    async def commit(self) -> None: ...

    async def current_campaign(self) -> Campaign | None: ...
    async def campaign(self, campaign_id: int) -> Campaign | None: ...
    async def campaigns(self) -> Sequence[Campaign]: ...
    async def plan(self, campaign_id: int) -> CampaignPlan | None: ...
    async def save_schedule(self, campaign_id: int, schedule: Schedule) -> None: ...
    async def set_deadline(
        self, campaign_id: int, kind: DeadlineKind, at: datetime, now: datetime
    ) -> None: ...
    async def set_open(self, campaign_id: int, is_open: bool) -> None: ...
    async def rename_campaign(self, campaign_id: int, name: str) -> None: ...

    async def application(self, app_id: int) -> ApplicationSnapshot | None: ...
    async def unit(self, unit_id: int) -> UnitRow | None: ...
    async def open_forms(self, campaign_id: int) -> Sequence[ApplicationSnapshot]:
        """Drafts and returned applications of people the bot can reach."""
        ...

    async def unit_pending(self, campaign_id: int) -> Sequence[Todo]: ...
    async def district_pending(self, campaign_id: int) -> Sequence[Todo]: ...
    async def batch_facts(self, campaign_id: int) -> BatchFacts: ...
    async def grants_of(self, person_id: int) -> Sequence[GrantRow]: ...
    async def unit_reviewers(self, unit_id: int) -> Sequence[int]: ...
    async def district_reviewers(self, district_id: int) -> Sequence[int]: ...
    async def bureau_admins(self) -> Sequence[int]: ...
    async def person_name(self, person_id: int) -> str: ...

    async def recorded(self, campaign_id: int) -> dict[str, Recorded]: ...
    async def waiting_notices(self, now: datetime, lease: timedelta) -> Sequence[Notice]:
        """Pending notices other than reminders that no live pass holds."""
        ...

    async def add_notices(self, notices: Sequence[Notice], now: datetime) -> int:
        """Records unclaimed notices; keys already recorded are left alone. Returns how many new."""
        ...

    async def claim(
        self, notices: Sequence[Notice], now: datetime, lease: timedelta
    ) -> list[Notice]:
        """Records (or takes over a stale pending record of) each notice; returns those won."""
        ...

    async def mark(self, key: str, status: Status, now: datetime, error: str | None = None) -> None: ...
    async def mark_sent(self, keys: Sequence[str], now: datetime) -> None: ...
    async def mark_unreachable(self, person_id: int) -> bool:
        """True when this call made the person unreachable (so the level above is told once)."""
        ...

    async def set_reachable(self, person_id: int, reachable: bool) -> bool: ...
    async def is_unreachable(self, person_id: int) -> bool: ...
    async def add_nudge(
        self, app_id: int, actor_id: int, now: datetime, window: timedelta
    ) -> datetime | None:
        """Logs a nudge unless one is younger than `window`; returns that earlier one's time."""
        ...


class ReminderStoreFactory(Protocol):
    def __call__(self) -> AbstractAsyncContextManager[ReminderStore]: ...


class Outcome(StrEnum):
    SENT = "sent"
    UNREACHABLE = "unreachable"
    """The person blocked the bot or deleted the account (403)."""
    RETRY = "retry"
    """Not sent for now (network, repeated 429): stays pending for a later pass."""
    FAILED = "failed"
    """Telegram refused it for good (400): not retried."""


class NoticeSender(Protocol):
    """Sends one notice within Telegram's limits; 429s are waited out inside."""

    async def send(self, notice: Notice) -> Outcome: ...
