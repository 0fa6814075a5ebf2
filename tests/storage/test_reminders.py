"""Reminder passes on a real SQLite file with a fixed clock: who gets what, once, and after failures."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage
from sqlalchemy import func, select, update

from bot.clock import TZ, FixedClock
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.reminders import DEFAULT_LEASE, DeadlineKind, Notice, NoticeKind
from bot.offline import OfflineSession
from bot.ratelimit import RateLimiter
from bot.services import campaigns
from bot.services import reminders as svc
from bot.services.reminder_ports import Outcome
from bot.services.transaction import unit_of_work_open
from handlers.sending import TelegramSender
from storage.models import Application, BatchReport, Reminder, Role
from storage.uow import unit_of_work_factory
from tests.support.people import is_unreachable, met_person, person_in

UNIT_DEADLINE = datetime(2022, 9, 30, 18, 0, tzinfo=TZ)
DISTRICT_DEADLINE = datetime(2022, 10, 15, 18, 0, tzinfo=TZ)
DRAFT, RETURNED, UNIT_REVIEWER, DISTRICT_REVIEWER = 1, 2, 3, 4
IDLE_REVIEWER, SUBMITTER, APPROVED, SPB_DISTRICT = 5, 7, 8, 9
ADMIN = 900
"""Telegram user ids (and chats) of the people of `data`; the fixture `p` gives their person ids,
which is what reminders are addressed to."""


class FakeSender:
    def __init__(self, outcomes: dict[int, Outcome] | None = None) -> None:
        self.sent: list[Notice] = []
        self.outcomes = outcomes or {}

    async def send(self, notice: Notice) -> Outcome:
        outcome = self.outcomes.get(notice.recipient_id, Outcome.SENT)
        if outcome is Outcome.SENT:
            self.sent.append(notice)
        return outcome

    def take(self) -> dict[int, Notice]:
        out = {n.recipient_id: n for n in self.sent}
        assert len(out) == len(self.sent), "someone got two notices in one pass"
        self.sent.clear()
        return out


@pytest.fixture
async def data(sessionmaker) -> dict[str, int]:
    """A draft, a returned form, one application waiting for its unit, one for its district."""
    now = datetime(2022, 9, 2, 9, 0, tzinfo=TZ)
    async with unit_of_work_factory(sessionmaker)() as uow:
        session = uow.session
        campaign = await uow.campaigns.current_campaign()
        cqu = await uow.campaigns.unit_by_code("CQU001")
        jt = await uow.campaigns.unit_by_code("CQJT01")
        aj = await uow.campaigns.unit_by_code("CQAJ01")
        p = {}
        for tg in (DRAFT, RETURNED, UNIT_REVIEWER, DISTRICT_REVIEWER, IDLE_REVIEWER, SUBMITTER,
                   APPROVED, SPB_DISTRICT, ADMIN):
            p[tg] = await person_in(uow, tg, now)
            await uow.people.save_person(p[tg], f"用户{tg}", now)
        ids = {}
        for name, tg, unit, status in (
            ("draft", DRAFT, cqu, "draft"),
            ("returned", RETURNED, cqu, "returned"),
            ("submitted", SUBMITTER, cqu, "submitted"),
            ("approved", APPROVED, jt, "unit_approved"),
        ):
            ids[name] = await uow.applications.add_application(
                campaign_id=campaign.id, person_id=p[tg], district_id=unit.district_id,
                unit_id=unit.id, unit_name=unit.name, unit_confirmed=True, cursor="name", now=now,
            )
            extra = {"return_reason": "照片不清晰"} if status == "returned" else {}
            await session.execute(
                update(Application).where(Application.id == ids[name])
                .values(status=status, name=f"用户{tg}", **extra)
            )
        session.add_all([
            Role(person_id=p[UNIT_REVIEWER], role="unit", unit_id=cqu.id, granted_at=now),
            Role(person_id=p[IDLE_REVIEWER], role="unit", unit_id=aj.id, granted_at=now),
            Role(person_id=p[DISTRICT_REVIEWER], role="district", district_id=jt.district_id,
                 granted_at=now),
            Role(person_id=p[SPB_DISTRICT], role="district", district_id=cqu.district_id,
                 granted_at=now),
        ])
        await uow.commit()
        ids["campaign"] = campaign.id
    return ids


@pytest.fixture
async def p(sessionmaker, data) -> dict[int, int]:
    """Telegram user id -> person id of everyone `data` made, and of the bureau admin."""
    return {
        tg: await met_person(sessionmaker, tg)
        for tg in (DRAFT, RETURNED, UNIT_REVIEWER, DISTRICT_REVIEWER, IDLE_REVIEWER, SUBMITTER,
                   APPROVED, SPB_DISTRICT, ADMIN)
    }


async def run(sessionmaker, clock, sender, **kw: Any) -> svc.PassReport:
    admin = await met_person(sessionmaker, ADMIN)
    return await svc.send_due_reminders(
        unit_of_work_factory(sessionmaker), sender, clock, admin_ids=(admin,), **kw
    )


UNIT_AUDIENCE = {DRAFT, RETURNED, UNIT_REVIEWER}


def persons(p: dict[int, int], telegram_ids: set[int]) -> set[int]:
    return {p[tg] for tg in telegram_ids}


@pytest.mark.parametrize("offset", [timedelta(days=7), timedelta(days=3), timedelta(days=1),
                                    timedelta(hours=3)])
async def test_each_audience_gets_exactly_its_reminder_once_at_each_offset(
    sessionmaker, data, p, offset
) -> None:
    sender = FakeSender()
    clock = FixedClock(UNIT_DEADLINE - offset)
    await run(sessionmaker, clock, sender)
    got = sender.take()
    assert set(got) == persons(p, UNIT_AUDIENCE)
    now = clock.now()
    assert "项必填内容未填写" in svc.notice_text(got[p[DRAFT]], now)
    assert got[p[DRAFT]].app_id == data["draft"]
    assert "照片不清晰" in svc.notice_text(got[p[RETURNED]], now)
    assert "1 份专家申报等待单位审核" in svc.notice_text(got[p[UNIT_REVIEWER]], now)
    assert all(n.offset == int(offset.total_seconds() // 60) for n in got.values())
    clock.advance(minutes=1)
    await run(sessionmaker, clock, sender)
    assert sender.take() == {}

    clock.at = DISTRICT_DEADLINE - offset
    await run(sessionmaker, clock, sender)
    got = sender.take()
    assert set(got) == {p[DISTRICT_REVIEWER]}
    assert "1 份专家申报等待区县审核" in svc.notice_text(got[p[DISTRICT_REVIEWER]], clock.now())


async def test_a_district_with_approved_applications_and_no_report_is_reminded_to_report(
    sessionmaker, data, p
) -> None:
    """Only a replaced report on file: reminded; a current report: nothing more to report."""
    now = datetime(2022, 10, 1, 9, 0, tzinfo=TZ)
    async with unit_of_work_factory(sessionmaker)() as uow:
        session = uow.session
        cqu = await uow.campaigns.unit_by_code("CQU001")
        for tg in (20, 21):
            pid = await person_in(uow, tg, now)
            await uow.people.save_person(pid, f"用户{tg}", now)
            app_id = await uow.applications.add_application(
                campaign_id=data["campaign"], person_id=pid, district_id=cqu.district_id,
                unit_id=cqu.id, unit_name=cqu.name, unit_confirmed=True, cursor="name", now=now,
            )
            await session.execute(
                update(Application).where(Application.id == app_id)
                .values(status="district_approved", name=f"用户{tg}")
            )
        session.add(BatchReport(campaign_id=data["campaign"], district_id=cqu.district_id,
                                reported_at=now, reported_by=p[SPB_DISTRICT], row_count=1,
                                replaced=True))
        await uow.commit()
    sender = FakeSender()
    clock = FixedClock(DISTRICT_DEADLINE - timedelta(days=1))
    await run(sessionmaker, clock, sender)
    got = sender.take()
    # the jt district has one waiting application and nothing approved: only its pending reminder
    assert set(got) == {p[DISTRICT_REVIEWER], p[SPB_DISTRICT]}
    assert got[p[DISTRICT_REVIEWER]].payload["audience"] == "district"
    assert got[p[SPB_DISTRICT]].payload["audience"] == "unreported"
    text = svc.notice_text(got[p[SPB_DISTRICT]], clock.now())
    assert "2 份专家申报" in text and "尚未上报市局" in text and "/report" in text
    # nothing happens at the unit deadline's offsets for an unreported batch
    clock.at = UNIT_DEADLINE - timedelta(hours=3)
    await run(sessionmaker, clock, sender)
    assert p[SPB_DISTRICT] not in sender.take()

    async with sessionmaker() as session:
        session.add(BatchReport(campaign_id=data["campaign"], district_id=cqu.district_id,
                                reported_at=now, reported_by=p[SPB_DISTRICT], row_count=2,
                                replaced=False))
        await session.commit()
    clock.at = DISTRICT_DEADLINE - timedelta(hours=3)
    await run(sessionmaker, clock, sender)
    assert set(sender.take()) == {p[DISTRICT_REVIEWER]}


async def test_nobody_is_reminded_after_the_deadline_or_when_the_campaign_is_closed(
    sessionmaker, data
) -> None:
    sender = FakeSender()
    await run(sessionmaker, FixedClock(DISTRICT_DEADLINE + timedelta(minutes=1)), sender)
    assert sender.take() == {}
    await campaigns.set_open(unit_of_work_factory(sessionmaker), False, campaign_id=data["campaign"])
    await run(sessionmaker, FixedClock(UNIT_DEADLINE - timedelta(days=1)), sender)
    assert sender.take() == {}


async def test_claims_left_by_a_killed_process_pass_to_the_next_pass_after_a_minute(
    sessionmaker, data, p
) -> None:
    """A process killed -9 releases nothing: its claims expire after the minute's lease, not 15."""
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=1))
    async with unit_of_work_factory(sessionmaker)() as uow:
        notices, _ = await svc.plan_pass(uow, clock.now())
        assert await uow.campaigns.claim(notices, clock.now(), DEFAULT_LEASE, "dead:1:x") == notices
        await uow.commit()
    # the process dies here: recorded, never sent, never marked, never released
    sender = FakeSender()
    clock.advance(seconds=30)
    report = await run(sessionmaker, clock, sender)
    assert sender.take() == {}
    assert report.skipped == 0 and report.planned == []
    clock.advance(seconds=31)
    await run(sessionmaker, clock, sender)
    assert set(sender.take()) == persons(p, UNIT_AUDIENCE)
    clock.advance(minutes=30)
    await run(sessionmaker, clock, sender)
    assert sender.take() == {}
    async with sessionmaker() as session:
        rows = (await session.execute(select(Reminder))).scalars().all()
    assert {r.status for r in rows} == {"sent"}
    assert {r.attempts for r in rows} == {2}
    assert "dead:1:x" not in {r.claimed_by for r in rows}


