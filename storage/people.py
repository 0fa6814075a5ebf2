"""People: names and consent, reachability, roles and invites.

Nothing here commits: the unit of work does (storage.uow).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    and_,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.review import Grant, RoleKind
from bot.services.ports import InviteRow, PersonRow, RoleHolder
from bot.services.privacy import ConsentEntry
from bot.services.reminder_ports import GrantRow
from storage.accounts import ATTACHED
from storage.db import DbSession, core
from storage.models import (
    Account,
    ConsentNotice,
    ConsentRecord,
    District,
    Invite,
    Person,
    Role,
    Unit,
    UsingUnit,
)
from storage.rows import (
    ADD_CONSENT,
    PERSON_BY_ID,
    UNIT_REVIEWER,
    UPDATE_PERSON,
    invite_of,
)


class PeopleRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def person(self, person_id: int) -> PersonRow | None:
        p = (await core(self.session, PERSON_BY_ID, {"id": person_id})).one_or_none()
        if p is None:
            return None
        return PersonRow(
            id=p.id,
            full_name=p.full_name,
            consent_version=p.consent_version,
            sensitive_consent_at=p.sensitive_consent_at,
            transfer_consent_at=p.transfer_consent_at,
        )

    async def save_person(self, person_id: int, full_name: str, now: datetime) -> None:
        await core(self.session, UPDATE_PERSON, {"person_id": person_id, "full_name": full_name})

    async def record_consent(self, person_id: int, version: str, now: datetime) -> None:
        await core(
            self.session,
            UPDATE_PERSON,
            {
                "person_id": person_id,
                "consent_version": version,
                "consent_at": now,
                "sensitive_consent_at": now,
                "transfer_consent_at": now,
            },
        )

    async def ensure_person(self, person_id: int, full_name: str, now: datetime) -> None:
        """Names the person if they have no name yet (people are made with their account)."""
        if full_name:
            await self.session.execute(
                update(Person)
                .where(Person.id == person_id, Person.full_name == "")
                .values(full_name=full_name)
            )

    async def person_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        rows = await self.session.execute(
            select(Person.id, Person.full_name).where(Person.id.in_(list(person_ids)))
        )
        return {r.id: r.full_name for r in rows}

    async def set_unreachable(self, person_id: int, unreachable: bool) -> None:
        await self.session.execute(
            update(Account)
            .where(Account.person_id == person_id, ATTACHED)
            .values(unreachable=unreachable)
        )

    async def grants_of(self, person_id: int) -> Sequence[Grant]:
        rows = await core(
            self.session,
            select(
                Role.role,
                Role.district_id,
                Role.unit_id,
                Role.using_unit_id,
                District.name.label("district_name"),
                func.coalesce(Unit.name, UsingUnit.name).label("unit_name"),
                func.coalesce(Unit.code, UsingUnit.code).label("unit_code"),
            )
            .outerjoin(District, District.id == Role.district_id)
            .outerjoin(Unit, Unit.id == Role.unit_id)
            .outerjoin(UsingUnit, UsingUnit.id == Role.using_unit_id)
            .where(Role.person_id == person_id)
            .order_by(Role.id),
        )
        return [
            Grant(
                role=RoleKind(r.role),
                district_id=r.district_id,
                unit_id=r.unit_id,
                using_unit_id=r.using_unit_id,
                district_name=r.district_name or "",
                unit_name=r.unit_name or "",
                unit_code=r.unit_code or "",
            )
            for r in rows
        ]

    def _grant_match(self, grant: Grant) -> Any:
        return and_(
            Role.role == grant.role.value,
            Role.district_id.is_(None)
            if grant.district_id is None
            else Role.district_id == grant.district_id,
            Role.unit_id.is_(None) if grant.unit_id is None else Role.unit_id == grant.unit_id,
            Role.using_unit_id.is_(None)
            if grant.using_unit_id is None
            else Role.using_unit_id == grant.using_unit_id,
        )

    async def add_grant(
        self, person_id: int, grant: Grant, granted_by: int | None, now: datetime
    ) -> bool:
        # The unique constraint does not catch NULL district/unit pairs, so look first.
        held = await self.session.scalar(
            select(Role.id).where(Role.person_id == person_id, self._grant_match(grant))
        )
        if held is not None:
            return False
        await self.session.execute(
            insert(Role).values(
                person_id=person_id,
                role=grant.role.value,
                district_id=grant.district_id,
                unit_id=grant.unit_id,
                using_unit_id=grant.using_unit_id,
                granted_by=granted_by,
                granted_at=now,
            )
        )
        return True

    async def remove_grant(self, person_id: int, grant: Grant) -> bool:
        result = await self.session.execute(
            delete(Role).where(Role.person_id == person_id, self._grant_match(grant))
        )
        return bool(result.rowcount)

    async def reviewer_ids(self, grant: Grant) -> Sequence[int]:
        rows = (
            await core(
                self.session,
                select(Role.person_id).where(self._grant_match(grant)).order_by(Role.id),
            )
        ).scalars()
        return list(dict.fromkeys(rows))

    async def unit_has_reviewer(self, unit_id: int, applicant_id: int) -> bool:
        """Whether someone other than the applicant reviews the unit's applications."""
        params = {"unit_id": unit_id, "applicant_id": applicant_id}
        found = await core(self.session, UNIT_REVIEWER, params)
        return found.first() is not None

    async def reviewers_of_units(
        self, unit_ids: Sequence[int], *, reachable: bool = False
    ) -> dict[int, frozenset[int]]:
        """Who reviews each of these units, in one query (`unit_has_reviewer` for a list);
        `reachable`: only those a message can reach (`unit_reviewers` for a list)."""
        if not unit_ids:
            return {}
        query = select(Role.unit_id, Role.person_id).where(
            Role.role == RoleKind.UNIT.value, Role.unit_id.in_(sorted(set(unit_ids)))
        )
        if reachable:
            query = query.join(
                Account, and_(Account.person_id == Role.person_id, ATTACHED)
            ).where(Account.unreachable.is_(False))
        rows = await core(self.session, query)
        found: dict[int, set[int]] = {}
        for unit_id, person_id in rows:
            found.setdefault(unit_id, set()).add(person_id)
        return {unit_id: frozenset(people) for unit_id, people in found.items()}

    async def add_invite(
        self,
        *,
        token_hash: str,
        grant: Grant,
        created_by: int | None,
        now: datetime,
        expires_at: datetime,
    ) -> int:
        result = await self.session.execute(
            insert(Invite)
            .values(
                token_hash=token_hash,
                role=grant.role.value,
                district_id=grant.district_id,
                unit_id=grant.unit_id,
                using_unit_id=grant.using_unit_id,
                created_by=created_by,
                created_at=now,
                expires_at=expires_at,
            )
            .returning(Invite.id)
        )
        return result.scalar_one()

    async def invite(self, invite_id: int) -> InviteRow | None:
        row = await self.session.get(Invite, invite_id)
        return invite_of(row) if row else None

    async def invite_by_hash(self, token_hash: str) -> InviteRow | None:
        row = await self.session.scalar(select(Invite).where(Invite.token_hash == token_hash))
        return invite_of(row) if row else None

    async def use_invite(self, invite_id: int, person_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Invite)
            .where(
                Invite.id == invite_id,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
                Invite.expires_at > now,
            )
            .values(used_by=person_id, used_at=now)
        )
        return result.rowcount == 1

    async def revoke_invite(self, invite_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Invite)
            .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return result.rowcount == 1

    async def invites(self, *, active_at: datetime | None) -> Sequence[InviteRow]:
        query = select(Invite).order_by(Invite.id)
        if active_at is not None:
            query = query.where(
                Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at > active_at
            )
        return [invite_of(r) for r in await self.session.scalars(query)]

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
        if notice and digest:
            # Two people consenting first at once both find no row: insert or skip, never fail.
            dialect = postgresql if self.session.bind.dialect.name == "postgresql" else sqlite
            await core(
                self.session,
                dialect.insert(ConsentNotice.__table__)
                .values(sha256=digest, version=version, text=notice, first_used_at=now)
                .on_conflict_do_nothing(index_elements=["sha256"]),
            )
        await core(
            self.session,
            ADD_CONSENT,
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
            select(ConsentRecord)
            .where(ConsentRecord.person_id == person_id)
            .order_by(ConsentRecord.id)
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
            )
        )

    async def grant_rows(self, person_id: int) -> Sequence[GrantRow]:
        rows = await self.session.execute(
            select(Role.role, Role.district_id, Role.unit_id, District.name, Unit.name)
            .outerjoin(District, District.id == Role.district_id)
            .outerjoin(Unit, Unit.id == Role.unit_id)
            .where(Role.person_id == person_id)
            .order_by(Role.id)
        )
        return [
            GrantRow(role=r, district_id=d, unit_id=u, label=(un or dn or ""))
            for r, d, u, dn, un in rows
        ]

    async def _reviewers(self, *where: Any) -> Sequence[int]:
        rows = await self.session.scalars(
            select(Role.person_id)
            .join(Account, and_(Account.person_id == Role.person_id, ATTACHED))
            .where(Account.unreachable.is_(False), *where)
            .distinct()
            .order_by(Role.person_id)
        )
        return list(rows)

    async def unit_reviewers(self, unit_id: int) -> Sequence[int]:
        return await self._reviewers(Role.role == "unit", Role.unit_id == unit_id)

    async def district_reviewers(self, district_id: int) -> Sequence[int]:
        return await self._reviewers(Role.role == "district", Role.district_id == district_id)

    async def bureau_admins(self) -> Sequence[int]:
        return await self._reviewers(Role.role == "bureau")

    async def person_name(self, person_id: int) -> str:
        return (
            await self.session.scalar(select(Person.full_name).where(Person.id == person_id)) or ""
        )

    async def role_holders(self) -> Sequence[RoleHolder]:
        """Every role held, with its holder's name and the district it lies in."""
        rows = await self.session.execute(
            select(
                Role.person_id,
                Person.full_name,
                Role.role,
                func.coalesce(Role.district_id, Unit.district_id).label("district_id"),
            )
            .join(Person, Person.id == Role.person_id)
            .outerjoin(Unit, Unit.id == Role.unit_id)
            .order_by(Role.person_id, Role.id)
        )
        return [RoleHolder(r.person_id, r.full_name, r.role, r.district_id) for r in rows]

    async def mark_unreachable(self, person_id: int) -> bool:
        result = await self.session.execute(
            update(Account)
            .where(Account.person_id == person_id, ATTACHED, Account.unreachable.is_(False))
            .values(unreachable=True)
        )
        return bool(result.rowcount)

    async def set_reachable(self, person_id: int, reachable: bool) -> bool:
        result = await self.session.execute(
            update(Account)
            .where(Account.person_id == person_id, ATTACHED, Account.unreachable.is_(reachable))
            .values(unreachable=not reachable)
        )
        return bool(result.rowcount)

    async def is_unreachable(self, person_id: int) -> bool:
        return bool(
            await self.session.scalar(
                select(Account.unreachable).where(Account.person_id == person_id, ATTACHED)
            )
        )
