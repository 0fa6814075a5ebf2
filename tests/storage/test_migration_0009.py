"""Migration 0009 moves a database filled by the code before it without losing anything.

fixtures/before_0009.json holds every row of a SQLite database that the code
of d50cb59 filled through real flows (fixtures/make_before_0009.py says how):
applicants pending at the district, returned with a reason, approved and
reported, waiting at the unit, a draft; reviewers of both levels (one from an
invite link, one unreachable); the bureau admin from the settings, who has no
person row, inviting, exporting through download links, nudging and extending
a deadline; reminders sent and pending; consent records, card messages, a
batch report and the access log. Its Telegram ids include 1 and 2, which are
also new person ids, and ids above 2**32.

The rows go into an empty database migrated to the heads before 0009 (SQLite,
or PostgreSQL with TEST_DATABASE_URL), then the migration runs, and every row
is compared with what it must have become.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from bot.clock import TZ
from bot.domain.reminders import Audience, Status, Todo, due_reminders
from bot.services import reminders as reminder_service
from storage import crypto
from storage.db import Database, create_database
from storage.keystore import check_keys
from storage.migrate import upgrade
from storage.models import (
    Account,
    Application,
    ApplicationEvent,
    Base,
    DownloadToken,
    Person,
    Photo,
)
from storage.uow import unit_of_work_factory
from tests.support import services

FIXTURE = Path(__file__).parent / "fixtures" / "before_0009.json"
BEFORE = ("0002", "0004", "0005", "0006", "0007", "0008")
"""The heads the code before 0009 left."""

PERSON_COLUMNS = (
    ("role", "person_id"),
    ("role", "granted_by"),
    ("application", "person_id"),
    ("application_event", "actor_id"),
    ("reminder", "recipient_id"),
    ("nudge_log", "actor_id"),
    ("invite", "created_by"),
    ("invite", "used_by"),
    ("consent_record", "person_id"),
    ("batch_report", "reported_by"),
    ("access_log", "actor_id"),
    ("download_token", "requester_id"),
)
"""Every column that named a Telegram user before 0009 (kept here, not imported from the
migration, so a column the migration forgets fails this test)."""

KEY_PEOPLE = {"r": (4,), "x": (1, 3), "n": (3,), "e": (3,)}
"""Which fields of a reminder key name people (bot.domain.reminders.reminder_key,
bot.services.reminders: escalations and 催办, bot.services.campaigns: extensions)."""

# Who is who in the fixture (see make_before_0009.py).
ADMIN = 777000111
UNIT_REVIEWER = 2
UNIT_REVIEWER_BLOCKED = 5000000002
DISTRICT_REVIEWER = 3001
APPLICANT_PENDING = 5123456789
APPLICANT_RETURNED = 1
APPLICANT_REPORTED = 1001
APPLICANT_AT_UNIT = 6000000005
APPLICANT_DRAFT = 7000000001
ID_NUMBERS = {
    APPLICANT_REPORTED: "500103199001019998",
    APPLICANT_RETURNED: "500105198803152019",
    APPLICANT_PENDING: "500106198501011233",
    APPLICANT_AT_UNIT: "500106199207203458",
}
FIRST_PASS = datetime(2022, 9, 23, 18, 5, tzinfo=TZ)
"""When the fixture's first reminder pass ran."""

KINDS: dict[str, Any] = {
    "int": sa.BigInteger,
    "text": sa.Text,
    "bool": sa.Boolean,
    "datetime": sa.DateTime,
    "date": sa.Date,
    "bytes": sa.LargeBinary,
    "json": lambda: sa.JSON(none_as_null=True),
}


@dataclass
class Table:
    name: str
    kinds: dict[str, str]
    rows: list[dict[str, Any]]
    """Values as Python objects: naive UTC datetimes, bytes, parsed JSON."""

    def typed(self, columns: list[str] | None = None) -> sa.TableClause:
        names = columns if columns is not None else list(self.kinds)
        return sa.table(self.name, *(sa.column(n, KINDS[self.kinds[n]]()) for n in names))


