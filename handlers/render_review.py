"""Pure rendering for reviewers: cards, outcomes, lists, history, invites, the command menu.

No bot, no I/O. ID numbers and phones are always masked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from aiogram.types import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.clock import format_local, local
from bot.domain import keys, vocab
from bot.domain.application import ApplicationSnapshot
from bot.domain.eligibility import Conditions, conditions_of
from bot.domain.form import BY_KEY, FIELDS, facts_of
from bot.domain.idcard import mask_phone
from bot.domain.review import (
    BUREAU_ROLES,
    LEVEL_OF_STATUS,
    Change,
    Decision,
    Grant,
    ReviewLevel,
    RoleKind,
    Stage,
    action_of,
    reviews,
)
from bot.domain.workflow import ENTERED, Status
from bot.services.accounts import Managed
from bot.services.ports import DistrictRow, EventRow, UnitRow
from bot.services.review import Closed, Outcome, Page, ReviewCard, Waiting
from bot.services.roles import NewInvite
from bot.texts import accounts as at
from bot.texts import chat as ct
from bot.texts import draws as dt
from bot.texts import review as t
from bot.texts.limits import CAPTION, MESSAGE, clip, fits, split_message
from handlers.callbacks import (
    Annex1Get,
    AppList,
    ApplyMyself,
    InviteDistrictPage,
    InviteFor,
    InviteNewUnit,
    InviteRevoke,
    InviteUnitKind,
    ListPick,
    PendingOpen,
    PendingPage,
    ReasonCancel,
    RebindFor,
    ReviewAction,
    ReviewShow,
    ReviewView,
)
from handlers.reminders import nudge_button
from handlers.render import display, flag_reasons, pager, with_markup_on_last

DISTRICTS_PER_PAGE = 15
LISTED_STATUSES: tuple[Status, ...] = (
    Status.SUBMITTED,
    Status.UNIT_APPROVED,
    Status.DISTRICT_APPROVED,
    Status.QUALIFIED,
    Status.NOT_QUALIFIED,
    Status.CONFIRMED,
    Status.RETURNED,
    Status.DECLINED,
    Status.WITHDRAWN,
    Status.ACCEPTED,
    Status.NOT_ACCEPTED,
)
SHORT_STATUS = {
    Status.SUBMITTED: "待单位审核",
    Status.UNIT_APPROVED: "待区县审核",
    Status.DISTRICT_APPROVED: "区县已同意",
    Status.QUALIFIED: "资格审核通过",
    Status.NOT_QUALIFIED: "资格审核未通过",
    Status.CONFIRMED: "已确认入库",
    Status.RETURNED: "已退回",
    Status.DECLINED: "未同意",
    Status.WITHDRAWN: "已撤回",
    Status.ACCEPTED: "已入库",
    Status.NOT_ACCEPTED: "未入库",
    Status.DRAFT: "草稿",
}


# roles and commands ----------------------------------------------------------------


def role_line(g: Grant) -> str:
    if g.role is RoleKind.BUREAU:
        return t.ROLE_BUREAU
    if g.role is RoleKind.BUREAU_REVIEWER:
        return t.ROLE_BUREAU_REVIEWER
    if g.role is RoleKind.DISTRICT:
        return t.ROLE_DISTRICT.format(district=g.district_name)
    if g.role is RoleKind.USER:
        return dt.ROLE_USER.format(unit=g.unit_name, code=g.unit_code)
    return t.ROLE_UNIT.format(unit=g.unit_name, code=g.unit_code)


MANAGED_SHOWN = 30
"""换绑 buttons in /roles at most; the command line reaches everyone."""


def managed_keyboard(people: Sequence[Managed]) -> InlineKeyboardMarkup:
    """One 换绑账号 button per person whose account the viewer may move."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=at.MANAGED_BUTTON.format(name=p.name or f"#{p.person_id}"),
                    callback_data=RebindFor(person_id=p.person_id).pack(),
                )
            ]
            for p in people[:MANAGED_SHOWN]
        ]
    )


def roles_text(grants: Sequence[Grant]) -> str:
    if not grants:
        return t.ROLES_NONE
    return "\n".join([t.ROLES_HEADER, *(f"· {role_line(g)}" for g in grants)])


