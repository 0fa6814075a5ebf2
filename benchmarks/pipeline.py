"""Update pipeline: simulated applicants fill Annex 1 through the real Dispatcher.

The bot runs as in production (every answer committed before the reply) on a
fresh database, with a bot session that records requests instead of calling
Telegram and answers every call after `--api-latency-ms` (as Telegram does
from far away: 50-300 ms). Applicants make people's mistakes (`--mistakes`,
the share of answers first given wrong, 0.1: a bad ID check digit, a letter in
a typed phone number, the portrait sent as a HEIC or PDF file, a typed word
where a button is expected; see benchmarks/walk.py). Every wrong answer must
be refused and the same field asked again, and every applicant must reach
申报已提交, or the run stops with an AssertionError. `--seed` fixes who errs
where, and the open loop's arrival times.

Closed loop (capacity; the default):

    python -m benchmarks.pipeline --users 1000                       # 0 ms, 100 at once
    python -m benchmarks.pipeline --users 1500 --api-latency-ms 100  # 300 at once

    `--concurrency` applicants at a time (default 100; 300 with a latency),
    each sending its next update as soon as the previous one was handled. A
    bare aiogram echo bot on the same kind of session gets as many updates;
    the two take `--rounds` turns, so the machine's drift lands on both sides.
      updates    updates fed (applicants: about 37 each with mistakes, 34 without)
      updates/s  updates handled per second of that case's own running time
      p50/p95/p99  time inside `Dispatcher.feed_update` per update
      × echo     applicants' updates/s over echo's in the same run: the figure
                 to compare between machines and commits
    Keep users/rounds ≥ the concurrency (the run says so otherwise). With a
    latency, echo cannot exceed concurrency/latency; a note says when it is
    near that bound, which would inflate × echo. When a store was held across
    Bot API calls (before this round's units of work) the 100 ms run crawled:
    38 updates/s on SQLite, so `--users 300 --rounds 1` is a quick first look.
    An update the bot answers with its internal-error message is sent again
    (after 1 s) and reported in a note; it is timed but not in updates/s.

Open loop (what a person feels):

    python -m benchmarks.pipeline --open-loop --rate 200 --duration 60 --users 1000
    python -m benchmarks.pipeline --open-loop --rate 200 --duration 60 --users 1000 --api-latency-ms 100

    `--users` applicants are first walked, untimed and at 0 ms latency, each
    to a uniformly random point of its conversation, so the mix is that of
    people spread over the form; one who submits is replaced by a new
    applicant at /start. Then updates arrive as one Poisson process of
    `--rate` per second in all (exponential gaps) for `--duration` seconds.
    Each arrival goes to an applicant chosen at random among those whose
    previous update has been fully handled, so nobody has two updates in
    flight; when none is free the arrival waits for the next one, and that
    wait counts.
      p50/p95/p99/max  from the arrival's scheduled time to `feed_update`'s
                 return (after the update's last Bot API call): queueing
                 behind other updates included, and up to about 1 ms of the
                 event loop's timer; the line below splits off the wait
      offered/s  arrivals / seconds of arrivals
      achieved/s updates handled / seconds from the first arrival to the last completion
      backlog max  the most updates arrived and not yet handled at once
      kept up    "no" when the last arrival was handled over 1 s after it came
                 or the achieved rate fell below 95 % of the offered. When the
                 backlog reaches `--max-backlog` (2000) the arrivals stop; the
                 updates left waiting are counted, not timed.

`--database-url postgresql+asyncpg://user@host/db` runs on that PostgreSQL
server: a database of its own is created for the run and dropped afterwards
(the role needs CREATEDB). The default is a temporary SQLite file.

Wiring: `start_bot` is the only code that knows the bot's storage and
Dispatcher APIs.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message

from benchmarks.walk import Action, UpdateFailed, mistakes_in, next_update, perform, plan
from bot.loop import run
from bot.offline import OfflineSession, OfflineUser, OfflineWorld

# setup: the only code that knows the bot's wiring and storage APIs ---------------------

Closer = Callable[[], Awaitable[None]]


async def start_bot(database_url: str, session: OfflineSession) -> tuple[OfflineWorld, Closer]:
    """The production Dispatcher on a migrated, seeded database; returns it and its closer."""
    from bot.clock import TZ, FixedClock
    from bot.config import Settings
    from bot.demo import seed_demo, seed_demo_reviewers
    from bot.logs import configure_logging
    from bot.main import create_bot, create_dispatcher, freeze_startup_objects
    from storage import crypto
    from storage.db import create_database
    from storage.migrate import upgrade
    from storage.uow import unit_of_work_factory

    crypto.configure(crypto.keyring_from(data_key=crypto.generate_key()))
    engine = create_database(database_url)
    await upgrade(engine)
    clock = FixedClock(datetime(2022, 9, 20, 10, 0, tzinfo=TZ))
    async with unit_of_work_factory(engine)() as uow:
        await seed_demo(uow, clock.now() - timedelta(days=1))
        # Reviewers as in production: each submission notifies 重庆大学's unit reviewer.
        await seed_demo_reviewers(uow, clock.now() - timedelta(days=1))
        await uow.commit()
    settings = Settings(bot_token="42:BENCH", rate_limit=0)  # simulated users type faster than people
    dp = create_dispatcher(settings=settings, database=engine, clock=clock)
    # As production: a line per update and per Bot API call, JSON at INFO (into /dev/null).
    configure_logging("json", "INFO", stream=_devnull())
    world = OfflineWorld(dp, create_bot(settings, session), now=clock.now)
    freeze_startup_objects()  # as `expertbot run` does once started

    async def close() -> None:
        await world.close()
        await engine.dispose()

    return world, close


def _devnull() -> TextIO:
    """Where the bot's log lines go: formatted and written as in production, read by nobody."""
    return open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (open as long as the process)


