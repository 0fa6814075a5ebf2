"""Operational logs: one JSON object a line, one line per update and per Bot API call.

A log collector parses the lines; a person greps them. What goes in: ids
(update, Telegram user, chat), kinds, Bot API method names, durations,
outcomes. What never does: message texts, callback data, ID or phone numbers,
and request URLs, which carry the bot token (security checklist §2.12, §8).
The formatter also masks anything shaped like a bot token, in case a library's
message or a traceback carries one.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TextIO

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

updates_log = logging.getLogger("expertbot.updates")
calls_log = logging.getLogger("expertbot.telegram")

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_CALLBACK_PREFIX = re.compile(r"[a-z][a-z0-9_]{0,15}")

QUIET_LOGGERS = {
    "aiogram.event": logging.WARNING,  # its "Update id=… is handled" repeats ours
    "aiohttp.access": logging.WARNING,  # request lines; ours say more
    "aiohttp.client": logging.WARNING,
    "asyncio": logging.WARNING,
}
"""Libraries' loggers raised to at least this level."""


def mask_secrets(text: str) -> str:
    return _TOKEN.sub("<token>", text)


def log_fields(logger: logging.Logger, level: int, msg: str, fields: dict[str, Any]) -> None:
    """`logger.log(level, msg, extra={"fields": fields})` without the caller's frame lookup:
    no formatter here prints a file or line, and the lookup was a sixth of a line's cost
    on the per-update and per-call lines (public `makeRecord` and `handle`)."""
    if logger.isEnabledFor(level):
        logger.handle(
            logger.makeRecord(logger.name, level, "", 0, msg, (), None, extra={"fields": fields})
        )


_JSON = json.JSONEncoder(ensure_ascii=False, default=str)
"""Built once: `json.dumps` with options builds an encoder per call."""


class JsonFormatter(logging.Formatter):
    """`{"ts": …, "level": …, "logger": …, "msg": …, <fields>, "exc": …}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": mask_secrets(record.getMessage()),
        }
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exc"] = mask_secrets(self.formatException(record.exc_info))
        return _JSON.encode(line)


class TextFormatter(logging.Formatter):
    """The classic line with the fields appended as key=value, for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = getattr(record, "fields", None)
        if fields:
            text += " " + " ".join(f"{k}={v}" for k, v in fields.items())
        return mask_secrets(text)


def configure_logging(fmt: str = "json", level: str = "INFO", stream: TextIO | None = None) -> None:
    """Sends every log line to stderr (systemd's journal picks it up) in the chosen format;
    `stream` elsewhere (benchmarks log as production does, into /dev/null)."""
    handler = logging.StreamHandler(sys.stderr if stream is None else stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(quiet, logging.getLevelName(level)))


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
