"""Retention: closed applications lose their personal fields after RETENTION_DAYS; the trail stays."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select

from bot.clock import FixedClock
from bot.offline import OfflineWorld
from bot.services import privacy
from storage.models import Application, ApplicationEvent, Base, Photo
from storage.uow import unit_of_work_factory
from tests.flows.review_helpers import submitted_application
from tests.privacy.helpers import SECRETS, dump

ACCESS_LOG = Base.metadata.tables.get("access_log")
"""Issue 4's access log, when present: erasing never touches it."""


async def _withdraw(world: OfflineWorld) -> None:
    user = await submitted_application(world)
    await user.press("撤回申报")
    await user.press("确定撤回")


async def test_withdrawn_application_is_erased_after_the_period_only(
    world: OfflineWorld, sessionmaker, engine, clock: FixedClock
) -> None:
    await _withdraw(world)
    uows = unit_of_work_factory(sessionmaker)
    async with sessionmaker() as session:
        assert (await session.execute(select(Application.status))).scalar_one() == "withdrawn"
        if ACCESS_LOG is not None:
            await session.execute(
                insert(ACCESS_LOG).values(
                    actor_id=900, action="view", target="application:1", detail={}, at=clock.now()
                )
            )
        await session.commit()

    clock.advance(days=179)
    report = await privacy.purge_expired(uows, clock.now(), 180)
    assert report.applications == ()

    clock.advance(days=2)
    dry = await privacy.purge_expired(uows, clock.now(), 180, dry_run=True)
    assert [a.name for a in dry.applications] == ["张三"]
    assert SECRETS[0] in await _plain(sessionmaker)

    done = await privacy.purge_expired(uows, clock.now(), 180)
    assert len(done.applications) == 1
    async with sessionmaker() as session:
        app = (await session.execute(select(Application))).scalar_one()
        assert app.name == "张三" and app.purged_at == clock.now()
        assert app.id_number is None and app.mobile is None and app.home_address is None
        assert (await session.get(Photo, app.id)) is None
        events = (await session.execute(select(ApplicationEvent).order_by(ApplicationEvent.id))).scalars().all()
        assert [e.action for e in events] == ["submit", "withdraw", "erase"]
        assert all(e.changes is None for e in events)
        if ACCESS_LOG is not None:
            assert await session.scalar(select(func.count()).select_from(ACCESS_LOG)) == 1
    stored = await dump(engine)
    assert "张三" in stored
    again = await privacy.purge_expired(uows, clock.now() + timedelta(days=1), 180)
    assert again.applications == ()


async def test_live_applications_are_never_erased(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await submitted_application(world)
    clock.advance(days=400)
    uows = unit_of_work_factory(sessionmaker)
    report = await privacy.purge_expired(uows, clock.now(), 180)
    assert report.applications == ()


async def _plain(sessionmaker) -> str:
    async with sessionmaker() as session:
        app = (await session.execute(select(Application))).scalar_one()
        return str(app.id_number)


def test_purge_verb_dry_run_and_real(tmp_path, monkeypatch, capsys) -> None:
    from bot.cli import main
    from bot.texts import cli as t
    from tests.privacy.test_keys import run

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    code, out, _ = run(capsys, main, "purge", "--dry-run")
    assert code == 0 and out.startswith(t.PURGE_PLANNED.split("{cutoff}")[0].format(count=0))
    code, out, _ = run(capsys, main, "purge")
    assert code == 0 and out.startswith(t.PURGED.split("{cutoff}")[0].format(count=0))

