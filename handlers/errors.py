"""Turns domain refusals into a reply or an alert, so handlers hold no business try/except."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.domain.errors import DomainError
from bot.services.transaction import CallInsideUnitOfWork
from bot.texts import chat as t
from bot.texts.limits import ALERT, MESSAGE, clip

log = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_call_inside_unit_of_work, ExceptionTypeFilter(CallInsideUnitOfWork))
    router.errors.register(on_domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(on_unexpected_error)
    return router


async def on_call_inside_unit_of_work(event: ErrorEvent) -> None:
    """A handler reached Telegram inside a transaction: a bug, so it fails the update loudly."""
    raise event.exception


async def on_domain_error(event: ErrorEvent) -> None:
    await _tell(event, str(event.exception))


async def on_unexpected_error(event: ErrorEvent) -> None:
    log.exception("unhandled error in update %s", event.update.update_id, exc_info=event.exception)
    await _tell(event, t.INTERNAL_ERROR)


async def _tell(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer(clip(text, ALERT), show_alert=True)
    elif update.message is not None:
        await update.message.answer(clip(text, MESSAGE))
