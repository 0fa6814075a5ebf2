"""`expertbot export …` and `expertbot audit list` against a real SQLite file; every file opened."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest

from bot.cli import main
from bot.clock import TZ
from bot.texts import cli as t
from bot.texts import exports as et
from storage.db import create_database
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import annex2_body, docx_text, seed_app, sheet_rows, zip_entries
from tests.support.seed import seed_demo


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


async def _seed(url: str) -> dict[str, int]:
    sm = create_database(url)
    await upgrade(sm)
    async with unit_of_work_factory(sm)() as uow:
        await seed_demo(uow, now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
        await uow.commit()
    ids = {
        "approved": await seed_app(sm, telegram_id=5001, unit_code="CQU001", status="district_approved",
                                   name="王建筑", group="建筑", id_number="500106198501011234"),
        "pending": await seed_app(sm, telegram_id=5002, unit_code="CQU001", status="unit_approved",
                                  name="李矿山", group="矿山", id_number="500106198601011235"),
        "other": await seed_app(sm, telegram_id=5003, unit_code="CQJT01", status="district_approved",
                                name="孙渝中", group="交通", id_number="500103198901011238"),
    }  # fmt: skip
    await sm.dispose()
    return ids


@pytest.fixture
def seeded(tmp_path, monkeypatch) -> dict[str, int]:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    return asyncio.run(_seed(url))


def test_annex2_for_the_city_a_district_and_a_group(seeded, tmp_path, capsys) -> None:
    out_file = tmp_path / "a2.xlsx"
    code, out, _ = run(capsys, "export", "annex2", "-o", str(out_file))
    assert code == 0 and out == t.annex2_written(out_file, "全市", 2, 0) + "\n"
    assert [r[1] for r in annex2_body(out_file.read_bytes())] == ["王建筑", "孙渝中"]

    code, out, _ = run(capsys, "export", "annex2", "--district", "沙坪坝区", "--include-pending", "-o", str(out_file))
    assert code == 0 and out == t.annex2_written(out_file, "沙坪坝区", 2, 1) + "\n"
    body = annex2_body(out_file.read_bytes())
    assert [(r[1], r[3], r[9]) for r in body] == [
        ("李矿山", "500106198601011235", "审核中"),
        ("王建筑", "500106198501011234", None),
    ]
    code, out, _ = run(capsys, "export", "annex2", "--district", "500103", "--group", "交通", "-o", str(out_file))
    assert code == 0 and out == t.annex2_written(out_file, "渝中区 · 交通", 1, 0) + "\n"
    assert sheet_rows(out_file.read_bytes())[1][0] == "填报区县（盖章）：渝中区　　拟报专业组：交通"


def test_annex1_archive_and_full_export(seeded, tmp_path, capsys) -> None:
    docx = tmp_path / "one.docx"
    code, out, _ = run(capsys, "export", "annex1", "--application", str(seeded["pending"]), "-o", str(docx))
    assert code == 0 and "李矿山" in docx_text(docx.read_bytes())

    archive = tmp_path / "forms.zip"
    code, out, _ = run(capsys, "export", "annex1-archive", "--district", "沙坪坝区", "-o", str(archive))
    assert code == 0 and out == t.ARCHIVE_WRITTEN.format(path=archive, district="沙坪坝区", count=1) + "\n"
    entries = zip_entries(archive.read_bytes())
    assert list(entries) == [f"附件1_推荐表_{seeded['approved']}.docx"]
    assert "王建筑" in docx_text(entries[f"附件1_推荐表_{seeded['approved']}.docx"])

    full = tmp_path / "full.xlsx"
    code, out, _ = run(capsys, "export", "full", "-o", str(full))
    assert code == 0 and out == t.FULL_WRITTEN.format(path=full, rows=3) + "\n"
    rows = sheet_rows(full.read_bytes())
    assert len(rows) == 4 and rows[0][0] == "申报编号"

    code, out, _ = run(capsys, "audit", "list", "-n", "10")
    lines = out.splitlines()
    assert [line.split("\t")[1:3] for line in lines] == [
        ["命令行", "export_full"],
        ["命令行", "export_annex1_archive"],
        ["命令行", "download_annex1"],
    ]
    assert '"rows": 3' in lines[0]


def test_mistakes_are_one_line_errors(seeded, tmp_path, capsys) -> None:
    out_file = str(tmp_path / "x.xlsx")
    for argv, message in (
        (("export", "annex2", "--district", "火星区", "-o", out_file), "expertbot: "),
        (("export", "annex2", "--group", "航天", "-o", out_file), "没有拟报专业组“航天”"),
        (("export", "annex2", "-o", str(tmp_path / "missing" / "x.xlsx")),
         t.NO_FOLDER.format(folder=tmp_path / "missing")),
        (("export", "annex2", "-o", str(tmp_path)), t.IS_A_FOLDER.format(path=tmp_path)),
        (("export", "annex1-archive", "--district", "all", "-o", out_file), t.ONE_DISTRICT),
        (("export", "annex2", "--campaign", "7", "-o", out_file), "目前没有征集批次"),
        (("audit", "list", "-n", "0"), t.LIMIT_RANGE.format(max=200)),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == "" and message in err and err.count("\n") == 1, argv


def test_a_warning_logged_on_the_way_is_a_log_line_apart_from_the_chinese_answer(
    seeded, tmp_path, capsys, monkeypatch
) -> None:
    out_file = str(tmp_path / "x.docx")
    code, out, err = run(capsys, "export", "annex1", "--application", "999", "-o", out_file)
    logged, answer = err.splitlines()
    assert (code, out, answer) == (2, "", f"expertbot: {et.UNKNOWN_APPLICATION}")
    line = json.loads(logged)
    assert (line["level"], line["logger"]) == ("warning", "bot.services.exports")

    monkeypatch.setenv("LOG_FORMAT", "text")
    code, _, err = run(capsys, "export", "annex1", "--application", "999", "-o", out_file)
    logged, answer = err.splitlines()
    assert " WARNING bot.services.exports " in logged
    assert answer == f"expertbot: {et.UNKNOWN_APPLICATION}"

    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    code, _, err = run(capsys, "export", "annex1", "--application", "999", "-o", out_file)
    assert err == f"expertbot: {et.UNKNOWN_APPLICATION}\n"
