"""`expertbot grant`, `revoke` and `invite` against a real SQLite file."""

from __future__ import annotations

import re

import pytest

from bot.cli import main
from bot.texts import cli as t


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
    district = t.ROLE_DISTRICT.format(district="沙坪坝区")
    said = re.fullmatch(r"Telegram 5001（人员 (\d+)）.*\n", out)
    assert said is not None
    person = int(said[1])
    assert out == t.GRANTED.format(telegram=5001, person=person, role=district) + "\n"
    code, out, _ = run(capsys, "grant", "5001", "--role", "district", "--district", "500106")
    assert out == t.ALREADY_GRANTED.format(telegram=5001, person=person, role=district) + "\n"
    code, _, err = run(capsys, "grant", "5002", "--role", "unit", "--unit", "NOPE")
    assert code == 2 and err == "expertbot: 找不到单位代码：NOPE（查看：expertbot unit list）\n"
    code, _, err = run(capsys, "grant", "5002", "--role", "unit")
    assert code == 2 and err == f"expertbot: {t.ROLE_UNIT_NEEDS.format(role='unit')}\n"
    code, out, _ = run(capsys, "revoke", "5001", "--role", "district", "--district", "沙坪坝区")
    assert code == 0 and out == t.REVOKED.format(telegram=5001, role=district) + "\n"
    code, _, err = run(capsys, "revoke", "5001", "--role", "district", "--district", "沙坪坝区")
    assert code == 2 and err == f"expertbot: {t.NOT_HELD.format(telegram=5001)}\n"

    code, out, _ = run(capsys, "invite", "create", "--role", "district", "--district", "渝中区")
    assert code == 0 and out.startswith(f"邀请 1（{t.ROLE_DISTRICT.format(district='渝中区')}），")
    assert out.splitlines()[1].startswith("/start i_")
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
    assert re.fullmatch(rf"Telegram 6001（人员 \d+）现为{re.escape(t.ROLE_BUREAU_REVIEWER)}\n", out)
    code, _, err = run(capsys, "grant", "6002", "--role", "bureau_rv", "--district", "沙坪坝区")
    assert code == 2 and err == f"expertbot: {t.ROLE_TAKES_NO_PLACE.format(role='bureau_rv')}\n"
    code, out, _ = run(capsys, "invite", "create", "--role", "bureau_rv")
    assert code == 0 and out.startswith(f"邀请 1（{t.ROLE_BUREAU_REVIEWER}），")
    code, out, _ = run(capsys, "invite", "list")
    assert out.startswith("1\tbureau_rv\tcity\t")
    code, out, _ = run(capsys, "revoke", "6001", "--role", "bureau_rv")
    assert code == 0 and out == t.REVOKED.format(telegram=6001, role=t.ROLE_BUREAU_REVIEWER) + "\n"
