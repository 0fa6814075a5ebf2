"""The application conditions of section 二 of the notice, as flags.

A flag marks a condition the known facts do not meet; it never blocks, since
academicians and special talents may ask for relaxation (二 (五)) and the
reviewers decide. Unknown facts (None) raise no flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.vocab import DISCIPLINES, OTHER_DISCIPLINE, STRICT_TITLE_UNIT_KINDS
from bot.texts import validation as msg

MAX_AGE = 65
"""年龄在65周岁以下: an applicant who is 65 on the deadline day is flagged."""
MIN_AGE = 18
"""Below this on the deadline the ID number cannot be an expert's: it is refused, not flagged."""


class Flag(StrEnum):
    AGE = "age"
    TITLE = "title"
    DISCIPLINE = "discipline"


FLAG_TEXT: dict[Flag, str] = {
    Flag.AGE: msg.FLAG_AGE,
    Flag.TITLE: msg.FLAG_TITLE,
    Flag.DISCIPLINE: msg.FLAG_DISCIPLINE,
}


@dataclass(frozen=True)
class Facts:
    birth_date: date | None
    title_level: str | None
    """One of vocab.TITLE_LEVELS."""
    emergency_expert: bool | None
    """Holds the Chongqing emergency-management expert qualification."""
    unit_kind: str | None
    """One of vocab.UNIT_KINDS."""
    discipline: str | None
    """One of vocab.DISCIPLINES or vocab.OTHER_DISCIPLINE."""


def age_on(birth_date: date, day: date) -> int:
    """Completed years (周岁) on `day`; a 29 February birthday counts from 1 March."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def check_adult(birth_date: date, day: date) -> None:
    """Refuses a birth date of someone under MIN_AGE on `day`, saying why in plain words.

    Unlike the flags this blocks: no relaxation makes a child an expert, so
    the number is almost surely mistyped or someone else's.
    """
    if age_on(birth_date, day) < MIN_AGE:
        raise ValueError(
            msg.ID_UNDER_AGE.format(
                birth=f"{birth_date:%Y-%m-%d}", day=f"{day:%Y-%m-%d}", min_age=MIN_AGE
            )
        )


def _title_ok(level: str, unit_kind: str | None) -> bool:
    if unit_kind in STRICT_TITLE_UNIT_KINDS:
        return level == "正高级"
    return level in ("正高级", "副高级")


def check_eligibility(facts: Facts, deadline: date) -> tuple[Flag, ...]:
    """Flags for the conditions the known facts fail, in Flag order."""
    flags = []
    if facts.birth_date is not None and age_on(facts.birth_date, deadline) >= MAX_AGE:
        flags.append(Flag.AGE)
    # The title condition is met by the title or by the emergency qualification, so
    # it fails only when both are known and neither holds.
    if (
        facts.title_level is not None
        and facts.emergency_expert is False
        and not _title_ok(facts.title_level, facts.unit_kind)
    ):
        flags.append(Flag.TITLE)
    if facts.discipline is not None and (
        facts.discipline == OTHER_DISCIPLINE or facts.discipline not in DISCIPLINES
    ):
        flags.append(Flag.DISCIPLINE)
    return tuple(flags)


@dataclass(frozen=True)
class Conditions:
    """The facts behind the flags, as the bureau's qualification card shows them.

    Each `*_ok` is None when the facts to judge it are not known.
    """

    deadline: date
    age: int | None
    """Completed years on the deadline day."""
    age_ok: bool | None
    title_level: str | None
    unit_kind: str | None
    strict_title: bool
    """The unit kind asks for 正高级 (universities, research institutes), not 副高级 and above."""
    emergency_expert: bool | None
    title_ok: bool | None
    """By title level, or by the emergency-management qualification."""
    discipline: str | None
    discipline_ok: bool | None


def conditions_of(facts: Facts, deadline: date) -> Conditions:
    """Each condition of section 二 with the fact it is judged on, for a reviewer to weigh;
    a condition fails here exactly when `check_eligibility` flags it."""
    age = age_on(facts.birth_date, deadline) if facts.birth_date is not None else None
    title_ok: bool | None = None
    if facts.emergency_expert is True:
        title_ok = True
    elif facts.title_level is not None:
        title_ok = _title_ok(facts.title_level, facts.unit_kind) or (
            None if facts.emergency_expert is None else False
        )
    discipline_ok = (
        None
        if facts.discipline is None
        else facts.discipline != OTHER_DISCIPLINE and facts.discipline in DISCIPLINES
    )
    return Conditions(
        deadline=deadline,
        age=age,
        age_ok=None if age is None else age < MAX_AGE,
        title_level=facts.title_level,
        unit_kind=facts.unit_kind,
        strict_title=facts.unit_kind in STRICT_TITLE_UNIT_KINDS,
        emergency_expert=facts.emergency_expert,
        title_ok=title_ok,
        discipline=facts.discipline,
        discipline_ok=discipline_ok,
    )
