"""Use cases of roles: who holds which, granting and revoking, one-time invite links.

Roles are granted, never claimed. Bureau admins come from configuration or the
CLI; a bureau admin invites bureau reviewers (市局审核人) and district reviewers,
a district reviewer invites unit reviewers of its own district. An invite token is random, kept only as
its SHA-256, used once, and expires. Each public use case opens its own unit
of work; `inviter_id=None` / `by=None` mean the operator's command line, which
is trusted.
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
from bot.domain.parsers import same_text
from bot.domain.registry import SERVING, Standing
from bot.domain.review import Grant, RoleKind
from bot.domain.units import new_unit_code
from bot.services.ports import DistrictRow, InviteRow, UnitRow
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
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


@dataclass(frozen=True)
class Menu:
    """What a person's command menu lists: their roles' commands, and /me for an expert in service."""

    grants: Sequence[Grant] = ()
    expert: bool = False


async def menu_of(uow: UnitOfWork, person_id: int, admin_ids: Iterable[int] = ()) -> Menu:
    """The person's menu (in an open unit of work): an expert may hold roles too."""
    expert = await uow.registry.expert_of(person_id)
    serving = expert is not None and Standing(expert.standing) in SERVING
    return Menu(await grants_of(uow, person_id, admin_ids), serving)


async def roles_of(
    uows: UnitOfWorkFactory, person_id: int, admin_ids: Iterable[int] = ()
) -> list[Grant]:
    """Every role the person holds (for /help)."""
    async with uows() as uow:
        return await grants_of(uow, person_id, admin_ids)


async def menu(uows: UnitOfWorkFactory, person_id: int, admin_ids: Iterable[int] = ()) -> Menu:
    """/roles: the person's roles, and their command menu."""
    async with uows() as uow:
        return await menu_of(uow, person_id, admin_ids)


async def find_target(uows: UnitOfWorkFactory, role: RoleKind, code: str = "") -> Grant | None:
    """The role on the district, unit or using unit with this code (the command line names them
    so); None when there is none."""
    if role in (RoleKind.BUREAU, RoleKind.BUREAU_REVIEWER):
        return Grant(role=role)
    async with uows() as uow:
        if role is RoleKind.USER:
            using = await uow.draws.using_unit_by(code=code)
            if using is None:
                return None
            return Grant(role=role, using_unit_id=using.id, unit_name=using.name, unit_code=using.code)
        if role is RoleKind.DISTRICT:
            district = await uow.campaigns.district_by_code(code)
            if district is None:
                return None
            return Grant(role=role, district_id=district.id, district_name=district.name)
        unit = await uow.campaigns.unit_by_code(code)
    if unit is None:
        return None
    return Grant(role=role, unit_id=unit.id, unit_name=unit.name, unit_code=unit.code)


async def grant(
    uows: UnitOfWorkFactory,
    person_id: int,
    role: Grant,
    *,
    granted_by: int | None,
    full_name: str = "",
    now: datetime,
) -> bool:
    """Gives the role; False when the person already held it."""
    async with uows() as uow:
        await uow.people.ensure_person(person_id, full_name, now)
        added = await uow.people.add_grant(person_id, role, granted_by, now)
        await uow.commit()
    return added


async def revoke(uows: UnitOfWorkFactory, person_id: int, role: Grant) -> bool:
    """Takes the role away; False when the person did not hold it."""
    async with uows() as uow:
        removed = await uow.people.remove_grant(person_id, role)
        await uow.commit()
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


@dataclass(frozen=True)
class InviteMenu:
    """What /invite offers this person."""

    districts: Sequence[DistrictRow] | None
    """Every district, for a bureau admin; None for others."""
    units_by_district: Sequence[tuple[DistrictRow, Sequence[UnitRow]]]
    """The units of each district the person reviews."""


@dataclass(frozen=True)
class UnitInvite:
    unit: UnitRow
    invite: NewInvite


@dataclass(frozen=True)
class Accepted:
    grant: Grant
    """With district or unit name filled in."""
    inviter_id: int | None
    already_held: bool
    menu: Menu
    """Every role the person now holds (for the command menu)."""


