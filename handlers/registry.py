"""/registry: the bureau admin records the joint meeting, runs publicity, decides objections
and appoints, step by step; each step is one use case of bot.services.registry.

What the admin has typed so far (dates, the reference, the chosen applications)
waits in the conversation state until the step that stores it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock, local
from bot.config import Settings
from bot.domain.errors import DomainError
from bot.domain.parsers import clean_text, parse_day, parse_day_near, parse_day_said
from bot.domain.registry import (
    PUBLICITY_WORKING_DAYS,
    term_end,
    weekday_of,
    weekdays_in,
    working_days_after,
)
from bot.services import registry as svc
from bot.services.registry_ports import ExpertFilter
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import registry as t
from handlers import registry_files as files
from handlers import render_draws
from handlers import render_registry as rg
from handlers.callbacks import ExpertsChoose, ExpertsExport, ExpertsPage, RegistryAct, RegistryDo
from handlers.common import keep_press
from handlers.exports import deliver

SUMMARY_MAX = 500


class RegistryInput(StatesGroup):
    picking = State()
    meeting_date = State()
    reference = State()
    publicity_start = State()
    publicity_end = State()
    received = State()
    summary = State()
    reason = State()
    term_start = State()


def build_router() -> Router:
    router = Router(name="registry")
    router.message.register(on_registry, Command("registry"))
    router.callback_query.register(on_act, RegistryAct.filter())
    router.message.register(on_experts, Command("experts"))
    router.callback_query.register(on_experts_page, ExpertsPage.filter())
    router.callback_query.register(on_experts_export, ExpertsExport.filter())
    router.message.register(on_me, Command("me"))
    typed = F.text & ~F.text.startswith("/")
    router.message.register(on_typed, StateFilter(RegistryInput), typed)
    return router


async def on_registry(
    message: Message,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """The campaign after qualification: who waits for the meeting, each batch and its step."""
    view = await svc.overview(uows, by=person_id, admin_ids=admin_ids)
    await state.clear()
    text, markup = rg.overview(view, local(clock.now()).date())
    await message.answer(text, reply_markup=markup)


async def on_experts(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """The registry for the bureau: `/experts` lists, `/experts 张三` or a number searches."""
    search = clean_text(command.args)[:50] if command.args else None
    view = await svc.experts_page(
        uows,
        what=ExpertFilter(search=search),
        by=person_id,
        admin_ids=admin_ids,
        today=local(clock.now()).date(),
    )
    text, markup = rg.experts(view)
    sent = await message.answer(text, reply_markup=markup)
    await _remember_search(state, sent.message_id, search)


LISTINGS = "experts"
"""The FSM destiny that keeps /experts listings' searches beside the conversation."""
SEARCHES_KEPT = 30
"""How many of the chat's latest /experts listings keep their search."""


def listing_searches(state: FSMContext) -> FSMContext:
    """The chat's /experts listings and their searches, kept beside the conversation: what
    clears it (/expert, /registry, /cancel) leaves them, so a listing's pages and its 导出名册
    keep the search it shows. Callback data has no room for a search (64 bytes), and the
    buttons already in chats keep their shape."""
    return FSMContext(storage=state.storage, key=replace(state.key, destiny=LISTINGS))


async def _remember_search(state: FSMContext, message_id: int, search: str | None) -> None:
    listings = listing_searches(state)
    kept = [p for p in await listings.get_value("searches", []) if p[0] != message_id]
    await listings.update_data(searches=[*kept, [message_id, search]][-SEARCHES_KEPT:])


async def _search_of(state: FSMContext, message: object) -> str | None:
    """The search of the /experts listing in `message` (None: none). A listing sent before
    searches were kept by listing, or one of more than SEARCHES_KEPT ago, has the
    conversation's search, as its pages had before."""
    message_id = getattr(message, "message_id", None)
    for kept_id, search in await listing_searches(state).get_value("searches", []):
        if kept_id == message_id:
            return search
    return await state.get_value("experts_search")


