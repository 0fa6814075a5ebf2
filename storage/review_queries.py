"""The review half of the `Store` port: roles, invites, audit trail, card messages, lists.

Mixed into `SqlStore`; like the rest of it, nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, false, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.application import ApplicationSnapshot
from bot.domain.review import Grant, RoleKind, Scope
from bot.domain.workflow import Status
from bot.services.ports import EventRow, InviteRow, ListFilter
from storage.models import (
    Application,
    ApplicationEvent,
    CardMessage,
    District,
    Invite,
    Person,
    Role,
    Unit,
)

HIDDEN_FROM_REVIEWERS = (Status.DRAFT.value,)
"""Drafts are the applicant's own until submitted."""


_UNIT_REVIEWER = (
    select(Role.id)
    .where(Role.role == RoleKind.UNIT.value, Role.unit_id == bindparam("unit_id"))
    .limit(1)
)


class ReviewQueries:
    session: AsyncSession

    def _applications(self) -> Any: ...  # provided by SqlStore

    def _forget(self, app_id: int) -> None: ...  # provided by SqlStore

    # people ------------------------------------------------------------------

    async def ensure_person(self, person_id: int, full_name: str, now: datetime) -> None:
        p = await self.session.get(Person, person_id)
        if p is None:
            self.session.add(Person(id=person_id, full_name=full_name, created_at=now))
        elif full_name and not p.full_name:
            p.full_name = full_name
        await self.session.flush()

    async def person_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        rows = await self.session.execute(
            select(Person.id, Person.full_name).where(Person.id.in_(list(person_ids)))
        )
        return {r.id: r.full_name for r in rows}

    async def mark_unreachable(self, person_id: int, unreachable: bool) -> None:
        await self.session.execute(
            update(Person).where(Person.id == person_id).values(unreachable=unreachable)
        )

    # roles -------------------------------------------------------------------

    async def grants_of(self, person_id: int) -> Sequence[Grant]:
        rows = await self.session.execute(
            select(
                Role.role,
                Role.district_id,
                Role.unit_id,
                District.name.label("district_name"),
                Unit.name.label("unit_name"),
                Unit.code.label("unit_code"),
            )
            .outerjoin(District, District.id == Role.district_id)
            .outerjoin(Unit, Unit.id == Role.unit_id)
            .where(Role.person_id == person_id)
            .order_by(Role.id)
        )
        return [
            Grant(
                role=RoleKind(r.role),
                district_id=r.district_id,
                unit_id=r.unit_id,
                district_name=r.district_name or "",
                unit_name=r.unit_name or "",
                unit_code=r.unit_code or "",
            )
            for r in rows
        ]

    def _grant_match(self, grant: Grant) -> Any:
        return and_(
            Role.role == grant.role.value,
            Role.district_id.is_(None) if grant.district_id is None else Role.district_id == grant.district_id,
            Role.unit_id.is_(None) if grant.unit_id is None else Role.unit_id == grant.unit_id,
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
        rows = await self.session.scalars(
            select(Role.person_id).where(self._grant_match(grant)).order_by(Role.id)
        )
        return list(dict.fromkeys(rows))

    async def unit_has_reviewer(self, unit_id: int) -> bool:
        return await self.session.scalar(_UNIT_REVIEWER, {"unit_id": unit_id}) is not None

    # invites -----------------------------------------------------------------

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
                created_by=created_by,
                created_at=now,
                expires_at=expires_at,
            )
            .returning(Invite.id)
        )
        return result.scalar_one()

    async def invite(self, invite_id: int) -> InviteRow | None:
        row = await self.session.get(Invite, invite_id)
        return _invite(row) if row else None

    async def invite_by_hash(self, token_hash: str) -> InviteRow | None:
        row = await self.session.scalar(select(Invite).where(Invite.token_hash == token_hash))
        return _invite(row) if row else None

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
        return [_invite(r) for r in await self.session.scalars(query)]

    # audit trail and cards ---------------------------------------------------

    async def events_of(self, app_id: int) -> Sequence[EventRow]:
        events = ApplicationEvent.__table__
        rows = await self.session.execute(
            select(events).where(events.c.application_id == app_id).order_by(events.c.id)
        )
        return [
            EventRow(
                app_id=e.application_id,
                actor_id=e.actor_id,
                actor_name=e.actor_name,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                note=e.note,
                changes=e.changes,
                at=e.at,
            )
            for e in rows
        ]

    async def set_return_reason(self, app_id: int, reason: str | None) -> None:
        self._forget(app_id)
        await self.session.execute(
            update(Application)
            .where(Application.id == app_id)
            .values(return_reason=reason, version=Application.version + 1)
        )

    async def add_card_message(
        self, app_id: int, chat_id: int, message_id: int, now: datetime
    ) -> None:
        await self.session.execute(
            insert(CardMessage).values(
                application_id=app_id, chat_id=chat_id, message_id=message_id, sent_at=now
            )
        )

    async def card_messages(self, app_id: int) -> Sequence[tuple[int, int]]:
        rows = await self.session.execute(
            select(CardMessage.chat_id, CardMessage.message_id)
            .where(CardMessage.application_id == app_id)
            .order_by(CardMessage.id)
        )
        return [(r.chat_id, r.message_id) for r in rows]

    async def drop_card_messages(self, app_id: int) -> None:
        await self.session.execute(delete(CardMessage).where(CardMessage.application_id == app_id))

    # lists -------------------------------------------------------------------

    def _scoped(self, scope: Scope, campaign_id: int, what: ListFilter) -> list[Any]:
        """WHERE clauses for the scope and the filter."""
        clauses: list[Any] = [
            Application.campaign_id == campaign_id,
            Application.status.not_in(HIDDEN_FROM_REVIEWERS),
        ]
        if what.pending_only:
            clauses.append(_pending(scope))
        elif not scope.everything:
            clauses.append(
                or_(
                    Application.district_id.in_(scope.district_ids),
                    Application.unit_id.in_(scope.unit_ids),
                )
            )
        if what.status:
            clauses.append(Application.status == what.status)
        if what.unit_id:
            clauses.append(Application.unit_id == what.unit_id)
        if what.group:
            clauses.append(Application.group == what.group)
        return clauses

    async def list_applications(
        self, scope: Scope, campaign_id: int, what: ListFilter, offset: int, limit: int
    ) -> tuple[Sequence[ApplicationSnapshot], int]:
        from storage.repositories import _snapshot

        clauses = self._scoped(scope, campaign_id, what)
        total = await self.session.scalar(
            select(func.count()).select_from(Application).where(*clauses)
        )
        rows = await self.session.execute(
            self._applications()
            .where(*clauses)
            .order_by(Application.submitted_at, Application.id)
            .offset(offset)
            .limit(limit)
        )
        return [_snapshot(r) for r in rows], int(total or 0)

    async def status_counts(self, scope: Scope, campaign_id: int) -> dict[str, int]:
        clauses = self._scoped(scope, campaign_id, ListFilter())
        rows = await self.session.execute(
            select(Application.status, func.count())
            .where(*clauses)
            .group_by(Application.status)
        )
        return {status: count for status, count in rows}


def _pending(scope: Scope) -> Any:
    """What waits for the scope's holder: unit level for its units (or uncovered units of its
    districts), district level for its districts."""
    if not (scope.unit_ids or scope.district_ids):
        return false()
    unit_reviewed = exists().where(
        Role.role == RoleKind.UNIT.value, Role.unit_id == Application.unit_id
    )
    district_covers = and_(
        Application.district_id.in_(scope.district_ids),
        or_(
            Application.unit_id.is_(None),
            Application.unit_confirmed.is_(False),
            ~unit_reviewed,
        ),
    )
    return or_(
        and_(
            Application.status == Status.SUBMITTED.value,
            or_(Application.unit_id.in_(scope.unit_ids), district_covers),
        ),
        and_(
            Application.status == Status.UNIT_APPROVED.value,
            Application.district_id.in_(scope.district_ids),
        ),
    )


def _invite(r: Invite) -> InviteRow:
    return InviteRow(
        id=r.id,
        role=r.role,
        district_id=r.district_id,
        unit_id=r.unit_id,
        created_by=r.created_by,
        created_at=r.created_at,
        expires_at=r.expires_at,
        used_by=r.used_by,
        used_at=r.used_at,
        revoked_at=r.revoked_at,
    )
