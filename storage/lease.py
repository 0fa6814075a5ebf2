"""A named lease in the database: of several bot processes, one at a time does a job.

The reminder sweep must run in one process only, although every instance
behind the load balancer starts it. Each instance calls `acquire()` on every
tick; the one that holds the row (or finds it expired) renews it and works,
the others wait. A killed leader is replaced once its lease expires; one
that stops cleanly releases it, so another takes over at its next try. The
same table works on SQLite and PostgreSQL, so one code path is tested on both.

    lease = LeaderLease(database, "reminders", ttl=timedelta(minutes=3))
    await lead_while(lease, lambda until: run_reminders(..., until), stop)

Jobs run under a lease must still be idempotent: a leader that stalls for
longer than the ttl (a long pause, a lost network) can overlap its successor.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType

from sqlalchemy import String, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Database
from storage.models import Base

log = logging.getLogger(__name__)

_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class LeaseRecord(Base):
    """Who holds a named lease, and until when."""

    __tablename__ = "lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    """host:pid:random of the process that took it last."""
    expires_at: Mapped[datetime]
    """The holder must renew before this moment, or anyone may take the lease."""


class LeaderLease:
    """One process's claim on the lease `name`; use as `async with` to release it at the end."""

    def __init__(
        self,
        database: Database,
        name: str,
        *,
        ttl: timedelta = timedelta(minutes=3),
        holder: str | None = None,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._database = database
        self.name = name
        self.ttl = ttl
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._now = now
        self.held = False
        """Whether the latest `acquire()` made this process the leader."""

    async def acquire(self) -> bool:
        """Takes or renews the lease for `ttl` from now; False while another holder's is valid."""
        now = self._now()
        async with self._database.session() as session, session.begin():
            insert = pg_insert if self._database.dialect_name == "postgresql" else sqlite_insert
            await session.execute(
                insert(LeaseRecord)
                .values(name=self.name, holder="", expires_at=_NEVER)
                .on_conflict_do_nothing(index_elements=[LeaseRecord.name])
            )
            # One conditional UPDATE: PostgreSQL re-checks the condition after a
            # concurrent winner commits, SQLite serialises writers, so one wins.
            result = await session.execute(
                update(LeaseRecord)
                .where(
                    LeaseRecord.name == self.name,
                    or_(LeaseRecord.holder == self.holder, LeaseRecord.expires_at <= now),
                )
                .values(holder=self.holder, expires_at=now + self.ttl)
            )
        won = result.rowcount == 1
        if won != self.held:
            log.info(
                "lease %s",
                "taken" if won else "lost",
                extra={"fields": {"lease": self.name, "holder": self.holder}},
            )
        self.held = won
        return won

    async def release(self) -> None:
        """Lets another process take the lease at once instead of after the ttl."""
        if not self.held:
            return
        async with self._database.session() as session, session.begin():
            await session.execute(
                update(LeaseRecord)
                .where(LeaseRecord.name == self.name, LeaseRecord.holder == self.holder)
                .values(expires_at=_NEVER)
            )
        self.held = False

    async def __aenter__(self) -> LeaderLease:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await asyncio.shield(self.release())
        except Exception:
            log.warning("could not release lease %s; it expires by itself", self.name)


async def lead_while(
    lease: LeaderLease,
    work: Callable[[asyncio.Event], Awaitable[object]],
    stop: asyncio.Event,
    *,
    retry_every: float | None = None,
) -> None:
    """Runs `work(until)` in this process while it holds the lease, until `stop` is set.

    The lease is renewed every `retry_every` seconds (a third of the ttl by
    default); followers try to take it as often. `until` is set when `stop` is
    set or the lease is lost, and `work` must return soon after. A failing
    `work` or a database hiccup is logged; the process keeps competing.
    """
    every = retry_every if retry_every is not None else lease.ttl.total_seconds() / 3
    if every >= lease.ttl.total_seconds():
        raise ValueError("renew the lease well within its ttl")
    async with lease:
        while not stop.is_set():
            if not await _renew(lease):
                await _wait(stop, every)
                continue
            until = asyncio.Event()
            task = asyncio.create_task(work(until), name=f"lease:{lease.name}")
            while not task.done():
                await _wait(stop, every, task)
                if task.done():
                    break
                if stop.is_set() or not await _renew(lease):
                    until.set()
                    break
            try:
                await task
            except Exception:
                log.exception("work under lease %s failed", lease.name)
            if not until.is_set():
                await _wait(stop, every)


async def _renew(lease: LeaderLease) -> bool:
    try:
        return await lease.acquire()
    except Exception:
        log.exception("lease %s: database unavailable", lease.name)
        lease.held = False
        return False


async def _wait(
    stop: asyncio.Event, seconds: float, task: asyncio.Task[object] | None = None
) -> None:
    """Sleeps `seconds`, or less when `stop` is set or `task` ends."""
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait(
            {stopped, task} if task else {stopped},
            timeout=seconds,
            return_when=asyncio.FIRST_COMPLETED,
        )
    finally:
        stopped.cancel()


RUN_MARK = "bot-run"
"""The lease row that says whether the bot process that ran last stopped cleanly."""


async def mark_running(database: Database, holder: str, now: datetime) -> bool:
    """Records that this process serves updates; True when the one before ended without saying so.

    A clean stop clears the mark (`mark_stopped`). Found still set, the last
    process was killed (or another instance runs): questions it stored but may
    not have sent are then shown again (bot.services.applicant.ShownQuestions).
    """
    async with database.session() as session, session.begin():
        insert = pg_insert if database.dialect_name == "postgresql" else sqlite_insert
        await session.execute(
            insert(LeaseRecord)
            .values(name=RUN_MARK, holder="", expires_at=now)
            .on_conflict_do_nothing(index_elements=[LeaseRecord.name])
        )
        previous = await session.scalar(
            select(LeaseRecord.holder).where(LeaseRecord.name == RUN_MARK)
        )
        await session.execute(
            update(LeaseRecord)
            .where(LeaseRecord.name == RUN_MARK)
            .values(holder=holder, expires_at=now)
        )
    return bool(previous)


async def mark_stopped(database: Database, holder: str, now: datetime) -> None:
    """Clears the mark this process set, once every update in flight was answered."""
    async with database.session() as session, session.begin():
        await session.execute(
            update(LeaseRecord)
            .where(LeaseRecord.name == RUN_MARK, LeaseRecord.holder == holder)
            .values(holder="", expires_at=now)
        )

