"""Applications in given states, stored directly, and readers for the files the bot sends."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import TZ
from bot.offline import OfflineUser, Sent
from bot.services.repositories import UnitOfWork
from storage.models import AccessLog
from storage.uow import unit_of_work_factory
from tests.support.people import person_in

SUBMITTED_AT = datetime(2022, 9, 15, 9, 0, tzinfo=TZ)
_NEXT = {"submitted": "unit_approved", "unit_approved": "district_approved"}


async def add_draft(uow: UnitOfWork, *, person_id: int, unit_code: str, name: str) -> int:
    """A new, empty draft of the person `person_id` for the unit `unit_code`; names the person
    (not committed)."""
    unit = await uow.campaigns.unit_by_code(unit_code)
    campaign = await uow.campaigns.current_campaign()
    assert unit is not None and campaign is not None
    await uow.people.save_person(person_id, name, SUBMITTED_AT)
    return await uow.applications.add_application(
        campaign_id=campaign.id,
        person_id=person_id,
        district_id=unit.district_id,
        unit_id=unit.id,
        unit_name=unit.name,
        unit_confirmed=True,
        cursor="group",
        now=SUBMITTED_AT,
    )


async def seed_app(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    telegram_id: int,
    unit_code: str,
    status: str,
    name: str,
    group: str = "矿山",
    id_number: str = "500106198501011234",
    mobile: str = "13900000001",
    title: str = "高级工程师",
    level: str = "副高级",
) -> int:
    """A submitted application of the person of Telegram user `telegram_id` (met now if new),
    moved on to `status`, with its events, in one unit of work."""
    async with unit_of_work_factory(sessionmaker)() as uow:
        person_id = await person_in(uow, telegram_id, SUBMITTED_AT)
        app_id = await add_draft(uow, person_id=person_id, unit_code=unit_code, name=name)
        unit = await uow.campaigns.unit_by_code(unit_code)
        assert unit is not None
        values = {
            "status": status,
            "cursor": None,
            "group": group,
            "name": name,
            "id_number": id_number,
            "gender": "男",
            "birth_date": date(1985, 1, 1),
            "ethnicity": "汉族",
            "position": "总工程师",
            "title": title,
            "title_level": level,
            "emergency_expert": False,
            "mobile": mobile,
            "resume": [{"start": "2010-07", "end": "至今", "unit": unit.name, "position": "总工程师"}],
            "main_specialties": ["矿山安全"],
            "filled_at": date(2022, 9, 15),
            "submitted_at": SUBMITTED_AT,
        }
        assert await uow.applications.update_application(app_id, 1, values, SUBMITTED_AT)
        state = "submitted"
        await uow.applications.add_event(
            app_id=app_id, actor_id=person_id, actor_name=name, action="submit",
            from_status="draft", to_status=state, note=None, now=SUBMITTED_AT,
        )  # fmt: skip
        while state != status and state in _NEXT:
            await uow.applications.add_event(
                app_id=app_id, actor_id=1, actor_name="审核人", action="approve",
                from_status=state, to_status=_NEXT[state], note=None, now=SUBMITTED_AT,
            )  # fmt: skip
            state = _NEXT[state]
        await uow.commit()
    return app_id


def last_document(user: OfflineUser) -> Sent:
    for sent in reversed(user.inbox()):
        if sent.document:
            return sent
    raise LookupError(f"no document for {user.id}")


def documents(user: OfflineUser) -> list[Sent]:
    return [s for s in user.inbox() if s.document]


def sheet_rows(data: bytes) -> list[tuple[object, ...]]:
    return [tuple(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def annex2_body(data: bytes) -> list[tuple[object, ...]]:
    """The numbered rows under the header of an Annex 2 sheet."""
    rows = sheet_rows(data)
    header = next(i for i, r in enumerate(rows) if r[0] == "序号")
    return [r for r in rows[header + 1 :] if isinstance(r[0], int)]


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


async def access_log(sessionmaker: async_sessionmaker[AsyncSession]) -> list[tuple[int | None, str, str, dict]]:
    async with sessionmaker() as session:
        rows = (await session.execute(select(AccessLog).order_by(AccessLog.id))).scalars()
        return [(r.actor_id, r.action, r.target, r.detail) for r in rows]
