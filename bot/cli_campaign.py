"""`expertbot campaign show|extend|close|open|reminders|certificates` and `expertbot remind`.

Registered through `bot.cli._EXTENSIONS`. aiogram is imported only when a
reminder is actually sent (`remind` without `--dry-run`).
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli import CliError, open_uows, out
from bot.config import Settings
from bot.texts import cli as t


def register(verbs: Any) -> None:
    campaign = _subparsers(verbs.choices["campaign"])

    show = campaign.add_parser("show", help=t.H_CAMPAIGN_SHOW)
    show.add_argument("--id", type=int, help=t.H_CAMPAIGN_ID)
    show.set_defaults(handler=cmd_show)

    extend = campaign.add_parser("extend", help=t.H_CAMPAIGN_EXTEND)
    extend.add_argument("--id", type=int, help=t.H_CAMPAIGN_ID)
    extend.add_argument("--unit-deadline", help=t.H_NEW_UNIT_DEADLINE)
    extend.add_argument("--district-deadline", help=t.H_NEW_DISTRICT_DEADLINE)
    extend.set_defaults(handler=cmd_extend)

    for verb, is_open, text in (
        ("close", False, t.H_CAMPAIGN_CLOSE),
        ("open", True, t.H_CAMPAIGN_OPEN),
    ):
        p = campaign.add_parser(verb, help=text)
        p.add_argument("--id", type=int, help=t.H_CAMPAIGN_ID)
        p.set_defaults(handler=cmd_set_open, is_open=is_open)

    schedule = campaign.add_parser("reminders", help=t.H_CAMPAIGN_REMINDERS)
    schedule.add_argument("--id", type=int, help=t.H_CAMPAIGN_ID)
    schedule.add_argument("--offsets", required=True, help=t.H_OFFSETS)
    schedule.add_argument("--quiet", help=t.H_QUIET)
    schedule.set_defaults(handler=cmd_schedule)

    numbers = campaign.add_parser("certificates", help=t.H_CERTIFICATES)
    numbers.add_argument("--id", type=int, help=t.H_CAMPAIGN_ID)
    numbers.add_argument("--format", required=True, help=t.H_CERTIFICATE_FORMAT)
    numbers.set_defaults(handler=cmd_certificates)

    remind = verbs.add_parser("remind", help=t.H_REMIND)
    remind.add_argument("--once", action="store_true", help=t.H_REMIND_ONCE)
    remind.add_argument("--dry-run", action="store_true", help=t.H_REMIND_DRY_RUN)
    remind.set_defaults(handler=cmd_remind)


def _subparsers(parser: argparse.ArgumentParser) -> Any:
    # argparse offers no public accessor for a parser's existing sub-commands.
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


async def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import campaigns

    async with open_uows(settings) as uows:
        out(campaigns.describe(await campaigns.show(uows, args.id)))
    return 0


async def cmd_extend(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.domain.parsers import parse_deadline
    from bot.domain.reminders import DeadlineKind
    from bot.services import campaigns

    given = {DeadlineKind.UNIT: args.unit_deadline, DeadlineKind.DISTRICT: args.district_deadline}
    if not any(given.values()):
        raise CliError(t.GIVE_A_DEADLINE)
    try:
        changes = {kind: parse_deadline(text) for kind, text in given.items() if text}
    except ValueError as problem:
        raise CliError(t.BAD_DEADLINE.format(problem=problem)) from None
    async with open_uows(settings) as uows:
        extended = await campaigns.extend_deadline(
            uows, changes, SystemClock().now(), campaign_id=args.id
        )
    out(campaigns.describe(extended.plan))
    return 0


async def cmd_set_open(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import campaigns

    async with open_uows(settings) as uows:
        plan = await campaigns.set_open(uows, args.is_open, campaign_id=args.id)
    out(campaigns.describe(plan))
    return 0


async def cmd_schedule(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import campaigns

    async with open_uows(settings) as uows:
        plan = await campaigns.set_schedule(uows, args.offsets, args.quiet, campaign_id=args.id)
    out(campaigns.describe(plan))
    return 0


async def cmd_certificates(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import registry

    async with open_uows(settings) as uows:
        done = await registry.set_certificate_format(
            uows, args.format, campaign_id=args.id, by=None, now=SystemClock().now()
        )
    out(
        t.CERTIFICATE_FORMAT_SET.format(
            id=done.campaign.id, name=done.campaign.name, template=done.template, example=done.example
        )
    )
    return 0


async def cmd_remind(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.services import reminders

    clock = SystemClock()
    async with open_uows(settings) as uows:
        if args.dry_run:
            report = await reminders.send_due_reminders(uows, _NoSender(), clock, dry_run=True)
            now = clock.now()
            for n in report.planned:
                due = format_local(n.due_at) if n.due_at else t.LISTING_DUE_NOW
                out(f"{due}\t{n.recipient_id}\t{reminders.notice_text(n, now).replace(chr(10), ' / ')}")
            out(t.DRY_RUN_DONE.format(due=len(report.planned)))
            return 0
        if not settings.bot_token:
            raise CliError(t.REMIND_NEEDS_TOKEN)
        from bot.main import check_telegram, create_bot, freeze_startup_objects
        from bot.ratelimit import RateLimiter
        from bot.services.accounts import configured_admins
        from bot.webhook import stop_on_signals
        from handlers.sending import TelegramSender

        # A refused token would fail every message of the pass, each with a traceback.
        await check_telegram(settings, polling=False)
        bot = create_bot(settings)
        sender = TelegramSender(bot, RateLimiter(), clock, uows)
        admins = await configured_admins(uows, settings.bureau_admin_ids, clock.now())
        # SIGTERM and Ctrl-C end the pass after the messages in flight; it releases the rest.
        stop = asyncio.Event()
        stop_on_signals(stop)
        # As in `expertbot run`: a full collection over the imported libraries stopped the pass
        # for 250-300 ms, and the messages it held back left together (429s at 10,000).
        freeze_startup_objects()
        try:
            if args.once:
                report = await reminders.send_due_reminders(
                    uows, sender, clock, admin_ids=admins, stop=stop
                )
                out(
                    t.REMIND_DONE.format(
                        due=len(report.planned),
                        sent=report.sent,
                        unreachable=report.unreachable,
                        failed=report.failed,
                        retry=report.retry,
                    )
                )
            else:
                await reminders.run_reminders(
                    uows, sender, clock, stop, admin_ids=admins
                )
        finally:
            await bot.session.close()
    return 0


class _NoSender:
    async def send(self, notice: Any) -> Any:
        raise AssertionError("dry run sends nothing")
