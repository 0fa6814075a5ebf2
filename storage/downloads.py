"""The one-time download links' table: issue, purge, and claim with one conditional UPDATE."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.downloads import Claim, StoredDownload
from storage.db import Database, store_opener
from storage.export_queries import AccessLogging
from storage.models import DownloadToken


class SqlDownloadStore(AccessLogging):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def commit(self) -> None:
        await self.session.commit()

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


def download_store_factory(database: Database) -> Any:
    """Returns a callable opening a download store whose session rolls back unless committed."""
    return store_opener(database, SqlDownloadStore)
