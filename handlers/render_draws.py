"""Text and keyboards of the draw screens: the request form's steps, its card, /draws."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.clock import format_local, local
from bot.domain import draws as d
from bot.domain.vocab import PROFESSIONAL_GROUPS
from bot.services.draw_notices import shortfall_text
from bot.services.draw_ports import RequestListRow, WorkSummary
from bot.services.draw_work import format_fee, format_hours
from bot.services.draws import RequestView
from bot.services.ports import DistrictRow
from bot.services.registry import HeldInvitation
from bot.texts import draws as t
from handlers.callbacks import DrawAct, DrawDo, DrawEdit, DrawStep, DrawUnchanged
from handlers.render import grid

WORK_KINDS = tuple(d.WorkKind)
EDIT_LABELS = {
    DrawStep.GROUPS: t.BUTTON_EDIT_GROUPS,
    DrawStep.DAYS: t.BUTTON_EDIT_DAYS,
    DrawStep.PLACE: t.BUTTON_EDIT_PLACE,
    DrawStep.PROJECT: t.BUTTON_EDIT_PROJECT,
    DrawStep.KIND: t.BUTTON_EDIT_KIND,
    DrawStep.WANTED: t.BUTTON_EDIT_WANTED,
    DrawStep.DISTRICTS: t.BUTTON_EDIT_DISTRICTS,
    DrawStep.AVOID: t.BUTTON_AVOID_EDIT,
}
"""The confirmation card's 修改 buttons, in the order of the steps."""


def _button(text: str, do: DrawDo, id_: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=DrawAct(do=do, id=id_).pack())


def _mark(chosen: bool, label: str) -> str:
    return f"✅ {label}" if chosen else label


def groups_keyboard(chosen: set[int]) -> InlineKeyboardMarkup:
    buttons = [
        _button(_mark(i in chosen, g), DrawDo.GROUP, i) for i, g in enumerate(PROFESSIONAL_GROUPS)
    ]
    rows = grid(buttons, 2)
    rows.append([_button(t.BUTTON_NEXT, DrawDo.GROUPS_DONE), _button(t.BUTTON_CANCEL_FORM, DrawDo.QUIT)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def kinds_keyboard(*, editing: bool = False) -> InlineKeyboardMarkup:
    buttons = [_button(t.WORK_KINDS[k.value], DrawDo.KIND, i) for i, k in enumerate(WORK_KINDS)]
    rows = grid(buttons, 3)
    if editing:
        rows.append([_unchanged_button(DrawStep.KIND)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _unchanged_button(step: DrawStep) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t.BUTTON_UNCHANGED, callback_data=DrawUnchanged(step=step).pack())


def unchanged_keyboard(step: DrawStep) -> InlineKeyboardMarkup:
    """不修改, under a step asked again from the confirmation card."""
    return InlineKeyboardMarkup(inline_keyboard=[[_unchanged_button(step)]])


def kind_labelled(text: str) -> d.WorkKind | None:
    """The work type whose button reads exactly `text` (spaces around it aside), if any."""
    typed = text.strip()
    return next((k for k in WORK_KINDS if t.WORK_KINDS[k.value] == typed), None)


def districts_keyboard(districts: Sequence[DistrictRow], chosen: set[int]) -> InlineKeyboardMarkup:
    buttons = [_button(_mark(x.id in chosen, x.name), DrawDo.DISTRICT, x.id) for x in districts]
    rows = grid(buttons, 3)
    rows.append([_button(t.BUTTON_NEXT, DrawDo.DISTRICTS_DONE)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def none_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_button(t.BUTTON_NONE, DrawDo.AVOID_NONE)]])


def avoid_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t.BUTTON_AVOID_DONE, DrawDo.AVOID_DONE), _button(t.BUTTON_AVOID_CLEAR, DrawDo.AVOID_CLEAR)]
        ]
    )


def avoid_reply(
    *, added: Sequence[str] = (), repeated: Sequence[str] = (), unknown: Sequence[str] = (),
    listed: Sequence[str], cleared: bool = False,
) -> str:  # fmt: skip
    """What the 回避 step says after a message or a press: what was added, what was already there,
    what could not be read, the whole list, and how to go on."""
    lines = [t.AVOID_CLEARED] if cleared else []
    if added:
        lines.append(t.AVOID_ADDED.format(items="、".join(added)))
    if repeated:
        lines.append(t.AVOID_REPEATED.format(items="、".join(repeated)))
    if unknown:
        lines.append(t.AVOID_NOT_FOUND.format(numbers="、".join(unknown)))
    lines.append(t.AVOID_SO_FAR.format(items="、".join(listed)) if listed else t.AVOID_ONLY_OWN)
    lines.append(t.AVOID_MORE)
    return "\n".join(lines)


