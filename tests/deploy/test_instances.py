"""Two `expertbot run --webhook` processes behind one URL share a conversation through Redis and PostgreSQL.

The processes are real: they talk to a fake Bot API on 127.0.0.1, keep
conversation state in Redis and everything else in one PostgreSQL database.
The user's updates alternate between them (A, B, A, B), as a load balancer
may send them; each step only works if the process sees the state the other
one wrote. Then both get SIGTERM and must exit cleanly.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis

from bot.demo import seed_demo
from storage.db import create_database
from storage.uow import unit_of_work_factory
from tests.deploy.support import (
    SECRET,
    FakeTelegram,
    eventually,
    free_port,
    message_update,
    post_update,
    press_update,
    with_button,
)
from tests.support import services

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
PATH = "/tg/updates"
USER = 5001


@dataclass
class Instance:
    name: str
    port: int
    process: asyncio.subprocess.Process
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()


@pytest.fixture
async def database() -> AsyncIterator[str]:
    url = await services.create_database(services.need_postgres())
    database = create_database(url)
    now = datetime.now(UTC)
    async with unit_of_work_factory(database)() as uow:
        await seed_demo(uow, now, deadlines=(now + timedelta(days=14), now + timedelta(days=28)))
        await uow.commit()
    await database.dispose()
    yield url
    await services.drop_database(url)


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(services.need_redis())
    await client.flushdb()
    yield client
    await client.aclose()


async def start(name: str, tmp_path: Path, env: dict[str, str]) -> Instance:
    port = free_port()
    log = tmp_path / f"{name}.log"
    with log.open("w") as stderr:
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "bot.cli", "run", "--webhook"),
            cwd=tmp_path,
            env={**env, "WEBHOOK_PORT": str(port)},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
    return Instance(name, port, process, log)


async def wait_healthy(http: ClientSession, instance: Instance) -> None:
    async def ok() -> bool:
        try:
            async with http.get(f"http://127.0.0.1:{instance.port}/healthz") as r:
                return r.status == 200
        except OSError:
            return False

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while not await ok():
        if instance.process.returncode is not None or loop.time() > deadline:
            raise AssertionError(f"{instance.name} did not start:\n" + "\n".join(instance.lines()))
        await asyncio.sleep(0.1)


async def test_a_conversation_moves_between_two_instances(
    tmp_path: Path, database: str, redis: Redis
) -> None:
    telegram = FakeTelegram()
    async with TestServer(telegram.app) as api, ClientSession() as http:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": database,
            "REDIS_URL": services.need_redis(),
            "TELEGRAM_API_BASE": str(api.make_url("")).rstrip("/"),
            "WEBHOOK_URL": f"https://bot.example.test{PATH}",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "LOG_FORMAT": "json",
            "DATA_KEY": os.environ.get("DATA_KEY") or base64.b64encode(os.urandom(32)).decode(),
        }
        a, b = await start("a", tmp_path, env), await start("b", tmp_path, env)
        try:
            await asyncio.gather(wait_healthy(http, a), wait_healthy(http, b))
            assert [w["secret_token"] for w in telegram.webhooks] == [SECRET, SECRET]

            def inbox():
                return telegram.inbox(USER)

            async def reply(what: str, label: str):
                try:
                    return await eventually(lambda: with_button(label)(inbox()), 60, what)
                except AssertionError:
                    raise AssertionError("\n".join([what, *a.lines(), *b.lines()])) from None

            assert await post_update(http, a.url, message_update(1, USER, "/start")) == 200
            card = await reply("consent (A)", "全部同意")
            assert await post_update(http, b.url, press_update(2, USER, card, "全部同意")) == 200
            card = await reply("districts (B)", "沙坪坝区")
            assert await post_update(http, a.url, press_update(3, USER, card, "沙坪坝区")) == 200
            card = await reply("units (A)", "重庆大学")
            assert await post_update(http, b.url, press_update(4, USER, card, "重庆大学")) == 200
            await reply("the first field (B)", "矿山")

            assert await post_update(http, b.url, message_update(1, USER, "/start")) == 200
            await eventually(
                lambda: any('"outcome": "duplicate"' in line for line in b.lines()),
                what="B skipping the update A handled",
            )
            assert (
                await post_update(http, a.url, message_update(5, USER, "/start"), secret=None)
                == 401
            )

            keys = [k.decode() async for k in redis.scan_iter("expertbot:*")]
            assert any(k.endswith(":state") for k in keys), keys
        finally:
            for instance in (a, b):
                if instance.process.returncode is None:
                    instance.process.send_signal(signal.SIGTERM)
            codes = [await asyncio.wait_for(i.process.wait(), timeout=40) for i in (a, b)]
        assert codes == [0, 0], "\n".join(a.lines() + b.lines())

    logged = [json.loads(line) for line in a.lines() + b.lines()]
    text = "\n".join(a.lines() + b.lines())
    assert TOKEN not in text and "全部同意" not in text
    assert all(path.startswith("/bot") for path in telegram.paths)
    handled = [line for line in logged if line.get("event") == "update"]
    assert sorted(line["update_id"] for line in handled) == [1, 1, 2, 3, 4]
    assert any(
        line.get("event") == "api_call" and line["method"] == "sendMessage" for line in logged
    )
    leaders = [
        line for line in logged if line.get("lease") == "reminders" and line["msg"] == "lease taken"
    ]
    assert len(leaders) == 1, "exactly one instance runs the reminders"
    assert sum(line["msg"] == "stopped" for line in logged) == 2
