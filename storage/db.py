"""The database: one way to open a session, the same for every caller, on SQLite and PostgreSQL.

`Database.session()` gives what repositories talk to: the part of
AsyncSession's interface they use, over one connection. Core statements run
on the connection itself; an ORM session joins its transaction only when a
repository uses the ORM (most units of work never do). On PostgreSQL that is
a pooled AsyncConnection (`ServerSession`); on SQLite one synchronous
Connection run in the event loop's thread (`SqliteSession`). Both are public
SQLAlchemy APIs; nothing here reaches into a driver.

Why SQLite runs in the loop: its statements take microseconds, and every
hop to aiosqlite's worker thread made an answer wait behind all other ready
tasks once per statement (measured: 0.11× bare echo against 0.27× in the
loop, p50 101 ms against 0.45 ms). Two things a thread gave must be kept:

- Waiting for another process's write lock must not block the loop: a
  transaction starts with BEGIN IMMEDIATE, tried without waiting inside
  SQLite (busy_timeout 0) and retried after asynchronous pauses. Once it
  holds the lock, nothing in the transaction can be refused as busy.
- One session at a time on the one connection: an asyncio lock is held
  from the session's start to its end. A session opened again in the task
  that holds one is a bug (it would wait for itself) and raises at once.

The Connection stays open between sessions (a pool checkout and reset per
unit of work cost about 25 µs of an answer's 200); whatever a session
leaves open is rolled back when it gives the connection back.

On both databases a session's reads before its first write run on their
own, outside a transaction: under READ COMMITTED (PostgreSQL's default)
each statement sees its own snapshot anyway, so a transaction around them
adds only its BEGIN and COMMIT round trips. The transaction begins at the
first write (or the first ORM call on PostgreSQL). A session opened with
`single_write=True` never begins one: its one write statement commits by
itself, so an answer on PostgreSQL is two round trips (the load and the
conditional update). It was seven: the pool's pre-ping (BEGIN, a ping and
ROLLBACK outside autocommit), BEGIN, the load, the update and COMMIT.
Connections are pinged only after they rested in the pool (`_ping_when_rested`),
and a session's first statement, a read, is retried once on a new connection
if the pooled one turns out cut.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, TextClause, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InvalidatePoolError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool, StaticPool

T = TypeVar("T")

CHECKOUT_TIMEOUT = 60.0
"""How long a session waits for the connection (SQLite) or the write lock before it fails."""
PING_AFTER_IDLE = 30.0
"""Seconds a pooled PostgreSQL connection may rest before it is pinged at checkout."""
ISOLATION = "READ COMMITTED"
"""PostgreSQL's level for a unit of work's transaction: the design's (reads before the first
write run on their own, writes are guarded by versions), whatever the server's default."""
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class Database:
    """Sessions on one database; nothing connects until the first one."""

    url: URL
    dialect_name: str

    def session(self, *, single_write: bool = False) -> Any:
        """An async context manager giving a session that rolls back unless committed.

        `single_write`: the session writes at most one statement, a Core one, and
        nothing after it but the commit. It runs without a transaction and that
        statement commits by itself; a second write raises.
        """
        raise NotImplementedError

    def __call__(self) -> Any:
        """`database()` is `database.session()`, as an async_sessionmaker is called."""
        return self.session()

    @property
    def sync_engine(self) -> Engine:
        """The synchronous Engine underneath, for engine events (tests count statements)."""
        raise NotImplementedError

    async def run_sync(self, work: Callable[[Connection], T], *, schema_change: bool = False) -> T:
        """Runs `work` on a synchronous Connection in one transaction, committed after it."""
        raise NotImplementedError

    async def dispose(self) -> None:
        raise NotImplementedError

    def url_string(self) -> str:
        return self.url.render_as_string(hide_password=False)


