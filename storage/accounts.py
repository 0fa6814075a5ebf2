"""Accounts: which messaging account is which person, how to reach them, and moving them.

Nothing here commits: the unit of work does (storage.uow).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.services.ports import AccountRow, RebindRow
from storage.db import DbSession, core
from storage.models import Account, Person, PersonEvent, Rebind

_account = Account.__table__
ATTACHED = _account.c.detached_at.is_(None)
"""Accounts in use; detached ones are history."""

_person = Person.__table__
ACCOUNTS = select(
    _account.c.id,
    _account.c.person_id,
    _account.c.chat_id,
    _account.c.username,
    _account.c.display_name,
    _account.c.unreachable,
    _account.c.last_seen_at,
    _person.c.consent_version.is_not(None).label("consented"),
).join(_person, _person.c.id == _account.c.person_id)

ACCOUNT_BY_EXTERNAL = ACCOUNTS.where(
    _account.c.channel == bindparam("channel"),
    _account.c.external_id == bindparam("external_id"),
    ATTACHED,
)
"""The one statement every update runs: built once."""


def _row(r: Any) -> AccountRow:
    return AccountRow(
        id=r.id,
        person_id=r.person_id,
        chat_id=r.chat_id,
        username=r.username,
        display_name=r.display_name,
        unreachable=r.unreachable,
        last_seen_at=r.last_seen_at,
        consented=bool(r.consented),
    )


class AccountRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def attached(self, channel: str, external_id: str) -> AccountRow | None:
        row = (
            await core(
                self.session, ACCOUNT_BY_EXTERNAL, {"channel": channel, "external_id": external_id}
            )
        ).one_or_none()
        return None if row is None else _row(row)

    async def add_person(self, full_name: str, now: datetime) -> int:
        result = await core(
            self.session,
            insert(Person).values(full_name=full_name, created_at=now).returning(Person.id),
        )
        return result.scalar_one()

    async def add_account(
        self,
        *,
        person_id: int,
        channel: str,
        external_id: str,
        chat_id: str,
        username: str | None,
        display_name: str,
        now: datetime,
    ) -> int | None:
        """The new account's id; None when that account is already attached (a race lost)."""
        dialect = postgresql if self.session.bind.dialect.name == "postgresql" else sqlite
        result = await core(
            self.session,
            dialect.insert(Account)
            .values(
                person_id=person_id,
                channel=channel,
                external_id=external_id,
                chat_id=chat_id,
                username=username,
                display_name=display_name,
                unreachable=False,
                last_seen_at=now,
                attached_at=now,
            )
            .on_conflict_do_nothing(
                index_elements=["channel", "external_id"],
                index_where=Account.detached_at.is_(None),
            )
            .returning(Account.id),
        )
        return result.scalar_one_or_none()

    async def forget_person(self, person_id: int) -> None:
        """Drops a person made for nothing (its account lost a race)."""
        await self.session.execute(delete(Person).where(Person.id == person_id))

    async def seen(self, account_id: int, **changes: Any) -> None:
        """Writes what changed about the account: username, display name, last seen, reachable."""
        await core(self.session, update(Account).where(Account.id == account_id).values(**changes))

    async def chats_of(self, person_ids: Sequence[int], channel: str) -> dict[int, str]:
        """Person id -> chat of their attached account on `channel`; people without one are absent."""
        rows = await core(
            self.session,
            select(Account.person_id, Account.chat_id).where(
                Account.person_id.in_(list(person_ids)),
                Account.channel == channel,
                ATTACHED,
            ),
        )
        return {r.person_id: r.chat_id for r in rows}

    async def accounts_of(self, person_id: int) -> Sequence[AccountRow]:
        rows = await self.session.execute(
            ACCOUNTS.where(Account.person_id == person_id, ATTACHED)
            .order_by(Account.id)
        )
        return [_row(r) for r in rows]

    async def detach(self, account_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Account)
            .where(Account.id == account_id, ATTACHED)
            .values(detached_at=now)
        )
        return result.rowcount == 1

    async def move(self, account_id: int, person_id: int, now: datetime) -> None:
        """Makes the account `person_id`'s (it was met as somebody new a moment ago)."""
        await self.session.execute(
            update(Account)
            .where(Account.id == account_id)
            .values(person_id=person_id, attached_at=now)
        )

    async def add_event(
        self,
        person_id: int,
        action: str,
        actor_id: int | None,
        detail: dict[str, Any],
        now: datetime,
    ) -> None:
        await self.session.execute(
            insert(PersonEvent).values(
                person_id=person_id, action=action, actor_id=actor_id, detail=detail, at=now
            )
        )

    async def events_of(
        self, person_id: int
    ) -> Sequence[tuple[str, int | None, dict[str, Any], datetime]]:
        rows = await self.session.execute(
            select(PersonEvent.action, PersonEvent.actor_id, PersonEvent.detail, PersonEvent.at)
            .where(PersonEvent.person_id == person_id)
            .order_by(PersonEvent.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]

    async def add_rebind(
        self,
        *,
        person_id: int,
        kind: str,
        secret_hash: str,
        for_account_id: int | None,
        created_by: int | None,
        now: datetime,
        expires_at: datetime,
    ) -> int:
        result = await self.session.execute(
            insert(Rebind)
            .values(
                person_id=person_id,
                kind=kind,
                secret_hash=secret_hash,
                for_account_id=for_account_id,
                created_by=created_by,
                created_at=now,
                expires_at=expires_at,
                attempts=0,
            )
            .returning(Rebind.id)
        )
        return result.scalar_one()

    async def rebind_by_hash(self, secret_hash: str) -> RebindRow | None:
        row = await self.session.scalar(select(Rebind).where(Rebind.secret_hash == secret_hash))
        return None if row is None else _rebind(row)

    async def open_code_for(self, account_id: int, now: datetime) -> RebindRow | None:
        """The newest live code that `account_id` asked for."""
        row = await self.session.scalar(
            select(Rebind)
            .where(
                Rebind.kind == "code",
                Rebind.for_account_id == account_id,
                Rebind.used_at.is_(None),
                Rebind.revoked_at.is_(None),
                Rebind.expires_at > now,
            )
            .order_by(Rebind.id.desc())
            .limit(1)
        )
        return None if row is None else _rebind(row)

    async def codes_since(
        self, since: datetime, *, for_account_id: int | None = None, person_id: int | None = None
    ) -> int:
        """Codes asked since `since`, by one new account or for one person."""
        query = select(func.count(Rebind.id)).where(
            Rebind.kind == "code", Rebind.created_at >= since
        )
        if for_account_id is not None:
            query = query.where(Rebind.for_account_id == for_account_id)
        if person_id is not None:
            query = query.where(Rebind.person_id == person_id)
        return int(await self.session.scalar(query) or 0)

    async def count_attempt(self, rebind_id: int) -> None:
        await self.session.execute(
            update(Rebind).where(Rebind.id == rebind_id).values(attempts=Rebind.attempts + 1)
        )

    async def revoke_rebind(self, rebind_id: int, now: datetime) -> None:
        await self.session.execute(
            update(Rebind)
            .where(Rebind.id == rebind_id, Rebind.used_at.is_(None))
            .values(revoked_at=now)
        )

    async def use_rebind(self, rebind_id: int, account_id: int, now: datetime) -> bool:
        """Takes the permission once: False when it was used, revoked or expired meanwhile."""
        result = await self.session.execute(
            update(Rebind)
            .where(
                Rebind.id == rebind_id,
                Rebind.used_at.is_(None),
                Rebind.revoked_at.is_(None),
                Rebind.expires_at > now,
            )
            .values(used_at=now, used_by_account_id=account_id)
        )
        return result.rowcount == 1


def _rebind(row: Rebind) -> RebindRow:
    return RebindRow(
        id=row.id,
        person_id=row.person_id,
        kind=row.kind,
        secret_hash=row.secret_hash,
        for_account_id=row.for_account_id,
        created_by=row.created_by,
        expires_at=row.expires_at,
        attempts=row.attempts,
        used_at=row.used_at,
        revoked_at=row.revoked_at,
    )