def _value(kind: str, raw: Any) -> Any:
    if raw is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(raw)
    if kind == "date":
        return date.fromisoformat(raw)
    if kind == "bytes":
        return base64.b64decode(raw)
    return raw


def load_fixture() -> tuple[list[str], dict[str, Table]]:
    data = json.loads(FIXTURE.read_text())
    tables = {}
    for name, table in data["tables"].items():
        kinds = table["columns"]
        rows = [
            {n: _value(kinds[n], v) for n, v in zip(kinds, row, strict=True)}
            for row in table["rows"]
        ]
        tables[name] = Table(name, kinds, rows)
    return data["alembic_version"], tables


@pytest.fixture
async def empty(tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database of its own: a SQLite file, or one on TEST_DATABASE_URL's server."""
    server = services.database_url()
    url = await services.empty_database(server) if server else f"sqlite:///{tmp_path}/before_0009.db"
    database = create_database(url)
    try:
        yield database
    finally:
        await database.dispose()
        if server:
            await services.drop_database(url)


def insert_rows(connection: Connection, tables: dict[str, Table]) -> None:
    """Replaces whatever the migrations seeded with the fixture's rows, in dependency order."""
    meta = sa.MetaData()
    meta.reflect(connection)
    present = [t for t in meta.sorted_tables if t.name != "alembic_version"]
    assert {t.name for t in present} == set(tables), "the fixture has every table of the schema"
    for table in reversed(present):
        connection.execute(table.delete())
    for table in present:
        fixture = tables[table.name]
        assert set(fixture.kinds) == {c.name for c in table.columns}, table.name
        if fixture.rows:
            connection.execute(fixture.typed().insert(), fixture.rows)
    if connection.dialect.name == "postgresql":
        for table, column in connection.execute(
            sa.text(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND column_default LIKE 'nextval%'"
            )
        ):
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'),"
                    f' COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)'
                )
            )


def read(connection: Connection, fixture: Table, columns: list[str], order: str) -> list[dict[str, Any]]:
    typed = fixture.typed(columns)
    rows = connection.execute(sa.select(typed).order_by(typed.c[order])).mappings()
    return [dict(r) for r in rows]


def first_met(tables: dict[str, Table]) -> tuple[dict[int, int], set[int]]:
    """The renumbering the migration must make: persons by created_at (then old id), then the
    people named somewhere without a person row, by old id; and those strangers."""
    persons = sorted(tables["person"].rows, key=lambda p: (p["created_at"], p["id"]))
    named = {
        row[column]
        for table, column in (*PERSON_COLUMNS, ("card_message", "chat_id"))
        for row in tables[table].rows
        if row[column] is not None
    }
    strangers = named - {p["id"] for p in persons}
    order = [p["id"] for p in persons] + sorted(strangers)
    return {old: new for new, old in enumerate(order, start=1)}, strangers


def rewrite_key(key: str, renumber: dict[int, int]) -> str:
    parts = key.split(":")
    for field in KEY_PEOPLE[parts[0]]:
        parts[field] = str(renumber[int(parts[field])])
    return ":".join(parts)


@pytest.fixture
async def migrated(empty: Database) -> AsyncIterator[tuple[Database, dict[str, Table], datetime]]:
    """The fixture's rows on the pre-0009 schema, then upgraded to the head."""
    heads, tables = load_fixture()
    assert sorted(heads) == sorted(BEFORE)
    for revision in BEFORE:
        await upgrade(empty, revision)

    def versions(connection: Connection) -> list[str]:
        return sorted(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())

    assert await empty.run_sync(versions) == sorted(BEFORE)
    await empty.run_sync(lambda connection: insert_rows(connection, tables))
    started = datetime.now(UTC)
    await upgrade(empty)
    [head] = await empty.run_sync(versions)
    assert head >= "0009"
    yield empty, tables, started


