"""Logs: one JSON line per update and per Bot API call, with ids and timings but no personal data."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import JsonFormatter, TextFormatter, configure_logging
from bot.main import create_bot, create_dispatcher
from bot.offline import OfflineSession, OfflineWorld
from tests.flows.helpers import VALID_ID, choose_unit, consent

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"


@pytest.fixture
def lines(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO)
    formatter = JsonFormatter()

    def read() -> list[dict]:
        return [json.loads(formatter.format(r)) for r in caplog.records]

    return read


async def test_each_update_and_call_is_one_line_without_personal_data(
    settings, sessionmaker, clock, lines
) -> None:
    bot = create_bot(settings, session=OfflineSession())
    world = OfflineWorld(
        create_dispatcher(settings=settings, database=sessionmaker, clock=clock),
        bot,
        now=clock.now,
    )
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.press("矿山")
    await user.send("张三")
    await user.send(VALID_ID)
    await user.share_contact("+8613800000000")
    await world.close()

    logged = lines()
    updates = [line for line in logged if line.get("event") == "update"]
    calls = [line for line in logged if line.get("event") == "api_call"]
    assert len(updates) == 8
    assert [u["update_id"] for u in updates] == list(range(1, 9))
    assert updates[0] | {"duration_ms": 0, "ts": ""} == {
        "ts": "",
        "level": "info",
        "logger": "expertbot.updates",
        "msg": "update",
        "event": "update",
        "update_id": 1,
        "type": "message",
        "user_id": 1001,
        "content": "text",
        "command": "start",
        "outcome": "handled",
        "duration_ms": 0,
    }
    assert {u["type"] for u in updates} == {"message", "callback_query"}
    assert all(u["outcome"] == "handled" and u["duration_ms"] >= 0 for u in updates)
    assert {"sendMessage", "answerCallbackQuery", "deleteMessage"} <= {c["method"] for c in calls}
    assert all(c["outcome"] == "ok" for c in calls)
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in logged)
    for secret in (VALID_ID, "13800000000", "张三", "全部同意", settings.bot_token):
        assert secret not in text


def test_tokens_are_masked_even_in_library_messages_and_tracebacks() -> None:
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        record = logging.getLogger("aiohttp.client").makeRecord(
            "aiohttp.client",
            logging.ERROR,
            __file__,
            1,
            "url %s",
            (f"/bot{TOKEN}/getMe",),
            exc_info=True,
        )
        import sys

        record.exc_info = sys.exc_info()
    for formatter in (JsonFormatter(), TextFormatter()):
        out = formatter.format(record)
        assert TOKEN not in out
        assert "<token>" in out


def test_library_loggers_are_quietened(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    configure_logging("json", "DEBUG")
    assert logging.getLogger("aiohttp.access").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("aiogram.event").getEffectiveLevel() == logging.WARNING
    assert isinstance(root.handlers[0].formatter, JsonFormatter)
    for name in ("aiohttp.access", "aiogram.event", "aiohttp.client", "asyncio"):
        logging.getLogger(name).setLevel(logging.NOTSET)
