"""A draw books its experts in one order, so two draws at once never deadlock on each other's days.

Two draws that picked the same two experts in opposite orders each held one
expert's day and waited for the other's: PostgreSQL broke the cycle by failing
one of them (seen once in CI, tests/flows/test_draws.py). Booked by expert id,
the later draw waits for the earlier one's commit instead.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from bot.services.draws import _book_all

DAYS = [date(2022, 12, 10), date(2022, 12, 11)]


class Bookings:
    """The repository's `book`, recording the order of the calls; `taken` experts are booked."""

    def __init__(self, taken: frozenset[int] = frozenset()) -> None:
        self.calls: list[int] = []
        self.taken = taken

    async def book(self, invitation_id: int, expert_id: int, days: Any) -> bool:
        self.calls.append(expert_id)
        return expert_id not in self.taken


async def test_experts_are_booked_by_id_whatever_order_they_were_drawn_in() -> None:
    for drawn in ([(1, 30), (2, 10), (3, 20)], [(1, 20), (2, 30), (3, 10)]):
        bookings = Bookings()
        assert await _book_all(SimpleNamespace(draws=bookings), drawn, DAYS)
        assert bookings.calls == [10, 20, 30]


async def test_booking_stops_at_the_first_expert_already_taken() -> None:
    bookings = Bookings(taken=frozenset({20}))
    assert not await _book_all(SimpleNamespace(draws=bookings), [(1, 30), (2, 20), (3, 10)], DAYS)
    assert bookings.calls == [10, 20]
