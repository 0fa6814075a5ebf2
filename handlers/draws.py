"""/draw, /draws and the buttons of draws: a using unit asks for experts, draws them, records
their work; an expert answers an invitation and confirms the work.

What the unit has typed so far waits in the conversation state until it files
the request; each press and each answer is one use case of bot.services.draws,
and the notices it claimed are sent once its unit of work is closed.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from decimal import Decimal

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock, format_local, local
from bot.domain import draws as d
from bot.domain.errors import DomainError
from bot.domain.parsers import clean_text, parse_day
from bot.domain.reminders import Notice
from bot.domain.vocab import PROFESSIONAL_GROUPS
from bot.ratelimit import RateLimiter
from bot.services import draw_work as work
from bot.services import draws as svc
from bot.services.draw_ports import UsingUnitRow
from bot.services.reminders import deliver, new_holder
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import draws as t
from handlers import render
from handlers import render_draws as rd
from handlers.callbacks import DrawAct, DrawDo, DrawEdit, DrawStep, DrawUnchanged
from handlers.sending import TelegramSender

TEXT_MAX = 100
REASON_MAX = 500
AVOID_MAX = 20
AVOID_NONE_WORDS = frozenset({t.BUTTON_NONE, "没有", "无其他"})
"""Typed at the 回避 step, these act as its 无 button (and 完成 as 完成) rather than naming a unit."""


class DrawInput(StatesGroup):
    groups = State()
    days = State()
    place = State()
    project = State()
    kind = State()
    wanted = State()
    districts = State()
    avoid = State()
    confirm = State()
    cancel_reason = State()
    decline_reason = State()
    hours = State()
    rating = State()
    comment = State()
    fee = State()
    dispute = State()


FORM_STEPS = frozenset(
    s.state
    for s in (
        DrawInput.groups, DrawInput.days, DrawInput.place, DrawInput.project, DrawInput.kind,
        DrawInput.wanted, DrawInput.districts, DrawInput.avoid, DrawInput.confirm,
    )
)  # fmt: skip
"""The request form's steps, up to its confirmation card."""
BUTTON_STEPS = frozenset(
    s.state
    for s in (DrawInput.groups, DrawInput.kind, DrawInput.districts, DrawInput.confirm,
              DrawInput.rating)
)  # fmt: skip
"""Steps answered with the buttons of the message that asked."""
FORM_BUTTONS = frozenset(
    {DrawDo.GROUP, DrawDo.GROUPS_DONE, DrawDo.KIND, DrawDo.DISTRICT, DrawDo.DISTRICTS_DONE,
     DrawDo.AVOID_NONE, DrawDo.AVOID_DONE, DrawDo.AVOID_CLEAR, DrawDo.AVOID_EDIT, DrawDo.QUIT,
     DrawDo.FILE}
)  # fmt: skip
"""Buttons that act on the form being filled in: pressed on another form's message, they are
refused, since the state they would change is the newer form's."""
STEP_STATES = {
    DrawStep.GROUPS: DrawInput.groups,
    DrawStep.DAYS: DrawInput.days,
    DrawStep.PLACE: DrawInput.place,
    DrawStep.PROJECT: DrawInput.project,
    DrawStep.KIND: DrawInput.kind,
    DrawStep.WANTED: DrawInput.wanted,
    DrawStep.DISTRICTS: DrawInput.districts,
    DrawStep.AVOID: DrawInput.avoid,
}
"""The state each 修改 button of the confirmation card goes back to."""
UNCHANGED_STEPS = frozenset(
    STEP_STATES[s].state
    for s in (DrawStep.DAYS, DrawStep.PLACE, DrawStep.PROJECT, DrawStep.KIND, DrawStep.WANTED)
)
"""Steps asked again with a 不修改 button; typed as it reads, that label is taken as the button.
(专业组 and 区县 change as they are ticked, so 下一步 is their way back; 回避 has 完成.)"""


def build_router() -> Router:
    router = Router(name="draws")
    router.message.register(on_draw, Command("draw"))
    router.message.register(on_draws, Command("draws"))
    router.callback_query.register(on_act, DrawAct.filter())
    router.callback_query.register(on_edit, DrawEdit.filter())
    router.callback_query.register(on_unchanged, DrawUnchanged.filter())
    typed = F.text & ~F.text.startswith("/")
    router.message.register(on_typed, StateFilter(DrawInput), typed)
    router.message.register(on_not_text, StateFilter(DrawInput), ~F.text)
    router.message.register(on_typed_answer, StateFilter(None), _answer_word)
    return router


