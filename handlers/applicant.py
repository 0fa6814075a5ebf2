"""The applicant's conversation: consent, district and unit, Annex 1 field by field, card, signature.

Handlers read the update, call one service, and render the result once the
service's unit of work is closed. Which field is asked lives in the
application row (its cursor), so the FSM only says which stage the person
is in and which application is theirs. Whether that field's question reached
the person is kept in memory (`questions`, svc.ShownQuestions): a question
lost to a crash or a failed send is shown before anything is taken as its answer.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.clock import Clock, format_local
from bot.config import Settings
from bot.domain import keys
from bot.domain.application import ApplicationSnapshot
from bot.domain.errors import DomainError
from bot.domain.form import BY_KEY, Field, Kind
from bot.domain.idcard import contains_id_number, mask_id_number, mask_phone
from bot.domain.review import Stage
from bot.domain.workflow import EDITABLE, RETURNABLE
from bot.images import portrait_jpeg_async
from bot.services import applicant as svc
from bot.services.ports import Notifier
from bot.services.repositories import UnitOfWorkFactory
from bot.services.roles import Menu
from bot.texts import chat as t
from handlers import render, render_review
from handlers.callbacks import (
    ApplyMyself,
    CardAction,
    CardDo,
    CardEdit,
    ConsentItem,
    ConsentPick,
    DistrictPage,
    DistrictPick,
    FormChoice,
    FormNav,
    Nav,
    UnitNotListed,
    UnitPage,
    UnitPick,
    UnitSearched,
    UnitSwitch,
)
from handlers.common import NamedCommand, deleted
from handlers.limits import telegram_file_too_big
from handlers.review import refresh_menu
from handlers.stages import enter
from handlers.together import together

CONSENT_ITEMS = (ConsentItem.GENERAL.value, ConsentItem.SENSITIVE.value, ConsentItem.TRANSFER.value)


class Apply(StatesGroup):
    consent = State()
    district = State()
    unit = State()
    unit_name = State()
    form = State()
    signature = State()


CHOOSING_PLACE = (Apply.district.state, Apply.unit.state, Apply.unit_name.state)
"""Steps where the district list's buttons still hold: a district chosen may be changed."""


def build_router() -> Router:
    """The applicant's commands; /start stays behind the reviewers' invite links."""
    router = Router(name="applicant")
    router.message.register(on_start, CommandStart())
    router.callback_query.register(on_apply_myself, ApplyMyself.filter())
    router.message.register(on_status, Command("status"))
    return router


def build_conversation_router() -> Router:
    """Buttons and answers of the conversation: what nearly every update is.

    Included first, so an answer does not walk every other router's filters.
    That is safe because callback prefixes are disjoint, and /commands (by
    Telegram's rules, `NamedCommand`) are left to the routers behind: /help or
    /cancel work at any step, and a mistyped one reaches the fallback, which
    says so. Any other text is an answer, "/" too ("none" on Chinese forms).
    """
    router = Router(name="applicant-conversation")
    router.message.filter(~NamedCommand())
    # The form's own buttons first: each handler passed costs a parse of the callback data.
    router.callback_query.register(on_form_choice, FormChoice.filter())
    router.callback_query.register(on_form_nav, FormNav.filter())
    router.callback_query.register(on_consent, ConsentPick.filter())
    router.callback_query.register(on_district_page, DistrictPage.filter())
    router.callback_query.register(on_district_pick, DistrictPick.filter())
    router.callback_query.register(on_unit_page, UnitPage.filter())
    router.callback_query.register(on_unit_pick, UnitPick.filter())
    router.callback_query.register(on_unit_not_listed, UnitNotListed.filter())
    router.callback_query.register(on_unit_searched, UnitSearched.filter())
    router.callback_query.register(on_card_edit, CardEdit.filter())
    router.callback_query.register(on_sign, CardAction.filter(F.do == CardDo.SIGN))
    router.callback_query.register(on_withdraw, CardAction.filter(F.do == CardDo.WITHDRAW_CONFIRM))
    router.callback_query.register(on_change_unit, CardAction.filter(F.do == CardDo.UNIT))
    router.callback_query.register(on_unit_switch, UnitSwitch.filter())
    router.callback_query.register(on_card_action, CardAction.filter())
    router.message.register(on_form_message, StateFilter(Apply.form))
    router.message.register(on_district_text, StateFilter(Apply.district))
    router.message.register(on_unit_text, StateFilter(Apply.unit))
    router.message.register(on_unit_name, StateFilter(Apply.unit_name))
    router.message.register(on_signature, StateFilter(Apply.signature))
    router.message.register(on_consent_text, StateFilter(Apply.consent))
    return router