def confirm_keyboard() -> InlineKeyboardMarkup:
    """提交申请, a 修改 button for each step (the others kept, back to this card after), 放弃."""
    edits = [
        InlineKeyboardButton(text=label, callback_data=DrawEdit(step=step).pack())
        for step, label in EDIT_LABELS.items()
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t.BUTTON_FILE, DrawDo.FILE)],
            *grid(edits, 3),
            [_button(t.BUTTON_CANCEL_FORM, DrawDo.QUIT)],
        ]
    )


def days_text(days: Sequence[date | str]) -> str:
    """Days as people plan them: 2026-12-07 周一、2026-12-08 周二."""
    return d.days_text(days)


def avoid_text(units: Sequence[str], certificates: Sequence[str]) -> str:
    named = [*units, *certificates]
    return "、".join(named) if named else t.NO_EXTRA_AVOID


def card(view: RequestView) -> tuple[str, InlineKeyboardMarkup | None]:
    r = view.request
    lines = [
        t.CARD.format(
            request_id=r.id,
            status=t.REQUEST_STATUS[r.status],
            unit=view.unit.name,
            project=r.project,
            kind=t.WORK_KINDS.get(r.work_kind, r.work_kind),
            days=days_text(r.days),
            place=r.place,
            groups="、".join(r.groups),
            wanted=r.wanted,
            districts="、".join(view.district_names) or t.ANY_DISTRICT,
            avoid=avoid_text(r.avoid_units, view.avoided),
            commitment=r.commitment,
        )
    ]
    for rnd in view.rounds:
        lines.append(
            t.CARD_ROUND.format(
                round_no=rnd.round_no,
                pool_size=rnd.pool.count(",") + 1 if rnd.pool else 0,
                pool_hash=rnd.pool_hash[:16] + "…",
            )
        )
    for inv in view.invitations:
        lines.append(
            t.CARD_INVITATION.format(
                position=inv.position, name=inv.name, unit=inv.unit,
                status=t.INVITATION_STATUS[inv.status],
            )  # fmt: skip
        )
    if view.invitations:
        lines.append(t.CARD_ACCEPTED.format(accepted=view.accepted, wanted=r.wanted))
    if view.pool_size is not None and r.status == d.RequestStatus.DRAWN:
        lines.append(  # the card's button says 重新抽取 only over a pool that is not empty
            shortfall_text(
                pending=view.open, missing=view.missing, pool=view.pool_size, on_card=True
            )
        )
    elif view.pool_size is not None and r.status == d.RequestStatus.FILED:
        if view.pool_size == 0:
            lines.append(t.CARD_POOL_EMPTY)
        elif view.pool_size < view.missing:
            lines.append(t.CARD_POOL_SHORT.format(size=view.pool_size, wanted=view.missing))
        else:
            lines.append(t.CARD_POOL.format(size=view.pool_size))
    if r.status == d.RequestStatus.CANCELLED and r.cancel_reason:
        lines.append(t.CARD_CANCEL_REASON.format(reason=r.cancel_reason))
    return "\n".join(lines), card_keyboard(view)


