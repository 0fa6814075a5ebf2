"""Moving a person to another Telegram account: rebind links, the applicant's own code, /roles.

The services decide (bot.services.accounts); this module parses, calls one
of them and tells both accounts. The old account's conversation ends and its
command menu goes back to an applicant's.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock, format_local
from bot.domain.idcard import parse_id_number
from bot.domain.ids import parse_id
from bot.services import accounts
from bot.services.repositories import UnitOfWorkFactory
from bot.services.roles import Menu
from bot.texts import accounts as t
from handlers import render
from handlers.callbacks import RebindFor
from handlers.common import deleted
from handlers.notify import TelegramNotifier
from handlers.review import refresh_menu

log = logging.getLogger(__name__)

class RebindInput(StatesGroup):
    id_number = State()
    code = State()


class RebindStart(Filter):
    """`/start b_<token>`: a rebind link, not an applicant's start."""

    async def __call__(self, message: Message) -> bool | dict[str, str]:
        text = message.text or ""
        prefix = "/start " + accounts.REBIND_PREFIX
        if not text.startswith(prefix):
            return False
        return {"rebind_token": text[len(prefix) :].strip()}


def build_router() -> Router:
    router = Router(name="accounts")
    router.message.register(on_rebind_start, RebindStart())
    router.message.register(on_rebind, Command("rebind"))
    router.callback_query.register(on_rebind_for, RebindFor.filter())
    typed = F.text & ~F.text.startswith("/")
    router.message.register(on_id_number, StateFilter(RebindInput.id_number), typed)
    router.message.register(on_code, StateFilter(RebindInput.code), typed)
    return router


async def on_rebind_for(
    query: CallbackQuery,
    callback_data: RebindFor,
    bot: Bot,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """A bureau admin or district reviewer makes a rebind link for someone listed in /roles."""
    link = await accounts.create_rebind_link(
        uows, person_id=callback_data.person_id, by=person_id, admin_ids=admin_ids, now=clock.now()
    )
    text = await _link_text(bot, link)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text)


async def _link_text(bot: Bot, link: accounts.NewRebindLink) -> str:
    me = await bot.me()
    url = f"https://t.me/{me.username}?start={link.payload}"
    return t.LINK_MADE.format(expires=format_local(link.expires_at), link=url, name=link.person_name)


async def on_rebind_start(
    message: Message,
    rebind_token: str,
    state: FSMContext,
    bot: Bot,
    uows: UnitOfWorkFactory,
    clock: Clock,
    notifier: TelegramNotifier,
    fsm_storage: BaseStorage,
    known_accounts: accounts.KnownAccounts,
    person_id: int,
    account_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Whoever opens a rebind link becomes that person's account."""
    rebound = await accounts.open_rebind_link(
        uows,
        rebind_token,
        opener=accounts.Identity(person_id, account_id),
        admin_ids=admin_ids,
        now=clock.now(),
    )
    await _rebound(message, state, bot, fsm_storage, known_accounts, rebound)
    if rebound.link_made_by is not None and rebound.link_made_by != rebound.person_id:
        await notifier.tell(
            rebound.link_made_by,
            t.LINK_USED_TOLD.format(name=rebound.name, new=_who(message)),
        )


async def on_rebind(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """An applicant on a new account asks to move their application over; a bureau admin's
    `/rebind 12` makes a link for the applicant of application 12."""
    if not command.args:
        await state.set_state(RebindInput.id_number)
        await message.answer(t.ASK_ID_NUMBER)
        return
    app_id = parse_id(command.args)
    if app_id is None:
        await message.answer(t.REBIND_USAGE)
        return
    link = await accounts.create_rebind_link_for_application(
        uows, app_id=app_id, by=person_id, admin_ids=admin_ids, now=clock.now()
    )
    await message.answer(await _link_text(bot, link))


async def on_id_number(
    message: Message,
    state: FSMContext,
    bot: Bot,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    account_id: int,
) -> None:
    """Takes the ID number; a code goes to the old account (the answer never says whether)."""
    now = clock.now()
    try:
        number = parse_id_number(message.text or "", now.date()).number
    except ValueError as wrong:
        await message.answer(str(wrong))
        return
    await deleted(message)  # the ID number leaves the chat once read
    sent = await accounts.request_code(
        uows, asker=accounts.Identity(person_id, account_id), id_number=number, now=now
    )
    await state.set_state(RebindInput.code)
    if sent.old_chat is not None and sent.code is not None:
        try:
            await bot.send_message(
                sent.old_chat,
                t.CODE_TO_OLD.format(code=sent.code, expires=format_local(sent.expires_at)),
            )
        except (TelegramForbiddenError, TelegramBadRequest) as problem:
            log.info("rebind code not delivered to the old account: %s", problem)
    minutes = int(accounts.CODE_TTL.total_seconds() // 60)
    await message.answer(t.CODE_SENT.format(minutes=minutes))


async def on_code(
    message: Message,
    state: FSMContext,
    bot: Bot,
    uows: UnitOfWorkFactory,
    clock: Clock,
    fsm_storage: BaseStorage,
    known_accounts: accounts.KnownAccounts,
    person_id: int,
    account_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """The code from the old account: the person moves to this one."""
    code = (message.text or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        await message.answer(t.CODE_FORMAT)
        return
    rebound = await accounts.confirm_code(
        uows,
        asker=accounts.Identity(person_id, account_id),
        code=code,
        admin_ids=admin_ids,
        now=clock.now(),
    )
    await _rebound(message, state, bot, fsm_storage, known_accounts, rebound)


async def _rebound(
    message: Message,
    state: FSMContext,
    bot: Bot,
    fsm_storage: BaseStorage,
    known_accounts: accounts.KnownAccounts,
    rebound: accounts.Rebound,
) -> None:
    """Tells the new account and the old ones; ends the old ones' conversations and menus."""
    known_accounts.forget_person(rebound.person_id)
    known_accounts.forget(accounts.TELEGRAM, str(message.chat.id))
    await state.clear()
    await message.answer(t.REBOUND_NEW.format(name=rebound.name))
    if rebound.app_id is not None:
        await message.answer(
            t.REBOUND_CONTINUE, reply_markup=render.continue_keyboard(rebound.app_id)
        )
    await refresh_menu(bot, message.chat.id, rebound.menu)
    for chat in rebound.old_chats:
        key = StorageKey(bot_id=bot.id, chat_id=chat, user_id=chat)
        await FSMContext(fsm_storage, key).clear()
        await refresh_menu(bot, chat, Menu())
        try:
            await bot.send_message(chat, t.REBOUND_OLD.format(name=rebound.name))
        except (TelegramForbiddenError, TelegramBadRequest) as problem:
            log.info("old account not told of the rebind: %s", problem)


def _who(message: Message) -> str:
    user = message.from_user
    if user is None:
        return ""
    return f"@{user.username}" if user.username else user.full_name