async def on_experts_page(
    query: CallbackQuery,
    callback_data: ExpertsPage,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Another page, a filter's choices, or the page with a filter chosen (the search kept)."""
    search = await _search_of(state, query.message)
    today = local(clock.now()).date()
    view = await svc.experts_page(
        uows,
        what=rg.experts_filter(search, callback_data, today),
        page=callback_data.page,
        with_districts=callback_data.choose is ExpertsChoose.DISTRICTS,
        by=person_id,
        admin_ids=admin_ids,
        today=today,
    )
    text, markup = rg.experts(view, callback_data)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


async def on_experts_export(
    query: CallbackQuery,
    callback_data: ExpertsExport,
    state: FSMContext,
    bot: Bot,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """导出名册 from /experts: the registry as the page shows it (its filters and search), logged."""
    now = clock.now()
    search = await _search_of(state, query.message)
    experts = await svc.registry_rows(
        uows,
        what=rg.export_filter(callback_data, search, local(now).date()),
        by=person_id,
        admin_ids=admin_ids,
        now=now,
    )
    await query.answer()
    name, data = await asyncio.to_thread(files.registry_file, experts, local(now).date())
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await deliver(
        bot, chat_id, person_id, name, data, t.CAPTION_REGISTRY,
        settings=settings, clock=clock, uows=uows,
    )  # fmt: skip


async def on_me(message: Message, uows: UnitOfWorkFactory, clock: Clock, person_id: int) -> None:
    """An expert's own entry: standing, certificate number, group and term, and the certificate."""
    mine = await svc.my_expert(uows, person_id=person_id, today=local(clock.now()).date())
    if mine is None:
        await message.answer(t.NOT_EXPERT)
        return
    await message.answer(rg.me(mine), reply_markup=rg.me_keyboard(mine))
    for held in mine.invitations[: rg.HELD_SHOWN]:
        text, markup = render_draws.held(held, clock.now())
        await message.answer(text, reply_markup=markup)


async def on_act(
    query: CallbackQuery,
    callback_data: RegistryAct,
    state: FSMContext,
    bot: Bot,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Every button of /registry; the service re-checks role and state on each."""
    do, id_ = callback_data.do, callback_data.id
    message = query.message
    if not isinstance(message, Message):  # too old for Telegram to hand back
        raise DomainError(t.STALE_ME if do is RegistryDo.CERTIFICATE else t.STALE)
    who = {"by": person_id, "admin_ids": admin_ids}
    data = await state.get_data()
    today = local(clock.now()).date()

    async def send(file: files.File, caption: str) -> None:
        name, content = file
        await deliver(
            bot, message.chat.id, person_id, name, content, caption,
            settings=settings, clock=clock, uows=uows,
        )  # fmt: skip

    match do:
        case RegistryDo.CERTIFICATE:
            mine = await svc.my_certificate(uows, person_id=person_id, now=clock.now())
            if mine is None:
                await query.answer(t.NOT_EXPERT, show_alert=True)
                return
            await query.answer()
            certificate = await asyncio.to_thread(files.my_certificate, mine, mine.starts_on)
            await send(certificate, t.CAPTION_MY_CERTIFICATE)
            return
        case RegistryDo.CANCEL:
            await state.clear()
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(t.CANCELLED)
            return
        case RegistryDo.NEW_BATCH | RegistryDo.CORRECT | RegistryDo.PICK | RegistryDo.ALL:
            if do is RegistryDo.CORRECT:  # the batch as it stands, unless a later one corrected it
                corrected = await svc.batch_view(uows, batch_id=id_, **who)
                corrects, chosen = id_, {a.id for a in corrected.waiting()}
            elif do is RegistryDo.NEW_BATCH:
                corrects, chosen = None, set()
            else:
                corrects, chosen = data.get("corrects"), set(data.get("chosen", []))
            view = await svc.overview(uows, **who)
            apps = view.offered(corrects)
            offered = {a.id for a in apps}
            if do is RegistryDo.PICK and id_ in offered:
                chosen ^= {id_}
            if do is RegistryDo.ALL:
                chosen = offered
            await state.set_state(RegistryInput.picking)
            await state.update_data(chosen=sorted(chosen & offered), corrects=corrects)
            text, markup = rg.pick(apps, chosen, corrects)
            await query.answer()
            if do in (RegistryDo.NEW_BATCH, RegistryDo.CORRECT):
                await message.answer(text, reply_markup=markup)
            else:
                await message.edit_text(text, reply_markup=markup)
            return
        case RegistryDo.NEXT:
            if await state.get_state() != RegistryInput.picking.state:
                raise DomainError(t.STALE)
            if not data.get("chosen"):
                await query.answer(t.PICK_NONE, show_alert=True)
                return
            view = await svc.overview(uows, **who)
            corrects = data.get("corrects")
            await state.set_state(RegistryInput.meeting_date)
            await query.answer()
            await message.edit_text(rg.picked(view.offered(corrects), data["chosen"], corrects))
            await message.answer(t.ASK_MEETING_DATE)
            return
        case RegistryDo.CONFIRM_BATCH:
            if await state.get_state() != RegistryInput.reference.state or "reference" not in data:
                raise DomainError(t.STALE)
            corrects = data.get("corrects")
            recorded = await svc.record_batch(
                uows,
                meeting_on=parse_day(data["meeting_on"]),
                reference=data["reference"],
                app_ids=data["chosen"],
                corrects=corrects,
                now=clock.now(),
                **who,
            )
            await state.clear()
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(rg.recorded(recorded, len(data["chosen"]), corrects))
            return
        case RegistryDo.PUBLICITY:
            await svc.batch_view(uows, batch_id=id_, **who)
            await state.set_state(RegistryInput.publicity_start)
            await state.update_data(batch_id=id_)
            await query.answer()
            await message.answer(t.ASK_PUBLICITY_START.format(id=id_))
            return
        case RegistryDo.CONFIRM_PUBLICITY:
            if await state.get_state() != RegistryInput.publicity_end.state:
                raise DomainError(t.STALE)
            published = await svc.open_publicity(
                uows,
                batch_id=data["batch_id"],
                starts_on=parse_day(data["start"]),
                ends_on=parse_day(data["end"]),
                now=clock.now(),
                **who,
            )
            await state.clear()
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            window = published.window
            await message.answer(
                t.PUBLICITY_OPENED.format(
                    id=window.batch_id,
                    start=window.starts_on,
                    end=window.ends_on,
                    count=len(published.entries),
                    lines=rg.publicity_lines(published.entries),
                )
            )
            made = await asyncio.to_thread(
                files.publicity_files, published, published.reference, today
            )
            for file in made:
                await send(file, t.CAPTION_PUBLICITY)
            return
        case RegistryDo.OBJECTION:
            view = await svc.batch_view(uows, batch_id=id_, **who)
            await query.answer()
            await message.answer(
                t.PICK_OBJECTED.format(id=id_), reply_markup=rg.people_of(view, RegistryDo.OBJECTED)
            )
            return
        case RegistryDo.OBJECTED:
            await state.set_state(RegistryInput.received)
            await state.update_data(app_id=id_)
            await query.answer()
            await keep_press(query, message)
            await message.answer(t.ASK_RECEIVED)
            return
        case RegistryDo.DECIDE:
            view = await svc.batch_view(uows, batch_id=id_, **who)
            if not view.open_objections:
                await query.answer(t.NO_OPEN_OBJECTIONS.format(id=id_), show_alert=True)
                return
            names = {a.id: rg.name_of(a) for a in view.apps}
            text, markup = rg.objections(view, names)
            await query.answer()
            await message.answer(text, reply_markup=markup)
            return
        case RegistryDo.UPHOLD | RegistryDo.OVERRULE:
            upheld = do is RegistryDo.UPHOLD
            await state.set_state(RegistryInput.reason)
            await state.update_data(objection_id=id_, upheld=upheld)
            await query.answer()
            await keep_press(query, message)
            await message.answer(t.ASK_DECISION_REASON.format(id=id_, outcome=t.OUTCOME[upheld]))
            return
        case RegistryDo.APPOINT:
            await svc.batch_view(uows, batch_id=id_, **who)
            await state.set_state(RegistryInput.term_start)
            await state.update_data(batch_id=id_)
            await query.answer()
            await message.answer(t.ASK_TERM_START.format(id=id_))
            return
        case RegistryDo.CONFIRM_APPOINT:
            if await state.get_state() != RegistryInput.term_start.state or "start" not in data:
                raise DomainError(t.STALE)
            appointed = await svc.appoint_batch(
                uows,
                batch_id=data["batch_id"],
                term_start=parse_day(data["start"]),
                now=clock.now(),
                **who,
            )
            await state.clear()
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(
                t.APPOINTED_DONE.format(count=len(appointed), lines=rg.appointed_lines(appointed))
            )
            batch_id = data["batch_id"]
            certificates = await asyncio.to_thread(
                files.certificates_zip, appointed, batch_id, today
            )
            await send(certificates, t.CAPTION_CERTIFICATES.format(batch_id=batch_id))
            return


async def on_typed(
    message: Message,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Dates, the reference, an objection's summary and a reason, each checked as typed."""
    text = message.text or ""
    data = await state.get_data()
    who = {"by": person_id, "admin_ids": admin_ids}
    try:
        match await state.get_state():
            case RegistryInput.meeting_date.state:
                # The meeting has met: 10月28日 is the latest 28 October, today or before.
                meeting_on = parse_day_near(text, local(clock.now()).date(), past=True)
                svc.check_meeting_day(meeting_on, now=clock.now())
                await state.update_data(meeting_on=meeting_on.isoformat())
                await state.set_state(RegistryInput.reference)
                await message.answer(t.ASK_REFERENCE)
            case RegistryInput.reference.state:
                reference = clean_text(text)
                view = await svc.overview(uows, **who)
                corrects = data.get("corrects")
                offered = view.offered(corrects)
                names = rg.chosen_names(offered, data["chosen"])
                await state.update_data(reference=reference)
                body = t.CONFIRM_BATCH.format(
                    meeting_on=data["meeting_on"],
                    reference=reference,
                    corrects=t.CORRECTS.format(id=corrects) if corrects else "",
                    count=len(data["chosen"]),
                    names=names,
                ) + rg.correction_objections(view, corrects)
                answer, markup = rg.confirm(body, t.BUTTON_CONFIRM_BATCH, RegistryDo.CONFIRM_BATCH)
                await message.answer(answer, reply_markup=markup)
            case RegistryInput.publicity_start.state | RegistryInput.publicity_end.state as now_in:
                day = parse_day_said(text, local(clock.now()).date())
                proposed = now_in == RegistryInput.publicity_start.state
                if proposed:  # the first day: the last proposed
                    start, end = day, working_days_after(day)
                else:  # then whatever is typed is the last day
                    start, end = parse_day(data["start"]), day
                await svc.check_publicity_window(
                    uows, batch_id=data["batch_id"], starts_on=start, ends_on=end, **who
                )
                await state.update_data(start=start.isoformat(), end=end.isoformat())
                await state.set_state(RegistryInput.publicity_end)
                body = t.CONFIRM_PUBLICITY.format(
                    id=data["batch_id"],
                    start=start,
                    start_weekday=weekday_of(start),
                    end=end,
                    end_weekday=weekday_of(end),
                    days=(end - start).days + 1,
                    weekdays=weekdays_in(start, end),
                    proposed=t.PROPOSED.format(count=PUBLICITY_WORKING_DAYS) if proposed else "",
                )
                answer, markup = rg.confirm(
                    body, t.BUTTON_CONFIRM_PUBLICITY, RegistryDo.CONFIRM_PUBLICITY
                )
                await message.answer(answer, reply_markup=markup)
            case RegistryInput.received.state:
                received = parse_day_near(text, local(clock.now()).date(), past=True)
                await svc.check_received_day(
                    uows, app_id=data["app_id"], received_on=received, now=clock.now(), **who
                )
                await state.update_data(received=received.isoformat())
                await state.set_state(RegistryInput.summary)
                await message.answer(t.ASK_SUMMARY)
            case RegistryInput.summary.state:
                summary = clean_text(text)[:SUMMARY_MAX]
                recorded = await svc.record_objection(
                    uows,
                    app_id=data["app_id"],
                    received_on=parse_day(data["received"]),
                    summary=summary,
                    now=clock.now(),
                    **who,
                )
                await state.clear()
                await message.answer(
                    t.OBJECTION_RECORDED.format(id=recorded.id, name=recorded.name)
                )
            case RegistryInput.reason.state:
                decided = await svc.decide_objection(
                    uows,
                    objection_id=data["objection_id"],
                    upheld=data["upheld"],
                    reason=clean_text(text),
                    now=clock.now(),
                    **who,
                )
                await state.clear()
                await message.answer(
                    rg.objection_done(data["objection_id"], data["upheld"], decided.moot)
                )
            case RegistryInput.term_start.state:
                start = parse_day_said(text, local(clock.now()).date())
                view = await svc.check_term_start(
                    uows, batch_id=data["batch_id"], term_start=start, **who
                )
                await state.update_data(start=start.isoformat())
                body = t.CONFIRM_APPOINT.format(
                    id=data["batch_id"], count=len(view.waiting()), start=start, end=term_end(start)
                )
                answer, markup = rg.confirm(
                    body, t.BUTTON_CONFIRM_APPOINT, RegistryDo.CONFIRM_APPOINT
                )
                await message.answer(answer, reply_markup=markup)
            case _:  # choosing applications: the buttons above do it
                await message.answer(t.USE_BUTTONS)
    except ValueError as wrong:
        await message.answer(str(wrong))
