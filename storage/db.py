"""Engine and session factory; nothing connects at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    from storage.sqlite_direct import DirectSession


def create_engine(url: str, pool_size: int = 1) -> AsyncEngine:
    """Builds the engine; SQLite gets WAL, foreign keys and one connection by default.

    SQLite has one writer: several connections only contend for its lock
    (measured: slower, and "database is locked" under load), so updates queue
    for the one connection instead. Sessions always end their own
    transaction, so the pool's extra rollback on return is skipped: one
    round trip less per update. SQLite statements run in the event loop's
    thread (see storage.sqlite_inline). pool_size 0 opens a connection per
    use and keeps none.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if pool_size == 0:
            return create_async_engine(url, poolclass=NullPool)
        return create_async_engine(url, pool_pre_ping=True, pool_size=max(pool_size, 5))
    from storage import sqlite_inline

    inline = sqlite_inline.engine_options(parsed.database or ":memory:")
    if pool_size == 0:
        engine = create_async_engine(url, poolclass=NullPool, **inline)
    else:
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=0,
            pool_timeout=60,
            pool_reset_on_return=None,
            **inline,
        )
    event.listen(engine.sync_engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL + synchronous=NORMAL: a commit survives a killed process (not a power cut mid-write).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Never wait for the write lock inside SQLite: that would block the event loop.
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def session_scope(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession | DirectSession]:
    """A session closed on exit, for the per-update paths.

    A SQLite file gets a DirectSession (see storage.sqlite_direct): the
    same statements without a greenlet around each. Other databases get an
    AsyncSession, closed in a task of its own so that a cancellation cannot
    cut the close short.
    """
    from storage.sqlite_direct import direct_database

    bind = sessionmaker.kw.get("bind")
    direct = direct_database(bind) if bind is not None else None
    if direct is None:
        async with sessionmaker() as protected:
            yield protected
        return
    session = direct.session()
    try:
        yield session
    finally:
        if session.in_transaction():
            await session.close()


StoreT = TypeVar("StoreT")


def store_opener(
    sessionmaker: async_sessionmaker[AsyncSession],
    make: Callable[[AsyncSession | DirectSession], StoreT],
) -> Callable[[], Any]:
    """A callable opening `make(session)` in a session that rolls back unless committed."""

    @asynccontextmanager
    async def open_store() -> AsyncIterator[StoreT]:
        async with session_scope(sessionmaker) as session:
            yield make(session)

    return open_store