async def test_every_row_is_moved_to_person_ids_and_nothing_else_changes(migrated) -> None:
    database, tables, started = migrated
    renumber, strangers = first_met(tables)
    assert strangers == {ADMIN}, "the admin from the settings never had a person row"
    old_persons = {p["id"]: p for p in tables["person"].rows}

    def check(connection: Connection) -> None:
        # person: 1..N in the order met, everything but username and unreachable kept.
        person = tables["person"]
        kept = [c for c in person.kinds if c not in ("username", "unreachable")]
        rows = read(connection, person, kept, "id")
        assert [r["id"] for r in rows] == list(range(1, len(renumber) + 1))
        back = {new: old for old, new in renumber.items()}
        for row in rows:
            old = back[row["id"]]
            if old in strangers:
                assert row["full_name"] == ""
                assert started - timedelta(seconds=1) <= row["created_at"].replace(tzinfo=UTC)
                assert all(row[c] is None for c in kept if c.startswith("consent") or c.endswith("consent_at"))
            else:
                assert row == {**{c: old_persons[old][c] for c in kept}, "id": row["id"]}
        assert {"username", "unreachable"}.isdisjoint(
            c["name"] for c in sa.inspect(connection).get_columns("person")
        )

        # account: exactly one telegram account per person, with what person held.
        accounts = connection.execute(sa.select(Account.__table__).order_by("id")).mappings().all()
        assert sorted(a["person_id"] for a in accounts) == list(range(1, len(renumber) + 1))
        by_telegram = {}
        for a in accounts:
            old = int(a["external_id"])
            by_telegram[old] = a
            assert a["channel"] == "telegram"
            assert a["chat_id"] == a["external_id"] == str(old)
            assert a["detached_at"] is None
            assert a["person_id"] == renumber[old]
            if old in strangers:
                assert (a["username"], a["unreachable"]) == (None, False)
            else:
                p = old_persons[old]
                assert (a["username"], a["unreachable"]) == (p["username"], p["unreachable"])
                assert a["display_name"] == p["full_name"]
        assert set(by_telegram) == set(renumber)
        assert by_telegram[UNIT_REVIEWER_BLOCKED]["unreachable"] is True
        assert by_telegram[APPLICANT_PENDING]["username"] == "zhang_san"
        # Telegram id -> person id, read from the accounts the migration made.
        follow = {old: a["person_id"] for old, a in by_telegram.items()}

        # Every other table: the same rows, person columns moved through the accounts.
        moved: dict[str, set[str]] = {}
        for table, column in PERSON_COLUMNS:
            moved.setdefault(table, set()).add(column)
        for name, fixture in tables.items():
            if name in ("person", "card_message"):
                continue
            [order] = sa.inspect(connection).get_pk_constraint(name)["constrained_columns"]
            expected = []
            for row in fixture.rows:
                row = dict(row)
                for column in moved.get(name, ()):
                    if row[column] is not None:
                        row[column] = follow[row[column]]
                if name == "reminder":
                    row["key"] = rewrite_key(row["key"], follow)
                expected.append(row)
            assert read(connection, fixture, list(fixture.kinds), order) == expected, name

        # No person column names a Telegram id any more (1 and 2 are person ids too).
        person_ids = set(range(1, len(renumber) + 1))
        for table, column in PERSON_COLUMNS:
            found = set(connection.execute(sa.text(f'SELECT DISTINCT "{column}" FROM "{table}"')).scalars())
            found.discard(None)
            assert found <= person_ids, (table, column, found - person_ids)
        keys = connection.execute(sa.text("SELECT key FROM reminder")).scalars().all()
        for key in keys:
            kind, *_ = key.split(":")
            named = {int(key.split(":")[f]) for f in KEY_PEOPLE[kind]}
            assert named <= person_ids, key

        # card_message: the account in whose chat each card is, instead of the chat id.
        card = tables["card_message"]
        kept = [c for c in card.kinds if c != "chat_id"]
        typed = sa.table("card_message", *(sa.column(c, KINDS[card.kinds[c]]()) for c in kept),
                         sa.column("account_id", sa.Integer()))
        got = [dict(r) for r in connection.execute(sa.select(typed).order_by(typed.c.id)).mappings()]
        assert got == [
            {**{c: r[c] for c in kept}, "account_id": by_telegram[r["chat_id"]]["id"]}
            for r in card.rows
        ]
        assert "chat_id" not in {c["name"] for c in sa.inspect(connection).get_columns("card_message")}

        # Spelled out for the reader: who holds what now.
        def person_of(telegram_id: int) -> int:
            return by_telegram[telegram_id]["person_id"]

        apps = dict(connection.execute(sa.text("SELECT person_id, status FROM application")).all())
        assert apps == {
            person_of(APPLICANT_REPORTED): "district_approved",
            person_of(APPLICANT_RETURNED): "returned",
            person_of(APPLICANT_PENDING): "unit_approved",
            person_of(APPLICANT_AT_UNIT): "submitted",
            person_of(APPLICANT_DRAFT): "draft",
        }
        roles = set(connection.execute(sa.text("SELECT person_id, role, granted_by FROM role")).all())
        assert roles == {
            (person_of(UNIT_REVIEWER_BLOCKED), "unit", None),
            (person_of(UNIT_REVIEWER), "unit", None),
            (person_of(9001), "bureau", None),
            (person_of(DISTRICT_REVIEWER), "district", person_of(ADMIN)),
        }
        assert connection.execute(sa.text("SELECT created_by, used_by FROM invite")).one() == (
            person_of(ADMIN), person_of(DISTRICT_REVIEWER),
        )

        # The schema is the models' schema, also after moving real rows.
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []

    await database.run_sync(check)


