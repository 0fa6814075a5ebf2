"""`expertbot import annex2`: a district's paper sheet, every row checked as the chat checks it,
all or nothing unless --skip-bad."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from openpyxl import Workbook
from sqlalchemy import select

from bot.clock import TZ
from bot.texts import cli as t
from bot.texts import ops
from exports import annex2_read
from exports.annex2 import write_annex2
from exports.annex2_read import read_annex2
from exports.rows import Annex2Row
from storage.db import create_database
from storage.migrate import upgrade
from storage.models import Application, ApplicationEvent
from storage.uow import unit_of_work_factory
from tests.storage.test_cli_export import run
from tests.support.seed import seed_demo

GOOD = [
    Annex2Row(group="矿山", name="赵纸质", gender="男", id_number="500103199001019998",
              unit="重庆大学", position="总工程师", title="高级工程师（副高级）", contact="13900000011"),
    Annex2Row(group="建筑", name="钱纸质", gender="女", id_number="11010519491231002X",
              unit="沙坪坝区某建筑公司", position="经理", title="正高级工程师（正高级）", contact="13900000012"),
]  # fmt: skip
BAD = Annex2Row(group="天文", name="孙纸质", gender="男", id_number="500106198601011230",
                unit="重庆大学", position="教授", title="教授", contact="12345")  # fmt: skip


async def _seed(url: str) -> None:
    database = create_database(url)
    await upgrade(database)
    async with unit_of_work_factory(database)() as uow:
        await seed_demo(uow, now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
        await uow.commit()
    await database.dispose()


async def _entered(url: str) -> list[tuple[str, str, bool]]:
    database = create_database(url)
    async with database.session() as session:
        apps = (await session.execute(select(Application.name, Application.status, Application.unit_id.is_not(None)).order_by(Application.id))).all()  # fmt: skip
        actions = set(await session.scalars(select(ApplicationEvent.action)))
    await database.dispose()
    assert actions <= {"enter"}
    return [tuple(a) for a in apps]


def test_a_paper_sheet_goes_in_whole_or_with_skip_bad(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path}/paper.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    asyncio.run(_seed(url))
    sheet = tmp_path / "annex2.xlsx"
    sheet.write_bytes(write_annex2([*GOOD, BAD], "沙坪坝区", date(2022, 10, 10)))
    assert [r.name for r in read_annex2(sheet.read_bytes())] == [
        "赵纸质",
        "钱纸质",
        "孙纸质",
    ] or len(read_annex2(sheet.read_bytes())) == 3

    code, out, err = run(capsys, "import", "annex2", str(sheet), "--district", "沙坪坝区")
    assert code == 2 and err == f"expertbot: {t.NOTHING_IMPORTED.format(rows=3, refused=1)}\n"
    assert out.startswith("第 ") and out.count("未录入") == 1, out
    assert asyncio.run(_entered(url)) == []

    code, out, _ = run(
        capsys, "import", "annex2", str(sheet), "--district", "沙坪坝区", "--skip-bad"
    )
    assert code == 0 and out.splitlines()[-1] == t.IMPORTED.format(district="沙坪坝区", created=2, refused=1)
    entered = asyncio.run(_entered(url))
    assert sorted(entered) == sorted(
        [("赵纸质", "district_approved", True), ("钱纸质", "district_approved", False)]
    )

    code, out, _ = run(
        capsys, "import", "annex2", str(sheet), "--district", "沙坪坝区", "--skip-bad"
    )
    assert out.count("该身份证号码在本批次已有申报") == 2, "entered once only"

    not_a_sheet = tmp_path / "x.xlsx"
    not_a_sheet.write_bytes(b"hello")
    code, _, err = run(capsys, "import", "annex2", str(not_a_sheet), "--district", "沙坪坝区")
    assert code == 2 and err == f"expertbot: {not_a_sheet}：{annex2_read.NOT_XLSX}\n"


def test_a_sheet_the_reader_cannot_use_is_refused_in_chinese(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path}/paper.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    old = tmp_path / "old.xls"
    old.write_bytes(annex2_read.OLE2 + bytes(504))
    blank = tmp_path / "blank.xlsx"
    workbook = Workbook()
    workbook.active["A1"] = "推荐汇总表"
    workbook.save(blank)
    headers = " ".join(annex2_read.HEADERS)
    for path, said in [
        (old, annex2_read.OLD_XLS),
        (blank, annex2_read.NO_HEADER.format(rows=annex2_read.SCAN_ROWS, headers=headers)),
        (tmp_path / "missing.xlsx", ops.FILE_NOT_FOUND),
        (tmp_path, ops.FILE_IS_FOLDER),
    ]:
        code, _, err = run(capsys, "import", "annex2", str(path), "--district", "沙坪坝区")
        assert (code, err) == (2, f"expertbot: {path}：{said}\n")
