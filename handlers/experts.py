"""/expert: one expert's card for the bureau (evaluate, renew or not, dismiss, confirm a
withdrawal), and the expert's own 申请退出 from /me. Each press is one use case of
bot.services.experts, re-checked on the server."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from datetime import date, datetime, timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.clock import Clock, local
from bot.config import Settings
from bot.domain.errors import AlreadyHandled, DomainError, NotAllowed
from bot.domain.idcard import mask_phone
from bot.domain.parsers import clean_text, parse_day, parse_day_said
from bot.domain.registry import SERVING, ExpertAction, Rating, Standing, passed, term_end
from bot.services import experts as svc
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import registry as t
from handlers import registry_files as files
from handlers import render_draws as rd
from handlers.callbacks import ExpertAct, ExpertDo
from handlers.exports import deliver

RATINGS = tuple(Rating)


class ExpertInput(StatesGroup):
    reason = State()
    confirm = State()
    """解聘, 不予续聘 or 确认退出 shown with what it will do, waiting for 确认 or 取消."""
    renewal_start = State()
    withdrawal_reason = State()
    contact = State()
    term_health = State()
    term_work = State()
    year_notes = State()


CONTACT_FIELDS = tuple(t.CONTACT_FIELDS)


def build_router() -> Router:
    router = Router(name="experts")
    router.message.register(on_expert, Command("expert"))
    router.callback_query.register(on_act, ExpertAct.filter())
    typed = F.text & ~F.text.startswith("/")
    router.message.register(on_typed, StateFilter(ExpertInput), typed)
    return router


def _button(text: str, do: ExpertDo, id_: int = 0, pick: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=ExpertAct(do=do, id=id_, pick=pick).pack()
    )


def card_text(card: svc.ExpertCard) -> str:
    r = card.row
    terms = "\n".join(
        t.EXPERT_TERM.format(
            certificate_no=term.certificate_no,
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            ended=t.EXPERT_TERM_ENDED.format(ended_on=term.ended_on)
            if term.ended_on and term.ended_on < term.ends_on
            else "",
        )
        for term in card.terms
    )
    evaluations = "；".join(
        t.EVALUATION.format(year=e.year, kind=t.EVALUATION_KIND[e.kind], rating=e.rating)
        + (t.EVALUATION_NOTES.format(notes=_short(e.notes)) if e.notes else "")
        for e in card.evaluations
    )
    text = t.EXPERT_CARD.format(
        id=card.expert.id,
        name=r.name,
        gender=r.gender,
        group=r.group,
        district=r.district,
        unit=r.unit,
        position=r.position,
        title=r.title,
        standing=t.STANDING.get(r.standing, r.standing),
        flag=t.EXPERT_FLAG if card.flagged else "",
        terms=terms,
        evaluations=evaluations or t.NO_EVALUATIONS,
    )
    if card.work:
        text += "\n" + "\n".join(work_line(card, year).strip() for year, _ in card.work)
    if card.contact_changes:
        lines = "\n".join(
            t.EXPERT_CONTACT_LINE.format(
                at=local(c.at).date(),
                label=t.CONTACT_FIELDS.get(c.field, c.field),
                old=_shown(c.field, c.old),
                new=_shown(c.field, c.new),
            )
            for c in card.contact_changes
        )
        text += t.EXPERT_CONTACTS.format(lines=lines)
    if card.expert.withdrawal_reason:
        text += t.EXPERT_WITHDRAWAL.format(reason=card.expert.withdrawal_reason)
    if card.expert.not_renewed_on and Standing(r.standing) in SERVING:
        text += t.EXPERT_NOT_RENEWED.format(
            decided_on=card.expert.not_renewed_on, ends_on=card.terms[-1].ends_on
        )
    return text


def work_line(card: svc.ExpertCard, year: int) -> str:
    """The drawn work using units recorded for the year, as the yearly evaluation weighs it."""
    work = dict(card.work).get(year)
    return "" if work is None else "\n" + rd.work_summary(year, work)


NOTES_SHOWN = 40
"""Characters of an evaluation's notes on the card, so that years of them fit one message."""


def _short(notes: str) -> str:
    return notes if len(notes) <= NOTES_SHOWN else notes[: NOTES_SHOWN - 1] + "…"


def _shown(field: str, value: str | None) -> str:
    """Phones masked on the card, as everywhere in chat; the export has them whole."""
    if not value:
        return "—"
    return mask_phone(value) if field == "mobile" else value