def create_database(url: str, pool_size: int = 10) -> Database:
    """The database at `url`: a SQLite file (or :memory:), or a server through asyncpg.

    `pool_size`: the server connections kept, and the most open at once (a use case
    holds one only while its statements run); 0 opens one per session and keeps none
    (the CLI).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SqliteDatabase(parsed)
    return ServerDatabase(parsed, pool_size)


class _UnitSession:
    """What both sessions share: `begin()` as AsyncSession has it, and the single-write rule."""

    single_write = False
    _wrote = False

    def _one_write(self) -> None:
        """Counts the write of a single-write session: a second one is a bug in the use case."""
        if self._wrote:
            raise RuntimeError("a single_write session wrote twice: open it without single_write")
        self._wrote = True

    def _no_orm_writes(self) -> None:
        """A single-write session's one write is a Core statement; ORM objects would be flushed late."""
        if self.single_write:
            raise RuntimeError("a single_write session writes one Core statement, not ORM objects")

    async def commit(self) -> None:
        raise NotImplementedError

    async def rollback(self) -> None:
        raise NotImplementedError

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[Any]:
        """Commits at the end of the block, or rolls back on an error, as AsyncSession.begin()."""
        try:
            yield self
        except BaseException:
            await self.rollback()
            raise
        await self.commit()


# PostgreSQL ------------------------------------------------------------------------


class ServerDatabase(Database):
    """Sessions over a pool; a connection is checked out from a session's first statement to its end.

    Connections rest in the pool in autocommit: a session's reads run on their
    own, and `ServerSession` switches its connection to READ COMMITTED before
    its first write. The pool sets it back at checkin.
    """

    def __init__(self, url: URL, pool_size: int) -> None:
        self.url = url
        self.dialect_name = url.get_backend_name()
        if pool_size == 0:
            self.engine: AsyncEngine = create_async_engine(
                url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
            )
        else:
            # No overflow: under a steady load the pool's overflow connections were closed
            # as soon as they came back and opened again a moment later, each a new
            # asyncpg connection (TLS probe, startup, type codecs) costing several round
            # trips; 54-158 of them per 3,700 updates.
            self.engine = create_async_engine(
                url, isolation_level="AUTOCOMMIT", pool_size=pool_size, max_overflow=0
            )
            _ping_when_rested(self.engine.sync_engine)

    def session(self, *, single_write: bool = False) -> ServerSession:
        return ServerSession(self.engine, single_write=single_write)

    @property
    def sync_engine(self) -> Engine:
        return self.engine.sync_engine

    async def run_sync(self, work: Callable[[Connection], T], *, schema_change: bool = False) -> T:
        async with self.engine.connect() as connection:
            await connection.execution_options(isolation_level=ISOLATION)
            async with connection.begin():
                return await connection.run_sync(work)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _ping_when_rested(engine: Engine) -> None:
    """Pings a connection at checkout when it has rested in the pool a while, not every time.

    pool_pre_ping would cost a round trip on every checkout, one of an answer's
    three. A connection that was in use seconds ago is as good as a ping; one
    that rested may have been cut (a server restart, a firewall's idle timeout).
    A failed ping replaces every pooled connection at once, as after a restart.
    One cut while resting less than that is caught by the retry of the session's
    first read (`ServerSession._read`).
    """

    def rested_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["rested_from"] = time.monotonic()

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("rested_from", 0.0) < PING_AFTER_IDLE:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:
            raise InvalidatePoolError("a pooled connection did not answer a ping")

    event.listen(engine, "connect", rested_from)
    event.listen(engine, "checkin", rested_from)
    event.listen(engine, "checkout", check)


