"""Operational logs: one JSON object a line, one line per update and per Bot API call.

A log collector parses the lines; a person greps them. What goes in: ids
(update, Telegram user, chat), kinds, Bot API method names, durations,
outcomes. What never does: message texts, callback data, ID or phone numbers,
and request URLs, which carry the bot token (security checklist §2.12, §8).
The formatter also masks anything shaped like a bot token, in case a library's
message or a traceback carries one. The formats themselves are in
bot/log_lines.py, which does not import aiogram.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update

from bot.log_lines import (  # noqa: F401  (re-exported: where the formats were defined first)
    QUIET_LOGGERS,
    JsonFormatter,
    TextFormatter,
    configure_logging,
    log_fields,
    mask_secrets,
)

updates_log = logging.getLogger("expertbot.updates")
calls_log = logging.getLogger("expertbot.telegram")

_CALLBACK_PREFIX = re.compile(r"[a-z][a-z0-9_]{0,15}")


class LogUpdates(BaseMiddleware):
    """Outer middleware on `dp.update`: one line per update with its kind, outcome and duration."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = data.get("update_outcome") or (
                "unhandled" if result is UNHANDLED else "handled"
            )
            return result
        finally:
            fields = describe_update(event) if isinstance(event, Update) else {}
            fields.update(
                event="update",
                outcome=outcome,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
            log_fields(updates_log, logging.INFO, "update", fields)


def describe_update(update: Update) -> dict[str, Any]:
    """Ids and kinds only: never a text, a caption, a contact or a file."""
    kind = update.event_type
    fields: dict[str, Any] = {"update_id": update.update_id, "type": kind}
    inner = update.event
    user = getattr(inner, "from_user", None)
    if user is not None:
        fields["user_id"] = user.id
    if kind == "message":
        fields["content"] = inner.content_type
        if inner.text and inner.text.startswith("/"):
            command = inner.text.split(maxsplit=1)[0].split("@", 1)[0][1:]
            if _CALLBACK_PREFIX.fullmatch(command):
                fields["command"] = command
    elif kind == "callback_query" and inner.data:
        prefix = inner.data.split(":", 1)[0]
        if _CALLBACK_PREFIX.fullmatch(prefix):
            fields["callback"] = prefix
    return fields


class LogCalls(BaseRequestMiddleware):
    """Bot session middleware: one line per Bot API call with method, outcome and duration."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        started = time.perf_counter()
        # "cancelled" stays when the call is cancelled (shutdown stops a long poll that way):
        # the finally below must not raise then, or aiogram retries instead of stopping.
        fields: dict[str, Any] = {
            "event": "api_call",
            "method": method.__api_method__,
            "outcome": "cancelled",
        }
        try:
            response = await make_request(bot, method)
            fields["outcome"] = "ok"
            return response
        except TelegramRetryAfter as exc:
            fields.update(outcome="retry_after", retry_after=exc.retry_after)
            raise
        except TelegramAPIError as exc:
            fields.update(outcome="error", error=type(exc).__name__)
            raise
        except Exception as exc:
            fields.update(outcome="failed", error=type(exc).__name__)
            raise
        finally:
            fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
            level = logging.INFO if fields["outcome"] == "ok" else logging.WARNING
            log_fields(calls_log, level, "api_call", fields)
