"""Documents: the access log and the one-time download links.

A link is claimed with one conditional UPDATE, and its file leaves the database
with the claim. Nothing here commits: the unit of work does (storage.uow).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)

from bot.services.downloads import Claim, StoredDownload
from bot.services.export_ports import AccessRow
from storage.db import DbSession
from storage.models import (
    AccessLog,
    DownloadToken,
)


class DocumentRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def add_access(
        self,
        *,
        actor_id: int | None,
        action: str,
        target: str,
        detail: dict[str, Any],
        now: datetime,
    ) -> None:
        await self.session.execute(
            insert(AccessLog).values(
                actor_id=actor_id, action=action, target=target[:60], detail=detail, at=now
            )
        )

    async def access_log(self, limit: int) -> Sequence[AccessRow]:
        rows = await self.session.scalars(
            select(AccessLog).order_by(AccessLog.id.desc()).limit(limit)
        )
        return [
            AccessRow(
                id=r.id,
                actor_id=r.actor_id,
                action=r.action,
                target=r.target,
                detail=dict(r.detail or {}),
                at=r.at,
            )
            for r in rows
        ]

    async def add_download(
        self,
        *,
        token_hash: str,
        data: bytes,
        filename: str,
        requester_id: int,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        self.session.add(
            DownloadToken(
                token_hash=token_hash,
                data=data,
                filename=filename,
                requester_id=requester_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
        await self.session.flush()

    async def purge_downloads(self, now: datetime) -> int:
        result = await self.session.execute(
            delete(DownloadToken).where(DownloadToken.expires_at < now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def claim_download(
        self, token_hash: str, now: datetime
    ) -> tuple[Claim, StoredDownload | None]:
        claimed = await self.session.execute(
            update(DownloadToken)
            .where(
                DownloadToken.token_hash == token_hash,
                DownloadToken.used_at.is_(None),
                DownloadToken.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            known = await self.session.scalar(
                select(DownloadToken.id).where(DownloadToken.token_hash == token_hash)
            )
            return (Claim.UNKNOWN if known is None else Claim.GONE), None
        row = (
            await self.session.execute(
                select(
                    DownloadToken.token_hash,
                    DownloadToken.filename,
                    DownloadToken.data,
                    DownloadToken.requester_id,
                ).where(DownloadToken.token_hash == token_hash)
            )
        ).one()
        # The file is served once: it leaves the database with the claim.
        await self.session.execute(
            update(DownloadToken)
            .where(DownloadToken.token_hash == token_hash)
            .values(data=None)
            .execution_options(synchronize_session=False)
        )
        return Claim.OK, StoredDownload(
            token_hash=row.token_hash,
            filename=row.filename,
            data=row.data or b"",
            requester_id=row.requester_id,
        )
