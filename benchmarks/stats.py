"""/stats at the size of the city: 41 districts, 10,000 experts (issue 20: a chart takes < 1 s).

    python -m benchmarks.stats [--experts 10000] [--applications 3000] [--repeat 10] [--database-url URL]

Seeds the current campaign's applications over the 41 districts and every
status, and 10,000 experts from an earlier campaign over every group and
title level (a quarter with no level stored, so it is read from the title;
one in twenty withdrawn, so not counted), with plain inserts. The draws'
months are made up: their tables are another branch's.
Then times:

- the use case (`bot.services.stats.statistics`): the three GROUP BY reads;
- each chart cold: in a fresh interpreter, the first chart drawn, with the
  import of matplotlib and the font's registration; the median of 3
  interpreters, matplotlib's cache of the system's fonts already built (as on
  a server after its first start);
- each chart warm: the median and the slowest of --repeat draws in this
  process after a first one, wall clock and CPU (the machine is shared, so
  CPU time is the steadier figure).

Prints a table; nothing here asserts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bot.clock import TZ
from bot.demo import seed_demo
from bot.domain import vocab
from bot.domain.stats import CHART_STATUSES, Statistics
from bot.loop import run
from bot.services import stats as svc
from storage import crypto
from storage.db import create_database
from storage.migrate import upgrade
from storage.models import Application, Expert, Person
from storage.uow import unit_of_work_factory

NOW = datetime(2022, 11, 20, 9, 0, tzinfo=TZ)
TODAY = NOW.date()
TITLES = (
    ("正高级工程师", "正高级"), ("研究员", "正高级"), ("高级工程师", "副高级"),
    ("副教授", "副高级"), ("工程师", "中级"), ("助理工程师", "初级"), ("", "无"),
)  # fmt: skip
CHARTS = ("applications", "experts", "draws")


async def seed(url: str, experts: int, applications: int) -> object:
    rnd = random.Random(20)
    database = create_database(url)
    await upgrade(database)
    uows = unit_of_work_factory(database)
    async with uows() as uow:
        await seed_demo(uow, NOW)
        earlier = await uow.campaigns.current_campaign()
        assert earlier is not None
        current = await uow.campaigns.add_campaign(
            name="2023年重庆市工伤预防专家库征集补选", unit_deadline=NOW, district_deadline=NOW,
            now=NOW,
        )  # fmt: skip
        districts = await uow.campaigns.districts()
        assert len(districts) == 41
        await uow.commit()
    base = 1000
    people = experts + applications
    statuses = [s.value for s in CHART_STATUSES] + ["draft"]
    async with uows() as uow:
        session = uow.session
        await session.execute(
            Person.__table__.insert(),
            [{"id": base + i, "full_name": "", "created_at": NOW} for i in range(people)],
        )
        rows = []
        for i in range(people):
            title, level = TITLES[i % len(TITLES)]
            rows.append({
                "id": base + i, "campaign_id": earlier.id if i < experts else current,
                "person_id": base + i,
                "district_id": rnd.choice(districts).id, "unit_confirmed": True,
                "status": "accepted" if i < experts else rnd.choice(statuses),
                "version": 1, "flags": [], "name": f"专家{i}",
                "group": vocab.PROFESSIONAL_GROUPS[i % len(vocab.PROFESSIONAL_GROUPS)],
                "title": title, "title_level": None if i % 4 == 0 else level,
                "created_at": NOW, "updated_at": NOW,
            })  # fmt: skip
        await session.execute(Application.__table__.insert(), rows)
        await session.execute(
            Expert.__table__.insert(),
            [
                {
                    "id": i + 1, "person_id": base + i, "application_id": base + i,
                    "professional_group": rows[i]["group"],
                    "standing": "appointed" if i % 20 else "withdrawn",
                    "version": 1, "created_at": NOW, "updated_at": NOW,
                }
                for i in range(experts)
            ],
        )  # fmt: skip
        await uow.commit()
    return database


def rows_of(stats: Statistics) -> dict[str, object]:
    """The charts' rows with draws made up (the draw tables are another branch's)."""
    from bot.domain.stats import DrawMonth, months_back

    rnd = random.Random(12)
    months = [DrawMonth(m, n, rnd.randint(0, n)) for m, n in
              zip(months_back(TODAY), (0, 30, 55, 80, 120, 90, 0, 140, 160, 150, 110, 60), strict=True)]  # fmt: skip
    return {"applications": stats.applications, "experts": stats.experts, "draws": tuple(months)}


def draw(chart: str, rows: object) -> bytes:
    from exports import charts

    function = {
        "applications": charts.applications_png,
        "experts": charts.experts_png,
        "draws": charts.draws_png,
    }[chart]
    return function(rows)  # type: ignore[operator]


def cold(chart: str, pickled: str) -> float:
    """Seconds to the first chart of a fresh interpreter, matplotlib's import included."""
    code = (
        "import pickle,sys,time\n"
        "from benchmarks.stats import draw\n"
        "rows = pickle.loads(bytes.fromhex(sys.argv[2]))\n"
        "assert 'matplotlib' not in sys.modules\n"
        "started = time.perf_counter()\n"
        "draw(sys.argv[1], rows)\n"
        "print(time.perf_counter() - started)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, chart, pickled], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


async def main(experts: int, applications: int, repeat: int, url: str | None) -> None:
    import pickle

    crypto.configure(crypto.keyring_from(data_key=crypto.generate_key()))
    with tempfile.TemporaryDirectory() as tmp:
        database = await seed(url or f"sqlite:///{Path(tmp) / 'stats.db'}", experts, applications)
        uows = unit_of_work_factory(database)
        reads = []
        for _ in range(repeat):
            started = time.perf_counter()
            stats = await svc.statistics(uows, by=None, today=TODAY)
            reads.append(time.perf_counter() - started)
        await database.dispose()
    rows = rows_of(stats)
    kind = "PostgreSQL" if url and url.startswith("postgresql") else "SQLite"
    assert stats.applications is not None and stats.experts is not None
    print(
        f"{kind}: {len(stats.applications.districts)} districts, "
        f"{stats.applications.total:,} applications, "
        f"{sum(r.count for r in stats.experts):,} experts in a term; goal: a chart < 1 s"
    )
    print(
        "| what | cold s | warm median s | warm slowest s | warm median CPU s | PNG bytes |\n"
        "|---|---|---|---|---|---|"
    )
    print(f"| the use case's reads | | {statistics.median(reads):.3f} | {max(reads):.3f} | | |")
    for chart in CHARTS:
        first = statistics.median(cold(chart, pickle.dumps(rows[chart]).hex()) for _ in range(3))
        png = draw(chart, rows[chart])
        runs, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            draw(chart, rows[chart])
            runs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        print(
            f"| {chart} | {first:.2f} | {statistics.median(runs):.3f} | {max(runs):.3f} "
            f"| {statistics.median(cpu):.3f} | {len(png):,} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stats", description=__doc__.split("\n")[0])
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    run(main(args.experts, args.applications, args.repeat, args.database_url))
