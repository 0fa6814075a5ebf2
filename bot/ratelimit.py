"""Spacing of outgoing messages: a global rate and a minimum interval per chat.

Telegram allows about 30 messages a second per bot and about one a second
per chat, and answers 429 with `retry_after` beyond that. The limiter hands
out send times on a grid of 1/rate seconds: a chat that must wait takes the
first free slot after its own next allowed time, so one waiting chat never
holds up the others and no slot is wasted. Reserving is synchronous, hence
safe for any number of tasks on one event loop; the clock and the sleep are
injected so tests run in virtual time.
"""

from __future__ import annotations

import asyncio
import collections
import math
import time
from collections.abc import Awaitable, Callable

TELEGRAM_RATE = 28.0
"""Messages a second overall: a little under Telegram's ~30 so jitter never tips it over."""
TELEGRAM_CHAT_INTERVAL = 1.05
"""Seconds between two messages to one chat (Telegram: about one a second)."""


class RateLimiter:
    def __init__(
        self,
        rate: float = TELEGRAM_RATE,
        chat_interval: float = TELEGRAM_CHAT_INTERVAL,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or chat_interval < 0:
            raise ValueError("rate must be positive and chat_interval not negative")
        self.rate = rate
        self.chat_interval = chat_interval
        self.monotonic = monotonic
        self.sleep = sleep
        self._next_free: dict[int, int] = {}
        """Taken slot index -> a later index that may be free (union-find with path halving)."""
        self._chat_next: dict[int, float] = {}
        self._floor = 0
        self._window_size = max(1, math.floor(rate))
        self._sent: collections.deque[float] = collections.deque()
        """When the latest messages actually left: a stalled loop must not release a burst."""

    def reserve(self, chat_id: int) -> float:
        """Takes the earliest slot allowed for `chat_id` and returns its time (monotonic seconds)."""
        now = self.monotonic()
        earliest = max(now, self._chat_next.get(chat_id, now))
        slot = self._free(math.ceil(earliest * self.rate - 1e-9))
        self._next_free[slot] = slot + 1
        at = slot / self.rate
        self._chat_next[chat_id] = at + self.chat_interval
        self._prune(now)
        return at

    async def wait(self, chat_id: int) -> float:
        """Sleeps until this chat may be sent a message; returns the slot time.

        Slots are on a grid, but a task that wakes late (a busy event loop)
        would send together with the next ones; so the sends of the last
        second are counted too, and a full window waits for its oldest.
        """
        at = self.reserve(chat_id)
        delay = at - self.monotonic()
        if delay > 0:
            await self.sleep(delay)
        while True:
            now = self.monotonic()
            while self._sent and self._sent[0] <= now - 1.0:
                self._sent.popleft()
            if len(self._sent) < self._window_size:
                self._sent.append(now)
                return at
            await self.sleep(self._sent[0] + 1.0 - now)

    def back_off(self, chat_id: int, seconds: float) -> None:
        """After a 429: this chat waits `seconds` before its next message."""
        until = self.monotonic() + max(0.0, seconds)
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), until)

    def _free(self, index: int) -> int:
        index = max(index, self._floor)
        nxt = self._next_free
        while index in nxt:
            later = nxt[index]
            if later in nxt:
                nxt[index] = nxt[later]
            index = later
        return index

    def _prune(self, now: float) -> None:
        """Forgets slots and chats in the past, now and then, so memory stays flat."""
        if len(self._next_free) < 4096 and len(self._chat_next) < 4096:
            return
        floor = math.floor(now * self.rate)
        self._floor = max(self._floor, floor)
        self._next_free = {k: v for k, v in self._next_free.items() if k >= floor}
        self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
