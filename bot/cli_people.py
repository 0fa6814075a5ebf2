"""`expertbot person show|rebind`: persons, their accounts, and moving them to another account.

A person is named by the project's id (`--person N`) or by the Telegram user
id of their account (`--telegram ID`). Registered into bot/cli.py's parser.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from bot.cli import CliError, open_uows, out
from bot.config import Settings


def register(verbs: Any) -> None:
    person = verbs.add_parser("person", help="persons and their accounts").add_subparsers(
        metavar="ACTION"
    )
    show = person.add_parser("show", help="a person's accounts, roles and account history")
    _who_args(show)
    show.set_defaults(handler=cmd_show)
    rebind = person.add_parser(
        "rebind", help="a one-time link that makes whoever opens it this person's account"
    )
    _who_args(rebind)
    rebind.add_argument("--days", type=int, default=3, help="valid for this many days (3)")
    rebind.set_defaults(handler=cmd_rebind)


def _who_args(p: argparse.ArgumentParser) -> None:
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", type=int, help="the person's id")
    who.add_argument("--telegram", type=int, help="the Telegram user id of their account")


async def _person(uows: Any, args: argparse.Namespace) -> int:
    from bot.services import accounts

    if args.person is not None:
        return int(args.person)
    async with uows() as uow:
        account = await uow.accounts.attached(accounts.TELEGRAM, str(args.telegram))
    if account is None:
        raise CliError(f"no person has the Telegram account {args.telegram}")
    return account.person_id


async def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_review import describe
    from bot.clock import format_local
    from bot.services.roles import grants_of

    async with open_uows(settings) as uows:
        person_id = await _person(uows, args)
        async with uows() as uow:
            row = await uow.people.person(person_id)
            if row is None:
                raise CliError(f"no person {person_id}")
            held = await uow.accounts.accounts_of(person_id)
            grants = await grants_of(uow, person_id)
            apps = await uow.applications.applications_of(person_id)
            events = await uow.accounts.events_of(person_id)
    out(f"person {person_id}: {row.full_name or '(no name)'}")
    for a in held:
        seen = format_local(a.last_seen_at) if a.last_seen_at else "never"
        flag = ", unreachable" if a.unreachable else ""
        out(f"  account {a.id}: @{a.username or '-'} {a.display_name}, last seen {seen}{flag}")
    for g in grants:
        out(f"  role: {describe(g)}")
    out(f"  applications: {len(apps)}")
    for action, actor, detail, at in events:
        by = f"person {actor}" if actor is not None else "command line"
        out(f"  {format_local(at)} {action} by {by} {detail}")
    return 0


async def cmd_rebind(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.domain.errors import DomainError
    from bot.services import accounts

    if not 1 <= args.days <= 14:
        raise CliError("--days must be between 1 and 14")
    async with open_uows(settings) as uows:
        person_id = await _person(uows, args)
        now = SystemClock().now()
        admins = await accounts.configured_admins(uows, settings.bureau_admin_ids, now)
        try:
            link = await accounts.create_rebind_link(
                uows,
                person_id=person_id,
                by=None,
                admin_ids=admins,
                now=now,
                ttl=timedelta(days=args.days),
            )
        except DomainError as refused:
            raise CliError(str(refused)) from None
    out(
        f"rebind link for person {person_id} ({link.person_name or 'no name'}), valid until "
        f"{format_local(link.expires_at)} (Asia/Shanghai), one use; whoever opens it becomes "
        "this person's Telegram account and the old one is detached"
    )
    if settings.bot_username:
        out(f"https://t.me/{settings.bot_username}?start={link.payload}")
    else:
        out(f"/start {link.payload}  (set BOT_USERNAME to print a t.me link)")
    return 0
