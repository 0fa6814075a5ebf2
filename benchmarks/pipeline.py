"""Update pipeline: applicants complete Annex 1 through the real Dispatcher, vs a bare echo bot.

    python -m benchmarks.pipeline [--users 1000] [--concurrency 100] [--rounds 5] [--database-url URL]

Every answer is committed before the bot replies (the same code as production);
the bot session records requests instead of calling Telegram. Prints updates
per second and per-update latency for both, and the ratio measured in this run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime, timedelta

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message

from bot.clock import TZ, FixedClock
from bot.config import Settings
from bot.demo import seed_demo, seed_demo_reviewers
from bot.main import create_dispatcher, freeze_startup_objects
from bot.offline import OfflineSession, OfflineUser, OfflineWorld
from storage import crypto
from storage.db import create_database
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory
from tests.flows.helpers import choose_unit, consent, fill_form

UPDATES_PER_APPLICANT = 34
"""/start to signature, as the conversation below runs today."""


def id_number(i: int) -> str:
    from bot.domain.idcard import check_character

    month, day = 1 + i // 1000 % 12, 1 + i // 12_000 % 28  # unique up to 336,000 users
    first17 = f"500103{1960 + i % 40}{month:02d}{day:02d}{i % 1000:03d}"
    return first17 + check_character(first17)


class Timed:
    """Wraps a world's feed to record each update's latency."""

    def __init__(self, world: OfflineWorld) -> None:
        self.latencies: list[float] = []
        feed = world.feed

        async def timed(user: OfflineUser, **payload: object) -> object:
            start = time.perf_counter()
            result = await feed(user, **payload)
            self.latencies.append(time.perf_counter() - start)
            return result

        world.feed = timed  # type: ignore[method-assign]


class Applicants:
    """Simulated applicants, each from /start to the signature, on one bot and database."""

    def __init__(self, concurrency: int) -> None:
        self.concurrency = concurrency

    async def start(self, database_url: str | None) -> None:
        crypto.configure(crypto.keyring_from(data_key=crypto.generate_key()))
        folder = tempfile.mkdtemp(prefix="bench-")
        url = database_url or f"sqlite:///{folder}/bench.db"
        self.engine = sessionmaker = create_database(url)
        await upgrade(self.engine)
        clock = FixedClock(datetime(2022, 9, 20, 10, 0, tzinfo=TZ))
        async with unit_of_work_factory(sessionmaker)() as uow:
            await seed_demo(uow, clock.now() - timedelta(days=1))
            # Reviewers as in production: each submission notifies 重庆大学's unit reviewer.
            await seed_demo_reviewers(uow, clock.now() - timedelta(days=1))
            await uow.commit()
        settings = Settings(bot_token="42:BENCH", rate_limit=0)  # simulated users type faster than people
        bot = Bot(token=settings.bot_token, session=OfflineSession())
        dp = create_dispatcher(settings=settings, database=sessionmaker, clock=clock)
        self.world = OfflineWorld(dp, bot, now=clock.now)
        self.timed = Timed(self.world)
        await self.run(range(-1, 0))  # warm-up: connections opened, statements compiled
        self.timed.latencies.clear()

    async def run(self, ids: range) -> None:
        gate = asyncio.Semaphore(self.concurrency)

        async def applicant(i: int) -> None:
            async with gate:
                user = self.world.user(100_000 + i, f"用户{i}")
                await consent(user)
                await choose_unit(user)
                await fill_form(user, name="张三", id_number=id_number(i))
                await user.press("签名提交")
                await user.send("张三")
                assert "申报已提交" in user.last().text, user.last().text

        await asyncio.gather(*(applicant(i) for i in ids))

    async def close(self) -> None:
        await self.world.close()
        await self.engine.dispose()


class Echo:
    """A bare aiogram bot answering every message with its text, fed like the applicants."""

    per_user = 30

    def __init__(self, concurrency: int) -> None:
        self.concurrency = concurrency

    async def start(self) -> None:
        router = Router()

        async def echo(message: Message) -> None:
            await message.answer(message.text or "")

        router.message.register(echo)
        dp = Dispatcher()
        dp.include_router(router)
        self.world = OfflineWorld(dp, Bot(token="42:ECHO", session=OfflineSession()))
        self.timed = Timed(self.world)
        await self.run(range(-1, 0))  # warm-up, as for the applicants
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


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def row(name: str, rate: float, lat: list[float], base: float) -> str:
    ms = [percentile(lat, q) * 1000 for q in (50, 95, 99)]
    return f"| {name} | {len(lat):,} | {rate:,.0f} | {ms[0]:.2f} | {ms[1]:.2f} | {ms[2]:.2f} | {rate / base:.2f} |"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5, help="echo and applicants take turns")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    # As `expertbot run` does once started; echo and the applicants both run after it.
    freeze_startup_objects()
    applicants, echo = Applicants(args.concurrency), Echo(args.concurrency)
    await applicants.start(args.database_url)
    await echo.start()
    # The two take turns, each round a share of the updates: this machine's
    # speed drifts by 10-20 % within a minute, and the turns spread the drift
    # over both sides of the ratio alike.
    app_time = echo_time = 0.0
    echo_users = args.users * UPDATES_PER_APPLICANT // Echo.per_user
    for r in range(args.rounds):
        echo_time += await timed_run(echo, _share(echo_users, args.rounds, r))
        app_time += await timed_run(applicants, _share(args.users, args.rounds, r))
    await applicants.close()
    echo_lat, app_lat = echo.timed.latencies, applicants.timed.latencies
    echo_rate, app_rate = len(echo_lat) / echo_time, len(app_lat) / app_time
    db = (args.database_url or "sqlite (temp file)").split("@")[-1]
    print(f"users={args.users} concurrency={args.concurrency} rounds={args.rounds} database={db}")
    print("| case | updates | updates/s | p50 ms | p95 ms | p99 ms | × echo |")
    print("|---|---|---|---|---|---|---|")
    print(row("bare aiogram echo", echo_rate, echo_lat, echo_rate))
    print(row("Annex 1 applicants", app_rate, app_lat, echo_rate))


def _share(total: int, rounds: int, r: int) -> range:
    """The ids of round `r` when `total` are split into `rounds` nearly equal turns."""
    return range(total * r // rounds, total * (r + 1) // rounds)


if __name__ == "__main__":
    asyncio.run(main())
