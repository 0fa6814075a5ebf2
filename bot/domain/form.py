"""Annex 1 as data: one ordered tuple of fields walked by one generic handler.

Each field owns its label (as printed), its prompt, how it is answered, and a
parser that returns the clean value or raises ValueError with a message for
the applicant. Adding a field is one entry here plus its column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.domain import keys, parsers, vocab
from bot.domain.eligibility import Facts, Flag, check_adult, check_eligibility
from bot.domain.idcard import parse_id_number
from bot.texts import chat
from bot.texts import form as t
from bot.texts.chat import PLEDGE_STATEMENT

PLEDGE = PLEDGE_STATEMENT
"""The pledge the applicant signs with their name: asked in chat, printed on Annex 1."""


OVERLONG_TEXT = 2000
"""Characters no answer reaches (the longest, a 15-entry 工作简历, stays under 1,800). Telegram
splits a text over 4,096 into messages sent one straight after the other: a text this long is
the first part of such a split as likely as not, and what follows it at once is its rest."""

SPLIT_SECONDS = 2
"""The parts of one split carry the same send time, give or take the second it ticked over in."""


def continues_overlong(previous: datetime | None, sent_at: datetime) -> bool:
    """Whether a text sent at `sent_at` is the rest of an over-long one sent at `previous`."""
    if previous is None:
        return False
    return timedelta(0) <= sent_at - previous <= timedelta(seconds=SPLIT_SECONDS)


RESUME_FOLLOW_UP = timedelta(minutes=2)
"""How long after the résumé is saved a text made only of résumé lines is more of it, not the
next question's answer. A computer's Enter sends each line as a message of its own, and the next
line is typed after the next question has arrived: seconds to a minute, far past SPLIT_SECONDS."""


def continues_resume(
    draft: Mapping[str, Any], asked: str, written_at: datetime | None, now: datetime
) -> bool:
    """Whether a résumé-shaped text sent at `now` to the field `asked` is the rest of the résumé:
    the résumé is answered, `asked` is where answering it leads (`next_field` leads only to an
    unanswered field, so not to one asked again from the card), and the form was saved just now."""
    if asked == keys.RESUME or written_at is None or not is_answered(BY_KEY[keys.RESUME], draft):
        return False
    after = next_field(draft, keys.RESUME)
    return after is not None and after.key == asked and timedelta(0) <= now - written_at <= RESUME_FOLLOW_UP


class Kind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    CONFIRM = "confirm"
    PHOTO = "photo"
    LIST = "list"
    PHONE = "phone"
    """A phone number, typed or shared with Telegram's contact button."""


@dataclass(frozen=True, kw_only=True)
class ParseContext:
    today: date
    deadline: date | None = None
    """The campaign's unit deadline (local date), for the age an ID number must show."""


Parser = Callable[[str, ParseContext], Any]


def plain(parse: Callable[[str], Any]) -> Parser:
    """Adapts a one-argument parser to the form's (text, context) signature."""
    return lambda text, _ctx: parse(text)


@dataclass(frozen=True, kw_only=True)
class Field:
    key: str
    """Stable id: the column, the draft key, the FSM cursor. Never renamed casually."""
    label: str
    """As printed on Annex 1."""
    prompt: str
    kind: Kind = Kind.TEXT
    parse: Parser | None = None
    """Returns the clean value or raises ValueError(<message for the applicant>)."""
    choices: tuple[str, ...] = ()
    """Button labels; the chosen label is the stored value."""
    typed: bool = True
    """Whether a typed answer is accepted besides the buttons."""
    required: bool = True
    max_items: int = 1
    """For LIST fields: how many entries at most."""
    ask_if: Callable[[Mapping[str, Any]], bool] | None = None
    """Asked only when this says so for the current draft."""

    def applies(self, draft: Mapping[str, Any]) -> bool:
        return self.ask_if is None or self.ask_if(draft)

    def parse_text(self, text: str, ctx: ParseContext) -> Any:
        if self.parse is not None:
            return self.parse(text, ctx)
        if self.choices:
            return vocab.parse_choice(text, self.choices)
        raise ValueError(t.USE_BUTTONS)


