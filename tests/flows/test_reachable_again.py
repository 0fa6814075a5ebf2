"""An account marked unreachable after a 403 is cleared by its next update; knowing who writes
costs one read per update and no write."""

from __future__ import annotations

from sqlalchemy import event, select, update

from bot.domain.review import RoleKind
from bot.offline import OfflineWorld
from storage.models import Account
from tests.flows.review_helpers import (
    UNIT_REVIEWER,
    UNIT_REVIEWER_2,
    grant,
    standard_reviewers,
    submitted_application,
)


async def _unreachable(sessionmaker, telegram_id: int) -> bool:
    async with sessionmaker() as session:
        return await session.scalar(
            select(Account.unreachable).where(Account.external_id == str(telegram_id))
        )


async def test_a_reviewer_marked_after_a_403_is_cleared_when_they_write_again(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, UNIT_REVIEWER_2, "李单位", RoleKind.UNIT, "CQU001")
    unit = world.user(UNIT_REVIEWER, "单位")
    world.session.blocked.add(UNIT_REVIEWER)
    await submitted_application(world)
    assert await _unreachable(sessionmaker, UNIT_REVIEWER)
    assert not await _unreachable(sessionmaker, UNIT_REVIEWER_2)

    world.session.blocked.discard(UNIT_REVIEWER)
    await unit.send("/pending")
    assert not await _unreachable(sessionmaker, UNIT_REVIEWER)


async def test_a_mark_written_by_another_process_is_cleared_too(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    async with sessionmaker() as session:
        await session.execute(update(Account).values(unreachable=True))
        await session.commit()
    await world.user(UNIT_REVIEWER, "单位").send("/pending")
    assert not await _unreachable(sessionmaker, UNIT_REVIEWER)


async def test_an_update_from_a_known_account_reads_it_once_and_writes_nothing(
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
    touching = [s for s in statements if "account" in s]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("SELECT"), statements