# /start and consent ---------------------------------------------------------------


async def on_start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    questions: svc.ShownQuestions,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Greets, asks for consent once, then resumes the application or starts the unit choice.

    A reviewer or admin is greeted by their roles, with their own application after it.
    """
    unit_code = (command.args or "").removeprefix("u_") if command.args else None
    opening = await svc.start(
        uows,
        person_id=person_id,
        unit_code=unit_code,
        now=clock.now(),
        admin_ids=admin_ids,
    )
    await _open(message, state, opening, unit_code, questions)


async def on_apply_myself(
    query: CallbackQuery,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """本人申报 on a reviewer's greeting: the applicant's /start, for themselves."""
    opening = await svc.start(
        uows, person_id=person_id, unit_code=None, now=clock.now(), as_applicant=True
    )
    message = _message_of(query)
    await together(
        query.answer(),
        message.edit_reply_markup(reply_markup=None),
        _open(message, state, opening, None, questions),
    )


async def on_consent(
    query: CallbackQuery,
    callback_data: ConsentPick,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """Records each separate consent; all three start the application, a refusal stores nothing."""
    message = _message_of(query)
    if await state.get_state() != Apply.consent.state:
        await query.answer(t.STALE_BUTTON)
        return
    data = await state.get_data()
    agreed: list[str] = list(data.get("agreed", []))
    item = callback_data.item
    if item is ConsentItem.REFUSE:
        await state.clear()
        await together(
            query.answer(),
            message.edit_reply_markup(reply_markup=None),
            message.answer(t.CONSENT_REFUSED),
        )
        return
    if item is ConsentItem.ALL:
        agreed = list(CONSENT_ITEMS)
    elif item.value not in agreed:
        agreed.append(item.value)
    if set(agreed) != set(CONSENT_ITEMS):
        await state.update_data(agreed=agreed)
        await together(
            query.answer(),
            message.edit_reply_markup(reply_markup=render.consent_keyboard(agreed)),
        )
        return
    user, unit_code = query.from_user, data.get("unit_code")
    opening = await svc.give_consent(
        uows, person_id=person_id, full_name=user.full_name, unit_code=unit_code, now=clock.now()
    )
    # The buttons go once the consent is stored: if storing fails, they are still there.
    await together(
        query.answer(),
        message.edit_reply_markup(reply_markup=None),
        _open(message, state, opening, unit_code, questions),
    )


async def on_consent_text(message: Message) -> None:
    """Points at the consent buttons: typing agrees to nothing."""
    await message.answer(t.CONSENT_INCOMPLETE)


async def _open(
    message: Message,
    state: FSMContext,
    opening: svc.Opening,
    unit_code: str | None,
    questions: svc.ShownQuestions,
) -> None:
    match opening:
        case svc.ReviewerHome(grants, pending, applicant, own, expert):
            text, markup = render_review.home(
                message.chat.full_name,
                grants,
                pending,
                applies=applicant is not None,
                own=own,
                expert=expert is not None,
            )
            await message.answer(text, reply_markup=markup)
            if applicant is not None:
                await _open(message, state, applicant, unit_code, questions)
            if expert is not None:
                await message.answer(render.already_expert(expert))
                if message.bot is not None:  # their role's menu came without /me
                    await refresh_menu(message.bot, message.chat.id, Menu(grants, expert=True))
        case svc.ConsentNeeded(campaign, version):
            await enter(state, Apply.consent, {"agreed": [], "unit_code": unit_code})
            await message.answer(render.welcome(campaign))
            await message.answer(
                render.consent_text(version), reply_markup=render.consent_keyboard([])
            )
        case svc.Resumed(app, stage, link_unit):
            await enter(state, Apply.form, {"app_id": app.id})
            if app.status not in EDITABLE or stage is Stage.CLOSED:
                await message.answer(render.status_text(app, stage))
                if stage is Stage.CLOSED:
                    await message.answer(svc.closed_problem(app))
                return
            await message.answer(t.RESUMING)
            await _continue(message, app, questions)
            if link_unit is not None:
                text, markup = render.switch_unit_offer(app, link_unit)
                await message.answer(text, reply_markup=markup)
        case svc.Started(app):
            await _begin(message, state, app, questions)
        case svc.AlreadyExpert():
            await state.clear()
            await message.answer(render.already_expert(opening))
            if message.bot is not None:  # the greeting points to /me: so does their menu
                await refresh_menu(message.bot, message.chat.id, Menu(expert=True))
        case svc.ChooseDistrict(districts, link_invalid):
            if link_invalid:
                await message.answer(t.UNIT_LINK_INVALID)
            await enter(state, Apply.district, {})
            text, markup = render.district_page(districts, 0)
            await message.answer(text, reply_markup=markup)


async def _begin(
    message: Message, state: FSMContext, app: ApplicationSnapshot, questions: svc.ShownQuestions
) -> None:
    await enter(state, Apply.form, {"app_id": app.id})
    await message.answer(t.UNIT_CHOSEN.format(unit=app.unit_name, district=app.district_name))
    await _continue(message, app, questions)


# district and unit ------------------------------------------------------------------


async def on_district_page(
    query: CallbackQuery, callback_data: DistrictPage, state: FSMContext, uows: UnitOfWorkFactory
) -> None:
    """Turns the page of districts; from the unit step (◀ 重新选择区县), goes back to them."""
    current = await state.get_state()
    if current not in CHOOSING_PLACE:
        await query.answer(t.STALE_BUTTON)
        return
    if current != Apply.district.state:
        await enter(state, Apply.district, await _changing(state))
    text, markup = render.district_page(await svc.list_districts(uows), callback_data.page)
    await query.answer()
    await _message_of(query).edit_text(text, reply_markup=markup)


async def on_district_text(message: Message, uows: UnitOfWorkFactory) -> None:
    """Finds districts by part of the name."""
    if not message.text:
        await message.answer(t.CHOOSE_DISTRICT)
        return
    found = await svc.find_districts(uows, message.text)
    if not found.matches:
        await message.answer(t.DISTRICT_NOT_FOUND.format(query=found.query[:20]))
        return
    await message.answer(t.DISTRICT_MATCHES, reply_markup=render.district_matches(found.matches))


async def on_district_pick(
    query: CallbackQuery, callback_data: DistrictPick, state: FSMContext, uows: UnitOfWorkFactory
) -> None:
    """Shows the units of the chosen district; with none listed, its name is typed at once."""
    if await state.get_state() not in CHOOSING_PLACE:
        await query.answer(t.STALE_BUTTON)
        return
    choice = await svc.units_of(uows, callback_data.district_id)
    if choice is None:
        await query.answer(t.STALE_BUTTON)
        return
    stage = Apply.unit if choice.units else Apply.unit_name
    await enter(state, stage, {**await _changing(state), "district_id": choice.district.id})
    await query.answer()
    text, markup = render.unit_page(choice.district, choice.units, 0)
    await _message_of(query).answer(text, reply_markup=markup)


async def on_unit_page(
    query: CallbackQuery, callback_data: UnitPage, state: FSMContext, uows: UnitOfWorkFactory
) -> None:
    """Turns the page of units."""
    if await state.get_state() != Apply.unit.state:
        await query.answer(t.STALE_BUTTON)
        return
    choice = await svc.units_of(uows, callback_data.district_id)
    if choice is None:
        await query.answer(t.STALE_BUTTON)
        return
    text, markup = render.unit_page(choice.district, choice.units, callback_data.page)
    await query.answer()
    await _message_of(query).edit_text(text, reply_markup=markup)


async def on_unit_text(message: Message, state: FSMContext, uows: UnitOfWorkFactory) -> None:
    """Finds units of the chosen district by part of the name."""
    district_id = await state.get_value("district_id")
    found = await svc.find_units(uows, district_id, message.text or "")
    if found is None:
        await state.set_state(Apply.district)
        await message.answer(t.CHOOSE_DISTRICT)
        return
    if not found.units:
        searched = (message.text or "").strip()
        missed = t.UNIT_NOT_FOUND.format(district=found.district.name, query=found.query[:20])
        markup = render.unit_search_missed(found.district, searched)
        sent = await message.answer(missed, reply_markup=markup)
        # 就用“…” on this message takes the text as the name, not retyped; an older one's is stale.
        await state.update_data(searched=searched, searched_in=sent.message_id)
        return
    _, markup = render.unit_page(found.district, found.units, 0)
    await message.answer(t.UNIT_MATCHES, reply_markup=markup)


async def on_unit_pick(
    query: CallbackQuery,
    callback_data: UnitPick,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """Opens the draft for the chosen unit and asks the first field (or moves the application
    whose unit is being changed there)."""
    if await state.get_state() != Apply.unit.state:
        await query.answer(t.STALE_BUTTON)
        return
    if changing := await _changing(state):
        moved = await svc.change_unit(
            uows, person_id=person_id, app_id=changing["app_id"], district_id=None,
            unit_id=callback_data.unit_id, now=clock.now(),
        )  # fmt: skip
        await _moved(query, state, moved, questions)
        return
    app = await svc.start_with_unit(
        uows, person_id=person_id, unit_id=callback_data.unit_id, now=clock.now()
    )
    if app is None:
        await query.answer(t.STALE_BUTTON)
        return
    await together(
        query.answer(),
        _message_of(query).edit_reply_markup(reply_markup=None),
        _begin(_message_of(query), state, app, questions),
    )


async def on_unit_not_listed(
    query: CallbackQuery, callback_data: UnitNotListed, state: FSMContext
) -> None:
    """Asks for the name of a unit that is not in the list."""
    if await state.get_state() != Apply.unit.state:
        await query.answer(t.STALE_BUTTON)
        return
    await enter(
        state, Apply.unit_name, {**await _changing(state), "district_id": callback_data.district_id}
    )
    await query.answer()
    await _message_of(query).answer(t.TYPE_UNIT_NAME)


async def on_unit_name(
    message: Message,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """Takes a typed unit name; the district confirms such a unit later."""
    if not message.text:
        await message.answer(t.WRONG_TYPE_TEXT)
        return
    await _take_unit_name(message, state, message.text, uows, clock, questions, person_id)


async def on_unit_searched(
    query: CallbackQuery,
    callback_data: UnitSearched,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """就用“…”作为单位名称: the text a search found no unit for becomes the unit's name."""
    message = _message_of(query)
    data = await state.get_data()
    searched = data.get("searched")
    if (
        await state.get_state() != Apply.unit.state
        or not searched
        or data.get("searched_in") != message.message_id
        or data.get("district_id") != callback_data.district_id
    ):
        await query.answer(t.STALE_BUTTON)
        return
    await together(query.answer(), message.edit_reply_markup(reply_markup=None))
    await _take_unit_name(message, state, searched, uows, clock, questions, person_id)


