"""Webhook mode: an aiohttp server that takes Telegram's POSTs, for one instance or several.

Every instance behind the load balancer runs the same thing: it checks the
secret token on each request (aiogram's handler lets everything in when the
secret is empty, so an empty secret stops the start), answers at once and
handles the update in the background, skips update ids that any instance
has already taken in, and answers `/healthz`. On SIGTERM it stops accepting,
finishes the updates in flight and the reminder pass, then exits.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import TelegramObject, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.config import Settings, SettingsError
from bot.texts import ops as t
from storage.db import Database
from storage.updates import claim_update, forget_updates_before

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
DRAIN_SECONDS = 25.0
"""How long shutdown waits for updates in flight; systemd's TimeoutStopSec is longer."""
KEEP_UPDATE_IDS = timedelta(days=7)
"""Telegram gives up retrying a delivery long before this."""
MAX_BODY_BYTES = 1 << 20
"""An update is a few kilobytes; a message at Telegram's limits with its entities stays far below."""
MAX_UPDATE_ID = 2**63 - 1
"""processed_update.update_id is a signed 64-bit column."""


class NotAnUpdate(ValueError):
    """A webhook body that is not one Telegram Update; the message says why, for the log."""


def parse_update(body: bytes, bot: Bot) -> Update:
    """The Update in a webhook body, or NotAnUpdate; nothing else escapes."""
    try:
        data = bot.session.json_loads(body)
    except RecursionError:
        raise NotAnUpdate("nested too deeply") from None
    except ValueError:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise NotAnUpdate("not JSON") from None
    if not isinstance(data, dict):
        raise NotAnUpdate(f"a JSON {type(data).__name__}, not an object")
    update_id = data.get("update_id")
    if type(update_id) is not int or not 0 <= update_id <= MAX_UPDATE_ID:
        raise NotAnUpdate("no update_id in range")
    try:
        return Update.model_validate(data, context={"bot": bot})
    except (ValueError, RecursionError):  # pydantic's ValidationError is a ValueError
        raise NotAnUpdate("not a valid Update") from None


def check_webhook_settings(settings: Settings) -> tuple[str, str]:
    """The public URL and the secret, or a SettingsError naming what is missing."""
    if not settings.bot_token:
        raise SettingsError(t.WEBHOOK_NO_TOKEN)
    if not settings.webhook_url:
        raise SettingsError(t.WEBHOOK_NO_URL)
    if not settings.webhook_secret:
        raise SettingsError(t.WEBHOOK_NO_SECRET)
    return settings.webhook_url, settings.webhook_secret


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


class SkipRepeatedUpdates(BaseMiddleware):
    """Outer middleware: an update id is handled once, whichever instance it reaches (§2.2)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.claimed = 0

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        now = data["clock"].now()
        if not await claim_update(self.database, event.update_id, now):
            data["update_outcome"] = "duplicate"
            return None
        self.claimed += 1
        if self.claimed % 1000 == 1:
            try:
                await forget_updates_before(self.database, now - KEEP_UPDATE_IDS)
            except Exception:
                log.exception("pruning processed update ids failed")
        return await handler(event, data)


class DrainingRequestHandler(SimpleRequestHandler):
    """aiogram's handler, checking the body before anything is handed on, and draining on shutdown.

    A body that is not one valid Update gets 400 and one log line here:
    handed on, it would crash in the background where nobody answers it.
    Valid updates are fed in the background through the Dispatcher's
    public `feed_update`, in tasks this class keeps for the drain.

    It leaves the bot session open: the reminder pass may still be sending,
    so `serve_webhook` closes the session once both are done.
    """

    def __init__(self, *args: Any, drain_seconds: float = DRAIN_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drain_seconds = drain_seconds
        self.in_flight: set[asyncio.Task[None]] = set()

    async def handle(self, request: web.Request) -> web.Response:
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), bot):
            return web.Response(body="Unauthorized", status=401)
        body = await _read_bounded(request, MAX_BODY_BYTES)
        if body is None:
            log.warning("webhook body refused: larger than %d bytes", MAX_BODY_BYTES)
            return web.Response(status=413)
        try:
            update = parse_update(body, bot)
        except NotAnUpdate as problem:
            log.warning("webhook body refused: %s", problem)
            return web.Response(status=400)
        task = asyncio.create_task(self._feed(bot, update))
        self.in_flight.add(task)
        task.add_done_callback(self.in_flight.discard)
        return web.json_response({})

    async def _feed(self, bot: Bot, update: Update) -> None:
        try:
            result = await self.dispatcher.feed_update(bot, update, **self.data)
            if isinstance(result, TelegramMethod):
                await self.dispatcher.silent_call_request(bot, result)
        except Exception:
            log.exception("update %s failed", update.update_id)

    async def close(self) -> None:
        pending = set(self.in_flight)
        if not pending:
            return
        log.info("finishing updates in flight", extra={"fields": {"updates": len(pending)}})
        _, late = await asyncio.wait(pending, timeout=self.drain_seconds)
        if late:
            log.warning(
                "updates still running at shutdown", extra={"fields": {"updates": len(late)}}
            )


async def _read_bounded(request: web.Request, limit: int) -> bytes | None:
    """The body, or None as soon as it passes `limit` bytes (whatever Content-Length says)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(64 * 1024):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def build_webhook_app(
    dp: Dispatcher,
    bot: Bot,
    *,
    secret: str | None,
    path: str,
    health: Callable[[], Awaitable[object]],
    drain_seconds: float = DRAIN_SECONDS,
) -> web.Application:
    """The aiohttp application: Telegram's POSTs on `path`, GET /healthz for the load balancer."""
    if not secret:
        raise SettingsError(t.WEBHOOK_SECRET_REQUIRED)
    app = web.Application()
    handler = DrainingRequestHandler(dp, bot, secret_token=secret, drain_seconds=drain_seconds)
    handler.register(app, path=path)
    setup_application(app, dp, bot=bot)

    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(5):
                await health()
        except Exception as exc:
            log.warning("health check failed", extra={"fields": {"error": type(exc).__name__}})
            return web.json_response({"status": "unavailable"}, status=503)
        return web.json_response({"status": "ok"})

    app.router.add_get(HEALTH_PATH, healthz)
    settings = dp.workflow_data.get("settings")
    if isinstance(settings, Settings) and settings.export_delivery == "link":
        from bot.downloads import add_download_route

        add_download_route(app, dp["uows"], dp["clock"])
    return app


async def serve_webhook(
    app: web.Application,
    *,
    host: str,
    port: int,
    stop: asyncio.Event,
    on_started: Callable[[], Awaitable[object]] | None = None,
) -> None:
    """Serves until `stop` is set, then stops accepting and drains the updates in flight."""
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("webhook server listening", extra={"fields": {"host": host, "port": port}})
        if on_started is not None:
            await on_started()
        await stop.wait()
        log.info("stopping: no new updates, finishing the ones in flight")
    finally:
        await runner.cleanup()


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM (systemd, a container runtime) and SIGINT (Ctrl-C) set `stop`."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
