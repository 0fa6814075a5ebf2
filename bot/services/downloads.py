"""One-time download links (EXPORT_DELIVERY=link): issue a link for a file, redeem it once.

The token in the link is 256 random bits; only its SHA-256 is stored, so a
copy of the database opens no link. A link works once and until it expires;
redeeming it is logged in the access log (action `download_link`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.exports import Access
from bot.services.repositories import UnitOfWorkFactory

log = logging.getLogger(__name__)

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
"""What `secrets.token_urlsafe(32)` makes; anything else is refused before any lookup."""


@dataclass(frozen=True, kw_only=True)
class StoredDownload:
    token_hash: str
    filename: str
    data: bytes
    requester_id: int


class Claim(StrEnum):
    """How an attempt to use a link went."""

    OK = "ok"
    UNKNOWN = "unknown"
    GONE = "gone"
    """Used already, or expired."""


@dataclass(frozen=True)
class Link:
    token: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(
    uows: UnitOfWorkFactory,
    *,
    data: bytes,
    filename: str,
    requester_id: int,
    now: datetime,
    ttl: timedelta,
) -> Link:
    """Stores the file under a fresh token (purging expired links first)."""
    token = secrets.token_urlsafe(32)
    expires_at = now + ttl
    async with uows() as uow:
        await uow.documents.purge_downloads(now)
        await uow.documents.add_download(
            token_hash=token_hash(token),
            data=data,
            filename=filename,
            requester_id=requester_id,
            now=now,
            expires_at=expires_at,
        )
        await uow.commit()
    log.info("download link issued to %s for %s, until %s", requester_id, filename, expires_at)
    return Link(token, expires_at)


async def redeem(
    uows: UnitOfWorkFactory, token: str, now: datetime
) -> tuple[Claim, StoredDownload | None]:
    """The file behind a token, once: unknown, used and expired tokens give no file; logged."""
    if not TOKEN_SHAPE.fullmatch(token):
        return Claim.UNKNOWN, None
    wanted = token_hash(token)
    async with uows() as uow:
        claim, download = await uow.documents.claim_download(wanted, now)
        if claim is not Claim.OK or download is None:
            await uow.commit()
            log.warning("download link refused: %s", claim.value)
            return claim, None
        if not hmac.compare_digest(download.token_hash, wanted):
            return Claim.UNKNOWN, None  # rolled back: the link stays unused
        await uow.documents.add_access(
            actor_id=download.requester_id,
            action=Access.DOWNLOAD_LINK.value,
            target=f"link:{wanted[:12]}",
            detail={"bytes": len(download.data)},
            now=now,
        )
        await uow.commit()
    return Claim.OK, download


async def purge_expired(uows: UnitOfWorkFactory, now: datetime) -> int:
    """Deletes the links that have expired (their files with them); returns how many."""
    async with uows() as uow:
        count = await uow.documents.purge_downloads(now)
        await uow.commit()
    return count