def commands_for(grants: Sequence[Grant], *, expert: bool = False) -> list[BotCommand]:
    """The command menu of a person with these roles (and /me for an expert in the database)."""
    roles = {g.role for g in grants}
    names = ["start", "status", "download"]
    if reviews(grants):
        names.append("pending")
    if roles - {RoleKind.BUREAU_REVIEWER, RoleKind.USER}:
        names.append("export")
    if RoleKind.DISTRICT in roles:
        names.append("report")
    if RoleKind.BUREAU in roles:
        names += ["campaign", "audit", "registry", "experts", "expert"]
    if roles & {RoleKind.UNIT, RoleKind.DISTRICT, *BUREAU_ROLES}:
        names.append("applications")
    if roles & {RoleKind.DISTRICT, *BUREAU_ROLES}:
        names.append("stats")
    if roles:
        names.append("history")
    if roles & {RoleKind.UNIT, RoleKind.DISTRICT, RoleKind.BUREAU}:
        names.append("nudge")
    if roles & {RoleKind.DISTRICT, RoleKind.BUREAU}:
        names.append("invite")
    if RoleKind.USER in roles:
        names.append("draw")
    if roles & {RoleKind.USER, RoleKind.BUREAU}:
        names.append("draws")
    if roles:
        names.append("roles")
    if expert:
        names.append("me")
    names += ["privacy", "help"]
    return [BotCommand(command=n, description=t.COMMANDS[n]) for n in names]


def help_text(grants: Sequence[Grant]) -> str:
    """/help: everyone's commands, then, for a person who holds roles, what those add."""
    if not grants:
        return ct.HELP
    listed = set(re.findall(r"^/(\w+)", ct.HELP, flags=re.MULTILINE))
    added = [
        t.HELP_COMMAND_LINE.format(command=c.command, description=c.description)
        for c in commands_for(grants)
        if c.command not in listed
    ]
    roles = "；".join(role_line(g) for g in grants)
    return "\n".join([ct.HELP, "", t.HELP_ROLES.format(roles=roles), *added])


OWN_COMMANDS = frozenset({"status", "download"})
"""Commands about the person's own application: the home lists them only when they have one."""


