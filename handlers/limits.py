"""Telegram's limits on the aiogram side: the session's last-line clip, getFile's refusal.

The measure itself (UTF-16 code units, clip, split) is bot/texts/limits.py,
re-exported here for the handlers.
"""

from __future__ import annotations

import logging

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

from bot.texts.limits import (
    ALERT,
    CAPTION,
    CUT_MARK,
    MESSAGE,
    TELEGRAM_DOWNLOAD_BYTES,
    clip,
    fits,
    split_message,
    units,
)

__all__ = [
    "ALERT",
    "CAPTION",
    "CUT_MARK",
    "MESSAGE",
    "TELEGRAM_DOWNLOAD_BYTES",
    "ClipToLimits",
    "clip",
    "fits",
    "split_message",
    "telegram_file_too_big",
    "units",
]

log = logging.getLogger(__name__)


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
