"""One reminder pass to many drafts through a rate-limited fake Bot API on 127.0.0.1.

    python -m benchmarks.reminders [--recipients 10000] [--limit 30]

The fake server enforces `--limit` messages in any one-second window overall
and one a second per chat, answering 429 with retry_after otherwise, like
Telegram. The bot side is production code: the pass plans on a temporary
SQLite file, claims in chunks, and sends through `TelegramSender` with the
`RateLimiter` scaled to the same limit (a little under it, as in production),
in a process whose startup heap is frozen as the bot's and `expertbot remind`'s.
Goal: achieved rate >= 0.9 of the limit and no 429. At the real limit (30/s)
10,000 recipients take about 6 minutes; `--limit 300` checks the same
machinery faster.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import multiprocessing
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.clock import TZ, FixedClock
from bot.demo import seed_demo
from bot.loop import run
from bot.ratelimit import TELEGRAM_CHAT_INTERVAL, TELEGRAM_RATE, RateLimiter
from storage.db import create_database
from storage.migrate import upgrade
from storage.models import Account, Application, Person
from storage.uow import unit_of_work_factory

UNIT_DEADLINE = datetime(2022, 9, 30, 18, 0, tzinfo=TZ)


class FakeBotApi:
    """sendMessage with Telegram's limits: `limit` a second overall, one a second per chat."""

    def __init__(self, limit: float, chat_interval: float = 1.0) -> None:
        self.limit = limit
        self.chat_interval = chat_interval
        self.window: collections.deque[float] = collections.deque()
        self.last: dict[int, float] = {}
        self.accepted = 0
        self.too_many = 0
        self.chat_refusals = 0
        self.first: float | None = None
        self.latest = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post()
        if method != "sendMessage":
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"})
        chat = int(str(form["chat_id"]))
        now = time.monotonic()
        while self.window and self.window[0] <= now - 1.0:
            self.window.popleft()
        if len(self.window) >= self.limit or now - self.last.get(chat, -1e9) < self.chat_interval:
            self.chat_refusals += len(self.window) < self.limit
            self.too_many += 1
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                }
            )
        self.window.append(now)
        self.last[chat] = now
        self.accepted += 1
        self.first = self.first if self.first is not None else now
        self.latest = now
        return web.json_response(
            {
                "ok": True,
                "result": {
                    "message_id": self.accepted,
                    "date": int(time.time()),
                    "chat": {"id": chat, "type": "private"},
                    "text": str(form.get("text", "")),
                },
            }
        )


async def seed(url: str, recipients: int) -> Any:
    engine = sessionmaker = create_database(url)
    await upgrade(engine)
    now = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)
    async with unit_of_work_factory(sessionmaker)() as uow:
        session = uow.session
        await seed_demo(uow, now=now)
        campaign = await uow.campaigns.current_campaign()
        unit = await uow.campaigns.unit_by_code("CQU001")
        assert campaign is not None and unit is not None
        people = [{"id": 1 + i, "full_name": f"申报人{i}", "created_at": now}
                  for i in range(recipients)]
        await session.execute(Person.__table__.insert(), people)
        accounts = [{"person_id": p["id"], "channel": "telegram", "external_id": str(10_000_000 + i),
                     "chat_id": str(10_000_000 + i), "display_name": p["full_name"],
                     "unreachable": False, "attached_at": now} for i, p in enumerate(people)]
        await session.execute(Account.__table__.insert(), accounts)
        apps = [
            {
                "campaign_id": campaign.id, "person_id": p["id"], "district_id": unit.district_id,
                "unit_id": unit.id, "unit_name": unit.name, "unit_confirmed": True,
                "status": "draft", "version": 1, "cursor": "name", "flags": [],
                "created_at": now, "updated_at": now,
            }
            for p in people
        ]
        await session.execute(Application.__table__.insert(), apps)
        await uow.commit()
    return engine, sessionmaker


def _serve(limit: float, ports: Any, stop: Any) -> None:
    """The fake Bot API in a process of its own, so the bot's busy loop cannot skew its clock."""
    api = FakeBotApi(limit)

    async def serve() -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", api.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ports.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        while not stop.is_set():
            await asyncio.sleep(0.05)
        ports.put((api.accepted, api.too_many, api.chat_refusals, api.first, api.latest))
        await runner.cleanup()

    asyncio.run(serve())


async def main(recipients: int, limit: float) -> None:
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from bot.main import freeze_startup_objects
    from bot.services.reminders import send_due_reminders
    from handlers.sending import TelegramSender

    ports: Any = multiprocessing.Queue()
    stop_server = multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(limit, ports, stop_server))
    server.start()
    port = ports.get(timeout=30)

    with tempfile.TemporaryDirectory() as tmp:
        engine, sessionmaker = await seed(f"sqlite:///{Path(tmp) / 'bench.db'}",
                                          recipients)
        session = AiohttpSession(api=TelegramAPIServer.from_base(f"http://127.0.0.1:{port}"))
        bot = Bot(token="42:BENCH", session=session)
        rate = limit * TELEGRAM_RATE / 30.0
        limiter = RateLimiter(rate, TELEGRAM_CHAT_INTERVAL)
        clock = FixedClock(UNIT_DEADLINE - timedelta(days=7))
        uows = unit_of_work_factory(sessionmaker)
        sender = TelegramSender(bot, limiter, clock, uows)
        freeze_startup_objects()  # as `expertbot remind` and `expertbot run` do once set up
        started = time.monotonic()
        report = await send_due_reminders(uows, sender, clock)
        elapsed = time.monotonic() - started
        await bot.session.close()
        await engine.dispose()
    stop_server.set()
    accepted, too_many, chat_refusals, first, latest = ports.get(timeout=30)
    server.join()

    window = (latest - first) if first is not None else 0.0
    achieved = (accepted - 1) / window if window > 0 else float("nan")
    print(f"recipients            {recipients}")
    print(f"configured limit      {limit:.0f} msg/s (limiter set to {rate:.1f} msg/s)")
    print(f"sent                  {report.sent} (accepted by the server: {accepted})")
    print(f"429 answers           {too_many} ({chat_refusals} for the per-chat limit; "
          f"sender saw {sender.retry_afters})")
    print(f"pass wall time        {elapsed:.1f} s, of which sending {window:.1f} s")
    print(f"achieved rate         {achieved:.2f} msg/s = {achieved / limit:.3f} of the limit")
    print(f"overall rate          {report.sent / elapsed:.2f} msg/s incl. planning and claims")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=30.0, help="the fake server's msg/s")
    args = parser.parse_args()
    run(main(args.recipients, args.limit))
