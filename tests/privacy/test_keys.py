"""The data key: rotation round trip, wrong and missing keys stop the program with one line."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from bot.cli import main
from bot.texts import cli as t
from bot.texts import ops
from storage.crypto import decode_key, generate_key, key_id
from tests.conftest import TEST_DATA_KEY


def run(capsys: pytest.CaptureFixture[str], entry: Callable[[list[str]], Any], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        entry(list(argv))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


def _database_with_an_applicant(path: str) -> None:
    """Writes one application with an ID number and a phone through the CLI's own database setup."""
    import asyncio
    from datetime import UTC, datetime

    from bot.config import load_settings
    from bot.main import open_database
    from storage.uow import SqlUnitOfWork
    from tests.support.people import person_in
    from tests.support.seed import seed_demo

    async def write() -> None:
        engine = sm = await open_database(load_settings())
        now = datetime(2022, 9, 1, tzinfo=UTC)
        async with SqlUnitOfWork(sm) as uow:
            await seed_demo(uow, now=now)
            person_id = await person_in(uow, 1001, now)
            await uow.people.save_person(person_id, "张三", now)
            campaign = await uow.campaigns.current_campaign()
            unit = await uow.campaigns.unit_by_code("CQU001")
            assert campaign and unit
            app_id = await uow.applications.add_application(
                campaign_id=campaign.id, person_id=person_id, district_id=unit.district_id,
                unit_id=unit.id, unit_name=unit.name, unit_confirmed=True, cursor="name", now=now,
            )
            await uow.applications.update_application(
                app_id, 1, {"name": "张三", "id_number": "500103199001019998", "mobile": "13800000000"}, now
            )
            await uow.applications.save_photo(app_id, b"\xff\xd8\xff photo", 413, 579, None)
            await uow.commit()
        await engine.dispose()

    asyncio.run(write())


@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> str:
    path = f"{tmp_path}/cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    return path


def test_generate_prints_a_fresh_32_byte_key(capsys) -> None:
    code, out, _ = run(capsys, main, "keys", "generate")
    import base64

    assert code == 0 and len(base64.b64decode(out.strip())) == 32
    assert run(capsys, main, "keys", "generate")[1] != out


def test_rotation_re_encrypts_everything_and_the_old_key_stops_working(
    cli_db: str, monkeypatch, capsys
) -> None:
    _database_with_an_applicant(cli_db)
    before = sqlite3.connect(cli_db).execute("SELECT id_number, id_hash FROM application").fetchone()
    new = generate_key()
    code, out, err = run(capsys, main, "keys", "rotate", "--new-key", new)
    assert code == 0, err
    old_id, new_id = (key_id(decode_key(k, "key")) for k in (TEST_DATA_KEY, new))
    assert out.splitlines()[0] == t.ROTATED.format(count=3, old=old_id, new=new_id)
    assert out.splitlines()[1] == t.ROTATED_NEXT
    after = sqlite3.connect(cli_db).execute("SELECT id_number, id_hash FROM application").fetchone()
    assert after[0][:8] != before[0][:8] and after[1] != before[1]

    code, _, err = run(capsys, main, "campaign", "list")
    wrong = ops.WRONG_KEY.format(kid=new_id, current=old_id)
    assert code == 2 and err == f"expertbot: {wrong}\n"

    monkeypatch.setenv("DATA_KEY", new)
    assert run(capsys, main, "campaign", "list")[0] == 0
    from bot.config import load_settings
    from bot.main import open_database
    from storage.models import Application, Photo

    async def read() -> tuple[str | None, bytes | None, bool]:
        from sqlalchemy import select

        from storage.uow import SqlUnitOfWork

        engine = sm = await open_database(load_settings())
        async with sm() as session:
            app = (await session.execute(select(Application))).scalar_one()
            photo = await session.get(Photo, app.id)
        async with SqlUnitOfWork(sm) as uow:
            in_use = await uow.applications.id_number_in_use(app.campaign_id, "500103199001019998", 0)
        await engine.dispose()
        return app.id_number, photo.jpeg if photo else None, in_use

    import asyncio

    assert asyncio.run(read()) == ("500103199001019998", b"\xff\xd8\xff photo", True)


def test_a_wrong_key_stops_with_one_line(cli_db: str, monkeypatch, capsys) -> None:
    _database_with_an_applicant(cli_db)
    monkeypatch.setenv("DATA_KEY", generate_key())
    code, out, err = run(capsys, main, "unit", "list")
    assert code == 2 and out == ""
    stored = key_id(decode_key(TEST_DATA_KEY))
    wrong = ops.WRONG_KEY.format(kid=stored, current=key_id(decode_key(os.environ["DATA_KEY"])))
    assert err == f"expertbot: {wrong}\n"


def test_a_missing_key_stops_when_the_database_holds_encrypted_data(
    cli_db: str, monkeypatch, capsys
) -> None:
    _database_with_an_applicant(cli_db)
    monkeypatch.delenv("DATA_KEY")
    code, _, err = run(capsys, main, "unit", "list")
    stored = key_id(decode_key(TEST_DATA_KEY))
    assert code == 2 and err == f"expertbot: {ops.KEY_NOT_SET.format(kid=stored)}\n"


