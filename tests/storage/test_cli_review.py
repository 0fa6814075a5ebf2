"""`expertbot grant`, `revoke` and `invite` against a real SQLite file."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.clock import TZ
from bot.texts import cli as t
from storage.db import create_database
from storage.migrate import upgrade
from storage.models import Reminder
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.support.seed import seed_demo


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
    assert out.startswith("1\tdistrict\t渝中区\t")
    code, out, _ = run(capsys, "unit", "add", "--district", "渝中区", "--name", "重庆某医院", "--kind", "医疗卫生机构")
    unit_code = out.split("：")[0].removeprefix("单位 ")
    run(capsys, "invite", "create", "--role", "unit", "--unit", unit_code)
    code, out, _ = run(capsys, "invite", "list")
    assert out.splitlines()[1].startswith(f"2\tunit\t重庆某医院（{unit_code}）\t")
    assert run(capsys, "invite", "revoke", "2")[0] == 0
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
    assert out.startswith("1\tbureau_rv\t全市\t创建人 命令行\t有效至 ")
    code, out, _ = run(capsys, "revoke", "6001", "--role", "bureau_rv")
    assert code == 0 and out == t.REVOKED.format(telegram=6001, role=t.ROLE_BUREAU_REVIEWER) + "\n"


async def _seed_waiting(url: str) -> None:
    """沙坪坝区: one application waiting at unit level (重庆大学 has no unit reviewer, so the
    district stands in), one at district level, one district-approved; 渝中区: one waiting."""
    sm = create_database(url)
    await upgrade(sm)
    async with unit_of_work_factory(sm)() as uow:
        await seed_demo(uow, now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
        await uow.commit()
    for telegram_id, unit, status in (
        (5001, "CQU001", "submitted"),
        (5002, "CQU001", "unit_approved"),
        (5003, "CQU001", "district_approved"),
        (5004, "CQJT01", "unit_approved"),
    ):
        await seed_app(
            sm, telegram_id=telegram_id, unit_code=unit, status=status, name=f"申报{telegram_id}",
            id_number=f"50010619850101{telegram_id}",
        )  # fmt: skip
    await sm.dispose()


async def _outbox(url: str) -> list[tuple[str, dict]]:
    """The outbox's notices, oldest first: (kind, payload)."""
    sm = create_database(url)
    async with sm() as session:
        rows = (await session.execute(select(Reminder).order_by(Reminder.id))).scalars().all()
        found = [(r.kind, r.payload) for r in rows]
    await sm.dispose()
    return found


def test_revoking_the_last_district_reviewer_warns_of_what_then_waits_for_nobody(
    tmp_path, monkeypatch, capsys
) -> None:
    """Nobody would be told otherwise: the bureau's notice of a district without reviewers goes
    with the first application that waits for nobody, and these are waiting already."""
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("BOT_USERNAME", raising=False)
    monkeypatch.chdir(tmp_path)
    asyncio.run(_seed_waiting(url))
    district = t.ROLE_DISTRICT.format(district="沙坪坝区")
    for telegram_id in (6001, 6002):
        assert run(capsys, "grant", str(telegram_id), "--role", "district", "--district", "沙坪坝区")[0] == 0
    assert run(capsys, "grant", "6003", "--role", "unit", "--unit", "CQU001")[0] == 0

    code, out, _ = run(capsys, "revoke", "6003", "--role", "unit", "--unit", "CQU001")
    assert code == 0 and "⚠️" not in out, "the district stands in for the unit"
    assert out == (
        t.REVOKED.format(telegram=6003, role=t.ROLE_UNIT.format(unit="重庆大学", code="CQU001"))
        + "\n"
        + t.REVOKE_MOVES_TO_DISTRICT.format(unit="重庆大学", district="沙坪坝区", count=1, told=2)
        + "\n"
    )
    assert asyncio.run(_outbox(url)) == [("to_district", {"unit": "重庆大学", "count": 1})] * 2
    code, out, _ = run(capsys, "revoke", "6001", "--role", "district", "--district", "沙坪坝区")
    assert out == t.REVOKED.format(telegram=6001, role=district) + "\n", "6002 still reviews there"

    code, out, _ = run(capsys, "revoke", "6002", "--role", "district", "--district", "沙坪坝区")
    assert code == 0
    assert out == (
        t.REVOKED.format(telegram=6002, role=district)
        + "\n"
        + t.REVOKE_LEAVES_NOBODY.format(district="沙坪坝区", count=2)
        + "\n"
    )
    assert "沙坪坝区现有 2 份申报等待单位或区县审核，但已没有人可以审核" in out
