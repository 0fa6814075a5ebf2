"""Bot API calls whose order does not matter, made at once.

Each call waits for Telegram (50–300 ms from China). A press that is
answered, has its prompt closed and gets the next question waited three
round trips one after the other; together it waits one. Only calls that do
not depend on each other's order go here: answering a callback, editing an
earlier message, and one sequence of sends to the chat (whose own order the
sequence keeps).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable


async def together(*calls: Awaitable[object]) -> None:
    """Runs the calls at once; the first failure is raised once all of them have ended."""
    outcomes = await asyncio.gather(*(_awaited(c) for c in calls), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


async def _awaited(call: Awaitable[object]) -> object:
    # aiogram's methods are awaitable objects, not coroutines: gather cannot take them as they are.
    return await call
