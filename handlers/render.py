"""Pure rendering: text and keyboards for prompts and the summary card.

No bot, no I/O: every function here is testable by calling it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.clock import format_local
from bot.domain import keys, vocab
from bot.domain.application import ApplicationSnapshot
from bot.domain.eligibility import FLAG_TEXT, Flag
from bot.domain.form import FIELDS, Field, Kind, describe, progress
from bot.domain.idcard import mask_id_number, mask_phone
from bot.domain.review import Stage
from bot.domain.workflow import EDITABLE, Action, Actor, next_status
from bot.services.ports import DistrictRow, UnitRow
from bot.services.review import Onward
from bot.texts import chat as t
from bot.texts import form as ft
from bot.texts.limits import MESSAGE, split_message
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
    UnitSearched,
    UnitSwitch,
)

DISTRICTS_PER_PAGE = 15
UNITS_PER_PAGE = 8
PHONE_KEYS = frozenset({keys.MOBILE, keys.OFFICE_PHONE, keys.EMERGENCY_PHONE})
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


def welcome(campaign: Any) -> str:
    return t.WELCOME.format(
        campaign=campaign.name,
        unit_deadline=format_local(campaign.unit_deadline),
        district_deadline=format_local(campaign.district_deadline),
    )


def already_expert(entry: Any) -> str:
    """/start from an expert in service: their certificate and term, not the notice."""
    after = (
        t.ALREADY_EXPERT_NEXT.format(starts_on=entry.next_starts_on, ends_on=entry.next_ends_on)
        if entry.next_starts_on
        else ""
    )
    text = (t.ALREADY_EXPERT_DUE if entry.due else t.ALREADY_EXPERT_ENTRY).format(
        certificate_no=entry.certificate_no,
        starts_on=entry.starts_on,
        ends_on=entry.ends_on,
        next=after,
    )
    return text + (t.ALREADY_EXPERT_WITHDRAWING if entry.withdrawal_asked else "")


def consent_keyboard(agreed: Sequence[str]) -> InlineKeyboardMarkup:
    return _consent_keyboard(frozenset(agreed))


@cache
def _consent_keyboard(agreed: frozenset[str]) -> InlineKeyboardMarkup:
    buttons = [
        _button(
            f"{t.BUTTON_AGREED if item.value in agreed else t.BUTTON_AGREE}：{label}",
            ConsentPick(item=item),
        )
        for item, label in (
            (ConsentItem.GENERAL, "① 个人信息处理"),
            (ConsentItem.SENSITIVE, "② 敏感个人信息（身份证号、健康状况）"),
            (ConsentItem.TRANSFER, "③ 经境外服务传输"),
        )
    ]
    buttons.append(_button(t.CONSENT_ALL, ConsentPick(item=ConsentItem.ALL)))
    buttons.append(_button(t.BUTTON_DISAGREE, ConsentPick(item=ConsentItem.REFUSE)))
    return InlineKeyboardMarkup(inline_keyboard=grid(buttons, 1))


def _button(text: str, data: Any) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def answered(question: str | None, choice: str) -> str:
    """A question answered with its buttons, rewritten without them: its text and the choice
    ticked under it, so that the chat reads as the form was filled in."""
    return f"{question}\n✅ {choice}"


def with_press(message: Message, data: str | None) -> str | None:
    """`answered` for a question whose button carrying `data` was pressed: the message's text
    and that button's label (Telegram sends the keyboard pressed with the message). None when
    the button is not on it, and the caller only takes the buttons away."""
    markup = message.reply_markup
    if message.text is None or markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return answered(message.text, button.text)
    return None


def grid(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    """Rows of `width` buttons: what the keyboard builder's adjust does, without its deep copies."""
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def consent_text(version: str) -> str:
    return "\n\n".join(
        (
            t.CONSENT.format(version=version),
            "① " + t.CONSENT_GENERAL,
            "② " + t.CONSENT_SENSITIVE,
            "③ " + t.CONSENT_TRANSFER,
        )
    )


def district_page(districts: Sequence[DistrictRow], page: int) -> tuple[str, InlineKeyboardMarkup]:
    return _district_page(tuple(districts), page)