def may_invite(grants: Sequence[Grant], target: Grant, unit: UnitRow | None = None) -> bool:
    """Bureau admins invite bureau and district reviewers; district reviewers invite unit
    reviewers of their district (bureau admins may too)."""
    bureau = any(g.role is RoleKind.BUREAU for g in grants)
    if target.role in (RoleKind.DISTRICT, RoleKind.BUREAU_REVIEWER, RoleKind.USER):
        return bureau
    if target.role is RoleKind.UNIT and unit is not None:
        return bureau or any(
            g.role is RoleKind.DISTRICT and g.district_id == unit.district_id for g in grants
        )
    return False


def _may_add_unit(grants: Sequence[Grant], district_id: int) -> bool:
    return any(
        g.role is RoleKind.BUREAU or (g.role is RoleKind.DISTRICT and g.district_id == district_id)
        for g in grants
    )


async def invite_menu(
    uows: UnitOfWorkFactory, *, person_id: int, admin_ids: Iterable[int]
) -> InviteMenu:
    """Bureau admins pick a district; district reviewers pick a unit of their district."""
    async with uows() as uow:
        grants = await grants_of(uow, person_id, admin_ids)
        bureau = any(g.role is RoleKind.BUREAU for g in grants)
        districts = await uow.campaigns.districts() if bureau else None
        units_by_district = []
        for g in grants:
            if g.role is RoleKind.DISTRICT and g.district_id:
                district = await uow.campaigns.district(g.district_id)
                assert district is not None
                units_by_district.append((district, await uow.campaigns.units_in(district.id)))
    if districts is None and not units_by_district:
        raise NotAllowed(t.NOT_AN_INVITER)
    return InviteMenu(districts, units_by_district)


async def all_districts(uows: UnitOfWorkFactory) -> Sequence[DistrictRow]:
    """Every district, for the pages of the bureau's invite menu."""
    async with uows() as uow:
        return await uow.campaigns.districts()


async def create_invite(
    uows: UnitOfWorkFactory,
    *,
    inviter_id: int | None,
    target: Grant,
    now: datetime,
    admin_ids: Iterable[int] = (),
    ttl: timedelta = INVITE_TTL,
) -> NewInvite:
    """Makes a one-time link for `target`, if the inviter may."""
    async with uows() as uow:
        invite = await _create_invite(
            uow, inviter_id=inviter_id, admin_ids=admin_ids, target=target, now=now, ttl=ttl
        )
        await uow.commit()
    return invite


async def _create_invite(
    uow: UnitOfWork,
    *,
    inviter_id: int | None,
    admin_ids: Iterable[int],
    target: Grant,
    now: datetime,
    ttl: timedelta = INVITE_TTL,
) -> NewInvite:
    unit = None
    if target.role is RoleKind.UNIT:
        unit = await uow.campaigns.unit(target.unit_id or 0)
        if unit is None:
            raise NotFound(t.UNIT_NOT_FOUND)
        target = Grant(role=RoleKind.UNIT, unit_id=unit.id, unit_name=unit.name, unit_code=unit.code)
    elif target.role is RoleKind.DISTRICT:
        district = await uow.campaigns.district(target.district_id or 0)
        if district is None:
            raise NotFound(t.DISTRICT_NOT_FOUND)
        target = Grant(role=RoleKind.DISTRICT, district_id=district.id, district_name=district.name)
    if inviter_id is not None and not may_invite(
        await grants_of(uow, inviter_id, admin_ids), target, unit
    ):
        log.warning("refused invite by %s for %s", inviter_id, target)
        raise NotAllowed(t.NOT_ALLOWED_INVITE)
    token = secrets.token_urlsafe(16)
    expires_at = now + ttl
    invite_id = await uow.people.add_invite(
        token_hash=_hash(token), grant=target, created_by=inviter_id, now=now, expires_at=expires_at
    )
    return NewInvite(invite_id, token, target, expires_at)


async def active_invites(
    uows: UnitOfWorkFactory, now: datetime
) -> list[tuple[InviteRow, Grant]]:
    """Unused, unrevoked, unexpired invites, each with the role it grants (places named)."""
    async with uows() as uow:
        return [(row, await _grant_of(uow, row)) for row in await uow.people.invites(active_at=now)]