async def add_drafts(sessionmaker, campaign_id: int, count: int) -> set[int]:
    """`count` more applicants (Telegram users 1000, 1001, ...) with a draft each; their person
    ids."""
    now = datetime(2022, 9, 2, 9, 0, tzinfo=TZ)
    people = set()
    async with unit_of_work_factory(sessionmaker)() as uow:
        cqu = await uow.campaigns.unit_by_code("CQU001")
        for tg in range(1000, 1000 + count):
            pid = await person_in(uow, tg, now)
            people.add(pid)
            await uow.people.save_person(pid, f"用户{tg}", now)
            await uow.applications.add_application(
                campaign_id=campaign_id, person_id=pid, district_id=cqu.district_id,
                unit_id=cqu.id, unit_name=cqu.name, unit_confirmed=True, cursor="name", now=now,
            )
        await uow.commit()
    return people


class DyingSender(FakeSender):
    """Sends `after` notices; the next send kills the pass it serves (`kill`), mid-flight."""

    def __init__(self, after: int, kill: Any) -> None:
        super().__init__()
        self.after = after
        self.kill = kill

    async def send(self, notice: Notice) -> Outcome:
        if len(self.sent) >= self.after:
            self.kill()
            await asyncio.sleep(3600)  # never delivered: the pass dies while this is in flight
        return await super().send(notice)


