"""How much of what was typed a refusal may quote back.

A refusal that echoes the whole input can be longer than Telegram allows
(10,000 characters typed at 民族 came back in full) and fails, so the
person sees a generic error instead of what to fix. A short excerpt says
which answer was meant.
"""

from __future__ import annotations

EXCERPT_CHARS = 20


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """At most `limit` characters of `text` on one line, "…" marking a cut."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