@contextlib.asynccontextmanager
async def fresh_database(url: str | None) -> AsyncIterator[str]:
    """A temporary SQLite file, the given SQLite URL, or a new database on a PostgreSQL server.

    Applicants' ID numbers repeat from run to run and the demo data is seeded
    each time, so a PostgreSQL run needs a database of its own.
    """
    if url is None:
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    if not url.startswith("postgresql"):
        yield url
        return
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    name = f"expertbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


# the two bots, fed in a closed loop ---------------------------------------------------


HISTORY = 50
"""Messages kept per chat by the recording session: what the simulated people look at, no more."""


class Timed:
    """Wraps a world's feed to record each update's time inside `feed_update`."""

    def __init__(self, world: OfflineWorld) -> None:
        self.latencies: list[float] = []
        feed = world.feed

        async def timed(user: OfflineUser, **payload: object) -> object:
            start = time.perf_counter()
            result = await feed(user, **payload)
            self.latencies.append(time.perf_counter() - start)
            return result

        world.feed = timed  # type: ignore[method-assign]


RETRY_PAUSE = 1.0
"""Seconds a closed-loop applicant waits before sending again what the bot failed on."""

WARM_UP = -1
"""Applicant number of the untimed warm-up walk (its ID number is distinct from 0..324,000)."""


