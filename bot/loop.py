"""The event loop every expertbot process runs on.

uvloop where it is installed (Linux and macOS), as aiogram's own
`Dispatcher.run_polling` chooses it; asyncio's own loop elsewhere. On uvloop
the same bot answered 3–40 % more updates a second in alternating runs of
`benchmarks.pipeline` (PostgreSQL gaining most: its driver's socket work is
the loop's).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # Windows, or a platform without a wheel
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)` on `new_event_loop`."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(main)
