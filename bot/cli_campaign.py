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

    numbers = campaign.add_parser(
        "certificates", help="set the certificate number format (聘书编号), e.g. CQGSYF-{year}-{number:04d}"
    )
    numbers.add_argument("--id", type=int, help="campaign id (default: the current one)")
    numbers.add_argument(
        "--format", required=True, help="capitals, {year}, then a 3-6 digit serial: {number:04d}"
    )
    numbers.set_defaults(handler=cmd_certificates)

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
        raise CliError("give --unit-deadline and/or --district-deadline")
    try:
        changes = {kind: parse_deadline(text) for kind, text in given.items() if text}
    except ValueError as problem:
        raise CliError(f"bad deadline: {problem}") from None
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
        f"campaign #{done.campaign.id} {done.campaign.name}: certificates numbered "
        f"{done.template} (e.g. {done.example})"
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
                due = format_local(n.due_at) if n.due_at else "now"
                out(f"{due}\t{n.recipient_id}\t{reminders.notice_text(n, now).replace(chr(10), ' / ')}")
            out(f"{len(report.planned)} due; nothing sent (dry run)")
            return 0
        if not settings.bot_token:
            raise CliError("BOT_TOKEN is not set; use --dry-run to see what would be sent")
        from bot.main import create_bot, freeze_startup_objects
        from bot.ratelimit import RateLimiter
        from bot.services.accounts import configured_admins
        from bot.webhook import stop_on_signals
        from handlers.sending import TelegramSender

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
                    f"{len(report.planned)} due: {report.sent} sent, {report.unreachable} "
                    f"unreachable, {report.failed} failed, {report.retry} to retry"
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