@dataclass
class Applicants:
    """Simulated applicants, each from /start to the signature, on one bot and database."""

    world: OfflineWorld
    concurrency: int
    seed: int
    mistake_rate: float
    answers: int = 0
    mistakes: int = 0
    failed: int = 0
    """Updates the bot answered with its internal-error message (then sent again)."""
    resumed: int = 0
    """/start sent after a failure took the button away."""

    def __post_init__(self) -> None:
        self.timed = Timed(self.world)

    def plan(self, i: int) -> list[Action]:
        return plan(i, self.seed, self.mistake_rate)

    async def warm_up(self) -> None:
        """Opens connections and compiles statements outside the measurement."""
        await self.walk(WARM_UP, self.plan(WARM_UP))
        self.timed.latencies.clear()

    async def run(self, ids: range) -> None:
        gate = asyncio.Semaphore(self.concurrency)

        async def applicant(i: int) -> None:
            actions = self.plan(i)
            async with gate:
                await self.walk(i, actions)
            self.answers += len(actions) - mistakes_in(actions)
            self.mistakes += mistakes_in(actions)

        await asyncio.gather(*(applicant(i) for i in ids))

    async def walk(self, i: int, actions: list[Action]) -> None:
        user = self.world.user(100_000 + i, f"用户{i}")
        for action in actions:
            failures, resumed = 0, False
            while True:
                sent = next_update(user, action, failures, resumed)
                try:
                    await perform(user, sent)
                except UpdateFailed:
                    failures += 1
                    self.failed += 1
                    await asyncio.sleep(RETRY_PAUSE)
                    continue
                if sent is action:
                    break
                self.resumed, resumed = self.resumed + 1, True


class Echo:
    """A bare aiogram bot answering every message with its text, fed like the applicants."""

    per_user = 30

    def __init__(self, concurrency: int, latency: float) -> None:
        router = Router()

        async def echo(message: Message) -> None:
            await message.answer(message.text or "")

        router.message.register(echo)
        dp = Dispatcher()
        dp.include_router(router)
        self.world = OfflineWorld(dp, Bot(token="42:ECHO", session=OfflineSession(latency, history=HISTORY)))
        self.concurrency = concurrency
        self.timed = Timed(self.world)

    async def warm_up(self) -> None:
        await self.run(range(-1, 0))
        self.timed.latencies.clear()

    async def run(self, ids: range) -> None:
        gate = asyncio.Semaphore(self.concurrency)

        async def user_loop(i: int) -> None:
            async with gate:
                user = self.world.user(200_000 + i, "echo")
                for n in range(self.per_user):
                    await user.send(f"消息 {n}")

        await asyncio.gather(*(user_loop(i) for i in ids))


async def timed_run(case: Applicants | Echo, ids: range) -> float:
    start = time.perf_counter()
    await case.run(ids)
    return time.perf_counter() - start


