"""Exports in chat: /export, /download, /report (上报市局), /audit and their buttons.

Every press is re-authorised by the services from the server's data, whatever
the button says. A service reads the rows in its own unit of work and closes
it; only then is the file rendered (off the event loop) and handed over by
`deliver`, the one place that decides how a file reaches a person.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, LinkPreviewOptions, Message

from bot.clock import Clock, format_local, local
from bot.config import Settings
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.exports import Annex2Request
from bot.domain.ids import parse_bounded, parse_id
from bot.services import audit, registry
from bot.services import downloads as links
from bot.services import exports as svc
from bot.services.accounts import telegram_chats
from bot.services.registry_ports import ExpertFilter
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import downloads as dt
from bot.texts import exports as t
from bot.texts import registry as rt
from exports.annex1 import render_annex1_docx
from exports.annex2 import write_annex2
from exports.archive import annex1_archive
from exports.full import write_full_export
from exports.names import annex1_filename, annex2_filename, full_export_filename
from handlers import render_exports as rx
from handlers import render_review
from handlers.callbacks import (
    Annex1Get,
    ExportGo,
    ExportKind,
    ExportPick,
    ExportStage,
    ReportCancel,
    ReportConfirm,
    ReportGo,
)
from handlers.notify import TelegramNotifier
from handlers.registry_files import registry_file

log = logging.getLogger(__name__)

DEFAULT_AUDIT_ENTRIES = 20


def build_router() -> Router:
    router = Router(name="exports")
    router.message.register(on_export, Command("export"))
    router.message.register(on_download, Command("download"))
    router.message.register(on_report, Command("report"))
    router.message.register(on_audit, Command("audit"))
    router.callback_query.register(on_export_pick, ExportPick.filter())
    router.callback_query.register(on_export_go, ExportGo.filter())
    router.callback_query.register(on_annex1, Annex1Get.filter())
    router.callback_query.register(on_report_go, ReportGo.filter())
    router.callback_query.register(on_report_go, ReportConfirm.filter())
    router.callback_query.register(on_report_cancel, ReportCancel.filter())
    return router


async def deliver(
    bot: Bot,
    chat_id: int,
    requester_id: int,
    filename: str,
    data: bytes,
    caption: str,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
    uows: UnitOfWorkFactory | None = None,
) -> None:
    """Hands a file to one person (`requester_id`, in `chat_id`): as a document, or with
    EXPORT_DELIVERY=link as a one-time link."""
    if settings is None or settings.export_delivery != "link":
        await bot.send_document(
            chat_id, BufferedInputFile(data, filename=filename), caption=caption
        )
        return
    if clock is None or uows is None or not settings.public_base_url:
        raise RuntimeError("EXPORT_DELIVERY=link needs PUBLIC_BASE_URL and the database")
    link = await links.issue(
        uows,
        data=data,
        filename=filename,
        requester_id=requester_id,
        now=clock.now(),
        ttl=timedelta(minutes=settings.download_ttl_minutes),
    )
    url = f"{settings.public_base_url}/download/{link.token}"
    text = dt.LINK.format(caption=caption, until=format_local(link.expires_at), url=url)
    await bot.send_message(chat_id, text, link_preview_options=LinkPreviewOptions(is_disabled=True))


def _chat_of(query: CallbackQuery) -> int:
    if not isinstance(query.message, Message):
        raise DomainError(t.NOT_YOUR_SCOPE)
    return query.message.chat.id


# /export -------------------------------------------------------------------------------


async def on_export(
    message: Message,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Shows each role's export menu: the bureau's choices, the district's and the unit's files."""
    menus = await svc.export_menus(uows, person_id, admin_ids, now=clock.now())
    screens = [rx.bureau_menu(ExportPick(), None, menus.bureau)] if menus.bureau else []
    screens += [rx.district_menu(d) for d in menus.districts]
    screens += [rx.unit_menu(u) for u in menus.units]
    if not screens:
        await message.answer(t.NOT_AN_EXPORTER)
    for text, markup in screens:
        await message.answer(text, reply_markup=markup)


