"""A fake Bot API on 127.0.0.1 and helpers to post webhook updates like Telegram does."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from typing import Any

from aiogram import methods
from aiogram.methods import TelegramMethod
from aiogram.types import TelegramObject
from aiohttp import ClientSession, web

from bot.offline import OfflineSession, Sent

SECRET = "s3cret-token_for-tests-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

_METHODS: dict[str, type[TelegramMethod[Any]]] = {
    cls.__api_method__: cls
    for cls in vars(methods).values()
    if isinstance(cls, type) and issubclass(cls, TelegramMethod) and cls is not TelegramMethod
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FakeTelegram:
    """Answers Bot API calls over HTTP as OfflineSession does, and records the webhook settings."""

    def __init__(self) -> None:
        self.session = OfflineSession()
        self.webhooks: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.app = web.Application()
        self.app.router.add_post("/bot{token}/{method}", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        self.paths.append(request.path)
        name = request.match_info["method"]
        fields = {k: _decode(v) for k, v in (await request.post()).items() if isinstance(v, str)}
        if name in ("setWebhook", "deleteWebhook"):
            self.webhooks.append({"method": name, **fields})
            result: Any = True
        else:
            method = _METHODS[name].model_validate(fields)
            result = await self.session.make_request(None, method)  # type: ignore[arg-type]
        if isinstance(result, TelegramObject):
            result = result.model_dump(mode="json", by_alias=True, exclude_none=True)
        return web.json_response({"ok": True, "result": result})

    def inbox(self, chat_id: int) -> list[Sent]:
        return self.session.inbox(chat_id)


def _decode(value: str) -> Any:
    if value in ("true", "false"):
        return value == "true"
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def eventually(check: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    """Polls `check` until it returns something truthy (the bot handles updates in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = check()
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await asyncio.sleep(0.05)


async def post_update(
    http: ClientSession, url: str, update: dict[str, Any], secret: str | None = SECRET
) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with http.post(url, json=update, headers=headers) as response:
        return response.status


def message_update(update_id: int, user_id: int, text: str, message_id: int = 1) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": 1_700_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "测试"},
            "from": {"id": user_id, "is_bot": False, "first_name": "测试"},
            "text": text,
            **(
                {"entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}
                if text.startswith("/")
                else {}
            ),
        },
    }


def press_update(update_id: int, user_id: int, sent: Sent, label: str) -> dict[str, Any]:
    """The callback query a client sends when the user presses the button containing `label`."""
    data = next(d for text, d in sent.buttons() if label in text)
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "from": {"id": user_id, "is_bot": False, "first_name": "测试"},
            "chat_instance": str(user_id),
            "data": data,
            "message": {
                "message_id": sent.message_id,
                "date": 1_700_000_000,
                "chat": {"id": user_id, "type": "private", "first_name": "测试"},
                "from": {"id": 42, "is_bot": True, "first_name": "专家库申报"},
                "text": sent.text,
            },
        },
    }


def with_button(label: str) -> Callable[[list[Sent]], Sent | None]:
    def find(messages: list[Sent]) -> Sent | None:
        return next(
            (m for m in reversed(messages) if any(label in t for t, _ in m.buttons())), None
        )

    return find
