"""An account marked unreachable after a 403 is cleared by its next update; knowing who writes
costs one read a minute per account."""

from __future__ import annotations

from sqlalchemy import event, select, update

from bot.domain.review import RoleKind
from bot.offline import OfflineWorld
from bot.services.accounts import Identity, KnownAccounts, Sender
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
    await unit.send("/pending")  # known to this process from now on
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


async def test_an_account_that_wrote_in_the_last_minute_is_not_read_again(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    user = world.user(1001, "三", last_name="张")
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(sessionmaker.sync_engine, "before_cursor_execute", record)
    try:
        await user.send("/help")
        first = [s for s in statements if "account" in s]
        statements.clear()
        await user.send("/help")
    finally:
        event.remove(sessionmaker.sync_engine, "before_cursor_execute", record)
    assert first, "met once"
    assert not [s for s in statements if "account" in s]


def test_known_accounts_are_read_again_after_the_minute_and_forgotten_on_a_rebind() -> None:
    now = [0.0]
    known = KnownAccounts(ttl=60, monotonic=lambda: now[0])
    sender = Sender("telegram", "1001", "1001", None, "")
    known.put(sender, Identity(person_id=7, account_id=3))
    assert known.get(sender) == Identity(7, 3)
    now[0] = 59.9
    assert known.get(sender) is not None
    now[0] = 60.0
    assert known.get(sender) is None
    known.put(sender, Identity(7, 3))
    known.forget_person(7)
    assert known.get(sender) is None
