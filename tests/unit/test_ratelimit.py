"""The limiter spaces messages in virtual time: 30 a second overall, one a second per chat."""

from __future__ import annotations

import asyncio

from bot.ratelimit import RateLimiter


class VirtualTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def limiter(vt: VirtualTime, rate: float = 30, interval: float = 1.0) -> RateLimiter:
    return RateLimiter(rate, interval, monotonic=vt.monotonic, sleep=vt.sleep)


def test_distinct_chats_get_consecutive_slots_at_the_global_rate() -> None:
    vt = VirtualTime()
    rl = limiter(vt)
    times = [rl.reserve(chat) for chat in range(90)]
    gaps = {round(b - a, 6) for a, b in zip(times, times[1:], strict=False)}
    assert gaps == {round(1 / 30, 6)}
    assert times[-1] - times[0] < 3.0


def test_one_chat_waits_its_interval_without_holding_up_the_others() -> None:
    vt = VirtualTime()
    rl = limiter(vt)
    first = rl.reserve(1)
    second = rl.reserve(1)
    others = [rl.reserve(c) for c in range(2, 12)]
    assert second - first >= 1.0
    assert max(others) < first + 1.0
    # slots freed by chat 1's wait are used by the others
    assert sorted([first, *others]) == [first + k / 30 for k in range(11)]


def test_a_429_pushes_only_that_chat_back() -> None:
    vt = VirtualTime()
    rl = limiter(vt)
    rl.reserve(1)
    rl.back_off(1, 7)
    assert rl.reserve(1) >= vt.now + 7
    assert rl.reserve(2) < vt.now + 1


def test_wait_sleeps_until_the_slot_through_the_injected_sleep() -> None:
    vt = VirtualTime()
    rl = limiter(vt)

    async def run() -> None:
        for chat in range(4):
            await rl.wait(chat)

    asyncio.run(run())
    assert len(vt.slept) == 3
    assert all(abs(s - k / 30) < 1e-6 for k, s in enumerate(vt.slept, start=1))


def test_no_burst_after_idle_time_and_memory_stays_flat() -> None:
    vt = VirtualTime()
    rl = limiter(vt)
    for chat in range(10_000):
        rl.reserve(chat)
        vt.now += 1 / 30
    assert len(rl._next_free) < 5000
    vt.now += 60
    a, b = rl.reserve(1), rl.reserve(2)
    assert b - a >= 1 / 30 - 1e-9
