"""The reviewers' conversation: cards and decisions, lists, history, roles and invites.

Every press is re-authorised by the services from the server's data; the
buttons only say what the person wants. Each handler calls one service, whose
unit of work is closed before anything is sent; refusals become replies in
handlers/errors.py. Only a free-text reason (and a new unit's name) needs the
FSM. The commands work in any conversation state.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, ExceptionTypeFilter, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardMarkup,
    Message,
)

from bot.clock import Clock
from bot.config import Settings
from bot.domain import vocab
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.ids import parse_id
from bot.domain.parsers import normalize, parse_unit_name
from bot.domain.review import Decision, Grant, ReviewLevel, RoleKind
from bot.domain.workflow import Status
from bot.services import accounts, review, roles
from bot.services.ports import ListFilter
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import accounts as at
from bot.texts import review as t
from handlers import errors
from handlers import render_review as rr
from handlers.callbacks import (
    AppList,
    InviteDistrictPage,
    InviteFor,
    InviteNewUnit,
    InviteRevoke,
    InviteUnitKind,
    ListPick,
    PendingOpen,
    PendingPage,
    ReasonCancel,
    ReviewAction,
    ReviewShow,
    ReviewView,
)
from handlers.notify import TelegramNotifier
from handlers.stages import enter

log = logging.getLogger(__name__)


class ReviewInput(StatesGroup):
    reason = State()
    unit_name = State()


class InviteStart(Filter):
    """`/start i_<token>`: an invite link, not an applicant's start."""

    async def __call__(self, message: Message) -> bool | dict[str, str]:
        text = message.text or ""
        prefix = "/start " + roles.INVITE_PREFIX
        if not text.startswith(prefix):
            return False
        return {"invite_token": text[len(prefix) :].strip()}


def build_router() -> Router:
    router = Router(name="review")
    router.message.register(on_invite_start, InviteStart())
    router.message.register(on_pending, Command("pending"))
    router.message.register(on_applications, Command("applications"))
    router.message.register(on_history, Command("history"))
    router.message.register(on_roles, Command("roles"))
    router.message.register(on_invite, Command("invite"))
    router.callback_query.register(on_review_action, ReviewAction.filter())
    router.callback_query.register(on_review_show, ReviewShow.filter())
    router.callback_query.register(on_reason_cancel, ReasonCancel.filter())
    router.callback_query.register(on_pending_page, PendingPage.filter())
    router.callback_query.register(on_pending_open, PendingOpen.filter())
    router.callback_query.register(on_app_list, AppList.filter())
    router.callback_query.register(on_invite_district_page, InviteDistrictPage.filter())
    router.callback_query.register(on_invite_for, InviteFor.filter())
    router.callback_query.register(on_invite_new_unit, InviteNewUnit.filter())
    router.callback_query.register(on_invite_unit_kind, InviteUnitKind.filter())
    router.callback_query.register(on_invite_revoke, InviteRevoke.filter())
    router.message.register(on_reason, StateFilter(ReviewInput.reason))
    router.message.register(on_unit_name, StateFilter(ReviewInput.unit_name))
    router.errors.register(on_decision_closed, ExceptionTypeFilter(review.DecisionClosed))
    return router


def _is_cancel(text: str) -> bool:
    """取消 as people type it: 取消。 or “取消！” cancels too, and never becomes a two-character
    reason sent to the applicant."""
    bare = "".join(ch for ch in normalize(text) if ch.isalnum())
    return bare == t.CANCEL_WORD or text.strip() == "/cancel"


def _message_of(query: CallbackQuery) -> Message:
    if not isinstance(query.message, Message):
        raise DomainError(t.STALE_CARD)
    return query.message


async def refresh_menu(bot: Bot, chat_id: int, menu: roles.Menu) -> None:
    """Shows the person in `chat_id` the commands of their roles (per chat)."""
    try:
        await bot.set_my_commands(
            rr.commands_for(menu.grants, expert=menu.expert),
            scope=BotCommandScopeChat(chat_id=chat_id),
        )
    except TelegramBadRequest as problem:
        log.info("command menu for chat %s not set: %s", chat_id, problem)


