"""The applicant's conversation: consent, district and unit, Annex 1 field by field, card, signature.

Handlers read the update, call one service, and render the result. Which
field is asked lives in the application row (its cursor), so the FSM only
says which stage the person is in and which application is theirs.
"""

from __future__ import annotations

import io
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, CommandStart, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.clock import Clock, format_local
from bot.config import Settings
from bot.domain import keys
from bot.domain.application import ApplicationSnapshot
from bot.domain.errors import DomainError
from bot.domain.form import BY_KEY, Field, Kind
from bot.domain.idcard import mask_id_number, mask_phone
from bot.domain.parsers import normalize, parse_mobile, parse_unit_name
from bot.domain.vocab import find_districts
from bot.domain.workflow import EDITABLE
from bot.images import portrait_jpeg
from bot.services import applicant as svc
from bot.services.ports import Notifier, Store, StoreFactory
from bot.texts import chat as t
from handlers import render
from handlers.callbacks import (
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
)
from handlers.stages import enter

CONSENT_ITEMS = (ConsentItem.GENERAL.value, ConsentItem.SENSITIVE.value, ConsentItem.TRANSFER.value)


class Apply(StatesGroup):
    consent = State()
    district = State()
    unit = State()
    unit_name = State()
    form = State()
    signature = State()


def build_router() -> Router:
    """The applicant's commands; /start stays behind the reviewers' invite links.

    The answer handlers are registered here too, behind every command: a text
    starting with "/" that no command takes (such as "/", "none" on Chinese
    forms) is still an answer, as it always was.
    """
    router = Router(name="applicant")
    router.message.register(on_start, CommandStart())
    router.message.register(on_status, Command("status"))
    _register_answers(router)
    return router


def build_conversation_router() -> Router:
    """Buttons and answers of the conversation: what nearly every update is.

    Included first, so an answer does not walk every other router's filters.
    That is safe because callback prefixes are disjoint, and texts starting
    with "/" are left to the routers behind: /help or /cancel work at any step.
    """
    router = Router(name="applicant-conversation")
    router.message.filter(NotCommand())
    # The form's own buttons first: each handler passed costs a parse of the callback data.
    router.callback_query.register(on_form_choice, FormChoice.filter())
    router.callback_query.register(on_form_nav, FormNav.filter())
    router.callback_query.register(on_consent, ConsentPick.filter())
    router.callback_query.register(on_district_page, DistrictPage.filter())
    router.callback_query.register(on_district_pick, DistrictPick.filter())
    router.callback_query.register(on_unit_page, UnitPage.filter())
    router.callback_query.register(on_unit_pick, UnitPick.filter())
    router.callback_query.register(on_unit_not_listed, UnitNotListed.filter())
    router.callback_query.register(on_card_edit, CardEdit.filter())
    router.callback_query.register(on_card_action, CardAction.filter())
    _register_answers(router)
    return router


def _register_answers(router: Router) -> None:
    router.message.register(on_form_message, StateFilter(Apply.form))
    router.message.register(on_district_text, StateFilter(Apply.district))
    router.message.register(on_unit_text, StateFilter(Apply.unit))
    router.message.register(on_unit_name, StateFilter(Apply.unit_name))
    router.message.register(on_signature, StateFilter(Apply.signature))
    router.message.register(on_consent_text, StateFilter(Apply.consent))


class NotCommand(Filter):
    """Anything but a typed /command."""

    async def __call__(self, message: Message) -> bool:
        return not (message.text or "").startswith("/")


# /start and consent ---------------------------------------------------------------


async def on_start(
    message: Message, command: CommandObject, state: FSMContext, stores: StoreFactory, clock: Clock
) -> None:
    """Greets, asks for consent once, then resumes the application or starts the unit choice."""
    user = message.from_user
    assert user is not None
    unit_code = (command.args or "").removeprefix("u_") if command.args else None
    async with stores() as store:
        campaign = await svc.open_campaign(store)
        if not await svc.has_consent(store, user.id):
            await enter(state, Apply.consent, {"agreed": [], "unit_code": unit_code})
            await message.answer(render.welcome(campaign))
            await message.answer(
                render.consent_text(svc.CONSENT_VERSION), reply_markup=render.consent_keyboard([])
            )
            return
        await _resume_or_choose(message, state, store, user.id, unit_code, clock)


