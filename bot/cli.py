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
from bot.loop import run

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
        code = run(args.handler(args, settings))
    except (SettingsError, CliError, DomainError, ValueError) as problem:
        print(f"expertbot: {problem}", file=sys.stderr)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        code = 130
    raise SystemExit(code or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="expertbot", description="重庆市工伤预防专家库申报 Telegram bot"
    )
    verbs = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = verbs.add_parser(
        "run", help="run the bot: long polling, or a webhook server; applies migrations first"
    )
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram's webhook (WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_HOST, WEBHOOK_PORT); "
        "implied when WEBHOOK_URL is set",
    )
    run.set_defaults(handler=cmd_run)

    console = verbs.add_parser(
        "console", help="chat with the bot offline in the terminal (no token, no network)"
    )
    console.add_argument("--db", default="expertbot-demo.db", help="demo database file")
    console.set_defaults(handler=cmd_console)

    db = verbs.add_parser("db", help="database schema").add_subparsers(metavar="ACTION")
    db.add_parser("upgrade", help="apply pending migrations").set_defaults(handler=cmd_db_upgrade)

    campaign = verbs.add_parser("campaign", help="campaigns (征集批次)").add_subparsers(
        metavar="ACTION"
    )
    create = campaign.add_parser("create", help="open a new campaign")
    create.add_argument("--name", required=True)
    create.add_argument("--unit-deadline", required=True, help='"YYYY-MM-DD HH:MM", Asia/Shanghai')
    create.add_argument(
        "--district-deadline", required=True, help='"YYYY-MM-DD HH:MM", Asia/Shanghai'
    )
    create.set_defaults(handler=cmd_campaign_create)
    campaign.add_parser("list", help="list campaigns").set_defaults(handler=cmd_campaign_list)

    unit = verbs.add_parser("unit", help="units (工作单位)").add_subparsers(metavar="ACTION")
    add = unit.add_parser("add", help="register a unit and print its applicant link")
    add.add_argument("--district", required=True, help="district code or name")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", default="企业", help="高等院校|科研机构|医疗卫生机构|行政机关|事业单位|企业|行业协会")
    add.set_defaults(handler=cmd_unit_add)
    unit.add_parser("list", help="list units").set_defaults(handler=cmd_unit_list)

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
        raise CliError(
            "BOT_TOKEN is not set. Put it in the environment or .env; "
            "to try the bot without Telegram, run: expertbot console"
        )
    from bot.logs import configure_logging
    from bot.main import MISSING_KEY, configure_keys, run_polling, run_webhook

    if configure_keys(settings) is None:
        raise SettingsError(MISSING_KEY)

    if getattr(args, "webhook", False) or settings.webhook_url:
        from bot.webhook import check_webhook_settings

        check_webhook_settings(settings)
        configure_logging(settings.log_format, settings.log_level)
        await run_webhook(settings)
    else:
        configure_logging(settings.log_format, settings.log_level)
        await run_polling(settings)
    return 0


async def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    await run_console(settings, args.db)
    return 0


async def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    database = await _open(settings)
    await database.dispose()
    print("database is up to date")
    return 0


async def cmd_campaign_create(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.domain.parsers import parse_deadline
    from bot.services import campaigns

    try:
        unit_deadline = parse_deadline(args.unit_deadline)
        district_deadline = parse_deadline(args.district_deadline)
    except ValueError as problem:
        raise CliError(f"bad deadline: {problem}") from None
    if district_deadline <= unit_deadline:
        raise CliError("the district deadline must come after the unit deadline")
    name = args.name.strip()
    if not name or len(name) > 100:
        raise CliError("the name must be 1 to 100 characters")
    async with open_uows(settings) as uows:
        campaign_id = await campaigns.create_campaign(
            uows,
            name=name,
            unit_deadline=unit_deadline,
            district_deadline=district_deadline,
            now=SystemClock().now(),
        )
    print(
        f"campaign {campaign_id}: {name}; unit deadline {format_local(unit_deadline)}, "
        f"district deadline {format_local(district_deadline)} (Asia/Shanghai)"
    )
    return 0


async def cmd_campaign_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import format_local
    from bot.services import campaigns

    async with open_uows(settings) as uows:
        found = await campaigns.all_campaigns(uows)
    for c in found:
        state = "open" if c.is_open else "closed"
        print(
            f"{c.id}\t{c.name}\t{format_local(c.unit_deadline)}\t"
            f"{format_local(c.district_deadline)}\t{state}"
        )
    return 0


async def cmd_unit_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.domain.vocab import UNIT_KINDS, resolve_district
    from bot.services import campaigns

    if args.kind not in UNIT_KINDS:
        raise CliError(f"--kind must be one of: {'|'.join(UNIT_KINDS)}")
    district = resolve_district(args.district)
    name = args.name.strip()
    if not 2 <= len(name) <= 100:
        raise CliError("the unit name must be 2 to 100 characters")
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
        raise CliError(f"{district.name} already has a unit named {name}")
    print(f"unit {unit.code}: {unit.name} ({unit.kind}, {unit.district_name})")
    print(f"applicant link: {await applicant_link(settings, unit.code)}")
    return 0


async def cmd_unit_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import campaigns

    async with open_uows(settings) as uows:
        units = await campaigns.all_units(uows)
    for u in units:
        print(f"{u.code}\t{u.name}\t{u.kind}\t{u.district_name}")
    return 0


async def applicant_link(settings: Settings, unit_code: str) -> str:
    """`t.me/<bot>?start=u_<code>` when the bot's name is known, else the /start text."""
    username = settings.bot_username
    if username:
        return f"https://t.me/{username}?start=u_{unit_code}"
    return f"/start u_{unit_code}  (set BOT_USERNAME to print a t.me link)"


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
