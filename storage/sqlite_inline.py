"""aiosqlite's connection with statements run in the event loop's own thread.

aiosqlite hands every statement, begin and commit to a worker thread and
back. For this database a statement is a few microseconds of C (WAL,
synchronous=NORMAL: a commit writes the log without waiting for the disk),
while each hand-off costs two thread switches and lets the event loop run
every other ready task before the caller resumes: with 100 users at once an
answer waited behind 99 others once per statement. SQLAlchemy's row
processing already runs on the loop, so running the C part there too is
cheaper and keeps an update's latency its own.

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
import sqlite3
import time
from collections.abc import Callable
from typing import Any

import aiosqlite

BUSY_WAIT = 5.0
FIRST_PAUSE = 0.001
LONGEST_PAUSE = 0.05
RETRIED = frozenset({"execute", "executemany", "commit"})
"""Calls that start over cleanly when refused as busy; a half-read result would not."""


class InlineConnection(aiosqlite.Connection):
    """Runs statements inline; the worker thread only opens the connection and
    serves SQLAlchemy's rare direct uses of it (setting the isolation level)."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        deadline = None
        pause = FIRST_PAUSE
        while True:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or getattr(fn, "__name__", "") not in RETRIED:
                    raise
                now = time.monotonic()
                deadline = deadline or now + BUSY_WAIT
                if now >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """Busy, but not the stale-snapshot kind that no retry can cure."""
    code = getattr(error, "sqlite_errorcode", 0)
    return code & 0xFF == sqlite3.SQLITE_BUSY and code != sqlite3.SQLITE_BUSY_SNAPSHOT


def connector(database: str) -> Callable[[], Any]:
    """The `async_creator` for SQLAlchemy: opens `database` as an InlineConnection.

    Only the URL's path is used; query options (`?mode=ro`, …) are not passed on.
    """

    async def connect() -> InlineConnection:
        def open_file() -> sqlite3.Connection:
            # timeout=0: even the connection's first PRAGMA must not wait inside SQLite.
            return sqlite3.connect(database, timeout=0, check_same_thread=False)

        return await InlineConnection(open_file, iter_chunk_size=64)

    return connect
