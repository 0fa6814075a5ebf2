"""The `expertbot` command: run the bot, manage the database, campaigns and units.

Each verb is a small function registered on the parser. Errors are one clear
line on stderr and exit status 2, never a traceback. aiogram is imported
only by the verbs that talk to Telegram, since importing it is slow.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.config import Settings, SettingsError, load_settings
from bot.domain.errors import DomainError
from bot.domain.units import new_unit_code
from bot.domain.vocab import UNIT_KINDS
from bot.log_lines import command_log_lines
from bot.loop import run
from bot.texts import cli as t

Handler = Callable[[argparse.Namespace, Settings], Awaitable[int | None]]


class CliError(Exception):
    """A mistake in the command line; the message is shown as it is."""


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        raise SystemExit(2)
    try:
        settings = load_settings()
        log_format = getattr(args, "log_format", settings.log_format)
        with command_log_lines(log_format, settings.log_level):
            code = run(args.handler(args, settings))
    except (SettingsError, CliError, DomainError, ValueError) as problem:
        print(f"expertbot: {problem}", file=sys.stderr)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        code = 130
    raise SystemExit(code or 0)


class Parser(argparse.ArgumentParser):
    """argparse's parser with its `-h` described in Chinese; sub-commands are built as this class too.

    The rest of argparse's own words (usage:, options:, error:) come from its gettext catalogue.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", help=t.HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="expertbot", description=t.DESCRIPTION)
    verbs = parser.add_subparsers(title=t.COMMANDS, metavar="COMMAND")

    run = verbs.add_parser("run", help=t.H_RUN)
    run.add_argument("--webhook", action="store_true", help=t.H_RUN_WEBHOOK)
    run.set_defaults(handler=cmd_run)

    console = verbs.add_parser("console", help=t.H_CONSOLE)
    console.add_argument("--db", default="expertbot-demo.db", help=t.H_CONSOLE_DB)
    console.set_defaults(handler=cmd_console, log_format="console")

    db = verbs.add_parser("db", help=t.H_DB).add_subparsers(metavar="ACTION")
    db.add_parser("upgrade", help=t.H_DB_UPGRADE).set_defaults(handler=cmd_db_upgrade)

    campaign = verbs.add_parser("campaign", help=t.H_CAMPAIGN).add_subparsers(metavar="ACTION")
    create = campaign.add_parser("create", help=t.H_CAMPAIGN_CREATE)
    create.add_argument("--name", required=True, help=t.H_CAMPAIGN_NAME)
    create.add_argument("--unit-deadline", required=True, help=t.H_UNIT_DEADLINE)
    create.add_argument("--district-deadline", required=True, help=t.H_DISTRICT_DEADLINE)
    create.set_defaults(handler=cmd_campaign_create)
    campaign.add_parser("list", help=t.H_CAMPAIGN_LIST).set_defaults(handler=cmd_campaign_list)

    unit = verbs.add_parser("unit", help=t.H_UNIT).add_subparsers(metavar="ACTION")
    add = unit.add_parser("add", help=t.H_UNIT_ADD)
    add.add_argument("--district", required=True, help=t.H_DISTRICT)
    add.add_argument("--name", required=True, help=t.H_UNIT_NAME)
    add.add_argument("--kind", default="企业", help=t.H_UNIT_KIND.format(kinds="|".join(UNIT_KINDS)))
    add.set_defaults(handler=cmd_unit_add)
    unit.add_parser("list", help=t.H_UNIT_LIST).set_defaults(handler=cmd_unit_list)

    for register in _EXTENSIONS:
        register(verbs)
    return parser


_EXTENSIONS: list[Callable[[Any], None]] = []
"""Other modules' verbs (review, exports, stats, reminders) register here."""


async def _open(settings: Settings) -> Any:
    from bot.main import open_database

    return await open_database(settings)


def out(line: str) -> None:
    """One line of a verb's result on stdout."""
    sys.stdout.write(line + "\n")


@asynccontextmanager
async def open_uows(settings: Settings) -> AsyncIterator[Any]:
    """The configured database's units of work for one CLI verb; the database is disposed after."""
    from storage.uow import unit_of_work_factory as factory

    database = await _open(settings)
    try:
        yield factory(database)
    finally:
        await database.dispose()


@asynccontextmanager
async def database_session(settings: Settings) -> AsyncIterator[Any]:
    """One session on the configured database for a CLI verb; the database is disposed after."""
    database = await _open(settings)
    try:
        async with database.session() as session:
            yield session
    finally:
        await database.dispose()


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.bot_token:
        raise CliError(t.NO_TOKEN)
    from bot.logs import configure_logging
    from bot.main import check_telegram, configure_keys, run_polling, run_webhook

    if configure_keys(settings) is None:
        raise CliError(t.MISSING_KEY)
    webhook = getattr(args, "webhook", False) or bool(settings.webhook_url)
    if webhook:
        from bot.webhook import check_webhook_settings

        check_webhook_settings(settings)
    await check_telegram(settings, polling=not webhook)
    configure_logging(settings.log_format, settings.log_level)
    await (run_webhook(settings) if webhook else run_polling(settings))
    return 0