# deciding ----------------------------------------------------------------------------------


async def on_review_action(
    query: CallbackQuery,
    callback_data: ReviewAction,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    notifier: TelegramNotifier,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Approves at once; for 退回修改 and 不同意 (退回区县 and 不通过 at the bureau) checks
    first, then asks for the reason."""
    user = query.from_user
    decision = callback_data.decision
    if decision.needs_reason:
        app = await review.check_decision(
            uows,
            app_id=callback_data.app_id,
            version=callback_data.v,
            level=callback_data.level,
            actor_id=person_id,
            admin_ids=admin_ids,
            now=clock.now(),
        )
        pending = {"app_id": app.id, "v": app.version, "level": int(callback_data.level)}
        await enter(state, ReviewInput.reason, {**pending, "d": decision.value})
        await query.answer()
        text, markup = rr.reason_prompt(app, decision, callback_data.level, clock.now())
        await _message_of(query).answer(text, reply_markup=markup)
        return
    outcome = await review.decide(
        uows,
        app_id=callback_data.app_id,
        version=callback_data.v,
        level=callback_data.level,
        decision=decision,
        actor_id=person_id,
        actor_name=user.full_name,
        admin_ids=admin_ids,
        reason=None,
        now=clock.now(),
    )
    await query.answer(
        t.DONE_ANSWER.format(decision=rr.decided_label(callback_data.level, decision))
    )
    await notifier.application_decided(outcome)


async def on_decision_closed(event: ErrorEvent) -> None:
    """A decision refused because its level's deadline has passed is told like any refusal;
    the card it was pressed on then loses its decision buttons and says why, as one opened
    from /pending does. The refusing unit of work is closed by now (the error left it)."""
    await errors.on_domain_error(event)
    closed = event.exception
    query = event.update.callback_query
    if not isinstance(closed, review.DecisionClosed) or query is None:
        return
    if not isinstance(query.message, Message):
        return
    text, markup = rr.closed_decision_card(closed.app, closed.closed, query.message.text or "")
    try:
        await query.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as problem:
        log.info("card %s not closed: %s", query.message.message_id, problem)


async def on_reason(
    message: Message,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    notifier: TelegramNotifier,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Takes the reason for a return or a decline and decides; 取消 leaves the application as it was."""
    if not message.text:
        await message.answer(t.REASON_NOT_TEXT)
        return
    if _is_cancel(message.text):
        await state.clear()
        await message.answer(t.REASON_CANCELLED)
        return
    reason = review.clean_reason(message.text)
    data = await state.get_data()
    await state.clear()
    user = message.from_user
    assert user is not None
    outcome = await review.decide(
        uows,
        app_id=int(data["app_id"]),
        version=int(data["v"]),
        level=ReviewLevel(int(data["level"])),
        decision=Decision(data["d"]),
        actor_id=person_id,
        actor_name=user.full_name,
        admin_ids=admin_ids,
        reason=reason,
        now=clock.now(),
    )
    await message.answer(
        t.DECIDED.format(
            id=outcome.after.id,
            name=outcome.after.values.get("name") or "",
            decision=rr.decided_label(outcome.level, outcome.decision),
        )
    )
    await notifier.application_decided(outcome)


async def on_reason_cancel(
    query: CallbackQuery, callback_data: ReasonCancel, state: FSMContext
) -> None:
    """Drops the reason being asked for; the application stays as it was. A prompt whose
    reason was given (or cancelled, or asked again since) only loses its button: it must not
    say that a decision already made was not."""
    data = await state.get_data()
    message = _message_of(query)
    if (
        await state.get_state() != ReviewInput.reason.state
        or data.get("app_id") != callback_data.app_id
    ):
        await query.answer(t.REASON_PROMPT_GONE, show_alert=True)
        await message.edit_reply_markup(reply_markup=None)
        return
    await state.clear()
    await query.answer()
    await message.edit_text(t.REASON_CANCELLED, reply_markup=None)


# looking -------------------------------------------------------------------------------------


async def on_review_show(
    query: CallbackQuery,
    callback_data: ReviewShow,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    notifier: TelegramNotifier,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """查看全部, 审核记录, 查看修改内容, and opening an application from a list."""
    message = _message_of(query)
    who = {"app_id": callback_data.app_id, "actor_id": person_id, "admin_ids": admin_ids}
    match callback_data.what:
        case ReviewView.HISTORY:
            app, events = await review.history(uows, **who)
            await query.answer()
            await _send_parts(message, [(part, None) for part in rr.history_parts(app, events)])
            return
        case ReviewView.ALL:
            app = await review.view_all(uows, **who, now=clock.now())
            await query.answer()
            await _send_parts(message, rr.full_text_parts(app))
            return
        case ReviewView.CHANGES:
            card = await review.view_changes(uows, **who, now=clock.now())
            await query.answer()
            await _send_parts(message, rr.changes_parts(card))
            return
    opened = await review.open_card(uows, **who, now=clock.now())
    await query.answer()
    if opened.closed is not None:
        await message.answer(rr.closed_card(opened.closed))
    if not opened.can_decide:
        await _send_parts(message, rr.full_text_parts(opened.card.app, nudge=opened.nudge))
        return
    if opened.photo:
        await message.answer_photo(
            BufferedInputFile(opened.photo, filename=f"{opened.card.app.id}.jpg"),
            caption=rr.photo_caption(opened.card.app),
        )
    shown = await _send_parts(message, rr.review_card_parts(opened.card))
    await notifier.record_card(opened.card.app.id, person_id, shown)


async def _send_parts(
    message: Message, parts: Sequence[tuple[str, InlineKeyboardMarkup | None]]
) -> Message:
    """Sends a text split within Telegram's limit; the last message (the one with the buttons)."""
    sent = None
    for text, markup in parts:
        sent = await message.answer(text, reply_markup=markup)
    assert sent is not None, "a rendered text has at least one part"
    return sent


async def on_pending(
    message: Message,
    clock: Clock,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Lists what waits for this reviewer, oldest first."""
    page = await review.pending(
        uows, person_id=person_id, admin_ids=admin_ids, page=0, now=clock.now()
    )
    text, markup = rr.pending_page(page)
    await message.answer(text, reply_markup=markup)


async def on_pending_open(
    query: CallbackQuery,
    clock: Clock,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Lists what waits for this reviewer below the notice that brought them."""
    page = await review.pending(
        uows, person_id=person_id, admin_ids=admin_ids, page=0, now=clock.now()
    )
    text, markup = rr.pending_page(page)
    await query.answer()
    await _message_of(query).answer(text, reply_markup=markup)


async def on_pending_page(
    query: CallbackQuery,
    callback_data: PendingPage,
    clock: Clock,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Turns a page of the pending list."""
    page = await review.pending(
        uows,
        person_id=person_id,
        admin_ids=admin_ids,
        page=callback_data.page,
        now=clock.now(),
    )
    text, markup = rr.pending_page(page)
    await query.answer()
    await _message_of(query).edit_text(text, reply_markup=markup)


async def on_applications(
    message: Message,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Counts by state and the first page of the district's (or all, or a unit reviewer's
    units') applications."""
    text, markup = await _app_list(uows, clock, person_id, AppList(), admin_ids)
    await message.answer(text, reply_markup=markup)


async def on_app_list(
    query: CallbackQuery,
    callback_data: AppList,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Turns a page of /applications, or picks a filter."""
    text, markup = await _app_list(uows, clock, person_id, callback_data, admin_ids)
    await query.answer()
    await _message_of(query).edit_text(text, reply_markup=markup)


async def _app_list(
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    current: AppList,
    admin_ids: tuple[int, ...],
) -> tuple[str, InlineKeyboardMarkup]:
    status = current.status if current.status in set(Status) - {Status.DRAFT} else ""
    groups = vocab.PROFESSIONAL_GROUPS
    group = groups[current.group] if 0 <= current.group < len(groups) else None
    current = current.model_copy(update={"status": status})
    listing = await review.list_applications(
        uows,
        person_id=person_id,
        admin_ids=admin_ids,
        what=ListFilter(status=status or None, unit_id=current.unit_id or None, group=group),
        page=current.page,
        with_units=current.show is not ListPick.PAGE,
        now=clock.now(),
    )
    if listing.units is not None:
        return rr.list_menu(current, listing.counts, listing.units)
    if listing.bureau:
        scope_name = t.ALL_SCOPE
    else:
        scope_name = "、".join(listing.unit_names if listing.units_only else listing.district_names)
    return rr.app_list(
        listing.page,
        listing.counts,
        current,
        scope_name=scope_name,
        unit_name=listing.unit_name,
        unit_filter=not listing.units_only,
    )


async def on_history(
    message: Message,
    command: CommandObject,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """`/history <application number>`: every transition with who, when and why."""
    app_id = parse_id(command.args)
    if app_id is None:
        await message.answer(t.HISTORY_USAGE)
        return
    app, events = await review.history(uows, app_id=app_id, actor_id=person_id, admin_ids=admin_ids)
    await _send_parts(message, [(part, None) for part in rr.history_parts(app, events)])


# roles and invites -----------------------------------------------------------------------------


async def on_roles(
    message: Message,
    uows: UnitOfWorkFactory,
    bot: Bot,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Shows the person's roles, refreshes their command menu, and offers 换绑账号 for the
    people whose accounts they may move."""
    menu = await roles.menu(uows, person_id, admin_ids)
    await message.answer(rr.roles_text(menu.grants))
    await refresh_menu(bot, message.chat.id, menu)
    people = await accounts.managed_people(uows, person_id=person_id, admin_ids=admin_ids)
    if people:
        await message.answer(at.MANAGED_HEADER, reply_markup=rr.managed_keyboard(people))


async def on_invite(
    message: Message,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Bureau admins pick a district to invite its reviewer, or invite a bureau reviewer;
    district reviewers pick a unit."""
    menu = await roles.invite_menu(uows, person_id=person_id, admin_ids=admin_ids)
    if menu.districts is not None:
        text, markup = rr.invite_district_page(menu.districts, 0)
        await message.answer(text, reply_markup=markup)
    for district, units in menu.units_by_district:
        text, markup = rr.invite_units(district, units)
        await message.answer(text, reply_markup=markup)


async def on_invite_district_page(
    query: CallbackQuery, callback_data: InviteDistrictPage, uows: UnitOfWorkFactory
) -> None:
    """Turns a page of the districts to invite for."""
    districts = await roles.all_districts(uows)
    text, markup = rr.invite_district_page(districts, callback_data.page)
    await query.answer()
    await _message_of(query).edit_text(text, reply_markup=markup)


async def on_invite_for(
    query: CallbackQuery,
    callback_data: InviteFor,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Makes the one-time link for the chosen district or unit (re-checking who may)."""
    if callback_data.role is RoleKind.DISTRICT:
        target = Grant(role=RoleKind.DISTRICT, district_id=callback_data.target_id)
    elif callback_data.role is RoleKind.BUREAU_REVIEWER:
        target = Grant(role=RoleKind.BUREAU_REVIEWER)
    elif callback_data.role is RoleKind.UNIT:
        target = Grant(role=RoleKind.UNIT, unit_id=callback_data.target_id)
    else:
        raise NotAllowed(t.NOT_ALLOWED_INVITE)
    invite = await roles.create_invite(
        uows,
        inviter_id=person_id,
        admin_ids=admin_ids,
        target=target,
        now=clock.now(),
    )
    await query.answer()
    await _send_invite(_message_of(query), bot, invite)


async def _send_invite(message: Message, bot: Bot, invite: roles.NewInvite) -> None:
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={invite.payload}"
    text, markup = rr.invite_link(invite, link)
    await message.answer(text, reply_markup=markup)


async def on_invite_new_unit(
    query: CallbackQuery,
    callback_data: InviteNewUnit,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Asks for the name of a unit the district reviewer registers."""
    district = await roles.check_new_unit(
        uows,
        person_id=person_id,
        admin_ids=admin_ids,
        district_id=callback_data.district_id,
    )
    await enter(state, ReviewInput.unit_name, {"district_id": district.id})
    await query.answer()
    await _message_of(query).answer(t.ASK_UNIT_NAME.format(district=district.name))


async def on_unit_name(message: Message, state: FSMContext) -> None:
    """Takes the new unit's name and asks for its kind."""
    if _is_cancel(message.text or ""):
        await state.clear()
        await message.answer(t.REASON_CANCELLED)
        return
    try:
        text = parse_unit_name(message.text or "")
    except ValueError as problem:
        await message.answer(str(problem))
        return
    await state.update_data(name=text)
    district_id = int((await state.get_data())["district_id"])
    reply, markup = rr.unit_kinds(district_id, text)
    await message.answer(reply, reply_markup=markup)


async def on_invite_unit_kind(
    query: CallbackQuery,
    callback_data: InviteUnitKind,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Registers the unit and makes the invite link for its reviewer."""
    data = await state.get_data()
    if (
        await state.get_state() != ReviewInput.unit_name.state
        or data.get("district_id") != callback_data.district_id
        or not data.get("name")
        or not 0 <= callback_data.kind < len(vocab.UNIT_KINDS)
    ):
        await query.answer(t.STALE_CARD)
        return
    added = await roles.add_unit_and_invite(
        uows,
        person_id=person_id,
        admin_ids=admin_ids,
        district_id=callback_data.district_id,
        name=data["name"],
        kind=vocab.UNIT_KINDS[callback_data.kind],
        now=clock.now(),
    )
    await state.clear()
    await query.answer()
    message = _message_of(query)
    await message.edit_reply_markup(reply_markup=None)
    unit = added.unit
    await message.answer(t.UNIT_ADDED.format(name=unit.name, kind=unit.kind, code=unit.code))
    await _send_invite(message, bot, added.invite)


async def on_invite_revoke(
    query: CallbackQuery,
    callback_data: InviteRevoke,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Revokes an unused invite (its creator or a bureau admin)."""
    await roles.revoke_invite(
        uows,
        callback_data.invite_id,
        by=person_id,
        admin_ids=admin_ids,
        now=clock.now(),
    )
    await query.answer()
    await _message_of(query).edit_text(t.INVITE_REVOKED_OK, reply_markup=None)


async def on_invite_start(
    message: Message,
    invite_token: str,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    notifier: TelegramNotifier,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Opens an invite link: grants its role once, tells the inviter, updates the command menu."""
    user = message.from_user
    assert user is not None
    accepted = await roles.accept_invite(
        uows,
        invite_token,
        person_id=person_id,
        full_name=user.full_name,
        admin_ids=admin_ids,
        now=clock.now(),
    )
    target = rr.role_line(accepted.grant)
    if accepted.already_held:
        await message.answer(t.INVITE_ALREADY_HELD.format(target=target))
    else:
        await message.answer(t.INVITE_ACCEPTED.format(target=target))
    await refresh_menu(bot, message.chat.id, accepted.menu)
    if accepted.inviter_id is not None:
        await notifier.tell(
            accepted.inviter_id,
            t.INVITER_TOLD.format(name=user.full_name, id=user.id, target=target),
        )
