"""A person marked unreachable after a 403 is cleared by their next update, at no cost to others."""

from __future__ import annotations

from sqlalchemy import event, update

from bot.domain.review import RoleKind
from bot.offline import OfflineWorld
from bot.services.reachability import MarkedUnreachable
from storage.models import Person
from tests.flows.review_helpers import (
    UNIT_REVIEWER,
    UNIT_REVIEWER_2,
    grant,
    standard_reviewers,
    submitted_application,
)


async def _unreachable(sessionmaker, person_id: int) -> bool:
    async with sessionmaker() as session:
        return (await session.get(Person, person_id)).unreachable


async def test_a_reviewer_marked_after_a_403_is_cleared_when_they_write_again(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, UNIT_REVIEWER_2, "李单位", RoleKind.UNIT, "CQU001")
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.send("/pending")  # this process has read the marks: none yet
    world.session.blocked.add(UNIT_REVIEWER)
    await submitted_application(world)
    assert await _unreachable(sessionmaker, UNIT_REVIEWER)

    world.session.blocked.discard(UNIT_REVIEWER)
    await unit.send("/pending")
    assert not await _unreachable(sessionmaker, UNIT_REVIEWER)


async def test_a_mark_written_before_a_restart_is_cleared_too(
    world: OfflineWorld, sessionmaker
) -> None:
    """The process reads the marks from the database once: one written by another process counts."""
    await standard_reviewers(sessionmaker)
    async with sessionmaker() as session:
        await session.execute(update(Person).values(unreachable=True))
        await session.commit()
    await world.user(UNIT_REVIEWER, "单位").send("/pending")
    assert not await _unreachable(sessionmaker, UNIT_REVIEWER)


async def test_an_update_from_someone_not_marked_reads_and_writes_no_person(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    user = world.user(1001, "三", last_name="张")
    await user.send("/help")
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(sessionmaker.sync_engine, "before_cursor_execute", record)
    try:
        await user.send("/help")
    finally:
        event.remove(sessionmaker.sync_engine, "before_cursor_execute", record)
    assert not [s for s in statements if "unreachable" in s]


def test_the_marks_are_read_again_after_the_refresh_interval() -> None:
    now = [0.0]
    marks = MarkedUnreachable(refresh=60, monotonic=lambda: now[0])
    assert marks.due()
    marks.read([7])
    marks.marked(8)
    assert not marks.due() and 7 in marks and 8 in marks
    now[0] = 61
    assert marks.due()
    marks.read([9])
    marks.cleared(7)
    assert 7 not in marks and 8 in marks and 9 in marks
