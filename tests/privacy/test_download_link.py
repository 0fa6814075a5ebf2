"""EXPORT_DELIVERY=link: no document through Telegram, a one-time expiring link on the bot's own server."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram.methods import SendDocument
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.config import Settings, SettingsError, load_settings
from bot.downloads import (
    build_download_app,
    check_download_settings,
    content_disposition,
    purge_periodically,
)
from bot.main import run_polling, run_webhook
from bot.offline import OfflineWorld
from bot.services.downloads import purge_expired
from bot.texts import ops
from bot.webhook import build_webhook_app
from tests.deploy.support import SECRET
from tests.flows.export_helpers import access_log, docx_text
from tests.flows.review_helpers import APPLICANT, standard_reviewers, submitted_application
from tests.support.people import met_person

BASE = "https://files.example.test"
LINK = re.compile(re.escape(BASE) + r"/download/([A-Za-z0-9_-]+)")


@pytest.fixture
def settings() -> Settings:
    return Settings(
        bot_token="42:TEST",
        bureau_admin_ids=(900,),
        export_delivery="link",
        public_base_url=BASE + "/",
        download_ttl_minutes=30,
    )


@pytest.fixture
async def client(world: OfflineWorld, clock) -> AsyncIterator[TestClient]:
    app = build_download_app(world.dp["uows"], clock)
    async with TestClient(TestServer(app)) as c:
        yield c


async def _link(world: OfflineWorld, sessionmaker: Any) -> tuple[Any, str]:
    """The applicant's /download of their submitted form: the message with the link, and its token."""
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    await applicant.send("/download")
    message = applicant.last()
    found = LINK.search(message.text)
    assert found, message.text
    return message, found.group(1)


async def test_link_mode_sends_no_document_and_the_link_works_once(
    world, client, sessionmaker
) -> None:
    message, token = await _link(world, sessionmaker)
    assert not [r for r in world.session.requests if isinstance(r, SendDocument)]
    assert message.document is None
    assert "仅可使用一次" in message.text and "2022-09-20 10:30" in message.text  # Asia/Shanghai

    first = await client.get(f"/download/{token}")
    assert first.status == 200
    body = await first.read()
    assert "张三" in docx_text(body)
    assert first.headers["Cache-Control"] == "no-store"
    disposition = first.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "%E9%99%84%E4%BB%B61" in disposition  # 附件1, percent-encoded (RFC 5987)

    second = await client.get(f"/download/{token}")
    assert second.status in (404, 410) and await second.read() == b""

    log = await access_log(sessionmaker)
    applicant = await met_person(sessionmaker, APPLICANT)
    assert (applicant, "download_link") in [(a, act) for a, act, _, _ in log]
    assert sum(1 for _, act, _, _ in log if act == "download_link") == 1


async def test_an_expired_link_is_refused(world, client, clock, sessionmaker) -> None:
    _, token = await _link(world, sessionmaker)
    clock.advance(minutes=31)
    response = await client.get(f"/download/{token}")
    assert response.status in (404, 410) and await response.read() == b""


@pytest.mark.parametrize("forged", ["x" * 43, "short", "A" * 42 + "=", "A" * 43, "A" * 44])
async def test_a_forged_token_is_refused(world, client, forged, sessionmaker) -> None:
    await _link(world, sessionmaker)
    response = await client.get(f"/download/{forged}")
    assert response.status == 404 and await response.read() == b""


async def test_the_file_is_encrypted_at_rest(world, sessionmaker) -> None:
    _, token = await _link(world, sessionmaker)
    async with sessionmaker() as session:
        raw = (await session.execute(text("SELECT data, token_hash FROM download_token"))).one()
    # Ciphertext is random: two bytes "PK" turn up in its first 40 once in 1,700 runs, so the
    # check is for the zip's four-byte signatures, which a random file of this size never holds.
    assert raw.data and not bytes(raw.data).startswith(b"PK")
    assert b"PK\x03\x04" not in bytes(raw.data) and b"PK\x05\x06" not in bytes(raw.data)
    assert token not in raw.token_hash


async def test_the_webhook_app_serves_links_in_link_mode(world, sessionmaker) -> None:
    async def healthy() -> None:
        pass

    _, token = await _link(world, sessionmaker)
    app = build_webhook_app(world.dp, world.bot, secret=SECRET, path="/tg", health=healthy)
    async with TestClient(TestServer(app)) as c:
        assert (await c.get(f"/download/{token}")).status == 200
        assert (await c.get(f"/download/{token}")).status == 410


async def test_link_mode_refuses_to_start_without_public_base_url(tmp_path: Any) -> None:
    with pytest.raises(SettingsError) as refused:
        check_download_settings(Settings(export_delivery="link"))
    assert str(refused.value) == ops.NO_PUBLIC_BASE_URL
    check_download_settings(Settings())
    with pytest.raises(SettingsError) as refused:
        load_settings(public_base_url="http://files.example.test")
    assert str(refused.value) == f"PUBLIC_BASE_URL：{ops.PUBLIC_BASE_URL_HTTPS}"
    configured = Settings(
        bot_token="42:TEST",
        database_url=f"sqlite:///{tmp_path}/bot.db",
        export_delivery="link",
        public_base_url=None,
        webhook_url="https://bot.example.test/tg",
        webhook_secret=SECRET,
    )
    for start in (run_polling, run_webhook):
        with pytest.raises(SettingsError) as refused:
            await start(configured)
        assert str(refused.value) == ops.NO_PUBLIC_BASE_URL
    assert not (tmp_path / "bot.db").exists()


def test_content_disposition_has_an_ascii_fallback() -> None:
    value = content_disposition('附件2_"x".xlsx')
    assert value.startswith('attachment; filename="')
    assert value.encode("ascii")


async def test_a_head_request_does_not_use_up_the_link(world, client, sessionmaker) -> None:
    _, token = await _link(world, sessionmaker)
    head = await client.head(f"/download/{token}")
    assert head.status == 405 and head.headers["Allow"] == "GET"
    assert head.headers["Cache-Control"] == "no-store"
    assert not [act for _, act, _, _ in await access_log(sessionmaker) if act == "download_link"]

    got = await client.get(f"/download/{token}")
    assert got.status == 200 and "张三" in docx_text(await got.read())


async def _links_stored(sessionmaker: Any) -> int:
    async with sessionmaker() as session:
        return (await session.execute(text("SELECT count(*) FROM download_token"))).scalar_one()


async def test_expired_links_are_purged_while_the_server_runs(world, clock, sessionmaker) -> None:
    await _link(world, sessionmaker)
    assert await _links_stored(sessionmaker) == 1
    clock.advance(minutes=31)
    app = build_download_app(world.dp["uows"], clock)
    async with TestClient(TestServer(app)):
        for _ in range(100):
            if not await _links_stored(sessionmaker):
                break
            await asyncio.sleep(0.02)
    assert await _links_stored(sessionmaker) == 0


async def test_the_purge_repeats_until_stopped(world, clock, sessionmaker) -> None:
    stores = world.dp["uows"]
    stop = asyncio.Event()
    purging = asyncio.create_task(purge_periodically(stores, clock, stop, every=0.02))
    await _link(world, sessionmaker)
    clock.advance(minutes=31)
    for _ in range(100):
        if not await _links_stored(sessionmaker):
            break
        await asyncio.sleep(0.02)
    assert await _links_stored(sessionmaker) == 0
    stop.set()
    await asyncio.wait_for(purging, timeout=1)
    assert await purge_expired(stores, clock.now()) == 0
