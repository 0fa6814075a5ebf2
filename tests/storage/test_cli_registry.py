"""`expertbot registry …` against a real SQLite file: from a qualified application to a
certificate number."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from bot.clock import TZ
from bot.texts import cli as t
from storage.db import create_database
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app, sheet_rows
from tests.storage.test_cli_export import run
from tests.storage.test_cli_help import english_words
from tests.support.seed import seed_demo


async def _seed(url: str) -> list[int]:
    database = create_database(url)
    await upgrade(database)
    async with unit_of_work_factory(database)() as uow:
        await seed_demo(uow, now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
        await uow.commit()
    ids = [
        await seed_app(database, telegram_id=5001, unit_code="CQU001", status="qualified",
                       name="王建筑", group="建筑", id_number="500106198501011234"),
        await seed_app(database, telegram_id=5002, unit_code="CQU001", status="qualified",
                       name="李矿山", group="矿山", id_number="500106198601011235"),
    ]  # fmt: skip
    await database.dispose()
    return ids


def test_a_batch_from_the_meeting_to_the_certificates(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path}/registry.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    first, second = asyncio.run(_seed(url))

    code, out, _ = run(
        capsys, "registry", "batch", "--meeting-date", "2022-10-28",
        "--reference", "联席会议纪要〔2022〕3号", "--applications", f"{first},{second}",
    )  # fmt: skip
    assert code == 0 and out.splitlines() == [
        t.BATCH.format(id=1, reference="联席会议纪要〔2022〕3号"),
        t.BATCH_CONFIRMED.format(id=first, name="王建筑"),
        t.BATCH_CONFIRMED.format(id=second, name="李矿山"),
    ]
    code, out, _ = run(capsys, "registry", "publicity", "--batch", "1", "--start", "2022-11-04")
    assert out.splitlines()[0] == (
        "第 1 批公示：2022-11-04（星期五）至 2022-11-10（星期四），共 2 人"
    ), "five working days, the weekend skipped"
    assert "\t王建筑\t男\t重庆大学\t高级工程师\t建筑" in out and "5001" not in out
    code, out, _ = run(
        capsys, "registry", "objection", "--application", str(second), "--received", "2022-11-07",
        "--summary", "反映其资历不符",
    )  # fmt: skip
    assert code == 0 and out == t.OBJECTION_RECORDED.format(id=1, app_id=second) + "\n"
    code, _, err = run(capsys, "registry", "appoint", "--batch", "1", "--start", "2022-11-15")
    assert code == 2 and ("公示期到" in err or "未处理的异议" in err)
    code, out, _ = run(
        capsys, "registry", "decide", "1", "--overruled", "--reason", "经核实资历符合"
    )
    assert code == 0 and out == t.OBJECTION_DECIDED.format(
        id=1, outcome=t.OVERRULED, app_id=second, status=t.status("confirmed")
    ) + "\n"
    code, _, err = run(capsys, "registry", "appoint", "--batch", "1", "--start", "2022-11-10")
    assert code == 2 and err == (
        "expertbot: 聘期须在公示期结束（2022-11-10）之后开始，请输入 2022-11-11 或更晚的日期。\n"
    ), "the window's last day is still in it"
    code, _, err = run(capsys, "registry", "batch", "--meeting-date", "bad", "--reference", "x",
                       "--applications", "1")  # fmt: skip
    assert code == 2 and t.NOT_A_DATE.format(text="bad") in err
    code, _, err = run(capsys, "registry", "batch", "--meeting-date", "2030-01-01",
                       "--reference", "x", "--applications", "1")  # fmt: skip
    assert code == 2 and "联席会议日期 2030-01-01 晚于今天" in err
    code, _, err = run(
        capsys, "registry", "objection", "--application", str(second), "--received", "2022-10-20",
        "--summary", "早于会议和公示",
    )  # fmt: skip
    assert code == 2 and err == (
        "expertbot: 收到异议的日期 2022-10-20 早于公示开始（2022-11-04），"
        "请输入公示开始当天或之后的日期。\n"
    )
    code, _, err = run(
        capsys, "registry", "objection", "--application", str(second), "--received", "2030-01-01",
        "--summary", "日期在将来",
    )  # fmt: skip
    assert code == 2 and "收到异议的日期 2030-01-01 晚于今天" in err


@pytest.mark.parametrize("argv", [["registry", "appoint", "--batch", "9", "--start", "2022-11-15"]])
def test_mistakes_are_one_line(tmp_path, monkeypatch, capsys, argv) -> None:
    url = f"sqlite:///{tmp_path}/registry.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    asyncio.run(_seed(url))
    code, _, err = run(capsys, *argv)
    assert code == 2 and err == "expertbot: 没有第 9 批入库确认。\n"


def test_the_registry_export(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path}/registry.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    first, second = asyncio.run(_seed(url))
    run(capsys, "registry", "batch", "--meeting-date", "2022-10-28", "--reference", "纪要3号",
        "--applications", f"{first},{second}")  # fmt: skip
    run(capsys, "registry", "publicity", "--batch", "1", "--start", "2022-11-01", "--end", "2022-11-01")
    code, out, _ = run(capsys, "registry", "appoint", "--batch", "1", "--start", "2022-11-15")
    assert code == 0 and "CQGSYF-2022-0001\t王建筑\t建筑\t2022-11-15 至 2027-11-14" in out
    rows = "\n".join(line for line in out.splitlines() if "\t" in line)
    assert english_words(rows, "CQGSYF") == []
    assert out.splitlines()[-1] == t.APPOINTED.format(count=2)
    target = tmp_path / "experts.xlsx"
    code, out, _ = run(capsys, "export", "experts", "-o", str(target))
    assert code == 0 and out == t.EXPERTS_WRITTEN.format(path=target, count=2) + "\n"
    rows = sheet_rows(target.read_bytes())
    assert any("CQGSYF-2022-0002" in map(str, r) for r in rows)
