"""The application cache: a kept row is used only while the database still has its version."""

from __future__ import annotations

from sqlalchemy import event

from storage.application_cache import ApplicationCache
from storage.uow import SqlUnitOfWork
from tests.flows.export_helpers import SUBMITTED_AT, add_draft, seed_app


async def _seed(sessionmaker) -> int:
    return await seed_app(sessionmaker, person_id=7, unit_code="CQU001", status="submitted", name="李四")


async def _write(sessionmaker, app_id: int, cache: ApplicationCache | None, *, commit: bool, **values) -> None:
    async with SqlUnitOfWork(sessionmaker, cache) as uow:
        store = uow.applications
        app = await store.application(app_id)
        assert await store.update_application(app_id, app.version, values, SUBMITTED_AT)
        if commit:
            await uow.commit()


async def _read(sessionmaker, app_id: int, cache: ApplicationCache | None):
    async with SqlUnitOfWork(sessionmaker, cache) as uow:
        return await uow.applications.application(app_id)


async def test_a_committed_write_is_read_back_without_loading_the_whole_row(engine, sessionmaker) -> None:
    app_id = await _seed(sessionmaker)
    cache = ApplicationCache()
    await _write(sessionmaker, app_id, cache, commit=True, position="总监", mobile="13800138000")
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    app = await _read(sessionmaker, app_id, cache)
    assert app.values["position"] == "总监" and app.values["mobile"] == "13800138000"
    assert app.updated_at == SUBMITTED_AT
    assert len(statements) == 1 and "application.mobile" not in statements[0]


async def test_a_write_by_anyone_else_is_seen(sessionmaker) -> None:
    app_id = await _seed(sessionmaker)
    cache = ApplicationCache()
    await _read(sessionmaker, app_id, cache)
    await _write(sessionmaker, app_id, None, commit=True, position="处长")  # another process
    assert (await _read(sessionmaker, app_id, cache)).values["position"] == "处长"


async def test_a_rolled_back_write_never_reaches_the_cache(sessionmaker) -> None:
    app_id = await _seed(sessionmaker)
    cache = ApplicationCache()
    await _write(sessionmaker, app_id, cache, commit=False, position="未保存")
    await _write(sessionmaker, app_id, None, commit=True, position="已保存")  # takes the same version
    assert (await _read(sessionmaker, app_id, cache)).values["position"] == "已保存"


async def test_other_writes_to_the_row_drop_it(sessionmaker) -> None:
    app_id = await _seed(sessionmaker)
    cache = ApplicationCache()
    await _read(sessionmaker, app_id, cache)
    async with SqlUnitOfWork(sessionmaker, cache) as uow:
        store = uow.applications
        await store.set_return_reason(app_id, "请补充简历")
        await uow.commit()
    assert cache.get(app_id) is None
    assert (await _read(sessionmaker, app_id, cache)).return_reason == "请补充简历"


async def test_a_cached_snapshot_cannot_change_the_kept_row(sessionmaker) -> None:
    app_id = await _seed(sessionmaker)
    cache = ApplicationCache()
    await _write(sessionmaker, app_id, cache, commit=True, resume=["2001-2005 某厂 技术员"])
    (await _read(sessionmaker, app_id, cache)).values["resume"].append("改动")
    assert (await _read(sessionmaker, app_id, cache)).values["resume"] == ["2001-2005 某厂 技术员"]


def test_the_least_recently_used_row_goes_first() -> None:
    cache = ApplicationCache(size=2)
    cache.put(1, {"version": 1})
    cache.put(2, {"version": 1})
    cache.get(1)
    cache.put(3, {"version": 1})
    assert cache.get(2) is None and cache.get(1) and cache.get(3)


async def test_a_transaction_never_keeps_what_it_wrote_before_committing(sessionmaker) -> None:
    app_id = await _seed(sessionmaker)
    cache = ApplicationCache()
    async with SqlUnitOfWork(sessionmaker, cache) as uow:  # rolled back after reading its own write
        store = uow.applications
        app = await store.application(app_id)
        assert await store.update_application(app_id, app.version, {"position": "未保存"}, SUBMITTED_AT)
        await store.application(app_id)
    await _write(sessionmaker, app_id, None, commit=True, position="已保存")  # takes the same version
    assert (await _read(sessionmaker, app_id, cache)).values["position"] == "已保存"


async def test_a_reused_id_does_not_serve_the_deleted_row(sessionmaker) -> None:
    async def add(person_id: int) -> int:
        async with SqlUnitOfWork(sessionmaker) as uow:
            app_id = await add_draft(uow, person_id=person_id, unit_code="CQU001", name="某人")
            await uow.commit()
            return app_id

    cache = ApplicationCache()
    first = await add(7)
    assert (await _read(sessionmaker, first, cache)).person_id == 7
    async with SqlUnitOfWork(sessionmaker) as uow:  # deleted by a store without this cache
        store = uow.applications
        assert await store.delete_draft(first, 1)
        await uow.commit()
    second = await add(8)
    assert (await _read(sessionmaker, second, cache)).person_id == 8
