"""Telegram's size limits, measured the way Telegram measures them.

Telegram counts UTF-16 code units: a Chinese character is one, an emoji or a
CJK Extension B character (𠀀) is two. Counting Python characters lets a card
of emoji through at half the size Telegram accepts, and the send then fails
with "message is too long". Every text the bot sends is measured here; the
renderers split with `split_message`, and handlers/limits.py clips at the
bot session as the last line.
"""

from __future__ import annotations

from collections.abc import Iterable

MESSAGE = 4096
"""sendMessage / editMessageText text."""
CAPTION = 1024
"""A photo's or a document's caption."""
ALERT = 200
"""answerCallbackQuery text (the toast or the alert)."""
CUT_MARK = "…"
TELEGRAM_DOWNLOAD_BYTES = 20 * 2**20
"""getFile refuses larger files ("file is too big"), whatever file_size said."""


def units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def fits(text: str, limit: int) -> bool:
    return units(text) <= limit


def _head(text: str, budget: int) -> str:
    """The longest start of `text` within `budget` units that does not end inside a surrogate pair."""
    raw = text.encode("utf-16-le", "surrogatepass")[: 2 * max(budget, 0)]
    if raw and 0xD8 <= raw[-1] <= 0xDB:  # a high surrogate: its pair did not fit
        raw = raw[:-2]
    return raw.decode("utf-16-le", "surrogatepass")


def clip(text: str, limit: int) -> str:
    """`text` if it fits, else its start with "…" at the cut, within `limit` units."""
    if fits(text, limit):
        return text
    return _head(text, limit - units(CUT_MARK)) + CUT_MARK


def split_message(blocks: Iterable[str], limit: int = MESSAGE) -> list[str]:
    """Packs blocks, joined by line breaks, into as few messages as fit, keeping their order.

    A block is never split unless it alone exceeds `limit`; then it is split
    at line breaks, and a line longer than `limit` is cut hard (never inside
    a surrogate pair). Blank lines at the edges of a message are dropped.
    """
    messages: list[str] = []
    current: list[str] = []
    used = 0
    for block in blocks:
        pieces = [block] if fits(block, limit) else _split_block(block, limit)
        for piece in pieces:
            size = units(piece)
            if current and used + 1 + size > limit:
                messages.append("\n".join(current))
                current, used = [], 0
            used += size + (1 if current else 0)
            current.append(piece)
    if current:
        messages.append("\n".join(current))
    cleaned = [m.strip("\n") for m in messages]
    return [m for m in cleaned if m.strip()] or [""]


def _split_block(block: str, limit: int) -> list[str]:
    lines: list[str] = []
    for line in block.split("\n"):
        while not fits(line, limit):
            head = _head(line, limit) or line[0]  # a limit of 1 unit cannot hold a pair
            lines.append(head)
            line = line[len(head) :]
        lines.append(line)
    return split_message(lines, limit)
