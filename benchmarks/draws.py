"""Drawing experts at 10,000 experts and 1,000 open requests (issue #20: forming the pool and
drawing 5 < 20 ms; 100 concurrent draws on overlapping pools book nobody twice).

    python -m benchmarks.draws [--experts 10000] [--requests 1000] [--repeat 20] [--database-url URL]

Seeds, with plain inserts, experts in the seven professional groups spread
over 40 units in as many districts (some on leave), and `--requests` open
requests already drawn: their rounds, 3–5 held invitations each (invited or
accepted, now and then a decline) and the bookings of those invitations over
one or two of 60 days, so the booking table is what a busy year leaves. The
using units and their `user` role go through the services, as in
tests/flows/test_draws.py.

Then, for requests filed beforehand through `draws.file_request` (outside
the timing; every run draws for a fresh one):

1. the pool and the draw alone: one unit of work reading the request,
   forming the pool (`candidates` query, `eligible`) and drawing 5 with the
   pure `bot.domain.draws.draw`, with the query, the filter and the draw
   also timed apart;
2. the use case `bot.services.draws.draw` end to end: one unit of work with
   the pool, the draw, the round, the invitations, the bookings, the audit
   event, the outbox claim and the commit;
3. 100 draws at once (asyncio.gather) for 100 requests filed for the same
   day and group, so their pools overlap almost entirely; afterwards the
   database is searched for an expert held twice on one day, both in the
   booking table (its key makes that impossible) and, the real check, among
   the invitations that hold a day (invited or accepted) joined to their
   requests' days. Draws that lost a booking race and drew again
   (`DRAW_ATTEMPTS` in the service) and draws refused are counted.

Prints the median and the slowest of `--repeat` runs, and the fastest, which on a shared
machine is the nearest to what the code costs; nothing here asserts.

Telegram is not in these figures, and need not be: the use case never awaits
Telegram. The invitations it makes are claimed in the reminder outbox in the
same transaction and the handler delivers them after the unit of work is
closed (bot.services.reminders.deliver), so a slow Telegram delays the
messages, never the draw, its locks or its commit; no latency is simulated.

`--database-url postgresql+asyncpg://user@host:port/db` runs on that
PostgreSQL server in a database of its own, created for the run and dropped
afterwards (benchmarks.pipeline.fresh_database); the default is a temporary
SQLite file. On SQLite one connection serves one session at a time
(storage.db), so the 100 draws queue for it and never race; on PostgreSQL
they run on a pool of connections and do.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select

from benchmarks.experts import GROUPS, insert_experts
from benchmarks.pipeline import fresh_database
from bot.clock import TZ
from bot.demo import seed_demo
from bot.domain import draws as d
from bot.domain.review import RoleKind
from bot.loop import run
from bot.main import freeze_startup_objects
from bot.services import draw_admin, draws, roles
from bot.services.accounts import person_of_telegram
from storage import crypto
from storage.db import create_database
from storage.draws import DrawRepository
from storage.migrate import upgrade
from storage.models import (
    Booking,
    District,
    DrawEvent,
    DrawRequest,
    DrawRound,
    ExpertLeave,
    Invitation,
)
from storage.uow import unit_of_work_factory

NOW = datetime(2022, 12, 1, 9, 0, tzinfo=TZ)
FIRST_DAY = date(2022, 12, 5)
DAYS = 60
"""The seeded requests' days: FIRST_DAY and the 59 after it."""
UNITS = 40
USING_UNITS = 50
WANTED = 5
CONCURRENT = 100
HOLDER = "bench"
BOTH = f"pool + draw of {WANTED} (one unit of work, no writes)"
POOL = "- the pool (invited before, candidates, eligible)"
QUERY = "- of which the candidates query"
DRAW = f"- the pure draw of {WANTED} (bot.domain.draws.draw)"


# seeding -------------------------------------------------------------------------------------


