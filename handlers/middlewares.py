"""Outer middlewares: private chats only, the notifier, and who the update comes from."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update

from bot.services import accounts
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import chat as t
from handlers.notify import TelegramNotifier


class PrivateChatsOnly(BaseMiddleware):
    """Refuses groups: other members would see personal data and could press buttons."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat = data.get("event_chat")
        if chat is not None and chat.type != "private":
            inner = event.event if isinstance(event, Update) else event
            if isinstance(inner, Message) and inner.text and inner.text.startswith("/"):
                await inner.answer(t.GROUP_CHAT)
            elif isinstance(inner, CallbackQuery):
                await inner.answer(t.GROUP_CHAT, show_alert=True)
            return None
        return await handler(event, data)


class ProvideNotifier(BaseMiddleware):
    """Gives handlers a `notifier` bound to the bot that received the update (after
    `IdentifyPerson`, for the bureau admins it tells of unreachable reviewers)."""

    def __init__(self, uows: UnitOfWorkFactory) -> None:
        self.uows = uows

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["notifier"] = TelegramNotifier(
            data["bot"],
            self.uows,
            data.get("clock"),
            data.get("known_accounts"),
            data.get("admin_ids", ()),
        )
        return await handler(event, data)


class IdentifyPerson(BaseMiddleware):
    """Resolves the account an update comes from to its person, on every update.

    Handlers get `person_id` (the project's id, never a Telegram id) and
    `admin_ids` (the persons of the bureau admins named in the settings). An
    account that writes again after being marked unreachable loses the mark;
    block and unblock (my_chat_member) are left to their own handler. An
    account seen in the last minute is not read again (`KnownAccounts`).
    """

    def __init__(
        self,
        uows: UnitOfWorkFactory,
        admin_telegram_ids: Iterable[int],
        known: accounts.KnownAccounts,
    ) -> None:
        self.uows = uows
        self.admin_telegram_ids = tuple(admin_telegram_ids)
        self.known = known
        self._admins: tuple[int, ...] | None = None

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        now = data["clock"].now()
        if self._admins is None:
            self._admins = await accounts.configured_admins(self.uows, self.admin_telegram_ids, now)
        chat = data.get("event_chat")
        sender = accounts.Sender(
            channel=accounts.TELEGRAM,
            external_id=str(user.id),
            chat_id=str(chat.id if chat is not None else user.id),
            username=user.username,
            display_name=user.full_name,
        )
        wrote = not (isinstance(event, Update) and event.my_chat_member is not None)
        identity = await accounts.identify(self.uows, sender, now, wrote=wrote, known=self.known)
        data["person_id"] = identity.person_id
        data["account_id"] = identity.account_id
        data["admin_ids"] = self._admins
        return await handler(event, data)


class UpdatesInFlight(BaseMiddleware):
    """Counts the updates being handled, so a clean stop can wait for their last replies."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self._count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._count -= 1
            if not self._count:
                self._idle.set()

    async def wait_idle(self, seconds: float) -> bool:
        """Waits until no update is being handled; False when some still were after `seconds`."""
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            return False
        return True
