"""Conversation state survives a new storage object over the same database."""

from __future__ import annotations

from aiogram.fsm.storage.base import StorageKey

from storage.fsm import DatabaseStorage

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