def card_keyboard(card: svc.ExpertCard, today: date) -> InlineKeyboardMarkup | None:
    """The card's buttons, none once the expert is out of service; 年度评价 until this year's is
    recorded; 期满考核, 续聘 and 不予续聘 only within 90 days of the term's end (or after it),
    and 续聘 not after a failed 期满考核 (without one, its press and 不予续聘's say to do it)."""
    if Standing(card.row.standing) not in SERVING:
        return None
    id_ = card.expert.id
    decisions = []
    if card.decision_refusal(today) is None:
        review = card.term_review()
        if review is None or passed(Rating(review.rating)):
            decisions.append(_button(t.BUTTON_RENEW, ExpertDo.RENEW, id_))
        decisions.append(_button(t.BUTTON_NOT_RENEW, ExpertDo.NOT_RENEW, id_))
    evaluate = []
    if not card.evaluated(today.year):
        evaluate.append(_button(t.BUTTON_EVALUATE.format(year=today.year), ExpertDo.EVALUATE, id_))
    if card.term_review_refusal(today) is None and not card.evaluated(today.year, "term"):
        evaluate.append(_button(t.BUTTON_TERM_EVALUATE, ExpertDo.TERM_EVALUATE, id_))
    rows = [evaluate] if evaluate else []
    rows.append([*decisions, _button(t.BUTTON_DISMISS, ExpertDo.DISMISS, id_)])
    if card.expert.withdrawal_reason:
        rows.append([_button(t.BUTTON_CONFIRM_WITHDRAWAL, ExpertDo.CONFIRM_WITHDRAWAL, id_)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def on_expert(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """`/expert CQGSYF-2022-0001` or `/expert #3`: the card and what can be done."""
    if not command.args:
        await message.answer(t.EXPERT_USAGE)
        return
    card = await svc.find_expert(uows, key=command.args, by=person_id, admin_ids=admin_ids)
    await state.clear()
    await message.answer(card_text(card), reply_markup=card_keyboard(card, local(clock.now()).date()))


async def on_act(
    query: CallbackQuery,
    callback_data: ExpertAct,
    state: FSMContext,
    bot: Bot,
    uows: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    do, id_ = callback_data.do, callback_data.id
    message = query.message
    if not isinstance(message, Message):  # too old for Telegram to hand back
        own = do in (ExpertDo.WITHDRAW, ExpertDo.CONTACT)
        raise DomainError(t.STALE_ME if own else t.STALE_CARD.format(key=f"#{id_}"))
    who = {"by": person_id, "admin_ids": admin_ids}
    year = local(clock.now()).year
    if do is ExpertDo.WITHDRAW:
        await svc.check_own(uows, person_id=person_id, withdrawing=True)
        await state.set_state(ExpertInput.withdrawal_reason)
        await query.answer()
        await message.answer(t.ASK_WITHDRAWAL_REASON)
        return
    if do is ExpertDo.CONTACT:
        if not 0 <= callback_data.pick < len(CONTACT_FIELDS):
            raise DomainError(t.STALE_ME)
        field = CONTACT_FIELDS[callback_data.pick]
        await svc.check_own(uows, person_id=person_id)
        await state.set_state(ExpertInput.contact)
        await state.update_data(field=field)
        await query.answer()
        await message.answer(t.ASK_CONTACT.format(label=t.CONTACT_FIELDS[field]))
        return
    card = await svc.find_expert(uows, key=f"#{id_}", **who)
    name = card.row.name
    stale = DomainError(t.STALE_CARD.format(key=card.row.certificate_no))
    today = local(clock.now()).date()
    if do is ExpertDo.CANCEL_END:  # changes nothing, whatever the expert's standing is now
        if await _pending(state, id_, message) is not None or await _renewal_pending(
            state, id_, message
        ):
            await state.clear()
        await query.answer()
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(t.END_CANCELLED.format(name=name))
        return
    if why := card.standing_refusal():  # a card, or a step of one, shown before they left
        raise NotAllowed(why)
    match do:
        case ExpertDo.EVALUATE:
            if card.evaluated(year):
                raise AlreadyHandled(t.EVALUATED.format(year=year))
            rows = [
                [_button(t.BUTTON_RATING.format(year=year, rating=r.value), ExpertDo.RATE, id_, i)]
                for i, r in enumerate(RATINGS)
            ]
            await query.answer()
            await message.answer(
                t.PICK_RATING.format(name=name, year=year) + work_line(card, year),
                reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
            )
        case ExpertDo.RATE:
            if not 0 <= callback_data.pick < len(RATINGS):
                raise stale
            if card.evaluated(year):
                raise AlreadyHandled(t.EVALUATED.format(year=year))
            rating = RATINGS[callback_data.pick]
            await state.set_state(ExpertInput.year_notes)
            await state.update_data(expert_id=id_, year=year, rating=callback_data.pick)
            skip = _button(t.BUTTON_SKIP_NOTES, ExpertDo.SKIP_NOTES, id_)
            await query.answer()
            await message.edit_text(
                t.ASK_EVALUATION_NOTES.format(name=name, year=year, rating=rating.value),
                reply_markup=InlineKeyboardMarkup(inline_keyboard=[[skip]]),
            )
        case ExpertDo.SKIP_NOTES:
            data = await state.get_data()
            if await state.get_state() != ExpertInput.year_notes.state or data.get("expert_id") != id_:
                raise stale
            text = await _evaluate(uows, data, notes="", now=clock.now(), who=who)
            await state.clear()
            await query.answer()
            await message.edit_text(text)
        case ExpertDo.TERM_EVALUATE:
            if why := card.term_review_refusal(today):
                raise NotAllowed(why)
            if card.evaluated(year, "term"):
                raise AlreadyHandled(t.EVALUATED.format(year=year))
            await state.set_state(ExpertInput.term_health)
            await state.update_data(expert_id=id_)
            await query.answer()
            await message.answer(t.ASK_TERM_HEALTH.format(name=name))
        case ExpertDo.TERM_RATE:
            data = await state.get_data()
            if (
                await state.get_state() != ExpertInput.term_work.state
                or data.get("expert_id") != id_
                or "work" not in data
                or not 0 <= callback_data.pick < len(RATINGS)
            ):
                raise stale
            rating = RATINGS[callback_data.pick]
            await svc.record_evaluation(
                uows,
                expert_id=id_,
                year=year,
                rating=rating,
                notes=data["work"],
                term=True,
                health=data["health"],
                now=clock.now(),
                **who,
            )
            await state.clear()
            await query.answer()
            await message.edit_text(
                t.TERM_EVALUATION_DONE.format(name=name, rating=rating.value, health=data["health"])
            )
        case ExpertDo.RENEW:
            if why := card.renewal_refusal(local(clock.now()).date()):
                raise NotAllowed(why)
            await state.set_state(ExpertInput.renewal_start)
            await state.set_data({"expert_id": id_, "card_message": message.message_id})
            await query.answer()
            ends_on = card.terms[-1].ends_on  # the new term starts after it (renewal_start_refusal)
            await message.answer(
                t.ASK_RENEWAL_START.format(
                    name=name, ends_on=ends_on, first=ends_on + timedelta(days=1)
                )
            )
        case ExpertDo.CONFIRM_RENEWAL:
            data = await state.get_data()
            if not await _renewal_pending(state, id_, message):
                raise stale  # only the latest confirmation, for the expert and the day it shows
            renewed = await svc.renew(
                uows, expert_id=id_, term_start=parse_day(data["start"]), now=clock.now(), **who
            )
            await state.clear()
            await query.answer()
            await message.edit_text(
                t.RENEWAL_DONE.format(
                    name=name,
                    certificate_no=renewed.certificate_no,
                    start=renewed.starts_on,
                    end=renewed.ends_on,
                )
            )
            await _refresh_card(bot, message.chat.id, data.get("card_message"), renewed.card, today)
        case ExpertDo.NOT_RENEW | ExpertDo.DISMISS:
            action = ExpertAction.NOT_RENEW if do is ExpertDo.NOT_RENEW else ExpertAction.DISMISS
            if why := card.end_refusal(action, today):
                raise NotAllowed(why)
            await state.set_state(ExpertInput.reason)
            await state.update_data(
                expert_id=id_, action=action.value, card_message=message.message_id
            )
            await query.answer()
            await message.answer(
                t.ASK_END_REASON.format(decision=t.LETTER_DECISION[action.value], name=name)
            )
        case ExpertDo.CONFIRM_WITHDRAWAL:
            if why := card.withdrawal_refusal():
                raise NotAllowed(why)
            await query.answer()
            await _ask_confirmation(
                message, state, card, ExpertAction.WITHDRAW,
                reason=card.expert.withdrawal_reason or "", effective_on=today, today=today,
                card_message=message.message_id,
            )  # fmt: skip
        case ExpertDo.CONFIRM_END:
            pending = await _pending(state, id_, message)
            if pending is None:
                raise NotAllowed(t.CONFIRM_STALE.format(certificate_no=card.row.certificate_no))
            action = pending["action"]
            ended = None
            if action == ExpertAction.WITHDRAW.value:
                after = await svc.confirm_withdrawal(uows, expert_id=id_, now=clock.now(), **who)
                done = t.WITHDRAWAL_DONE.format(name=name)
            else:
                end = svc.not_renew if action == ExpertAction.NOT_RENEW.value else svc.dismiss
                ended = await end(
                    uows, expert_id=id_, reason=pending["reason"], now=clock.now(), **who
                )
                after = ended.card
                if ended.action is ExpertAction.NOT_RENEW and ended.effective_on >= today:
                    done = t.NOT_RENEW_DONE.format(name=name, effective_on=ended.effective_on)
                else:
                    done = t.END_DONE.format(decision=t.LETTER_DECISION[action], name=name)
            await state.clear()
            await query.answer()
            await message.edit_reply_markup(reply_markup=None)
            await _refresh_card(bot, message.chat.id, pending.get("card_message"), after, today)
            await message.answer(done)
            if ended is not None:
                decision = t.LETTER_DECISION[action]
                file_name, content = await asyncio.to_thread(files.letter_file, ended)
                await deliver(
                    bot, message.chat.id, person_id, file_name, content,
                    t.CAPTION_LETTER.format(decision=decision),
                    settings=settings, clock=clock, uows=uows,
                )  # fmt: skip


async def _ask_confirmation(
    message: Message,
    state: FSMContext,
    card: svc.ExpertCard,
    action: ExpertAction,
    *,
    reason: str,
    effective_on: date,
    today: date,
    card_message: int | None,
) -> None:
    """What 解聘, 不予续聘 (in service to the term's last day, or at once when that has passed)
    or 确认退出 will do (nothing ends early once the term has run out), with 确认 and 取消. Only the latest such message's 确认 carries it out:
    another step, /expert or /cancel makes it stale."""
    id_ = card.expert.id
    buttons = [
        _button(t.BUTTON_CONFIRM_END[action.value], ExpertDo.CONFIRM_END, id_),
        _button(t.BUTTON_CANCEL_END, ExpertDo.CANCEL_END, id_),
    ]
    ends_on = card.running(today).ends_on
    sent = await message.answer(
        t.CONFIRM_END[f"{action.value}_over" if ends_on < today else action.value].format(
            name=card.row.name, certificate_no=card.row.certificate_no, reason=reason,
            effective_on=effective_on, ends_on=ends_on,
        ),  # fmt: skip
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[buttons]),
    )
    await state.set_state(ExpertInput.confirm)
    await state.update_data(
        expert_id=id_, action=action.value, reason=reason, confirm_message=sent.message_id,
        card_message=card_message,
    )  # fmt: skip


async def _pending(state: FSMContext, expert_id: int, message: Message) -> dict[str, Any] | None:
    """The decision this confirmation message shows, if it is still the one waiting."""
    data = await state.get_data()
    if (
        await state.get_state() == ExpertInput.confirm.state
        and data.get("expert_id") == expert_id
        and data.get("confirm_message") == message.message_id
    ):
        return data
    return None


async def _renewal_pending(state: FSMContext, expert_id: int, message: Message) -> bool:
    """Whether this 确认续聘 message is the latest, for this expert, still waiting."""
    data = await state.get_data()
    return (
        await state.get_state() == ExpertInput.renewal_start.state
        and data.get("expert_id") == expert_id
        and data.get("confirm_message") == message.message_id
    )


async def _refresh_card(
    bot: Bot, chat_id: int, message_id: int | None, card: svc.ExpertCard, today: date
) -> None:
    """The card a decision started from shows the expert as the decision left them: the new
    standing and, after 续聘, the new term; no buttons once they have left service."""
    if message_id is None:
        return
    with suppress(TelegramBadRequest):  # too old to edit, or deleted: its presses are refused
        await bot.edit_message_text(
            chat_id=chat_id, message_id=message_id, text=card_text(card),
            reply_markup=card_keyboard(card, today),
        )  # fmt: skip


async def _evaluate(
    uows: UnitOfWorkFactory, data: dict[str, Any], *, notes: str, now: datetime, who: dict[str, Any]
) -> str:
    """Records the yearly evaluation chosen (in `data`) with its notes; what to tell the admin."""
    rating = RATINGS[data["rating"]]
    card = await svc.record_evaluation(
        uows, expert_id=data["expert_id"], year=data["year"], rating=rating, notes=notes,
        now=now, **who,
    )  # fmt: skip
    done = t.EVALUATION_DONE.format(name=card.row.name, year=data["year"], rating=rating.value)
    if notes:
        done += t.EVALUATION_NOTES.format(notes=notes)
    return done + (f"\n{t.EXPERT_FLAG}" if card.flagged else "")


async def on_typed(
    message: Message,
    state: FSMContext,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """A reason (then the confirmation), a renewal's first day, or the expert's own reason for
    leaving."""
    text = message.text or ""
    data = await state.get_data()
    who = {"by": person_id, "admin_ids": admin_ids}
    try:
        match await state.get_state():
            case ExpertInput.withdrawal_reason.state:
                await svc.ask_withdrawal(
                    uows,
                    person_id=person_id,
                    reason=clean_text(text),
                    admin_ids=admin_ids,
                    now=clock.now(),
                )
                await state.clear()
                await message.answer(t.WITHDRAWAL_ASKED_OWN)
            case ExpertInput.contact.state:
                field = data["field"]
                value = await svc.change_contact(
                    uows, person_id=person_id, field=field, text=text, now=clock.now()
                )
                await state.clear()
                shown = mask_phone(value) if field == "mobile" else value
                await message.answer(
                    t.CONTACT_DONE.format(label=t.CONTACT_FIELDS[field], value=shown)
                )
            case ExpertInput.year_notes.state:
                notes = clean_text(text)[: svc.REASON_MAX]
                answer = await _evaluate(uows, data, notes=notes, now=clock.now(), who=who)
                await state.clear()
                await message.answer(answer)
            case ExpertInput.term_health.state:
                await state.update_data(health=clean_text(text)[:20])
                await state.set_state(ExpertInput.term_work)
                await message.answer(t.ASK_TERM_WORK)
            case ExpertInput.term_work.state:
                expert_id = data["expert_id"]
                await state.update_data(work=clean_text(text)[: svc.REASON_MAX])
                card = await svc.find_expert(uows, key=f"#{expert_id}", **who)
                rows = [
                    [_button(r.value, ExpertDo.TERM_RATE, expert_id, i)]
                    for i, r in enumerate(RATINGS)
                ]
                await message.answer(
                    t.PICK_TERM_RATING.format(name=card.row.name),
                    reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
                )
            case ExpertInput.renewal_start.state:
                start = parse_day_said(text, local(clock.now()).date())
                card = await svc.find_expert(uows, key=f"#{data['expert_id']}", **who)
                if why := card.renewal_start_refusal(start):
                    raise NotAllowed(why)
                expert_id = data["expert_id"]
                confirm = InlineKeyboardMarkup(
                    inline_keyboard=[
                        [
                            _button(t.BUTTON_CONFIRM_RENEWAL, ExpertDo.CONFIRM_RENEWAL, expert_id),
                            _button(t.BUTTON_CANCEL_END, ExpertDo.CANCEL_END, expert_id),
                        ]
                    ]
                )
                sent = await message.answer(
                    t.CONFIRM_RENEWAL.format(name=card.row.name, start=start, end=term_end(start)),
                    reply_markup=confirm,
                )
                await state.update_data(start=start.isoformat(), confirm_message=sent.message_id)
            case ExpertInput.reason.state:
                reason = svc.check_reason(clean_text(text))
                card = await svc.find_expert(uows, key=f"#{data['expert_id']}", **who)
                action = ExpertAction(data["action"])
                today = local(clock.now()).date()
                if why := card.end_refusal(action, today):
                    raise NotAllowed(why)
                await _ask_confirmation(
                    message, state, card, action, reason=reason,
                    effective_on=card.effective_on(action, today), today=today,
                    card_message=data.get("card_message"),
                )  # fmt: skip
            case ExpertInput.confirm.state:
                button = t.BUTTON_CONFIRM_END[data["action"]]
                await message.answer(t.CONFIRM_PRESS.format(button=button))
    except ValueError as wrong:
        await message.answer(str(wrong))