class DatabaseGone(Exception):
    pass


def failing_claims(sessionmaker, sender: FakeSender, after: int) -> Any:
    """Units of work whose claims fail once `sender` has sent `after` notices."""
    uows = unit_of_work_factory(sessionmaker)

    class Failing:
        def __init__(self) -> None:
            self.uow = uows()

        async def __aenter__(self) -> Any:
            uow = await self.uow.__aenter__()
            if len(sender.sent) >= after:
                async def claim(*_: Any, **__: Any) -> Any:
                    raise DatabaseGone
                uow.campaigns.claim = claim
            return uow

        async def __aexit__(self, *exc: Any) -> None:
            await self.uow.__aexit__(*exc)

    return Failing


@pytest.mark.parametrize("death", ["cancelled", "raises"])
async def test_a_rerun_right_after_a_pass_died_sends_the_rest_and_nobody_twice(
    sessionmaker, data, p, death
) -> None:
    """Killed after 100 of 300 (issue #17): the rerun sent nothing for 15 minutes, then repeated."""
    everyone = persons(p, UNIT_AUDIENCE) | await add_drafts(sessionmaker, data["campaign"], 40)
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=1))
    first = FakeSender()
    if death == "cancelled":
        task: asyncio.Task[Any] | None = None
        first = DyingSender(15, lambda: task.cancel())
        task = asyncio.create_task(run(sessionmaker, clock, first, chunk=8, concurrency=4))
        with pytest.raises(asyncio.CancelledError):
            await task
    else:
        uows = failing_claims(sessionmaker, first, 15)
        with pytest.raises(DatabaseGone):
            await svc.send_due_reminders(uows, first, clock, chunk=8, concurrency=4)
    sent_first = set(first.take())
    assert 15 <= len(sent_first) < len(everyone)
    clock.advance(seconds=1)
    again = FakeSender()
    await run(sessionmaker, clock, again)
    sent_again = set(again.take())
    assert sent_first.isdisjoint(sent_again), "someone got the reminder twice"
    assert sent_first | sent_again == everyone
    async with sessionmaker() as session:
        rows = (await session.execute(select(Reminder))).scalars().all()
    assert {r.status for r in rows} == {"sent"} and len(rows) == len(everyone)


