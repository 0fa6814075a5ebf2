"""The Telegram side of the `NoticeSender` port: find the chat, render, wait for a slot, send,
read the answer.

429 is waited out here (the limiter pushes that chat back by `retry_after`
and other chats keep their slots); 403 means the person blocked the bot or
deleted the account; network trouble leaves the notice for a later pass.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.clock import Clock
from bot.domain.reminders import Audience, Notice, NoticeKind
from bot.ratelimit import RateLimiter
from bot.services.accounts import telegram_chats
from bot.services.reminder_ports import Outcome
from bot.services.reminders import notice_text, resumes_form
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import reminders as t
from bot.texts import review as review_texts
from handlers import render_draws
from handlers.callbacks import CardAction, CardDo, PendingOpen

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 5
"""429s in a row for one notice before it is left for a later pass."""


def notice_markup(notice: Notice) -> InlineKeyboardMarkup | None:
    """继续填写 (or 修改) resumes the applicant's form exactly at its cursor; an invitation
    carries 接受 / 婉拒, a work record 确认 / 有异议; a unit's applications come to the district
    with 查看待审核的申报."""
    if notice.kind is NoticeKind.TO_DISTRICT:
        button = InlineKeyboardButton(
            text=review_texts.BUTTON_OPEN_PENDING, callback_data=PendingOpen().pack()
        )
        return InlineKeyboardMarkup(inline_keyboard=[[button]])
    if notice.kind is NoticeKind.DRAW:
        what, invitation_id = notice.payload["what"], notice.payload.get("invitation_id", 0)
        if what == "invite":
            return render_draws.invitation_keyboard(invitation_id)
        if what == "work":
            return render_draws.work_keyboard(invitation_id)
        return None
    app_id = resumes_form(notice)
    if app_id is None:
        return None
    label = (
        t.BUTTON_FIX
        if notice.payload.get("audience") == Audience.RETURNED.value
        else t.BUTTON_CONTINUE
    )
    button = InlineKeyboardButton(
        text=label, callback_data=CardAction(app_id=app_id, do=CardDo.CONTINUE).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter,
        clock: Clock,
        uows: UnitOfWorkFactory,
        *,
        max_retry_after: int = MAX_RETRY_AFTER,
    ) -> None:
        self.bot = bot
        self.uows = uows
        self.limiter = limiter
        self.clock = clock
        self.max_retry_after = max_retry_after
        self.retry_afters = 0
        """429s seen, for reports and benchmarks."""

    async def send(self, notice: Notice) -> Outcome:
        chat = (await telegram_chats(self.uows, [notice.recipient_id])).get(notice.recipient_id)
        if chat is None:
            return Outcome.UNREACHABLE  # no Telegram account (any more)
        text = notice_text(notice, self.clock.now())
        markup = notice_markup(notice)
        for _ in range(self.max_retry_after + 1):
            await self.limiter.wait(chat)
            try:
                await self.bot.send_message(chat_id=chat, text=text, reply_markup=markup)
                return Outcome.SENT
            except TelegramRetryAfter as flood:
                self.retry_afters += 1
                self.limiter.back_off(chat, flood.retry_after)
            except TelegramForbiddenError:
                return Outcome.UNREACHABLE
            except TelegramBadRequest as bad:
                log.warning("notice %s refused: %s", notice.key, bad.message)
                return Outcome.FAILED
            except (TelegramNetworkError, TelegramServerError) as trouble:
                log.warning("notice %s not sent for now: %s", notice.key, trouble)
                return Outcome.RETRY
        return Outcome.RETRY