class Send:
    """Sends what a use case claimed, after its unit of work is closed."""

    def __init__(self, bot: Bot, uows: UnitOfWorkFactory, limiter: RateLimiter, clock: Clock) -> None:
        self.sender = TelegramSender(bot, limiter, clock, uows)
        self.uows = uows
        self.clock = clock
        self.holder = new_holder()

    async def __call__(self, claimed: list[Notice]) -> None:
        if claimed:
            await deliver(self.uows, self.sender, claimed, self.clock, holder=self.holder)


# commands -----------------------------------------------------------------------------------


async def on_draw(
    message: Message, state: FSMContext, uows: UnitOfWorkFactory, person_id: int,
    admin_ids: tuple[int, ...],
) -> None:  # fmt: skip
    """Starts a request: refused at once for anyone who is not a using unit."""
    await svc.form_unit(uows, person_id, admin_ids)
    await state.set_state(DrawInput.groups)
    await state.set_data({"groups": [], "form_messages": []})
    sent = await message.answer(t.ASK_GROUPS, reply_markup=rd.groups_keyboard(set()))
    await _form_message(state, sent)


async def on_draws(
    message: Message, uows: UnitOfWorkFactory, person_id: int, admin_ids: tuple[int, ...]
) -> None:
    found = await svc.requests_list(uows, person_id=person_id, admin_ids=admin_ids)
    text, markup = rd.request_list(found.rows, with_unit=found.several_units)
    await message.answer(text, reply_markup=markup)


async def _answer_word(message: Message) -> bool:
    """接受, 婉拒 and the like typed as text. A coroutine, not a magic filter: aiogram runs a
    plain callable filter in a worker thread, a trip for every text sent with no state."""
    return message.text is not None and message.text.strip() in t.ANSWER_WORDS


async def on_typed_answer(
    message: Message, uows: UnitOfWorkFactory, clock: Clock, person_id: int
) -> None:
    """接受 or 婉拒 typed by an expert with an invitation waiting: the buttons again, since text
    answers nothing; anyone else goes on to the other handlers."""
    waiting = await svc.waiting_invitations(uows, person_id=person_id, now=clock.now())
    if not waiting:
        raise SkipHandler
    for inv in waiting:
        assert inv.reply_by is not None
        text = t.ANSWER_WITH_BUTTONS.format(request_id=inv.request_id, reply_by=format_local(inv.reply_by))
        await message.answer(text, reply_markup=rd.invitation_keyboard(inv.id))


# typed answers ----------------------------------------------------------------------------------


