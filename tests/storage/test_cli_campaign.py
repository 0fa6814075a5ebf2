"""`expertbot campaign show|extend|close` print the campaign as it stands after the verb."""

from __future__ import annotations

import pytest

from bot.texts import cli as t
from tests.storage.test_cli_review import run


def test_campaign_verbs_print_the_campaign(tmp_path, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "campaign", "create", "--name", "2030年征集",
                       "--unit-deadline", "2030-10-01 17:00", "--district-deadline", "2030-10-15 17:00")  # fmt: skip
    assert code == 0 and out == t.CAMPAIGN_CREATED.format(
        id=1, name="2030年征集", unit_deadline="2030-10-01 17:00", district_deadline="2030-10-15 17:00"
    ) + "\n"
    code, _, err = run(capsys, "campaign", "create", "--name", "x",
                       "--unit-deadline", "2030-10-15 17:00", "--district-deadline", "2030-10-01 17:00")  # fmt: skip
    assert code == 2 and err == f"expertbot: {t.DEADLINES_ORDER}\n"
    code, out, _ = run(capsys, "campaign", "show")
    assert code == 0 and "2030年征集" in out and "2030-10-01 17:00" in out
    code, out, _ = run(capsys, "campaign", "extend", "--unit-deadline", "2030-10-08 17:00")
    assert code == 0 and "2030-10-08 17:00" in out
    code, out, _ = run(capsys, "campaign", "close")
    assert code == 0 and "状态：已关闭" in out


def test_a_new_campaign_says_when_its_deadline_has_passed_or_another_is_still_open(
    tmp_path, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "campaign", "create", "--name", "2020年征集",
                       "--unit-deadline", "2020-09-30 18:00", "--district-deadline", "2020-10-15 18:00")  # fmt: skip
    assert code == 0
    assert out.splitlines()[1:] == [t.CAMPAIGN_DEADLINE_PAST.format(unit_deadline="2020-09-30 18:00")]
    code, out, _ = run(capsys, "campaign", "create", "--name", "2030年征集",
                       "--unit-deadline", "2030-09-30 18:00", "--district-deadline", "2030-10-15 18:00")  # fmt: skip
    assert code == 0
    assert out.splitlines()[1:] == [t.CAMPAIGN_STILL_OPEN.format(id=1, name="2020年征集", new=2)]
    run(capsys, "campaign", "close", "--id", "1")
    code, out, _ = run(capsys, "campaign", "create", "--name", "2031年征集",
                       "--unit-deadline", "2031-09-30 18:00", "--district-deadline", "2031-10-15 18:00")  # fmt: skip
    assert out.splitlines()[1:] == [t.CAMPAIGN_STILL_OPEN.format(id=2, name="2030年征集", new=3)]


def test_campaign_certificates_sets_the_number_format(tmp_path, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(capsys, "campaign", "create", "--name", "2030年征集",
                     "--unit-deadline", "2030-10-01 17:00", "--district-deadline", "2030-10-15 17:00")  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "campaign", "certificates", "--format", "CQRS-{year}-{number:05d}")
    assert code == 0 and out.startswith("征集批次 #1 2030年征集：聘书编号格式为 CQRS-{year}-{number:05d}（如 CQRS-")
    assert "-00001）" in out
    code, _, err = run(capsys, "campaign", "certificates", "--format", "cq-{number}")
    assert code == 2 and "证书编号格式应形如" in err


def test_unit_add_prints_the_unit_and_its_applicant_link(tmp_path, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.delenv("BOT_USERNAME", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "unit", "add", "--district", "沙坪坝区", "--name", "重庆某设计院", "--kind", "企业")
    assert code == 0
    unit_line, link_line = out.splitlines()
    code_of_unit = unit_line.split("：")[0].removeprefix("单位 ")
    assert unit_line == t.UNIT_ADDED.format(code=code_of_unit, name="重庆某设计院", kind="企业", district="沙坪坝区")
    assert link_line == t.APPLICANT_LINK.format(link=t.START_WITHOUT_LINK.format(payload=f"u_{code_of_unit}"))
    assert run(capsys, "unit", "list")[1] == f"{code_of_unit}\t重庆某设计院\t企业\t沙坪坝区\n"
    code, _, err = run(capsys, "unit", "add", "--district", "沙坪坝区", "--name", "重庆某设计院")
    assert code == 2 and err == f"expertbot: {t.UNIT_EXISTS.format(district='沙坪坝区', name='重庆某设计院')}\n"
