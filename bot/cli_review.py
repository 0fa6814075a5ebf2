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


def register(verbs: Any) -> None:
    for name, handler, help_text in (
        ("grant", cmd_grant, "give a person a reviewer or admin role"),
        ("revoke", cmd_revoke, "take a role away"),
    ):
        p = verbs.add_parser(name, help=help_text)
        p.add_argument("telegram_id", type=int, help="the person's Telegram user id")
        _target_args(p)
        if name == "grant":
            p.add_argument("--name", default="", help="the person's name, if not yet known")
        p.set_defaults(handler=handler)

    invite = verbs.add_parser("invite", help="one-time invite links").add_subparsers(
        metavar="ACTION"
    )
    create = invite.add_parser(
        "create", help="make a link that grants a bureau reviewer, district or unit role"
    )
    _target_args(create)
    create.add_argument("--days", type=int, default=7, help="valid for this many days (7)")
    create.set_defaults(handler=cmd_invite_create)
    invite.add_parser("list", help="list unused, unexpired invites").set_defaults(
        handler=cmd_invite_list
    )
    revoke = invite.add_parser("revoke", help="revoke an unused invite")
    revoke.add_argument("invite_id", type=int)
    revoke.set_defaults(handler=cmd_invite_revoke)


def _target_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in RoleKind],
        help="bureau (admin), bureau_rv (bureau reviewer: qualification review), district, unit, "
        "user (using unit: draws experts)",
    )
    p.add_argument("--district", help="district code or name (for --role district)")
    p.add_argument("--unit", help="unit code (for --role unit), using unit code (for --role user)")


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
            raise CliError(f"--role {role.value} takes neither --district nor --unit")
        return Grant(role=role)
    if role is RoleKind.DISTRICT:
        if not args.district or args.unit:
            raise CliError("--role district needs --district (code or name) and no --unit")
        target = await roles.find_target(uows, role, resolve_district(args.district).code)
        if target is None:
            raise CliError(f"unknown district: {args.district}")
        return target
    if not args.unit or args.district:
        raise CliError(f"--role {role.value} needs --unit CODE and no --district")
    target = await roles.find_target(uows, role, args.unit.strip().upper())
    if target is None:
        where = "expertbot draw units" if role is RoleKind.USER else "expertbot unit list"
        raise CliError(f"unknown unit code: {args.unit} (see: {where})")
    return target


def describe(g: Grant) -> str:
    if g.role is RoleKind.BUREAU:
        return "bureau admin"
    if g.role is RoleKind.BUREAU_REVIEWER:
        return "bureau reviewer (qualification review)"
    if g.role is RoleKind.DISTRICT:
        return f"district reviewer of {g.district_name}"
    if g.role is RoleKind.USER:
        return f"using unit {g.unit_name} ({g.unit_code})"
    return f"unit reviewer of {g.unit_name} ({g.unit_code})"


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
    state = "is now" if added else "already was"
    out(f"Telegram {args.telegram_id} (person {person_id}) {state} {describe(target)}")
    return 0


async def cmd_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import roles
    from bot.services.accounts import TELEGRAM

    async with _units_of_work(settings) as uows:
        target = await _target(uows, args)
        async with uows() as uow:
            account = await uow.accounts.attached(TELEGRAM, str(args.telegram_id))
        removed = account is not None and await roles.revoke(uows, account.person_id, target)
    if not removed:
        raise CliError(f"{args.telegram_id} does not hold that role")
    out(f"{args.telegram_id} is no longer {describe(target)}")
    if target.role is RoleKind.BUREAU and args.telegram_id in settings.bureau_admin_ids:
        out("note: the id is still in BUREAU_ADMIN_IDS, which grants bureau admin by itself")
    return 0


async def cmd_invite_create(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.services import roles

    if args.role == RoleKind.BUREAU.value:
        raise CliError("bureau admins are granted directly: expertbot grant ID --role bureau")
    if not 1 <= args.days <= 60:
        raise CliError("--days must be between 1 and 60")
    async with _units_of_work(settings) as uows:
        target = await _target(uows, args)
        invite = await roles.create_invite(
            uows,
            inviter_id=None,
            target=target,
            now=SystemClock().now(),
            ttl=timedelta(days=args.days),
        )
    out(f"invite {invite.id} for {describe(invite.grant)}, valid until "
         f"{format_local(invite.expires_at)} (Asia/Shanghai), one use")
    if settings.bot_username:
        out(f"https://t.me/{settings.bot_username}?start={invite.payload}")
    else:
        out(f"/start {invite.payload}  (set BOT_USERNAME to print a t.me link)")
    return 0


async def cmd_invite_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.services import roles

    async with _units_of_work(settings) as uows:
        invites = await roles.active_invites(uows, SystemClock().now())
    for row in invites:
        if row.unit_id is not None:
            where = f"unit {row.unit_id}"
        elif row.district_id is not None:
            where = f"district {row.district_id}"
        else:
            where = "city"
        out(
            f"{row.id}\t{row.role}\t{where}\tby {row.created_by or 'cli'}\t"
            f"until {format_local(row.expires_at)}"
        )
    return 0


async def cmd_invite_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import roles

    async with _units_of_work(settings) as uows:
        await roles.revoke_invite(uows, args.invite_id, by=None, now=SystemClock().now())
    out(f"invite {args.invite_id} revoked")
    return 0
