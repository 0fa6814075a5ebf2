"""Log lines without aiogram: the JSON and text formats, secret masking, the root handler.

bot/logs.py adds the per-update and per-call lines, which need aiogram; the
command line's other verbs use this module alone, since importing aiogram is
slow (bot/cli.py).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")

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
    handler.setFormatter(formatter(fmt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(quiet, logging.getLevelName(level)))


class ConsoleFormatter(logging.Formatter):
    """A line among the console's own notes, indented and labelled: `（日志·警告）logger: message`.
    In `expertbot console` a JSON line would sit in the conversation like a message."""

    LEVELS = {"DEBUG": "调试", "INFO": "信息", "WARNING": "警告", "ERROR": "错误", "CRITICAL": "严重"}

    def format(self, record: logging.LogRecord) -> str:
        level = self.LEVELS.get(record.levelname, record.levelname)
        text = f"  （日志·{level}）{record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return mask_secrets(text)


def formatter(fmt: str) -> logging.Formatter:
    """LOG_FORMAT's formatter: `json` or `text`; `console` for `expertbot console`'s lines."""
    if fmt == "console":
        return ConsoleFormatter()
    return JsonFormatter() if fmt == "json" else TextFormatter()


@contextmanager
def command_log_lines(fmt: str, level: str) -> Iterator[None]:
    """While a command runs, its warnings and errors (LOG_LEVEL if higher) go to stderr as
    log lines in LOG_FORMAT, told apart from its answer; without this Python's last-resort
    handler printed them bare, like a line of the answer. `expertbot run` replaces this
    with `configure_logging` at LOG_LEVEL."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(fmt))
    handler.setLevel(max(logging.WARNING, logging.getLevelName(level)))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