def _short(text: str, limit: int) -> str:
    try:
        value = clean_text(text)
    except ValueError as bad:  # nothing left once invisible characters are taken out
        raise DomainError(str(bad)) from None
    if len(value) > limit:
        raise DomainError(t.TEXT_TOO_LONG.format(max=limit, length=len(value)))
    return value


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A photo, sticker or file at a step: the step says what it wants, a button or text."""
    current = await state.get_state()
    await message.answer(t.BUTTON_EXPECTED_NOT_SAVED if current in BUTTON_STEPS else t.TEXT_EXPECTED)


async def on_typed(
    message: Message, state: FSMContext, bot: Bot, uows: UnitOfWorkFactory, limiter: RateLimiter,
    clock: Clock, person_id: int, admin_ids: tuple[int, ...],
) -> None:  # fmt: skip
    """Every typed step; a wrong answer is refused and changes nothing."""
    text = message.text or ""
    current = await state.get_state()
    data = await state.get_data()
    send = Send(bot, uows, limiter, clock)
    today = local(clock.now()).date()
    editing = bool(data.get("editing"))
    if editing and current in UNCHANGED_STEPS and text.strip() == t.BUTTON_UNCHANGED:
        await _drop_form_keyboard(bot, message, data)  # typed as the button reads: taken as it
        await _confirm(message, state, today)
    elif editing and current in UNCHANGED_STEPS:
        await _edit_typed(message, state, bot, data, current, text, today)
    elif current == DrawInput.days.state:
        try:
            days = d.parse_days(text, today)
        except ValueError as bad:
            raise DomainError(str(bad)) from None
        await state.update_data(days=[x.isoformat() for x in days])
        await state.set_state(DrawInput.place)
        await message.answer(t.DAYS_SAVED.format(days=rd.days_text(days)) + "\n" + t.ASK_PLACE)
    elif current == DrawInput.place.state and (more := d.read_days(text, today)) is not None:
        # days sent one per message, as people do: the next one is a day, not the place
        try:
            days = d.check_days([*(parse_day(x) for x in data["days"]), *more], today)
        except ValueError as bad:
            raise DomainError(str(bad)) from None
        await state.update_data(days=[x.isoformat() for x in days])
        await message.answer(t.DAYS_ADDED.format(days=rd.days_text(days)) + "\n" + t.ASK_PLACE)
    elif current == DrawInput.place.state:
        await state.update_data(place=_short(text, TEXT_MAX))
        await state.set_state(DrawInput.project)
        await message.answer(t.ASK_PROJECT)
    elif current == DrawInput.project.state:
        await state.update_data(project=_short(text, TEXT_MAX))
        await state.set_state(DrawInput.kind)
        sent = await message.answer(t.ASK_KIND, reply_markup=rd.kinds_keyboard())
        await _form_message(state, sent)
    elif current == DrawInput.kind.state and (kind := rd.kind_labelled(text)) is not None:
        # a button's label typed as it reads: taken as the button, whose keyboard goes
        await _drop_form_keyboard(bot, message, data)
        await _kind_chosen(message, state, kind)
    elif current == DrawInput.wanted.state:
        try:
            wanted = d.parse_wanted(text)
        except ValueError as bad:
            raise DomainError(str(bad)) from None
        await state.update_data(wanted=wanted, districts=[])
        await state.set_state(DrawInput.districts)
        await _ask_districts(message, state, uows, set())
    elif current == DrawInput.avoid.state:
        typed = text.strip()
        if typed in AVOID_NONE_WORDS and (listed := data.get("avoid_shown")):
            await message.answer(t.AVOID_NONE_BUT_LISTED.format(count=len(listed)))
        elif typed in AVOID_NONE_WORDS or typed == t.BUTTON_AVOID_DONE:
            await _drop_form_keyboard(bot, message, data)
            await _confirm(message, state, today)
        else:
            await _add_avoid(message, state, bot, uows, text)
    elif current == DrawInput.confirm.state:
        await message.answer(t.CONFIRM_TEXT_NOT_SAVED)
    elif current in (DrawInput.groups.state, DrawInput.districts.state):
        if not await _picked_typed(message, state, bot, uows, current, text, person_id, admin_ids, today):
            await message.answer(t.BUTTON_EXPECTED)
    elif current == DrawInput.cancel_reason.state and text.strip() in t.KEEP_WORDS:
        await _drop_question_keyboard(bot, message, data)  # not a reason: the button, typed
        await state.clear()
        await message.answer(t.KEPT)
    elif current == DrawInput.cancel_reason.state:
        reason = _short(text, REASON_MAX)
        done = await svc.cancel_request(
            uows, person_id=person_id, request_id=data["request_id"], reason=reason,
            now=clock.now(), holder=send.holder, admin_ids=admin_ids,
        )  # fmt: skip
        await state.clear()
        await _show(message, done)
        await send(done.claimed)
    elif current == DrawInput.decline_reason.state and text.strip() in t.BACK_WORDS:
        # not a reason: the button, typed
        await _back_to_invitation(message, state, uows, clock, person_id, data["invitation_id"])
        await _drop_question_keyboard(bot, message, data)
    elif current == DrawInput.decline_reason.state:
        typed = text.strip()
        reason = None if typed in t.NO_REASON_WORDS else _short(text, REASON_MAX)
        await _decline(message, state, uows, send, clock, person_id, reason)
        await _drop_question_keyboard(bot, message, data)
    elif current == DrawInput.hours.state:
        try:
            hours = d.parse_amount(text, Decimal("0.5"), Decimal(240), 1)
        except ValueError:
            raise DomainError(t.BAD_HOURS) from None
        await state.update_data(hours=hours)
        await state.set_state(DrawInput.rating)
        await message.answer(t.ASK_RATING, reply_markup=rd.rating_keyboard())
    elif current == DrawInput.comment.state:
        await state.update_data(comment=_short(text, REASON_MAX))
        await state.set_state(DrawInput.fee)
        await message.answer(t.ASK_FEE)
    elif current == DrawInput.fee.state:
        try:
            fee = d.parse_amount(text, Decimal(0), Decimal(d.MAX_FEE_YUAN), 2)
        except ValueError:
            raise DomainError(t.BAD_FEE.format(max=d.MAX_FEE_YUAN)) from None
        done = await work.record_work(
            uows, person_id=person_id, invitation_id=data["invitation_id"],
            work=work.WorkForm(hours_tenths=data["hours"], rating=data["rating"],
                              comment=data.get("comment"), fee_fen=fee),
            now=clock.now(), holder=send.holder, admin_ids=admin_ids,
        )  # fmt: skip
        await state.clear()
        await _show(message, done)
        await send(done.claimed)
    elif current == DrawInput.dispute.state:
        done = await work.answer_work(
            uows, person_id=person_id, invitation_id=data["invitation_id"], confirm=False,
            note=_short(text, REASON_MAX), now=clock.now(), holder=send.holder,
        )  # fmt: skip
        await state.clear()
        await message.answer(done.text)
        await send(done.claimed)
    else:  # a step answered with buttons: say so rather than call the form expired
        await message.answer(t.BUTTON_EXPECTED)


async def _groups_done(
    message: Message, state: FSMContext, unit: UsingUnitRow | None, today: date
) -> None:
    """下一步 under the groups: on to the days, or back to the card when they were changed from it."""
    if unit is None:
        await _confirm(message, state, today)
        return
    await state.update_data(unit_name=unit.name)
    await state.set_state(DrawInput.days)
    await message.answer(t.ASK_DAYS.format(max_days=d.MAX_DAYS))


async def _districts_done(message: Message, state: FSMContext, today: date) -> None:
    """下一步 under the districts: on to 回避, or back to the card when they were changed from it."""
    if (await state.get_data()).get("editing"):
        await _confirm(message, state, today)
        return
    await state.set_state(DrawInput.avoid)
    await _form_message(state, await message.answer(t.ASK_AVOID, reply_markup=rd.none_keyboard()))


async def _picked_typed(
    message: Message, state: FSMContext, bot: Bot, uows: UnitOfWorkFactory, current: str,
    text: str, person_id: int, admin_ids: tuple[int, ...], today: date,
) -> bool:  # fmt: skip
    """Groups or districts typed by name, as their buttons read, or 下一步 typed: taken as the
    presses they name (names are ticked, none unticked); at the districts, 不限 or 无 typed is no
    preference (nothing ticked, then 下一步). False: the text names no button."""
    data = await state.get_data()
    groups = current == DrawInput.groups.state
    key = "groups" if groups else "districts"
    if text.strip() == t.BUTTON_NEXT:
        if groups and not data.get("groups"):
            raise DomainError(t.PICK_AT_LEAST_ONE)
        await _drop_form_keyboard(bot, message, data)
        if groups:
            unit = None if data.get("editing") else await svc.form_unit(uows, person_id, admin_ids)
            await _groups_done(message, state, unit, today)
        else:
            await _districts_done(message, state, today)
        return True
    if not groups and text.strip() in t.ANY_DISTRICT_WORDS:
        # no preference, as ticking none and pressing 下一步 is: whatever was ticked is unticked
        await state.update_data(districts=[], district_names=[])
        await _drop_form_keyboard(bot, message, data)
        await message.answer(t.ANY_DISTRICT_TAKEN)
        await _districts_done(message, state, today)
        return True
    districts = [] if groups else await svc.districts(uows)
    names = dict(enumerate(PROFESSIONAL_GROUPS)) if groups else {x.id: x.name for x in districts}
    named = d.read_names(text, {name: i for i, name in names.items()})
    if named is None:
        return False
    chosen = set(data.get(key, [])) | named
    await state.update_data({key: sorted(chosen)})
    if not groups:
        await state.update_data(district_names=[x.name for x in districts if x.id in chosen])
    await _drop_form_keyboard(bot, message, data)
    markup = rd.groups_keyboard(chosen) if groups else rd.districts_keyboard(districts, chosen)
    picked = "、".join(names[i] for i in sorted(chosen))
    await _form_message(state, await message.answer(t.PICKED.format(items=picked), reply_markup=markup))
    return True


async def _drop_question_keyboard(bot: Bot, message: Message, data: dict[str, object]) -> None:
    """Takes the buttons off the message that asked for a reason, once it is answered by text."""
    if isinstance(asked := data.get("asked"), int):
        with suppress(TelegramBadRequest):
            await bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=asked, reply_markup=None
            )


async def _back_to_invitation(
    message: Message, state: FSMContext, uows: UnitOfWorkFactory, clock: Clock, person_id: int,
    invitation_id: int, query: CallbackQuery | None = None,
) -> None:  # fmt: skip
    """返回 (pressed, or typed): leaves the reason step with the invitation as it was, its
    buttons again."""
    inv = await svc.open_invitation(
        uows, person_id=person_id, invitation_id=invitation_id, now=clock.now()
    )
    await state.clear()
    if query is not None:
        await query.answer()
        await message.edit_reply_markup(reply_markup=None)
    still = t.STILL_ACCEPTED if inv.status == "accepted" else t.STILL_INVITED
    await message.answer(still, reply_markup=rd.answer_keyboard(invitation_id, inv.status))


async def _drop_form_keyboard(bot: Bot, message: Message, data: dict[str, object]) -> None:
    """Takes the buttons off the form's latest message, once what they asked is answered by text."""
    if isinstance(form := data.get("form_messages"), list) and form:
        with suppress(TelegramBadRequest):
            await bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=form[-1], reply_markup=None
            )


