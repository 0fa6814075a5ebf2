"""The web side of one-time download links (EXPORT_DELIVERY=link): GET /download/{token}.

In webhook mode the route is mounted on the webhook app; in polling mode
`serve_downloads` runs a small aiohttp server for it alone (behind the same
kind of TLS-terminating proxy that PUBLIC_BASE_URL points at).

Only GET redeems a link. HEAD is answered 405 without a lookup: link
scanners and chat previewers send HEAD, and a 200 would both tell them the
link is live and, as aiohttp routes HEAD to the GET handler, use it up.
Whichever app serves the route also purges expired links on a schedule
while it runs, so they do not wait for the next link to be issued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
from collections.abc import AsyncIterator, Callable
from urllib.parse import quote

from aiohttp import web

from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.services import downloads as svc
from bot.services.downloads import Claim
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import ops as ops_texts

log = logging.getLogger(__name__)

DOWNLOAD_PATH = "/download/{token}"
PURGE_EVERY_SECONDS = 15 * 60
"""Expired files (encrypted, but still personal data) are gone within this of expiring."""

_NO_STORE = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def check_download_settings(settings: Settings) -> None:
    """Link mode needs the public base of the links; one line for the operator otherwise."""
    if settings.export_delivery == "link" and not settings.public_base_url:
        raise SettingsError(ops_texts.NO_PUBLIC_BASE_URL)


def link_url(settings: Settings, token: str) -> str:
    assert settings.public_base_url
    return f"{settings.public_base_url}/download/{token}"


def content_disposition(filename: str) -> str:
    """attachment with an ASCII fallback and the real (Chinese) name as RFC 5987 filename*."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def add_download_route(app: web.Application, uows: UnitOfWorkFactory, clock: Clock) -> None:
    async def download(request: web.Request) -> web.StreamResponse:
        token = request.match_info.get("token", "")
        claim, found = await svc.redeem(uows, token, clock.now())
        if claim is Claim.GONE:
            return web.Response(status=410, headers=_NO_STORE)
        if claim is not Claim.OK or found is None:
            return web.Response(status=404, headers=_NO_STORE)
        kind = mimetypes.guess_type(found.filename)[0] or "application/octet-stream"
        return web.Response(
            body=found.data,
            content_type=kind,
            headers={**_NO_STORE, "Content-Disposition": content_disposition(found.filename)},
        )

    async def head(_request: web.Request) -> web.Response:
        return web.Response(status=405, headers={**_NO_STORE, "Allow": "GET"})

    app.router.add_get(DOWNLOAD_PATH, download, allow_head=False)
    app.router.add_route("HEAD", DOWNLOAD_PATH, head)
    app.cleanup_ctx.append(_purging(uows, clock))


async def purge_periodically(
    uows: UnitOfWorkFactory,
    clock: Clock,
    stop: asyncio.Event,
    every: float = PURGE_EVERY_SECONDS,
) -> None:
    """Purges at once and then every `every` seconds until `stop`; a failed pass waits for the next."""
    while not stop.is_set():
        try:
            count = await svc.purge_expired(uows, clock.now())
        except Exception:
            log.exception("purging expired download links failed")
        else:
            if count:
                log.info("expired download links purged", extra={"fields": {"links": count}})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


def _purging(
    uows: UnitOfWorkFactory, clock: Clock
) -> Callable[[web.Application], AsyncIterator[None]]:
    """An aiohttp cleanup context: the purge runs exactly as long as the app serves links."""

    async def run(_app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(purge_periodically(uows, clock, stop), name="download-purge")
        try:
            yield
        finally:
            stop.set()
            await task

    return run


def build_download_app(uows: UnitOfWorkFactory, clock: Clock) -> web.Application:
    app = web.Application()
    add_download_route(app, uows, clock)
    return app


async def serve_downloads(
    app: web.Application, *, host: str, port: int, stop: asyncio.Event
) -> None:
    """Serves download links until `stop` (polling mode)."""
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("download server listening", extra={"fields": {"host": host, "port": port}})
        await stop.wait()
    finally:
        await runner.cleanup()