async def _take_unit_name(
    message: Message,
    state: FSMContext,
    typed: str,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    district_id = await state.get_value("district_id")
    if changing := await _changing(state):
        moved = await svc.change_unit(
            uows, person_id=person_id, app_id=changing["app_id"], district_id=district_id,
            typed=typed, now=clock.now(),
        )  # fmt: skip
        await _moved(message, state, moved, questions)
        return
    app = await svc.start_with_typed_unit(
        uows, person_id=person_id, district_id=district_id, typed=typed, now=clock.now()
    )
    if app is None:
        await state.set_state(Apply.district)
        await message.answer(t.CHOOSE_DISTRICT)
        return
    await message.answer(t.UNIT_TYPED.format(unit=app.unit_name))
    await _begin(message, state, app, questions)


async def on_change_unit(
    query: CallbackQuery,
    callback_data: CardAction,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
) -> None:
    """修改 工作单位 on the card: the district and unit are chosen again, the answers kept."""
    opened = await svc.open_unit_change(
        uows, person_id=person_id, app_id=callback_data.app_id, now=clock.now()
    )
    if opened is None:
        await query.answer(t.STALE_BUTTON)
        return
    app, districts = opened
    await enter(state, Apply.district, {"app_id": app.id})
    text, markup = render.district_page(districts, 0)
    intro = t.CHANGE_UNIT.format(unit=app.unit_name, district=app.district_name)
    await together(query.answer(), _message_of(query).answer(f"{intro}\n{text}", reply_markup=markup))


async def on_unit_switch(
    query: CallbackQuery,
    callback_data: UnitSwitch,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """改为 <unit> under the note a unit's link left: the application moves there, answers kept."""
    moved = await svc.change_unit(
        uows, person_id=person_id, app_id=callback_data.app_id, district_id=None,
        unit_id=callback_data.unit_id, now=clock.now(),
    )  # fmt: skip
    if moved is None:  # not the presser's application, or the unit is gone
        await query.answer(t.STALE_BUTTON)
        return
    await _moved(query, state, moved, questions)


async def _changing(state: FSMContext) -> dict[str, int]:
    """{"app_id": …} while an application's unit is being changed from its card, else {}."""
    app_id = await state.get_value("app_id")
    return {"app_id": app_id} if app_id is not None else {}


async def _moved(
    where: CallbackQuery | Message,
    state: FSMContext,
    step: svc.Step | None,
    questions: svc.ShownQuestions,
) -> None:
    """After a unit change: says where the application is now, then the card or the next field.
    None (the unit or district chosen is gone): the districts again."""
    message = _message_of(where) if isinstance(where, CallbackQuery) else where
    if step is None:
        await state.set_state(Apply.district)
        if isinstance(where, CallbackQuery):
            await where.answer()
        await message.answer(t.CHOOSE_DISTRICT)
        return
    await enter(state, Apply.form, {"app_id": step.app.id})
    changed = t.UNIT_CHANGED.format(unit=step.app.unit_name, district=step.app.district_name)
    if isinstance(where, CallbackQuery):
        await where.answer()
        await message.edit_reply_markup(reply_markup=None)
    await message.answer(changed)
    await _after_step(message, step, questions)


# the form ------------------------------------------------------------------------------


async def on_form_message(
    message: Message,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    questions: svc.ShownQuestions,
    overlong: svc.OverlongTexts,
    person_id: int,
) -> None:
    """Takes the answer to the field being asked, checks it, stores it and asks the next one."""
    # Before this handler's first await, so the parts of a split text are seen in order.
    split_rest = message.text is not None and overlong.continues(
        message.chat.id, message.date, len(message.text)
    )
    if message.forward_origin or message.via_bot or message.is_automatic_forward:
        await message.answer(t.FORWARDED)
        return
    contact = message.contact
    now = clock.now()
    answered = await svc.take_answer(
        uows,
        person_id=person_id,
        app_id=await state.get_value("app_id"),
        text=message.text,
        contact=(contact.phone_number, contact.user_id == message.chat.id) if contact else None,
        now=now,
        questions=questions,
        split_rest=split_rest,
        attachment=bool(message.photo or message.document),
    )
    match answered:
        case svc.NoApplication():
            await _no_application(message, state)
        case svc.NotEditable(app, stage) if stage is Stage.CLOSED:
            refusal = f"{t.INPUT_NOT_SAVED}{svc.closed_problem(app)}"
            if app.cursor == keys.ID_NUMBER and message.text and await deleted(message):
                refusal = f"{refusal}\n{t.ID_REJECTED_DELETED}"
            await message.answer(refusal)
        case svc.NotEditable(app, stage):
            said = t.SENT_TO_SUBMITTED if app.status in RETURNABLE else t.INPUT_NOT_SAVED
            await message.answer(f"{said}\n\n{render.status_text(app, stage)}")
        case svc.AtCard(app, problem):
            await message.answer(problem)
            await _show_card(message, app)
        case svc.ResumeExtended(step, added):
            total = len(step.app.values[keys.RESUME])
            if step.field is None:
                await message.answer(t.RESUME_EXTENDED.format(count=added, total=total))
            else:
                await message.answer(
                    t.RESUME_EXTENDED_ASKING.format(count=added, total=total, label=step.field.label)
                )
            await _after_step(message, step, questions)
        case svc.SaveAndExit(app):
            await _save_and_exit(message, state, app)
        case svc.AskAgain(app, f, problem):
            # An ID number typed at another step (at 确认 most often) leaves the chat too.
            if (
                message.text
                and (f.key == keys.ID_NUMBER or contains_id_number(message.text))
                and await deleted(message)
            ):
                problem = f"{problem}\n{t.ID_REJECTED_DELETED}"
            await message.answer(problem)
            await _ask(message, app, f, questions)
        case svc.NotShownYet(app, f):
            await message.answer(t.NOT_SHOWN_YET)
            await _ask(message, app, f, questions)
        case svc.PhotoWanted(app, f):
            await _answer_photo(message, app, f, uows, settings, bot, now, questions)
        case svc.Step() as step:
            await _confirm(message, step, questions)


async def _answer_photo(
    message: Message,
    app: ApplicationSnapshot,
    f: Field,
    uows: UnitOfWorkFactory,
    settings: Settings,
    bot: Bot,
    now: datetime,
    questions: svc.ShownQuestions,
) -> None:
    """Downloads and checks the portrait with no unit of work open, then stores it on `app` as read."""
    try:
        jpeg, size, unique_id = await _download_portrait(message, settings, bot)
    except ValueError as problem:
        await message.answer(str(problem))
        await _ask(message, app, f, questions)
        return
    await _confirm(message, await svc.save_photo(uows, app, jpeg, size, unique_id, now), questions)


async def _download_portrait(
    message: Message, settings: Settings, bot: Bot
) -> tuple[bytes, tuple[int, int], str | None]:
    if message.photo:
        item: Any = message.photo[-1]
    elif message.document:
        item = message.document
    else:
        raise ValueError(t.WRONG_TYPE_PHOTO)
    limit = settings.max_photo_bytes
    if item.file_size and item.file_size > limit:
        raise ValueError(t.PHOTO_TOO_BIG.format(size=item.file_size / 2**20, limit=limit // 2**20))
    buffer = io.BytesIO()
    try:
        await bot.download(item.file_id, destination=buffer)
    except TelegramBadRequest as problem:
        if telegram_file_too_big(problem):
            raise ValueError(t.PHOTO_TELEGRAM_TOO_BIG) from None
        raise
    jpeg, size = await portrait_jpeg_async(buffer.getvalue(), limit)
    return jpeg, size, item.file_unique_id


async def _delete_id_message(message: Message, app: ApplicationSnapshot) -> None:
    """Removes the typed ID number from the chat: Telegram is the front end, not the archive."""
    if not await deleted(message):
        return
    await message.answer(
        t.ID_MESSAGE_DELETED.format(masked=mask_id_number(app.values[keys.ID_NUMBER]))
    )


async def _confirm(message: Message, step: svc.Step, questions: svc.ShownQuestions) -> None:
    """Confirms a typed answer as the chat should show it, then asks the next field."""
    f = step.asked
    assert f is not None
    if f.key == keys.ID_NUMBER and step.app.values.get(keys.ID_NUMBER):
        await _delete_id_message(message, step.app)
    if f.kind is Kind.PHONE:
        value = step.app.values.get(f.key)
        shown = mask_phone(value) if value else t.BUTTON_BACK
        await message.answer(f"{f.label}：{shown}", reply_markup=ReplyKeyboardRemove())
    if f.key == keys.PHOTO and step.app.values.get(keys.PHOTO):
        await message.answer(t.PHOTO_SAVED)
    await _after_step(message, step, questions)


async def on_form_choice(
    query: CallbackQuery,
    callback_data: FormChoice,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """Takes a button answer; the button's field must be the one being asked."""
    message = _message_of(query)
    step = await svc.choose(
        uows,
        person_id=person_id,
        app_id=await state.get_value("app_id"),
        key=callback_data.key,
        index=callback_data.index,
        now=clock.now(),
    )
    if step is None:
        await _stale(query, uows, await state.get_value("app_id"), questions, person_id)
        return
    choice = BY_KEY[callback_data.key].choices[callback_data.index]
    await together(
        query.answer(),
        message.edit_text(render.answered(message.text, choice), reply_markup=None),
        _after_step(message, step, questions),
    )


async def _stale(
    query: CallbackQuery,
    uows: UnitOfWorkFactory,
    app_id: int | None,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """Answers a press on an old prompt; if the question being asked never reached the person
    (the previous answer was stored, then the process died), it is shown now."""
    await query.answer(t.STALE_BUTTON)
    unseen = await svc.question_not_shown(
        uows, person_id=person_id, app_id=app_id, questions=questions
    )
    if unseen is not None:
        message = _message_of(query)
        await message.answer(t.NOT_SHOWN_YET)
        await _ask(message, unseen.app, unseen.field, questions)


MOVES = {
    Nav.BACK: svc.back,
    Nav.SKIP: svc.skip,
    Nav.DONE: svc.finish_list,
    Nav.CLEAR: svc.clear_list,
}
"""The navigation buttons that move the cursor; 保存并退出 only ends the conversation."""


async def on_form_nav(
    query: CallbackQuery,
    callback_data: FormNav,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """上一项, 跳过, 完成, 清空重填 and 保存并退出 on a field's prompt."""
    message = _message_of(query)
    app_id, key = await state.get_value("app_id"), callback_data.key
    if callback_data.nav is Nav.SAVE:
        app = await svc.save_and_exit(uows, person_id=person_id, app_id=app_id, key=key)
        if app is None:
            await query.answer(t.STALE_BUTTON)
            return
        await together(
            query.answer(),
            message.edit_reply_markup(reply_markup=None),
            _save_and_exit(message, state, app),
        )
        return
    move = MOVES[callback_data.nav]
    step = await move(uows, person_id=person_id, app_id=app_id, key=key, now=clock.now())
    if step is None:
        await _stale(query, uows, app_id, questions, person_id)
        return
    await together(
        query.answer(),
        message.edit_reply_markup(reply_markup=None),
        _after_step(message, step, questions),
    )


async def on_card_edit(
    query: CallbackQuery,
    callback_data: CardEdit,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """Asks one field again from the card; answering it returns to the card."""
    step = await svc.edit(
        uows,
        person_id=person_id,
        app_id=await state.get_value("app_id"),
        key=callback_data.key,
        now=clock.now(),
    )
    if step is None:
        await query.answer(t.STALE_BUTTON)
        return
    await state.set_state(Apply.form)
    await together(query.answer(), _after_step(_message_of(query), step, questions))


async def on_sign(
    query: CallbackQuery,
    callback_data: CardAction,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
) -> None:
    """Shows the pledge to sign, or says in an alert why the application cannot be submitted yet."""
    message = _message_of(query)
    app = await svc.open_signature(
        uows, person_id=person_id, app_id=callback_data.app_id, now=clock.now()
    )
    if app is None:
        await query.answer(t.STALE_BUTTON)
        return
    await enter(state, Apply.signature, {"app_id": app.id})
    await query.answer()
    await message.answer(t.PLEDGE.format(name=app.values.get(keys.NAME)))


async def on_withdraw(
    query: CallbackQuery,
    callback_data: CardAction,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    notifier: Notifier,
    person_id: int,
) -> None:
    """Withdraws the presser's application once confirmed, then tells its reviewers."""
    message = _message_of(query)
    user = query.from_user
    done = await svc.withdraw(
        uows,
        person_id=person_id,
        app_id=callback_data.app_id,
        actor_name=user.full_name,
        now=clock.now(),
    )
    if done is None:
        await query.answer(t.STALE_BUTTON)
        return
    await state.clear()
    await query.answer()
    await message.edit_text(t.WITHDRAWN, reply_markup=None)
    await notifier.application_withdrawn(done.app, done.previous.value)


async def on_card_action(
    query: CallbackQuery,
    callback_data: CardAction,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    questions: svc.ShownQuestions,
    person_id: int,
) -> None:
    """Save, continue, and the withdrawal question on the card; the application must be the
    presser's. 继续填写 on a form the deadline closed says so instead of asking a field; save
    and continue on a form already submitted say it can no longer be changed."""
    message = _message_of(query)
    app = await svc.own_application(uows, person_id=person_id, app_id=callback_data.app_id)
    if app is None:
        await query.answer(t.STALE_BUTTON)
        return
    if callback_data.do in (CardDo.SAVE, CardDo.CONTINUE) and app.status not in EDITABLE:
        # Left behind on an old card or /status: the form is no longer the applicant's to fill.
        await query.answer(t.NOT_EDITABLE.format(status=t.STATUS[app.status]))
        return
    await query.answer()
    match callback_data.do:
        case CardDo.SAVE:
            await _save_and_exit(message, state, app)
        case CardDo.CONTINUE if app.closed_to_applicant(clock.now()):
            await message.answer(svc.closed_problem(app))
        case CardDo.CONTINUE:
            await enter(state, Apply.form, {"app_id": app.id})
            await _continue(message, app, questions)
        case CardDo.WITHDRAW:
            await message.answer(t.CONFIRM_WITHDRAW, reply_markup=render.withdraw_confirm(app))
        case CardDo.WITHDRAW_KEEP:
            await message.edit_text(t.KEPT, reply_markup=None)


async def on_signature(
    message: Message,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    notifier: Notifier,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Takes the typed full name as signature and submits."""
    if not message.text:
        await message.answer(t.WRONG_TYPE_TEXT)
        return
    user = message.from_user
    assert user is not None
    submitted = await svc.submit(
        uows,
        person_id=person_id,
        app_id=await state.get_value("app_id"),
        signature=message.text,
        actor_name=user.full_name,
        now=clock.now(),
        admin_ids=admin_ids,
    )
    if submitted is None:
        return await _no_application(message, state)
    await state.set_state(Apply.form)
    await message.answer(render.submitted_text(submitted.app, submitted.onward))
    await notifier.application_submitted(submitted)


async def on_status(
    message: Message, uows: UnitOfWorkFactory, clock: Clock, person_id: int
) -> None:
    """Shows the person's applications and their states."""
    shown = await svc.applications_of(uows, person_id, clock.now())
    if not shown:
        await message.answer(t.STATUS_NONE)
        return
    for app, stage in ((p.app, p.stage) for p in shown):
        markup = render.status_keyboard(app, stage)
        await message.answer(render.status_text(app, stage), reply_markup=markup)


# shared steps ------------------------------------------------------------------------------


async def _after_step(message: Message, step: svc.Step, questions: svc.ShownQuestions) -> None:
    questions.written(step.app)
    if step.raised:
        await message.answer(t.FLAG_RAISED.format(reasons=render.flag_reasons(step.raised)))
    if step.field is None:
        await _show_card(message, step.app)
    else:
        await _ask(message, step.app, step.field, questions)


async def _continue(
    message: Message, app: ApplicationSnapshot, questions: svc.ShownQuestions
) -> None:
    """Asks the field at the application's cursor, or shows the card when there is none."""
    if app.cursor is None:
        await _show_card(message, app)
    else:
        await _ask(message, app, BY_KEY[app.cursor], questions)


async def _ask(
    message: Message, app: ApplicationSnapshot, f: Field, questions: svc.ShownQuestions
) -> None:
    await message.answer(render.prompt(app, f), reply_markup=render.field_keyboard(f))
    questions.shown(app)


async def _show_card(message: Message, app: ApplicationSnapshot) -> None:
    """The summary card in as many messages as it takes; the buttons on the last."""
    for text, markup in render.card_parts(app):
        await message.answer(text, reply_markup=markup)


async def _save_and_exit(message: Message, state: FSMContext, app: ApplicationSnapshot) -> None:
    await state.clear()
    await message.answer(
        t.SAVED_AND_EXIT.format(deadline=format_local(app.campaign.unit_deadline)),
        reply_markup=ReplyKeyboardRemove(),
    )


async def _no_application(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(t.NO_APPLICATION)


def _message_of(query: CallbackQuery) -> Message:
    if not isinstance(query.message, Message):
        raise DomainError(t.STALE_BUTTON)
    return query.message
