"""The access log: every export and every full-record view, and the bureau's look at it.

A row says who (Telegram id, or None for the command line), what, which
record or scope (ids and codes, never personal data), with which filters and
how many rows, and when. Rows are only ever added.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.errors import NotAllowed
from bot.domain.exports import Access, is_bureau
from bot.services.export_ports import AccessRow
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.services.roles import grants_of
from bot.texts import exports as t

log = logging.getLogger(__name__)

MAX_ENTRIES = 200


@dataclass(frozen=True)
class AccessEntries:
    rows: Sequence[AccessRow]
    """Newest first."""
    names: dict[int, str]
    """Actor id → name, for the actors among the rows."""


async def record(
    uow: UnitOfWork,
    *,
    actor_id: int | None,
    action: Access,
    target: str,
    detail: dict[str, Any],
    now: datetime,
) -> None:
    """Adds a row in the caller's open unit of work: it commits with the read it describes."""
    await uow.documents.add_access(
        actor_id=actor_id, action=action.value, target=target, detail=detail, now=now
    )
    log.info("access %s %s by %s %s", action.value, target, actor_id, detail)


async def record_view(uow: UnitOfWork, *, actor_id: int, app_id: int, now: datetime) -> None:
    """A reviewer or admin opened every field of an application (查看全部); commits the caller's unit of work."""
    await record(
        uow,
        actor_id=actor_id,
        action=Access.VIEW_FULL_RECORD,
        target=f"application:{app_id}",
        detail={},
        now=now,
    )
    await uow.commit()


async def recent(
    uows: UnitOfWorkFactory,
    limit: int = 20,
    *,
    actor_id: int | None = None,
    admin_ids: Iterable[int] = (),
) -> AccessEntries:
    """The newest entries, newest first: for bureau admins (`actor_id` None: the command line)."""
    async with uows() as uow:
        if actor_id is not None and not is_bureau(await grants_of(uow, actor_id, admin_ids)):
            raise NotAllowed(t.BUREAU_ONLY)
        rows = await uow.documents.access_log(max(1, min(limit, MAX_ENTRIES)))
        names = await uow.people.person_names([r.actor_id for r in rows if r.actor_id is not None])
    return AccessEntries(rows, names)