def home(
    name: str,
    grants: Sequence[Grant],
    pending: Waiting | None,
    *,
    applies: bool,
    own: bool = False,
    expert: bool = False,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/start for a person who holds roles: their roles, what waits for them (and how much of
    it is past its level's deadline), their commands (/status and /download only when `own`:
    they have an application of their own); 本人申报 unless their own application or, for an
    `expert` in service, their entry follows."""
    lines = [t.HOME_GREETING.format(name=name), *(f"· {role_line(g)}" for g in grants), ""]
    if pending is not None:
        lines.append(t.HOME_PENDING.format(count=pending.total) if pending.total else t.HOME_NO_PENDING)
        lines += [
            t.HOME_PENDING_CLOSED.format(
                count=c.count, level=t.LEVEL[c.level], deadline=format_local(c.deadline)
            )
            for c in pending.closed
        ]
        lines.append("")
    lines.append(t.HOME_COMMANDS)
    lines += [
        t.HOME_COMMAND_LINE.format(command=c.command, description=c.description)
        for c in commands_for(grants, expert=expert)
        if c.command != "start" and (own or applies or c.command not in OWN_COMMANDS)
    ]
    if expert:
        return "\n".join(lines), None
    if applies:
        return "\n".join([*lines, "", t.HOME_OWN_APPLICATION]), None
    button = InlineKeyboardButton(text=t.BUTTON_APPLY_MYSELF, callback_data=ApplyMyself().pack())
    return "\n".join([*lines, "", t.HOME_APPLY]), InlineKeyboardMarkup(inline_keyboard=[[button]])


# the card --------------------------------------------------------------------------------


def _key_lines(app: ApplicationSnapshot) -> list[str]:
    """The card's summary; a value not known (a paper application entered by the bureau has
    no phone, major or birth date) reads 未填, not an empty line end."""
    v = app.values
    birth = v.get(keys.BIRTH_DATE)
    title = " ".join(x for x in (v.get(keys.TITLE), v.get(keys.TITLE_LEVEL)) if x)
    major = " ".join(x for x in (v.get(keys.MAJOR), v.get(keys.DISCIPLINE)) if x)
    mobile = v.get(keys.MOBILE)
    gender = v.get(keys.GENDER) or t.UNKNOWN
    return [
        f"{BY_KEY[keys.NAME].label}：{v.get(keys.NAME) or t.UNKNOWN}",
        f"{t.GENDER}：{gender}　{t.BIRTH_MONTH}：{birth:%Y年%m月}"
        if birth
        else f"{t.GENDER}：{gender}",
        f"{t.TITLE_AND_LEVEL}：{title or t.UNKNOWN}",
        f"{BY_KEY[keys.GROUP].label}：{v.get(keys.GROUP) or t.UNKNOWN}",
        f"{t.MAJOR_AND_DISCIPLINE}：{major or t.UNKNOWN}",
        f"{t.UNIT}：{_unit(app)}",
        f"{BY_KEY[keys.POSITION].label}：{v.get(keys.POSITION) or t.UNKNOWN}",
        f"{BY_KEY[keys.MOBILE].label}：{mask_phone(mobile) if mobile else t.UNKNOWN}",
    ]


def _unit(app: ApplicationSnapshot) -> str:
    unit = app.unit_name + ("" if app.unit_confirmed else ct.CARD_UNIT_UNCONFIRMED)
    return f"{unit}（{app.district_name}）"


def _flag_lines(app: ApplicationSnapshot) -> list[str]:
    if not app.flags:
        return [t.CARD_NO_FLAGS]
    lines = [t.CARD_FLAGS.format(reasons=flag_reasons(app.flags))]
    reason = app.values.get(keys.RELAXATION_REASON)
    if reason:
        lines.append(t.CARD_RELAXATION.format(reason=reason))
    return lines


def _changed_label(key: str) -> str:
    return t.UNIT_LABEL if key == keys.UNIT_NAME else BY_KEY[key].label


def change_lines(changes: Sequence[Change]) -> list[str]:
    """One entry per change: `old → new`, or old and new on lines of their own when either
    has several lines, the later ones indented under it."""
    lines = []
    for c in changes:
        if c.key == keys.UNIT_NAME:  # not a field of the form: chosen with the district
            lines.append(t.CARD_CHANGE.format(label=_changed_label(c.key), old=c.old, new=c.new))
            continue
        field = BY_KEY[c.key]
        old, new = display(field, c.old), display(field, c.new)
        if "\n" in old or "\n" in new:
            old, new = (v.replace("\n", "\n    ") for v in (old, new))
            lines.append(t.CARD_CHANGE_LINES.format(label=field.label, old=old, new=new))
        else:
            lines.append(t.CARD_CHANGE.format(label=field.label, old=old, new=new))
    return lines


def review_card(card: ReviewCard) -> tuple[str, InlineKeyboardMarkup]:
    """The card a reviewer decides on: key fields, flags, changes, and the four buttons.

    One text however long; `review_card_parts` is the same card within Telegram's limit.
    """
    blocks = _review_blocks(card, _change_blocks(card))
    return "\n".join(blocks), decision_keyboard(card.app, card.level)


def review_card_parts(card: ReviewCard) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The review card as messages within Telegram's limit, the decision buttons on the last.

    A resubmission whose diff does not fit names the changed fields instead,
    with 查看修改内容 for the diff itself (`changes_parts`), so the card stays
    one message and its buttons are never lost.
    """
    blocks = _review_blocks(card, _change_blocks(card))
    markup = decision_keyboard(card.app, card.level)
    if card.changes and not fits("\n".join(blocks), MESSAGE):
        names = "、".join(_changed_label(c.key) for c in card.changes)
        blocks = _review_blocks(card, ["", t.CARD_CHANGED_FIELDS.format(labels=names)])
        rows = [
            *markup.inline_keyboard[:1],
            [_show(card.app, ReviewView.CHANGES, t.BUTTON_VIEW_CHANGES)],
            *markup.inline_keyboard[1:],
        ]
        markup = InlineKeyboardMarkup(inline_keyboard=rows)
    return with_markup_on_last(split_message(blocks, MESSAGE), markup)


def changes_parts(card: ReviewCard) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """查看修改内容: every change in full, split between changes; a button back to the card last."""
    app = card.app
    blocks = [t.CHANGES_TITLE.format(id=app.id), *change_lines(card.changes)]
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[_show(app, ReviewView.CARD, t.BUTTON_OPEN_CARD)]]
    )
    return with_markup_on_last(split_message(blocks, MESSAGE), markup)


def _change_blocks(card: ReviewCard) -> list[str]:
    if card.changes:
        return ["", t.CARD_RESUBMITTED, *change_lines(card.changes)]
    if card.resubmitted:
        return ["", t.CARD_NO_CHANGES]
    return []


