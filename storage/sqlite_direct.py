"""SQLite sessions that run in the event loop's thread without SQLAlchemy's greenlets.

SQLAlchemy's asyncio extension runs each call of an AsyncSession in a new
greenlet, around the same synchronous core. On SQLite, whose statements run
inline anyway (storage.sqlite_inline), that wrapping was most of a store's
cost. A typed answer's load, conditional update and commit took 740 µs
through an AsyncSession, 530–650 µs through a plain Session and 430–480 µs
on the plain Session's connection.

So the per-update stores get a `DirectSession` here: the part of
AsyncSession's interface they use, running statements straight on a
pysqlite connection to the same file, and those that load mapped objects
on a Session joined to its transaction (making one cost more than most
statements). Two things the greenlets gave must be kept:

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

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.exc import PendingRollbackError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from storage.sqlite_inline import call_when_free
from storage.sqlite_precompiled import Precompiled, precompile

CHECKOUT_TIMEOUT = 60.0
"""As the async pool's timeout: a session that never gets the connection fails instead of hanging."""
PRECOMPILED_KEPT = 256
"""Precompiled statements kept per database: one per statement and set of parameter names."""


@dataclass
class DirectDatabase:
    """One pysqlite connection to a SQLite file, kept open, and the lock that shares it."""

    engine: Engine
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _connection: Connection | None = None
    _disposed: bool = False
    """Disposed while a session held the connection: that session closes it when it ends."""
    _precompiled: dict[tuple[Any, frozenset[str]], Precompiled] = field(default_factory=dict)

    def precompiled(self, statement: Any, params: dict[str, Any]) -> Precompiled:
        """`statement` compiled for these parameter names, once (storage.sqlite_precompiled).

        Kept by statement object: a statement derived from a marked one on every
        call would be a new key each time, so the oldest entries make room.
        """
        key = (statement, frozenset(params))
        if key not in self._precompiled:
            if len(self._precompiled) >= PRECOMPILED_KEPT:
                del self._precompiled[next(iter(self._precompiled))]
            self._precompiled[key] = precompile(statement, self.engine.dialect, key[1])
        return self._precompiled[key]

    def session(self) -> DirectSession:
        return DirectSession(self)

    def connection(self) -> Connection:
        """The connection, opened on first use; only the lock's holder may use it."""
        if self._connection is None or self._connection.invalidated:
            self._connection = self.engine.connect()
        return self._connection

    def drop_connection(self) -> None:
        """Discards the connection after a failure; the next session opens a new one."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.invalidate()
            connection.close()

    def dispose(self) -> None:
        """Closes the connection, or has the session holding it close it as it ends.

        Closing it under a session would make that session's commit a silent no-op.
        """
        if self.lock.locked():
            self._disposed = True
        else:
            self._close()
        self.engine.dispose()

    def _close(self) -> None:
        self._disposed = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


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
        event.listen(key, "engine_disposed", lambda _engine: database.dispose())
    return _DATABASES[key]


def _sync_engine(path: str) -> Engine:
    engine = create_sync_engine(
        f"sqlite:///{path}",
        pool_size=1,
        max_overflow=0,
        pool_timeout=0,  # DirectDatabase keeps the one connection: a second checkout is a bug
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
    """The part of AsyncSession the stores use, run synchronously (see the module).

    Statements run on the connection itself; those that load mapped
    objects on a Session joined to its transaction, made only when one comes.
    """

    def __init__(self, database: DirectDatabase) -> None:
        self._database = database
        self._connection: Connection | None = None
        """The database's connection, under its lock from the first statement to the end."""
        self._orm: Session | None = None
        self._added: list[object] = []
        """Objects added before there was a connection; they join the ORM session with it."""
        self._writing = False
        self._results: list[Any] = []
        """Row results handed out; closed when the session ends, read to the end or not."""

    @property
    def bind(self) -> Engine:
        return self._database.engine

    async def _open(self, writes: bool) -> Connection:
        """The connection; and SQLite's write lock before the first write.

        Reads before the first write run on their own, as pysqlite's own
        transactions would have them: a session that only reads never keeps
        another connection (the FSM storage's) from writing. Pending ORM
        objects count as a write: any ORM statement may flush them.
        """
        if self._connection is None:
            async with asyncio.timeout(CHECKOUT_TIMEOUT):
                await self._database.lock.acquire()
            try:
                self._connection = self._database.connection()
            except BaseException:
                self._database.lock.release()
                raise
            # Begun at once (SQLAlchemy would at the first statement), so that a
            # rollback reaches SQLite whatever fails next, and an ORM session can join.
            self._connection.begin()
        connection = self._connection
        if self._writing:
            if not connection.connection.dbapi_connection.in_transaction:
                # A failed flush rolled SQLite's transaction back; AsyncSession refuses too.
                raise PendingRollbackError(
                    "this session's transaction was rolled back; roll back first"
                )
        elif writes or self._pending():
            try:
                # Like busy_timeout, but waiting asynchronously.
                await call_when_free(
                    connection.connection.dbapi_connection.execute, "BEGIN IMMEDIATE"
                )
            except BaseException:
                self._end(commit=False)
                raise
            self._writing = True
        return connection

    async def _session(self, writes: bool = False) -> Session:
        connection = await self._open(writes)
        if self._orm is None:
            # The session flushes into the connection's transaction; this class ends it.
            self._orm = Session(
                connection, expire_on_commit=False, join_transaction_mode="rollback_only"
            )
        if self._added:
            self._orm.add_all(self._added)
            self._added.clear()
        return self._orm

    def _pending(self) -> bool:
        orm = self._orm
        return bool(self._added) or (orm is not None and bool(orm.new or orm.dirty or orm.deleted))

    def _end(self, *, commit: bool) -> None:
        """Commits or rolls back, and gives the connection and the lock back."""
        connection, orm = self._connection, self._orm
        self._connection, self._orm, self._writing = None, None, False
        self._added.clear()
        # A half-read result would keep its read snapshot open on the shared connection.
        for result in self._results:
            result.close()
        self._results.clear()
        if connection is None:
            return
        try:
            try:
                if commit:
                    connection.commit()
                else:
                    connection.rollback()
            except BaseException:
                self._database.drop_connection()
                raise
            finally:
                if orm is not None:
                    orm.close()
        finally:
            if self._database._disposed:
                self._database._close()
            self._database.lock.release()

    async def _core(self, statement: Any) -> Connection:
        """The connection for a Core statement, after flushing what the ORM has pending.

        The Session would autoflush before any statement; a Core one must see those rows too.
        """
        await self.flush()
        return await self._open(_writes(statement))

    def _on_session(self, statement: Any) -> bool:
        """Whether `statement` runs on the ORM Session rather than on the connection.

        Only the Session can load mapped objects. Other statements that name
        mapped classes (column selects, inserts, updates) run as Core, unless
        the Session has objects, loaded or added: an ORM update keeps them in
        step, which Core would not.
        """
        has_objects = self._orm is not None or bool(self._added)
        return _is_orm(statement) and (has_objects or _loads_objects(statement))

    async def execute(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        if self._on_session(statement):
            orm = await self._session(_writes(statement))
            return orm.execute(statement, params, **_prebuffered(kw))
        connection = await self._core(statement)
        if isinstance(params, dict) and not kw and statement.get_execution_options().get("precompiled"):
            dbapi_connection = connection.connection.dbapi_connection
            return self._database.precompiled(statement, params).run(dbapi_connection, params)
        result = connection.execute(statement, params, **kw)
        if result.returns_rows:
            self._results.append(result)
        return result

    async def scalar(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        if self._on_session(statement):
            return (await self._session(_writes(statement))).scalar(statement, params, **kw)
        return (await self._core(statement)).scalar(statement, params, **kw)

    async def scalars(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        if self._on_session(statement):
            orm = await self._session(_writes(statement))
            return orm.scalars(statement, params, **_prebuffered(kw))
        return (await self.execute(statement, params, **kw)).scalars()

    async def get(self, entity: Any, ident: Any, **kw: Any) -> Any:
        return (await self._session()).get(entity, ident, **kw)

    def add(self, instance: object) -> None:
        if self._orm is None:
            self._added.append(instance)
        else:
            self._orm.add(instance)

    async def flush(self) -> None:
        if self._pending():
            (await self._session(writes=True)).flush()

    async def commit(self) -> None:
        await self.flush()
        self._end(commit=True)

    async def rollback(self) -> None:
        self._end(commit=False)

    async def close(self) -> None:
        self._end(commit=False)

    def in_transaction(self) -> bool:
        return self._connection is not None or bool(self._added)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[DirectSession]:
        """Commits on leaving, rolls back on an error, as `async with AsyncSession.begin()`."""
        try:
            yield self
        except BaseException:
            await self.rollback()
            raise
        await self.commit()


def _prebuffered(kw: dict[str, Any]) -> dict[str, Any]:
    """ORM results read to the end at execute, as AsyncSession has them."""
    return {**kw, "execution_options": {**kw.get("execution_options", {}), "prebuffer_rows": True}}


def _writes(statement: Any) -> bool:
    """Anything but a SELECT may write (DML, DDL, text): it must run inside the write transaction."""
    return not statement.is_select


def _loads_objects(statement: Any) -> bool:
    """Whether the rows of `statement` may hold mapped objects (`select(Person)`), not only columns.

    A statement SQLAlchemy cannot describe (a UNION, RETURNING a whole class) counts as loading them.
    """
    try:
        if statement.is_select:
            described = statement.column_descriptions
        else:
            described = statement.returning_column_descriptions
    except AttributeError:
        return True
    return any(not isinstance(d["type"], TypeEngine) for d in described)


def _is_orm(statement: Any) -> bool:
    """Whether `statement` names mapped classes, as the Session itself tells (Core ones name tables)."""
    return statement._propagate_attrs.get("compile_state_plugin") == "orm"
