"""Commands everyone has, and what happens to input no other handler takes."""

from __future__ import annotations

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.texts import chat as t


def build_router() -> Router:
    router = Router(name="common")
    router.message.register(on_help, Command("help"))
    router.message.register(on_cancel, Command("cancel"))
    router.edited_message.register(on_edited)
    return router


def build_fallback_router() -> Router:
    """Included last: anything nobody else took gets a short pointer, never silence."""
    router = Router(name="fallback")
    router.message.register(on_unknown)
    router.callback_query.register(on_unknown_button)
    return router


async def deleted(message: Message) -> bool:
    """Removes a message from the chat; False when Telegram would not (too old, already gone)."""
    try:
        await message.delete()
    except TelegramBadRequest:
        return False
    return True


async def on_help(message: Message) -> None:
    await message.answer(t.HELP)


async def on_cancel(message: Message, state: FSMContext) -> None:
    """Leaves the current step; answers already stored stay."""
    if await state.get_state() is None:
        await message.answer(t.NOTHING_TO_CANCEL, reply_markup=ReplyKeyboardRemove())
        return
    await state.clear()
    await message.answer(t.CANCELLED, reply_markup=ReplyKeyboardRemove())


async def on_edited(message: Message) -> None:
    """Edited messages never change stored answers (they would bypass the checks)."""
    await message.answer(t.EDITED_IGNORED)


async def on_unknown(message: Message) -> None:
    await message.answer(t.UNKNOWN_INPUT)


async def on_unknown_button(query: CallbackQuery) -> None:
    await query.answer(t.STALE_BUTTON)
