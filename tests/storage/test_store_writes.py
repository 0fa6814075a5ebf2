"""The store's conditional update: it writes only named columns, and only at the read version."""

from __future__ import annotations

import pytest

from storage.uow import SqlUnitOfWork
from tests.flows.export_helpers import SUBMITTED_AT, seed_app


async def test_update_refuses_names_that_are_not_columns(sessionmaker) -> None:
    app_id = await seed_app(sessionmaker, telegram_id=7, unit_code="CQU001", status="submitted", name="李四")
    async with SqlUnitOfWork(sessionmaker) as uow:
        store = uow.applications
        version = (await store.application(app_id)).version
        with pytest.raises(ValueError, match="bogus"):
            await store.update_application(app_id, version, {"bogus": 1}, SUBMITTED_AT)
        assert not await store.update_application(app_id, version - 1, {"position": "x"}, SUBMITTED_AT)
        assert await store.update_application(app_id, version, {"position": "总监"}, SUBMITTED_AT)
        await uow.commit()
        updated = await store.application(app_id)
    assert updated.values["position"] == "总监" and updated.version == version + 1
