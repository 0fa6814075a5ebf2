"""The column cipher and the keyed hash as plain functions."""

from __future__ import annotations

import pytest

from bot.texts import ops
from storage import crypto
from storage.crypto import CryptoError, Keyring, decode_key, generate_key

KEY_A, KEY_B = decode_key(generate_key()), decode_key(generate_key())


def test_each_value_gets_its_own_nonce_and_names_its_key() -> None:
    ring = Keyring(current=KEY_A)
    one = crypto.encrypt_text("500103199001019998", "application.id_number", ring)
    two = crypto.encrypt_text("500103199001019998", "application.id_number", ring)
    assert one != two
    assert one.startswith(ring.current_id + ":") and "500103" not in one
    assert crypto.decrypt_text(one, "application.id_number", ring) == "500103199001019998"


def test_a_ciphertext_moved_to_another_column_does_not_open() -> None:
    ring = Keyring(current=KEY_A)
    sealed = crypto.encrypt_text("13800000000", "application.mobile", ring)
    with pytest.raises(CryptoError) as refused:
        crypto.decrypt_text(sealed, "application.office_phone", ring)
    assert str(refused.value) == ops.INTEGRITY.format(kid=ring.current_id)


def test_a_wrong_key_is_named_not_guessed() -> None:
    sealed = crypto.encrypt_bytes(b"\xff\xd8\xffjpeg", "photo.jpeg", Keyring(current=KEY_A))
    with pytest.raises(CryptoError, match=crypto.key_id(KEY_A)):
        crypto.decrypt_bytes(sealed, "photo.jpeg", Keyring(current=KEY_B))
    assert crypto.decrypt_bytes(sealed, "photo.jpeg", Keyring(current=KEY_B, older=(KEY_A,))) == (
        b"\xff\xd8\xffjpeg"
    )


def test_blind_index_is_stable_and_keyed() -> None:
    a, b = Keyring(current=KEY_A), Keyring(current=KEY_B)
    number = "50010319900101999x"
    assert crypto.blind_index(number, a) == crypto.blind_index(number.upper(), a)
    assert crypto.blind_index(number, a) != crypto.blind_index(number, b)
    pinned = Keyring(current=KEY_B, index_key=KEY_A)
    assert crypto.blind_index(number, pinned) == crypto.blind_index(
        number, Keyring(current=KEY_A, index_key=KEY_A)
    )


def test_nothing_is_written_without_a_key() -> None:
    crypto.configure(None)
    with pytest.raises(CryptoError) as refused:
        crypto.EncryptedString("application.mobile").process_bind_param("13800000000", None)
    assert str(refused.value) == ops.NO_KEY


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ("not base64!", ops.NOT_BASE64.format(name="DATA_KEY")),
        ("c2hvcnQ=", ops.KEY_LENGTH.format(name="DATA_KEY", length=5)),
    ],
)
def test_malformed_keys_are_refused_in_one_line(bad: str, said: str) -> None:
    with pytest.raises(CryptoError) as problem:
        crypto.keyring_from(data_key=bad)
    assert str(problem.value) == said


def test_key_file_is_read(tmp_path) -> None:
    path = tmp_path / "data.key"
    key = generate_key()
    path.write_text(key + "\n")
    ring = crypto.keyring_from(data_key=None, data_key_file=path)
    assert ring is not None and ring.current == decode_key(key)
