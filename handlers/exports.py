"""Exports in chat: /export, /download, /report (上报市局), /audit and their buttons.

Every press is re-authorised by the services from the server's data, whatever
the button says. Files are rendered off the event loop and handed over by
`deliver`, the one place that decides how a file reaches a person.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, LinkPreviewOptions, Message

from bot.clock import Clock, format_local, local
from bot.config import Settings
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.exports import Annex2Request, is_bureau
from bot.domain.review import Grant, RoleKind
from bot.services import audit, roles
from bot.services import downloads as links
from bot.services import exports as svc
from bot.services.downloads import DownloadStoreFactory
from bot.services.export_ports import ExportStore, ExportStoreFactory
from bot.texts import downloads as dt
from bot.texts import exports as t
from exports.annex1 import render_annex1_docx
from exports.annex2 import write_annex2
from exports.archive import annex1_archive
from exports.full import write_full_export
from exports.names import annex1_filename, annex2_filename, full_export_filename
from handlers import render_exports as rx
from handlers.callbacks import Annex1Get, ExportGo, ExportKind, ExportPick, ExportStage, ReportGo

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
    return router


async def deliver(
    bot: Bot,
    chat_id: int,
    filename: str,
    data: bytes,
    caption: str,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
    download_stores: DownloadStoreFactory | None = None,
) -> None:
    """Hands a file to one person: as a document, or with EXPORT_DELIVERY=link as a one-time link."""
    if settings is None or settings.export_delivery != "link":
        await bot.send_document(
            chat_id, BufferedInputFile(data, filename=filename), caption=caption
        )
        return
    if clock is None or download_stores is None or not settings.public_base_url:
        raise RuntimeError("EXPORT_DELIVERY=link needs PUBLIC_BASE_URL and the download store")
    async with download_stores() as store:
        link = await links.issue(
            store,
            data=data,
            filename=filename,
            requester_id=chat_id,
            now=clock.now(),
            ttl=timedelta(minutes=settings.download_ttl_minutes),
        )
    url = f"{settings.public_base_url}/download/{link.token}"
    text = dt.LINK.format(caption=caption, until=format_local(link.expires_at), url=url)
    await bot.send_message(chat_id, text, link_preview_options=LinkPreviewOptions(is_disabled=True))


async def _grants(store: ExportStore, person_id: int, settings: Settings) -> list[Grant]:
    return await roles.grants_of(store, person_id, settings.bureau_admin_ids)


def _chat_of(query: CallbackQuery) -> int:
    if not isinstance(query.message, Message):
        raise DomainError(t.NOT_YOUR_SCOPE)
    return query.message.chat.id


# /export -------------------------------------------------------------------------------


async def on_export(message: Message, export_stores: ExportStoreFactory, settings: Settings) -> None:
    """Shows each role's export menu: the bureau's choices, the district's and the unit's files."""
    user = message.from_user
    assert user is not None
    screens = []
    async with export_stores() as store:
        grants = await _grants(store, user.id, settings)
        if is_bureau(grants):
            campaign = await store.current_campaign()
            if campaign is None:
                raise NotAllowed(t.NO_CAMPAIGN)
            screens.append(rx.bureau_menu(ExportPick(), None, campaign))
        for g in grants:
            if g.role is RoleKind.DISTRICT and g.district_id:
                screens.append(rx.district_menu(await svc.district_summary(store, grants, g.district_id)))
            elif g.role is RoleKind.UNIT and g.unit_id:
                screens.append(rx.unit_menu(await svc.unit_summary(store, grants, g.unit_id)))
    if not screens:
        await message.answer(t.NOT_AN_EXPORTER)
    for text, markup in screens:
        await message.answer(text, reply_markup=markup)


async def on_export_pick(
    query: CallbackQuery, callback_data: ExportPick, export_stores: ExportStoreFactory, settings: Settings
) -> None:
    """The bureau's menu: choose a district (or the city) and a group."""
    async with export_stores() as store:
        grants = await _grants(store, query.from_user.id, settings)
        if not is_bureau(grants):
            raise NotAllowed(t.NOT_YOUR_SCOPE)
        campaign = await store.current_campaign()
        if campaign is None:
            raise NotAllowed(t.NO_CAMPAIGN)
        if callback_data.stage is ExportStage.DISTRICTS:
            text, markup = rx.district_page(await store.districts(), callback_data)
        elif callback_data.stage is ExportStage.GROUPS:
            text, markup = rx.group_page(callback_data)
        else:
            district = (
                await store.district(callback_data.district_id) if callback_data.district_id else None
            )
            text, markup = rx.bureau_menu(callback_data, district, campaign)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