def _parse_id(text: str, ctx: ParseContext) -> Any:
    number = parse_id_number(text, ctx.today)
    # The notice counts age at the deadline; without it, today is stricter by the days left.
    check_adult(number.birth_date, ctx.deadline or ctx.today)
    return number


def _parse_resume(text: str, ctx: ParseContext) -> Any:
    return parsers.check_resume_dates(parsers.parse_resume(text), ctx.today)


def _parse_confirm(text: str) -> bool:
    value = vocab.parse_choice(text, t.CONFIRM_CHOICES)
    return value == t.CONFIRM_CHOICES[0]


def _parse_yes_no(text: str) -> bool:
    return parsers.parse_yes_no(text)


def facts_of(draft: Mapping[str, Any], unit_kind: str | None) -> Facts:
    """What the eligibility conditions are judged on; a birth date counts once confirmed."""
    return Facts(
        birth_date=draft.get(keys.BIRTH_DATE) if draft.get(keys.ID_CONFIRMED) else None,
        title_level=draft.get(keys.TITLE_LEVEL),
        emergency_expert=draft.get(keys.EMERGENCY_EXPERT),
        unit_kind=unit_kind,
        discipline=draft.get(keys.DISCIPLINE),
    )


def flags_of(draft: Mapping[str, Any], unit_kind: str | None, deadline: date) -> tuple[Flag, ...]:
    """Eligibility flags for what the draft says so far."""
    return check_eligibility(facts_of(draft, unit_kind), deadline)


def _needs_relaxation(draft: Mapping[str, Any]) -> bool:
    return bool(draft.get("flags"))


