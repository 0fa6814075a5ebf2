"""Appointed experts for tests of what comes after appointment (draws, statistics): written
straight into the tables, since the appointment itself is tested in tests/flows/test_registry.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.clock import TZ
from storage.db import Database
from storage.models import Application, Expert, ExpertTerm
from storage.uow import unit_of_work_factory
from tests.support.people import person_in

APPOINTED_AT = datetime(2022, 11, 10, 9, 0, tzinfo=TZ)


@dataclass(frozen=True)
class Spec:
    telegram_id: int
    name: str
    group: str = "矿山"
    unit_code: str = "CQU001"
    """A unit of the demo seed (bot.demo.DEMO_UNITS)."""
    starts_on: date = date(2022, 11, 10)
    ends_on: date = date(2027, 11, 9)
    standing: str = "appointed"
    certificate_no: str = ""
    """Default: CQGSYF-2022-90NN, NN the spec's place in its call."""


async def appointed(database: Database, *specs: Spec) -> list[int]:
    """One expert per spec, with a person and Telegram account, an accepted application and a
    current term; returns the expert ids in order."""
    uows = unit_of_work_factory(database)
    ids = []
    async with uows() as uow:
        campaign = await uow.campaigns.current_campaign()
        assert campaign is not None
        session = uow.session  # type: ignore[attr-defined]
        for n, spec in enumerate(specs, start=1):
            unit = await uow.campaigns.unit_by_code(spec.unit_code)
            assert unit is not None
            person_id = await person_in(uow, spec.telegram_id, APPOINTED_AT)
            app = Application(
                campaign_id=campaign.id, person_id=person_id, district_id=unit.district_id,
                unit_id=unit.id, unit_confirmed=True, status="accepted", version=1, flags=[],
                name=spec.name, gender="男", unit_name=unit.name, position="总工程师",
                title="高级工程师", title_level="副高", group=spec.group, mobile="13900000000",
                created_at=APPOINTED_AT, updated_at=APPOINTED_AT,
            )  # fmt: skip
            session.add(app)
            await session.flush()
            expert = Expert(
                person_id=person_id, application_id=app.id, professional_group=spec.group,
                standing=spec.standing, version=1, created_at=APPOINTED_AT, updated_at=APPOINTED_AT,
                district_id=unit.district_id, unit_id=unit.id, unit_name=unit.name,
            )  # fmt: skip
            session.add(expert)
            await session.flush()
            session.add(
                ExpertTerm(
                    expert_id=expert.id,
                    certificate_no=spec.certificate_no or f"CQGSYF-2022-{9000 + n:04d}",
                    starts_on=spec.starts_on, ends_on=spec.ends_on, appointed_at=APPOINTED_AT,
                )  # fmt: skip
            )
            ids.append(expert.id)
        await uow.commit()
    return ids
