"""`expertbot stats --png DIR` against a real SQLite file: the three charts, each a PNG."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime

import pytest
from PIL import Image

from bot.cli import main
from bot.clock import TZ
from bot.texts import cli as t
from storage.db import create_database
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.support.seed import seed_demo


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


async def _seed(url: str) -> None:
    database = create_database(url)
    await upgrade(database)
    async with unit_of_work_factory(database)() as uow:
        await seed_demo(uow, now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
        await uow.commit()
    await seed_app(database, telegram_id=5001, unit_code="CQU001", status="district_approved",
                   name="王建筑", group="建筑", id_number="500106198501011234")  # fmt: skip
    await seed_app(database, telegram_id=5003, unit_code="CQJT01", status="submitted",
                   name="孙渝中", group="交通", id_number="500103198901011238")  # fmt: skip
    await database.dispose()


@pytest.fixture
def seeded(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    asyncio.run(_seed(url))


def test_stats_writes_the_three_charts_of_the_city_into_the_folder(seeded, tmp_path, capsys) -> None:
    folder = tmp_path / "charts"
    code, out, err = run(capsys, "stats", "--png", str(folder))
    assert code == 0 and err == ""
    written = sorted(folder.iterdir())
    assert len(written) == 3
    lines = out.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        str(folder / name) for name in (
            f"申报情况_{_day(lines[0])}.png", f"在聘专家_{_day(lines[0])}.png",
            f"专家抽取_{_day(lines[0])}.png",
        )
    ]  # fmt: skip
    assert "各区县申报情况（按状态） · 2022年重庆市工伤预防专家库征集 · 共 2 份（不含草稿）" in lines[0]
    assert "共 0 人" in lines[1] and "邀请 0 次" in lines[2]
    for path in written:
        assert Image.open(io.BytesIO(path.read_bytes())).format == "PNG"


def test_stats_refuses_a_file_or_a_missing_parent_folder(seeded, tmp_path, capsys) -> None:
    (tmp_path / "taken").write_text("x")
    code, _, err = run(capsys, "stats", "--png", str(tmp_path / "taken"))
    assert code == 2 and err == f"expertbot: {t.IS_A_FILE.format(path=tmp_path / 'taken')}\n"
    code, _, err = run(capsys, "stats", "--png", str(tmp_path / "no" / "such"))
    assert code == 2 and err == f"expertbot: {t.NO_FOLDER.format(folder=tmp_path / 'no')}\n"


def _day(line: str) -> str:
    return line.split("截至 ")[-1]
