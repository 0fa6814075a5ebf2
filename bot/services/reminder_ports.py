"""What the reminder and campaign use cases read from storage and need from Telegram.

The repositories themselves are in `repositories.py`; these are the plain
rows they return for reminders, and the sending port.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.domain.application import Campaign
from bot.domain.reminders import DistrictReviewer, Notice, Schedule


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