@lru_cache(maxsize=64)
def _district_page(districts: tuple[DistrictRow, ...], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """Built once per list and page: its fifteen buttons took a millisecond every time.

    The markup is shared by every chat that is shown the page: nothing may change it.
    """
    pages = max(1, -(-len(districts) // DISTRICTS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = districts[page * DISTRICTS_PER_PAGE : (page + 1) * DISTRICTS_PER_PAGE]
    rows = grid([_button(d.name, DistrictPick(district_id=d.id)) for d in chunk], 3)
    nav = pager(page, pages, lambda p: DistrictPage(page=p).pack())
    markup = InlineKeyboardMarkup(inline_keyboard=[*rows, nav] if nav else rows)
    return t.CHOOSE_DISTRICT_PAGE.format(page=page + 1, pages=pages), markup


def district_matches(districts: Sequence[DistrictRow]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=grid(
            [_button(d.name, DistrictPick(district_id=d.id)) for d in districts], 3
        )
    )


def unit_page(
    district: DistrictRow, units: Sequence[UnitRow], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    return _unit_page(district, tuple(units), page)


@lru_cache(maxsize=256)
def _unit_page(
    district: DistrictRow, units: tuple[UnitRow, ...], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Built once per list and page, as the districts' are; a changed list is a new key."""
    pages = max(1, -(-len(units) // UNITS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = units[page * UNITS_PER_PAGE : (page + 1) * UNITS_PER_PAGE]
    rows = grid([_button(u.name, UnitPick(unit_id=u.id)) for u in chunk], 1)
    nav = pager(page, pages, lambda p: UnitPage(district_id=district.id, page=p).pack())
    if nav:
        rows.append(nav)
    if not units:  # the name is typed at once (Apply.unit_name): nothing to choose from
        back = [[_button(t.BUTTON_OTHER_DISTRICT, DistrictPage(page=0))]]
        return t.NO_UNITS.format(district=district.name), InlineKeyboardMarkup(inline_keyboard=back)
    rows.extend(unit_search_missed(district).inline_keyboard)
    return t.CHOOSE_UNIT.format(district=district.name), InlineKeyboardMarkup(inline_keyboard=rows)


def switch_unit_offer(app: ApplicationSnapshot, unit: UnitRow) -> tuple[str, InlineKeyboardMarkup]:
    """After a unit's link was opened by someone whose application names another unit."""
    text = t.LINK_OTHER_UNIT.format(unit=unit.name, current=app.unit_name)
    button = _button(t.BUTTON_SWITCH_UNIT.format(unit=unit.name), UnitSwitch(app_id=app.id, unit_id=unit.id))
    return text, InlineKeyboardMarkup(inline_keyboard=[[button]])


def unit_search_missed(district: DistrictRow, searched: str = "") -> InlineKeyboardMarkup:
    """Below a unit list, or a search that found none: the searched text as the name, type the
    name instead, or another district."""
    rows = [
        [_button(t.UNIT_NOT_LISTED, UnitNotListed(district_id=district.id))],
        [_button(t.BUTTON_OTHER_DISTRICT, DistrictPage(page=0))],
    ]
    if searched:
        name = searched if len(searched) <= 20 else searched[:19] + "…"
        use = _button(t.BUTTON_USE_SEARCHED.format(name=name), UnitSearched(district_id=district.id))
        rows.insert(0, [use])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def pager(page: int, pages: int, pack: Any) -> list[InlineKeyboardButton]:
    """◀ 上一页 / 下一页 ▶ around `page` of `pages`; `pack(p)` is page p's callback data."""
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton(text=t.BUTTON_PREV_PAGE, callback_data=pack(page - 1)))
    if page < pages - 1:
        buttons.append(InlineKeyboardButton(text=t.BUTTON_NEXT_PAGE, callback_data=pack(page + 1)))
    return buttons


def prompt(app: ApplicationSnapshot, f: Field) -> str:
    """The question for one field: progress line, prompt, and the current answer if any."""
    n, total = progress(f.key, app.values)
    lines = [t.PROGRESS.format(n=n, total=total, label=f.label), _prompt_body(app, f)]
    value = app.values.get(f.key)
    if f.kind is Kind.LIST and value:
        lines.append(
            ft.PROMPT_LIST_SO_FAR.format(
                count=len(value), limit=f.max_items, items="；".join(value)
            )
        )
    elif value not in (None, "", []) and f.kind not in (Kind.PHOTO, Kind.CONFIRM):
        lines.append(t.CURRENT_VALUE.format(value=display(f, value)))
    return "\n".join(lines)


def _prompt_body(app: ApplicationSnapshot, f: Field) -> str:
    v = app.values
    if f.key == keys.ID_CONFIRMED:
        birth = v.get(keys.BIRTH_DATE)
        return f.prompt.format(
            birth_month=f"{birth:%Y年%m月}" if birth else "", gender=v.get(keys.GENDER) or ""
        )
    if f.key == keys.TITLE_LEVEL and v.get(keys.TITLE):
        level = vocab.title_level_of(v[keys.TITLE])
        if level:
            return ft.PROMPT_TITLE_LEVEL_GUESS.format(title=v[keys.TITLE], level=level)
    if f.key == keys.DISCIPLINE and v.get(keys.MAJOR):
        guess = vocab.guess_discipline(v[keys.MAJOR])
        if guess:
            return ft.PROMPT_DISCIPLINE_GUESS.format(major=v[keys.MAJOR], discipline=guess)
    return f.prompt


def display(f: Field, value: Any) -> str:
    """A value as shown in chat: ID numbers and phones masked."""
    if value in (None, "", []):
        return ft.EMPTY_VALUE
    if f.key == keys.ID_NUMBER:
        return mask_id_number(value)
    if f.key in PHONE_KEYS:
        return mask_phone(value)
    if f.key == keys.PHOTO:
        return "已上传"
    return describe(f, value)


@cache
def field_keyboard(f: Field) -> InlineKeyboardMarkup | ReplyKeyboardMarkup:
    """The buttons of one field; they never change, so each is built once."""
    if f.kind is Kind.PHONE:
        return ReplyKeyboardMarkup(
            keyboard=[
                [KeyboardButton(text=t.BUTTON_SHARE_PHONE, request_contact=True)],
                [KeyboardButton(text=t.BUTTON_BACK), KeyboardButton(text=t.BUTTON_SAVE_EXIT)],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    kb = InlineKeyboardBuilder()
    for i, choice in enumerate(f.choices):
        kb.button(text=choice, callback_data=FormChoice(key=f.key, index=i))
    kb.adjust(1 if f.kind is Kind.CONFIRM else 3 if len(f.choices) > 6 else 2)
    if f.kind is Kind.LIST:
        kb.row(
            _nav(f, Nav.DONE, t.BUTTON_DONE),
            _nav(f, Nav.CLEAR, t.BUTTON_CLEAR_LIST),
        )
    nav = [_nav(f, Nav.BACK, t.BUTTON_BACK)]
    if not f.required:
        nav.append(_nav(f, Nav.SKIP, t.BUTTON_SKIP))
    nav.append(_nav(f, Nav.SAVE, t.BUTTON_SAVE_EXIT))
    kb.row(*nav)
    return kb.as_markup()


def _nav(f: Field, nav: Nav, text: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=FormNav(key=f.key, nav=nav).pack())


def flag_reasons(flags: Sequence[str]) -> str:
    return "；".join(FLAG_TEXT[Flag(f)] for f in flags)


def card(app: ApplicationSnapshot) -> tuple[str, InlineKeyboardMarkup]:
    """The summary card: every answer (masked where needed) and a button per field.

    One text however long; `card_parts` is the same card within Telegram's limit.
    """
    return "\n".join(_card_blocks(app)), _card_keyboard(app)


def card_parts(app: ApplicationSnapshot) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The summary card as messages within Telegram's limit, split between fields.

    The buttons go on the last part, so 签名提交 is never lost with a part.
    """
    return with_markup_on_last(split_message(_card_blocks(app), MESSAGE), _card_keyboard(app))


def with_markup_on_last(
    texts: Sequence[str], markup: Markup | None
) -> list[tuple[str, Markup | None]]:
    return [(text, markup if i == len(texts) - 1 else None) for i, text in enumerate(texts)]


def _card_blocks(app: ApplicationSnapshot) -> list[str]:
    """One block per field (a field and what is derived from it stay together)."""
    v = app.values
    blocks = [t.CARD_TITLE, t.CARD_STATUS.format(status=t.STATUS[app.status])]
    if app.return_reason and app.status == "returned":
        blocks.append(t.CARD_RETURNED.format(reason=app.return_reason))
    unit = app.unit_name + ("" if app.unit_confirmed else t.CARD_UNIT_UNCONFIRMED)
    blocks.append(t.CARD_UNIT.format(unit=unit, district=app.district_name))
    for f in FIELDS:
        if not f.applies(v) or f.key == keys.ID_CONFIRMED:
            continue
        block = f"{f.label}：{display(f, v.get(f.key))}"
        if f.key == keys.ID_NUMBER and v.get(keys.BIRTH_DATE):
            block += f"\n出生年月：{v[keys.BIRTH_DATE]:%Y年%m月}　性别：{v.get(keys.GENDER)}"
        blocks.append(block)
    if app.flags:
        blocks.append(t.CARD_FLAGS.format(reasons=flag_reasons(app.flags)))
    return blocks


def _card_keyboard(app: ApplicationSnapshot) -> InlineKeyboardMarkup:
    v = app.values
    edits = [_edit_button(f) for f in FIELDS if f.applies(v) and f.key != keys.ID_CONFIRMED]
    edits.insert(0, _card(app, CardDo.UNIT, t.BUTTON_CHANGE_UNIT))  # the card's first line
    rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    rows.append([_card(app, CardDo.SIGN, t.BUTTON_SIGN)])
    rows.append(
        [
            _card(app, CardDo.SAVE, t.BUTTON_SAVE_EXIT),
            _card(app, CardDo.WITHDRAW, t.BUTTON_WITHDRAW),
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


@cache
def _edit_button(f: Field) -> InlineKeyboardButton:
    """A field's button on the card; it never changes, so each is built once."""
    return _button(t.BUTTON_EDIT.format(label=f.label), CardEdit(key=f.key))


def _card(app: ApplicationSnapshot, do: CardDo, text: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=CardAction(app_id=app.id, do=do).pack())


def submitted_text(app: ApplicationSnapshot, onward: Onward) -> str:
    """The applicant's confirmation of a submission: who reviews it next, or that nobody may yet."""
    filled_at = f"{app.values[keys.FILLED_AT]:%Y年%m月%d日}"
    if onward.stage is Stage.NO_REVIEWER:
        return t.SUBMITTED_NO_REVIEWER.format(filled_at=filled_at, district=app.district_name)
    if not app.unit_confirmed:
        reviewer = t.REVIEWER_DISTRICT.format(district=app.district_name)
    elif onward.cards is not None and onward.cards.card.district_covers_unit:
        reviewer = t.REVIEWER_DISTRICT_FOR_UNIT.format(district=app.district_name)
    else:
        reviewer = t.REVIEWER_UNIT.format(unit=app.unit_name)
    return t.SUBMITTED.format(filled_at=filled_at, reviewer=reviewer)


def status_label(app: ApplicationSnapshot, stage: Stage | None = None) -> str:
    """The state in words, with where the application stands when the state alone does not say."""
    status = t.STATUS[app.status]
    return t.STAGE[stage].format(status=status) if stage is not None else status


def status_text(app: ApplicationSnapshot, stage: Stage | None = None) -> str:
    text = t.STATUS_LINE.format(
        id=app.id,
        campaign=app.campaign.name,
        status=status_label(app, stage),
        updated=format_local(app.updated_at) if app.updated_at else "",
    )
    if app.status == "returned" and app.return_reason:
        text += "\n" + t.CARD_RETURNED.format(reason=app.return_reason)
    return text


def withdraw_confirm(app: ApplicationSnapshot) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _card(app, CardDo.WITHDRAW_CONFIRM, t.BUTTON_CONFIRM_WITHDRAW),
                _card(app, CardDo.WITHDRAW_KEEP, t.BUTTON_KEEP),
            ]
        ]
    )


def status_keyboard(
    app: ApplicationSnapshot, stage: Stage | None = None
) -> InlineKeyboardMarkup | None:
    """Under /status: 继续填写 while the applicant may edit; 撤回申报 while the reviewers still
    have it, or once the deadline closed the form (any state before a final one may be
    withdrawn); nothing once it is decided."""
    if app.status in EDITABLE and stage is not Stage.CLOSED:
        return continue_keyboard(app.id)
    if next_status(app.status, Actor.APPLICANT, Action.WITHDRAW) is not None:
        return InlineKeyboardMarkup(
            inline_keyboard=[[_card(app, CardDo.WITHDRAW, t.BUTTON_WITHDRAW)]]
        )
    return None


def continue_keyboard(app_id: int) -> InlineKeyboardMarkup:
    """继续填写: opens the form at its cursor (CardDo.CONTINUE)."""
    button = InlineKeyboardButton(
        text=t.BUTTON_CONTINUE, callback_data=CardAction(app_id=app_id, do=CardDo.CONTINUE).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])