async def _edit_typed(
    message: Message, state: FSMContext, bot: Bot, data: dict[str, object], current: str,
    text: str, today: date,
) -> None:  # fmt: skip
    """A step asked again from the confirmation card, answered by text: that answer replaces the
    one before (days included: they are typed whole again), then back to the card."""
    if current == DrawInput.kind.state:
        if (kind := rd.kind_labelled(text)) is None:
            raise DomainError(t.BUTTON_EXPECTED)
        await state.update_data(kind=kind.value)
    elif current == DrawInput.days.state:
        try:
            days = d.parse_days(text, today)
        except ValueError as bad:
            raise DomainError(str(bad)) from None
        await state.update_data(days=[x.isoformat() for x in days])
    elif current == DrawInput.wanted.state:
        try:
            await state.update_data(wanted=d.parse_wanted(text))
        except ValueError as bad:
            raise DomainError(str(bad)) from None
    else:
        key = "place" if current == DrawInput.place.state else "project"
        await state.update_data({key: _short(text, TEXT_MAX)})
    await _drop_form_keyboard(bot, message, data)
    await _confirm(message, state, today)


async def _kind_chosen(message: Message, state: FSMContext, kind: d.WorkKind) -> None:
    await state.update_data(kind=kind.value)
    await state.set_state(DrawInput.wanted)
    await message.answer(t.ASK_WANTED.format(max=d.MAX_EXPERTS))


