"""Webhook mode: the secret is required and checked, repeats are dropped, shutdown drains."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage, SetMyCommands
from aiogram.types import BotCommand, BotCommandScopeDefault, Message
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer

from bot import cli
from bot.config import SettingsError, load_settings
from bot.main import create_dispatcher, run_webhook
from bot.offline import OfflineSession
from bot.texts import ops
from bot.webhook import build_webhook_app, check_webhook_settings, serve_webhook
from tests.deploy.support import (
    SECRET,
    SECRET_HEADER,
    FakeTelegram,
    eventually,
    free_port,
    message_update,
)

PATH = "/telegram/webhook"


async def healthy() -> None:
    pass


@pytest.fixture
async def served(settings, sessionmaker, clock) -> AsyncIterator[tuple[TestClient, OfflineSession]]:
    session = OfflineSession()
    bot = Bot(token=settings.bot_token, session=session)
    dp = create_dispatcher(
        settings=settings, database=sessionmaker, clock=clock, skip_repeated_updates=True
    )
    app = build_webhook_app(dp, bot, secret=SECRET, path=PATH, health=healthy)
    async with TestClient(TestServer(app)) as client:
        yield client, session
    await dp.fsm.storage.close()


def replies(session: OfflineSession) -> list[SendMessage]:
    return [r for r in session.requests if isinstance(r, SendMessage)]


async def test_request_without_the_secret_is_refused_and_one_with_it_is_processed(served) -> None:
    client, session = served
    update = message_update(1, 1001, "/start")

    refused = await client.post(PATH, json=update)
    forged = await client.post(PATH, json=update, headers={SECRET_HEADER: SECRET + "x"})
    assert (refused.status, forged.status) == (401, 401)
    await asyncio.sleep(0.1)
    assert session.requests == []

    accepted = await client.post(PATH, json=update, headers={SECRET_HEADER: SECRET})
    assert accepted.status == 200
    sent = await eventually(lambda: replies(session), what="the bot's answer")
    assert sent[0].chat_id == 1001
    assert "专家库" in sent[0].text


async def test_a_repeated_delivery_is_handled_once(served) -> None:
    client, session = served
    for _ in range(3):
        response = await client.post(
            PATH, json=message_update(7, 1001, "/start"), headers={SECRET_HEADER: SECRET}
        )
        assert response.status == 200
    await eventually(lambda: replies(session), what="the first answer")
    await client.post(PATH, json=message_update(8, 1002, "/start"), headers={SECRET_HEADER: SECRET})
    await eventually(lambda: any(r.chat_id == 1002 for r in replies(session)), what="user 1002")
    await asyncio.sleep(0.2)
    chats = [r.chat_id for r in replies(session)]
    assert chats.count(1001) == chats.count(1002), "one /start's answers, not three"


def _bodies() -> list[tuple[str, bytes]]:
    valid = json.dumps(message_update(1, 1001, "/start"))
    too_big = dict(message_update(2**63, 1001, "/start"))
    return [
        ("malformed", valid[:-3].encode()),
        ("not utf-8", b'{"update_id": 5, "x": "' + bytes([0xFF, 0xFE]) + b'"}'),
        ("deeply nested", b"[" * 100_000 + b"]" * 100_000),
        ("nested object", b'{"update_id": 1, "message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        ("array", json.dumps([message_update(1, 1001, "/start")]).encode()),
        ("no update_id", json.dumps(message_update(1, 1001, "/start")["message"]).encode()),
        ("update_id 2^63", json.dumps(too_big).encode()),
        ("update_id 2^70", json.dumps({**too_big, "update_id": 2**70}).encode()),
        ("update_id a string", json.dumps({**too_big, "update_id": "7"}).encode()),
        ("not an update", json.dumps({"update_id": 3, "message": {"text": 5}}).encode()),
    ]


@pytest.mark.parametrize(("what", "body"), _bodies(), ids=[w for w, _ in _bodies()])
async def test_a_body_that_is_not_an_update_gets_400_and_one_log_line(
    served, what: str, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    client, session = served
    with caplog.at_level(logging.WARNING):
        response = await client.post(PATH, data=body, headers={SECRET_HEADER: SECRET})
        await asyncio.sleep(0.05)
    assert response.status == 400, what
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in lines] == ["bot.webhook"], [r.getMessage() for r in lines]
    assert session.requests == []

    accepted = await client.post(
        PATH, json=message_update(9, 1001, "/start"), headers={SECRET_HEADER: SECRET}
    )
    assert accepted.status == 200
    await eventually(lambda: replies(session), what="the next valid update still handled")


async def test_an_oversized_body_is_refused_unread(served) -> None:
    client, session = served
    body = json.dumps({"update_id": 1, "pad": "x" * (2 << 20)}).encode()
    response = await client.post(PATH, data=io.BytesIO(body), headers={SECRET_HEADER: SECRET})
    assert response.status == 413
    assert session.requests == []


async def test_health_reports_ok_or_503(settings, sessionmaker) -> None:
    async def broken() -> None:
        raise ConnectionRefusedError

    bot = Bot(token=settings.bot_token, session=OfflineSession())
    for health, status, body in ((healthy, 200, "ok"), (broken, 503, "unavailable")):
        dp = create_dispatcher(settings=settings, database=sessionmaker)
        app = build_webhook_app(dp, bot, secret=SECRET, path=PATH, health=health)
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/healthz")
            assert response.status == status
            assert (await response.json()) == {"status": body}
        await dp.fsm.storage.close()


@pytest.mark.parametrize("secret", [None, ""])
async def test_webhook_mode_refuses_to_start_without_a_secret(
    settings, sessionmaker, secret
) -> None:
    dp = create_dispatcher(settings=settings, database=sessionmaker)
    bot = Bot(token=settings.bot_token, session=OfflineSession())
    with pytest.raises(SettingsError) as refused:
        build_webhook_app(dp, bot, secret=secret, path=PATH, health=healthy)
    assert str(refused.value) == ops.WEBHOOK_SECRET_REQUIRED
    await dp.fsm.storage.close()
    configured = settings.model_copy(update={"webhook_url": "https://bot.example.test/tg"})
    with pytest.raises(SettingsError) as refused:
        check_webhook_settings(configured)
    assert str(refused.value) == ops.WEBHOOK_NO_SECRET


def test_the_command_line_refuses_webhook_mode_without_a_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "42:TEST")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.db")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.test/tg")
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["run", "--webhook"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == f"expertbot: {ops.WEBHOOK_NO_SECRET}\n"
    assert not (tmp_path / "bot.db").exists()


def test_weak_or_malformed_secrets_and_plain_http_are_refused() -> None:
    for secret in ("short", "has spaces in it, sixteen+"):
        with pytest.raises(SettingsError) as refused:
            load_settings(webhook_secret=secret)
        assert str(refused.value) == f"WEBHOOK_SECRET：{ops.WEBHOOK_SECRET_ALPHABET}"
    with pytest.raises(SettingsError) as refused:
        load_settings(webhook_url="http://bot.example.test/tg")
    assert str(refused.value) == f"WEBHOOK_URL：{ops.WEBHOOK_URL_HTTPS}"


async def test_shutdown_finishes_the_updates_in_flight() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    dp = Dispatcher()

    @dp.message()
    async def slow(message: Message) -> None:
        started.set()
        await release.wait()
        await message.answer("done")

    session = OfflineSession()
    bot = Bot(token="42:TEST", session=session)
    port, stop = free_port(), asyncio.Event()
    app = build_webhook_app(dp, bot, secret=SECRET, path=PATH, health=healthy)
    server = asyncio.create_task(serve_webhook(app, host="127.0.0.1", port=port, stop=stop))
    async with ClientSession() as http:
        await eventually(lambda: _listening(port), what="the server")
        async with http.post(
            f"http://127.0.0.1:{port}{PATH}",
            json=message_update(1, 1001, "hello"),
            headers={SECRET_HEADER: SECRET},
        ) as response:
            assert response.status == 200
    await started.wait()
    stop.set()
    await asyncio.sleep(0.2)
    assert not server.done(), "shutdown must wait for the update in flight"
    release.set()
    await asyncio.wait_for(server, timeout=5)
    assert [r.text for r in replies(session)] == ["done"]
    assert not _listening(port)


def _default_menu(telegram: FakeTelegram) -> list[BotCommand]:
    """The commands set for everyone (no chat scope), the latest; [] before any."""
    menus = [
        r.commands
        for r in telegram.session.requests
        if isinstance(r, SetMyCommands) and isinstance(r.scope, BotCommandScopeDefault)
    ]
    return menus[-1] if menus else []


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


async def test_run_webhook_registers_with_the_secret_and_serves(
    settings, sessionmaker, engine
) -> None:
    telegram = FakeTelegram()
    port = free_port()
    async with TestServer(telegram.app) as api:
        configured = settings.model_copy(
            update={
                "database_url": engine.url.render_as_string(hide_password=False),
                "telegram_api_base": str(api.make_url("")).rstrip("/"),
                "webhook_url": f"https://bot.example.test{PATH}",
                "webhook_secret": SECRET,
                "webhook_port": port,
                "redis_url": None,
            }
        )
        stop = asyncio.Event()
        running = asyncio.create_task(run_webhook(configured, stop))
        await eventually(lambda: telegram.webhooks or running.done(), 60, "setWebhook")
        if running.done():
            running.result()
        assert telegram.webhooks[0]["url"] == f"https://bot.example.test{PATH}"
        assert telegram.webhooks[0]["secret_token"] == SECRET
        await eventually(lambda: _default_menu(telegram), 60, "the default command menu")
        assert [c.command for c in _default_menu(telegram)] == [
            "start", "status", "download", "privacy", "help"
        ]  # fmt: skip
        async with ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200
            async with http.post(
                f"http://127.0.0.1:{port}{PATH}",
                json=message_update(1, 1001, "/start"),
                headers={SECRET_HEADER: SECRET},
            ) as response:
                assert response.status == 200
        await eventually(lambda: telegram.inbox(1001), 60, "the answer through the Bot API")
        stop.set()
        await asyncio.wait_for(running, timeout=10)
