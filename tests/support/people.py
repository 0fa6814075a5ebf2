"""Persons in tests: a person has the project's own id, reached through a Telegram account.

Tests name people by the Telegram user id of their account (the offline
world's users, the settings' BUREAU_ADMIN_IDS, made-up numbers); these turn
that into the person id that every table stores.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import TZ
from bot.services.accounts import TELEGRAM, person_of_telegram
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from storage.db import Database
from storage.uow import unit_of_work_factory

MET_AT = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)
"""When people made up by tests were first met, unless a test says otherwise."""


def _uows(where: Database | UnitOfWorkFactory) -> UnitOfWorkFactory:
    return unit_of_work_factory(where) if isinstance(where, Database) else where


async def person(
    where: Database | UnitOfWorkFactory, telegram_id: int, now: datetime = MET_AT
) -> int:
    """The person of this Telegram account, met now (person and account made) if new."""
    return await person_of_telegram(_uows(where), telegram_id, now)


async def people(
    where: Database | UnitOfWorkFactory, *telegram_ids: int, now: datetime = MET_AT
) -> tuple[int, ...]:
    """`person` of each Telegram id, in the order given."""
    return tuple([await person(where, i, now) for i in telegram_ids])


async def known_person(where: Database | UnitOfWorkFactory, telegram_id: int) -> int | None:
    """The person of this Telegram account if the bot has met it; meets nobody."""
    async with _uows(where)() as uow:
        account = await uow.accounts.attached(TELEGRAM, str(telegram_id))
    return None if account is None else account.person_id


async def met_person(where: Database | UnitOfWorkFactory, telegram_id: int) -> int:
    """The person of a Telegram account the bot must already have met (fails otherwise)."""
    found = await known_person(where, telegram_id)
    assert found is not None, f"the bot never met Telegram user {telegram_id}"
    return found


async def person_in(uow: UnitOfWork, telegram_id: int, now: datetime = MET_AT) -> int:
    """`person`, inside a unit of work the caller has open (and commits): for seeding helpers
    that store a person's application in the same transaction."""
    external = str(telegram_id)
    account = await uow.accounts.attached(TELEGRAM, external)
    if account is not None:
        return account.person_id
    person_id = await uow.accounts.add_person("", now)
    added = await uow.accounts.add_account(
        person_id=person_id,
        channel=TELEGRAM,
        external_id=external,
        chat_id=external,
        username=None,
        display_name="",
        now=now,
    )
    assert added is not None
    return person_id


async def is_unreachable(where: Database | UnitOfWorkFactory, telegram_id: int) -> bool:
    """Whether the bot marked this Telegram account unreachable (it blocked the bot)."""
    async with _uows(where)() as uow:
        account = await uow.accounts.attached(TELEGRAM, str(telegram_id))
    assert account is not None, f"the bot never met Telegram user {telegram_id}"
    return account.unreachable
