"""The unit of work: one use case's transaction, and the repositories that read and write in it.

    async with uows() as uow:
        app = await uow.applications.application(app_id)
        ...
        await uow.commit()

It rolls back unless committed, and it is closed before anything goes to
Telegram (bot.services.transaction). Repositories never commit.

`uows(single_write=True)` is for a use case whose only write is one Core
statement, its last before the commit (an answer's conditional update): no
transaction is opened and that statement commits by itself, which saves
PostgreSQL's BEGIN and COMMIT round trips. A second write raises.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import TracebackType
from typing import Any

from bot.services.transaction import unit_of_work_open
from storage.accounts import AccountRepository
from storage.applications import ApplicationRepository
from storage.campaigns import CampaignRepository
from storage.db import Database, DbSession
from storage.documents import DocumentRepository
from storage.draws import DrawRepository
from storage.people import PeopleRepository
from storage.registry import RegistryRepository


class SqlUnitOfWork:
    applications: ApplicationRepository
    accounts: AccountRepository
    people: PeopleRepository
    campaigns: CampaignRepository
    documents: DocumentRepository
    registry: RegistryRepository
    draws: DrawRepository

    def __init__(self, database: Database, *, single_write: bool = False) -> None:
        self._database = database
        self._single_write = single_write
        self._opened: Any = None
        self._flag: Any = None

    async def __aenter__(self) -> SqlUnitOfWork:
        self._opened = self._database.session(single_write=self._single_write)
        session: DbSession = await self._opened.__aenter__()
        self.session = session
        self.applications = ApplicationRepository(session)
        self.accounts = AccountRepository(session)
        self.people = PeopleRepository(session)
        self.campaigns = CampaignRepository(session)
        self.documents = DocumentRepository(session)
        self.registry = RegistryRepository(session)
        self.draws = DrawRepository(session)
        self._flag = unit_of_work_open.set(True)
        return self

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        unit_of_work_open.reset(self._flag)
        await self._opened.__aexit__(exc_type, exc, tb)


def unit_of_work_factory(database: Database) -> Callable[..., SqlUnitOfWork]:
    """Makes a fresh unit of work per call (`single_write`: see `UnitOfWorkFactory`)."""
    return partial(SqlUnitOfWork, database)