async def on_consent(
    query: CallbackQuery,
    callback_data: ConsentPick,
    state: FSMContext,
    stores: StoreFactory,
    clock: Clock,
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
        await query.answer()
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(t.CONSENT_REFUSED)
        return
    if item is ConsentItem.ALL:
        agreed = list(CONSENT_ITEMS)
    elif item.value not in agreed:
        agreed.append(item.value)
    if set(agreed) != set(CONSENT_ITEMS):
        await state.update_data(agreed=agreed)
        await query.answer()
        await message.edit_reply_markup(reply_markup=render.consent_keyboard(agreed))
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    user = query.from_user
    async with stores() as store:
        await svc.record_consent(store, user.id, user.full_name, clock.now())
        await _resume_or_choose(message, state, store, user.id, data.get("unit_code"), clock)


async def on_consent_text(message: Message) -> None:
    await message.answer(t.CONSENT_INCOMPLETE)


async def _resume_or_choose(
    message: Message,
    state: FSMContext,
    store: Store,
    person_id: int,
    unit_code: str | None,
    clock: Clock,
) -> None:
    app = await svc.current_application(store, person_id)
    if app is not None:
        await enter(state, Apply.form, {"app_id": app.id})
        if app.status not in EDITABLE:
            await message.answer(render.status_text(app))
            return
        await message.answer(t.RESUMING)
        await _continue(message, app, BY_KEY[app.cursor] if app.cursor else None)
        return
    if unit_code:
        unit = await store.unit_by_code(unit_code)
        if unit is not None:
            app = await svc.start_application(
                store, person_id=person_id, district_id=unit.district_id, unit=unit, now=clock.now()
            )
            await _begin(message, state, app)
            return
        await message.answer(t.UNIT_LINK_INVALID)
    await enter(state, Apply.district, {})
    text, markup = render.district_page(await store.districts(), 0)
    await message.answer(text, reply_markup=markup)


async def _begin(message: Message, state: FSMContext, app: ApplicationSnapshot) -> None:
    await enter(state, Apply.form, {"app_id": app.id})
    await message.answer(t.UNIT_CHOSEN.format(unit=app.unit_name, district=app.district_name))
    await _continue(message, app, BY_KEY[app.cursor] if app.cursor else None)


# district and unit ------------------------------------------------------------------


async def on_district_page(
    query: CallbackQuery, callback_data: DistrictPage, state: FSMContext, stores: StoreFactory
) -> None:
    if await state.get_state() != Apply.district.state:
        await query.answer(t.STALE_BUTTON)
        return
    async with stores() as store:
        text, markup = render.district_page(await store.districts(), callback_data.page)
    await query.answer()
    await _message_of(query).edit_text(text, reply_markup=markup)


async def on_district_text(message: Message, stores: StoreFactory) -> None:
    """Finds districts by part of the name."""
    if not message.text:
        await message.answer(t.CHOOSE_DISTRICT)
        return
    query = normalize(message.text)
    names = {d.name for d in find_districts(query)}
    async with stores() as store:
        matches = [d for d in await store.districts() if d.name in names]
    if not matches:
        await message.answer(t.DISTRICT_NOT_FOUND.format(query=query[:20]))
        return
    await message.answer(t.DISTRICT_MATCHES, reply_markup=render.district_matches(matches))


async def on_district_pick(
    query: CallbackQuery, callback_data: DistrictPick, state: FSMContext, stores: StoreFactory
) -> None:
    if await state.get_state() not in (Apply.district.state, Apply.unit.state):
        await query.answer(t.STALE_BUTTON)
        return
    async with stores() as store:
        district = await store.district(callback_data.district_id)
        if district is None:
            await query.answer(t.STALE_BUTTON)
            return
        units = await store.units_in(district.id)
    await enter(state, Apply.unit, {"district_id": district.id})
    await query.answer()
    text, markup = render.unit_page(district, units, 0)
    await _message_of(query).answer(text, reply_markup=markup)


async def on_unit_page(
    query: CallbackQuery, callback_data: UnitPage, state: FSMContext, stores: StoreFactory
) -> None:
    async with stores() as store:
        district = await store.district(callback_data.district_id)
        if district is None or await state.get_state() != Apply.unit.state:
            await query.answer(t.STALE_BUTTON)
            return
        text, markup = render.unit_page(
            district, await store.units_in(district.id), callback_data.page
        )
    await query.answer()
    await _message_of(query).edit_text(text, reply_markup=markup)


async def on_unit_text(message: Message, state: FSMContext, stores: StoreFactory) -> None:
    """Finds units of the chosen district by part of the name."""
    district_id = (await state.get_data()).get("district_id")
    async with stores() as store:
        district = await store.district(district_id) if district_id else None
        if district is None:
            await state.set_state(Apply.district)
            await message.answer(t.CHOOSE_DISTRICT)
            return
        units = await store.units_in(district.id)
    query = normalize(message.text or "")
    matches = [u for u in units if query and query in u.name]
    text, markup = render.unit_page(district, matches, 0)
    await message.answer(t.UNIT_MATCHES if matches else text, reply_markup=markup)


async def on_unit_pick(
    query: CallbackQuery,
    callback_data: UnitPick,
    state: FSMContext,
    stores: StoreFactory,
    clock: Clock,
) -> None:
    if await state.get_state() != Apply.unit.state:
        await query.answer(t.STALE_BUTTON)
        return
    async with stores() as store:
        unit = await store.unit(callback_data.unit_id)
        if unit is None:
            await query.answer(t.STALE_BUTTON)
            return
        app = await svc.start_application(
            store,
            person_id=query.from_user.id,
            district_id=unit.district_id,
            unit=unit,
            now=clock.now(),
        )
    await query.answer()
    await _message_of(query).edit_reply_markup(reply_markup=None)
    await _begin(_message_of(query), state, app)


async def on_unit_not_listed(
    query: CallbackQuery, callback_data: UnitNotListed, state: FSMContext
) -> None:
    if await state.get_state() != Apply.unit.state:
        await query.answer(t.STALE_BUTTON)
        return
    await enter(state, Apply.unit_name, {"district_id": callback_data.district_id})
    await query.answer()
    await _message_of(query).answer(t.TYPE_UNIT_NAME)


async def on_unit_name(
    message: Message, state: FSMContext, stores: StoreFactory, clock: Clock
) -> None:
    """Takes a typed unit name; the district confirms such a unit later."""
    if not message.text:
        await message.answer(t.WRONG_TYPE_TEXT)
        return
    try:
        name = parse_unit_name(message.text)
    except ValueError as problem:
        await message.answer(str(problem))
        return
    district_id = (await state.get_data()).get("district_id")
    async with stores() as store:
        district = await store.district(district_id) if district_id else None
        if district is None:
            await state.set_state(Apply.district)
            await message.answer(t.CHOOSE_DISTRICT)
            return
        app = await svc.start_application(
            store,
            person_id=message.chat.id,
            district_id=district.id,
            unit=None,
            typed_unit_name=name,
            now=clock.now(),
        )
    await message.answer(t.UNIT_TYPED.format(unit=name))
    await _begin(message, state, app)


# the form ------------------------------------------------------------------------------


async def on_form_message(
    message: Message,
    state: FSMContext,
    stores: StoreFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
) -> None:
    """Takes the answer to the field being asked, checks it, stores it and asks the next one."""
    if message.forward_origin or message.via_bot or message.is_automatic_forward:
        await message.answer(t.FORWARDED)
        return
    async with stores() as store:
        app = await _own_application(store, state, message.chat.id)
        if app is None:
            return await _no_application(message, state)
        if app.status not in EDITABLE:
            await message.answer(render.status_text(app))
            return
        if app.cursor is None:
            return await _show_card(message, app)
        f = BY_KEY[app.cursor]
        now = clock.now()
        if message.text == t.BUTTON_BACK:
            step = await svc.back(store, app, f.key, now)
        elif message.text == t.BUTTON_SAVE_EXIT:
            return await _save_and_exit(message, state, app)
        elif f.kind is Kind.PHOTO:
            step = None  # downloaded below, holding no store meanwhile
        else:
            try:
                step = await _answer_message(store, app, f, message, now)
            except ValueError as problem:
                await message.answer(str(problem))
                await _ask(message, app, f)
                return
    if step is None:
        step = await _answer_photo(message, app, f, stores, settings, bot, now)
        if step is None:
            return
    if f.key == keys.ID_NUMBER and step.app.values.get(keys.ID_NUMBER):
        await _delete_id_message(message, step.app)
    if f.kind is Kind.PHONE:
        value = step.app.values.get(f.key)
        shown = mask_phone(value) if value else t.BUTTON_BACK
        await message.answer(f"{f.label}：{shown}", reply_markup=ReplyKeyboardRemove())
    if f.key == keys.PHOTO and step.app.values.get(keys.PHOTO):
        await message.answer(t.PHOTO_SAVED)
    await _after_step(message, step)


async def _answer_message(
    store: Store, app: ApplicationSnapshot, f: Field, message: Message, now: Any
) -> Any:
    """Turns one message into a stored answer; ValueError means "ask the same field again"."""
    if f.kind is Kind.PHONE and message.contact:
        if message.contact.user_id != message.chat.id:
            raise ValueError(t.NOT_YOUR_CONTACT)
        return await svc.answer(store, app, f.key, parse_mobile(message.contact.phone_number), now)
    if message.text is None:
        if f.choices and not f.typed:
            raise ValueError(t.WRONG_TYPE_BUTTON_ONLY)
        raise ValueError(t.WRONG_TYPE_CHOICE if f.choices else t.WRONG_TYPE_TEXT)
    if f.choices and not f.typed:
        raise ValueError(t.WRONG_TYPE_BUTTON_ONLY)
    value = svc.parse_answer(app, f, message.text, now)
    if f.kind is Kind.LIST:
        return await svc.add_list_item(store, app, f.key, value, now)
    return await svc.answer(store, app, f.key, value, now)


async def _answer_photo(
    message: Message,
    app: ApplicationSnapshot,
    f: Field,
    stores: StoreFactory,
    settings: Settings,
    bot: Bot,
    now: Any,
) -> svc.Step | None:
    """Stores the portrait sent for `app` as read; None when it was refused and asked for again.

    Telegram's download and the re-encoding take no store: the database
    stays free for other updates meanwhile. The write still only lands on
    the version that was read.
    """
    try:
        jpeg, size, unique_id = await _download_portrait(message, settings, bot)
    except ValueError as problem:
        await message.answer(str(problem))
        await _ask(message, app, f)
        return None
    async with stores() as store:
        return await svc.save_photo(store, app, jpeg, size, unique_id, now)


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
    await bot.download(item.file_id, destination=buffer)
    jpeg, size = portrait_jpeg(buffer.getvalue(), limit)
    return jpeg, size, item.file_unique_id


async def _delete_id_message(message: Message, app: ApplicationSnapshot) -> None:
    """Removes the typed ID number from the chat: Telegram is the front end, not the archive."""
    try:
        await message.delete()
    except TelegramBadRequest:
        return
    await message.answer(
        t.ID_MESSAGE_DELETED.format(masked=mask_id_number(app.values[keys.ID_NUMBER]))
    )


async def on_form_choice(
    query: CallbackQuery,
    callback_data: FormChoice,
    state: FSMContext,
    stores: StoreFactory,
    clock: Clock,
) -> None:
    """Takes a button answer; the button's field must be the one being asked."""
    message = _message_of(query)
    async with stores() as store:
        asked = await _asked(store, state, query, callback_data.key)
        if asked is None:
            return
        app, f = asked
        if not 0 <= callback_data.index < len(f.choices):
            await query.answer(t.STALE_BUTTON)
            return
        choice = f.choices[callback_data.index]
        value = svc.parse_answer(app, f, choice, clock.now())
        step = await svc.answer(store, app, f.key, value, clock.now())
    await query.answer()
    await message.edit_text(f"{message.text}\n✅ {choice}", reply_markup=None)
    await _after_step(message, step)


async def on_form_nav(
    query: CallbackQuery,
    callback_data: FormNav,
    state: FSMContext,
    stores: StoreFactory,
    clock: Clock,
) -> None:
    """上一项, 跳过, 完成, 清空重填 and 保存并退出 on a field's prompt."""
    message = _message_of(query)
    async with stores() as store:
        asked = await _asked(store, state, query, callback_data.key)
        if asked is None:
            return
        app, _field = asked
        now, key = clock.now(), callback_data.key
        match callback_data.nav:
            case Nav.SAVE:
                await query.answer()
                await message.edit_reply_markup(reply_markup=None)
                return await _save_and_exit(message, state, app)
            case Nav.BACK:
                step = await svc.back(store, app, key, now)
            case Nav.SKIP:
                step = await svc.skip(store, app, key, now)
            case Nav.DONE:
                step = await svc.finish_list(store, app, key, now)
            case Nav.CLEAR:
                step = await svc.clear_list(store, app, key, now)
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    await _after_step(message, step)


async def on_card_edit(
    query: CallbackQuery,
    callback_data: CardEdit,
    state: FSMContext,
    stores: StoreFactory,
    clock: Clock,
) -> None:
    async with stores() as store:
        app = await _own_application(store, state, query.from_user.id)
        if app is None:
            await query.answer(t.STALE_BUTTON)
            return
        step = await svc.edit(store, app, callback_data.key, clock.now())
    await state.set_state(Apply.form)
    await query.answer()
    await _after_step(_message_of(query), step)


async def on_card_action(
    query: CallbackQuery,
    callback_data: CardAction,
    state: FSMContext,
    stores: StoreFactory,
    clock: Clock,
    notifier: Notifier,
) -> None:
    """Sign, save, continue and withdraw from the card; the application must be the presser's."""
    message = _message_of(query)
    now = clock.now()
    async with stores() as store:
        app = await store.application(callback_data.app_id)
        if app is None or app.person_id != query.from_user.id:
            await query.answer(t.STALE_BUTTON)
            return
        previous = app.status
        if callback_data.do is CardDo.WITHDRAW_CONFIRM:
            app = await svc.withdraw(store, app, query.from_user.full_name, now)
    match callback_data.do:
        case CardDo.SIGN:
            problem = svc.submit_problem(app, now)
            if problem is not None:
                await query.answer(problem, show_alert=True)
                return
            await enter(state, Apply.signature, {"app_id": app.id})
            await query.answer()
            await message.answer(t.PLEDGE.format(name=app.values.get(keys.NAME)))
        case CardDo.SAVE:
            await query.answer()
            await _save_and_exit(message, state, app)
        case CardDo.CONTINUE:
            await query.answer()
            await enter(state, Apply.form, {"app_id": app.id})
            await _continue(message, app, BY_KEY[app.cursor] if app.cursor else None)
        case CardDo.WITHDRAW:
            await query.answer()
            await message.answer(t.CONFIRM_WITHDRAW, reply_markup=render.withdraw_confirm(app))
        case CardDo.WITHDRAW_KEEP:
            await query.answer()
            await message.edit_text(t.KEPT, reply_markup=None)
        case CardDo.WITHDRAW_CONFIRM:
            await state.clear()
            await query.answer()
            await message.edit_text(t.WITHDRAWN, reply_markup=None)
            await notifier.application_withdrawn(app, previous.value)


async def on_signature(
    message: Message,
    state: FSMContext,
    stores: StoreFactory,
    clock: Clock,
    notifier: Notifier,
) -> None:
    """Takes the typed full name as signature and submits."""
    if not message.text:
        await message.answer(t.WRONG_TYPE_TEXT)
        return
    async with stores() as store:
        app = await _own_application(store, state, message.chat.id)
        if app is None:
            return await _no_application(message, state)
        user = message.from_user
        assert user is not None
        app = await svc.submit(store, app, message.text, user.full_name, clock.now())
    await state.set_state(Apply.form)
    reviewer = (
        t.REVIEWER_UNIT.format(unit=app.unit_name)
        if app.unit_confirmed
        else t.REVIEWER_DISTRICT.format(district=app.district_name)
    )
    await message.answer(
        t.SUBMITTED.format(filled_at=f"{app.values[keys.FILLED_AT]:%Y年%m月%d日}", reviewer=reviewer)
    )
    await notifier.application_submitted(app)


async def on_status(message: Message, stores: StoreFactory) -> None:
    """Shows the person's applications and their states."""
    async with stores() as store:
        apps = await store.applications_of(message.chat.id)
    if not apps:
        await message.answer(t.STATUS_NONE)
        return
    for app in apps[:5]:
        markup = render.continue_keyboard(app) if app.status in EDITABLE else None
        await message.answer(render.status_text(app), reply_markup=markup)


# shared steps ------------------------------------------------------------------------------


async def _own_application(
    store: Store, state: FSMContext, person_id: int
) -> ApplicationSnapshot | None:
    """The person's application: the one in the FSM if it is theirs, else their live one."""
    app_id = await state.get_value("app_id")
    if app_id is not None:
        app = await store.application(app_id)
        if app is not None and app.person_id == person_id:
            return app
    return await svc.current_application(store, person_id)


async def _asked(
    store: Store, state: FSMContext, query: CallbackQuery, key: str
) -> tuple[ApplicationSnapshot, Field] | None:
    """The presser's application and the field `key`, if that field is the one asked now.

    Otherwise the press is stale (an old prompt) or forged: it is answered and ignored.
    """
    app = await _own_application(store, state, query.from_user.id)
    f = BY_KEY.get(key)
    if app is None or f is None or app.cursor != key:
        await query.answer(t.STALE_BUTTON)
        return None
    return app, f


async def _after_step(message: Message, step: Any) -> None:
    if step.raised:
        await message.answer(t.FLAG_RAISED.format(reasons=render.flag_reasons(step.raised)))
    await _continue(message, step.app, step.field)


async def _continue(message: Message, app: ApplicationSnapshot, f: Field | None) -> None:
    if f is None:
        await _show_card(message, app)
    else:
        await _ask(message, app, f)


async def _ask(message: Message, app: ApplicationSnapshot, f: Field) -> None:
    await message.answer(render.prompt(app, f), reply_markup=render.field_keyboard(f))


async def _show_card(message: Message, app: ApplicationSnapshot) -> None:
    text, markup = render.card(app)
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
