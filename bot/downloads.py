"""The web side of one-time download links (EXPORT_DELIVERY=link): GET /download/{token}.

In webhook mode the route is mounted on the webhook app; in polling mode
`serve_downloads` runs a small aiohttp server for it alone (behind the same
kind of TLS-terminating proxy that PUBLIC_BASE_URL points at).
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from urllib.parse import quote

from aiohttp import web

from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.services import downloads as svc
from bot.services.downloads import Claim
from bot.services.repositories import UnitOfWorkFactory

log = logging.getLogger(__name__)

DOWNLOAD_PATH = "/download/{token}"

_NO_STORE = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def check_download_settings(settings: Settings) -> None:
    """Link mode needs the public base of the links; one line for the operator otherwise."""
    if settings.export_delivery == "link" and not settings.public_base_url:
        raise SettingsError(
            "PUBLIC_BASE_URL is not set: EXPORT_DELIVERY=link needs the public https:// address "
            "that serves /download/ (or set EXPORT_DELIVERY=chat)"
        )


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

    app.router.add_get(DOWNLOAD_PATH, download)


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
