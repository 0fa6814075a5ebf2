"""Encryption at rest: AES-256-GCM column types, the keyed hash of ID numbers, the key check.

One keyring is configured per process at startup (`configure`). Each value
is sealed with a fresh 96-bit nonce and carries the id of the key that
sealed it (`<key id>:<base64>` for text, `<key id>:` + bytes for binary),
so rotation can tell old from new and decryption picks the right key. The
column's name is bound in as associated data: a ciphertext copied into
another column does not open. Without a keyring nothing is written: a bind
raises instead of storing plain text.

Duplicate ID numbers are found through `blind_index`, an HMAC-SHA256 under
the index key (INDEX_KEY, or derived from DATA_KEY). Changing that key
changes every hash, so `expertbot keys rotate` recomputes them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import LargeBinary, Text, TypeDecorator

from bot.texts import ops as t

NONCE_BYTES = 12
KEY_BYTES = 32
KEYCHECK_PLAINTEXT = b"expertbot keycheck v1"


class CryptoError(ValueError):
    """A key is missing, malformed or wrong; the message is one line for the operator."""


def generate_key() -> str:
    """A fresh 256-bit key, base64, as DATA_KEY takes it."""
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def decode_key(text: str, name: str = "DATA_KEY") -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise CryptoError(t.NOT_BASE64.format(name=name)) from None
    if len(key) != KEY_BYTES:
        raise CryptoError(t.KEY_LENGTH.format(name=name, length=len(key)))
    return key


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key: which key sealed a value, never the key itself."""
    return hashlib.sha256(b"expertbot key id\x00" + key).hexdigest()[:8]


@dataclass(frozen=True)
class Keyring:
    """The current key (encrypts), older keys (decrypt only) and the blind-index key."""

    current: bytes
    older: tuple[bytes, ...] = ()
    index_key: bytes | None = None
    """None: derived from `current`, so it changes when the data key does."""
    _by_id: dict[str, AESGCM] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = {key_id(k): AESGCM(k) for k in (*self.older, self.current)}
        object.__setattr__(self, "_by_id", keys)

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    @property
    def index(self) -> bytes:
        if self.index_key is not None:
            return self.index_key
        return hmac.new(self.current, b"expertbot id_hash v1", hashlib.sha256).digest()

    def seal(self, plaintext: bytes, context: str) -> tuple[str, bytes]:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.current).encrypt(nonce, plaintext, context.encode())
        return self.current_id, nonce + sealed

    def open(self, kid: str, blob: bytes, context: str) -> bytes:
        aead = self._by_id.get(kid)
        if aead is None:
            raise CryptoError(t.KEY_NOT_HELD.format(kid=kid, current=self.current_id))
        try:
            return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode())
        except InvalidTag:
            raise CryptoError(t.INTEGRITY.format(kid=kid)) from None

    def holds(self, kid: str) -> bool:
        return kid in self._by_id


def keyring_from(
    *,
    data_key: str | None,
    data_key_file: str | Path | None = None,
    older: Sequence[str] = (),
    index_key: str | None = None,
) -> Keyring | None:
    """The keyring the settings describe, or None when no data key is set."""
    if data_key_file and not data_key:
        path = Path(data_key_file)
        try:
            data_key = path.read_text(encoding="ascii").strip()
        except OSError as problem:
            raise CryptoError(t.KEY_FILE.format(path=path, problem=t.file_problem(problem))) from None
        except UnicodeDecodeError:
            raise CryptoError(t.NOT_BASE64.format(name=f"DATA_KEY_FILE {path}")) from None
    if not data_key:
        return None
    return Keyring(
        current=decode_key(data_key),
        older=tuple(decode_key(k, "DATA_OLD_KEYS") for k in older if k.strip()),
        index_key=decode_key(index_key, "INDEX_KEY") if index_key else None,
    )


_keyring: Keyring | None = None


def configure(keyring: Keyring | None) -> None:
    """Sets the process's keyring; the bot, the console, the CLI and tests call it once at startup."""
    global _keyring
    _keyring = keyring


def current_keyring() -> Keyring | None:
    return _keyring


def _require() -> Keyring:
    if _keyring is None:
        raise CryptoError(t.NO_KEY)
    return _keyring


def encrypt_text(value: str, context: str, keyring: Keyring | None = None) -> str:
    kid, blob = (keyring or _require()).seal(value.encode(), context)
    return f"{kid}:{base64.b64encode(blob).decode()}"


def decrypt_text(value: str, context: str, keyring: Keyring | None = None) -> str:
    kid, sep, body = value.partition(":")
    if not sep or len(kid) != 8:
        raise CryptoError(t.NOT_ENCRYPTED)
    return (keyring or _require()).open(kid, base64.b64decode(body), context).decode()


def encrypt_bytes(value: bytes, context: str, keyring: Keyring | None = None) -> bytes:
    kid, blob = (keyring or _require()).seal(value, context)
    return kid.encode() + b":" + blob


def decrypt_bytes(value: bytes, context: str, keyring: Keyring | None = None) -> bytes:
    if len(value) < 9 or value[8:9] != b":":
        raise CryptoError(t.NOT_ENCRYPTED)
    return (keyring or _require()).open(value[:8].decode("ascii", "replace"), value[9:], context)


def sealed_key_id(value: str | bytes) -> str:
    """The id of the key that sealed a stored value."""
    return value[:8].decode("ascii", "replace") if isinstance(value, bytes) else value[:8]


def blind_index(id_number: str, keyring: Keyring | None = None) -> str:
    """HMAC-SHA256 of the normalised ID number under the index key, hex: equal numbers, equal hashes."""
    ring = keyring or _require()
    return hmac.new(ring.index, id_number.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedString(TypeDecorator[str]):
    """Text sealed with AES-GCM; stored as TEXT `<key id>:<base64(nonce|ciphertext|tag)>`."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else encrypt_text(value, self.context)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else decrypt_text(value, self.context)


class EncryptedBytes(TypeDecorator[bytes]):
    """Bytes sealed with AES-GCM; stored as `<key id>:` + nonce|ciphertext|tag."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else encrypt_bytes(bytes(value), self.context)

    def process_result_value(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else decrypt_bytes(bytes(value), self.context)


class EncryptedJSON(TypeDecorator[Any]):
    """JSON sealed with AES-GCM, for audit snapshots that hold answers."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, ensure_ascii=False), self.context)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else json.loads(decrypt_text(value, self.context))


def keycheck_token(keyring: Keyring) -> str:
    return encrypt_text(KEYCHECK_PLAINTEXT.decode(), "keycheck", keyring)


def index_check(keyring: Keyring) -> str:
    return hmac.new(keyring.index, KEYCHECK_PLAINTEXT, hashlib.sha256).hexdigest()


def verify_token(keyring: Keyring, token: str, index_hash: str | None) -> None:
    """Raises CryptoError unless the keyring opens the stored check and matches its index key."""
    kid = sealed_key_id(token)
    if not keyring.holds(kid):
        raise CryptoError(t.WRONG_KEY.format(kid=kid, current=keyring.current_id))
    if decrypt_text(token, "keycheck", keyring).encode() != KEYCHECK_PLAINTEXT:
        raise CryptoError(t.KEY_CHECK_FAILS)
    if index_hash is not None and not hmac.compare_digest(index_hash, index_check(keyring)):
        raise CryptoError(t.WRONG_INDEX_KEY)