async def test_each_message_is_marked_sent_before_the_next_is_sent(sessionmaker, data) -> None:
    """A crash right after a send repeats that message only: everything sent before is marked."""
    await add_drafts(sessionmaker, data["campaign"], 20)
    seen: list[tuple[int, int]] = []

    class Snapshot(FakeSender):
        async def send(self, notice: Notice) -> Outcome:
            async with sessionmaker() as session:
                marked = await session.scalar(
                    select(func.count()).select_from(Reminder).where(Reminder.status == "sent")
                )
            seen.append((len(self.sent), marked))
            return await super().send(notice)

    await run(sessionmaker, FixedClock(UNIT_DEADLINE - timedelta(days=1)), Snapshot(),
              concurrency=1)
    assert len(seen) == 23
    assert all(marked == accepted for accepted, marked in seen), seen


async def test_a_pass_longer_than_the_lease_keeps_its_claims(sessionmaker, data, p) -> None:
    """A pass held up for minutes (429s, a slow network) renews its claims: nobody takes them over."""
    everyone = persons(p, UNIT_AUDIENCE) | await add_drafts(sessionmaker, data["campaign"], 5)
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=1))
    other = FakeSender()

    async def renewed() -> bool:
        async with sessionmaker() as session:
            stale = await session.scalar(
                select(func.count()).select_from(Reminder)
                .where(Reminder.status == "pending", Reminder.claimed_at < clock.now())
            )
        return stale == 0

    class Slow(FakeSender):
        async def send(self, notice: Notice) -> Outcome:
            if len(self.sent) == 3:
                clock.advance(minutes=5)
                async with asyncio.timeout(10):
                    while not await renewed():  # the pass renews its claims meanwhile
                        await asyncio.sleep(0.01)
                await run(sessionmaker, clock, other)
            return await super().send(notice)

    slow = Slow()
    await run(sessionmaker, clock, slow, concurrency=1, renew_every=0.01)
    assert other.take() == {}
    assert set(slow.take()) == everyone


