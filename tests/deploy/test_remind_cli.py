"""`expertbot remind --once` stopped mid-pass leaves nothing locked: the rerun sends the rest at once.

The processes are real and talk to a fake Bot API on 127.0.0.1; the rate
limiter paces them at Telegram's 30 messages a second, so SIGTERM lands
while most reminders are still to be sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from bot.demo import seed_demo
from bot.domain.reminders import Schedule
from storage.db import create_database
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory
from tests.deploy.support import FakeTelegram, eventually
from tests.support.people import person_in

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
PEOPLE = range(7000, 7060)
"""Telegram user ids (and chats) of the applicants."""


async def seed(url: str) -> None:
    database = create_database(url)
    await upgrade(database)
    now = datetime.now(UTC)
    async with unit_of_work_factory(database)() as uow:
        await seed_demo(uow, now - timedelta(days=2),
                        deadlines=(now + timedelta(days=2), now + timedelta(days=10)))
        campaign = await uow.campaigns.current_campaign()
        unit = await uow.campaigns.unit_by_code("CQU001")
        assert campaign is not None and unit is not None
        # no quiet hours: the test runs at any time of day
        await uow.campaigns.save_schedule(campaign.id, Schedule(quiet_start=time(0), quiet_end=time(0)))
        for tg in PEOPLE:
            pid = await person_in(uow, tg, now)
            await uow.people.save_person(pid, f"申报人{tg}", now)
            await uow.applications.add_application(
                campaign_id=campaign.id, person_id=pid, district_id=unit.district_id,
                unit_id=unit.id, unit_name=unit.name, unit_confirmed=True, cursor="name", now=now,
            )
        await uow.commit()
    await database.dispose()


async def test_a_remind_pass_stopped_by_sigterm_leaves_the_rest_to_an_immediate_rerun(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    await seed(url)
    telegram = FakeTelegram()

    def received() -> dict[int, int]:
        return {p: len(telegram.inbox(p)) for p in PEOPLE if telegram.inbox(p)}

    async with TestServer(telegram.app) as api:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": url,
            "TELEGRAM_API_BASE": str(api.make_url("")).rstrip("/"),
            "LOG_FORMAT": "text",
        }

        async def remind() -> asyncio.subprocess.Process:
            return await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "remind", "--once", cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )

        first = await remind()
        await eventually(lambda: len(received()) >= 10, 60, "the first sends")
        first.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(first.communicate(), 30)
        assert first.returncode == 0, err.decode()
        stopped_at = received()
        assert len(stopped_at) < len(PEOPLE), "SIGTERM came too late to test anything"

        again = await remind()
        out, err = await asyncio.wait_for(again.communicate(), 60)
        assert again.returncode == 0, err.decode()
        assert f"已发送 {len(PEOPLE) - len(stopped_at)} 条" in out.decode(), out.decode()
    assert received() == {p: 1 for p in PEOPLE}, "someone got the reminder twice, or none"


async def test_a_remind_process_keeps_its_startup_heap_out_of_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `expertbot run` does: full collections over the imported libraries stopped a pass
    for 250-300 ms, and the sends they held back left together into 429s."""
    import bot.main
    from bot.cli_campaign import cmd_remind
    from bot.config import Settings

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    await seed(url)
    telegram = FakeTelegram()
    sent_when_frozen: list[int] = []

    def count_sent() -> int:
        return sum(len(telegram.inbox(p)) for p in PEOPLE)

    monkeypatch.setattr(
        bot.main, "freeze_startup_objects", lambda: sent_when_frozen.append(count_sent())
    )
    async with TestServer(telegram.app) as api:
        settings = Settings(
            bot_token=TOKEN,
            database_url=url,
            telegram_api_base=str(api.make_url("")).rstrip("/"),
        )
        assert await cmd_remind(argparse.Namespace(once=True, dry_run=False), settings) == 0
    assert sent_when_frozen == [0], "frozen once, before the first message"
    assert count_sent() == len(PEOPLE)
