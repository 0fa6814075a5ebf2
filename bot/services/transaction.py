"""Whether the current task is inside a unit of work: nothing may reach Telegram meanwhile.

A use case's transaction holds SQLite's one connection (or a pooled
PostgreSQL one) until it ends; a Bot API call inside it would make every other
update wait for Telegram's 50–300 ms. The unit of work raises the flag while
it is open; the offline Bot session used by tests and the console refuses any
call made under it.
"""

from __future__ import annotations

from contextvars import ContextVar

unit_of_work_open: ContextVar[bool] = ContextVar("unit_of_work_open", default=False)


class CallInsideUnitOfWork(AssertionError):
    """A Bot API call was made while a unit of work was open in the same task."""