async def test_two_passes_at_once_send_each_reminder_once(sessionmaker, data, p) -> None:
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=3))
    a, b = FakeSender(), FakeSender()
    await asyncio.gather(run(sessionmaker, clock, a), run(sessionmaker, clock, b))
    assert sorted(n.recipient_id for n in a.sent + b.sent) == sorted(persons(p, UNIT_AUDIENCE))


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class FloodSession(OfflineSession):
    """Answers 429 with retry_after to the first message for each chat in `flood`."""

    def __init__(self, flood: dict[int, int]) -> None:
        super().__init__()
        self.flood = dict(flood)

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        chat = getattr(method, "chat_id", None)
        if isinstance(method, SendMessage) and chat in self.flood:
            self.requests.append(method)
            raise TelegramRetryAfter(
                method=method, message="Too Many Requests", retry_after=self.flood.pop(chat)
            )
        return await super().make_request(bot, method, timeout)


async def test_a_429_is_retried_after_its_retry_after_and_sent_once(
    sessionmaker, data
) -> None:
    vt = VirtualTime()
    session = FloodSession({DRAFT: 7})
    bot = Bot(token="42:TEST", session=session)
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=1))
    sender = TelegramSender(
        bot, RateLimiter(monotonic=vt.monotonic, sleep=vt.sleep), clock,
        unit_of_work_factory(sessionmaker),
    )
    report = await run(sessionmaker, clock, sender)
    assert report.sent == 3 and sender.retry_afters == 1
    sends = [m for m in session.requests if isinstance(m, SendMessage)]
    assert [m.chat_id for m in sends].count(DRAFT) == 2
    assert 7 <= vt.now < 9
    assert len(session.inbox(DRAFT)) == 1


async def test_a_reviewer_who_blocked_the_bot_is_marked_skipped_and_reported_once(
    sessionmaker, data
) -> None:
    session = OfflineSession()
    session.blocked = {UNIT_REVIEWER}
    bot = Bot(token="42:TEST", session=session)
    vt = VirtualTime()
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=3))
    sender = TelegramSender(
        bot, RateLimiter(monotonic=vt.monotonic, sleep=vt.sleep), clock,
        unit_of_work_factory(sessionmaker),
    )
    report = await run(sessionmaker, clock, sender)
    assert (report.sent, report.unreachable) == (2, 1)
    assert await is_unreachable(sessionmaker, UNIT_REVIEWER) is True
    clock.advance(minutes=1)
    await run(sessionmaker, clock, sender)
    told = session.inbox(SPB_DISTRICT)
    assert len(told) == 1 and "用户3" in told[0].text and "屏蔽" in told[0].text
    # never again: not on the next pass, not at the next offset
    clock.at = UNIT_DEADLINE - timedelta(days=1)
    session.requests.clear()
    await run(sessionmaker, clock, sender)
    assert UNIT_REVIEWER not in {getattr(m, "chat_id", None) for m in session.requests}
    assert len(session.inbox(SPB_DISTRICT)) == 1
    # with its unit unreachable, the submitted application now waits for the district
    clock.at = DISTRICT_DEADLINE - timedelta(days=7)
    await run(sessionmaker, clock, sender)
    assert "1 份专家申报等待区县审核" in session.inbox(SPB_DISTRICT)[-1].text


