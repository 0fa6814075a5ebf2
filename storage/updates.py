"""Update ids already taken in, so that an update Telegram delivers twice is handled once.

Telegram retries a webhook delivery it saw no 2XX answer for, and with several
instances behind a load balancer a retry may land on another process
(security checklist §2.2). The id is claimed before the handlers run: a
delivery that crashes half-way is not run again, which for this bot is the
safer side (every handler's writes are checked against the current state).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Database, core
from storage.models import Base


class ProcessedUpdate(Base):
    """One Telegram update id this bot has taken in."""

    __tablename__ = "processed_update"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(index=True)
    """When the first delivery arrived; rows older than a few days are pruned."""


async def claim_update(database: Database, update_id: int, now: datetime) -> bool:
    """Records the id; False when an earlier delivery (in any process) already did.

    One statement on every webhook update: a single write, no transaction around it."""
    insert = pg_insert if database.dialect_name == "postgresql" else sqlite_insert
    claim = (
        insert(ProcessedUpdate.__table__)
        .values(update_id=update_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["update_id"])
    )
    async with database.session(single_write=True) as session:
        result = await core(session, claim)
        await session.commit()
    return result.rowcount == 1


async def forget_updates_before(database: Database, moment: datetime) -> int:
    """Deletes claims older than `moment` (Telegram keeps retrying for far less); returns how many."""
    async with database.session() as session, session.begin():
        result = await session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.received_at < moment)
        )
    return result.rowcount
