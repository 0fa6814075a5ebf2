"""Campaign management (/campaign), 催办 (/nudge and its button), and blocking of the bot.

Review cards host the 催办 button through `nudge_button(app_id)`; until they
exist, reviewers use `/nudge <申报编号>`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.clock import Clock
from bot.config import Settings
from bot.domain.errors import DomainError
from bot.domain.ids import parse_id
from bot.domain.parsers import parse_deadline
from bot.domain.reminders import DeadlineKind
from bot.ratelimit import RateLimiter
from bot.services import campaigns
from bot.services import reminders as svc
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import reminders as t
from handlers.callbacks import Id
from handlers.sending import TelegramSender


class NudgeAction(CallbackData, prefix="ng"):
    app_id: Id


class CampaignDo(StrEnum):
    CLOSE = "c"
    OPEN = "o"


class CampaignAct(CallbackData, prefix="cp"):
    campaign_id: Id
    do: CampaignDo


KIND_WORDS = {
    "unit": DeadlineKind.UNIT,
    "单位": DeadlineKind.UNIT,
    "个人": DeadlineKind.UNIT,
    "district": DeadlineKind.DISTRICT,
    "区县": DeadlineKind.DISTRICT,
}


def nudge_button(app_id: int, text: str = t.BUTTON_NUDGE) -> InlineKeyboardButton:
    """A 催办 button for review cards and lists."""
    return InlineKeyboardButton(text=text, callback_data=NudgeAction(app_id=app_id).pack())


def build_router() -> Router:
    router = Router(name="reminders")
    router.message.register(on_campaign, Command("campaign"))
    router.callback_query.register(on_campaign_act, CampaignAct.filter())
    router.message.register(on_nudge, Command("nudge"))
    router.callback_query.register(on_nudge_button, NudgeAction.filter())
    router.my_chat_member.register(on_my_chat_member)
    return router


async def on_campaign(
    message: Message,
    command: CommandObject,
    uows: UnitOfWorkFactory,
    settings: Settings,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Shows the campaign to a bureau admin, or applies `extend|close|open|name|reminders`."""
    actor, admins = person_id, admin_ids
    match (command.args or "").split():
        case []:
            plan = await campaigns.show(uows, actor_id=actor, admin_ids=admins)
            markup = _campaign_markup(plan.campaign.id, plan.campaign.is_open)
            await message.answer(
                campaigns.describe(plan) + "\n\n" + t.CAMPAIGN_HELP, reply_markup=markup
            )
        case ["extend", word, *when] if word in KIND_WORDS and when:
            kind, at = KIND_WORDS[word], _deadline(when)
            if at is None:
                await campaigns.show(uows, actor_id=actor, admin_ids=admins)  # refuses others first
                raise DomainError(t.BAD_DEADLINE)
            extended = await campaigns.extend_deadline(
                uows, {kind: at}, clock.now(), actor_id=actor, admin_ids=admins
            )
            await message.answer(
                t.EXTENDED_DONE.format(
                    deadline_name=t.DEADLINE_NAME[kind], new=" ".join(when), count=extended.told
                )
            )
        case ["close"]:
            await campaigns.set_open(uows, False, actor_id=actor, admin_ids=admins)
            await message.answer(t.CLOSED)
        case ["open"]:
            await campaigns.set_open(uows, True, actor_id=actor, admin_ids=admins)
            await message.answer(t.OPENED)
        case ["name", *words] if words:
            plan = await campaigns.rename(uows, " ".join(words), actor_id=actor, admin_ids=admins)
            await message.answer(t.RENAMED.format(name=plan.campaign.name))
        case ["reminders", offsets, *quiet]:
            plan = await campaigns.set_schedule(
                uows, offsets, quiet[0] if quiet else None, actor_id=actor, admin_ids=admins
            )
            await message.answer(campaigns.describe(plan))
        case _:
            await campaigns.show(uows, actor_id=actor, admin_ids=admins)  # refuses others first
            await message.answer(t.UNKNOWN_ACTION + t.CAMPAIGN_HELP)


def _deadline(words: list[str]) -> datetime | None:
    try:
        return parse_deadline(" ".join(words))
    except ValueError:
        return None


async def on_campaign_act(
    query: CallbackQuery,
    callback_data: CampaignAct,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Closes or reopens the campaign from its card."""
    is_open = callback_data.do is CampaignDo.OPEN
    plan = await campaigns.set_open(
        uows,
        is_open,
        campaign_id=callback_data.campaign_id,
        actor_id=person_id,
        admin_ids=admin_ids,
    )
    await query.answer(t.OPENED if is_open else t.CLOSED)
    if isinstance(query.message, Message):
        await query.message.edit_text(
            campaigns.describe(plan) + "\n\n" + t.CAMPAIGN_HELP,
            reply_markup=_campaign_markup(plan.campaign.id, plan.campaign.is_open),
        )


def _campaign_markup(campaign_id: int, is_open: bool) -> InlineKeyboardMarkup:
    do, text = (CampaignDo.CLOSE, t.BUTTON_CLOSE) if is_open else (CampaignDo.OPEN, t.BUTTON_OPEN)
    button = InlineKeyboardButton(
        text=text, callback_data=CampaignAct(campaign_id=campaign_id, do=do).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


async def on_nudge(
    message: Message,
    command: CommandObject,
    bot: Bot,
    uows: UnitOfWorkFactory,
    limiter: RateLimiter,
    settings: Settings,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Nudges by application id: whoever holds it gets a reminder now."""
    app_id = parse_id(command.args)
    if app_id is None:
        await message.answer(t.NUDGE_USAGE)
        return
    count = await svc.send_nudge(
        uows,
        TelegramSender(bot, limiter, clock, uows),
        clock,
        actor_id=person_id,
        app_id=app_id,
        admin_ids=admin_ids,
    )
    await message.answer(t.NUDGED.format(count=count))


async def on_nudge_button(
    query: CallbackQuery,
    callback_data: NudgeAction,
    bot: Bot,
    uows: UnitOfWorkFactory,
    limiter: RateLimiter,
    settings: Settings,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Nudges from a card or a list."""
    count = await svc.send_nudge(
        uows,
        TelegramSender(bot, limiter, clock, uows),
        clock,
        actor_id=person_id,
        app_id=callback_data.app_id,
        admin_ids=admin_ids,
    )
    await query.answer(t.NUDGED.format(count=count), show_alert=True)


async def on_my_chat_member(
    event: ChatMemberUpdated,
    uows: UnitOfWorkFactory,
    settings: Settings,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Stops messaging a user who blocked the bot (reported once); unblocking undoes it."""
    if event.chat.type != "private":
        return
    status = event.new_chat_member.status
    if status == "kicked":
        await svc.person_blocked(uows, person_id, clock.now(), admin_ids)
    elif status == "member":
        await svc.person_unblocked(uows, person_id)