def card_keyboard(view: RequestView) -> InlineKeyboardMarkup | None:
    r = view.request
    if not view.may_act:  # the bureau, looking on: it follows the answers as they come
        return single_keyboard(t.BUTTON_REFRESH, DrawDo.OPEN, r.id)
    rows: list[list[InlineKeyboardButton]] = []
    if r.status != d.RequestStatus.CANCELLED:
        if view.may_draw and view.pool_size:
            label = t.BUTTON_DRAW if r.status == d.RequestStatus.FILED else t.BUTTON_REDRAW
            rows.append([_button(label, DrawDo.DRAW, r.id)])
        for inv in view.invitations:  # work is recorded from its first day on, not before
            if view.started and inv.status == d.IS.ACCEPTED and inv.id not in view.worked:
                rows.append([_button(t.BUTTON_RECORD_WORK.format(name=inv.name), DrawDo.WORK, inv.id)])
        last = [_button(t.BUTTON_REFRESH, DrawDo.OPEN, r.id)]
        if not view.started:
            last.append(_button(t.BUTTON_CANCEL_REQUEST, DrawDo.CANCEL, r.id))
        rows.append(last)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def request_list(
    rows: Sequence[RequestListRow], *, with_unit: bool = False
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The requests, one a line; `with_unit`: each names the using unit that filed it."""
    if not rows:
        return t.DRAWS_EMPTY, None
    lines = [t.DRAWS_HEAD.format(count=len(rows))]
    lines += [
        t.DRAWS_LINE.format(
            request_id=r.id, project=r.project, days=days_text(r.days),
            status=t.REQUEST_STATUS[r.status], accepted=r.accepted, wanted=r.wanted,
            unit=t.DRAWS_LINE_UNIT.format(unit=r.unit) if with_unit else "",
        )  # fmt: skip
        for r in rows
    ]
    buttons = [_button(t.BUTTON_OPEN.format(request_id=r.id), DrawDo.OPEN, r.id) for r in rows]
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=grid(buttons, 4))


def _choice(invitation_id: int, *choices: tuple[str, DrawDo]) -> InlineKeyboardMarkup:
    """One row of buttons on one invitation."""
    row = [_button(label, do, invitation_id) for label, do in choices]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def invitation_keyboard(invitation_id: int) -> InlineKeyboardMarkup:
    return _choice(
        invitation_id, (t.BUTTON_ACCEPT, DrawDo.ACCEPT), (t.BUTTON_DECLINE, DrawDo.DECLINE)
    )


def work_keyboard(invitation_id: int) -> InlineKeyboardMarkup:
    return _choice(
        invitation_id,
        (t.BUTTON_CONFIRM_WORK, DrawDo.CONFIRM_WORK),
        (t.BUTTON_DISPUTE_WORK, DrawDo.DISPUTE_WORK),
    )


def decline_keyboard(invitation_id: int, *, accepted: bool = False) -> InlineKeyboardMarkup:
    back = t.BUTTON_BACK_TO_ACCEPTED if accepted else t.BUTTON_BACK_TO_INVITATION
    return _choice(invitation_id, (t.BUTTON_NO_REASON, DrawDo.NO_REASON), (back, DrawDo.BACK))


def rating_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(f"{n} 分", DrawDo.RATING, n) for n in range(1, 6)]]
    )


def single_keyboard(text: str, do: DrawDo, id_: int = 0) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_button(text, do, id_)]])


def work_summary(year: int, work: WorkSummary) -> str:
    """The drawn work using units recorded for a year, as the yearly evaluation weighs it."""
    disputed = t.WORK_SUMMARY_DISPUTED.format(count=work.disputed) if work.disputed else ""
    return t.WORK_SUMMARY.format(
        year=year, count=work.count, hours=format_hours(work.hours_tenths),
        rating=f"{work.rating_avg:.1f}" if work.rating_avg is not None else t.NO_RATING,
        fee=format_fee(work.fee_fen), disputed=disputed,
    )  # fmt: skip


def answer_keyboard(invitation_id: int, status: str) -> InlineKeyboardMarkup:
    """What an invitation still open to its expert offers: 接受 / 婉拒, or 无法参加 once accepted."""
    if status == "accepted":
        return single_keyboard(t.BUTTON_CANNOT_COME, DrawDo.DECLINE, invitation_id)
    return invitation_keyboard(invitation_id)


def held(h: HeldInvitation, now: datetime) -> tuple[str, InlineKeyboardMarkup | None]:
    """/me: an invitation that holds the expert's days, with its buttons while they still act.
    One whose reply time has passed reads as lapsed: the pass that ends it runs within the minute."""
    inv, request = h.invitation, h.request
    late = inv.status == "invited" and inv.reply_by is not None and inv.reply_by <= now
    status = "expired" if late else inv.status
    text = t.HELD.format(
        request_id=request.id, status=t.INVITATION_STATUS.get(status, status),
        unit=request.unit_name, project=request.project,
        kind=t.WORK_KINDS.get(request.work_kind, request.work_kind),
        days=days_text(request.days), place=request.place,
    )  # fmt: skip
    if late:
        return text, None
    if local(now).date() >= request.days[0]:
        return text + t.HELD_BEGUN, None
    if inv.status == "accepted":
        return text + t.HELD_ACCEPTED, answer_keyboard(inv.id, inv.status)
    assert inv.reply_by is not None
    tail = t.HELD_INVITED.format(reply_by=format_local(inv.reply_by))
    return text + tail, answer_keyboard(inv.id, inv.status)