async def _form_message(state: FSMContext, sent: Message) -> None:
    """Remembers a message whose buttons belong to the form being filled in now."""
    data = await state.get_data()
    await state.update_data(form_messages=[*data.get("form_messages", []), sent.message_id])


def _of_current_form(current: str | None, data: dict[str, object], message: Message) -> None:
    """Refuses a form button that is not on a message of the form being filled in now: a form
    left behind by a later /draw, or one already filed or given up. A form begun before forms
    remembered their messages has no list and is taken as it is."""
    known = data.get("form_messages")
    if current not in FORM_STEPS or (isinstance(known, list) and message.message_id not in known):
        raise DomainError(t.FORM_NOT_CURRENT)


def _avoid_lines(text: str) -> list[str]:
    """A message's 回避 lines, cleaned, blank lines and repeats left out."""
    lines = []
    for raw in text.splitlines():
        try:
            lines.append(clean_text(raw))
        except ValueError:
            continue  # a blank line between two names
    return list(dict.fromkeys(lines))


async def _add_avoid(
    message: Message, state: FSMContext, bot: Bot, uows: UnitOfWorkFactory, text: str
) -> None:
    """Adds a message's 回避 lines to those sent before and says what it added, with 完成 and
    清空重填 on that reply alone; a message that cannot be taken whole is refused whole, saying so."""
    data = await state.get_data()
    held = d.AvoidForm(
        *(tuple(data.get(k, [])) for k in ("avoid_shown", "avoid_keys", "avoid_units", "avoid_certificates"))
    )
    lines = _avoid_lines(text)
    if not lines:
        raise DomainError(t.TEXT_EXPECTED)
    for line in lines:
        if len(line) > TEXT_MAX:
            raise DomainError(t.AVOID_LINE_TOO_LONG.format(start=line[:10], max=TEXT_MAX))
    too_many = DomainError(t.TOO_MANY_AVOID.format(max=AVOID_MAX, have=len(held.shown)))
    if len(held.shown) + len(lines) > AVOID_MAX:
        raise too_many
    found = await svc.resolve_avoid(uows, lines)
    form, added, repeated = held.with_entries(found.entries)
    if len(form.shown) > AVOID_MAX:  # a name that is several experts' may pass the count above
        raise too_many
    listed = list(form.shown)
    await state.update_data(
        avoid_keys=list(form.keys),
        avoid_units=list(form.units),
        avoid_certificates=list(form.certificates),
        avoid_shown=listed,
    )
    reply = rd.avoid_reply(added=added, repeated=repeated, unknown=found.unknown, listed=listed)
    await _drop_form_keyboard(bot, message, data)  # the question's 无, or the reply before
    await _form_message(state, await message.answer(reply, reply_markup=rd.avoid_keyboard()))


def _not_mid_form(current: str | None) -> None:
    """A step of its own (a cancel reason, a work record) would leave the request form being
    filled in: refused, saying so, so that the form is not lost on the way."""
    if current in FORM_STEPS:
        raise DomainError(t.FINISH_FORM_FIRST)


async def _ask_districts(
    message: Message, state: FSMContext, uows: UnitOfWorkFactory, chosen: set[int]
) -> None:
    districts = await svc.districts(uows)
    keyboard = rd.districts_keyboard(districts, chosen)
    await _form_message(state, await message.answer(t.ASK_DISTRICTS, reply_markup=keyboard))


