"""The Telegram side of the `Notifier` port: who hears about what.

The services say whom to tell and which cards to rewrite, in a unit of work
that is closed before anything is sent. Each recipient is then tried on its
own: one who blocked the bot or whose chat is gone is logged, and the others
still get their message. Afterwards one short unit of work records every card
that went out (so all copies can be rewritten once someone decides) and marks
who could not be reached.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.domain.application import ApplicationSnapshot
from bot.domain.review import Stage
from bot.domain.workflow import Status
from bot.services import review
from bot.services.accounts import KnownAccounts, telegram_chats
from bot.services.applicant import Submitted
from bot.services.repositories import UnitOfWorkFactory
from handlers import render, render_review

log = logging.getLogger(__name__)

UNDELIVERABLE = (TelegramForbiddenError, TelegramBadRequest)


@dataclass
class _Sends:
    """What one notification delivered and to whom it could not, to record once it is done."""

    chats: dict[int, int] = field(default_factory=dict)
    """Person id -> Telegram chat of everyone this notification may write to."""
    cards: list[tuple[int, int]] = field(default_factory=list)
    """(person id, message id) of every card that went out."""
    unreachable: list[int] = field(default_factory=list)


class TelegramNotifier:
    def __init__(
        self,
        bot: Bot,
        uows: UnitOfWorkFactory,
        clock: Clock | None = None,
        known: KnownAccounts | None = None,
        admin_ids: Sequence[int] = (),
    ) -> None:
        self.bot = bot
        self.uows = uows
        self.clock = clock
        self.known = known
        """Told of everyone marked unreachable, so their next update clears the mark."""
        self.admin_ids = tuple(admin_ids)
        """The bureau admins of the settings: told when a district reviewer cannot be reached."""

    def _now(self) -> datetime:
        return self.clock.now() if self.clock else datetime.now(UTC)

    async def _sends(self, person_ids: Iterable[int]) -> _Sends:
        """Starts a notification to these people, with the chats of their Telegram accounts."""
        return _Sends(chats=await telegram_chats(self.uows, person_ids))

    async def application_submitted(self, submitted: Submitted) -> None:
        """Every reviewer who must decide next gets the card, with the photo above it; when
        nobody may decide, the bureau admins hear of it; whoever returned it at a unit it has
        since left hears where it went."""
        app, onward = submitted.app, submitted.onward
        delivery = onward.cards
        if delivery is None and not onward.unassigned and not submitted.moved_from:
            return
        sends = await self._sends(
            [*(delivery.person_ids if delivery else ()), *onward.unassigned, *submitted.moved_from]
        )
        if delivery is not None:
            await self._send_cards(delivery, sends)
        for person_id in submitted.moved_from:
            await self._tell(person_id, render_review.moved_away(app), None, sends)
        await self._tell_unassigned(app, onward.unassigned, sends)
        await self._record(app.id, sends)

    async def application_decided(self, outcome: review.Outcome) -> None:
        """Every copy of the card shows the outcome; the applicant hears it (and, of a return
        they can still resubmit, gets the summary card to edit); whoever decides next gets the
        card; the level below hears of a disqualification, a return or a decline that reaches
        it without a card; when nobody may decide next, the bureau admins hear it."""
        app = outcome.after
        next_ids = outcome.next_cards.person_ids if outcome.next_cards is not None else ()
        sends = await self._sends([app.person_id, *next_ids, *outcome.told, *outcome.unassigned])
        await self._rewrite(outcome.closed_cards, render_review.outcome_text(outcome))
        await self._tell(app.person_id, render_review.applicant_decision(outcome), None, sends)
        if app.status is Status.RETURNED and outcome.stage is not Stage.CLOSED:
            for text, markup in render.card_parts(app):
                if not await self._tell(app.person_id, text, markup, sends):
                    break
        if outcome.next_cards is not None:
            await self._send_cards(outcome.next_cards, sends)
        if outcome.told:
            notice = render_review.reviewers_told(outcome)
            for person_id in outcome.told:
                await self._tell(person_id, notice, None, sends)
        await self._tell_unassigned(app, outcome.unassigned, sends)
        await self._record(app.id, sends)

    async def _tell_unassigned(
        self, app: ApplicationSnapshot, admin_ids: Sequence[int], sends: _Sends
    ) -> None:
        """The bureau admins hear that nobody may decide where the application waits."""
        if admin_ids:
            notice = render_review.unassigned_notice(app)
            for person_id in admin_ids:
                await self._tell(person_id, notice, None, sends)

    async def tell_many(
        self, person_ids: Sequence[int], text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Sends one message to each person; those who cannot be reached are marked so."""
        if not person_ids:
            return
        sends = await self._sends(person_ids)
        for person_id in person_ids:
            await self._tell(person_id, text, markup, sends)
        await self._record(None, sends)

    async def application_withdrawn(self, app: ApplicationSnapshot, previous: str) -> None:
        """Cards are closed and the reviewers who had it before them are told."""
        withdrawal = await review.withdraw_cards(self.uows, app, Status(previous))
        await self._rewrite(
            withdrawal.closed_cards, render_review.withdrawn_card_text(app, self._now())
        )
        carried = {chat_id for chat_id, _ in withdrawal.closed_cards}
        sends = await self._sends(withdrawal.watcher_ids)
        for person_id in withdrawal.watcher_ids:
            if sends.chats.get(person_id) not in carried:
                await self._tell(person_id, render_review.withdrawn_notice(app), None, sends)
        await self._record(app.id, sends)

    async def record_card(self, app_id: int, person_id: int, message: Message) -> None:
        """Remembers a card shown on request (from a list), so it is updated like the others."""
        sends = _Sends()
        sends.cards.append((person_id, message.message_id))
        await self._record(app_id, sends)

    async def tell(
        self, person_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> bool:
        """Sends one message; a person who cannot be reached is marked so."""
        sends = await self._sends([person_id])
        await self._tell(person_id, text, markup, sends)
        await self._record(None, sends)
        return not sends.unreachable

    async def _send_cards(self, delivery: review.CardDelivery, sends: _Sends) -> None:
        app = delivery.card.app
        parts = render_review.review_card_parts(delivery.card)
        caption = render_review.photo_caption(app)
        photo: str | BufferedInputFile | None = (
            BufferedInputFile(delivery.photo, filename=f"{app.id}.jpg") if delivery.photo else None
        )
        for person_id in delivery.person_ids:
            chat = sends.chats.get(person_id)
            if chat is None:
                log.warning("review card %s: person %s has no Telegram account", app.id, person_id)
                continue
            try:
                if photo is not None:
                    sent_photo = await self.bot.send_photo(chat, photo, caption=caption)
                    if sent_photo.photo:
                        photo = sent_photo.photo[-1].file_id
                for text, markup in parts:
                    message = await self.bot.send_message(chat, text, reply_markup=markup)
            except UNDELIVERABLE as problem:
                log.warning("review card %s not delivered to %s: %s", app.id, person_id, problem)
                sends.unreachable.append(person_id)
                continue
            sends.cards.append((person_id, message.message_id))  # the last part: the buttons

    async def _rewrite(self, cards: Sequence[review.CardRef], text: str) -> None:
        """Replaces every given copy of a card by `text`, without buttons."""
        for chat_id, message_id in cards:
            try:
                await self.bot.edit_message_text(
                    text=text, chat_id=chat_id, message_id=message_id, reply_markup=None
                )
            except UNDELIVERABLE as problem:
                log.info("card %s in chat %s not updated: %s", message_id, chat_id, problem)

    async def _tell(
        self, person_id: int, text: str, markup: InlineKeyboardMarkup | None, sends: _Sends
    ) -> bool:
        """Sends one message; False when the person could not be reached."""
        chat = sends.chats.get(person_id)
        if chat is None:
            log.warning("message to person %s not sent: no Telegram account", person_id)
            return False
        try:
            await self.bot.send_message(chat, text, reply_markup=markup)
        except UNDELIVERABLE as problem:
            log.warning("message to %s not delivered: %s", person_id, problem)
            sends.unreachable.append(person_id)
            return False
        return True

    async def _record(self, app_id: int | None, sends: _Sends) -> None:
        if self.known is not None:
            for person_id in sends.unreachable:
                self.known.forget_person(person_id)
        await review.record_deliveries(
            self.uows,
            app_id=app_id,
            cards=sends.cards,
            unreachable=sends.unreachable,
            now=self._now(),
            admin_ids=self.admin_ids,
        )