async def test_encrypted_answers_photos_and_files_still_open_with_the_key(migrated) -> None:
    database, tables, _ = migrated
    await check_keys(database, crypto.current_keyring(), datetime.now(UTC))
    renumber, _ = first_met(tables)

    def check(connection: Connection) -> None:
        with Session(connection) as session:
            got = {
                app.person_id: (app.id_number, app.id_hash, app.mobile, app.home_address)
                for app in session.scalars(sa.select(Application))
                if app.id_number
            }
            assert got == {
                renumber[old]: (number, crypto.blind_index(number), "13800000000", "重庆市沙坪坝区学城大道1号")
                for old, number in ID_NUMBERS.items()
            }
            changes = session.scalars(
                sa.select(ApplicationEvent.changes).where(ApplicationEvent.action == "submit")
            ).all()
            assert len(changes) == 4 and all(isinstance(c, dict) and c for c in changes)
            photos = session.scalars(sa.select(Photo.jpeg)).all()
            assert photos and all(p.startswith(b"\xff\xd8") for p in photos)
            files = session.execute(sa.select(DownloadToken.filename, DownloadToken.data)).all()
            assert files and all(data.startswith(b"PK") for _, data in files)

    await database.run_sync(check)


async def test_a_new_person_gets_a_fresh_id_never_given_before(migrated) -> None:
    database, tables, _ = migrated
    renumber, _ = first_met(tables)
    now = datetime.now(UTC)

    def add(connection: Connection, telegram_id: str) -> tuple[int, int]:
        with Session(connection) as session:
            person = Person(full_name="新人", created_at=now)
            session.add(person)
            session.flush()
            account = Account(
                person_id=person.id, channel="telegram", external_id=telegram_id,
                chat_id=telegram_id, display_name="新人", unreachable=False, attached_at=now,
            )
            session.add(account)
            session.commit()
            return person.id, account.id

    def forget(connection: Connection, person_id: int) -> None:
        connection.execute(sa.delete(Account).where(Account.person_id == person_id))
        connection.execute(sa.delete(Person).where(Person.id == person_id))

    person_id, account_id = await database.run_sync(lambda c: add(c, "8000000008"))
    assert (person_id, account_id) == (len(renumber) + 1, len(renumber) + 1)
    await database.run_sync(lambda c: forget(c, person_id))
    again, _ = await database.run_sync(lambda c: add(c, "8000000009"))
    assert again == len(renumber) + 2, "a deleted person's id is not given again"


