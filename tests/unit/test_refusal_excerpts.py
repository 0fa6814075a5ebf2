"""A refusal quotes at most a short excerpt of what was typed, never the whole of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.domain import parsers, vocab
from bot.domain.excerpt import EXCERPT_CHARS, excerpt

LONG = "某" * 10_000

REFUSALS: list[tuple[str, Callable[[str], object], str]] = [
    ("ethnicity", vocab.parse_ethnicity, LONG),
    ("ethnicity suggestion", vocab.parse_ethnicity, "苗" + "x" * 10_000),
    ("district", vocab.resolve_district, LONG),
    ("email", parsers.parse_email, "a" * 120 + "@" + "b" * 120),
    ("year-month", parsers.parse_year_month, LONG),
    ("deadline", parsers.parse_deadline, LONG),
    ("choice", lambda s: vocab.parse_choice(s, ("大学本科", "大学专科")), "大学"),
]


@pytest.mark.parametrize(("what", "parse", "typed"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refusal_quotes_a_short_excerpt(what: str, parse: Callable[[str], object], typed: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse(typed)
    message = str(refused.value)
    assert len(message) < 200, what
    quoted = message.split("“", 1)[1].split("”", 1)[0] if "“" in message else ""
    assert len(quoted) <= EXCERPT_CHARS


def test_the_excerpt_is_one_line_and_marks_the_cut() -> None:
    assert excerpt("汉族") == "汉族"
    assert excerpt("a\nb") == "a b"
    cut = excerpt("某" * 50)
    assert len(cut) == EXCERPT_CHARS and cut.endswith("…")
