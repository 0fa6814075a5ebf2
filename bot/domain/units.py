"""Units: the short code in an applicant's link (`/start u_<code>`)."""

from __future__ import annotations

import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: codes are read aloud and typed."""


def new_unit_code() -> str:
    """Eight characters that are easy to read aloud and safe in a deep link."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
