"""The longest legal form still reaches its reader: cards are split between fields, within
Telegram's limit as Telegram counts it (UTF-16), and the buttons always arrive."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiogram.types import InlineKeyboardMarkup

from bot.domain import keys, parsers
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.form import BY_KEY, FIELDS, Kind, ParseContext
from bot.domain.review import Change, Decision, ReviewLevel, diff_answers
from bot.domain.workflow import Status
from bot.services.ports import DuplicateRow, EventRow
from bot.services.review import Outcome, ReviewCard
from bot.texts import chat as ct
from bot.texts import review as rt
from handlers import render
from handlers import render_review as rr
from handlers.callbacks import ReviewShow, ReviewView
from handlers.limits import CAPTION, MESSAGE, units

HAN, EXT_B, EMOJI = "中", "𠀀", "😀"
CTX = ParseContext(today=date(2022, 9, 20))
NOW = datetime(2022, 9, 20, 2, 30, tzinfo=UTC)


def _typed(key: str, ch: str) -> str:
    """What a careful attacker types at this field: the longest text its parser accepts."""
    name_ch = HAN if ch == EMOJI else ch  # a name takes Han and Extension B, not emoji
    return {
        keys.NAME: name_ch * parsers.MAX_NAME,
        keys.POSITION: ch * parsers.MAX_POSITION,
        keys.PART_TIME: ch * parsers.MAX_PART_TIME,
        keys.TITLE: ch * parsers.MAX_TITLE,
        keys.SCHOOL: ch * parsers.MAX_SCHOOL,
        keys.MAJOR: ch * parsers.MAX_MAJOR,
        keys.UNIT_ADDRESS: ch * parsers.MAX_ADDRESS,
        keys.HOME_ADDRESS: ch * parsers.MAX_ADDRESS,
        keys.EMAIL: ch * 240 + "@qq.com",
        keys.RESUME: "\n".join(
            f"{2000 + i}.01-{2001 + i}.01 {ch * parsers.MAX_RESUME_UNIT} "
            f"{ch * parsers.MAX_RESUME_POSITION}"
            for i in range(parsers.MAX_RESUME_ENTRIES)
        ),
        keys.RELAXATION_REASON: ch * parsers.MAX_RELAXATION_REASON,
    }[key]


def longest_values(ch: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        keys.GROUP: "职业卫生",
        keys.ID_NUMBER: "500103199001019998",
        keys.BIRTH_DATE: date(1990, 1, 1),
        keys.GENDER: "男",
        keys.ID_CONFIRMED: True,
        keys.ETHNICITY: "土家族",
        keys.PHOTO: "photo",
        keys.UNIT_NAME: ch * parsers.MAX_UNIT_NAME,
        keys.HEALTH: "健康或良好",
        keys.EDUCATION: "博士研究生",
        keys.TITLE_LEVEL: "正高级",
        keys.EMERGENCY_EXPERT: False,
        keys.DISCIPLINE: "安全科学与工程类",
        keys.MOBILE: "13983000000",
        keys.OFFICE_PHONE: "023-65102345-123456",
        keys.EMERGENCY_PHONE: "13983000001",
        keys.MAIN_SPECIALTIES: [ch * parsers.MAX_SPECIALTY] * 4,
        keys.FAMILIAR_SPECIALTIES: [ch * parsers.MAX_SPECIALTY] * 4,
        keys.FILLED_AT: date(2022, 9, 20),
        "flags": ["age"],
    }
    for f in FIELDS:
        if f.key in values or f.kind not in (Kind.TEXT, Kind.LONG_TEXT):
            continue
        values[f.key] = f.parse_text(_typed(f.key, ch), CTX)  # legal: the parser takes it
    return values


def snapshot(ch: str, status: Status = Status.SUBMITTED) -> ApplicationSnapshot:
    return ApplicationSnapshot(
        id=2**31 - 1,
        campaign=Campaign(
            id=1, name="2022年征集", unit_deadline=NOW, district_deadline=NOW, is_open=True
        ),
        person_id=1001,
        district_id=1,
        district_name="西部科学城重庆高新区",
        unit_id=None,
        unit_kind="高等院校",
        unit_confirmed=False,
        status=status,
        version=7,
        cursor=None,
        flags=("age",),
        return_reason=(ch * 500) if status is Status.RETURNED else None,
        values=longest_values(ch),
        submitted_at=NOW,
        updated_at=NOW,
    )


def resubmitted(ch: str) -> ReviewCard:
    """Returned with a 500-character reason, every field changed, then sent again."""
    before, after = longest_values(HAN if ch != HAN else EXT_B), snapshot(ch)
    changes = diff_answers(before, after.values)
    assert len(changes) >= 12  # every typed text field
    return ReviewCard(
        app=after,
        level=ReviewLevel.DISTRICT,
        changes=changes,
        unit_approval=None,
        district_covers_unit=True,
        resubmitted=True,
    )


CHARS = pytest.mark.parametrize("ch", [EMOJI, EXT_B, HAN], ids=["emoji", "ext-b", "han"])


def _check_parts(parts: list[tuple[str, Any]]) -> None:
    assert parts
    assert all(units(text) <= MESSAGE for text, _ in parts), [units(t) for t, _ in parts]
    assert all(markup is None for _, markup in parts[:-1]), "buttons only on the last part"
    assert isinstance(parts[-1][1], InlineKeyboardMarkup)


def _labels(markup: InlineKeyboardMarkup) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


@CHARS
def test_the_longest_summary_card_is_split_between_fields_with_the_sign_button_last(ch: str) -> None:
    app = snapshot(ch, Status.RETURNED)
    one_text, _ = render.card(app)
    parts = render.card_parts(app)
    _check_parts(parts)
    assert ct.BUTTON_SIGN in _labels(parts[-1][1])
    assert "\n".join(text for text, _ in parts) == one_text
    for f in FIELDS:
        if f.applies(app.values) and f.key != keys.ID_CONFIRMED:
            block = f"{f.label}：{render.display(f, app.values.get(f.key))}"
            assert sum(block in text for text, _ in parts) == 1, f"{f.key} split or missing"
    if ch != HAN:
        assert units(one_text) > MESSAGE, "the case the split exists for"


@CHARS
def test_the_resubmitted_card_names_the_changes_and_keeps_its_decision_buttons(ch: str) -> None:
    card = resubmitted(ch)
    assert units(rr.review_card(card)[0]) > MESSAGE
    parts = rr.review_card_parts(card)
    _check_parts(parts)
    assert len(parts) == 1, "the compact card is one message"
    text, markup = parts[0]
    for c in card.changes:
        assert (rt.UNIT_LABEL if c.key == keys.UNIT_NAME else BY_KEY[c.key].label) in text
    labels = _labels(markup)
    assert [rt.DECISION[d] for d in ("a", "r", "d")] == labels[:3]
    assert rt.BUTTON_VIEW_CHANGES in labels
    changes = next(
        b.callback_data for row in markup.inline_keyboard for b in row
        if b.text == rt.BUTTON_VIEW_CHANGES
    )
    assert ReviewShow.unpack(changes) == ReviewShow(app_id=card.app.id, what=ReviewView.CHANGES)


@CHARS
def test_the_full_diff_is_split_between_changes(ch: str) -> None:
    card = resubmitted(ch)
    parts = rr.changes_parts(card)
    _check_parts(parts)
    joined = "\n".join(text for text, _ in parts)
    lines = rr.change_lines(card.changes)
    positions = [joined.index(line) for line in lines]
    assert positions == sorted(positions)
    for line in lines:
        if units(line) <= MESSAGE:
            assert sum(line in text for text, _ in parts) == 1, "a change that fits stays whole"


def test_a_short_diff_stays_on_the_card() -> None:
    card = resubmitted(HAN)
    short = ReviewCard(**{**card.__dict__, "changes": [Change(keys.POSITION, "部长", "处长")]})
    parts = rr.review_card_parts(short)
    assert len(parts) == 1 and "部长 → 处长" in parts[0][0]
    assert rt.BUTTON_VIEW_CHANGES not in _labels(parts[0][1])
    assert parts[0][0] == rr.review_card(short)[0]


@CHARS
def test_view_all_fits_counting_utf16(ch: str) -> None:
    app = snapshot(ch)
    text, _ = rr.full_text(app)
    assert units(text) <= MESSAGE
    parts = rr.full_text_parts(app, nudge=True)
    _check_parts(parts)
    assert "\n".join(t for t, _ in parts).startswith(text.removesuffix("…"))
    assert units(rr.photo_caption(app)) <= CAPTION


def _event(action: str, to: str, note: str | None = None) -> EventRow:
    return EventRow(
        app_id=2**31 - 1, actor_id=1, actor_name="审" * 200, action=action,
        from_status=None, to_status=to, note=note, changes=None, at=NOW,
    )  # fmt: skip


@CHARS
def test_the_bureaus_card_with_many_duplicates_keeps_its_buttons_and_every_entry(ch: str) -> None:
    app = snapshot(ch, Status.DISTRICT_APPROVED)
    duplicates = [
        DuplicateRow(
            app_id=i, campaign=ch * 100, district="西部科学城重庆高新区", unit=ch * 100,
            status=Status.DECLINED,
        )  # fmt: skip
        for i in range(60)
    ]
    card = ReviewCard(
        app=app,
        level=ReviewLevel.BUREAU,
        changes=[],
        unit_approval=_event("approve", "unit_approved"),
        district_covers_unit=False,
        resubmitted=False,
        district_approval=_event("approve", "district_approved"),
        duplicates=duplicates,
    )
    parts = rr.review_card_parts(card)
    _check_parts(parts)
    assert len(parts) > 1
    assert _labels(parts[-1][1])[:3] == [rt.DECISION_AT_BUREAU[d] for d in ("a", "r", "d")]
    joined = "\n".join(text for text, _ in parts)
    assert all(f"· #{d.app_id} · " in joined for d in duplicates)
    assert rt.CARD_RELAXATION.format(reason=app.values[keys.RELAXATION_REASON]) in joined
    assert "500103199001019998" not in joined


@CHARS
def test_the_bureaus_decisions_with_the_longest_reason_fit_one_message(ch: str) -> None:
    app = snapshot(ch, Status.NOT_QUALIFIED)
    reason = ch * parsers.MAX_REASON
    for decision in ("r", "d"):
        outcome = Outcome(
            before=app, after=app, level=ReviewLevel.BUREAU, decision=Decision(decision),
            actor_id=1, actor_name="审" * 200, reason=reason, at=NOW,
        )  # fmt: skip
        for text in (rr.outcome_text(outcome), rr.applicant_decision(outcome), rr.reviewers_told(outcome)):
            assert units(text) <= MESSAGE and reason in text
    district = ReviewCard(
        app=snapshot(ch, Status.UNIT_APPROVED),
        level=ReviewLevel.DISTRICT,
        changes=[],
        unit_approval=None,
        district_covers_unit=False,
        resubmitted=False,
        bureau_return=_event("return_to_district", "unit_approved", reason),
    )
    parts = rr.review_card_parts(district)
    _check_parts(parts)
    assert reason in "\n".join(text for text, _ in parts)


@CHARS
def test_a_long_history_is_split_between_events_and_keeps_the_newest(ch: str) -> None:
    """Returned twelve times with the longest reason: the clipped text lost the newest moves."""
    app = snapshot(ch, Status.RETURNED)
    events = [_event("return", "returned", f"{i}" + ch * (parsers.MAX_REASON - 2)) for i in range(12)]
    parts = rr.history_parts(app, [*events, _event("withdraw", "withdrawn")])
    assert len(parts) > 1 and all(units(part) <= MESSAGE for part in parts)
    joined = "\n".join(parts)
    assert all(rt.HISTORY_NOTE.format(note=e.note) in joined for e in events)
    assert parts[-1].splitlines()[-1].endswith("撤回申报（— → 已撤回）")


def test_a_change_of_several_lines_says_where_the_new_value_begins() -> None:
    """工作简历 “A” changed to “A\\nB” read “A → A” with B on a line of its own below."""
    first = {"start": "2005-07", "end": "2012-06", "unit": "重庆大学", "position": "讲师"}
    then = {"start": "2012-07", "end": "至今", "unit": "重庆大学", "position": "教授"}
    [line] = rr.change_lines([Change(keys.RESUME, [first], [first, then])])
    assert line.split("\n") == [
        "· 工作简历：",
        "  原：2005-07—2012-06 重庆大学 讲师",
        "  改为：2005-07—2012-06 重庆大学 讲师",
        "    2012-07—至今 重庆大学 教授",
    ]
    assert rr.change_lines([Change(keys.POSITION, "部长", "处长")]) == ["· 职务：部长 → 处长"]