async def test_a_nudge_goes_out_at_most_once_an_hour_per_application(sessionmaker, data, p) -> None:
    uows = unit_of_work_factory(sessionmaker)
    now = datetime(2022, 9, 20, 10, 0, tzinfo=TZ)
    admin = p[ADMIN]
    claimed = await svc.nudge(uows, actor_id=admin, app_id=data["draft"], now=now,
                              admin_ids=(admin,), holder="t")
    assert [(n.recipient_id, n.kind) for n in claimed] == [(p[DRAFT], NoticeKind.NUDGE)]
    sender = FakeSender()
    await svc.deliver(uows, sender, claimed, FixedClock(now), holder="t")
    assert "催办" in svc.notice_text(sender.sent[0], now)
    for later in (timedelta(minutes=1), timedelta(minutes=59)):
        with pytest.raises(DomainError, match="每小时最多催办一次"):
            await svc.nudge(uows, actor_id=admin, app_id=data["draft"], now=now + later,
                            admin_ids=(admin,))
    again = await svc.nudge(uows, actor_id=admin, app_id=data["draft"],
                            now=now + timedelta(minutes=61), admin_ids=(admin,))
    assert len(again) == 1


async def test_a_nudge_reaches_whoever_holds_the_application_within_the_actors_scope(
    sessionmaker, data, p
) -> None:
    uows = unit_of_work_factory(sessionmaker)
    now = datetime(2022, 9, 20, 10, 0, tzinfo=TZ)
    to_applicant = await svc.nudge(
        uows, actor_id=p[UNIT_REVIEWER], app_id=data["returned"], now=now
    )
    to_unit = await svc.nudge(uows, actor_id=p[SPB_DISTRICT], app_id=data["submitted"], now=now)
    to_district = await svc.nudge(uows, actor_id=p[ADMIN], app_id=data["approved"], now=now,
                                  admin_ids=(p[ADMIN],))
    with pytest.raises(NotAllowed):
        await svc.nudge(uows, actor_id=p[UNIT_REVIEWER], app_id=data["draft"], now=now)
    with pytest.raises(NotAllowed):
        await svc.nudge(uows, actor_id=p[DISTRICT_REVIEWER], app_id=data["submitted"], now=now)
    assert [n.recipient_id for n in to_applicant] == [p[RETURNED]]
    assert [n.recipient_id for n in to_unit] == [p[UNIT_REVIEWER]]
    assert [n.recipient_id for n in to_district] == [p[DISTRICT_REVIEWER]]


async def test_an_extension_is_announced_once_and_reschedules_the_remaining_reminders(
    sessionmaker, data, p
) -> None:
    uows = unit_of_work_factory(sessionmaker)
    sender = FakeSender()
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=1))
    await run(sessionmaker, clock, sender)
    assert set(sender.take()) == persons(p, UNIT_AUDIENCE)
    clock.at = datetime(2022, 9, 29, 20, 0, tzinfo=TZ)
    new = datetime(2022, 10, 3, 18, 0, tzinfo=TZ)
    extended = await campaigns.extend_deadline(
        uows, {DeadlineKind.UNIT: new}, clock.now(), campaign_id=data["campaign"]
    )
    assert extended.told == 3
    clock.advance(minutes=1)
    await run(sessionmaker, clock, sender)
    got = sender.take()
    assert set(got) == persons(p, UNIT_AUDIENCE)
    assert {n.kind for n in got.values()} == {NoticeKind.EXTENDED}
    assert "2022-10-03 18:00" in svc.notice_text(got[p[DRAFT]], clock.now())
    clock.advance(minutes=1)
    await run(sessionmaker, clock, sender)
    assert sender.take() == {}
    # the old deadline's 3h slot passes silently; the new deadline's 3d, 1d, 3h slots fire
    clock.at = UNIT_DEADLINE - timedelta(hours=3)
    await run(sessionmaker, clock, sender)
    assert sender.take() == {}
    for offset in (timedelta(days=3), timedelta(days=1), timedelta(hours=3)):
        clock.at = new - offset
        await run(sessionmaker, clock, sender)
        got = sender.take()
        assert set(got) == persons(p, UNIT_AUDIENCE)
        assert {n.deadline_at for n in got.values()} == {new}


