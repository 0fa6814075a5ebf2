"""/privacy and /delete_my_data: what is collected and why, and deletion on request."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.config import Settings
from bot.domain.errors import DomainError
from bot.domain.workflow import Status
from bot.services import applicant as applicant_svc
from bot.services import privacy as svc
from bot.services.ports import Notifier
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import chat as ct
from bot.texts import privacy as t
from handlers.registry import listing_searches


class DeleteDo(StrEnum):
    CONFIRM = "c"
    CANCEL = "x"


class DeleteMyData(CallbackData, prefix="del"):
    do: DeleteDo


def build_router() -> Router:
    router = Router(name="privacy")
    router.message.register(on_privacy, Command("privacy"))
    router.message.register(on_delete_my_data, Command("delete_my_data"))
    router.callback_query.register(on_delete_answer, DeleteMyData.filter())
    return router


async def on_privacy(message: Message, settings: Settings) -> None:
    """Says what is collected, why, who sees it, how long it is kept and how to have it deleted."""
    await message.answer(
        t.PRIVACY.format(version=applicant_svc.CONSENT_VERSION, days=settings.retention_days)
    )


async def on_delete_my_data(message: Message, uows: UnitOfWorkFactory, person_id: int) -> None:
    """Shows what deletion would do and what the law keeps, with a confirm button."""
    plan = await svc.deletion_plan(uows, person_id)
    await message.answer(plan_text(plan), reply_markup=confirm_keyboard())


async def on_delete_answer(
    query: CallbackQuery,
    callback_data: DeleteMyData,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    notifier: Notifier,
    person_id: int,
) -> None:
    """Deletes on confirmation, then tells the reviewers of any withdrawn application."""
    message = query.message
    if not isinstance(message, Message):
        raise DomainError(ct.STALE_BUTTON)
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    if callback_data.do is DeleteDo.CANCEL:
        await message.answer(t.DELETE_CANCELLED)
        return
    user = query.from_user
    done = await svc.delete_my_data(
        uows, person_id=person_id, actor_name=user.full_name, now=clock.now()
    )
    await state.clear()
    await listing_searches(state).clear()  # /experts searches: the names the person looked up
    await message.answer(done_text(done))
    for app, previous in done.withdrawn:
        await notifier.application_withdrawn(replace(app, status=Status.WITHDRAWN), previous)


def confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t.BUTTON_DELETE_CONFIRM,
                    callback_data=DeleteMyData(do=DeleteDo.CONFIRM).pack(),
                ),
                InlineKeyboardButton(
                    text=t.BUTTON_DELETE_CANCEL,
                    callback_data=DeleteMyData(do=DeleteDo.CANCEL).pack(),
                ),
            ]
        ]
    )


def plan_text(plan: svc.DeletionPlan) -> str:
    if not (plan.drafts or plan.withdraw or plan.erase or plan.kept):
        return t.DELETE_NOTHING
    lines = [t.DELETE_PLAN_HEADER]
    for items, text in (
        (plan.drafts, t.DELETE_PLAN_DRAFTS),
        (plan.withdraw, t.DELETE_PLAN_WITHDRAW),
        (plan.erase, t.DELETE_PLAN_ERASE),
        (plan.kept, t.DELETE_PLAN_KEPT),
    ):
        if items:
            lines.append(text.format(count=len(items)))
    lines += [t.DELETE_PLAN_CONSENT, "", t.DELETE_KEPT_BY_LAW]
    return "\n".join(lines)


def done_text(done: svc.DeletionDone) -> str:
    text = t.DELETE_DONE.format(
        drafts=done.drafts_deleted, withdrawn=len(done.withdrawn), erased=len(done.erased)
    )
    if done.kept:
        text += "\n" + t.DELETE_DONE_KEPT.format(count=len(done.kept))
    return text