class ServerSession(_UnitSession):
    """AsyncSession's interface on one pooled AsyncConnection, as SqliteSession on SQLite.

    Core statements go to the connection: one await each, where the
    AsyncSession's layer adds a hop per statement and per commit. Reads run
    in the pool's autocommit until the first write or ORM call; then the
    connection takes READ COMMITTED and a transaction begins (the driver
    sends BEGIN, a round trip of its own, before the next statement). An AsyncSession joins
    that transaction on the first ORM call; objects added before it are
    handed to it then. A single-write session stays in autocommit.
    """

    def __init__(self, engine: AsyncEngine, *, single_write: bool = False) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._orm: AsyncSession | None = None
        self._added: list[object] = []
        self._in_transactions = False
        self.single_write = single_write

    async def __aenter__(self) -> ServerSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def bind(self) -> Engine:
        return self._engine.sync_engine

    async def _connected(self) -> AsyncConnection:
        if self._connection is None:
            self._connection = await self._engine.connect()
        return self._connection

    async def _transactional(self) -> AsyncConnection:
        """The connection out of autocommit: from now on the driver begins a transaction before
        the next statement, and the commit ends it."""
        connection = await self._connected()
        if not self._in_transactions:
            if connection.in_transaction():
                await connection.commit()  # the reads' autocommit block: nothing to send
            await connection.execution_options(isolation_level=ISOLATION)
            self._in_transactions = True
        return connection

    async def _for_write(self) -> AsyncConnection:
        if self.single_write:
            self._one_write()
            return await self._connected()
        return await self._transactional()

    async def _session(self, writes: bool = False) -> AsyncSession:
        if writes or self._pending():
            self._no_orm_writes()
        if self._orm is None:
            connection = await (self._connected() if self.single_write else self._transactional())
            if not connection.in_transaction():
                await connection.begin()  # for the AsyncSession to join, not to begin its own
            self._orm = AsyncSession(
                bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"
            )
        if self._added:
            self._orm.add_all(self._added)
            self._added.clear()
        return self._orm

    def _pending(self) -> bool:
        orm = self._orm
        return bool(self._added) or (orm is not None and bool(orm.new or orm.dirty or orm.deleted))

    async def _read(self, statement: Any, params: Any) -> Any:
        """A Core read. The session's first statement is retried once on a new connection if
        the pooled one turns out cut (a server restart): nothing was done on it yet."""
        first = self._connection is None
        try:
            return await (await self._connected()).execute(statement, params)
        except DBAPIError as error:
            if not (first and error.connection_invalidated):
                raise
        cut, self._connection = self._connection, None
        if cut is not None:
            await cut.close()
        return await (await self._connected()).execute(statement, params)

    async def execute(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return await (await self._session(_writes(statement))).execute(statement, params, **kw)

    async def scalar(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return await (await self._session(_writes(statement))).scalar(statement, params, **kw)

    async def scalars(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return await (await self._session(_writes(statement))).scalars(statement, params, **kw)

    async def get(self, entity: Any, ident: Any, **kw: Any) -> Any:
        return await (await self._session()).get(entity, ident, **kw)

    def add(self, instance: object) -> None:
        self._no_orm_writes()
        if self._orm is not None:
            self._orm.add(instance)
        else:
            self._added.append(instance)

    def add_all(self, instances: Any) -> None:
        for instance in instances:
            self.add(instance)

    async def delete(self, instance: object) -> None:
        await (await self._session(writes=True)).delete(instance)

    async def flush(self) -> None:
        if self._pending():
            await (await self._session()).flush()

    async def commit(self) -> None:
        await self.flush()
        await self._end_orm()
        if self._connection is not None:
            await self._connection.commit()

    async def rollback(self) -> None:
        self._added.clear()
        await self._end_orm()
        if self._connection is not None:
            await self._connection.rollback()

    async def _end_orm(self) -> None:
        """The transaction ends: the AsyncSession goes (its objects keep what they loaded)."""
        if self._orm is not None:
            orm, self._orm = self._orm, None
            await orm.close()

    async def close(self) -> None:
        """Gives the connection back to the pool, which rolls back what was not committed."""
        self._added.clear()
        await self._end_orm()
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()

    async def run_sync(self, work: Callable[..., T], *args: Any, **kw: Any) -> T:
        return await (await self._session(writes=True)).run_sync(work, *args, **kw)

    async def connection(self) -> ServerConnection:
        """The session's connection, for Core statements (as AsyncSession.connection())."""
        return ServerConnection(self)

    def in_transaction(self) -> bool:
        return self._connection is not None and self._connection.in_transaction()


class ServerConnection:
    """Core statements on a ServerSession's connection, after flushing what the ORM holds."""

    def __init__(self, session: ServerSession) -> None:
        self._session = session

    async def execute(self, statement: Any, params: Any = None) -> Any:
        session = self._session
        await session.flush()
        if _writes(statement):
            return await (await session._for_write()).execute(statement, params)
        return await session._read(statement, params)

    async def scalar(self, statement: Any, params: Any = None) -> Any:
        return (await self.execute(statement, params)).scalar()


# SQLite ------------------------------------------------------------------------------


class SqliteDatabase(Database):
    """One pysqlite connection, kept open, lent to one session at a time (see the module)."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.dialect_name = "sqlite"
        path = url.database or ":memory:"
        self.engine: Engine = create_sync_engine(
            f"sqlite:///{path}",
            poolclass=StaticPool,
            connect_args={"timeout": 0, "check_same_thread": False},
        )
        event.listen(self.engine, "connect", _sqlite_connected)
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None
        self._connection: Connection | None = None

    async def _lend(self) -> Connection:
        """The connection, once the session before has given it back."""
        task = asyncio.current_task()
        if task is not None and self._holder is task:
            raise RuntimeError("a database session is already open in this task")
        if self._lock.locked():
            async with asyncio.timeout(CHECKOUT_TIMEOUT):
                await self._lock.acquire()
        else:
            await self._lock.acquire()  # free: taken at once, without a timer
        self._holder = task
        try:
            if self._connection is None or self._connection.closed or self._connection.invalidated:
                self._connection = self.engine.connect()
        except BaseException:
            self._holder = None
            self._lock.release()
            raise
        return self._connection

    def _give_back(self) -> None:
        """Ends whatever transaction is left and frees the connection for the next session."""
        try:
            if self._connection is not None and self._connection.in_transaction():
                self._connection.rollback()
        finally:
            self._holder = None
            self._lock.release()

    def session(self, *, single_write: bool = False) -> SqliteSession:
        return SqliteSession(self, single_write=single_write)

    @property
    def sync_engine(self) -> Engine:
        return self.engine

    async def run_sync(self, work: Callable[[Connection], T], *, schema_change: bool = False) -> T:
        """`schema_change`: foreign keys are off while tables are rebuilt (SQLite cannot do it
        with them on) and checked as a whole before the commit."""
        connection = await self._lend()
        try:
            if schema_change:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                await begin_immediate(connection)
                result = work(connection)
                if schema_change:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        connection.rollback()
                        raise RuntimeError(f"the schema change breaks foreign keys: {broken[:5]}")
                connection.commit()
            finally:
                if schema_change:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            return result
        finally:
            self._give_back()

    async def dispose(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.engine.dispose()


def _sqlite_connected(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL + synchronous=NORMAL: a commit survives a killed process (not a power cut mid-write).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Never wait for the write lock inside SQLite: that would block the event loop.
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()
    # pysqlite would BEGIN (deferred) by itself before a write; sessions begin themselves.
    dbapi_connection.isolation_level = None


async def begin_immediate(connection: Connection) -> None:
    """BEGIN IMMEDIATE, retried after asynchronous pauses while another process writes."""
    await _when_free(connection, lambda: connection.exec_driver_sql("BEGIN IMMEDIATE"))


async def _when_free(connection: Connection, attempt: Callable[[], T]) -> T:
    """`attempt()`, retried after asynchronous pauses while SQLite refuses it as busy.

    Only for what takes the write lock first or not at all (BEGIN IMMEDIATE, a
    statement on its own): a refusal then has changed nothing.
    """
    try:
        return attempt()
    except OperationalError as error:
        _unless_busy(connection, error)
    pause = 0.001
    async with asyncio.timeout(CHECKOUT_TIMEOUT):
        while True:
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)
            try:
                return attempt()
            except OperationalError as error:
                _unless_busy(connection, error)


def _unless_busy(connection: Connection, error: OperationalError) -> None:
    """Re-raises anything but "busy"; after "busy", ends the refused attempt's transaction."""
    if getattr(error.orig, "sqlite_errorcode", None) not in _BUSY_CODES:
        raise error
    connection.rollback()


class SqliteSession(_UnitSession):
    """The part of AsyncSession's interface that repositories use, on one SQLite Connection.

    Core statements run on the Connection itself; an ORM Session is made on
    the first ORM call, joined to the Connection's transaction. Most units of
    work never make one: a Session costs more than SQLite's work for an answer.

    Reads before the first write run on their own, as pysqlite's own
    transactions would have them, so a session that only reads never keeps
    another connection from writing. Before the first write (a DML
    statement, or a flush of pending objects) the session takes SQLite's
    write lock with BEGIN IMMEDIATE; from then on nothing in the transaction
    can be refused as busy. Commit and rollback end it. A single-write
    session's write runs on its own, as its reads do, retried while busy.
    """

    def __init__(self, database: SqliteDatabase, *, single_write: bool = False) -> None:
        self._database = database
        self._orm: Session | None = None
        self.single_write = single_write

    async def __aenter__(self) -> SqliteSession:
        self._connection = await self._database._lend()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            self._end_orm()
        finally:
            self._database._give_back()

    @property
    def sync_session(self) -> Session:
        """The ORM Session, in the Connection's transaction; it never commits on its own."""
        if self._orm is None:
            if not self._connection.in_transaction():
                self._connection.begin()
            self._orm = Session(
                bind=self._connection,
                expire_on_commit=False,
                join_transaction_mode="rollback_only",
            )
        return self._orm

    @property
    def bind(self) -> Engine:
        return self._connection.engine

    def _pending(self) -> bool:
        orm = self._orm
        return orm is not None and bool(orm.new or orm.dirty or orm.deleted)

    async def _lock_for_write(self) -> None:
        if not self._connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            await begin_immediate(self._connection)

    async def _ready(self, writes: bool = False) -> Session:
        """The ORM Session, holding the write lock first if this call may write."""
        if writes or self._pending():
            self._no_orm_writes()
            await self._lock_for_write()
        return self.sync_session

    async def execute(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return (await self._ready(_writes(statement))).execute(statement, params, **kw)

    async def scalar(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return (await self._ready(_writes(statement))).scalar(statement, params, **kw)

    async def scalars(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        return (await self._ready(_writes(statement))).scalars(statement, params, **kw)

    async def get(self, entity: Any, ident: Any, **kw: Any) -> Any:
        return (await self._ready()).get(entity, ident, **kw)

    def add(self, instance: object) -> None:
        self._no_orm_writes()
        self.sync_session.add(instance)

    def add_all(self, instances: Any) -> None:
        for instance in instances:
            self.add(instance)

    async def delete(self, instance: object) -> None:
        (await self._ready(writes=True)).delete(instance)

    async def flush(self) -> None:
        if self._pending():
            (await self._ready()).flush()

    async def commit(self) -> None:
        await self.flush()
        self._end_orm()
        self._connection.commit()

    async def rollback(self) -> None:
        self._end_orm()
        self._connection.rollback()

    def _end_orm(self) -> None:
        """The transaction ends: the Session goes (its objects keep what they loaded)."""
        if self._orm is not None:
            self._orm.close()
            self._orm = None

    async def close(self) -> None:
        self._end_orm()

    async def run_sync(self, work: Callable[..., T], *args: Any, **kw: Any) -> T:
        return work(await self._ready(writes=True), *args, **kw)

    async def connection(self) -> SqliteConnection:
        """The session's connection, for Core statements (as AsyncSession.connection())."""
        return SqliteConnection(self)

    def in_transaction(self) -> bool:
        return self._connection.in_transaction()


class SqliteConnection:
    """Core statements on a SqliteSession's connection, without the ORM layer around each.

    The same call as AsyncConnection.execute; what the ORM Session holds is
    flushed first, as the Session would before any statement.
    """

    def __init__(self, session: SqliteSession) -> None:
        self._session = session

    async def execute(self, statement: Any, params: Any = None) -> Any:
        session = self._session
        await session.flush()
        connection = session._connection
        if _writes(statement):
            if session.single_write:
                session._one_write()
                return await _when_free(connection, lambda: connection.execute(statement, params))
            await session._lock_for_write()
        return connection.execute(statement, params)

    async def scalar(self, statement: Any, params: Any = None) -> Any:
        return (await self.execute(statement, params)).scalar()


async def core(session: DbSession, statement: Any, params: Any = None) -> Any:
    """Runs a Core statement on the unit of work's connection: the ORM layer costs more than SQLite.

    For statements that return rows: built on tables, or on a mapped class's columns,
    never selecting a whole mapped class (that would come back as a row, not an
    object). An update or delete here does not refresh objects the ORM Session
    already loaded; the repositories that use it load none of those rows as objects.
    """
    connection = await session.connection()
    return await connection.execute(statement, params)


def _writes(statement: Any) -> bool:
    """Whether a statement may write: DML, or any text that is not a plain SELECT.

    What is not a write runs outside the transaction until the first write, so a
    lock taken by a read (SELECT ... FOR UPDATE, an advisory lock) would be let go
    at once: take a lock with a write first, as `DrawRepository.lock_request` does.
    """
    if isinstance(statement, str | TextClause):
        return not str(statement).lstrip().upper().startswith(("SELECT", "WITH", "PRAGMA"))
    return not getattr(statement, "is_select", False)


DbSession = ServerSession | SqliteSession
"""What repositories hold: the session of one unit of work, on either database."""
