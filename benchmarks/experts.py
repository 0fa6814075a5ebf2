"""The registry at 10,000 experts: /experts' first page and a search (issue #19: < 50 ms each).

    python -m benchmarks.experts [--experts 10000] [--repeat 20] [--database-url URL]

Seeds persons, applications, experts and terms with plain inserts (the
encrypted phone through the same column type as the bot), then times the
use case /experts calls: the first page, a search by a name's part, a
search by a certificate number, the filters (group, district, term end),
and the last page. Prints the median and
the slowest of `--repeat` runs; nothing here asserts.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from bot.clock import TZ
from bot.demo import seed_demo
from bot.loop import run
from bot.services import registry
from bot.services.accounts import person_of_telegram
from bot.services.registry_ports import ExpertFilter
from storage import crypto
from storage.db import create_database
from storage.migrate import upgrade
from storage.models import Application, Expert, ExpertTerm, Person
from storage.uow import unit_of_work_factory

NOW = datetime(2022, 11, 20, 9, 0, tzinfo=TZ)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GROUPS = ("矿山", "危化", "建筑", "交通", "冶金", "职业卫生", "财务管理")


async def seed(url: str, count: int) -> tuple[object, int]:
    database = create_database(url)
    await upgrade(database)
    uows = unit_of_work_factory(database)
    async with uows() as uow:
        await seed_demo(uow, NOW)
        campaign = await uow.campaigns.current_campaign()
        unit = await uow.campaigns.unit_by_code("CQU001")
        assert campaign is not None and unit is not None
        await uow.commit()
    admin = await person_of_telegram(uows, 900, NOW)
    async with uows() as uow:
        await insert_experts(uow.session, campaign.id, [unit], count)
        await uow.commit()
    return database, admin


async def insert_experts(session, campaign_id: int, units: list, count: int, base: int = 1000) -> None:
    """`count` appointed experts in a term, spread over `units` (rows with id, district_id and
    name) and the groups, with plain inserts: persons from `base` on, experts from 1."""
    await session.execute(
        Person.__table__.insert(),
        [{"id": base + i, "full_name": "", "created_at": NOW} for i in range(count)],
    )
    await session.execute(
        Application.__table__.insert(),
        [
            {
                "id": base + i, "campaign_id": campaign_id, "person_id": base + i,
                "district_id": units[i % len(units)].district_id,
                "unit_id": units[i % len(units)].id, "unit_confirmed": True,
                "status": "accepted", "version": 1, "flags": [], "name": _name(i),
                "gender": "男" if i % 2 else "女", "unit_name": units[i % len(units)].name,
                "position": "总工程师", "title": "高级工程师", "group": GROUPS[i % len(GROUPS)],
                "mobile": f"139{i:08d}", "created_at": NOW, "updated_at": NOW,
            }
            for i in range(count)
        ],
    )  # fmt: skip
    await session.execute(
        Expert.__table__.insert(),
        [
            {
                "id": i + 1, "person_id": base + i, "application_id": base + i,
                "professional_group": GROUPS[i % len(GROUPS)], "standing": "appointed",
                "district_id": units[i % len(units)].district_id,
                "unit_id": units[i % len(units)].id, "unit_name": units[i % len(units)].name,
                "version": 1, "created_at": NOW, "updated_at": NOW,
            }
            for i in range(count)
        ],
    )  # fmt: skip
    await session.execute(
        ExpertTerm.__table__.insert(),
        [
            {
                "expert_id": i + 1, "certificate_no": f"CQGSYF-2022-{i + 1:05d}",
                "starts_on": date(2022, 11, 15), "ends_on": date(2027, 11, 14),
                "appointed_at": NOW,
            }
            for i in range(count)
        ],
    )  # fmt: skip


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + "专家" + str(i)


async def timed(repeat: int, work) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        await work()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), max(runs)


async def main(count: int, repeat: int, url: str | None) -> None:
    crypto.configure(crypto.keyring_from(data_key=crypto.generate_key()))
    with tempfile.TemporaryDirectory() as tmp:
        database, admin = await seed(url or f"sqlite:///{Path(tmp) / 'experts.db'}", count)
        uows = unit_of_work_factory(database)
        async with uows() as uow:
            unit = await uow.campaigns.unit_by_code("CQU001")
            assert unit is not None
            district_id = unit.district_id
        who = {"by": admin, "admin_ids": (admin,), "today": date(2027, 9, 1)}
        cases = {
            "first page": ExpertFilter(),
            "search by name part": ExpertFilter(search="专家4242"),
            "search by certificate": ExpertFilter(search=f"CQGSYF-2022-{count // 2:05d}"),
            "one group": ExpertFilter(group="建筑"),
            "one district": ExpertFilter(district_id=district_id),
            "terms ending within 90 days": ExpertFilter(
                ends_from=date(2027, 9, 1), ends_to=date(2027, 11, 30)
            ),
            "group, district and term end": ExpertFilter(
                group="建筑", district_id=district_id, ends_to=date(2027, 11, 30)
            ),
        }
        kind = "PostgreSQL" if url and url.startswith("postgresql") else "SQLite"
        print(f"{kind}, {count:,} experts, {repeat} runs each (goal: < 50 ms)")
        print("| case | rows | median ms | slowest ms |\n|---|---|---|---|")
        for label, what in cases.items():
            page = await registry.experts_page(uows, what=what, **who)
            median, slowest = await timed(
                repeat, lambda what=what: registry.experts_page(uows, what=what, **who)
            )
            print(f"| {label} | {page.total:,} | {median:.1f} | {slowest:.1f} |")
        last = (count - 1) // registry.EXPERTS_PAGE
        median, slowest = await timed(
            repeat, lambda: registry.experts_page(uows, what=ExpertFilter(), page=last, **who)
        )
        print(f"| last page | {count:,} | {median:.1f} | {slowest:.1f} |")
        await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.experts", description=__doc__.split("\n")[0])
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    run(main(args.experts, args.repeat, args.database_url))
