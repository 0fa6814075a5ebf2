"""What counts as the rest of a text Telegram split, and that no legal answer looks like a split."""

from datetime import UTC, date, datetime, timedelta

from bot.domain import keys, parsers
from bot.domain.form import BY_KEY, OVERLONG_TEXT, ParseContext, continues_overlong
from bot.services.applicant import OverlongTexts

AT = datetime(2022, 9, 20, 2, 0, tzinfo=UTC)


def test_the_longest_legal_resume_is_shorter_than_an_overlong_text() -> None:
    line = "2005年07月—2012年06月 " + "单" * parsers.MAX_RESUME_UNIT + " " + "职" * 30
    text = "\n".join([line] * parsers.MAX_RESUME_ENTRIES)
    entries = BY_KEY[keys.RESUME].parse_text(text, ParseContext(today=date(2022, 9, 20)))
    assert len(entries) == parsers.MAX_RESUME_ENTRIES
    assert len(text) < OVERLONG_TEXT
    assert parsers.MAX_RELAXATION_REASON < OVERLONG_TEXT


def test_a_text_continues_an_overlong_one_only_within_the_split_seconds() -> None:
    assert continues_overlong(AT, AT)
    assert continues_overlong(AT, AT + timedelta(seconds=2))
    assert not continues_overlong(AT, AT + timedelta(seconds=3))
    assert not continues_overlong(AT, AT - timedelta(seconds=1))
    assert not continues_overlong(None, AT)


def test_every_part_of_a_three_way_split_after_the_first_is_a_rest() -> None:
    texts = OverlongTexts()
    assert not texts.continues(1, AT, 4096)
    assert texts.continues(1, AT, 4096)
    assert texts.continues(1, AT + timedelta(seconds=1), 300)
    assert not texts.continues(2, AT, 10), "another chat's text is its own"
    assert not texts.continues(1, AT + timedelta(seconds=30), 10)
    assert not texts.continues(1, AT + timedelta(seconds=30), 10)