FIELDS: tuple[Field, ...] = (
    Field(
        key=keys.GROUP,
        label="拟报专业组",
        prompt=t.PROMPT_GROUP,
        kind=Kind.CHOICE,
        choices=vocab.PROFESSIONAL_GROUPS,
    ),
    Field(key=keys.NAME, label="姓名", prompt=t.PROMPT_NAME, parse=plain(parsers.parse_name)),
    Field(key=keys.ID_NUMBER, label="身份证号", prompt=t.PROMPT_ID_NUMBER, parse=_parse_id),
    Field(
        key=keys.ID_CONFIRMED,
        label="出生年月与性别",
        prompt=t.PROMPT_ID_CONFIRMED,
        kind=Kind.CONFIRM,
        choices=t.CONFIRM_CHOICES,
        parse=plain(_parse_confirm),
    ),
    Field(
        key=keys.ETHNICITY,
        label="民族",
        prompt=t.PROMPT_ETHNICITY,
        kind=Kind.CHOICE,
        choices=vocab.COMMON_ETHNIC_GROUPS,
        parse=plain(vocab.parse_ethnicity),
    ),
    Field(key=keys.PHOTO, label="照片", prompt=t.PROMPT_PHOTO, kind=Kind.PHOTO, typed=False),
    Field(
        key=keys.POSITION,
        label="职务",
        prompt=t.PROMPT_POSITION,
        parse=plain(parsers.text_parser(parsers.MAX_POSITION)),
    ),
    Field(
        key=keys.PART_TIME,
        label="社会兼职",
        prompt=t.PROMPT_PART_TIME,
        parse=plain(parsers.text_parser(parsers.MAX_PART_TIME)),
        required=False,
    ),
    Field(
        key=keys.HEALTH,
        label="健康状况",
        prompt=t.PROMPT_HEALTH,
        kind=Kind.CHOICE,
        choices=vocab.HEALTH_STATUSES,
    ),
    Field(
        key=keys.EDUCATION,
        label="学历",
        prompt=t.PROMPT_EDUCATION,
        kind=Kind.CHOICE,
        choices=tuple(label for _code, label in vocab.EDUCATION_LEVELS),
    ),
    Field(
        key=keys.TITLE,
        label="职称",
        prompt=t.PROMPT_TITLE,
        parse=plain(parsers.text_parser(parsers.MAX_TITLE)),
    ),
    Field(
        key=keys.TITLE_LEVEL,
        label="职称等级",
        prompt=t.PROMPT_TITLE_LEVEL,
        kind=Kind.CHOICE,
        choices=vocab.TITLE_LEVELS,
    ),
    Field(
        key=keys.EMERGENCY_EXPERT,
        label="重庆市应急管理专家资格",
        prompt=t.PROMPT_EMERGENCY_EXPERT,
        kind=Kind.CHOICE,
        choices=t.YES_NO_CHOICES,
        parse=plain(_parse_yes_no),
    ),
    Field(
        key=keys.SCHOOL,
        label="毕业学校",
        prompt=t.PROMPT_SCHOOL,
        parse=plain(parsers.text_parser(parsers.MAX_SCHOOL)),
    ),
    Field(
        key=keys.MAJOR,
        label="所学专业",
        prompt=t.PROMPT_MAJOR,
        parse=plain(parsers.text_parser(parsers.MAX_MAJOR)),
    ),
    Field(
        key=keys.DISCIPLINE,
        label="学科类别",
        prompt=t.PROMPT_DISCIPLINE,
        kind=Kind.CHOICE,
        choices=(*vocab.DISCIPLINES, vocab.OTHER_DISCIPLINE),
    ),
    Field(
        key=keys.MAIN_SPECIALTIES,
        label="主要从事专业",
        prompt=t.PROMPT_MAIN_SPECIALTIES,
        kind=Kind.LIST,
        max_items=4,
        parse=plain(parsers.parse_specialties),
    ),
    Field(
        key=keys.FAMILIAR_SPECIALTIES,
        label="熟悉专业",
        prompt=t.PROMPT_FAMILIAR_SPECIALTIES,
        kind=Kind.LIST,
        max_items=4,
        parse=plain(parsers.parse_specialties),
    ),
    Field(
        key=keys.UNIT_ADDRESS,
        label="单位地址",
        prompt=t.PROMPT_UNIT_ADDRESS,
        parse=plain(parsers.text_parser(parsers.MAX_ADDRESS)),
    ),
    Field(
        key=keys.MOBILE,
        label="移动电话",
        prompt=t.PROMPT_MOBILE,
        kind=Kind.PHONE,
        parse=plain(parsers.parse_mobile),
    ),
    Field(
        key=keys.HOME_ADDRESS,
        label="家庭地址",
        prompt=t.PROMPT_HOME_ADDRESS,
        parse=plain(parsers.text_parser(parsers.MAX_ADDRESS)),
    ),
    Field(
        key=keys.OFFICE_PHONE,
        label="办公电话",
        prompt=t.PROMPT_OFFICE_PHONE,
        parse=plain(parsers.parse_phone),
    ),
    Field(
        key=keys.EMAIL, label="个人邮箱", prompt=t.PROMPT_EMAIL, parse=plain(parsers.parse_email)
    ),
    Field(
        key=keys.EMERGENCY_PHONE,
        label="紧急电话",
        prompt=t.PROMPT_EMERGENCY_PHONE,
        parse=plain(parsers.parse_phone),
    ),
    Field(
        key=keys.RESUME,
        label="工作简历",
        prompt=t.PROMPT_RESUME,
        kind=Kind.LONG_TEXT,
        parse=_parse_resume,
    ),
    Field(
        key=keys.RELAXATION_REASON,
        label="放宽条件申请理由",
        prompt=t.PROMPT_RELAXATION_REASON,
        kind=Kind.LONG_TEXT,
        parse=plain(parsers.long_text_parser(parsers.MAX_RELAXATION_REASON)),
        ask_if=_needs_relaxation,
    ),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
ORDER: dict[str, int] = {f.key: i for i, f in enumerate(FIELDS)}


def field(key: str) -> Field:
    return BY_KEY[key]


def applicable(draft: Mapping[str, Any]) -> list[Field]:
    return [f for f in FIELDS if f.applies(draft)]


def progress(key: str, draft: Mapping[str, Any]) -> tuple[int, int]:
    """Position of a field among the fields that apply, for the 第 n/N 项 line."""
    fields = applicable(draft)
    keys_ = [f.key for f in fields]
    return (keys_.index(key) + 1 if key in keys_ else len(keys_)), len(keys_)


def is_answered(f: Field, draft: Mapping[str, Any]) -> bool:
    value = draft.get(f.key)
    return value not in (None, "", [])


def next_field(draft: Mapping[str, Any], after: str | None) -> Field | None:
    """The field to ask after answering `after` (None: from the start); None means the card.

    An unanswered relaxation reason comes first once a flag is raised, so the
    applicant is stopped where the problem appears; after it, the first missing
    answer. A complete form goes back to the card, which is how editing one
    field from the card returns there.
    """
    relax = BY_KEY[keys.RELAXATION_REASON]
    if relax.applies(draft) and not is_answered(relax, draft):
        return relax
    missing = first_missing(draft)
    if missing is None or after is None or after == relax.key:
        return missing
    for f in FIELDS[ORDER[after] + 1 :]:
        if f.applies(draft) and f.key != relax.key:
            return f
    return missing


def previous_field(draft: Mapping[str, Any], before: str) -> Field | None:
    """The field that 上一项 leads to; from the relaxation reason, the answer that raised the flag."""
    if before == keys.RELAXATION_REASON:
        gap = next(
            (f for f in FIELDS if f.key != before and f.required and f.applies(draft)
             and not is_answered(f, draft)),
            None,
        )
        before = gap.key if gap else before
    for f in reversed(FIELDS[: ORDER[before]]):
        if f.applies(draft) and f.key != keys.RELAXATION_REASON:
            return f
    return None


def first_missing(draft: Mapping[str, Any]) -> Field | None:
    """The first required field that applies and has no answer."""
    for f in FIELDS:
        if f.required and f.applies(draft) and not is_answered(f, draft):
            return f
    return None


def describe(f: Field, value: Any) -> str:
    """Human-readable value for cards; masking is the caller's job."""
    if value in (None, "", []):
        return t.EMPTY_VALUE
    if f.kind is Kind.LIST:
        return "；".join(value)
    if f.key == keys.RESUME:
        return "\n".join(_resume_line(e) for e in value)
    if isinstance(value, bool):
        return t.YES_NO_CHOICES[0] if value else t.YES_NO_CHOICES[1]
    return str(value)


def _resume_line(entry: Mapping[str, str]) -> str:
    return f"{entry['start']}—{entry['end']} {entry['unit']} {entry['position']}".strip()


def add_to_list(f: Field, existing: Sequence[str], typed: Sequence[str]) -> list[str]:
    """A list field after the entries of one message; ValueError says why none is added.

    Entries already there are passed over; Annex 1 prints `max_items` rows, so a
    message that would go past them adds nothing rather than some of them.
    """
    new = [item for item in typed if item not in existing]
    if not new:
        raise ValueError(chat.LIST_DUPLICATE)
    if len(existing) >= f.max_items:
        raise ValueError(chat.LIST_FULL.format(limit=f.max_items))
    if len(existing) + len(new) > f.max_items:
        raise ValueError(
            chat.LIST_TOO_MANY.format(
                count=len(existing),
                new=len(new),
                limit=f.max_items,
                room=f.max_items - len(existing),
            )
        )
    return [*existing, *new]


def choices_of(f: Field) -> Sequence[str]:
    return f.choices
