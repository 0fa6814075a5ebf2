"""Campaign management (/campaign), 催办 (/nudge and its button), and blocking of the bot.

Review cards host the 催办 button through `nudge_button(app_id)`; until they
exist, reviewers use `/nudge <申报编号>`.
"""

from __future__ import annotations

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
from bot.domain.parsers import parse_deadline
from bot.domain.reminders import DeadlineKind
from bot.ratelimit import RateLimiter
from bot.services import campaigns
from bot.services import reminders as svc
from bot.services.reminder_ports import ReminderStoreFactory
from bot.texts import reminders as t
from handlers.sending import TelegramSender


class NudgeAction(CallbackData, prefix="ng"):
    app_id: int


class CampaignDo(StrEnum):
    CLOSE = "c"
    OPEN = "o"


class CampaignAct(CallbackData, prefix="cp"):
    campaign_id: int
    do: CampaignDo


KIND_WORDS = {"unit": DeadlineKind.UNIT, "单位": DeadlineKind.UNIT, "个人": DeadlineKind.UNIT,
              "district": DeadlineKind.DISTRICT, "区县": DeadlineKind.DISTRICT}


def nudge_button(app_id: int) -> InlineKeyboardButton:
    """A 催办 button for review cards and lists."""
    return InlineKeyboardButton(text=t.BUTTON_NUDGE, callback_data=NudgeAction(app_id=app_id).pack())


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
    reminder_stores: ReminderStoreFactory,
    settings: Settings,
    clock: Clock,
) -> None:
    """Shows the campaign to a bureau admin, or applies `extend|close|open|name|reminders`."""
    assert message.from_user is not None
    args = (command.args or "").split()
    async with reminder_stores() as store:
        await campaigns.require_bureau(store, message.from_user.id, settings.bureau_admin_ids)
        plan = await campaigns.plan_of(store)
        cid = plan.campaign.id
        match args:
            case []:
                await message.answer(
                    campaigns.describe(plan) + "\n\n" + t.CAMPAIGN_HELP,
                    reply_markup=_campaign_markup(cid, plan.campaign.is_open),
                )
            case ["extend", kind, *when] if kind in KIND_WORDS and when:
                try:
                    at = parse_deadline(" ".join(when))
                except ValueError:
                    raise DomainError(t.BAD_DEADLINE) from None
                count = await campaigns.extend_deadline(
                    store, cid, KIND_WORDS[kind], at, clock.now()
                )
                await message.answer(
                    t.EXTENDED_DONE.format(
                        deadline_name=t.DEADLINE_NAME[KIND_WORDS[kind]],
                        new=" ".join(when),
                        count=count,
                    )
                )
            case ["close"]:
                await campaigns.set_open(store, cid, False)
                await message.answer(t.CLOSED)
            case ["open"]:
                await campaigns.set_open(store, cid, True)
                await message.answer(t.OPENED)
            case ["name", *words] if words:
                await campaigns.rename(store, cid, " ".join(words))
                await message.answer(t.RENAMED.format(name=" ".join(words)))
            case ["reminders", offsets, *quiet]:
                await campaigns.set_schedule(store, cid, offsets, quiet[0] if quiet else None)
                await message.answer(campaigns.describe(await campaigns.plan_of(store, cid)))
            case _:
                await message.answer(t.UNKNOWN_ACTION + t.CAMPAIGN_HELP)


async def on_campaign_act(
    query: CallbackQuery,
    callback_data: CampaignAct,
    reminder_stores: ReminderStoreFactory,
    settings: Settings,
) -> None:
    """Closes or reopens the campaign from its card."""
    async with reminder_stores() as store:
        await campaigns.require_bureau(store, query.from_user.id, settings.bureau_admin_ids)
        is_open = callback_data.do is CampaignDo.OPEN
        await campaigns.set_open(store, callback_data.campaign_id, is_open)
        plan = await campaigns.plan_of(store, callback_data.campaign_id)
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
    reminder_stores: ReminderStoreFactory,
    limiter: RateLimiter,
    settings: Settings,
    clock: Clock,
) -> None:
    """催办 by application id: whoever holds it gets a reminder now."""
    assert message.from_user is not None
    arg = (command.args or "").strip().lstrip("#")
    if not arg.isdigit():
        await message.answer(t.NUDGE_USAGE)
        return
    count = await _nudge(int(arg), message.from_user.id, bot, reminder_stores, limiter, settings, clock)
    await message.answer(t.NUDGED.format(count=count))


async def on_nudge_button(
    query: CallbackQuery,
    callback_data: NudgeAction,
    bot: Bot,
    reminder_stores: ReminderStoreFactory,
    limiter: RateLimiter,
    settings: Settings,
    clock: Clock,
) -> None:
    """催办 from a card or a list."""
    count = await _nudge(
        callback_data.app_id, query.from_user.id, bot, reminder_stores, limiter, settings, clock
    )
    await query.answer(t.NUDGED.format(count=count), show_alert=True)


async def _nudge(
    app_id: int,
    actor_id: int,
    bot: Bot,
    reminder_stores: ReminderStoreFactory,
    limiter: RateLimiter,
    settings: Settings,
    clock: Clock,
) -> int:
    async with reminder_stores() as store:
        claimed = await svc.nudge(
            store,
            actor_id=actor_id,
            app_id=app_id,
            now=clock.now(),
            admin_ids=settings.bureau_admin_ids,
        )
    sender = TelegramSender(bot, limiter, clock)
    await svc.deliver(
        reminder_stores, sender, claimed, clock, admin_ids=settings.bureau_admin_ids
    )
    return len(claimed)


async def on_my_chat_member(
    event: ChatMemberUpdated,
    reminder_stores: ReminderStoreFactory,
    settings: Settings,
    clock: Clock,
) -> None:
    """A user who blocks the bot is no longer messaged (and is reported once); unblocking undoes it."""
    if event.chat.type != "private":
        return
    status = event.new_chat_member.status
    async with reminder_stores() as store:
        if status == "kicked":
            await svc.person_blocked(
                store, event.from_user.id, clock.now(), settings.bureau_admin_ids
            )
        elif status == "member":
            await svc.person_unblocked(store, event.from_user.id)
