"""Telegram's size limits, measured the way Telegram measures them.

Telegram counts UTF-16 code units: a Chinese character is one, an emoji or a
CJK Extension B character (𠀀) is two. Counting Python characters lets a card
of emoji through at half the size Telegram accepts, and the send then fails
with "message is too long". Every text the bot sends is measured here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

log = logging.getLogger(__name__)

MESSAGE = 4096
"""sendMessage / editMessageText text."""
CAPTION = 1024
"""A photo's or a document's caption."""
ALERT = 200
"""answerCallbackQuery text (the toast or the alert)."""
CUT_MARK = "…"
TELEGRAM_DOWNLOAD_BYTES = 20 * 2**20
"""getFile refuses larger files ("file is too big"), whatever file_size said."""


def units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def fits(text: str, limit: int) -> bool:
    return units(text) <= limit


def _head(text: str, budget: int) -> str:
    """The longest start of `text` within `budget` units that does not end inside a surrogate pair."""
    raw = text.encode("utf-16-le", "surrogatepass")[: 2 * max(budget, 0)]
    if raw and 0xD8 <= raw[-1] <= 0xDB:  # a high surrogate: its pair did not fit
        raw = raw[:-2]
    return raw.decode("utf-16-le", "surrogatepass")


def clip(text: str, limit: int) -> str:
    """`text` if it fits, else its start with "…" at the cut, within `limit` units."""
    if fits(text, limit):
        return text
    return _head(text, limit - units(CUT_MARK)) + CUT_MARK


def split_message(blocks: Iterable[str], limit: int = MESSAGE) -> list[str]:
    """Packs blocks, joined by line breaks, into as few messages as fit, keeping their order.

    A block is never split unless it alone exceeds `limit`; then it is split
    at line breaks, and a line longer than `limit` is cut hard (never inside
    a surrogate pair). Blank lines at the edges of a message are dropped.
    """
    messages: list[str] = []
    current: list[str] = []
    used = 0
    for block in blocks:
        pieces = [block] if fits(block, limit) else _split_block(block, limit)
        for piece in pieces:
            size = units(piece)
            if current and used + 1 + size > limit:
                messages.append("\n".join(current))
                current, used = [], 0
            used += size + (1 if current else 0)
            current.append(piece)
    if current:
        messages.append("\n".join(current))
    cleaned = [m.strip("\n") for m in messages]
    return [m for m in cleaned if m.strip()] or [""]


def _split_block(block: str, limit: int) -> list[str]:
    lines: list[str] = []
    for line in block.split("\n"):
        while not fits(line, limit):
            head = _head(line, limit) or line[0]  # a limit of 1 unit cannot hold a pair
            lines.append(head)
            line = line[len(head) :]
        lines.append(line)
    return split_message(lines, limit)


def telegram_file_too_big(error: TelegramBadRequest) -> bool:
    """Whether getFile refused a file over Telegram's 20 MB download limit."""
    return "file is too big" in error.message.lower()


_LIMITED: dict[type[TelegramMethod[object]], tuple[str, int]] = {
    SendMessage: ("text", MESSAGE),
    EditMessageText: ("text", MESSAGE),
    SendPhoto: ("caption", CAPTION),
    SendDocument: ("caption", CAPTION),
    EditMessageCaption: ("caption", CAPTION),
    AnswerCallbackQuery: ("text", ALERT),
}


class ClipToLimits(BaseRequestMiddleware):
    """Bot session middleware, the last line: a text over its limit is clipped, never refused.

    Renderers split long texts themselves; this only keeps a text that was
    missed from failing with "message is too long" and taking its buttons
    with it. Each clip is logged so the renderer can be fixed.
    """

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        limited = _LIMITED.get(type(method))
        if limited is not None:
            name, limit = limited
            value = getattr(method, name, None)
            if isinstance(value, str) and not fits(value, limit):
                log.warning(
                    "text clipped to Telegram's limit",
                    extra={"fields": {"method": method.__api_method__, "units": units(value)}},
                )
                method = method.model_copy(update={name: clip(value, limit)})
        return await make_request(bot, method)