def share(total: int, rounds: int, r: int) -> range:
    """The ids of round `r` when `total` are split into `rounds` nearly equal turns."""
    return range(total * r // rounds, total * (r + 1) // rounds)


class FirstErrorOnly(logging.Filter):
    """Counts the bot's unhandled-error log records and lets only the first through."""

    LOGGER = "handlers.errors"

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        self.count += 1
        return self.count == 1

    @classmethod
    def install(cls) -> FirstErrorOnly:
        errors = cls()
        logger = logging.getLogger(cls.LOGGER)
        logger.addFilter(errors)
        logger.addHandler(logging.StreamHandler(sys.stderr))  # the bot's other lines: /dev/null
        return errors


async def closed_loop(args: argparse.Namespace, database_url: str) -> None:
    latency = args.api_latency_ms / 1000
    world, close = await start_bot(database_url, OfflineSession(latency, history=HISTORY))
    applicants = Applicants(world, args.concurrency, args.seed, args.mistakes)
    echo = Echo(args.concurrency, latency)
    errors = FirstErrorOnly.install()
    # Echo gets as many updates as the applicants will send, mistakes included.
    updates = sum(len(applicants.plan(i)) for i in range(args.users))
    echo_users = round(updates / Echo.per_user)
    app_time = echo_time = 0.0
    try:
        await applicants.warm_up()
        await echo.warm_up()
        for r in range(args.rounds):
            echo_ids, app_ids = share(echo_users, args.rounds, r), share(args.users, args.rounds, r)
            echo_round = await timed_run(echo, echo_ids)
            done = len(applicants.timed.latencies)
            app_round = await timed_run(applicants, app_ids)
            echo_time, app_time = echo_time + echo_round, app_time + app_round
            progress(
                f"round {r + 1}/{args.rounds}: echo {len(echo_ids) * Echo.per_user / echo_round:,.0f}/s,"
                f" applicants {(len(applicants.timed.latencies) - done) / app_round:,.0f}/s"
            )
    finally:
        await close()
    echo_lat, app_lat = echo.timed.latencies, applicants.timed.latencies
    extra = applicants.failed + applicants.resumed
    assert len(app_lat) == updates + extra, (len(app_lat), updates, extra)
    # Failed updates are timed, but only those that did what they were for count as handled.
    echo_rate, app_rate = len(echo_lat) / echo_time, updates / app_time
    print(
        f"closed loop · {describe_db(args.database_url)} · Bot API latency {args.api_latency_ms:g} ms"
        f" · users={args.users} concurrency={args.concurrency} rounds={args.rounds}"
        f" · mistakes {applicants.mistakes:,} in {applicants.answers:,} answers"
        f" ({applicants.mistakes / applicants.answers:.1%}) · seed {args.seed}"
    )
    notes = []
    if applicants.failed or errors.count:
        notes.append(
            f"**{applicants.failed:,} updates failed**: the bot answered with its internal-error"
            f" message; each was sent again ({applicants.resumed:,} after a /start that brought"
            f" the buttons back). Those are timed but not counted in updates/s;"
            f" {errors.count:,} errors logged, the first shown on stderr"
        )
    if args.users // args.rounds < args.concurrency:
        notes.append(
            f"a round has {args.users // args.rounds} applicants, fewer than the"
            f" concurrency {args.concurrency}: raise --users"
        )
    if latency > 0 and echo_rate > 0.7 * args.concurrency / latency:
        notes.append(
            f"echo runs near its Bot API bound ({args.concurrency} at once / {latency:g} s"
            f" = {args.concurrency / latency:,.0f}/s), which inflates × echo: raise --concurrency"
            " or compare updates/s with a 0 ms run"
        )
    for note in notes:
        print(f"note: {note}")
    print()
    print("| case | updates | updates/s | p50 ms | p95 ms | p99 ms | × echo |")
    print("|---|---|---|---|---|---|---|")
    for name, count, rate, lat in (
        ("bare aiogram echo", len(echo_lat), echo_rate, echo_lat),
        ("Annex 1 applicants", updates, app_rate, app_lat),
    ):
        p50, p95, p99 = (percentile(lat, q) * 1000 for q in (50, 95, 99))
        print(
            f"| {name} | {count:,} | {rate:,.0f} | {p50:.2f} | {p95:.2f} | {p99:.2f}"
            f" | **{rate / echo_rate:.2f}** |"
        )


# open loop ----------------------------------------------------------------------------


def arrival_times(rng: random.Random, rate: float, duration: float) -> Iterator[float]:
    """Offsets in seconds of a Poisson process of `rate` per second, up to `duration`."""
    t = rng.expovariate(rate)
    while t < duration:
        yield t
        t += rng.expovariate(rate)


@dataclass
class Slot:
    """One applicant in the open loop: a user and where it is in its plan."""

    number: int
    actions: list[Action]
    user: OfflineUser
    done: int = 0
    failures: int = 0
    """Failed tries of the current action."""
    resumed: bool = False
    """Whether /start was sent since the current action failed."""


@dataclass
class OpenLoop:
    """Hands Poisson arrivals to free applicants and times each from its arrival."""

    world: OfflineWorld
    seed: int
    mistake_rate: float
    latencies: list[float] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)
    """Arrival to the start of handling: the queueing part of each latency."""
    submitted: int = 0
    failed: int = 0
    """Updates the bot answered with its internal-error message."""
    resumed: int = 0
    backlog: int = 0
    """Updates arrived and not yet handled."""
    max_backlog: int = 0
    _next_number: int = 0

    def new_slot(self) -> Slot:
        n, self._next_number = self._next_number, self._next_number + 1
        return Slot(n, plan(n, self.seed, self.mistake_rate), self.world.user(300_000 + n, f"用户{n}"))

    async def step(self, slot: Slot) -> Slot:
        """Sends the slot's next update; a slot whose applicant submitted gets a new applicant.

        An update the bot failed on is sent again as the applicant's next one.
        """
        action = slot.actions[slot.done]
        sent = next_update(slot.user, action, slot.failures, slot.resumed)
        try:
            await perform(slot.user, sent)
        except UpdateFailed:
            self.failed += 1
            slot.failures += 1
            return slot
        if sent is not action:
            self.resumed += 1
            slot.resumed = True
            return slot
        slot.failures, slot.resumed = 0, False
        slot.done += 1
        if slot.done < len(slot.actions):
            return slot
        self.submitted += 1
        return self.new_slot()

    async def spread(self, users: int, concurrency: int, rng: random.Random) -> list[Slot]:
        """`users` applicants, each walked (untimed) to a uniformly random point of its plan."""
        slots = [self.new_slot() for _ in range(users)]
        gate = asyncio.Semaphore(concurrency)

        async def advance(slot: Slot, steps: int) -> None:
            async with gate:
                for _ in range(steps):
                    await self.step(slot)

        await asyncio.gather(*(advance(s, rng.randrange(len(s.actions))) for s in slots))
        self.submitted = self.failed = self.resumed = 0
        return slots

    async def run(
        self, slots: list[Slot], rate: float, duration: float, rng: random.Random, max_backlog: int
    ) -> Window:
        """Hands out the arrivals, then waits for the applicants still busy."""
        idle = list(slots)
        waiting: deque[float] = deque()  # arrival times with no free applicant yet
        tasks: set[asyncio.Task[None]] = set()
        start = time.perf_counter()
        window = Window(start=start, last_arrival=start, last_done=start)

        async def serve(slot: Slot, arrival: float) -> None:
            while True:
                self.waits.append(time.perf_counter() - arrival)
                slot = await self.step(slot)
                window.last_done = time.perf_counter()
                self.latencies.append(window.last_done - arrival)
                self.backlog -= 1
                if not waiting:
                    idle.append(slot)
                    return
                arrival = waiting.popleft()

        report_at = start + 10
        for offset in arrival_times(rng, rate, duration):
            arrival = start + offset
            delay = arrival - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if arrival >= report_at:
                report_at += 10
                progress(
                    f"{offset:.0f} s: {window.arrivals:,} arrived, {len(self.latencies):,} handled,"
                    f" backlog {self.backlog:,}"
                )
            if self.backlog >= max_backlog:
                window.gave_up = offset
                break
            window.arrivals += 1
            window.last_arrival = arrival
            self.backlog += 1
            self.max_backlog = max(self.max_backlog, self.backlog)
            if not idle:
                waiting.append(arrival)
                continue
            j = rng.randrange(len(idle))
            idle[j], idle[-1] = idle[-1], idle[j]
            task = asyncio.create_task(serve(idle.pop(), arrival))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if window.gave_up is not None:
            window.dropped = len(waiting)  # arrived, never handed to anyone: not timed
            waiting.clear()
        while tasks:
            await asyncio.gather(*list(tasks))
        return window


