"""`expertbot grant`, `revoke` and `invite` against a real SQLite file."""

from __future__ import annotations

import re

import pytest

from bot.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


def test_grant_revoke_and_invites(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.delenv("BOT_USERNAME", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "grant", "5001", "--role", "district", "--district", "沙坪坝区")
    assert code == 0
    assert re.fullmatch(r"Telegram 5001 \(person \d+\) is now district reviewer of 沙坪坝区\n", out)
    code, out, _ = run(capsys, "grant", "5001", "--role", "district", "--district", "500106")
    assert "already was" in out
    code, _, err = run(capsys, "grant", "5002", "--role", "unit", "--unit", "NOPE")
    assert code == 2 and err == "expertbot: unknown unit code: NOPE (see: expertbot unit list)\n"
    code, _, err = run(capsys, "grant", "5002", "--role", "unit")
    assert code == 2 and "needs --unit" in err
    code, out, _ = run(capsys, "revoke", "5001", "--role", "district", "--district", "沙坪坝区")
    assert code == 0 and "no longer" in out
    code, _, err = run(capsys, "revoke", "5001", "--role", "district", "--district", "沙坪坝区")
    assert code == 2 and "does not hold" in err

    code, out, _ = run(capsys, "invite", "create", "--role", "district", "--district", "渝中区")
    assert code == 0 and "/start i_" in out
    code, out, _ = run(capsys, "invite", "list")
    assert out.startswith("1\tdistrict")
    assert run(capsys, "invite", "revoke", "1")[0] == 0
    code, _, err = run(capsys, "invite", "revoke", "1")
    assert code == 2 and err.startswith("expertbot: ")
    assert run(capsys, "invite", "list")[1] == ""


def test_a_bureau_reviewer_is_granted_and_invited_without_a_district(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.delenv("BOT_USERNAME", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "grant", "6001", "--role", "bureau_rv")
    assert code == 0
    assert re.fullmatch(
        r"Telegram 6001 \(person \d+\) is now bureau reviewer \(qualification review\)\n", out
    )
    code, _, err = run(capsys, "grant", "6002", "--role", "bureau_rv", "--district", "沙坪坝区")
    assert code == 2 and "--role bureau_rv takes neither" in err
    code, out, _ = run(capsys, "invite", "create", "--role", "bureau_rv")
    assert code == 0 and "invite 1 for bureau reviewer" in out
    code, out, _ = run(capsys, "invite", "list")
    assert out.startswith("1\tbureau_rv\tcity\t")
    code, out, _ = run(capsys, "revoke", "6001", "--role", "bureau_rv")
    assert code == 0 and "no longer bureau reviewer" in out