async def on_export_go(
    query: CallbackQuery,
    callback_data: ExportGo,
    export_stores: ExportStoreFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    download_stores: DownloadStoreFactory | None = None,
) -> None:
    """Makes the file the button asks for, if the presser may have it, and sends it."""
    user, chat_id = query.from_user, _chat_of(query)
    now = clock.now()
    group = rx.group_of(callback_data.group)
    async with export_stores() as store:
        grants = await _grants(store, user.id, settings)
        match callback_data.kind:
            case ExportKind.ANNEX2:
                request = Annex2Request(
                    district_id=callback_data.district_id or None,
                    unit_id=callback_data.unit_id or None,
                    group=group,
                    include_pending=callback_data.pending,
                )
                export = await svc.annex2(store, grants, request, actor_id=user.id, now=now)
            case ExportKind.FULL:
                full = await svc.full_export(
                    store,
                    grants,
                    actor_id=user.id,
                    now=now,
                    district_id=callback_data.district_id or None,
                    group=group,
                )
            case ExportKind.ARCHIVE:
                district, forms = await svc.annex1_archive(
                    store, grants, callback_data.district_id, actor_id=user.id, now=now
                )
    await query.answer()
    match callback_data.kind:
        case ExportKind.ANNEX2:
            data = await asyncio.to_thread(
                write_annex2, export.rows, export.district, export.filled_on, group=group
            )
            name = annex2_filename(export.file_district, export.filled_on)
            await deliver(bot, chat_id, name, data, rx.annex2_caption(export), settings=settings, clock=clock, download_stores=download_stores)
        case ExportKind.FULL:
            data = await asyncio.to_thread(write_full_export, full.headers, full.rows)
            name = full_export_filename(full.filled_on)
            await deliver(
                bot, chat_id, name, data, rx.full_caption(len(full.rows)), settings=settings, clock=clock, download_stores=download_stores)
        case ExportKind.ARCHIVE:
            data = await asyncio.to_thread(_archive, forms)
            name = svc.archive_filename(district, local(now).date())
            await deliver(
                bot, chat_id, name, data, rx.archive_caption(district, len(forms)), settings=settings, clock=clock, download_stores=download_stores)


def _archive(forms: list[svc.Annex1Export]) -> bytes:
    return annex1_archive(
        (annex1_filename(None, f.app_id), render_annex1_docx(f.form)) for f in forms
    )


# Annex 1 ------------------------------------------------------------------------------------


async def on_annex1(
    query: CallbackQuery,
    callback_data: Annex1Get,
    export_stores: ExportStoreFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    download_stores: DownloadStoreFactory | None = None,
) -> None:
    """下载推荐表 on a card: for the application's reviewers, the bureau and its applicant."""
    chat_id = _chat_of(query)
    await _send_annex1(
        bot, chat_id, query.from_user.id, callback_data.app_id, export_stores, clock, settings,
        download_stores,
    )
    await query.answer()


async def on_download(
    message: Message,
    command: CommandObject,
    export_stores: ExportStoreFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    download_stores: DownloadStoreFactory | None = None,
) -> None:
    """`/download [number]`: the applicant's own submitted form (or one a reviewer may see)."""
    user = message.from_user
    assert user is not None
    arg = (command.args or "").strip().lstrip("#")
    if arg and not arg.isdigit():
        raise NotAllowed(t.UNKNOWN_APPLICATION)
    if arg:
        app_id = int(arg)
    else:
        async with export_stores() as store:
            app_id = await svc.own_latest(store, user.id)
    await _send_annex1(
        bot, message.chat.id, user.id, app_id, export_stores, clock, settings, download_stores
    )