@dataclass
class Window:
    """What happened to the arrivals of one open-loop run (perf_counter seconds)."""

    start: float
    last_arrival: float
    last_done: float
    arrivals: int = 0
    dropped: int = 0
    gave_up: float | None = None
    """Seconds into the window when the backlog reached --max-backlog and arrivals stopped."""


async def open_loop(args: argparse.Namespace, database_url: str) -> None:
    session = OfflineSession(history=HISTORY)  # the spread is untimed: quick, whatever the latency to measure
    world, close = await start_bot(database_url, session)
    rng = random.Random(args.seed)
    loop = OpenLoop(world, args.seed, args.mistakes)
    errors = FirstErrorOnly.install()
    try:
        slots = await loop.spread(args.users, args.concurrency, rng)  # warms up as well
        session.latency = args.api_latency_ms / 1000
        errors.count = 0
        w = await loop.run(slots, args.rate, args.duration, rng, args.max_backlog)
    finally:
        await close()
    lat = loop.latencies
    offered = w.arrivals / (args.duration if w.gave_up is None else w.gave_up)
    achieved = len(lat) / (w.last_done - w.start)
    drain = w.last_done - w.last_arrival
    if w.gave_up is not None:
        verdict = (
            f"**no**: backlog reached {args.max_backlog:,} after {w.gave_up:.0f} s; arrivals"
            f" stopped, {w.dropped:,} never handled (the percentiles leave them out)"
        )
    elif drain > 1.0 or achieved < 0.95 * offered:
        verdict = f"**no**: the last arrival was handled {drain:.1f} s after it came"
    else:
        verdict = "yes"
    p50, p95, p99 = (percentile(lat, q) * 1000 for q in (50, 95, 99))
    w50, w99 = (percentile(loop.waits, q) * 1000 for q in (50, 99))
    print(
        f"open loop · {describe_db(args.database_url)} · Bot API latency {args.api_latency_ms:g} ms"
        f" · {args.users:,} applicants, Poisson {args.rate:g}/s for {args.duration:g} s"
        f" · {loop.submitted:,} submitted in the window · seed {args.seed}"
    )
    if loop.failed or errors.count:
        print(
            f"note: **{loop.failed:,} updates failed**: the bot answered with its internal-error"
            f" message; each was sent again as the applicant's next update ({loop.resumed:,}"
            f" times /start first, as the button was gone); all are timed;"
            f" {errors.count:,} errors logged, the first shown on stderr"
        )
    print()
    print(
        "| database | API latency | offered/s | achieved/s | updates | p50 ms | p95 ms"
        " | p99 ms | max ms | backlog max | kept up |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {describe_db(args.database_url, short=True)} | {args.api_latency_ms:g} ms"
        f" | {offered:,.0f} | {achieved:,.0f} | {len(lat):,} | {p50:.1f} | {p95:.1f}"
        f" | **{p99:.1f}** | {max(lat) * 1000:.0f} | {loop.max_backlog:,} | {verdict} |"
    )
    print(
        f"\nof which waiting before handling began (queue, and up to about 1 ms of the"
        f" harness's timer): p50 {w50:.1f} ms, p99 {w99:.1f} ms"
    )


