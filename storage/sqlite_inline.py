"""SQLite for SQLAlchemy's asyncio engine, with statements run in the event loop's own thread.

aiosqlite hands every statement, begin and commit to a worker thread and
back. For this database a statement is a few microseconds of C (WAL,
synchronous=NORMAL: a commit writes the log without waiting for the disk),
while each hand-off costs two thread switches and lets the event loop run
every other ready task before the caller resumes: with 100 users at once an
answer waited behind 99 others once per statement.

So statements run inline, at two levels. `InlineConnection` is aiosqlite's
connection without the hand-off (the worker thread only opens the file).
`InlineAdapter` is what SQLAlchemy drives: its cursor calls sqlite3
directly. SQLAlchemy's stock adapter would await the aiosqlite connection
three times per statement (open the cursor, execute, close), each a
greenlet switch and an event-loop lock; measured here, that tripled the
cost of a prebuilt statement (220 µs against 80 µs).

Waiting for SQLite's write lock must not block the loop, though: the holder
may be another session of this process that needs the loop to reach its
commit. So the lock is never waited for inside SQLite (busy_timeout 0); a
statement refused as busy is retried after an asynchronous pause, up to
BUSY_WAIT seconds, like busy_timeout would. Retrying is sound here because
pysqlite begins a transaction at its first write: a busy refusal comes
before that transaction holds anything, or at COMMIT.
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

BUSY_WAIT = 5.0
FIRST_PAUSE = 0.001
LONGEST_PAUSE = 0.05
RETRIED = frozenset({"execute", "executemany", "commit"})
"""Calls that start over cleanly when refused as busy; a half-read result would not."""


def _pauses() -> Iterator[float]:
    """The pauses before each retry of a busy call: doubling, BUSY_WAIT seconds in all."""
    deadline = time.monotonic() + BUSY_WAIT
    pause = FIRST_PAUSE
    while time.monotonic() < deadline:
        yield pause
        pause = min(pause * 2, LONGEST_PAUSE)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """Busy, but not the stale-snapshot kind that no retry can cure."""
    code = getattr(error, "sqlite_errorcode", 0)
    return code & 0xFF == sqlite3.SQLITE_BUSY and code != sqlite3.SQLITE_BUSY_SNAPSHOT


def _call_retrying(call: Callable[..., Any], *args: Any) -> Any:
    """`call(*args)`, and if refused as busy, `call_when_free` run from SQLAlchemy's greenlet.

    Its pauses then suspend the greenlet, not the loop.
    """
    try:
        return call(*args)
    except sqlite3.OperationalError as error:
        if not _is_busy(error):
            raise
    return await_(call_when_free(call, *args))


async def call_when_free(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`call(...)`, retried after asynchronous pauses while another connection holds the write lock."""
    pauses = None
    while True:
        try:
            return call(*args, **kwargs)
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            pauses = pauses or _pauses()
            pause = next(pauses, None)
            if pause is None:
                raise
        await asyncio.sleep(pause)


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection running calls inline; the worker thread only opens the file.

    SQLAlchemy's statements bypass it (see InlineAdapter); what remains is
    closing, and what SQLAlchemy rarely asks of the driver connection itself.
    """

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        if getattr(fn, "__name__", "") not in RETRIED:
            return fn(*args, **kwargs)
        return await call_when_free(fn, *args, **kwargs)


class _Done:
    """An awaitable that is already finished: awaiting it never lets the loop run anything else."""

    def __await__(self) -> Iterator[None]:
        return iter(())


DONE = _Done()


class InlineCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's cursor adapter calling sqlite3 directly; rows are read at execute, as its own are."""

    __slots__ = ()
    _awaitable_cursor_close = False

    def _make_new_cursor(self, connection: Any) -> Any:
        return connection._conn.cursor()

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            result = _call_retrying(self._cursor.execute, operation, parameters or ())
            if self._cursor.description:
                self._rows = collections.deque(self._cursor.fetchall())
            # SQLAlchemy's AsyncConnection checks that a statement awaited something.
            await_(DONE)
            return result
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            result = _call_retrying(self._cursor.executemany, operation, seq_of_parameters)
            await_(DONE)
            return result
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def close(self) -> None:
        self._rows.clear()
        self._cursor.close()


class InlineAdapter(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection adapter with inline cursors, commit and rollback."""

    __slots__ = ()
    _cursor_cls = InlineCursor

    def commit(self) -> None:
        if self._connection._connection:
            try:
                _call_retrying(self._connection._conn.commit)
            except Exception as error:
                self._handle_exception(error)

    def rollback(self) -> None:
        if self._connection._connection:
            try:
                self._connection._conn.rollback()
            except Exception as error:
                self._handle_exception(error)


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given: it hands out InlineAdapters."""

    def connect(self, *arg: Any, **kw: Any) -> InlineAdapter:
        creator = kw.pop("async_creator_fn")
        return InlineAdapter(self, await_(creator(*arg, **kw)))


def engine_options(database: str) -> dict[str, Any]:
    """What `create_async_engine` needs to run `database` inline: the module and the connector.

    Only the URL's path is used; query options (`?mode=ro`, …) are not passed on.
    """

    async def connect() -> InlineConnection:
        def open_file() -> sqlite3.Connection:
            # timeout=0: even the connection's first PRAGMA must not wait inside SQLite.
            return sqlite3.connect(database, timeout=0, check_same_thread=False)

        return await InlineConnection(open_file, iter_chunk_size=64)

    return {"module": InlineDBAPI(aiosqlite, sqlite3), "async_creator": connect}