async def seed(url: str, experts: int, requests: int) -> tuple[object, list[tuple[int, int]]]:
    """The database, and (using unit id, person id) of each using unit."""
    rng = random.Random(20)
    database = create_database(url)
    await upgrade(database)
    uows = unit_of_work_factory(database)
    async with uows() as uow:
        await seed_demo(uow, NOW)
        campaign = await uow.campaigns.current_campaign()
        assert campaign is not None
        districts = list(await uow.session.scalars(select(District.id).order_by(District.id)))
        units = [
            await uow.campaigns.add_unit(
                code=f"BENCH{i:03d}", name=f"重庆某安全生产单位{i}", kind="企业",
                district_id=districts[i % len(districts)], now=NOW,
            )  # fmt: skip
            for i in range(UNITS)
        ]
        await uow.commit()
    users = []
    for i in range(USING_UNITS):
        # half of the using units are an employer of experts too, so 回避 takes someone out
        kind = ("hr", "division", "project")[i % 3]
        using = await draw_admin.add_using_unit(
            uows, name=f"使用单位{i}", kind=kind, district_id=None,
            unit_code=units[i % UNITS].code if i % 2 == 0 else None, now=NOW,
        )  # fmt: skip
        target = await roles.find_target(uows, RoleKind.USER, using.code)
        assert target is not None
        person_id = await person_of_telegram(uows, 7000 + i, NOW)
        await roles.grant(uows, person_id, target, granted_by=None, full_name=f"负责人{i}", now=NOW)
        users.append((using.id, person_id, using.unit_id))

    async with uows() as uow:
        session = uow.session
        await insert_experts(session, campaign.id, units, experts)
        leave = rng.sample(range(1, experts + 1), experts // 50)
        await session.execute(
            ExpertLeave.__table__.insert(),
            [
                {
                    "expert_id": e, "starts_on": start, "ends_on": start + timedelta(days=rng.randint(0, 14)),
                    "reason": "出差", "recorded_at": NOW,
                }
                for e in leave
                for start in [FIRST_DAY + timedelta(days=rng.randrange(DAYS))]
            ],
        )  # fmt: skip
        await seed_requests(session, rng, experts, requests, users, [u.id for u in units])
        await uow.commit()
    if database.dialect_name == "postgresql":
        # what autovacuum does within a minute of a bulk load: without statistics the planner
        # takes every table for empty and the pool's query loops over an index (~300 ms)
        await database.run_sync(lambda connection: connection.exec_driver_sql("ANALYZE"))
    return database, [(using_id, person_id) for using_id, person_id, _ in users]


async def seed_requests(
    session, rng: random.Random, experts: int, count: int, users, unit_ids: list[int]
) -> None:
    """`count` drawn requests with their rounds, held invitations, bookings and audit events."""
    by_group = {g: [i + 1 for i in range(experts) if i % len(GROUPS) == k] for k, g in enumerate(GROUPS)}
    unit_of = {i + 1: unit_ids[i % UNITS] for i in range(experts)}
    held: set[tuple[int, date]] = set()
    plans = []
    for r in range(count):
        using_id, person_id, own_unit = users[r % len(users)]
        group = GROUPS[r % len(GROUPS)]
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        days = [start + timedelta(days=k) for k in range(rng.choice((1, 1, 2)))]
        wanted = rng.randint(3, 5)
        order = []
        for e in rng.sample(by_group[group], 3 * wanted + 5):
            if unit_of[e] == own_unit:
                continue
            if any((e, day) in held for day in days):
                continue
            order.append(e)
        declined = order[:1] if rng.random() < 0.2 else []
        drawn = order[len(declined) : len(declined) + wanted]
        for e in drawn:
            held.update((e, day) for day in days)
        plans.append((using_id, person_id, group, days, wanted, declined, drawn, order))

    request_ids = list(
        await session.scalars(
            insert(DrawRequest).returning(DrawRequest.id, sort_by_parameter_order=True),
            [
                {
                    "using_unit_id": using_id, "requested_by": person_id, "groups": [group],
                    "days": [x.isoformat() for x in days], "first_day": days[0], "last_day": days[-1],
                    "place": "某区某项目现场",
                    "project": f"某项目{r}验收", "work_kind": "accept", "wanted": wanted,
                    "preferred_districts": [], "avoid_units": [], "avoid_experts": [],
                    "reply_hours": 24, "status": "drawn", "key_hex": "00" * 32,
                    "commitment": "11" * 32, "version": 2, "filed_at": NOW - timedelta(days=1),
                }
                for r, (using_id, person_id, group, days, wanted, *_) in enumerate(plans)
            ],
        )
    )  # fmt: skip
    pools = {g: ",".join(map(str, ids)) for g, ids in by_group.items()}
    round_ids = list(
        await session.scalars(
            insert(DrawRound).returning(DrawRound.id, sort_by_parameter_order=True),
            [
                {
                    "request_id": request_id, "round_no": 1, "wanted": plan[4], "pool": pools[plan[2]],
                    "pool_hash": d.pool_hash(pools[plan[2]]), "drawn": plan[7][: plan[4]],
                    "reserve": plan[7][plan[4] : 3 * plan[4]], "drawn_by": plan[1],
                    "drawn_at": NOW - timedelta(days=1),
                }
                for request_id, plan in zip(request_ids, plans, strict=True)
            ],
        )
    )  # fmt: skip
    rows, holds = [], []
    for request_id, round_id, (_, _, _, days, _, declined, drawn, _) in zip(
        request_ids, round_ids, plans, strict=True
    ):
        for position, e in enumerate([*declined, *drawn], start=1):
            status = "declined" if e in declined else "accepted" if rng.random() < 0.3 else "invited"
            rows.append(
                {
                    "request_id": request_id, "round_id": round_id, "expert_id": e,
                    "position": position, "status": status, "invited_at": NOW - timedelta(days=1),
                    "reply_by": NOW + timedelta(hours=rng.randint(-12, 12)), "version": 1,
                }
            )  # fmt: skip
            holds.append(days if status != "declined" else [])
    invitation_ids = list(
        await session.scalars(
            insert(Invitation).returning(Invitation.id, sort_by_parameter_order=True), rows
        )
    )
    await session.execute(
        Booking.__table__.insert(),
        [
            {"expert_id": row["expert_id"], "day": day, "invitation_id": inv_id}
            for inv_id, row, days in zip(invitation_ids, rows, holds, strict=True)
            for day in days
        ],
    )
    await session.execute(
        DrawEvent.__table__.insert(),
        [
            {"request_id": request_id, "action": action, "detail": {}, "actor_id": plan[1],
             "at": NOW - timedelta(days=1)}  # fmt: skip
            for request_id, plan in zip(request_ids, plans, strict=True)
            for action in ("filed", "drawn")
        ],
    )


async def file(uows, using: tuple[int, int], group: str, day: date) -> int:
    """A request for WANTED experts, filed through the service as the chat files it."""
    view = await draws.file_request(
        uows,
        person_id=using[1],
        form=draws.RequestForm(
            groups=(group,), days=(day,), place="某区某项目现场", project="基准抽取",
            work_kind="accept", wanted=WANTED,
        ),  # fmt: skip
        now=NOW,
    )
    return view.request.id


# measuring -------------------------------------------------------------------------------------


def summary(runs: list[float]) -> str:
    return f"{statistics.median(runs):.1f} | {max(runs):.1f} | {min(runs):.1f}"


async def pool_and_draw(uows, request_id: int, split: dict[str, list[float]]) -> int:
    """Forms the pool and draws WANTED from it as the service does, without writing; the pool size.

    The whole is timed first; the `candidates` query alone is timed again after it."""
    started = time.perf_counter()
    async with uows() as uow:
        request = await uow.draws.request(request_id)
        unit = await uow.draws.using_unit(request.using_unit_id)
        at = time.perf_counter()
        pool = await draws._pool(uow, request, unit)
        split[POOL].append((time.perf_counter() - at) * 1000)
        at = time.perf_counter()
        d.draw(bytes.fromhex(request.key_hex), request.id, 1, pool, WANTED)
        split[DRAW].append((time.perf_counter() - at) * 1000)
    split[BOTH].append((time.perf_counter() - started) * 1000)
    async with uows() as uow:
        at = time.perf_counter()
        await uow.draws.candidates(request.groups, request.days)
        split[QUERY].append((time.perf_counter() - at) * 1000)
    return len(pool)


class Races:
    """Counts bookings refused because another draw held the day first (each one a retry)."""

    def __init__(self) -> None:
        self.lost = 0
        self._book = DrawRepository.book

    def __enter__(self) -> Races:
        races, book = self, self._book

        async def counted(repo, invitation_id, expert_id, days):
            ok = await book(repo, invitation_id, expert_id, days)
            races.lost += not ok
            return ok

        DrawRepository.book = counted
        return self

    def __exit__(self, *_: object) -> None:
        DrawRepository.book = self._book


async def double_holds(uows) -> tuple[int, int, int]:
    """(expert-days in two bookings, expert-days held by two invitations, held days with no booking)."""
    async with uows() as uow:
        session = uow.session
        twice_booked = await session.scalar(
            select(func.count()).select_from(
                select(Booking.expert_id, Booking.day)
                .group_by(Booking.expert_id, Booking.day)
                .having(func.count() > 1)
                .subquery()
            )
        )
        holding = await session.execute(
            select(Invitation.id, Invitation.expert_id, DrawRequest.days)
            .join(DrawRequest, DrawRequest.id == Invitation.request_id)
            .where(Invitation.status.in_([s.value for s in d.HOLDS_DAY]))
        )
        booked = {(e, day): inv for e, day, inv in await session.execute(
            select(Booking.expert_id, Booking.day, Booking.invitation_id))}  # fmt: skip
    per_day: Counter[tuple[int, date]] = Counter()
    unbooked = 0
    for inv_id, expert_id, days in holding:
        for day in map(date.fromisoformat, days):
            per_day[expert_id, day] += 1
            unbooked += booked.get((expert_id, day)) != inv_id
    return twice_booked or 0, sum(1 for n in per_day.values() if n > 1), unbooked


async def concurrent(uows, users: list[tuple[int, int]]) -> None:
    day, group = FIRST_DAY + timedelta(days=DAYS // 2), GROUPS[2]
    request_ids = [await file(uows, users[i % len(users)], group, day) for i in range(CONCURRENT)]
    async with uows() as uow:
        request = await uow.draws.request(request_ids[0])
        pool = len(await draws._pool(uow, request, await uow.draws.using_unit(request.using_unit_id)))
    with Races() as races:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                draws.draw(uows, person_id=users[i % len(users)][1], request_id=r, now=NOW,
                           holder=HOLDER)  # fmt: skip
                for i, r in enumerate(request_ids)
            ),
            return_exceptions=True,
        )
        wall = (time.perf_counter() - started) * 1000
    refused = Counter(f"{type(r).__name__}: {r}"[:90] for r in results if isinstance(r, BaseException))
    twice_booked, twice_held, unbooked = await double_holds(uows)
    print(f"\n{CONCURRENT} draws at once of {WANTED} {group} experts for {day} "
          f"(pool before: {pool} of {group})")  # fmt: skip
    print("| figure | value |\n|---|---|")
    print(f"| wall time ms | {wall:.0f} |")
    print(f"| drawn | {CONCURRENT - sum(refused.values())} |")
    print(f"| bookings lost to another draw (retries) | {races.lost} |")
    for why, n in refused.items():
        print(f"| refused: {why} | {n} |")
    print(f"| expert-days booked twice (booking table) | {twice_booked} |")
    print(f"| expert-days held by two invitations | {twice_held} |")
    print(f"| held days without their booking | {unbooked} |")


