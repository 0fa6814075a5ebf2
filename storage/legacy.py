"""TEMPORARY: the old one-class stores over the new repositories, while services move to units of work.

Deleted once every service opens its own unit of work (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any

from storage.application_cache import ApplicationCache
from storage.applications import ApplicationRepository
from storage.campaigns import CampaignRepository
from storage.db import Database
from storage.documents import DocumentRepository
from storage.people import PeopleRepository


class SqlStore:
    _renamed: dict[str, str] = {"mark_unreachable": "set_unreachable"}

    def __init__(self, session: Any, cache: ApplicationCache | None = None) -> None:
        self.session = session
        self._applications_repo = ApplicationRepository(session, cache)
        self.applications = self._applications_repo
        self.people = PeopleRepository(session)
        self.campaigns = CampaignRepository(session)
        self.documents = DocumentRepository(session)
        self._repos = (self.applications, self.people, self.campaigns, self.documents)

    def __getattr__(self, name: str) -> Any:
        name = self._renamed.get(name, name)
        for repo in self._repos:
            if hasattr(type(repo), name):
                return getattr(repo, name)
        raise AttributeError(name)

    async def commit(self) -> None:
        await self.session.commit()
        self._applications_repo.committed()


class SqlReminderStore(SqlStore):
    _renamed = {"grants_of": "grant_rows"}


SqlExportStore = SqlStore
SqlDownloadStore = SqlStore


def _opener(database: Database, make: Callable[[Any], Any]) -> Any:
    @asynccontextmanager
    async def open_store() -> Any:
        async with database.session() as session:
            yield make(session)

    return open_store


def store_factory(database: Database) -> Any:
    cache = ApplicationCache()
    return _opener(database, lambda session: SqlStore(session, cache))


def reminder_store_factory(database: Database) -> Any:
    return _opener(database, SqlReminderStore)


def export_store_factory(database: Database) -> Any:
    return _opener(database, SqlExportStore)


def download_store_factory(database: Database) -> Any:
    return _opener(database, SqlDownloadStore)
