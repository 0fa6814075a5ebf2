"""One typed answer's unit of work: load the snapshot, update it on its version, commit.

    python -m benchmarks.answer [--answers 3000] [--database-url URL]

The database part of every answer, alone: answers to one application's 职务
field, each in its own SqlUnitOfWork, on a temporary SQLite file or the given
PostgreSQL database. Prints µs per answer (median of the rounds).

It decided the application cache's fate (a process-wide cache of decoded
rows, checked against the version on every load): 196 µs with it, 201 µs
without on SQLite; 701 against 736 µs on local PostgreSQL. 2–5 % did not pay
for keeping decrypted personal data in memory, so it went.

Single-write units of work (no transaction, no pre-ping: two round trips
where there were seven) took an answer on PostgreSQL with default durability
from 2.5–2.9 ms to 1.2–1.7 ms, and on SQLite from 172–211 µs to 159–163 µs
(2026-12-02, two alternating runs each).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime

from bot.clock import TZ
from bot.demo import seed_demo
from bot.loop import run
from bot.services.accounts import telegram_person
from storage import crypto
from storage.db import create_database
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

NOW = datetime(2022, 9, 20, 10, 0, tzinfo=TZ)


async def seed(database) -> int:
    async with SqlUnitOfWork(database) as uow:
        await seed_demo(uow, NOW)
        unit = await uow.campaigns.unit_by_code("CQU001")
        campaign = await uow.campaigns.current_campaign()
        assert unit and campaign
        person_id = await telegram_person(uow, 1001, NOW, "张三")
        app_id = await uow.applications.add_application(
            campaign_id=campaign.id, person_id=person_id, district_id=unit.district_id, unit_id=unit.id,
            unit_name=unit.name, unit_confirmed=True, cursor="position", now=NOW,
        )  # fmt: skip
        values = {
            "name": "张三", "id_number": "500103199001019998", "mobile": "13800000000",
            "home_address": "重庆市沙坪坝区学城大道1号", "office_phone": "023-65102345",
            "emergency_phone": "13983000000", "health": "良好", "ethnicity": "汉族",
            "resume": [{"start": "2005-07", "end": "至今", "unit": "重庆大学", "position": "教授"}],
            "main_specialties": ["矿山安全", "职业卫生"], "familiar_specialties": ["应急管理"],
        }  # fmt: skip
        assert await uow.applications.update_application(app_id, 1, values, NOW)
        await uow.commit()
    return app_id


async def answers(database, app_id: int, n: int) -> float:
    """Seconds per answer over `n` answers, each its own single-write unit of work, as
    `take_answer` opens it."""
    start = time.perf_counter()
    for i in range(n):
        async with SqlUnitOfWork(database, single_write=True) as uow:
            app = await uow.applications.application(app_id)
            assert app is not None
            assert await uow.applications.update_application(
                app_id, app.version, {"position": f"职务{i}"}, NOW
            )
            await uow.commit()
    return (time.perf_counter() - start) / n


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    crypto.configure(crypto.keyring_from(data_key=crypto.generate_key()))
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/answer.db"
    database = create_database(url)
    await upgrade(database)
    app_id = await seed(database)
    await answers(database, app_id, 100)  # warm-up
    rounds = [await answers(database, app_id, args.answers // args.rounds) for _ in range(args.rounds)]
    await database.dispose()
    print(f"database={database.dialect_name} answers={args.answers} rounds={args.rounds}")
    print(f"µs per answer: {statistics.median(rounds) * 1e6:.0f} (rounds {min(rounds) * 1e6:.0f}–{max(rounds) * 1e6:.0f})")


if __name__ == "__main__":
    run(main())
