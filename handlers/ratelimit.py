"""Per-user flood limit: a token bucket per Telegram user, checked before anything else runs.

The excess is dropped before the conversation state or the database is
touched, so one user's flood costs others nothing. The first dropped update
in a window gets one short notice; the rest get silence.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update

from bot.clock import Clock
from bot.texts import privacy as t


@dataclass
class _Bucket:
    tokens: float
    at: float
    """Clock reading (seconds) of the last refill."""
    noticed_at: float | None = None


class PerUserRateLimit(BaseMiddleware):
    """At most `rate` updates per `per` seconds per user, with bursts up to `rate`."""

    def __init__(self, rate: int, per: float, clock: Clock, max_users: int = 100_000) -> None:
        self.rate = rate
        self.per = per
        self.clock = clock
        self.max_users = max_users
        self._buckets: dict[int, _Bucket] = {}

    def allow(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, notify): notify is True for the first refusal in a window."""
        now = self.clock.now().timestamp()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self.max_users:
                self._forget_idle(now)
            bucket = self._buckets[user_id] = _Bucket(tokens=float(self.rate), at=now)
        bucket.tokens = min(float(self.rate), bucket.tokens + (now - bucket.at) * self.rate / self.per)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True, False
        if bucket.noticed_at is None or now - bucket.noticed_at >= self.per:
            bucket.noticed_at = now
            return False, True
        return False, False

    def _forget_idle(self, now: float) -> None:
        """Drops buckets that have refilled completely: they hold no information."""
        for user_id in [u for u, b in self._buckets.items() if now - b.at >= self.per]:
            del self._buckets[user_id]

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        allowed, notify = self.allow(user.id)
        if allowed:
            return await handler(event, data)
        if notify:
            inner = event.event if isinstance(event, Update) else event
            if isinstance(inner, CallbackQuery | Message):
                await inner.answer(t.RATE_LIMITED)
        return None
