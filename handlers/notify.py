"""The Telegram side of the `Notifier` port: who hears about what.

Each recipient is tried on its own: one who blocked the bot or whose chat is
gone is logged and marked unreachable, and the others still get their
message. Every message that carries a review card is recorded, so that all
copies can be edited to show the outcome once someone decides.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.domain.application import ApplicationSnapshot
from bot.domain.review import Decision, ReviewLevel
from bot.domain.workflow import Status
from bot.services import review
from bot.services.ports import ReviewStoreFactory
from handlers import render, render_review

log = logging.getLogger(__name__)

UNDELIVERABLE = (TelegramForbiddenError, TelegramBadRequest)


class TelegramNotifier:
    def __init__(self, bot: Bot, stores: ReviewStoreFactory, clock: Clock | None = None) -> None:
        self.bot = bot
        self.stores = stores
        self.clock = clock

    def _now(self) -> datetime:
        return self.clock.now() if self.clock else datetime.now(UTC)

    async def application_submitted(self, app: ApplicationSnapshot) -> None:
        """Every reviewer who must decide next gets the card, with the photo above it."""
        async with self.stores() as store:
            audience = await review.audience(store, app)
            if audience is None or not audience.person_ids:
                return
            card = await review.review_card(store, app)
            photo = await store.photo(app.id)
        text, markup = render_review.review_card(card)
        await self.send_cards(
            app, audience.person_ids, text, markup, photo, render_review.photo_caption(app)
        )

    async def send_cards(
        self,
        app: ApplicationSnapshot,
        person_ids: Sequence[int],
        text: str,
        markup: InlineKeyboardMarkup,
        photo: bytes | None,
        caption: str,
    ) -> None:
        delivered: list[tuple[int, int]] = []
        failed: list[int] = []
        photo_ref: str | BufferedInputFile | None = (
            BufferedInputFile(photo, filename=f"{app.id}.jpg") if photo else None
        )
        for person_id in person_ids:
            try:
                if photo_ref is not None:
                    sent_photo = await self.bot.send_photo(person_id, photo_ref, caption=caption)
                    if sent_photo.photo:
                        photo_ref = sent_photo.photo[-1].file_id
                message = await self.bot.send_message(person_id, text, reply_markup=markup)
            except UNDELIVERABLE as problem:
                log.warning("review card %s not delivered to %s: %s", app.id, person_id, problem)
                failed.append(person_id)
                continue
            delivered.append((person_id, message.message_id))
        await self._record(app.id, delivered, failed)

    async def record_card(self, app_id: int, message: Message) -> None:
        """Remembers a card shown on request (from a list), so it is updated like the others."""
        await self._record(app_id, [(message.chat.id, message.message_id)], [])

    async def _record(
        self, app_id: int, delivered: Sequence[tuple[int, int]], failed: Sequence[int]
    ) -> None:
        now = self._now()
        async with self.stores() as store:
            for chat_id, message_id in delivered:
                await store.add_card_message(app_id, chat_id, message_id, now)
            for person_id in failed:
                await store.mark_unreachable(person_id, True)
            await store.commit()

    async def application_decided(self, outcome: review.Outcome) -> None:
        """Every copy of the card shows the outcome; the applicant hears it; approval moves on."""
        await self._close_cards(outcome.after.id, render_review.outcome_text(outcome))
        await self.tell(outcome.after.person_id, render_review.applicant_decision(outcome))
        if outcome.decision is Decision.RETURN:
            text, markup = render.card(outcome.after)
            await self.tell(outcome.after.person_id, text, markup)
        if outcome.decision is Decision.APPROVE and outcome.level is ReviewLevel.UNIT:
            await self.application_submitted(outcome.after)

    async def application_withdrawn(self, app: ApplicationSnapshot, previous: str) -> None:
        """Cards are closed and the reviewers who had it before them are told."""
        carried = await self._close_cards(
            app.id, render_review.withdrawn_card_text(app, self._now())
        )
        async with self.stores() as store:
            ids = await review.watchers(store, app, Status(previous))
        for person_id in ids:
            if person_id not in carried:
                await self.tell(person_id, render_review.withdrawn_notice(app))

    async def _close_cards(self, app_id: int, text: str) -> set[int]:
        """Replaces every recorded card of the application by `text`; returns the chats."""
        async with self.stores() as store:
            cards = await store.card_messages(app_id)
            await store.drop_card_messages(app_id)
            await store.commit()
        for chat_id, message_id in cards:
            try:
                await self.bot.edit_message_text(
                    text=text, chat_id=chat_id, message_id=message_id, reply_markup=None
                )
            except UNDELIVERABLE as problem:
                log.info("card %s in chat %s not updated: %s", message_id, chat_id, problem)
        return {chat_id for chat_id, _ in cards}

    async def tell(
        self, person_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> bool:
        try:
            await self.bot.send_message(person_id, text, reply_markup=markup)
        except UNDELIVERABLE as problem:
            log.warning("message to %s not delivered: %s", person_id, problem)
            async with self.stores() as store:
                await store.mark_unreachable(person_id, True)
                await store.commit()
            return False
        return True
