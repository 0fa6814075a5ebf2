"""Eligibility flags of section 二 of the notice, judged only on known facts."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.eligibility import (
    FLAG_TEXT,
    Facts,
    Flag,
    age_on,
    check_eligibility,
    conditions_of,
)
from bot.domain.vocab import DISCIPLINES, OTHER_DISCIPLINE, TITLE_LEVELS, UNIT_KINDS

DEADLINE = date(2022, 9, 30)
UNKNOWN = Facts(
    birth_date=None, title_level=None, emergency_expert=None, unit_kind=None, discipline=None
)


def facts(**known) -> Facts:
    return Facts(**{**UNKNOWN.__dict__, **known})


def test_nothing_known_raises_no_flag():
    assert check_eligibility(UNKNOWN, DEADLINE) == ()


def test_sixty_fifth_birthday_on_the_deadline_is_flagged():
    assert check_eligibility(facts(birth_date=date(1957, 9, 30)), DEADLINE) == (Flag.AGE,)


def test_sixty_fifth_birthday_the_day_after_the_deadline_is_not_flagged():
    assert check_eligibility(facts(birth_date=date(1957, 10, 1)), DEADLINE) == ()


def test_age_on_counts_completed_years():
    assert age_on(date(1957, 9, 30), DEADLINE) == 65
    assert age_on(date(1957, 10, 1), DEADLINE) == 64
    assert age_on(date(1960, 2, 29), date(2025, 2, 28)) == 64
    assert age_on(date(1960, 2, 29), date(2025, 3, 1)) == 65


@pytest.mark.parametrize(
    ("level", "unit_kind", "flagged"),
    [
        ("正高级", "高等院校", False),
        ("副高级", "高等院校", True),
        ("副高级", "科研机构", True),
        ("副高级", "企业", False),
        ("副高级", None, False),
        ("中级", "企业", True),
        ("中级", None, True),
        ("无", "医疗卫生机构", True),
    ],
)
def test_title_needs_senior_level_and_full_senior_at_universities(level, unit_kind, flagged):
    found = check_eligibility(
        facts(title_level=level, unit_kind=unit_kind, emergency_expert=False), DEADLINE
    )
    assert (Flag.TITLE in found) is flagged


def test_emergency_expert_qualification_replaces_the_title():
    found = check_eligibility(facts(title_level="中级", emergency_expert=True), DEADLINE)
    assert found == ()


def test_title_is_not_judged_until_the_emergency_qualification_is_known():
    assert check_eligibility(facts(title_level="中级"), DEADLINE) == ()


@pytest.mark.parametrize(
    ("discipline", "flagged"),
    [("安全科学与工程类", False), ("医学类", False), ("其他", True), ("会计学", True)],
)
def test_discipline_outside_the_18_categories_is_flagged(discipline, flagged):
    found = check_eligibility(facts(discipline=discipline), DEADLINE)
    assert (Flag.DISCIPLINE in found) is flagged


def test_all_flags_come_in_flag_order():
    everything_wrong = Facts(
        birth_date=date(1950, 1, 1),
        title_level="初级",
        emergency_expert=False,
        unit_kind="高等院校",
        discipline="其他",
    )
    assert check_eligibility(everything_wrong, DEADLINE) == (Flag.AGE, Flag.TITLE, Flag.DISCIPLINE)


def test_every_flag_has_a_chinese_explanation():
    assert set(FLAG_TEXT) == set(Flag)
    assert all(FLAG_TEXT[flag] for flag in Flag)
    assert FLAG_TEXT["age"] == FLAG_TEXT[Flag.AGE]


def test_the_bureau_sees_each_condition_with_the_fact_it_is_judged_on():
    seen = conditions_of(
        facts(
            birth_date=date(1990, 1, 1),
            title_level="副高级",
            emergency_expert=False,
            unit_kind="高等院校",
            discipline="安全科学与工程类",
        ),
        DEADLINE,
    )
    assert (seen.age, seen.age_ok) == (32, True)
    assert (seen.title_level, seen.strict_title, seen.title_ok) == ("副高级", True, False)
    assert (seen.discipline, seen.discipline_ok) == ("安全科学与工程类", True)


def test_the_emergency_qualification_meets_the_title_condition_and_unknowns_stay_unknown():
    assert conditions_of(facts(title_level="中级", emergency_expert=True), DEADLINE).title_ok is True
    assert conditions_of(facts(title_level="中级"), DEADLINE).title_ok is None
    unknown = conditions_of(UNKNOWN, DEADLINE)
    assert (unknown.age_ok, unknown.title_ok, unknown.discipline_ok) == (None, None, None)
    assert conditions_of(facts(discipline=OTHER_DISCIPLINE), DEADLINE).discipline_ok is False


@given(
    birth=st.one_of(st.none(), st.dates(min_value=date(1940, 1, 1), max_value=date(2004, 1, 1))),
    level=st.one_of(st.none(), st.sampled_from(TITLE_LEVELS)),
    emergency=st.one_of(st.none(), st.booleans()),
    kind=st.one_of(st.none(), st.sampled_from(UNIT_KINDS)),
    discipline=st.one_of(st.none(), st.sampled_from((*DISCIPLINES, OTHER_DISCIPLINE, "别的"))),
)
def test_a_condition_fails_on_the_card_exactly_when_it_is_flagged(
    birth, level, emergency, kind, discipline
):
    known = facts(
        birth_date=birth,
        title_level=level,
        emergency_expert=emergency,
        unit_kind=kind,
        discipline=discipline,
    )
    flags = check_eligibility(known, DEADLINE)
    seen = conditions_of(known, DEADLINE)
    assert (seen.age_ok is False) == (Flag.AGE in flags)
    assert (seen.title_ok is False) == (Flag.TITLE in flags)
    assert (seen.discipline_ok is False) == (Flag.DISCIPLINE in flags)
