"""SQLite sessions that run in the event loop's thread without SQLAlchemy's greenlets.

SQLAlchemy's asyncio extension runs each call of an AsyncSession in a new
greenlet, around the same synchronous core. On SQLite, whose statements run
inline anyway (storage.sqlite_inline), that wrapping was most of a store's
cost: a typed answer's load, conditional update and commit took 745 µs
through an AsyncSession against 400 µs through a plain Session.

So the per-update stores get a `DirectSession` here: the part of
AsyncSession's interface they use, over a plain Session on a pysqlite engine
for the same file. Two things the greenlets gave must be kept:

- Waiting for another writer must not block the loop. Before its first
  write a session begins with BEGIN IMMEDIATE, retried after asynchronous
  pauses while another connection (the FSM storage, the CLI) holds SQLite's
  write lock. Once it holds the lock, no statement or commit of the
  transaction can be refused as busy, so they need no retry.
- One transaction at a time on the one connection. An asyncio lock is taken
  where the pool would check the connection out (the session's first
  statement) and given back where the pool would get it back (commit,
  rollback, close); a plain pool would block the loop instead of waiting.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from storage.sqlite_inline import _is_busy, _pauses

CHECKOUT_TIMEOUT = 60.0
"""As the async pool's timeout: a session that never gets the connection fails instead of hanging."""


@dataclass
class DirectDatabase:
    """A pysqlite engine of one connection for a SQLite file, and the lock that shares it."""

    engine: Engine
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def session(self) -> DirectSession:
        return DirectSession(self)


_DATABASES: weakref.WeakKeyDictionary[Engine, DirectDatabase] = weakref.WeakKeyDictionary()


def direct_database(engine: AsyncEngine) -> DirectDatabase | None:
    """The direct twin of `engine` (made once, disposed with it), or None when it has none.

    Only SQLite files have one: an in-memory database is private to its connection.
    """
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    key = engine.sync_engine
    if key not in _DATABASES:
        database = DirectDatabase(_sync_engine(url.database))
        _DATABASES[key] = database
        event.listen(key, "engine_disposed", lambda _engine: database.engine.dispose())
    return _DATABASES[key]


def _sync_engine(path: str) -> Engine:
    engine = create_sync_engine(
        f"sqlite:///{path}",
        pool_size=1,
        max_overflow=0,
        pool_timeout=0,  # the lock guarantees a free connection: waiting would mean a bug
        pool_reset_on_return=None,  # every session ends its own transaction
        connect_args={"timeout": 0, "check_same_thread": False},
    )
    event.listen(engine, "connect", _connect)
    return engine


def _connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
    from storage.db import sqlite_pragmas

    sqlite_pragmas(dbapi_connection, record)
    # pysqlite would BEGIN (deferred) before the first write; DirectSession begins itself.
    dbapi_connection.isolation_level = None


class DirectSession:
    """The part of AsyncSession the stores use, run synchronously (see the module)."""

    def __init__(self, database: DirectDatabase) -> None:
        self._database = database
        self._session = Session(database.engine, expire_on_commit=False)
        self._held = False
        self._writing = False

    @property
    def bind(self) -> Engine:
        return self._database.engine

    async def _open(self, statement: Any = None) -> Session:
        """The session, holding the connection; and SQLite's write lock before the first write.

        Reads before the first write run on their own, as pysqlite's own
        transactions would have them: a session that only reads never keeps
        another connection (the FSM storage's) from writing. Pending ORM
        objects count as a write: any statement may flush them.
        """
        if not self._held:
            async with asyncio.timeout(CHECKOUT_TIMEOUT):
                await self._database.lock.acquire()
            self._held = True
        writes = getattr(statement, "is_dml", False) or self._pending()
        if writes and not self._writing:
            try:
                connection = self._session.connection().connection.dbapi_connection
                await _begin_immediate(connection)
            except BaseException:
                self._end(self._session.rollback)
                raise
            self._writing = True
        return self._session

    def _end(self, finish: Any) -> None:
        try:
            finish()
        finally:
            self._writing = False
            if self._held:
                self._held = False
                self._database.lock.release()

    def _pending(self) -> bool:
        session = self._session
        return bool(session.new or session.dirty or session.deleted)

    async def execute(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return (await self._open(statement)).execute(statement, params, **kw)

    async def scalar(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return (await self._open(statement)).scalar(statement, params, **kw)

    async def scalars(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return (await self._open(statement)).scalars(statement, params, **kw)

    async def get(self, entity: Any, ident: Any, **kw: Any) -> Any:
        return (await self._open()).get(entity, ident, **kw)

    def add(self, instance: object) -> None:
        self._session.add(instance)

    async def flush(self) -> None:
        (await self._open()).flush()

    async def commit(self) -> None:
        if self._pending():
            await self._open()
        self._end(self._session.commit)

    async def rollback(self) -> None:
        self._end(self._session.rollback)

    async def close(self) -> None:
        self._end(self._session.close)

    def in_transaction(self) -> bool:
        return self._held or self._session.in_transaction()

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[DirectSession]:
        """Commits on leaving, rolls back on an error, as `async with AsyncSession.begin()`."""
        try:
            yield self
        except BaseException:
            await self.rollback()
            raise
        await self.commit()


async def _begin_immediate(connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, retried while another connection writes, like busy_timeout but not blocking."""
    pauses = None
    while True:
        try:
            connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            pauses = pauses or _pauses()
            pause = next(pauses, None)
            if pause is None:
                raise
        await asyncio.sleep(pause)
