"""The pipeline benchmark's own pieces: applicants' plans, Poisson arrivals, answer checks."""

from __future__ import annotations

import random
import time
from datetime import date

import pytest
from aiogram import Bot
from aiogram.methods import GetMe
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from benchmarks.pipeline import arrival_times, share
from benchmarks.walk import (
    MISTAKE_SITES,
    RESUME,
    RETRIES,
    RIGHT_ANSWERS,
    SUBMITTED,
    Action,
    check_asked_again,
    id_number,
    mistakes_in,
    next_update,
    plan,
)
from bot.domain.idcard import parse_id_number
from bot.offline import OfflineSession, Sent


def test_same_seed_and_applicant_give_the_same_plan() -> None:
    assert plan(7, seed=1) == plan(7, seed=1)
    assert any(plan(i, seed=1) != plan(i, seed=2) for i in range(20))


def test_about_one_answer_in_ten_is_first_given_wrong() -> None:
    plans = [plan(i, seed=3) for i in range(3000)]
    wrong = sum(mistakes_in(p) for p in plans)
    assert wrong / (RIGHT_ANSWERS * len(plans)) == pytest.approx(0.1, abs=0.005)


def test_every_wrong_answer_is_fixed_by_the_next_message() -> None:
    right = plan(0, seed=1, mistake_rate=0.0)
    assert len(right) == RIGHT_ANSWERS and mistakes_in(right) == 0
    full = plan(0, seed=1, mistake_rate=1.0)
    assert mistakes_in(full) == MISTAKE_SITES
    assert [a for a in full if not a.asks_again] == right
    for wrong, fix in zip(full, full[1:], strict=False):
        if wrong.asks_again:
            assert not fix.asks_again


def test_a_plan_ends_with_the_signature_and_expects_the_submission() -> None:
    assert plan(5, seed=1)[-1].expect == SUBMITTED


def test_applicants_get_distinct_valid_id_numbers() -> None:
    today = date(2022, 9, 20)
    numbers = [id_number(i) for i in (-1, *range(0, 20_000, 7))]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[:50]:
        parse_id_number(number, today)


def test_a_wrong_id_check_digit_is_the_only_change() -> None:
    full = plan(0, seed=1, mistake_rate=1.0)
    at = next(i for i, a in enumerate(full) if a.asks_again == "身份证号")
    wrong, fixed = full[at].value, full[at + 1].value
    assert wrong[:-1] == fixed[:-1] and wrong[-1] != fixed[-1]


def _sent(*texts: str) -> list[Sent]:
    return [Sent(i, 1, text) for i, text in enumerate(texts)]


def test_a_refusal_followed_by_the_same_question_passes() -> None:
    action = Action("send", "还行", asks_again="健康状况")
    check_asked_again(action, _sent("请从以下选项中选择：…", "第 9/25 项 · 健康状况\n请选择"))


@pytest.mark.parametrize(
    "replies",
    [
        ("第 10/25 项 · 学历\n请选择",),  # taken as an answer: the next field is asked
        ("第 9/25 项 · 健康状况\n请选择",),  # asked again without a reason
        ("请从以下选项中选择：…",),  # a reason, but no question
    ],
)
def test_a_wrong_answer_not_refused_and_asked_again_fails(replies: tuple[str, ...]) -> None:
    with pytest.raises(AssertionError):
        check_asked_again(Action("send", "还行", asks_again="健康状况"), _sent(*replies))


def test_poisson_arrivals_keep_the_rate_within_the_window() -> None:
    times = list(arrival_times(random.Random(1), rate=200, duration=60))
    assert times == sorted(times) and times[0] > 0 and times[-1] < 60
    assert len(times) / 60 == pytest.approx(200, rel=0.03)


def test_rounds_share_every_id_once() -> None:
    ids = [i for r in range(5) for i in share(1003, 5, r)]
    assert ids == list(range(1003))


async def test_offline_session_answers_after_its_latency() -> None:
    session = OfflineSession(latency=0.05)
    bot = Bot(token="42:TEST", session=session)
    start = time.perf_counter()
    await bot(GetMe())
    assert time.perf_counter() - start >= 0.05
    await bot.session.close()


class _Chat:
    """Enough of an OfflineUser for next_update: an id and an inbox."""

    id = 1

    def __init__(self, *buttons: str) -> None:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=b, callback_data=b)] for b in buttons]
        )
        self._inbox = [Sent(1, 1, "问题", markup)]

    def inbox(self) -> list[Sent]:
        return self._inbox


def test_a_failed_update_is_sent_again_while_its_button_is_there() -> None:
    press = Action("press", "全部同意")
    assert next_update(_Chat("全部同意"), press, tries=0, resumed=False) is press  # type: ignore[arg-type]
    assert next_update(_Chat("全部同意"), press, tries=1, resumed=False) is press  # type: ignore[arg-type]


def test_a_failure_that_took_the_button_away_is_resumed_with_start_once() -> None:
    press = Action("press", "全部同意")
    assert next_update(_Chat(), press, tries=1, resumed=False) == RESUME  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="no button"):
        next_update(_Chat(), press, tries=1, resumed=True)  # type: ignore[arg-type]


def test_the_run_gives_up_on_an_update_that_keeps_failing() -> None:
    with pytest.raises(RuntimeError, match="failed"):
        next_update(_Chat(), Action("send", "张三"), tries=RETRIES + 1, resumed=False)  # type: ignore[arg-type]
