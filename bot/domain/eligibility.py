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