async def _confirm(message: Message, state: FSMContext, today: date) -> None:
    await state.update_data(editing=False)
    data = await state.get_data()
    await state.set_state(DrawInput.confirm)
    text = t.CONFIRM.format(
        unit=data.get("unit_name", ""),
        groups="、".join(PROFESSIONAL_GROUPS[i] for i in data["groups"]),
        days=rd.days_text(data["days"]),
        place=data["place"],
        project=data["project"],
        kind=t.WORK_KINDS[data["kind"]],
        wanted=data["wanted"],
        districts="、".join(data.get("district_names", [])) or t.ANY_DISTRICT,
        avoid="、".join(data.get("avoid_shown", [])) or t.NO_EXTRA_AVOID,
        reply_hours=d.reply_deadline_hours(parse_day(data["days"][0]), today),
    )
    await _form_message(state, await message.answer(text, reply_markup=rd.confirm_keyboard()))


async def _show(message: Message, done: svc.Outcome) -> None:
    if done.text:
        await message.answer(done.text)
    if done.view is not None:
        text, markup = rd.card(done.view)
        await message.answer(text, reply_markup=markup)


async def _decline(
    message: Message, state: FSMContext, uows: UnitOfWorkFactory, send: Send, clock: Clock,
    person_id: int, reason: str | None,
) -> None:  # fmt: skip
    data = await state.get_data()
    done = await svc.answer_invitation(
        uows, person_id=person_id, invitation_id=data["invitation_id"], accept=False,
        reason=reason, now=clock.now(), holder=send.holder,
    )  # fmt: skip
    await state.clear()
    await message.answer(done.text)
    await send(done.claimed)


# buttons --------------------------------------------------------------------------------------------