def _review_blocks(card: ReviewCard, changes: list[str]) -> list[str]:
    app = card.app
    blocks = [
        t.CARD_TITLE.format(level=t.LEVEL[card.level], id=app.id),
        t.CARD_CAMPAIGN.format(
            campaign=app.campaign.name,
            submitted=format_local(app.submitted_at) if app.submitted_at else "",
        ),
    ]
    if card.level is ReviewLevel.UNIT and card.district_covers_unit:
        blocks.append(
            t.CARD_UNIT_UNCONFIRMED
            if app.unit_id is None or not app.unit_confirmed
            else t.CARD_UNIT_NO_REVIEWER
        )
    if card.level is not ReviewLevel.UNIT and card.unit_approval is not None:
        blocks.append(
            t.CARD_UNIT_APPROVED.format(
                who=card.unit_approval.actor_name, when=format_local(card.unit_approval.at)
            )
        )
    if (approval := card.district_approval) is not None:
        line = t.CARD_ENTERED if approval.action == ENTERED else t.CARD_DISTRICT_APPROVED
        blocks.append(
            line.format(
                who=approval.actor_name, when=format_local(approval.at), note=approval.note
            )
        )
    if card.bureau_return is not None:
        blocks.append(
            t.CARD_BUREAU_RETURN.format(
                who=card.bureau_return.actor_name,
                when=format_local(card.bureau_return.at),
                reason=card.bureau_return.note or "",
            )
        )
    if card.level is ReviewLevel.BUREAU:
        checks = [*_condition_lines(app), "", *_duplicate_lines(card)]
        return [*blocks, *changes, "", *_key_lines(app), "", *checks]
    return [*blocks, *changes, "", *_key_lines(app), "", *_flag_lines(app)]


def conditions(app: ApplicationSnapshot) -> Conditions:
    """The eligibility conditions as judged at the unit deadline, as the applicant's flags were."""
    deadline = local(app.campaign.unit_deadline).date()
    return conditions_of(facts_of(app.values, app.unit_kind), deadline)


def _condition_lines(app: ApplicationSnapshot) -> list[str]:
    """Each condition with its fact and whether it is met; the relaxation reason if any."""
    c = conditions(app)
    lines = [t.CONDITIONS_HEADER.format(deadline=f"{c.deadline:%Y-%m-%d}")]
    lines.append(
        t.CONDITION_AGE_UNKNOWN.format(mark=t.MARK[c.age_ok])
        if c.age is None
        else t.CONDITION_AGE.format(age=c.age, mark=t.MARK[c.age_ok])
    )
    level = c.title_level or t.UNKNOWN
    if c.emergency_expert:
        lines.append(t.CONDITION_TITLE_EMERGENCY.format(level=level, mark=t.MARK[c.title_ok]))
    else:
        lines.append(
            t.CONDITION_TITLE.format(
                level=level,
                kind=c.unit_kind or t.UNKNOWN,
                required=t.TITLE_REQUIRED_STRICT if c.strict_title else t.TITLE_REQUIRED,
                mark=t.MARK[c.title_ok],
            )
        )
    lines.append(
        t.CONDITION_DISCIPLINE.format(
            discipline=c.discipline or t.UNKNOWN, mark=t.MARK[c.discipline_ok]
        )
    )
    reason = app.values.get(keys.RELAXATION_REASON)
    if reason:
        lines.append(t.CARD_RELAXATION.format(reason=reason))
    return lines


def _duplicate_lines(card: ReviewCard) -> list[str]:
    """Other applications with the same ID number; never the number itself."""
    if not card.duplicates:
        return [t.CARD_NO_DUPLICATES]
    return [
        t.CARD_DUPLICATES.format(count=len(card.duplicates)),
        *(
            t.CARD_DUPLICATE.format(
                id=d.app_id,
                campaign=d.campaign,
                district=d.district,
                unit=d.unit,
                status=SHORT_STATUS[d.status],
            )
            for d in card.duplicates
        ),
    ]


def decision_label(level: ReviewLevel, decision: Decision) -> str:
    """The button's label, and the decision's name in replies: 通过 / 退回修改 / 不同意 at unit
    and district level, 资格审核通过 / 退回区县 / 不通过 at the bureau."""
    labels = t.DECISION_AT_BUREAU if level is ReviewLevel.BUREAU else t.DECISION
    return labels[decision.value]


def decided_label(level: ReviewLevel, decision: Decision) -> str:
    """The decision as the reviewer is told they made it: “已{…}。”."""
    if level is ReviewLevel.BUREAU:
        return t.DECIDED_AT_BUREAU[decision.value]
    return t.DECIDED_BELOW[decision.value]


def decision_keyboard(app: ApplicationSnapshot, level: ReviewLevel) -> InlineKeyboardMarkup:
    def act(decision: Decision) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=decision_label(level, decision),
            callback_data=ReviewAction(
                app_id=app.id, v=app.version, level=level, decision=decision
            ).pack(),
        )

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [act(Decision.APPROVE), act(Decision.RETURN), act(Decision.DECLINE)],
            [_show(app, ReviewView.ALL, t.BUTTON_VIEW_ALL), _show(app, ReviewView.HISTORY, t.BUTTON_HISTORY)],
            [download_button(app)],
        ]
    )


