"""Commands everyone has, and what happens to input no other handler takes."""

from __future__ import annotations

import re

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.services import roles
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import chat as t
from bot.texts.limits import clip
from handlers.render import with_press
from handlers.render_review import help_text

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@\w+)?(?=\s|$)")


class NamedCommand(Filter):
    """A /command as Telegram marks one: "/" and a name of Latin letters, digits or "_".

    "/" alone, or followed by Chinese ("/无"), is not one: forms write it for "none".
    """

    async def __call__(self, message: Message) -> bool:
        return bool(message.text and _COMMAND.match(message.text))


def build_router() -> Router:
    router = Router(name="common")
    router.message.register(on_help, Command("help"))
    router.message.register(on_cancel, Command("cancel"))
    router.edited_message.register(on_edited)
    return router


def build_fallback_router() -> Router:
    """Included last: anything nobody else took gets a short pointer, never silence."""
    router = Router(name="fallback")
    router.message.register(on_unknown_command, NamedCommand())
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


async def keep_press(query: CallbackQuery, message: Message) -> None:
    """The question pressed keeps its answer, ticked under it, and loses its buttons."""
    text = with_press(message, query.data)
    if text is None:
        await message.edit_reply_markup(reply_markup=None)
    else:
        await message.edit_text(text)


async def on_help(
    message: Message, uows: UnitOfWorkFactory, person_id: int, admin_ids: tuple[int, ...]
) -> None:
    """Everyone's commands, then those of the person's roles (as their /start and menu list)."""
    grants = await roles.roles_of(uows, person_id, admin_ids)
    await message.answer(help_text(grants))


async def on_cancel(message: Message, state: FSMContext) -> None:
    """Leaves the current step. An applicant's answers are stored as they come, so they stay;
    a reviewer's or the bureau's half-typed input (a reason, dates) was never stored."""
    current = await state.get_state()
    if current is None:
        await message.answer(t.NOTHING_TO_CANCEL, reply_markup=ReplyKeyboardRemove())
        return
    await state.clear()
    applying = current.startswith("Apply:")  # handlers.applicant.Apply, the form's steps
    await message.answer(
        t.CANCELLED if applying else t.CANCELLED_INPUT, reply_markup=ReplyKeyboardRemove()
    )


async def on_edited(message: Message) -> None:
    """Edited messages never change stored answers (they would bypass the checks)."""
    await message.answer(t.EDITED_IGNORED)


async def on_unknown(message: Message) -> None:
    await message.answer(t.UNKNOWN_INPUT)


async def on_unknown_command(message: Message) -> None:
    """A mistyped or foreign command: said so, and never taken as an answer."""
    command = _COMMAND.match(message.text or "")
    await message.answer(t.UNKNOWN_COMMAND.format(command=clip(command[0] if command else "", 20)))


async def on_unknown_button(query: CallbackQuery) -> None:
    await query.answer(t.STALE_BUTTON)
