"""One instance at a time holds a named lease; the others take over when it lapses or is released."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from storage.lease import LeaderLease, lead_while
from storage.updates import claim_update, forget_updates_before


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_only_one_holder_until_the_lease_expires(sessionmaker) -> None:
    clock = Clock()
    a = LeaderLease(sessionmaker, "reminders", ttl=timedelta(minutes=3), holder="a", now=clock)
    b = LeaderLease(sessionmaker, "reminders", ttl=timedelta(minutes=3), holder="b", now=clock)
    assert await a.acquire()
    assert not await b.acquire()
    clock.now += timedelta(minutes=2)
    assert await a.acquire(), "the holder renews"
    clock.now += timedelta(minutes=2)
    assert not await b.acquire(), "renewed a minute ago: still a's"
    clock.now += timedelta(minutes=2)
    assert await b.acquire(), "a stopped renewing (killed): b takes over"
    assert not await a.acquire()
    assert (a.held, b.held) == (False, True)


async def test_a_released_lease_is_free_at_once_and_names_are_separate(sessionmaker) -> None:
    clock = Clock()
    a = LeaderLease(sessionmaker, "reminders", holder="a", now=clock)
    b = LeaderLease(sessionmaker, "reminders", holder="b", now=clock)
    other = LeaderLease(sessionmaker, "exports", holder="b", now=clock)
    async with a:
        assert await a.acquire()
        assert await other.acquire()
        assert not await b.acquire()
    assert await b.acquire()


async def test_concurrent_contenders_elect_exactly_one(sessionmaker) -> None:
    leases = [LeaderLease(sessionmaker, "reminders", holder=f"p{i}") for i in range(8)]
    won = await asyncio.gather(*(lease.acquire() for lease in leases))
    assert sum(won) == 1


async def test_work_runs_in_one_process_and_moves_when_the_leader_stops(sessionmaker) -> None:
    running: list[str] = []
    log: list[str] = []

    def worker(name: str):
        async def work(until: asyncio.Event) -> None:
            running.append(name)
            log.append(name)
            assert len(running) == 1, "two leaders at once"
            await until.wait()
            running.remove(name)

        return work

    ttl = timedelta(seconds=0.6)
    stops = {name: asyncio.Event() for name in "ab"}
    tasks = {
        name: asyncio.create_task(
            lead_while(
                LeaderLease(sessionmaker, "reminders", ttl=ttl, holder=name),
                worker(name),
                stops[name],
                retry_every=0.05,
            )
        )
        for name in "ab"
    }
    await asyncio.sleep(0.4)
    assert len(log) == 1
    first = log[0]
    second = "b" if first == "a" else "a"
    stops[first].set()
    await asyncio.wait_for(tasks[first], timeout=2)
    await asyncio.sleep(0.4)
    assert log == [first, second], "the other process took over after the release"
    stops[second].set()
    await asyncio.wait_for(tasks[second], timeout=2)
    assert running == []


async def test_an_update_id_is_claimed_once(sessionmaker) -> None:
    now = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    assert await claim_update(sessionmaker, 10, now)
    assert not await claim_update(sessionmaker, 10, now)
    assert await claim_update(sessionmaker, 11, now + timedelta(days=8))
    assert await forget_updates_before(sessionmaker, now + timedelta(days=1)) == 1
    assert await claim_update(sessionmaker, 10, now + timedelta(days=8)), "forgotten after a week"
