"""`expertbot grant|revoke|invite`: reviewer roles and invite links from the command line.

Registered into bot/cli.py's parser; no aiogram import, so these verbs start fast.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from bot.cli import CliError, out
from bot.config import Settings
from bot.domain.review import Grant, RoleKind
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import cli as t


def register(verbs: Any) -> None:
    for name, handler, help_text in (
        ("grant", cmd_grant, t.H_GRANT),
        ("revoke", cmd_revoke, t.H_REVOKE),
    ):
        p = verbs.add_parser(name, help=help_text)
        p.add_argument("telegram_id", type=int, help=t.H_TELEGRAM_ID)
        _target_args(p)
        if name == "grant":
            p.add_argument("--name", default="", help=t.H_GRANT_NAME)
        p.set_defaults(handler=handler)

    invite = verbs.add_parser("invite", help=t.H_INVITE).add_subparsers(metavar="ACTION")
    create = invite.add_parser("create", help=t.H_INVITE_CREATE)
    _target_args(create)
    create.add_argument("--days", type=int, default=7, help=t.H_INVITE_DAYS)
    create.set_defaults(handler=cmd_invite_create)
    invite.add_parser("list", help=t.H_INVITE_LIST).set_defaults(handler=cmd_invite_list)
    revoke = invite.add_parser("revoke", help=t.H_INVITE_REVOKE)
    revoke.add_argument("invite_id", type=int, help=t.H_INVITE_ID)
    revoke.set_defaults(handler=cmd_invite_revoke)


def _target_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", required=True, choices=[r.value for r in RoleKind], help=t.H_ROLE)
    p.add_argument("--district", help=t.H_ROLE_DISTRICT)
    p.add_argument("--unit", help=t.H_ROLE_UNIT)


@asynccontextmanager
async def _units_of_work(settings: Settings) -> AsyncIterator[UnitOfWorkFactory]:
    """The configured database for one verb, as a `uows` factory; disposed after."""
    from bot.main import open_database
    from storage.uow import unit_of_work_factory

    database = await open_database(settings)
    try:
        yield unit_of_work_factory(database)
    finally:
        await database.dispose()


async def _target(uows: UnitOfWorkFactory, args: argparse.Namespace) -> Grant:
    from bot.domain.vocab import resolve_district
    from bot.services import roles

    role = RoleKind(args.role)
    if role in (RoleKind.BUREAU, RoleKind.BUREAU_REVIEWER):
        if args.district or args.unit:
            raise CliError(t.ROLE_TAKES_NO_PLACE.format(role=role.value))
        return Grant(role=role)
    if role is RoleKind.DISTRICT:
        if not args.district or args.unit:
            raise CliError(t.ROLE_DISTRICT_NEEDS)
        target = await roles.find_target(uows, role, resolve_district(args.district).code)
        if target is None:
            raise CliError(t.UNKNOWN_DISTRICT.format(text=args.district))
        return target
    if not args.unit or args.district:
        raise CliError(t.ROLE_UNIT_NEEDS.format(role=role.value))
    target = await roles.find_target(uows, role, args.unit.strip().upper())
    if target is None:
        where = "expertbot draw units" if role is RoleKind.USER else "expertbot unit list"
        raise CliError(t.UNKNOWN_UNIT_CODE.format(code=args.unit, where=where))
    return target


def describe(g: Grant) -> str:
    """The role as the chat's /roles names it."""
    if g.role is RoleKind.BUREAU:
        return t.ROLE_BUREAU
    if g.role is RoleKind.BUREAU_REVIEWER:
        return t.ROLE_BUREAU_REVIEWER
    if g.role is RoleKind.DISTRICT:
        return t.ROLE_DISTRICT.format(district=g.district_name)
    if g.role is RoleKind.USER:
        return t.ROLE_USER.format(unit=g.unit_name, code=g.unit_code)
    return t.ROLE_UNIT.format(unit=g.unit_name, code=g.unit_code)