async def accept_invite(
    uows: UnitOfWorkFactory,
    token: str,
    *,
    person_id: int,
    full_name: str,
    admin_ids: Iterable[int],
    now: datetime,
) -> Accepted:
    """Turns a valid, unused, unexpired token into the role it stands for; anything else grants
    nothing and says why."""
    async with uows() as uow:
        row = await uow.people.invite_by_hash(_hash(token)) if 8 <= len(token) <= 64 else None
        if row is None:
            log.warning("unknown invite token from %s", person_id)
            raise NotAllowed(t.INVITE_UNKNOWN)
        _check_usable(row, now)
        if not await uow.people.use_invite(row.id, person_id, now):
            raise NotAllowed(t.INVITE_USED)
        target = await _grant_of(uow, row)
        await uow.people.ensure_person(person_id, full_name, now)
        added = await uow.people.add_grant(person_id, target, row.created_by, now)
        menu = await menu_of(uow, person_id, admin_ids)
        await uow.commit()
    return Accepted(target, row.created_by, already_held=not added, menu=menu)


def _check_usable(row: InviteRow, now: datetime) -> None:
    if row.revoked_at is not None:
        raise NotAllowed(t.INVITE_REVOKED)
    if row.used_at is not None:
        raise NotAllowed(t.INVITE_USED)
    if row.expires_at <= now:
        raise NotAllowed(t.INVITE_EXPIRED.format(expired=format_local(row.expires_at)))


async def _grant_of(uow: UnitOfWork, row: InviteRow) -> Grant:
    role = RoleKind(row.role)
    if role is RoleKind.USER and row.using_unit_id is not None:
        using = await uow.draws.using_unit(row.using_unit_id)
        assert using is not None
        return Grant(role=role, using_unit_id=using.id, unit_name=using.name, unit_code=using.code)
    if role is RoleKind.UNIT and row.unit_id is not None:
        unit = await uow.campaigns.unit(row.unit_id)
        assert unit is not None
        return Grant(role=role, unit_id=unit.id, unit_name=unit.name, unit_code=unit.code)
    district = await uow.campaigns.district(row.district_id or 0)
    return Grant(
        role=role, district_id=row.district_id, district_name=district.name if district else ""
    )


async def revoke_invite(
    uows: UnitOfWorkFactory,
    invite_id: int,
    *,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> None:
    """Revokes an unused invite: its creator or a bureau admin in chat, anyone at the CLI."""
    async with uows() as uow:
        row = await uow.people.invite(invite_id)
        if row is None:
            raise NotFound(t.INVITE_NOT_FOUND)
        if by is not None and row.created_by != by and not any(
            g.role is RoleKind.BUREAU for g in await grants_of(uow, by, admin_ids)
        ):
            raise NotAllowed(t.NOT_ALLOWED_INVITE)
        if not await uow.people.revoke_invite(invite_id, now):
            raise NotAllowed(t.INVITE_NOT_REVOCABLE)
        await uow.commit()


async def check_new_unit(
    uows: UnitOfWorkFactory, *, person_id: int, admin_ids: Iterable[int], district_id: int
) -> DistrictRow:
    """The district, if this person may register a unit in it (asked before its name)."""
    async with uows() as uow:
        grants = await grants_of(uow, person_id, admin_ids)
        district = await uow.campaigns.district(district_id)
    if district is None or not _may_add_unit(grants, district.id):
        raise NotAllowed(t.NOT_ALLOWED_INVITE)
    return district


async def add_unit_and_invite(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    admin_ids: Iterable[int],
    district_id: int,
    name: str,
    kind: str,
    now: datetime,
) -> UnitInvite:
    """A district reviewer registers a unit of its own district and gets the link that makes
    someone its reviewer; both or neither are stored."""
    async with uows() as uow:
        if not _may_add_unit(await grants_of(uow, person_id, admin_ids), district_id):
            raise NotAllowed(t.NOT_ALLOWED_INVITE)
        if any(same_text(u.name, name) for u in await uow.campaigns.units_in(district_id)):
            raise NotAllowed(t.UNIT_EXISTS.format(name=name))
        unit = await uow.campaigns.add_unit(
            code=new_unit_code(), name=name, kind=kind, district_id=district_id, now=now
        )
        invite = await _create_invite(
            uow,
            inviter_id=person_id,
            admin_ids=admin_ids,
            target=Grant(role=RoleKind.UNIT, unit_id=unit.id),
            now=now,
        )
        await uow.commit()
    return UnitInvite(unit, invite)