def test_run_refuses_to_start_without_a_key_even_on_a_fresh_database(
    cli_db: str, monkeypatch, capsys
) -> None:
    monkeypatch.delenv("DATA_KEY")
    monkeypatch.setenv("BOT_TOKEN", "42:TEST")
    monkeypatch.delenv("WEBHOOK_URL", raising=False)
    code, _, err = run(capsys, main, "run")
    assert code == 2
    assert err == f"expertbot: {t.MISSING_KEY}\n"


def test_other_verbs_work_on_a_fresh_database_without_a_key(cli_db: str, monkeypatch, capsys) -> None:
    monkeypatch.delenv("DATA_KEY")
    assert run(capsys, main, "campaign", "list")[0] == 0


def test_migration_encrypts_plaintext_left_by_an_older_version(cli_db: str, monkeypatch, capsys) -> None:
    import asyncio

    from storage.db import create_database
    from storage.migrate import upgrade

    async def old_schema() -> None:
        database = create_database(f"sqlite:///{cli_db}")
        await upgrade(database, "0001")
        await database.dispose()

    asyncio.run(old_schema())
    db = sqlite3.connect(cli_db)
    db.execute(
        "INSERT INTO campaign (id, name, unit_deadline, district_deadline, is_open, created_at) "
        "VALUES (1, 'c', '2022-10-01 00:00:00', '2022-10-10 00:00:00', 1, '2022-09-01 00:00:00')"
    )
    db.execute("INSERT INTO person (id, full_name, unreachable, created_at) VALUES (1001, '张三', 0, '2022-09-01 00:00:00')")
    db.execute(
        "INSERT INTO application (id, campaign_id, person_id, district_id, unit_confirmed, status, "
        "version, flags, id_number, mobile, created_at, updated_at) VALUES (1, 1, 1001, 1, 1, "
        "'submitted', 1, '[]', '500103199001019998', '13800000000', '2022-09-01 00:00:00', "
        "'2022-09-01 00:00:00')"
    )
    db.execute("INSERT INTO photo (application_id, jpeg, width, height) VALUES (1, x'ffd8ff00', 1, 1)")
    db.execute(
        "INSERT INTO application_event (application_id, actor_name, action, to_status, changes, at) "
        "VALUES (1, '张三', 'submit', 'submitted', '{\"answers\": {\"id_number\": \"500103199001019998\"}}', "
        "'2022-09-01 00:00:00')"
    )
    db.commit()
    db.close()

    monkeypatch.delenv("DATA_KEY")
    code, _, err = run(capsys, main, "db", "upgrade")
    assert code == 2 and err == f"expertbot: {ops.PLAIN_TEXT}\n"

    monkeypatch.setenv("DATA_KEY", TEST_DATA_KEY)
    code, _, err = run(capsys, main, "db", "upgrade")
    assert code == 0, err
    raw = sqlite3.connect(cli_db)
    dumped = repr(raw.execute("SELECT * FROM application").fetchall())
    dumped += repr(raw.execute("SELECT * FROM application_event").fetchall())
    assert "500103199001019998" not in dumped and "13800000000" not in dumped
    assert not raw.execute("SELECT jpeg FROM photo").fetchone()[0].startswith(b"\xff\xd8")


def test_key_files_and_keys_that_cannot_be_used_are_refused_in_chinese(
    cli_db: str, tmp_path, monkeypatch, capsys
) -> None:
    binary = tmp_path / "binary.key"
    binary.write_bytes(b"\xff\xfe")
    missing = tmp_path / "missing.key"
    for argv, said in [
        (["--new-key", "c2hvcnQ="], ops.KEY_LENGTH.format(name="--new-key", length=5)),
        (["--new-key", "not base64!"], ops.NOT_BASE64.format(name="--new-key")),
        (["--new-key-file", str(missing)], f"{missing}：{ops.FILE_NOT_FOUND}"),
        (["--new-key-file", str(binary)], f"{binary}：{t.KEY_FILE_NOT_BASE64}"),
    ]:
        code, _, err = run(capsys, main, "keys", "rotate", *argv)
        assert (code, err) == (2, f"expertbot: {said}\n")

    monkeypatch.delenv("DATA_KEY")
    monkeypatch.setenv("DATA_KEY_FILE", str(missing))
    code, _, err = run(capsys, main, "campaign", "list")
    said = ops.KEY_FILE.format(path=missing, problem=ops.FILE_NOT_FOUND)
    assert (code, err) == (2, f"expertbot: {said}\n")
    monkeypatch.setenv("DATA_KEY_FILE", str(binary))
    code, _, err = run(capsys, main, "campaign", "list")
    assert (code, err) == (2, f"expertbot: {ops.NOT_BASE64.format(name=f'DATA_KEY_FILE {binary}')}\n")
