"""The applicant's use cases on a real database: each opens, commits and closes its own unit of work."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import pytest
from sqlalchemy import event

from bot.clock import FixedClock
from bot.domain import keys
from bot.domain.application import ApplicationSnapshot
from bot.domain.errors import AlreadyHandled
from bot.services import applicant as svc
from bot.services import privacy
from bot.services.repositories import UnitOfWorkFactory
from bot.services.transaction import unit_of_work_open
from storage.db import Database
from storage.uow import unit_of_work_factory
from tests.support.people import person


@pytest.fixture
def uows(sessionmaker: Database) -> UnitOfWorkFactory:
    return unit_of_work_factory(sessionmaker)


@pytest.fixture
async def me(uows: UnitOfWorkFactory) -> int:
    """The applicant: the person of Telegram user 1001."""
    return await person(uows, 1001)


@pytest.fixture
async def other(uows: UnitOfWorkFactory) -> int:
    """Another applicant: the person of Telegram user 1002."""
    return await person(uows, 1002)


async def _started(uows: UnitOfWorkFactory, now: datetime, person_id: int) -> ApplicationSnapshot:
    opening = await svc.give_consent(
        uows, person_id=person_id, full_name="张三", unit_code="CQU001", now=now
    )
    assert isinstance(opening, svc.Started)
    return opening.app


async def _answer(
    uows: UnitOfWorkFactory, person_id: int, app_id: int, text: str, now: datetime
) -> svc.Answered:
    return await svc.take_answer(uows, person_id=person_id, app_id=app_id, text=text, now=now)


async def _at_name(uows: UnitOfWorkFactory, person_id: int, now: datetime) -> ApplicationSnapshot:
    app = await _started(uows, now, person_id)
    step = await svc.choose(
        uows, person_id=person_id, app_id=app.id, key=keys.GROUP, index=0, now=now
    )
    assert step is not None and step.app.cursor == keys.NAME
    return step.app


async def test_start_asks_for_consent_then_resumes_the_application(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int
) -> None:
    opening = await svc.start(uows, person_id=me, unit_code=None, now=clock.now())
    assert isinstance(opening, svc.ConsentNeeded) and opening.version == svc.CONSENT_VERSION
    app = await _started(uows, clock.now(), me)
    again = await svc.start(uows, person_id=me, unit_code=None, now=clock.now())
    assert isinstance(again, svc.Resumed) and again.app.id == app.id
    assert unit_of_work_open.get() is False


async def test_a_made_up_unit_link_leads_to_the_choice_of_district(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int
) -> None:
    opening = await svc.give_consent(
        uows, person_id=me, full_name="张三", unit_code="NOPE", now=clock.now()
    )
    assert isinstance(opening, svc.ChooseDistrict)
    assert opening.link_invalid and any(d.name == "沙坪坝区" for d in opening.districts)


async def test_an_answer_is_one_read_and_one_conditional_update(
    uows: UnitOfWorkFactory, engine: Database, clock: FixedClock, me: int
) -> None:
    app = await _at_name(uows, me, clock.now())
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        step = await _answer(uows, me, app.id, "张三", clock.now())
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert isinstance(step, svc.Step) and step.asked is not None and step.asked.key == keys.NAME
    assert step.app.values[keys.NAME] == "张三" and step.field is not None
    verbs = [s.split()[0].upper() for s in statements]
    assert [v for v in verbs if v != "BEGIN"] == ["SELECT", "UPDATE"], statements


async def test_a_wrong_answer_writes_nothing_and_says_why(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int
) -> None:
    app = await _at_name(uows, me, clock.now())
    await _answer(uows, me, app.id, "张三", clock.now())
    refused = await _answer(uows, me, app.id, "500103199001019997", clock.now())
    assert isinstance(refused, svc.AskAgain) and refused.field.key == keys.ID_NUMBER
    assert "校验" in refused.problem
    now = await svc.own_application(uows, person_id=me, app_id=app.id)
    assert now is not None and now.version == refused.app.version and now.cursor == keys.ID_NUMBER


async def test_someone_elses_contact_is_refused_by_the_service(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int
) -> None:
    app = await _started(uows, clock.now(), me)
    edit = await svc.edit(uows, person_id=me, app_id=app.id, key=keys.MOBILE, now=clock.now())
    assert edit is not None and edit.field is not None and edit.field.key == keys.MOBILE
    refused = await svc.take_answer(
        uows,
        person_id=me,
        app_id=app.id,
        text=None,
        contact=("+8613800000000", False),
        now=clock.now(),
    )
    assert isinstance(refused, svc.AskAgain) and "本人" in refused.problem
    taken = await svc.take_answer(
        uows,
        person_id=me,
        app_id=app.id,
        text=None,
        contact=("+8613800000000", True),
        now=clock.now(),
    )
    assert isinstance(taken, svc.Step) and taken.app.values[keys.MOBILE] == "13800000000"


async def test_another_persons_application_is_never_touched(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int, other: int
) -> None:
    now = clock.now()
    mine = await _started(uows, now, me)
    theirs = await _started(uows, now, other)
    step = await svc.choose(uows, person_id=other, app_id=mine.id, key=keys.GROUP, index=0, now=now)
    assert step is not None and step.app.id == theirs.id
    assert await svc.own_application(uows, person_id=other, app_id=mine.id) is None
    assert (
        await svc.withdraw(uows, person_id=other, app_id=mine.id, actor_name="李四", now=now)
        is None
    )
    untouched = await svc.own_application(uows, person_id=me, app_id=mine.id)
    assert untouched is not None and untouched.version == mine.version


async def test_a_stale_button_is_none_and_changes_nothing(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int
) -> None:
    app = await _at_name(uows, me, clock.now())
    assert (
        await svc.choose(
            uows, person_id=me, app_id=app.id, key=keys.GROUP, index=1, now=clock.now()
        )
        is None
    )
    assert (
        await svc.skip(uows, person_id=me, app_id=app.id, key=keys.GROUP, now=clock.now()) is None
    )
    assert await svc.save_and_exit(uows, person_id=me, app_id=app.id, key=keys.GROUP) is None
    after = await svc.own_application(uows, person_id=me, app_id=app.id)
    assert after is not None and after.version == app.version


async def test_a_photo_is_not_kept_when_the_application_changed_during_the_download(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int
) -> None:
    app = await _started(uows, clock.now(), me)
    await svc.edit(uows, person_id=me, app_id=app.id, key=keys.PHOTO, now=clock.now())
    wanted = await svc.take_answer(uows, person_id=me, app_id=app.id, text=None, now=clock.now())
    assert isinstance(wanted, svc.PhotoWanted)
    moved = await svc.back(uows, person_id=me, app_id=app.id, key=keys.PHOTO, now=clock.now())
    assert moved is not None
    with pytest.raises(AlreadyHandled):
        await svc.save_photo(uows, wanted.app, b"\xff\xd8\xff", (413, 579), None, clock.now())
    async with uows() as uow:
        assert await uow.applications.photo(app.id) is None


async def test_signing_without_an_application_of_ones_own_submits_nothing(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int, other: int
) -> None:
    app = await _at_name(uows, me, clock.now())
    submitted = await svc.submit(
        uows, person_id=other, app_id=app.id, signature="张三", actor_name="李四", now=clock.now()
    )
    assert submitted is None
    after = await svc.own_application(uows, person_id=me, app_id=app.id)
    assert after is not None and after.version == app.version


async def test_deleting_my_data_withdraws_the_consent_given(
    uows: UnitOfWorkFactory, clock: FixedClock, me: int
) -> None:
    app = await _started(uows, clock.now(), me)
    plan = await privacy.deletion_plan(uows, me)
    assert [a.id for a in plan.drafts] == [app.id]
    done = await privacy.delete_my_data(uows, person_id=me, actor_name="张三", now=clock.now())
    assert done.drafts_deleted == 1
    async with uows() as uow:
        history = await uow.people.consent_history(me)
        assert await uow.applications.applications_of(me) == []
    assert [(e.action, e.version) for e in history][-1] == ("withdraw", svc.CONSENT_VERSION)
    again = await svc.start(uows, person_id=me, unit_code=None, now=clock.now())
    assert isinstance(again, svc.ConsentNeeded)


async def test_the_daily_purge_sweeps_at_once_and_stops_when_asked(
    uows: UnitOfWorkFactory, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO, logger="bot.services.privacy"):
        sweep = asyncio.create_task(privacy.run_daily_purge(uows, clock, stop, 180))
        await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(sweep, 5)
    assert "failed" not in caplog.text
