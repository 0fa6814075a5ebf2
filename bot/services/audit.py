"""The access log: every export and every full-record view, and the bureau's look at it.

A row says who (Telegram id, or None for the command line), what, which
record or scope (ids and codes, never personal data), with which filters and
how many rows, and when. Rows are only ever added.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.errors import NotAllowed
from bot.domain.exports import Access, is_bureau
from bot.domain.review import Grant
from bot.services.export_ports import AccessRow, ExportStore
from bot.texts import exports as t

log = logging.getLogger(__name__)

MAX_ENTRIES = 200


async def record(
    store: ExportStore,
    *,
    actor_id: int | None,
    action: Access,
    target: str,
    detail: dict[str, Any],
    now: datetime,
) -> None:
    """Adds a row in the caller's transaction: it commits with the read it describes."""
    await store.add_access(
        actor_id=actor_id, action=action.value, target=target, detail=detail, now=now
    )
    log.info("access %s %s by %s %s", action.value, target, actor_id, detail)


async def record_view(store: ExportStore, *, actor_id: int, app_id: int, now: datetime) -> None:
    """A reviewer or admin opened every field of an application (查看全部); commits."""
    await record(
        store,
        actor_id=actor_id,
        action=Access.VIEW_FULL_RECORD,
        target=f"application:{app_id}",
        detail={},
        now=now,
    )
    await store.commit()


async def recent(
    store: ExportStore, grants: Sequence[Grant] | None, limit: int = 20
) -> Sequence[AccessRow]:
    """The newest entries, newest first: for bureau admins (or the command line) only."""
    if grants is not None and not is_bureau(grants):
        raise NotAllowed(t.BUREAU_ONLY)
    return await store.access_log(max(1, min(limit, MAX_ENTRIES)))