async def on_act(
    query: CallbackQuery, callback_data: DrawAct, state: FSMContext, bot: Bot,
    uows: UnitOfWorkFactory, limiter: RateLimiter, clock: Clock, person_id: int,
    admin_ids: tuple[int, ...],
) -> None:  # fmt: skip
    """Every draw button; the service re-checks who may press it and whether it still applies."""
    message = query.message
    if not isinstance(message, Message):
        raise DomainError(t.STALE)
    do, id_ = callback_data.do, callback_data.id
    current = await state.get_state()
    data = await state.get_data()
    send = Send(bot, uows, limiter, clock)

    def expect(step: State) -> None:
        if current != step.state:  # a second press, or a button of a step already answered
            raise DomainError(t.FORM_STEP_DONE if do in FORM_BUTTONS else t.STALE)

    if do in FORM_BUTTONS:
        _of_current_form(current, data, message)
    match do:
        case DrawDo.GROUP:
            expect(DrawInput.groups)
            if id_ >= len(PROFESSIONAL_GROUPS):
                raise DomainError(t.STALE)
            chosen = set(data.get("groups", [])) ^ {id_}
            await state.update_data(groups=sorted(chosen))
            await query.answer()
            await message.edit_reply_markup(reply_markup=rd.groups_keyboard(chosen))
        case DrawDo.GROUPS_DONE:
            expect(DrawInput.groups)
            if not data.get("groups"):
                await query.answer(t.PICK_AT_LEAST_ONE, show_alert=True)
                return
            unit = None if data.get("editing") else await svc.form_unit(uows, person_id, admin_ids)
            await query.answer()
            names = "、".join(PROFESSIONAL_GROUPS[i] for i in data["groups"])
            await message.edit_text(render.answered(message.text, names), reply_markup=None)
            await _groups_done(message, state, unit, local(clock.now()).date())
        case DrawDo.KIND:
            expect(DrawInput.kind)
            if id_ >= len(rd.WORK_KINDS):
                raise DomainError(t.STALE)
            await query.answer()
            kind = t.WORK_KINDS[rd.WORK_KINDS[id_].value]
            await message.edit_text(render.answered(message.text, kind), reply_markup=None)
            if data.get("editing"):
                await state.update_data(kind=rd.WORK_KINDS[id_].value)
                await _confirm(message, state, local(clock.now()).date())
            else:
                await _kind_chosen(message, state, rd.WORK_KINDS[id_])
        case DrawDo.DISTRICT:
            expect(DrawInput.districts)
            districts = await svc.districts(uows)
            if id_ not in {x.id for x in districts}:
                raise DomainError(t.STALE)
            chosen = set(data.get("districts", [])) ^ {id_}
            await state.update_data(
                districts=sorted(chosen),
                district_names=[x.name for x in districts if x.id in chosen],
            )
            await query.answer()
            await message.edit_reply_markup(reply_markup=rd.districts_keyboard(districts, chosen))
        case DrawDo.DISTRICTS_DONE:
            expect(DrawInput.districts)
            await query.answer()
            names = "、".join(data.get("district_names", [])) or t.ANY_DISTRICT
            await message.edit_text(render.answered(message.text, names), reply_markup=None)
            await _districts_done(message, state, local(clock.now()).date())
        case DrawDo.AVOID_NONE:
            expect(DrawInput.avoid)
            if listed := data.get("avoid_shown"):  # 无 on the question, after lines were sent
                await query.answer(t.AVOID_NONE_BUT_LISTED.format(count=len(listed)), show_alert=True)
                return
            await query.answer()
            await message.edit_text(render.answered(message.text, t.BUTTON_NONE), reply_markup=None)
            await _confirm(message, state, local(clock.now()).date())
        case DrawDo.AVOID_DONE:
            expect(DrawInput.avoid)
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await _confirm(message, state, local(clock.now()).date())
        case DrawDo.AVOID_CLEAR:
            expect(DrawInput.avoid)
            await state.update_data(
                avoid_keys=[], avoid_units=[], avoid_certificates=[], avoid_shown=[]
            )
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            sent = await message.answer(
                rd.avoid_reply(listed=[], cleared=True), reply_markup=rd.avoid_keyboard()
            )
            await _form_message(state, sent)
        case DrawDo.AVOID_EDIT:  # on confirmation cards sent before each step had its 修改
            expect(DrawInput.confirm)
            await query.answer()
            await _ask_again(message, state, uows, DrawStep.AVOID)
        case DrawDo.QUIT:
            await state.clear()
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(t.FORM_CANCELLED)
        case DrawDo.FILE:
            expect(DrawInput.confirm)
            form = svc.RequestForm(
                groups=tuple(PROFESSIONAL_GROUPS[i] for i in data["groups"]),
                days=tuple(parse_day(x) for x in data["days"]),
                place=data["place"],
                project=data["project"],
                work_kind=data["kind"],
                wanted=data["wanted"],
                preferred_districts=tuple(data.get("districts", [])),
                avoid_units=tuple(data.get("avoid_units", [])),
                avoid_certificates=tuple(data.get("avoid_certificates", [])),
            )
            view = await svc.file_request(
                uows, person_id=person_id, form=form, now=clock.now(), admin_ids=admin_ids
            )
            await state.clear()
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await _show(message, svc.Outcome(view=view, text=t.FILED.format(request_id=view.request.id)))
        case DrawDo.OPEN:
            view = await svc.request_view(
                uows, person_id=person_id, request_id=id_, now=clock.now(), admin_ids=admin_ids
            )
            await query.answer()
            await _show(message, svc.Outcome(view=view))
        case DrawDo.DRAW:
            done = await svc.draw(
                uows, person_id=person_id, request_id=id_, now=clock.now(), holder=send.holder,
                admin_ids=admin_ids,
            )  # fmt: skip
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await _show(message, done)
            await send(done.claimed)
        case DrawDo.CANCEL:
            _not_mid_form(current)
            await svc.check_cancellable(
                uows, person_id=person_id, request_id=id_, now=clock.now(), admin_ids=admin_ids
            )
            await state.set_state(DrawInput.cancel_reason)
            await query.answer()
            sent = await message.answer(
                t.ASK_CANCEL_REASON, reply_markup=rd.single_keyboard(t.BUTTON_KEEP_REQUEST, DrawDo.KEEP)
            )
            await state.update_data(request_id=id_, asked=sent.message_id)
        case DrawDo.KEEP:
            expect(DrawInput.cancel_reason)
            await state.clear()
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(t.KEPT)
        case DrawDo.ACCEPT:
            done = await svc.answer_invitation(
                uows, person_id=person_id, invitation_id=id_, accept=True, reason=None,
                now=clock.now(), holder=send.holder,
            )  # fmt: skip
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            cannot = rd.single_keyboard(t.BUTTON_CANNOT_COME, DrawDo.DECLINE, id_)
            await message.answer(done.text, reply_markup=cannot)
            await send(done.claimed)
        case DrawDo.DECLINE:
            inv = await svc.open_invitation(
                uows, person_id=person_id, invitation_id=id_, now=clock.now()
            )
            accepted = inv.status == "accepted"
            await state.set_state(DrawInput.decline_reason)
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            sent = await message.answer(
                t.ASK_WITHDRAW_REASON if accepted else t.ASK_DECLINE_REASON,
                reply_markup=rd.decline_keyboard(id_, accepted=accepted),
            )
            await state.update_data(invitation_id=id_, asked=sent.message_id)
        case DrawDo.BACK:
            expect(DrawInput.decline_reason)
            if data.get("invitation_id") != id_:
                raise DomainError(t.STALE)
            await _back_to_invitation(message, state, uows, clock, person_id, id_, query)
        case DrawDo.NO_REASON:
            expect(DrawInput.decline_reason)
            if data.get("invitation_id") != id_:
                raise DomainError(t.STALE)
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await _decline(message, state, uows, send, clock, person_id, None)
        case DrawDo.WORK:
            _not_mid_form(current)
            inv = await work.work_target(
                uows, person_id=person_id, invitation_id=id_, now=clock.now(), admin_ids=admin_ids
            )
            await state.set_state(DrawInput.hours)
            await state.set_data({"invitation_id": id_})
            await query.answer()
            await message.answer(t.ASK_HOURS.format(name=inv.name))
        case DrawDo.RATING:
            expect(DrawInput.rating)
            if not 1 <= id_ <= 5:
                raise DomainError(t.STALE)
            await state.update_data(rating=id_)
            await state.set_state(DrawInput.comment)
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(
                t.ASK_COMMENT, reply_markup=rd.single_keyboard(t.BUTTON_NONE, DrawDo.NO_COMMENT)
            )
        case DrawDo.NO_COMMENT:
            expect(DrawInput.comment)
            await state.update_data(comment=None)
            await state.set_state(DrawInput.fee)
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(t.ASK_FEE)
        case DrawDo.CONFIRM_WORK:
            done = await work.answer_work(
                uows, person_id=person_id, invitation_id=id_, confirm=True, note=None,
                now=clock.now(), holder=send.holder,
            )  # fmt: skip
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(done.text)
            await send(done.claimed)
        case DrawDo.DISPUTE_WORK:
            await work.work_of_expert(uows, person_id=person_id, invitation_id=id_)
            await state.set_state(DrawInput.dispute)
            await state.set_data({"invitation_id": id_})
            await query.answer()
            await message.answer(t.ASK_DISPUTE)


