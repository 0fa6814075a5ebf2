"""The Telegram side of the `Notifier` port: who hears about what."""

from __future__ import annotations

from aiogram import Bot

from bot.domain.application import ApplicationSnapshot
from bot.services.ports import StoreFactory


class TelegramNotifier:
    def __init__(self, bot: Bot, stores: StoreFactory) -> None:
        self.bot = bot
        self.stores = stores

    async def application_submitted(self, app: ApplicationSnapshot) -> None:
        """Reviewers get the new application (review cards come with the review flow)."""