def _todos(connection: Connection) -> list[Todo]:
    """What the pass would collect from the migrated rows, read with plain SQL: drafts and
    returned forms for their applicants, forms at the unit for that unit's reachable reviewers."""
    todos = []
    for app_id, person_id, status, unit_id in connection.execute(
        sa.text("SELECT id, person_id, status, unit_id FROM application ORDER BY id")
    ):
        if status in ("draft", "returned"):
            audience = Audience.RETURNED if status == "returned" else Audience.DRAFT
            todos.append(Todo(recipient_id=person_id, audience=audience, scope=app_id))
        elif status == "submitted":
            reviewers = connection.execute(
                sa.text(
                    "SELECT role.person_id FROM role JOIN account ON account.person_id = role.person_id"
                    " WHERE role.role = 'unit' AND role.unit_id = :unit AND NOT account.unreachable"
                ),
                {"unit": unit_id},
            ).scalars()
            todos += [Todo(recipient_id=r, audience=Audience.UNIT_PENDING, scope=unit_id) for r in reviewers]
    return todos


async def test_reminders_already_sent_are_not_due_again(migrated) -> None:
    """At the moment of the first pass, after the migration, only the draft's reminder is due:
    it was left pending (Telegram failed for now). Those sent keep their keys."""
    database, tables, _ = migrated
    renumber, _ = first_met(tables)
    now = FIRST_PASS + timedelta(minutes=10)

    uows = unit_of_work_factory(database)
    async with uows() as uow:
        campaign = await uow.campaigns.current_campaign()
        plan = await uow.campaigns.plan(campaign.id)
        recorded = await uow.campaigns.recorded(campaign.id)
    sent = f"r:1:unit@20220930T1000+0000:10080:{renumber[APPLICANT_RETURNED]}:returned2"
    assert recorded[sent].status is Status.SENT
    todos = await database.run_sync(_todos)
    assert {t.recipient_id for t in todos} == {
        renumber[APPLICANT_RETURNED], renumber[APPLICANT_DRAFT], renumber[UNIT_REVIEWER],
    }
    due = due_reminders(
        campaign_id=campaign.id, deadlines=reminder_service.deadlines_of(plan), schedule=plan.schedule,
        todos=todos, recorded=recorded, now=now, lease=timedelta(seconds=60),
    )
    assert [n.key for n in due] == [
        f"r:1:unit@20220930T1000+0000:10080:{renumber[APPLICANT_DRAFT]}:draft5"
    ]


async def test_the_reminder_pass_after_the_migration_plans_only_what_was_never_sent(migrated) -> None:
    """The real pass, dry: the draft's pending reminder and the extension waiting in the outbox,
    to their person ids; nothing that went out before the migration."""
    database, tables, _ = migrated
    renumber, _ = first_met(tables)

    class Clock:
        def now(self) -> datetime:
            return FIRST_PASS + timedelta(minutes=10)

    report = await reminder_service.send_due_reminders(
        unit_of_work_factory(database), sender=None, clock=Clock(), dry_run=True  # type: ignore[arg-type]
    )
    assert sorted((n.key, n.recipient_id) for n in report.planned) == sorted([
        (f"e:1:district@20221022T1800+0800:{renumber[DISTRICT_REVIEWER]}", renumber[DISTRICT_REVIEWER]),
        (f"r:1:unit@20220930T1000+0000:10080:{renumber[APPLICANT_DRAFT]}:draft5", renumber[APPLICANT_DRAFT]),
    ])
