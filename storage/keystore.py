"""The data key against the database: the startup key check and key rotation.

Both read and write the sealed columns as stored (plain SQL), so they say
exactly which key they use instead of relying on the process's keyring.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text, update

from bot.texts import ops as t
from storage import crypto
from storage.crypto import CryptoError, Keyring
from storage.db import Database
from storage.models import KeyCheck

APPLICATION_SEALED = (
    "id_number",
    "health",
    "mobile",
    "home_address",
    "office_phone",
    "emergency_phone",
)
"""Application columns sealed with `EncryptedString("application.<name>")`."""


async def check_keys(database: Database, keyring: Keyring | None, now: datetime) -> None:
    """Stops with CryptoError when the key is missing or wrong for this database; records it on first use."""
    await database.run_sync(lambda connection: _check(connection, keyring, now))


def _check(connection: Connection, keyring: Keyring | None, now: datetime) -> None:
    row = connection.execute(
        select(KeyCheck.token, KeyCheck.index_check).where(KeyCheck.id == 1)
    ).first()
    if row is not None:
        if keyring is None:
            raise CryptoError(t.KEY_NOT_SET.format(kid=crypto.sealed_key_id(row.token)))
        crypto.verify_token(keyring, row.token, row.index_check)
        return
    sample = _any_sealed(connection)
    if sample is not None and (keyring is None or not keyring.holds(crypto.sealed_key_id(sample))):
        key = (
            t.SEALED_NO_KEY if keyring is None
            else t.SEALED_OTHER_KEY.format(current=keyring.current_id)
        )  # fmt: skip
        raise CryptoError(t.SEALED_WITH.format(kid=crypto.sealed_key_id(sample), key=key))
    if keyring is not None:
        connection.execute(
            insert(KeyCheck).values(
                id=1,
                token=crypto.keycheck_token(keyring),
                index_check=crypto.index_check(keyring),
                updated_at=now,
            )
        )


def _any_sealed(connection: Connection) -> Any:
    conditions = " OR ".join(f"{c} IS NOT NULL" for c in APPLICATION_SEALED)
    row = connection.execute(
        text(f"SELECT {', '.join(APPLICATION_SEALED)} FROM application WHERE {conditions} LIMIT 1")
    ).first()
    if row is not None:
        return next(v for v in row if v is not None)
    photo = connection.execute(text("SELECT jpeg FROM photo LIMIT 1")).first()
    return bytes(photo.jpeg) if photo else None


async def rotate_keys(database: Database, old: Keyring, new: Keyring, now: datetime) -> int:
    """Re-encrypts every sealed value under `new` and recomputes the ID-number hashes; returns the count.

    One transaction: either everything is under the new key or nothing changed.
    """
    await check_keys(database, old, now)
    reader = Keyring(current=old.current, older=(*old.older, new.current), index_key=old.index_key)
    return await database.run_sync(lambda connection: _rotate(connection, reader, new, now))


def _rotate(connection: Connection, reader: Keyring, new: Keyring, now: datetime) -> int:
    count = 0
    columns = ", ".join(APPLICATION_SEALED)
    for row in connection.execute(text(f"SELECT id, {columns} FROM application")).mappings().all():
        values: dict[str, Any] = {}
        for c in APPLICATION_SEALED:
            if row[c] is not None:
                plain = crypto.decrypt_text(row[c], f"application.{c}", reader)
                values[c] = crypto.encrypt_text(plain, f"application.{c}", new)
                if c == "id_number":
                    values["id_hash"] = crypto.blind_index(plain, new)
                count += 1
        if values:
            sets = ", ".join(f"{c} = :{c}" for c in values)
            connection.execute(
                text(f"UPDATE application SET {sets} WHERE id = :id"), {**values, "id": row["id"]}
            )
    for photo in connection.execute(text("SELECT application_id, jpeg FROM photo")).all():
        plain_bytes = crypto.decrypt_bytes(bytes(photo.jpeg), "photo.jpeg", reader)
        connection.execute(
            text("UPDATE photo SET jpeg = :jpeg WHERE application_id = :id"),
            {"jpeg": crypto.encrypt_bytes(plain_bytes, "photo.jpeg", new), "id": photo.application_id},
        )
        count += 1
    links = connection.execute(text("SELECT id, data FROM download_token WHERE data IS NOT NULL"))
    for link in links.all():
        plain_bytes = crypto.decrypt_bytes(bytes(link.data), "download_token.data", reader)
        connection.execute(
            text("UPDATE download_token SET data = :d WHERE id = :id"),
            {"d": crypto.encrypt_bytes(plain_bytes, "download_token.data", new), "id": link.id},
        )
        count += 1
    events = connection.execute(
        text("SELECT id, changes FROM application_event WHERE changes IS NOT NULL")
    ).all()
    for event in events:
        plain = crypto.decrypt_text(event.changes, "application_event.changes", reader)
        connection.execute(
            text("UPDATE application_event SET changes = :c WHERE id = :id"),
            {"c": crypto.encrypt_text(plain, "application_event.changes", new), "id": event.id},
        )
        count += 1
    changes = connection.execute(
        text("SELECT id, old_value, new_value FROM expert_contact_change")
    ).all()
    for change in changes:
        sealed = {}
        for column in ("old_value", "new_value"):
            value = getattr(change, column)
            if value is not None:
                context = f"expert_contact_change.{column}"
                plain = crypto.decrypt_text(value, context, reader)
                sealed[column] = crypto.encrypt_text(plain, context, new)
                count += 1
        if sealed:
            sets = ", ".join(f"{c} = :{c}" for c in sealed)
            connection.execute(
                text(f"UPDATE expert_contact_change SET {sets} WHERE id = :id"),
                {**sealed, "id": change.id},
            )
    connection.execute(
        update(KeyCheck)
        .where(KeyCheck.id == 1)
        .values(token=crypto.keycheck_token(new), index_check=crypto.index_check(new), updated_at=now)
    )
    return count