async def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    await run_console(settings, args.db)
    return 0


async def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    database = await _open(settings)
    await database.dispose()
    out(t.DB_UP_TO_DATE)
    return 0


async def cmd_campaign_create(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.domain.parsers import parse_deadline
    from bot.services import campaigns

    try:
        unit_deadline = parse_deadline(args.unit_deadline)
        district_deadline = parse_deadline(args.district_deadline)
    except ValueError as problem:
        raise CliError(t.BAD_DEADLINE.format(problem=problem)) from None
    if district_deadline <= unit_deadline:
        raise CliError(t.DEADLINES_ORDER)
    name = args.name.strip()
    if not name or len(name) > 100:
        raise CliError(t.CAMPAIGN_NAME_LENGTH)
    now = SystemClock().now()
    async with open_uows(settings) as uows:
        campaign_id = await campaigns.create_campaign(
            uows,
            name=name,
            unit_deadline=unit_deadline,
            district_deadline=district_deadline,
            now=now,
        )
        earlier = [c for c in await campaigns.all_campaigns(uows) if c.id != campaign_id]
    out(
        t.CAMPAIGN_CREATED.format(
            id=campaign_id,
            name=name,
            unit_deadline=format_local(unit_deadline),
            district_deadline=format_local(district_deadline),
        )
    )
    if unit_deadline <= now:
        out(t.CAMPAIGN_DEADLINE_PAST.format(unit_deadline=format_local(unit_deadline)))
    for c in earlier:
        if c.is_open:
            out(t.CAMPAIGN_STILL_OPEN.format(id=c.id, name=c.name, new=campaign_id))
    return 0


async def cmd_campaign_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import format_local
    from bot.services import campaigns

    async with open_uows(settings) as uows:
        found = await campaigns.all_campaigns(uows)
    for c in found:
        state = t.LISTING_OPEN if c.is_open else t.LISTING_CLOSED
        out(
            f"{c.id}\t{c.name}\t{format_local(c.unit_deadline)}\t"
            f"{format_local(c.district_deadline)}\t{state}"
        )
    return 0


async def cmd_unit_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.domain.vocab import resolve_district
    from bot.services import campaigns

    if args.kind not in UNIT_KINDS:
        raise CliError(t.UNIT_KIND.format(kinds="|".join(UNIT_KINDS)))
    district = resolve_district(args.district)
    name = args.name.strip()
    if not 2 <= len(name) <= 100:
        raise CliError(t.UNIT_NAME_LENGTH)
    async with open_uows(settings) as uows:
        unit = await campaigns.add_unit(
            uows,
            district_code=district.code,
            name=name,
            kind=args.kind,
            code=new_unit_code(),
            now=SystemClock().now(),
        )
    if unit is None:
        raise CliError(t.UNIT_EXISTS.format(district=district.name, name=name))
    out(t.UNIT_ADDED.format(code=unit.code, name=unit.name, kind=unit.kind, district=unit.district_name))
    out(t.APPLICANT_LINK.format(link=await applicant_link(settings, unit.code)))
    return 0


async def cmd_unit_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import campaigns

    async with open_uows(settings) as uows:
        units = await campaigns.all_units(uows)
    for u in units:
        out(f"{u.code}\t{u.name}\t{u.kind}\t{u.district_name}")
    return 0


async def applicant_link(settings: Settings, unit_code: str) -> str:
    """`t.me/<bot>?start=u_<code>` when the bot's name is known, else the /start text."""
    username = settings.bot_username
    if username:
        return f"https://t.me/{username}?start=u_{unit_code}"
    return t.START_WITHOUT_LINK.format(payload=f"u_{unit_code}")


def _register_campaign_verbs(verbs: Any) -> None:
    from bot.cli_campaign import register

    register(verbs)


_EXTENSIONS.append(_register_campaign_verbs)


def _register_review_verbs(verbs: Any) -> None:
    from bot.cli_review import register

    register(verbs)


_EXTENSIONS.append(_register_review_verbs)


def _register_people_verbs(verbs: Any) -> None:
    from bot.cli_people import register

    register(verbs)


_EXTENSIONS.append(_register_people_verbs)


def _register_registry_verbs(verbs: Any) -> None:
    from bot.cli_registry import register, register_import

    register(verbs)
    register_import(verbs)


_EXTENSIONS.append(_register_registry_verbs)


def _register_draw_verbs(verbs: Any) -> None:
    from bot.cli_draws import register

    register(verbs)


_EXTENSIONS.append(_register_draw_verbs)


def _register_export_verbs(verbs: Any) -> None:
    from bot.cli_export import register

    register(verbs)


_EXTENSIONS.append(_register_export_verbs)


def _register_stats_verbs(verbs: Any) -> None:
    from bot.cli_stats import register

    register(verbs)


_EXTENSIONS.append(_register_stats_verbs)


def _register_privacy_verbs(verbs: Any) -> None:
    from bot.cli_keys import register

    register(verbs)


_EXTENSIONS.append(_register_privacy_verbs)


if __name__ == "__main__":
    main()