def download_button(app: ApplicationSnapshot) -> InlineKeyboardButton:
    """下载推荐表: the Annex 1 .docx; the press is re-authorised like any other."""
    return InlineKeyboardButton(
        text=t.BUTTON_DOWNLOAD_ANNEX1, callback_data=Annex1Get(app_id=app.id).pack()
    )


def _show(app: ApplicationSnapshot, what: ReviewView, text: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=ReviewShow(app_id=app.id, what=what).pack())


def photo_caption(app: ApplicationSnapshot) -> str:
    return clip(t.CARD_PHOTO.format(id=app.id, name=app.values.get(keys.NAME) or ""), CAPTION)


def full_text(app: ApplicationSnapshot, *, nudge: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """Every answer, masked where needed; with 催办 when the viewer may nudge whoever holds it.

    Clipped to one message; `full_text_parts` shows all of it.
    """
    return _clip("\n".join(_full_blocks(app))), _full_keyboard(app, nudge)


def full_text_parts(
    app: ApplicationSnapshot, *, nudge: bool = False
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """查看全部 as messages within Telegram's limit, split between fields, buttons on the last."""
    return with_markup_on_last(split_message(_full_blocks(app), MESSAGE), _full_keyboard(app, nudge))


def _full_blocks(app: ApplicationSnapshot) -> list[str]:
    v = app.values
    blocks = [t.FULL_TITLE.format(id=app.id, status=ct.STATUS[app.status]), f"{t.UNIT}：{_unit(app)}"]
    for f in FIELDS:
        if not f.applies(v) or f.key == keys.ID_CONFIRMED:
            continue
        block = f"{f.label}：{display(f, v.get(f.key))}"
        if f.key == keys.ID_NUMBER and v.get(keys.BIRTH_DATE):
            block += f"\n{t.BIRTH_MONTH}：{v[keys.BIRTH_DATE]:%Y年%m月}　{t.GENDER}：{v.get(keys.GENDER)}"
        blocks.append(block)
    if v.get(keys.FILLED_AT):
        blocks.append(f"填表时间：{v[keys.FILLED_AT]:%Y年%m月%d日}")
    return blocks + _flag_lines(app)


def _full_keyboard(app: ApplicationSnapshot, nudge: bool) -> InlineKeyboardMarkup:
    rows = [[_show(app, ReviewView.HISTORY, t.BUTTON_HISTORY), download_button(app)]]
    if nudge:
        rows.append([nudge_button(app.id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _clip(text: str, limit: int = MESSAGE) -> str:
    """Within Telegram's limit in UTF-16 code units (an emoji counts two), the cut marked."""
    return clip(text, limit)


# decisions ------------------------------------------------------------------------------


def reason_prompt(
    app: ApplicationSnapshot, decision: Decision, level: ReviewLevel, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    """Asks for the reason; a return to the applicant after the unit deadline says first that
    they could not resubmit it (the form is closed to them, `closed_to_applicant`)."""
    text = t.ASK_REASON.format(
        id=app.id, name=app.values.get(keys.NAME) or "", decision=decision_label(level, decision)
    )
    deadline = app.campaign.unit_deadline
    if decision is Decision.RETURN and level is not ReviewLevel.BUREAU and now > deadline:
        text = t.RETURN_AFTER_DEADLINE.format(deadline=format_local(deadline)) + "\n" + text
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t.BUTTON_CANCEL, callback_data=ReasonCancel(app_id=app.id).pack()
                )
            ]
        ]
    )
    return text, markup


def outcome_text(o: Outcome) -> str:
    """What every copy of the card says once someone decided."""
    text = t.OUTCOME_CARD.format(
        id=o.after.id,
        name=o.after.values.get(keys.NAME) or "",
        unit=o.after.unit_name,
        icon=t.OUTCOME_ICON[o.decision.value],
        who=o.actor_name,
        when=format_local(o.at),
        what=t.DONE[action_of(o.level, o.decision).value],
        level=t.LEVEL[o.level],
    )
    if o.reason:
        text += "\n" + t.OUTCOME_REASON.format(reason=o.reason)
    return text


def withdrawn_card_text(app: ApplicationSnapshot, when: datetime) -> str:
    return t.WITHDRAWN_CARD.format(
        id=app.id, name=app.values.get(keys.NAME) or "", unit=app.unit_name, when=format_local(when)
    )


def withdrawn_notice(app: ApplicationSnapshot) -> str:
    return t.REVIEWERS_WITHDRAWN.format(
        id=app.id, name=app.values.get(keys.NAME) or "", unit=app.unit_name
    )


def applicant_decision(o: Outcome) -> str:
    when = format_local(o.at)
    level = t.LEVEL[o.level]
    if o.level is ReviewLevel.BUREAU:
        return _applicant_qualification(o, when)
    if o.decision is Decision.APPROVE:
        if o.level is ReviewLevel.UNIT:
            return t.APPLICANT_UNIT_APPROVED.format(when=when, district=o.after.district_name)
        template = (
            t.APPLICANT_DISTRICT_APPROVED_AT_BUREAU
            if o.stage is Stage.AT_BUREAU
            else t.APPLICANT_DISTRICT_APPROVED
        )
        return template.format(when=when, district=o.after.district_name)
    if o.decision is Decision.RETURN:
        template = t.APPLICANT_RETURNED_CLOSED if o.stage is Stage.CLOSED else t.APPLICANT_RETURNED
        return template.format(
            level=level,
            when=when,
            reason=o.reason,
            deadline=format_local(o.after.campaign.unit_deadline),
            district=o.after.district_name,
        )
    return t.APPLICANT_DECLINED.format(level=level, when=when, reason=o.reason)


def _applicant_qualification(o: Outcome, when: str) -> str:
    district = o.after.district_name
    if o.decision is Decision.APPROVE:
        return t.APPLICANT_QUALIFIED.format(when=when)
    if o.decision is Decision.RETURN:
        return t.APPLICANT_RETURNED_TO_DISTRICT.format(
            district=district, when=when, reason=o.reason
        )
    return t.APPLICANT_NOT_QUALIFIED.format(when=when, reason=o.reason, district=district)


def moved_away(app: ApplicationSnapshot) -> str:
    """For the reviewer who returned the application, resubmitted at another unit."""
    return t.MOVED_AWAY.format(
        id=app.id, name=app.values.get(keys.NAME) or "", unit=app.unit_name,
        district=app.district_name,
    )  # fmt: skip


def reviewers_told(o: Outcome) -> str:
    """What the level below hears: the district, of the bureau's disqualification; the unit,
    of the district's return or decline."""
    template = {
        Status.NOT_QUALIFIED: t.DISTRICT_TOLD_NOT_QUALIFIED,
        Status.RETURNED: t.UNIT_TOLD_RETURNED,
        Status.DECLINED: t.UNIT_TOLD_DECLINED,
    }[o.after.status]
    return template.format(
        id=o.after.id,
        name=o.after.values.get(keys.NAME) or "",
        unit=o.after.unit_name,
        who=o.actor_name,
        when=format_local(o.at),
        reason=o.reason or "",
    )


def qualification_waiting(district: str, count: int) -> tuple[str, InlineKeyboardMarkup]:
    """The one message a district's report brings the bureau's reviewers, with their list."""
    button = InlineKeyboardButton(text=t.BUTTON_OPEN_PENDING, callback_data=PendingOpen().pack())
    return (
        t.QUALIFICATION_WAITING.format(district=district, count=count),
        InlineKeyboardMarkup(inline_keyboard=[[button]]),
    )


def unassigned_notice(app: ApplicationSnapshot) -> str:
    """What the bureau admins hear of an application that waits where nobody may decide."""
    level = LEVEL_OF_STATUS[app.status]
    district = app.district_name
    return t.UNASSIGNED.format(
        id=app.id,
        unit=app.unit_name,
        district=district,
        level=t.LEVEL[level],
        why=t.UNASSIGNED_WHY[level].format(district=district),
    )


def reported_to_applicant(district: str, when: datetime) -> str:
    """What an applicant hears when their district reports the batch their application is in."""
    return t.APPLICANT_REPORTED.format(district=district, when=format_local(when))


# lists ------------------------------------------------------------------------------------


def list_line(app: ApplicationSnapshot) -> str:
    """`#12 张三 · 重庆大学 · 矿山 · 待单位审核 · 2022-09-20 10:00`; a part not known (the
    submission time of a draft withdrawn unsubmitted) is left out with its separator."""
    parts = (
        app.unit_name,
        app.values.get(keys.GROUP) or "",
        SHORT_STATUS[app.status],
        format_local(app.submitted_at) if app.submitted_at else "",
    )
    head = t.LIST_LINE.format(id=app.id, name=app.values.get(keys.NAME) or "")
    return t.LIST_SEPARATOR.join([head, *(p for p in parts if p)])


def _open_buttons(kb: InlineKeyboardBuilder, page: Page) -> None:
    """A button per entry to open it, two a row; an entry that offers 催办 has its own row."""
    row: list[InlineKeyboardButton] = []
    for app in page.items:
        opener = InlineKeyboardButton(
            text=t.BUTTON_OPEN.format(id=app.id, name=app.values.get(keys.NAME) or ""),
            callback_data=ReviewShow(app_id=app.id, what=ReviewView.CARD).pack(),
        )
        if app.id in page.nudge:
            kb.row(opener, nudge_button(app.id, t.BUTTON_NUDGE_ENTRY.format(id=app.id)))
            continue
        row.append(opener)
        if len(row) == 2:
            kb.row(*row)
            row = []
    if row:
        kb.row(*row)


def pending_page(page: Page) -> tuple[str, InlineKeyboardMarkup | None]:
    if not page.total:
        return t.PENDING_NONE, None
    lines = [t.PENDING_HEADER.format(total=page.total, page=page.page + 1, pages=page.pages)]
    lines += [closed_line(c) for c in page.closed]
    lines += [
        (t.CLOSED_MARK if a.id in page.closed_ids else "") + list_line(a) for a in page.items
    ]
    kb = InlineKeyboardBuilder()
    _open_buttons(kb, page)
    kb.row(*pager(page.page, page.pages, lambda p: PendingPage(page=p).pack()))
    return "\n".join(lines), kb.as_markup()


def closed_line(closed: Closed) -> str:
    """That applications wait past their level's deadline, and what to do about it."""
    return t.PENDING_CLOSED.format(
        level=t.LEVEL[closed.level], deadline=format_local(closed.deadline), count=closed.count
    )


def closed_card(closed: Closed) -> str:
    """Above the full text of an application opened after its level's deadline."""
    return t.CLOSED_CARD.format(level=t.LEVEL[closed.level], deadline=format_local(closed.deadline))


def closed_decision_card(
    app: ApplicationSnapshot, closed: Closed, shown: str
) -> tuple[str, InlineKeyboardMarkup]:
    """A card whose decision was refused past its level's deadline: why (as `closed_card`),
    above what it `shown`, with its buttons to look but none to decide."""
    note = closed_card(closed)
    text = shown if shown.startswith(note) else "\n\n".join(p for p in (note, shown) if p)
    rows = decision_keyboard(app, closed.level).inline_keyboard[1:]
    return _clip(text), InlineKeyboardMarkup(inline_keyboard=rows)


def app_list(
    page: Page,
    counts: dict[str, int],
    current: AppList,
    *,
    scope_name: str,
    unit_name: str | None,
    unit_filter: bool = True,
) -> tuple[str, InlineKeyboardMarkup]:
    """The /applications screen: counts by state, filters, one page, buttons to open;
    `unit_filter`: offer 按单位 (not to a unit reviewer, whose list is their units')."""
    count_text = "；".join(
        f"{SHORT_STATUS[s]} {counts[s.value]}" for s in LISTED_STATUSES if counts.get(s.value)
    )
    filters = []
    if current.status:
        filters.append(t.FILTER_STATUS.format(value=SHORT_STATUS[Status(current.status)]))
    if current.unit_id:
        filters.append(t.FILTER_UNIT.format(value=unit_name or current.unit_id))
    if 0 <= current.group < len(vocab.PROFESSIONAL_GROUPS):
        filters.append(t.FILTER_GROUP.format(value=vocab.PROFESSIONAL_GROUPS[current.group]))
    lines = [
        t.APPS_HEADER.format(scope=scope_name),
        t.APPS_COUNTS.format(counts=count_text or "0"),
        t.APPS_FILTERS.format(filters="，".join(filters) or t.ALL),
        "",
    ]
    if page.total:
        lines.append(t.APPS_PAGE.format(total=page.total, page=page.page + 1, pages=page.pages))
        lines += [list_line(a) for a in page.items]
    else:
        lines.append(t.APPS_NONE)
    kb = InlineKeyboardBuilder()
    _open_buttons(kb, page)
    kb.row(
        *pager(
            page.page, page.pages, lambda p: current.model_copy(update={"page": p}).pack()
        )
    )

    def menu(show: ListPick, text: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=text, callback_data=current.model_copy(update={"show": show, "page": 0}).pack()
        )

    kb.row(
        menu(ListPick.STATUS_MENU, t.BUTTON_BY_STATUS),
        *([menu(ListPick.UNIT_MENU, t.BUTTON_BY_UNIT)] if unit_filter else []),
        menu(ListPick.GROUP_MENU, t.BUTTON_BY_GROUP),
    )
    if filters:
        kb.row(
            InlineKeyboardButton(text=t.BUTTON_CLEAR_FILTERS, callback_data=AppList().pack())
        )
    return "\n".join(lines), kb.as_markup()


def list_menu(
    current: AppList, counts: dict[str, int], units: Sequence[UnitRow]
) -> tuple[str, InlineKeyboardMarkup]:
    """The choices of one filter; each keeps the other filters."""
    kb = InlineKeyboardBuilder()
    base = current.model_copy(update={"show": ListPick.PAGE, "page": 0})
    if current.show is ListPick.STATUS_MENU:
        text = t.CHOOSE_STATUS
        kb.button(text=t.ALL, callback_data=base.model_copy(update={"status": ""}))
        for s in LISTED_STATUSES:
            kb.button(
                text=f"{SHORT_STATUS[s]}（{counts.get(s.value, 0)}）",
                callback_data=base.model_copy(update={"status": s.value}),
            )
        kb.adjust(3)
    elif current.show is ListPick.UNIT_MENU:
        text = t.CHOOSE_UNIT if units else t.CHOOSE_UNIT + t.NO_UNIT_FILTER
        kb.button(text=t.ALL, callback_data=base.model_copy(update={"unit_id": 0}))
        for u in units[:60]:
            kb.button(text=u.name, callback_data=base.model_copy(update={"unit_id": u.id}))
        kb.adjust(2)
    else:
        text = t.CHOOSE_GROUP
        kb.button(text=t.ALL, callback_data=base.model_copy(update={"group": -1}))
        for i, g in enumerate(vocab.PROFESSIONAL_GROUPS):
            kb.button(text=g, callback_data=base.model_copy(update={"group": i}))
        kb.adjust(2)
    return text, kb.as_markup()


# history --------------------------------------------------------------------------------


def history_parts(app: ApplicationSnapshot, events: Sequence[EventRow]) -> list[str]:
    """Every transition, oldest first, as messages within Telegram's limit split between
    events: a form returned again and again with long reasons still shows its newest move."""
    blocks = [t.HISTORY_HEADER.format(id=app.id, name=app.values.get(keys.NAME) or "")]
    for e in events:
        lines = [
            t.HISTORY_LINE.format(
                when=format_local(e.at),
                who=e.actor_name or t.SOMEONE,
                what=t.DONE.get(e.action, e.action),
                from_=SHORT_STATUS.get(Status(e.from_status), e.from_status)
                if e.from_status
                else "—",
                to=SHORT_STATUS.get(Status(e.to_status), e.to_status),
            )
        ]
        if e.note:
            lines.append(t.HISTORY_NOTE.format(note=e.note))
        blocks.append("\n".join(lines))
    if not events:
        blocks.append(t.HISTORY_NONE)
    return split_message(blocks, MESSAGE)


# invites ----------------------------------------------------------------------------------


def invite_district_page(
    districts: Sequence[DistrictRow], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    pages = max(1, -(-len(districts) // DISTRICTS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    kb = InlineKeyboardBuilder()
    for d in districts[page * DISTRICTS_PER_PAGE : (page + 1) * DISTRICTS_PER_PAGE]:
        kb.button(text=d.name, callback_data=InviteFor(role=RoleKind.DISTRICT, target_id=d.id))
    kb.adjust(3)
    kb.row(*pager(page, pages, lambda p: InviteDistrictPage(page=p).pack()))
    kb.row(
        InlineKeyboardButton(
            text=t.BUTTON_INVITE_BUREAU_REVIEWER,
            callback_data=InviteFor(role=RoleKind.BUREAU_REVIEWER, target_id=0).pack(),
        )
    )
    return t.INVITE_CHOOSE_DISTRICT.format(page=page + 1, pages=pages), kb.as_markup()


def invite_units(district: DistrictRow, units: Sequence[UnitRow]) -> tuple[str, InlineKeyboardMarkup]:
    kb = InlineKeyboardBuilder()
    for u in units:
        kb.button(text=u.name, callback_data=InviteFor(role=RoleKind.UNIT, target_id=u.id))
    kb.adjust(1)
    kb.row(
        InlineKeyboardButton(
            text=t.BUTTON_NEW_UNIT, callback_data=InviteNewUnit(district_id=district.id).pack()
        )
    )
    return t.INVITE_CHOOSE_UNIT.format(district=district.name), kb.as_markup()


def unit_kinds(district_id: int, name: str) -> tuple[str, InlineKeyboardMarkup]:
    kb = InlineKeyboardBuilder()
    for i, kind in enumerate(vocab.UNIT_KINDS):
        kb.button(text=kind, callback_data=InviteUnitKind(district_id=district_id, kind=i))
    kb.adjust(2)
    return t.ASK_UNIT_KIND.format(name=name), kb.as_markup()


def invite_link(invite: NewInvite, link: str) -> tuple[str, InlineKeyboardMarkup]:
    text = t.INVITE_LINK.format(
        target=role_line(invite.grant), link=link, expires=format_local(invite.expires_at)
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t.BUTTON_REVOKE_INVITE,
                    callback_data=InviteRevoke(invite_id=invite.id).pack(),
                )
            ]
        ]
    )
    return text, markup