async def main(experts: int, requests: int, repeat: int, url: str | None) -> None:
    crypto.configure(crypto.keyring_from(data_key=crypto.generate_key()))
    async with fresh_database(url) as own_url:
        started = time.perf_counter()
        database, users = await seed(own_url, experts, requests)
        seeded = time.perf_counter() - started
        freeze_startup_objects()  # the collector as `expertbot run` sets it
        uows = unit_of_work_factory(database)
        async with uows() as uow:
            bookings = await uow.session.scalar(select(func.count()).select_from(Booking))
        kind = "PostgreSQL" if own_url.startswith("postgresql") else "SQLite"
        print(f"{kind}, {experts:,} experts, {requests:,} open requests holding {bookings:,} "
              f"bookings over {DAYS} days (seeded in {seeded:.0f} s); {repeat} runs each "
              f"(goal: pool + draw of {WANTED} < 20 ms)")  # fmt: skip
        rng = random.Random(7)
        filed = [
            await file(uows, users[i % len(users)], GROUPS[i % len(GROUPS)],
                       FIRST_DAY + timedelta(days=rng.randrange(DAYS)))  # fmt: skip
            for i in range(repeat)
        ]
        split: dict[str, list[float]] = {k: [] for k in (BOTH, POOL, QUERY, DRAW)}
        sizes = [await pool_and_draw(uows, r, split) for r in filed]
        runs = []
        for r, (_, person_id) in zip(filed, [users[i % len(users)] for i in range(repeat)], strict=True):
            at = time.perf_counter()
            await draws.draw(uows, person_id=person_id, request_id=r, now=NOW, holder=HOLDER)
            runs.append((time.perf_counter() - at) * 1000)
        print(f"pool sizes {min(sizes)}–{max(sizes)}")
        print("| case | median ms | slowest ms | fastest ms |\n|---|---|---|---|")
        for label, times in split.items():
            print(f"| {label} | {summary(times)} |")
        print(f"| use case draws.draw (pool, draw, round, invitations, bookings, audit, outbox, "
              f"commit) | {summary(runs)} |")  # fmt: skip
        await concurrent(uows, users)
        await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.draws", description=__doc__.split("\n")[0])
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    run(main(args.experts, args.requests, args.repeat, args.database_url))
