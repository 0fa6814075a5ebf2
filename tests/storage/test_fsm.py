"""Conversation state survives a new storage object over the same database."""

from __future__ import annotations

import asyncio

from aiogram.fsm.storage.base import StorageKey

from storage.fsm import ChatIsolation, DatabaseStorage

KEY = StorageKey(bot_id=42, chat_id=1001, user_id=1001)


async def test_state_and_data_survive_a_restart(sessionmaker) -> None:
    first = DatabaseStorage(sessionmaker)
    await first.set_state(KEY, "Apply:form")
    await first.set_data(KEY, {"app_id": 7})

    second = DatabaseStorage(sessionmaker)
    assert await second.get_state(KEY) == "Apply:form"
    assert await second.get_data(KEY) == {"app_id": 7}


async def test_clearing_removes_the_row(sessionmaker) -> None:
    storage = DatabaseStorage(sessionmaker)
    await storage.set_state(KEY, "Apply:form")
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})
    assert await DatabaseStorage(sessionmaker).get_state(KEY) is None


async def test_returned_data_is_a_copy(sessionmaker) -> None:
    storage = DatabaseStorage(sessionmaker)
    await storage.set_data(KEY, {"agreed": []})
    (await storage.get_data(KEY))["agreed"].append("x")
    assert await storage.get_data(KEY) == {"agreed": []}


async def test_a_chats_updates_wait_for_each_other_and_their_lock_goes_after() -> None:
    """ChatIsolation: the second update of a chat waits for the first, another chat's does not;
    no lock is kept once nobody holds or awaits it (aiogram's simple one keeps them all)."""
    isolation = ChatIsolation()
    other = StorageKey(bot_id=42, chat_id=1002, user_id=1002)
    order: list[str] = []
    first_in = asyncio.Event()
    release = asyncio.Event()

    async def first() -> None:
        async with isolation.lock(KEY):
            order.append("first in")
            first_in.set()
            await release.wait()
            order.append("first out")

    async def second() -> None:
        await first_in.wait()
        async with isolation.lock(KEY):
            order.append("second in")

    async def elsewhere() -> None:
        await first_in.wait()
        async with isolation.lock(other):
            order.append("other chat in")
        release.set()

    await asyncio.gather(first(), second(), elsewhere())
    assert order == ["first in", "other chat in", "first out", "second in"]
    assert isolation.held() == 0


async def test_an_update_still_running_when_the_isolation_closes_ends_as_it_would() -> None:
    """Shutdown closes the isolation; an update past the drain's wait finishes without a
    KeyError from the lock it held."""
    isolation = ChatIsolation()
    async with isolation.lock(KEY):
        await isolation.close()
    assert isolation.held() == 0