async def cmd_grant(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import roles
    from bot.services.accounts import person_of_telegram

    async with _units_of_work(settings) as uows:
        target = await _target(uows, args)
        person_id = await person_of_telegram(uows, args.telegram_id, SystemClock().now())
        added = await roles.grant(
            uows,
            person_id,
            target,
            granted_by=None,
            full_name=args.name.strip(),
            now=SystemClock().now(),
        )
    said = t.GRANTED if added else t.ALREADY_GRANTED
    out(said.format(telegram=args.telegram_id, person=person_id, role=describe(target)))
    return 0


async def cmd_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import review, roles
    from bot.services.accounts import TELEGRAM

    async with _units_of_work(settings) as uows:
        target = await _target(uows, args)
        async with uows() as uow:
            account = await uow.accounts.attached(TELEGRAM, str(args.telegram_id))
        removed = account is not None and await roles.revoke(uows, account.person_id, target)
        if not removed or account is None:
            raise CliError(t.NOT_HELD.format(telegram=args.telegram_id))
        moved = await review.moved_to_district(
            uows, target, account.person_id, SystemClock().now()
        )
        left = await review.waiting_for_nobody(uows, target)
    out(t.REVOKED.format(telegram=args.telegram_id, role=describe(target)))
    if moved is not None:
        # Told through the outbox: the running bot's reminder pass sends it.
        out(
            t.REVOKE_MOVES_TO_DISTRICT.format(
                unit=moved.unit, district=moved.district, count=moved.count, told=moved.told
            )
        )
    if target.role is RoleKind.BUREAU and args.telegram_id in settings.bureau_admin_ids:
        out(t.STILL_CONFIGURED)
    if left is not None:
        # Told here, not in Telegram: the bureau's once-per-district notice goes with the first
        # application that waits for nobody, and none of these will be first.
        out(t.REVOKE_LEAVES_NOBODY.format(district=left.district, count=left.count))
    return 0


async def cmd_invite_create(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.services import roles

    if args.role == RoleKind.BUREAU.value:
        raise CliError(t.BUREAU_GRANTED_DIRECTLY)
    if not 1 <= args.days <= 60:
        raise CliError(t.DAYS_RANGE.format(low=1, high=60))
    async with _units_of_work(settings) as uows:
        target = await _target(uows, args)
        invite = await roles.create_invite(
            uows,
            inviter_id=None,
            target=target,
            now=SystemClock().now(),
            ttl=timedelta(days=args.days),
        )
    out(
        t.INVITE_MADE.format(
            id=invite.id, role=describe(invite.grant), until=format_local(invite.expires_at)
        )
    )
    if settings.bot_username:
        out(f"https://t.me/{settings.bot_username}?start={invite.payload}")
    else:
        out(t.START_WITHOUT_LINK.format(payload=invite.payload))
    return 0


async def cmd_invite_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.services import roles

    async with _units_of_work(settings) as uows:
        invites = await roles.active_invites(uows, SystemClock().now())
    for row, grant in invites:
        if grant.unit_name:
            where = t.LISTING_INVITE_UNIT.format(name=grant.unit_name, code=grant.unit_code)
        else:
            where = grant.district_name or t.LISTING_INVITE_CITY
        who = t.BY_PERSON.format(id=row.created_by) if row.created_by else t.COMMAND_LINE
        by = t.LISTING_INVITE_BY.format(who=who)
        until = t.LISTING_INVITE_UNTIL.format(at=format_local(row.expires_at))
        out(f"{row.id}\t{row.role}\t{where}\t{by}\t{until}")
    return 0


async def cmd_invite_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import roles

    async with _units_of_work(settings) as uows:
        await roles.revoke_invite(uows, args.invite_id, by=None, now=SystemClock().now())
    out(t.INVITE_REVOKED.format(id=args.invite_id))
    return 0