async def _send_annex1(
    bot: Bot,
    chat_id: int,
    person_id: int,
    app_id: int,
    export_stores: ExportStoreFactory,
    clock: Clock,
    settings: Settings,
    download_stores: DownloadStoreFactory | None = None,
) -> None:
    async with export_stores() as store:
        grants = await _grants(store, person_id, settings)
        form = await svc.annex1(store, grants, app_id, actor_id=person_id, now=clock.now())
    data = await asyncio.to_thread(render_annex1_docx, form.form)
    await deliver(
        bot,
        chat_id,
        annex1_filename(None, form.app_id),
        data,
        rx.annex1_caption(form.app_id),
        settings=settings,
        clock=clock,
        download_stores=download_stores,
    )


# reporting ------------------------------------------------------------------------------------


async def on_report(
    message: Message, export_stores: ExportStoreFactory, clock: Clock, settings: Settings
) -> None:
    """Asks each district reviewer to confirm the report of its district's batch."""
    user = message.from_user
    assert user is not None
    screens = []
    async with export_stores() as store:
        grants = await _grants(store, user.id, settings)
        for g in grants:
            if g.role is RoleKind.DISTRICT and g.district_id:
                summary = await svc.report_preview(store, grants, g.district_id, clock.now())
                screens.append(rx.report_confirm(summary))
    if not screens:
        raise NotAllowed(t.REPORT_ONLY_DISTRICT)
    for text, markup in screens:
        await message.answer(text, reply_markup=markup)


async def on_report_go(
    query: CallbackQuery,
    callback_data: ReportGo,
    export_stores: ExportStoreFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    download_stores: DownloadStoreFactory | None = None,
) -> None:
    """上报市局: asks first; on 确认上报 records the report and sends the Annex 2 to the bureau."""
    user, chat_id = query.from_user, _chat_of(query)
    async with export_stores() as store:
        grants = await _grants(store, user.id, settings)
        if not callback_data.confirm:
            summary = await svc.report_preview(store, grants, callback_data.district_id, clock.now())
        else:
            report = await svc.report_batch(
                store,
                grants,
                callback_data.district_id,
                actor_id=user.id,
                now=clock.now(),
                admin_ids=settings.bureau_admin_ids,
            )
    await query.answer()
    if not callback_data.confirm:
        text, markup = rx.report_confirm(summary)
        await bot.send_message(chat_id, text, reply_markup=markup)
        return
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    export = report.export
    data = await asyncio.to_thread(write_annex2, export.rows, export.district, export.filled_on)
    name = annex2_filename(export.file_district, export.filled_on)
    for admin in report.recipients:
        try:
            await deliver(
                bot, admin, name, data, rx.bureau_received(report), settings=settings, clock=clock, download_stores=download_stores)
        except TelegramAPIError as problem:
            log.warning("report of district %s not delivered to %s: %s", export.district, admin, problem)
    await bot.send_message(chat_id, rx.reported_text(report))
    if not report.recipients:
        await bot.send_message(chat_id, t.NO_BUREAU_ADMIN)


# the access log ---------------------------------------------------------------------------------


async def on_audit(
    message: Message, command: CommandObject, export_stores: ExportStoreFactory, settings: Settings
) -> None:
    """`/audit [N]`: the newest access-log entries, for bureau admins."""
    user = message.from_user
    assert user is not None
    arg = (command.args or "").strip()
    if arg and not arg.isdigit():
        await message.answer(t.AUDIT_USAGE)
        return
    async with export_stores() as store:
        grants = await _grants(store, user.id, settings)
        if not is_bureau(grants):
            raise NotAllowed(t.BUREAU_ONLY)
        rows = await audit.recent(store, grants, int(arg) if arg else DEFAULT_AUDIT_ENTRIES)
        names = await store.person_names([r.actor_id for r in rows if r.actor_id is not None])
    await message.answer(rx.audit_text(rows, names))
