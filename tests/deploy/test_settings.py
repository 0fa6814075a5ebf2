"""A malformed setting stops every command with one Chinese line naming the variable."""

from __future__ import annotations

import pytest

from bot.config import SettingsError, load_settings
from bot.texts import ops
from tests.storage.test_cli_export import run


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("DATABASE_URL", "mysql://db/expertbot", ops.DATABASE_URL_SCHEME),
        ("REDIS_URL", "http://cache", ops.REDIS_URL_SCHEME),
        ("BUREAU_ADMIN_IDS", "12,admin", ops.ADMIN_IDS),
        ("WEBHOOK_PORT", "0", ops.PYDANTIC["greater_than"].format(gt=0)),
        ("WEBHOOK_PORT", "70000", ops.PYDANTIC["less_than"].format(lt=65536)),
        ("WEBHOOK_PORT", "eighty", ops.PYDANTIC["int_parsing"]),
        ("RATE_LIMIT_WINDOW", "soon", ops.PYDANTIC["float_parsing"]),
        ("LOG_FORMAT", "xml", ops.ONE_OF.format(choices="json、text")),
        ("EXPORT_DELIVERY", "mail", ops.ONE_OF.format(choices="chat、link")),
    ],
)
def test_a_malformed_setting_is_named_with_what_it_must_be(
    name: str, value: str, said: str, monkeypatch, tmp_path, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    code, out, err = run(capsys, "campaign", "list")
    assert (code, out) == (2, "")
    assert err == f"expertbot: {ops.SETTING.format(name=name, problem=said)}\n"


def test_a_refusal_of_pydantic_the_texts_do_not_know_never_echoes_the_value() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(bureau_admin_ids=123456789)
    assert str(refused.value) == ops.SETTING.format(name="BUREAU_ADMIN_IDS", problem=ops.INVALID)
