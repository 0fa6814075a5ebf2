"""Who is marked unreachable, and clearing the mark when that person writes again.

A person is marked unreachable when Telegram refused a message to them (403:
blocked, deactivated). Writing to the bot again shows they can be reached,
so their next update clears the mark. Checking the database on every update
would cost a query per update for the rare person who is marked; instead
this process keeps the set of marked ids: read from the database once (and
again every `REFRESH` seconds, for marks written by another process such as
`expertbot remind --once`), and told at once of every mark written through
its own units of work (storage.people).

Extra ids in the set cost one conditional UPDATE that changes nothing, so the
set only grows between refreshes; a missing id would leave a mark standing,
so nothing is ever dropped from it except after a committed clear.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from bot.services.repositories import UnitOfWorkFactory

REFRESH = 60.0
"""Seconds between reads of the marks from the database."""


class MarkedUnreachable:
    """The ids of people marked unreachable, as this process knows them."""

    def __init__(
        self, refresh: float = REFRESH, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._ids: set[int] = set()
        self._read_at: float | None = None
        self._refresh = refresh
        self._monotonic = monotonic

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._ids

    def due(self) -> bool:
        """Whether the database should be read (first use, or the refresh interval passed)."""
        return self._read_at is None or self._monotonic() - self._read_at >= self._refresh

    def read(self, ids: Iterable[int]) -> None:
        """Adds the marks read from the database; a mark written meanwhile is kept."""
        self._ids.update(ids)
        self._read_at = self._monotonic()

    def marked(self, person_id: int) -> None:
        """A mark written in this process (it may yet roll back: an extra id is harmless)."""
        self._ids.add(person_id)

    def cleared(self, person_id: int) -> None:
        """A committed clear."""
        self._ids.discard(person_id)


async def person_wrote(
    uows: UnitOfWorkFactory, marks: MarkedUnreachable, person_id: int
) -> bool:
    """Clears the person's unreachable mark, if they have one; True when it was cleared.

    For anyone not marked this reads nothing (but the periodic refresh) and writes nothing.
    """
    if marks.due():
        async with uows() as uow:
            marks.read(await uow.people.unreachable_ids())
    if person_id not in marks:
        return False
    async with uows() as uow:
        changed = await uow.people.set_reachable(person_id, True)
        await uow.commit()
    marks.cleared(person_id)
    return changed
