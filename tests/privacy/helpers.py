"""Raw reads of the database, as an attacker with a copy of the file would see it."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import Database
from tests.flows.helpers import ANSWERS_TEXT, VALID_ID

MOBILE = "13800000000"
SECRETS = (
    VALID_ID,
    MOBILE,
    ANSWERS_TEXT["home_address"],
    ANSWERS_TEXT["office_phone"],
    ANSWERS_TEXT["emergency_phone"],
)
"""Values that must never be readable in the database file."""
MASKED_IN_CHAT = (VALID_ID, MOBILE, ANSWERS_TEXT["office_phone"], ANSWERS_TEXT["emergency_phone"])
"""Values no chat message carries in full (the address is shown only on the applicant's own card)."""


async def raw_rows(database: Database, sql: str) -> list[tuple[object, ...]]:
    """Rows as stored: plain SQL, so no column type decrypts anything."""
    async with database.session() as session:
        return [tuple(r) for r in (await session.execute(text(sql))).all()]


async def dump(engine: Database) -> str:
    """Every value of the tables holding applicant data, as one string."""
    parts: list[str] = []
    for table in ("application", "application_event", "photo", "person", "fsm_state"):
        for row in await raw_rows(engine, f"SELECT * FROM {table}"):
            parts += [v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in row]
    return "\n".join(parts)
