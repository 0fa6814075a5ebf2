"""Bounds on ids and counts that come from outside (buttons, command arguments).

Row ids are `Integer` columns: 32-bit in PostgreSQL, so anything above
2^31 - 1 can name no row and would make the driver raise instead of
finding nothing. Checking where the number is parsed turns a forged id
into "not found" before it reaches storage.
"""

from __future__ import annotations

import unicodedata

MAX_ID = 2**31 - 1
"""The largest row id any table can hold (a PostgreSQL INTEGER)."""

_MAX_DIGITS = 10


def parse_bounded(text: str | None, low: int, high: int) -> int | None:
    """An ASCII decimal in [low, high], or None; "#12" and full-width digits are accepted."""
    arg = unicodedata.normalize("NFKC", text or "").strip().removeprefix("#").strip()
    # str.isdigit() also takes "²" and other scripts' digits; only 0-9 are ids.
    if not arg or len(arg) > _MAX_DIGITS or not (arg.isascii() and arg.isdigit()):
        return None
    value = int(arg)
    return value if low <= value <= high else None


def parse_id(text: str | None) -> int | None:
    """A row id typed after a command (/history 12, /download #12), or None."""
    return parse_bounded(text, 1, MAX_ID)
