"""`expertbot campaign show|extend|close|open|reminders` and `expertbot remind`.

Registered through `bot.cli._EXTENSIONS`. aiogram is imported only when a
reminder is actually sent (`remind` without `--dry-run`).
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli import CliError, _open, database_session, out
from bot.config import Settings


def register(verbs: Any) -> None:
    campaign = _subparsers(verbs.choices["campaign"])

    show = campaign.add_parser("show", help="a campaign with its deadlines and reminder schedule")
    show.add_argument("--id", type=int, help="campaign id (default: the current one)")
    show.set_defaults(handler=cmd_show)

    extend = campaign.add_parser(
        "extend", help="move a deadline later and announce it to everyone it concerns"
    )
    extend.add_argument("--id", type=int, help="campaign id (default: the current one)")
    extend.add_argument("--unit-deadline", help='"YYYY-MM-DD HH:MM", Asia/Shanghai')
    extend.add_argument("--district-deadline", help='"YYYY-MM-DD HH:MM", Asia/Shanghai')
    extend.set_defaults(handler=cmd_extend)

    for verb, is_open, text in (
        ("close", False, "stop submissions and reminders"),
        ("open", True, "reopen a closed campaign"),
    ):
        p = campaign.add_parser(verb, help=text)
        p.add_argument("--id", type=int, help="campaign id (default: the current one)")
        p.set_defaults(handler=cmd_set_open, is_open=is_open)

    schedule = campaign.add_parser("reminders", help="set reminder offsets and quiet hours")
    schedule.add_argument("--id", type=int, help="campaign id (default: the current one)")
    schedule.add_argument("--offsets", required=True, help="e.g. 7d,3d,1d,3h")
    schedule.add_argument("--quiet", help="e.g. 22:00-08:00, or none")
    schedule.set_defaults(handler=cmd_schedule)

    remind = verbs.add_parser(
        "remind", help="send due reminders (every minute; --once for cron / systemd timers)"
    )
    remind.add_argument("--once", action="store_true", help="one pass, then exit")
    remind.add_argument(
        "--dry-run", action="store_true", help="list who would get what; send and record nothing"
    )
    remind.set_defaults(handler=cmd_remind)


def _subparsers(parser: argparse.ArgumentParser) -> Any:
    # argparse offers no public accessor for a parser's existing sub-commands.
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


async def _with_store(settings: Settings, campaign_id: int | None, use: Any = None) -> None:
    """Runs `use` on a reminder store, then prints the campaign as it now stands."""
    from bot.services import campaigns
    from storage.legacy import SqlReminderStore

    async with database_session(settings) as session:
        store = SqlReminderStore(session)
        if use is not None:
            await use(store)
        out(campaigns.describe(await campaigns.plan_of(store, campaign_id)))


async def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    await _with_store(settings, args.id)
    return 0


async def cmd_extend(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.domain.parsers import parse_deadline
    from bot.domain.reminders import DeadlineKind
    from bot.services import campaigns

    changes = [
        (kind, text)
        for kind, text in (
            (DeadlineKind.UNIT, args.unit_deadline),
            (DeadlineKind.DISTRICT, args.district_deadline),
        )
        if text
    ]
    if not changes:
        raise CliError("give --unit-deadline and/or --district-deadline")
    try:
        parsed = [(kind, parse_deadline(text)) for kind, text in changes]
    except ValueError as problem:
        raise CliError(f"bad deadline: {problem}") from None

    async def extend(store: Any) -> None:
        plan = await campaigns.plan_of(store, args.id)
        # The district deadline first, so that a unit deadline moved past the old one is valid.
        for kind, at in sorted(parsed, key=lambda p: p[0] is DeadlineKind.UNIT):
            await campaigns.extend_deadline(
                store, plan.campaign.id, kind, at, SystemClock().now()
            )

    await _with_store(settings, args.id, extend)
    return 0


async def cmd_set_open(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import campaigns

    async def set_open(store: Any) -> None:
        plan = await campaigns.plan_of(store, args.id)
        await campaigns.set_open(store, plan.campaign.id, args.is_open)

    await _with_store(settings, args.id, set_open)
    return 0


async def cmd_schedule(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import campaigns

    async def schedule(store: Any) -> None:
        plan = await campaigns.plan_of(store, args.id)
        await campaigns.set_schedule(store, plan.campaign.id, args.offsets, args.quiet)

    await _with_store(settings, args.id, schedule)
    return 0


async def cmd_remind(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.services import reminders
    from storage.legacy import reminder_store_factory

    clock = SystemClock()
    database = await _open(settings)
    stores = reminder_store_factory(database)
    try:
        if args.dry_run:
            report = await reminders.send_due_reminders(stores, _NoSender(), clock, dry_run=True)
            now = clock.now()
            for n in report.planned:
                format_local(n.due_at) if n.due_at else "now"
                reminders.notice_text(n, now).replace("\n", " / ")
            return 0
        if not settings.bot_token:
            raise CliError("BOT_TOKEN is not set; use --dry-run to see what would be sent")
        from bot.main import create_bot
        from bot.ratelimit import RateLimiter
        from handlers.sending import TelegramSender

        bot = create_bot(settings)
        sender = TelegramSender(bot, RateLimiter(), clock)
        try:
            if args.once:
                report = await reminders.send_due_reminders(
                    stores, sender, clock, admin_ids=settings.bureau_admin_ids
                )
            else:
                await reminders.run_reminders(
                    stores, sender, clock, asyncio.Event(), admin_ids=settings.bureau_admin_ids
                )
        finally:
            await bot.session.close()
    finally:
        await database.dispose()
    return 0


class _NoSender:
    async def send(self, notice: Any) -> Any:
        raise AssertionError("dry run sends nothing")
