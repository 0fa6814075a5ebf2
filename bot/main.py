"""Wiring: builds the Dispatcher and the Bot from settings; the one place that knows everything."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import socket
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage

from bot.clock import Clock, SystemClock
from bot.config import Settings, SettingsError
from bot.logs import LogCalls, LogUpdates
from bot.texts import ops as ops_texts
from storage.crypto import Keyring, keyring_from
from storage.crypto import configure as configure_keyring
from storage.db import Database, create_database
from storage.fsm import ChatIsolation, DatabaseStorage
from storage.keystore import check_keys
from storage.lease import LeaderLease, lead_while, mark_running, mark_stopped
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory

log = logging.getLogger(__name__)


def create_dispatcher(
    *,
    settings: Settings,
    database: Database,
    clock: Clock | None = None,
    storage: BaseStorage | None = None,
    skip_repeated_updates: bool = False,
    after_crash: bool = True,
) -> Dispatcher:
    """The Dispatcher production runs; tests and the console build it the same way.

    Conversation state goes to Redis when REDIS_URL is set (several instances),
    else to the database with a per-process cache (one instance); a chat's updates
    are handled one at a time (Redis's lock, or `ChatIsolation` in the process). With
    `skip_repeated_updates` each update id is claimed in the database first.
    `after_crash` False: the process before stopped cleanly, so every stored
    answer's next question was sent (storage.lease.mark_running).
    """
    import handlers
    from bot.ratelimit import RateLimiter
    from bot.services.accounts import KnownAccounts
    from bot.services.applicant import OverlongTexts, ShownQuestions
    from handlers.middlewares import (
        IdentifyPerson,
        PrivateChatsOnly,
        ProvideNotifier,
        UpdatesInFlight,
    )

    clock = clock or SystemClock()
    isolation: BaseEventIsolation = ChatIsolation()
    if storage is None and settings.redis_url:
        storage = redis_storage(settings)
        isolation = storage.create_isolation()  # type: ignore[attr-defined]
    dp = Dispatcher(
        storage=storage or DatabaseStorage.beside(database),
        events_isolation=isolation,
        uows=unit_of_work_factory(database),
        clock=clock,
        questions=ShownQuestions(started_at=clock.now() if after_crash else None),
        overlong=OverlongTexts(),
        settings=settings,
        limiter=RateLimiter(),
        in_flight=UpdatesInFlight(),
        known_accounts=KnownAccounts(),
    )
    if settings.rate_limit:
        from handlers.ratelimit import PerUserRateLimit

        # Before the FSM middleware, so a dropped update never reaches the state storage.
        dp.update.outer_middleware.unregister(dp.fsm)
        dp.update.outer_middleware(
            PerUserRateLimit(settings.rate_limit, settings.rate_limit_window, dp["clock"])
        )
        dp.update.outer_middleware(dp.fsm)
    dp.update.outer_middleware(dp["in_flight"])
    dp.update.outer_middleware(LogUpdates())
    if skip_repeated_updates:
        from bot.webhook import SkipRepeatedUpdates

        dp.update.outer_middleware(SkipRepeatedUpdates(database))
    dp.update.outer_middleware(PrivateChatsOnly())
    dp.update.outer_middleware(
        IdentifyPerson(dp["uows"], settings.bureau_admin_ids, dp["known_accounts"])
    )
    dp.update.outer_middleware(ProvideNotifier(dp["uows"]))
    dp.include_routers(*handlers.build_routers())
    return dp


def redis_storage(settings: Settings) -> BaseStorage:
    """aiogram's RedisStorage on REDIS_URL, keys as DatabaseStorage builds them, with a TTL."""
    try:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage
    except ImportError:
        raise SettingsError(ops_texts.REDIS_PACKAGE) from None
    assert settings.redis_url is not None
    ttl = timedelta(days=settings.state_ttl_days)
    return RedisStorage.from_url(
        settings.redis_url,
        key_builder=DefaultKeyBuilder(prefix="expertbot", with_destiny=True),
        state_ttl=ttl,
        data_ttl=ttl,
    )


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None and settings.telegram_api_base:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    from handlers.limits import ClipToLimits

    bot = Bot(token=settings.bot_token, session=session)
    bot.session.middleware(LogCalls())
    # The last line: a text a renderer failed to split is clipped, not refused with its buttons.
    bot.session.middleware(ClipToLimits())
    return bot


MISSING_KEY = ops_texts.MISSING_KEY


def configure_keys(settings: Settings) -> Keyring | None:
    """Installs the data key from settings for the encrypted columns; None when none is set."""
    keyring = keyring_from(
        data_key=settings.data_key.get_secret_value() if settings.data_key else None,
        data_key_file=settings.data_key_file,
        older=[k.get_secret_value() for k in settings.data_old_keys],
        index_key=settings.index_key.get_secret_value() if settings.index_key else None,
    )
    configure_keyring(keyring)
    return keyring


async def open_database(settings: Settings, *, require_key: bool = False) -> Database:
    """Installs the data key, connects, applies pending migrations and checks the key.

    A wrong key, or no key for a database that holds encrypted data, stops
    here with a one-line CryptoError; `require_key` (the bot itself) also
    refuses a missing key on a fresh database.
    """
    from sqlalchemy.exc import IntegrityError

    keyring = configure_keys(settings)
    if keyring is None and require_key:
        raise SettingsError(MISSING_KEY)
    database = create_database(settings.database_url)
    try:
        await upgrade(database)
        try:
            await check_keys(database, keyring, SystemClock().now())
        except IntegrityError:
            # Instances starting together on a fresh database: another one recorded the key first.
            await check_keys(database, keyring, SystemClock().now())
    except BaseException:
        await database.dispose()
        raise
    return database


def freeze_startup_objects() -> None:
    """Takes what startup built out of the garbage collector's reach, in a long-running
    process (`expertbot run`, `expertbot remind`) once it is set up.

    Imported modules, pydantic's schemas, SQLAlchemy's metadata and the
    Dispatcher live as long as the process; without this, every full
    collection walks all of them again. Measured in benchmarks.pipeline:
    applicants 8–11 % faster, echo unchanged.

    The youngest generation is collected after 50,000 allocations instead of
    700: with a hundred updates in flight, objects that live for one update
    survived several collections and were promoted, and generation-2
    collections over that garbage stopped every update for 100–335 ms (19 in
    one 1,000-applicant run; 3 with this threshold).

    A reminder pass to 10,000 people (`benchmarks.reminders`) had three
    full collections of 250-300 ms over the imported libraries; the sends
    they held back went out together and met 4 of the fake Telegram's 429s
    (140 with asyncio's debug mode on). With the heap frozen: none.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


async def check_telegram(settings: Settings, *, polling: bool) -> None:
    """Asks Telegram who the bot is (getMe) before `expertbot run` opens anything.

    A token Telegram refuses, or a network that cannot reach it, is then one
    line for the operator (a SettingsError, as the command line prints it),
    not a traceback after the migrations have run. For long polling, a
    webhook left registered (the bot ran in webhook mode before) is one too:
    Telegram would refuse every getUpdates, and aiogram would retry forever.
    The webhook is not deleted here: with the production token on a test
    machine, that would silently take the city's bot off the air.
    """
    from aiogram.exceptions import (
        TelegramNetworkError,
        TelegramNotFound,
        TelegramServerError,
        TelegramUnauthorizedError,
    )

    server = settings.telegram_api_base or "https://api.telegram.org"
    bot = create_bot(settings)
    try:
        await bot.get_me()
        webhook = (await bot.get_webhook_info()).url if polling else ""
    except (TelegramUnauthorizedError, TelegramNotFound) as refused:
        raise SettingsError(ops_texts.TOKEN_REFUSED.format(reason=refused.message)) from None
    except (TelegramNetworkError, TelegramServerError) as failed:
        problem = ops_texts.TELEGRAM_UNREACHABLE.format(server=server, reason=failed.message)
        raise SettingsError(problem) from None
    finally:
        await bot.session.close()
    if webhook:
        raise SettingsError(ops_texts.WEBHOOK_STILL_SET.format(url=webhook, server=server))


async def show_default_menu(bot: Bot) -> None:
    """The command menu of everyone without a role (applicants, experts), in Chinese.

    Reviewers get theirs per chat when a role is granted (handlers.review.refresh_menu);
    without this, an applicant's menu was empty unless someone set it in @BotFather.
    """
    from aiogram.exceptions import TelegramAPIError
    from aiogram.types import BotCommandScopeDefault

    from handlers.render_review import commands_for

    try:
        await bot.set_my_commands(commands_for(()), scope=BotCommandScopeDefault())
    except TelegramAPIError as problem:
        log.warning("default command menu not set: %s", problem)


async def run_polling(settings: Settings) -> None:
    from bot.downloads import check_download_settings

    check_download_settings(settings)
    database = await open_database(settings, require_key=True)
    bot = create_bot(settings)
    holder = f"{socket.gethostname()}:{os.getpid()}"
    after_crash = await mark_running(database, holder, SystemClock().now())
    dp = create_dispatcher(settings=settings, database=database, after_crash=after_crash)
    stop = asyncio.Event()
    lease = LeaderLease(database, "reminders")
    reminders = asyncio.create_task(start_reminders(dp, bot, stop, lease), name="reminders")
    purges = asyncio.create_task(start_purges(dp, stop), name="retention")
    links = start_download_server(dp, stop)
    await show_default_menu(bot)
    freeze_startup_objects()
    try:
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())
    finally:
        stop.set()
        if links is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(links, timeout=10)
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            # The pass finishes the sends in flight and marks them, so nothing is repeated.
            await asyncio.wait_for(reminders, timeout=30)
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(purges, timeout=30)
        await stopped_cleanly(dp, database, holder)
        await bot.session.close()
        await database.dispose()


async def stopped_cleanly(dp: Dispatcher, database: Database, holder: str) -> None:
    """Says so in the database once every update in flight was answered (see mark_running)."""
    if await dp["in_flight"].wait_idle(10):
        with contextlib.suppress(Exception):
            await mark_stopped(database, holder, SystemClock().now())


async def start_reminders(
    dp: Dispatcher, bot: Bot, stop: asyncio.Event, lease: LeaderLease | None = None
) -> None:
    """The reminder loop inside `expertbot run`: one pass a minute until `stop`.

    With a lease, only the instance holding it sends; the others stand by.
    """
    from bot.services.accounts import configured_admins
    from bot.services.reminders import run_reminders
    from handlers.sending import TelegramSender

    clock, uows = dp["clock"], dp["uows"]
    sender = TelegramSender(bot, dp["limiter"], clock, uows)

    async def passes(until: asyncio.Event) -> None:
        admins = await configured_admins(uows, dp["settings"].bureau_admin_ids, clock.now())
        await run_reminders(uows, sender, clock, until, admin_ids=admins)

    if lease is None:
        await passes(stop)
    else:
        await lead_while(lease, passes, stop)


def start_download_server(dp: Dispatcher, stop: asyncio.Event) -> asyncio.Task[None] | None:
    """Polling mode with EXPORT_DELIVERY=link: a small server for GET /download/{token}."""
    settings: Settings = dp["settings"]
    if settings.export_delivery != "link":
        return None
    from bot.downloads import build_download_app, serve_downloads

    app = build_download_app(dp["uows"], dp["clock"])
    return asyncio.create_task(
        serve_downloads(app, host=settings.download_host, port=settings.download_port, stop=stop),
        name="downloads",
    )


async def start_purges(dp: Dispatcher, stop: asyncio.Event) -> None:
    """The retention sweep inside `expertbot run`: at start, then daily, until `stop`."""
    from bot.services.privacy import run_daily_purge

    await run_daily_purge(dp["uows"], dp["clock"], stop, dp["settings"].retention_days)


async def run_webhook(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Serves Telegram's webhook until SIGTERM/SIGINT (or `stop`); migrations first."""
    from sqlalchemy import text

    from bot.downloads import check_download_settings
    from bot.webhook import (
        build_webhook_app,
        check_webhook_settings,
        serve_webhook,
        stop_on_signals,
        webhook_path,
    )

    url, secret = check_webhook_settings(settings)
    check_download_settings(settings)
    if stop is None:
        stop = asyncio.Event()
        stop_on_signals(stop)
    database = await open_database(settings, require_key=True)
    bot = create_bot(settings)
    holder = f"{socket.gethostname()}:{os.getpid()}"
    after_crash = await mark_running(database, holder, SystemClock().now())
    dp = create_dispatcher(
        settings=settings, database=database, skip_repeated_updates=True, after_crash=after_crash
    )
    storage = dp.fsm.storage
    if not settings.redis_url:
        log.warning(
            "REDIS_URL is not set: conversation state is cached in this process, run one instance only"
        )

    async def health() -> None:
        async with database.session() as session:
            await session.execute(text("SELECT 1"))
        redis = getattr(storage, "redis", None)
        if redis is not None:
            await redis.ping()

    async def register() -> None:
        await bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,
        )
        log.info("webhook registered with Telegram")
        await show_default_menu(bot)

    app = build_webhook_app(dp, bot, secret=secret, path=webhook_path(url), health=health)
    lease = LeaderLease(database, "reminders")
    reminders = asyncio.create_task(start_reminders(dp, bot, stop, lease), name="reminders")
    purges = asyncio.create_task(start_purges(dp, stop), name="retention")
    freeze_startup_objects()
    try:
        await serve_webhook(
            app,
            host=settings.webhook_host,
            port=settings.webhook_port,
            stop=stop,
            on_started=register,
        )
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(reminders, timeout=30)
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(purges, timeout=30)
        await stopped_cleanly(dp, database, holder)
        await bot.session.close()
        await storage.close()
        await database.dispose()
        log.info("stopped")
