"""The one source of "now", injectable so tests control time without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def local(moment: datetime) -> datetime:
    return moment.astimezone(TZ)


def format_local(moment: datetime) -> str:
    """Formats a moment as Chongqing people read it: 2022-09-30 18:00."""
    return local(moment).strftime("%Y-%m-%d %H:%M")