async def _ask_again(
    message: Message, state: FSMContext, uows: UnitOfWorkFactory, step: DrawStep
) -> None:
    """Leaves the confirmation card for one step, asked again with its answer so far; the card
    is no longer the form's (its buttons are refused from now on), a new one comes after."""
    data = await state.get_data()
    await state.set_state(STEP_STATES[step])
    await state.update_data(
        editing=True, form_messages=[x for x in data.get("form_messages", []) if x != message.message_id]
    )  # fmt: skip
    await message.edit_reply_markup(reply_markup=None)
    unchanged = rd.unchanged_keyboard(step)
    match step:
        case DrawStep.GROUPS:
            text, markup = t.ASK_GROUPS + "\n" + t.EDIT_TICKED, rd.groups_keyboard(set(data["groups"]))
        case DrawStep.DAYS:
            text = t.ASK_DAYS.format(max_days=d.MAX_DAYS) + "\n" + t.EDIT_DAYS.format(
                value=rd.days_text(data["days"])
            )
            markup = unchanged
        case DrawStep.PLACE:
            text, markup = t.ASK_PLACE + "\n" + t.EDIT_TYPED.format(value=data["place"]), unchanged
        case DrawStep.PROJECT:
            text, markup = t.ASK_PROJECT + "\n" + t.EDIT_TYPED.format(value=data["project"]), unchanged
        case DrawStep.KIND:
            text = t.ASK_KIND + "\n" + t.EDIT_PICK.format(value=t.WORK_KINDS[data["kind"]])
            markup = rd.kinds_keyboard(editing=True)
        case DrawStep.WANTED:
            text = t.ASK_WANTED.format(max=d.MAX_EXPERTS) + "\n" + t.EDIT_TYPED.format(value=data["wanted"])
            markup = unchanged
        case DrawStep.DISTRICTS:
            districts = await svc.districts(uows)
            text = t.ASK_DISTRICTS + "\n" + t.EDIT_TICKED
            markup = rd.districts_keyboard(districts, set(data.get("districts", [])))
        case DrawStep.AVOID:
            text = rd.avoid_reply(listed=data.get("avoid_shown", []))
            markup = rd.avoid_keyboard()
    await _form_message(state, await message.answer(text, reply_markup=markup))


async def on_edit(
    query: CallbackQuery, callback_data: DrawEdit, state: FSMContext, uows: UnitOfWorkFactory
) -> None:
    """修改… on the confirmation card: that step again, the other answers kept."""
    message = query.message
    if not isinstance(message, Message):
        raise DomainError(t.STALE)
    current = await state.get_state()
    _of_current_form(current, await state.get_data(), message)
    if current != DrawInput.confirm.state:  # a second press: the step is being changed already
        raise DomainError(t.FORM_STEP_DONE)
    await query.answer()
    await _ask_again(message, state, uows, callback_data.step)


async def on_unchanged(
    query: CallbackQuery, callback_data: DrawUnchanged, state: FSMContext, clock: Clock
) -> None:
    """不修改: back to the confirmation card with the step's answer as it was."""
    message = query.message
    if not isinstance(message, Message):
        raise DomainError(t.STALE)
    current = await state.get_state()
    data = await state.get_data()
    _of_current_form(current, data, message)
    if current != STEP_STATES[callback_data.step].state or not data.get("editing"):
        raise DomainError(t.FORM_STEP_DONE)
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    await _confirm(message, state, local(clock.now()).date())
