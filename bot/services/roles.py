"""Use cases of roles: who holds which, granting and revoking, one-time invite links.

Roles are granted, never claimed. Bureau admins come from configuration or the
CLI; a bureau admin invites district reviewers, a district reviewer invites
unit reviewers of its own district. An invite token is random, kept only as
its SHA-256, used once, and expires.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import format_local
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.review import Grant, RoleKind
from bot.services.ports import InviteRow, ReviewStore, UnitRow
from bot.services.repositories import UnitOfWork
from bot.texts import review as t

log = logging.getLogger(__name__)

INVITE_TTL = timedelta(days=7)
INVITE_PREFIX = "i_"
"""Deep-link payloads that start with this are invites (`/start i_<token>`)."""


async def grants_of(uow: UnitOfWork, person_id: int, admin_ids: Iterable[int] = ()) -> list[Grant]:
    """Every role the person holds, with bureau admin from configuration first (in an open unit of work)."""
    grants = list(await uow.people.grants_of(person_id))
    if person_id in set(admin_ids) and not any(g.role is RoleKind.BUREAU for g in grants):
        grants.insert(0, Grant(role=RoleKind.BUREAU))
    return grants


async def grant(
    store: ReviewStore,
    person_id: int,
    role: Grant,
    *,
    granted_by: int | None,
    full_name: str = "",
    now: datetime,
) -> bool:
    """Gives the role; False when the person already held it. Commits."""
    await store.ensure_person(person_id, full_name, now)
    added = await store.add_grant(person_id, role, granted_by, now)
    await store.commit()
    return added


async def revoke(store: ReviewStore, person_id: int, role: Grant) -> bool:
    removed = await store.remove_grant(person_id, role)
    await store.commit()
    return removed


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewInvite:
    id: int
    token: str
    """Shown once, in the link; only its hash is stored."""
    grant: Grant
    expires_at: datetime

    @property
    def payload(self) -> str:
        return INVITE_PREFIX + self.token


def may_invite(grants: Sequence[Grant], target: Grant, unit: UnitRow | None = None) -> bool:
    """Bureau admins invite district reviewers; district reviewers invite unit reviewers of
    their district (bureau admins may too)."""
    bureau = any(g.role is RoleKind.BUREAU for g in grants)
    if target.role is RoleKind.DISTRICT:
        return bureau
    if target.role is RoleKind.UNIT and unit is not None:
        return bureau or any(
            g.role is RoleKind.DISTRICT and g.district_id == unit.district_id for g in grants
        )
    return False


async def create_invite(
    store: ReviewStore,
    *,
    inviter_id: int | None,
    inviter_grants: Sequence[Grant] | None,
    target: Grant,
    now: datetime,
    ttl: timedelta = INVITE_TTL,
) -> NewInvite:
    """Makes a one-time link for `target`; `inviter_grants` None means the operator's CLI."""
    unit = None
    if target.role is RoleKind.UNIT:
        unit = await store.unit(target.unit_id or 0)
        if unit is None:
            raise NotFound(t.UNIT_NOT_FOUND)
        target = Grant(role=RoleKind.UNIT, unit_id=unit.id, unit_name=unit.name, unit_code=unit.code)
    elif target.role is RoleKind.DISTRICT:
        district = await store.district(target.district_id or 0)
        if district is None:
            raise NotFound(t.DISTRICT_NOT_FOUND)
        target = Grant(role=RoleKind.DISTRICT, district_id=district.id, district_name=district.name)
    if inviter_grants is not None and not may_invite(inviter_grants, target, unit):
        log.warning("refused invite by %s for %s", inviter_id, target)
        raise NotAllowed(t.NOT_ALLOWED_INVITE)
    token = secrets.token_urlsafe(16)
    expires_at = now + ttl
    invite_id = await store.add_invite(
        token_hash=_hash(token), grant=target, created_by=inviter_id, now=now, expires_at=expires_at
    )
    await store.commit()
    return NewInvite(invite_id, token, target, expires_at)


@dataclass(frozen=True)
class Accepted:
    grant: Grant
    """With district or unit name filled in."""
    inviter_id: int | None
    already_held: bool


async def accept_invite(
    store: ReviewStore, token: str, *, person_id: int, full_name: str, now: datetime
) -> Accepted:
    """Turns a valid, unused, unexpired token into the role it stands for; anything else grants
    nothing and says why."""
    row = await store.invite_by_hash(_hash(token)) if 8 <= len(token) <= 64 else None
    if row is None:
        log.warning("unknown invite token from %s", person_id)
        raise NotAllowed(t.INVITE_UNKNOWN)
    _check_usable(row, now)
    if not await store.use_invite(row.id, person_id, now):
        raise NotAllowed(t.INVITE_USED)
    target = await _grant_of(store, row)
    await store.ensure_person(person_id, full_name, now)
    added = await store.add_grant(person_id, target, row.created_by, now)
    await store.commit()
    return Accepted(target, row.created_by, already_held=not added)


def _check_usable(row: InviteRow, now: datetime) -> None:
    if row.revoked_at is not None:
        raise NotAllowed(t.INVITE_REVOKED)
    if row.used_at is not None:
        raise NotAllowed(t.INVITE_USED)
    if row.expires_at <= now:
        raise NotAllowed(t.INVITE_EXPIRED.format(expired=format_local(row.expires_at)))


async def _grant_of(store: ReviewStore, row: InviteRow) -> Grant:
    role = RoleKind(row.role)
    if role is RoleKind.UNIT and row.unit_id is not None:
        unit = await store.unit(row.unit_id)
        assert unit is not None
        return Grant(role=role, unit_id=unit.id, unit_name=unit.name, unit_code=unit.code)
    district = await store.district(row.district_id or 0)
    return Grant(
        role=role, district_id=row.district_id, district_name=district.name if district else ""
    )


async def revoke_invite(
    store: ReviewStore,
    invite_id: int,
    *,
    by: int | None,
    by_grants: Sequence[Grant] | None,
    now: datetime,
) -> None:
    """Revokes an unused invite: its creator or a bureau admin in chat, anyone at the CLI."""
    row = await store.invite(invite_id)
    if row is None:
        raise NotFound(t.INVITE_NOT_FOUND)
    if by_grants is not None and row.created_by != by and not any(
        g.role is RoleKind.BUREAU for g in by_grants
    ):
        raise NotAllowed(t.NOT_ALLOWED_INVITE)
    if not await store.revoke_invite(invite_id, now):
        raise NotAllowed(t.INVITE_NOT_REVOCABLE)
    await store.commit()


async def add_unit_in_district(
    store: ReviewStore,
    grants: Sequence[Grant],
    *,
    district_id: int,
    name: str,
    kind: str,
    code: str,
    now: datetime,
) -> UnitRow:
    """A district reviewer registers a unit of its own district (to invite its reviewer)."""
    if not any(
        g.role is RoleKind.BUREAU or (g.role is RoleKind.DISTRICT and g.district_id == district_id)
        for g in grants
    ):
        raise NotAllowed(t.NOT_ALLOWED_INVITE)
    if any(u.name == name for u in await store.units_in(district_id)):
        raise NotAllowed(t.UNIT_EXISTS.format(name=name))
    unit = await store.add_unit(code=code, name=name, kind=kind, district_id=district_id, now=now)
    await store.commit()
    return unit
