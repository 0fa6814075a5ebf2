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
from bot.texts import cli as t


def register(verbs: Any) -> None:
    person = verbs.add_parser("person", help=t.H_PERSON).add_subparsers(metavar="ACTION")
    show = person.add_parser("show", help=t.H_PERSON_SHOW)
    _who_args(show)
    show.set_defaults(handler=cmd_show)
    rebind = person.add_parser("rebind", help=t.H_PERSON_REBIND)
    _who_args(rebind)
    rebind.add_argument("--days", type=int, default=3, help=t.H_REBIND_DAYS)
    rebind.set_defaults(handler=cmd_rebind)


def _who_args(p: argparse.ArgumentParser) -> None:
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", type=int, help=t.H_PERSON_ID)
    who.add_argument("--telegram", type=int, help=t.H_PERSON_TELEGRAM)


async def _person(uows: Any, args: argparse.Namespace) -> int:
    from bot.services import accounts

    if args.person is not None:
        return int(args.person)
    async with uows() as uow:
        account = await uow.accounts.attached(accounts.TELEGRAM, str(args.telegram))
    if account is None:
        raise CliError(t.NO_SUCH_ACCOUNT.format(telegram=args.telegram))
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
                raise CliError(t.NO_SUCH_PERSON.format(id=person_id))
            held = await uow.accounts.accounts_of(person_id)
            grants = await grants_of(uow, person_id)
            apps = await uow.applications.applications_of(person_id)
            events = await uow.accounts.events_of(person_id)
    out(t.PERSON.format(id=person_id, name=row.full_name or t.NO_NAME))
    for a in held:
        seen = format_local(a.last_seen_at) if a.last_seen_at else t.NEVER
        flag = t.UNREACHABLE if a.unreachable else ""
        names = " ".join(x for x in (f"@{a.username}" if a.username else "", a.display_name) if x)
        who = t.ACCOUNT_WHO.format(chat=a.chat_id, names=f"（{names}）" if names else "")
        out(t.ACCOUNT.format(id=a.id, who=who, seen=seen, flag=flag))
    for g in grants:
        out(t.ROLE.format(role=describe(g)))
    out(t.APPLICATIONS.format(count=len(apps)))
    for action, actor, detail, at in events:
        by = t.BY_PERSON.format(id=actor) if actor is not None else t.COMMAND_LINE
        out(t.PERSON_EVENT.format(at=format_local(at), action=action, by=by, detail=detail))
    return 0


async def cmd_rebind(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.domain.errors import DomainError
    from bot.services import accounts

    if not 1 <= args.days <= 14:
        raise CliError(t.DAYS_RANGE.format(low=1, high=14))
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
        t.REBIND_LINK.format(
            id=person_id,
            name=link.person_name or t.REBIND_NO_NAME,
            until=format_local(link.expires_at),
        )
    )
    if settings.bot_username:
        out(f"https://t.me/{settings.bot_username}?start={link.payload}")
    else:
        out(t.START_WITHOUT_LINK.format(payload=link.payload))
    return 0