async def on_export_pick(
    query: CallbackQuery,
    callback_data: ExportPick,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Walks the bureau's menu: choose a district (or the city) and a group."""
    menu = await svc.bureau_menu(uows, person_id, admin_ids, callback_data.district_id or None)
    if callback_data.stage is ExportStage.DISTRICTS:
        text, markup = rx.district_page(menu.districts, callback_data)
    elif callback_data.stage is ExportStage.GROUPS:
        text, markup = rx.group_page(callback_data)
    else:
        text, markup = rx.bureau_menu(callback_data, menu.district, menu.campaign)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


async def on_export_go(
    query: CallbackQuery,
    callback_data: ExportGo,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Makes the file the button asks for, if the presser may have it, and sends it."""
    chat_id, actor_id, now = _chat_of(query), person_id, clock.now()
    admins = admin_ids
    district_id, group = callback_data.district_id or None, rx.group_of(callback_data.group)
    match callback_data.kind:
        case ExportKind.ANNEX2:
            request = Annex2Request(
                district_id=district_id,
                unit_id=callback_data.unit_id or None,
                group=group,
                include_pending=callback_data.pending,
            )
            export = await svc.annex2(uows, request, actor_id=actor_id, now=now, admin_ids=admins)
            await query.answer()
            data = await asyncio.to_thread(
                write_annex2, export.rows, export.district, export.filled_on, group=group
            )
            name = annex2_filename(export.file_district, export.filled_on)
            caption = rx.annex2_caption(export)
        case ExportKind.FULL:
            full = await svc.full_export(
                uows,
                actor_id=actor_id,
                now=now,
                admin_ids=admins,
                district_id=district_id,
                group=group,
            )
            await query.answer()
            data = await asyncio.to_thread(write_full_export, full.headers, full.rows)
            name, caption = full_export_filename(full.filled_on), rx.full_caption(len(full.rows))
        case ExportKind.ARCHIVE:
            district, forms = await svc.annex1_archive(
                uows, callback_data.district_id, actor_id=actor_id, now=now, admin_ids=admins
            )
            await query.answer()
            data = await asyncio.to_thread(_archive, forms)
            name = svc.archive_filename(district, local(now).date())
            caption = rx.archive_caption(district, len(forms))
        case ExportKind.REGISTRY:
            experts = await registry.registry_rows(
                uows,
                what=ExpertFilter(group=group, district_id=district_id),
                by=actor_id,
                admin_ids=admins,
                now=now,
            )
            await query.answer()
            name, data = await asyncio.to_thread(registry_file, experts, local(now).date())
            caption = rt.CAPTION_REGISTRY
    await deliver(
        bot, chat_id, actor_id, name, data, caption, settings=settings, clock=clock, uows=uows
    )


def _archive(forms: Sequence[svc.Annex1Export]) -> bytes:
    return annex1_archive(
        (annex1_filename(None, f.app_id), render_annex1_docx(f.form)) for f in forms
    )


# Annex 1 ------------------------------------------------------------------------------------


async def on_annex1(
    query: CallbackQuery,
    callback_data: Annex1Get,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Sends 推荐表 from a card: to the application's reviewers, the bureau and its applicant."""
    chat_id = _chat_of(query)
    await _send_annex1(
        bot, chat_id, person_id, callback_data.app_id, uows, clock, settings, admin_ids
    )
    await query.answer()


async def on_download(
    message: Message,
    command: CommandObject,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Sends the form of `/download [number]`: the applicant's own newest, or one the sender may see."""
    app_id = None
    if (command.args or "").strip():
        app_id = parse_id(command.args)
        if app_id is None:
            raise NotAllowed(t.UNKNOWN_APPLICATION)
    await _send_annex1(bot, message.chat.id, person_id, app_id, uows, clock, settings, admin_ids)


async def _send_annex1(
    bot: Bot,
    chat_id: int,
    person_id: int,
    app_id: int | None,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    admin_ids: tuple[int, ...],
) -> None:
    form = await svc.annex1(uows, app_id, actor_id=person_id, now=clock.now(), admin_ids=admin_ids)
    data = await asyncio.to_thread(render_annex1_docx, form.form)
    name, caption = annex1_filename(None, form.app_id), rx.annex1_caption(form.app_id)
    await deliver(
        bot, chat_id, person_id, name, data, caption, settings=settings, clock=clock, uows=uows
    )


# reporting ------------------------------------------------------------------------------------


async def on_report(
    message: Message,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Asks each district reviewer to confirm the report of its district's batch."""
    previews = await svc.report_previews(uows, person_id, clock.now(), admin_ids=admin_ids)
    for summary in previews:
        text, markup = rx.report_confirm(summary)
        await message.answer(text, reply_markup=markup)


async def on_report_cancel(query: CallbackQuery) -> None:
    """取消 on a confirmation: nothing was stored, so nothing to undo; the confirmation says
    it was called off and loses its buttons."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            f"{query.message.text}\n\n{t.REPORT_CANCELLED}", reply_markup=None
        )


async def on_report_go(
    query: CallbackQuery,
    callback_data: ReportGo | ReportConfirm,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    notifier: TelegramNotifier,
    admin_ids: tuple[int, ...],
    person_id: int,
) -> None:
    """Reports to the bureau (上报市局): asks first; on 确认上报 records it, sends the Annex 2 to
    the bureau's admins, tells the bureau's reviewers what now waits for their review, and the
    applicants whose applications it brought to the bureau."""
    chat_id = _chat_of(query)
    admins = admin_ids
    if isinstance(callback_data, ReportGo) and not callback_data.confirm:
        [summary] = await svc.report_previews(
            uows, person_id, clock.now(), admin_ids=admins, district_id=callback_data.district_id
        )
        await query.answer()
        text, markup = rx.report_confirm(summary)
        await bot.send_message(chat_id, text, reply_markup=markup)
        return
    report = await svc.report_batch(
        uows,
        callback_data.district_id,
        actor_id=person_id,
        now=clock.now(),
        admin_ids=admins,
        replaces=callback_data.replaces if isinstance(callback_data, ReportConfirm) else None,
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    export = report.export
    data = await asyncio.to_thread(write_annex2, export.rows, export.district, export.filled_on)
    name = annex2_filename(export.file_district, export.filled_on)
    chats = await telegram_chats(uows, report.recipients)
    for admin, chat in chats.items():
        try:
            await deliver(
                bot,
                chat,
                admin,
                name,
                data,
                rx.bureau_received(report),
                settings=settings,
                clock=clock,
                uows=uows,
            )
        except TelegramAPIError as problem:
            log.warning(
                "report of district %s not delivered to %s: %s", export.district, admin, problem
            )
    await bot.send_message(chat_id, rx.reported_text(report))
    if not report.recipients:
        await bot.send_message(chat_id, t.NO_BUREAU_ADMIN)
    if report.waiting:
        text, markup = render_review.qualification_waiting(export.district, report.waiting)
        await notifier.tell_many(report.qualifiers, text, markup)
    told = render_review.reported_to_applicant(export.district, report.row.reported_at)
    await notifier.tell_many(report.applicants, told)


# the access log ---------------------------------------------------------------------------------


async def on_audit(
    message: Message,
    command: CommandObject,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Shows a bureau admin the newest access-log entries (`/audit [N]`)."""
    wanted = DEFAULT_AUDIT_ENTRIES
    if (command.args or "").strip():
        wanted = parse_bounded(command.args, 1, audit.MAX_ENTRIES)
        if wanted is None:
            await message.answer(t.AUDIT_USAGE)
            return
    entries = await audit.recent(
        uows,
        wanted,
        actor_id=person_id,
        admin_ids=admin_ids,
    )
    await message.answer(rx.audit_text(entries.rows, entries.names))
