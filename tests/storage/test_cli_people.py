"""`expertbot person show|rebind` against a real SQLite file."""

from __future__ import annotations

from bot.texts import cli as t
from tests.storage.test_cli_review import run


def test_a_person_is_shown_by_account_and_a_rebind_link_is_made(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("BOT_USERNAME", "cq_expert_bot")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(
        capsys, "grant", "5001", "--role", "district", "--district", "沙坪坝区", "--name", "赵科长"
    )
    assert code == 0 and "（人员 1）" in out

    code, out, _ = run(capsys, "person", "show", "--telegram", "5001")
    assert code == 0
    assert out.splitlines()[0] == t.PERSON.format(id=1, name="赵科长")
    assert t.ROLE.format(role=t.ROLE_DISTRICT.format(district="沙坪坝区")) in out.splitlines()
    account = out.splitlines()[1]
    assert account.startswith("  账号 1：Telegram 5001，最近使用 "), "the Telegram id to look for, no @-"

    code, out, _ = run(capsys, "person", "rebind", "--person", "1", "--days", "2")
    assert code == 0 and out.startswith("人员 1（赵科长）的换绑链接，")
    assert "https://t.me/cq_expert_bot?start=b_" in out
    code, out, _ = run(capsys, "person", "show", "--person", "1")
    assert f"rebind_link，操作人：{t.COMMAND_LINE}" in out

    code, _, err = run(capsys, "person", "show", "--telegram", "777")
    assert code == 2 and err == f"expertbot: {t.NO_SUCH_ACCOUNT.format(telegram=777)}\n"
    code, _, err = run(capsys, "person", "rebind", "--person", "99")
    assert code == 2 and "没有找到这个人" in err
    assert run(capsys, "person", "rebind")[0] == 2, "--person or --telegram is required"