async def test_an_extension_must_move_the_deadline_later_and_keep_the_order(
    sessionmaker, data
) -> None:
    uows = unit_of_work_factory(sessionmaker)
    now = datetime(2022, 9, 20, 10, 0, tzinfo=TZ)
    for kind, at, message in (
        (DeadlineKind.UNIT, UNIT_DEADLINE - timedelta(days=1), "必须晚于"),
        (DeadlineKind.UNIT, DISTRICT_DEADLINE, "必须早于"),
    ):
        with pytest.raises(DomainError, match=message):
            await campaigns.extend_deadline(uows, {kind: at}, now, campaign_id=data["campaign"])


async def test_dry_run_lists_and_records_nothing(sessionmaker, data, p) -> None:
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=7))
    report = await run(sessionmaker, clock, FakeSender(), dry_run=True)
    assert {n.recipient_id for n in report.planned} == persons(p, UNIT_AUDIENCE)
    async with sessionmaker() as session:
        assert (await session.execute(select(Reminder))).first() is None


class OutsideSender(FakeSender):
    """Fails when a notice is sent while a unit of work is open in this task."""

    async def send(self, notice: Notice) -> Outcome:
        assert not unit_of_work_open.get(), "sent inside a unit of work"
        return await super().send(notice)


async def test_a_pass_and_a_nudge_send_only_once_their_units_of_work_closed(
    sessionmaker, data, p
) -> None:
    clock = FixedClock(UNIT_DEADLINE - timedelta(days=1))
    sender = OutsideSender({p[UNIT_REVIEWER]: Outcome.UNREACHABLE})
    report = await run(sessionmaker, clock, sender)
    assert (report.sent, report.unreachable) == (2, 1)
    told = await svc.send_nudge(
        unit_of_work_factory(sessionmaker), sender, clock, actor_id=p[ADMIN],
        app_id=data["approved"], admin_ids=(p[ADMIN],),
    )
    assert told == 1 and sender.sent[-1].recipient_id == p[DISTRICT_REVIEWER]


async def test_moving_both_deadlines_is_all_or_nothing(sessionmaker, data, p) -> None:
    uows = unit_of_work_factory(sessionmaker)
    now = datetime(2022, 9, 20, 10, 0, tzinfo=TZ)
    later = DISTRICT_DEADLINE + timedelta(days=5)
    with pytest.raises(DomainError, match="必须晚于"):
        await campaigns.extend_deadline(
            uows, {DeadlineKind.DISTRICT: later, DeadlineKind.UNIT: UNIT_DEADLINE}, now
        )
    plan = await campaigns.show(uows)
    assert plan.campaign.district_deadline == DISTRICT_DEADLINE
    moved = await campaigns.extend_deadline(
        uows, {DeadlineKind.UNIT: DISTRICT_DEADLINE + timedelta(days=1), DeadlineKind.DISTRICT: later},
        now,
    )
    assert moved.plan.campaign.unit_deadline == DISTRICT_DEADLINE + timedelta(days=1)
    assert moved.plan.campaign.district_deadline == later
    with pytest.raises(NotAllowed):
        await campaigns.set_open(uows, False, actor_id=p[DRAFT], admin_ids=(p[ADMIN],))
    closed = await campaigns.set_open(uows, False, actor_id=p[ADMIN], admin_ids=(p[ADMIN],))
    assert closed.campaign.is_open is False
