"""The privacy half of the `Store` port: consent history, erasing personal fields, deleting drafts.

Mixed into `SqlStore`; like the rest of it, nothing here commits. Erasing
never deletes an audit event or an access-log row: it clears the answers
and keeps the name, so the trail still says who applied and what happened.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import keys
from bot.domain.form import FIELDS
from bot.services.privacy import ConsentEntry, ExpiredApplication
from storage.models import (
    Application,
    ApplicationEvent,
    ConsentNotice,
    ConsentRecord,
    Person,
    Photo,
)

KEPT_ON_PURGE = frozenset({keys.NAME, keys.SIGNATURE, keys.GROUP, keys.UNIT_NAME})
"""What an erased application still says: whose it was, which group and unit."""
ERASED_COLUMNS = tuple(
    dict.fromkeys(
        [f.key for f in FIELDS if f.key not in KEPT_ON_PURGE]
        + [keys.GENDER, keys.BIRTH_DATE, keys.FILLED_AT, "id_hash", "relaxation_reason"]
    )
)


_NOTICE = select(ConsentNotice.sha256).where(ConsentNotice.sha256 == bindparam("sha256"))
_ADD_NOTICE = insert(ConsentNotice.__table__)
_ADD_CONSENT = insert(ConsentRecord.__table__)


class PrivacyQueries:
    session: AsyncSession

    def _forget(self, app_id: int) -> None: ...  # provided by SqlStore

    async def add_consent_record(
        self,
        *,
        person_id: int,
        version: str,
        items: Sequence[str],
        action: str,
        notice: str | None,
        now: datetime,
    ) -> None:
        digest = hashlib.sha256(notice.encode()).hexdigest() if notice else None
        if notice and digest and await self.session.scalar(_NOTICE, {"sha256": digest}) is None:
            await self.session.execute(
                _ADD_NOTICE,
                {"sha256": digest, "version": version, "text": notice, "first_used_at": now},
            )
        await self.session.execute(
            _ADD_CONSENT,
            {
                "person_id": person_id,
                "version": version,
                "items": list(items),
                "action": action,
                "notice_sha256": digest,
                "at": now,
            },
        )

    async def consent_history(self, person_id: int) -> Sequence[ConsentEntry]:
        rows = await self.session.execute(
            select(ConsentRecord).where(ConsentRecord.person_id == person_id).order_by(ConsentRecord.id)
        )
        return [
            ConsentEntry(
                version=r.version,
                items=tuple(r.items),
                action=r.action,
                notice_sha256=r.notice_sha256,
                at=r.at,
            )
            for r in rows.scalars()
        ]

    async def clear_consent(self, person_id: int) -> None:
        """Forgets the current consent (the history keeps it), so /start asks again."""
        await self.session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(
                consent_version=None,
                consent_at=None,
                sensitive_consent_at=None,
                transfer_consent_at=None,
                username=None,
            )
        )

    async def expired_applications(
        self, statuses: Sequence[str], changed_before: datetime
    ) -> Sequence[ExpiredApplication]:
        rows = await self.session.execute(
            select(Application.id, Application.name, Application.status, Application.updated_at)
            .where(
                Application.status.in_(list(statuses)),
                Application.purged_at.is_(None),
                Application.updated_at < changed_before,
            )
            .order_by(Application.id)
        )
        return [
            ExpiredApplication(id=r.id, name=r.name or "", status=r.status, updated_at=r.updated_at)
            for r in rows
        ]

    async def erase_application(self, app_id: int, now: datetime) -> bool:
        """Clears the personal fields, the photo and the answer snapshots; False if already erased."""
        self._forget(app_id)
        result = await self.session.execute(
            update(Application)
            .where(Application.id == app_id, Application.purged_at.is_(None))
            .values(
                **dict.fromkeys(ERASED_COLUMNS),
                purged_at=now,
                version=Application.version + 1,
            )
        )
        if result.rowcount != 1:
            return False
        await self.session.execute(delete(Photo).where(Photo.application_id == app_id))
        await self.session.execute(
            update(ApplicationEvent)
            .where(ApplicationEvent.application_id == app_id)
            .values(changes=None)
        )
        return True

    async def delete_draft(self, app_id: int, version: int) -> bool:
        """Deletes a draft outright (photo with it); False if it changed or was submitted meanwhile."""
        self._forget(app_id)
        result = await self.session.execute(
            delete(Application).where(
                Application.id == app_id,
                Application.version == version,
                Application.status == "draft",
            )
        )
        return result.rowcount == 1