# report and command line --------------------------------------------------------------


def progress(line: str) -> None:
    """A line on stderr while a long run goes on; the results go to stdout."""
    print(line, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def describe_db(url: str | None, short: bool = False) -> str:
    if url is None:
        return "SQLite" if short else "SQLite (temporary file)"
    if short:
        return "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    return url.split("@")[-1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join((__doc__ or "").splitlines()[1:]),
    )
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument(
        "--concurrency", type=int, default=None,
        help="applicants at once in the closed loop, and while spreading the open loop's"
        " (default 100, or 300 with a Bot API latency)",
    )
    parser.add_argument("--rounds", type=int, default=5, help="echo and applicants take turns")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument(
        "--api-latency-ms", type=float, default=0.0, help="every Bot API call answers after this"
    )
    parser.add_argument(
        "--mistakes", type=float, default=0.1, help="share of answers first given wrong"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--open-loop", action="store_true", help="Poisson arrivals, latency per update")
    parser.add_argument("--rate", type=float, default=200.0, help="open loop: updates per second")
    parser.add_argument("--duration", type=float, default=60.0, help="open loop: seconds of arrivals")
    parser.add_argument(
        "--max-backlog", type=int, default=2000,
        help="open loop: stop the arrivals once this many wait unhandled (cannot keep up)",
    )
    args = parser.parse_args(argv)
    if args.concurrency is None:
        args.concurrency = 300 if args.api_latency_ms > 0 else 100
    return args


async def main() -> None:
    args = parse_args()
    async with fresh_database(args.database_url) as url:
        await (open_loop if args.open_loop else closed_loop)(args, url)


if __name__ == "__main__":
    run(main())
