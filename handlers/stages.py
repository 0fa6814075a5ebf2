"""Moving a conversation to a stage with its data in one storage write."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State


async def enter(state: FSMContext, stage: State, data: dict[str, Any]) -> None:
    """Sets `stage` and replaces the data: one write where the storage offers it, else two.

    aiogram stores the state and the data separately; on the database
    storage each is a committed write, and a stage change always sets both.
    """
    both = getattr(state.storage, "set_state_and_data", None)
    if both is None:
        await state.set_state(stage)
        await state.set_data(data)
    else:
        await both(state.key, stage, data)
