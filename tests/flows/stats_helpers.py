"""Applications in two districts and two appointed experts, for the statistics tests."""

from __future__ import annotations

from datetime import date, datetime

from bot.clock import TZ
from bot.services import registry
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.flows.review_helpers import BUREAU_ADMIN
from tests.support.people import person

AT = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)
LATER = datetime(2022, 11, 20, 9, 0, tzinfo=TZ)


async def two_districts_and_two_experts(sessionmaker) -> None:
    """沙坪坝区 (重庆大学): two appointed experts and one waiting at the district;
    渝中区 (重庆交通运输集团): one submitted."""
    uows = unit_of_work_factory(sessionmaker)
    admin = await person(uows, BUREAU_ADMIN)
    who = {"by": admin, "admin_ids": (admin,)}
    apps = [
        await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                       name="王建筑", group="建筑", id_number="500106198501011234",
                       title="正高级工程师", level="正高级"),
        await seed_app(sessionmaker, telegram_id=5002, unit_code="CQU001", status="qualified",
                       name="李矿山", group="矿山", id_number="500106198601011235",
                       title="高级工程师", level=""),
    ]  # fmt: skip
    await seed_app(sessionmaker, telegram_id=5003, unit_code="CQU001", status="unit_approved",
                   name="赵等待", id_number="500106198701011236")  # fmt: skip
    await seed_app(sessionmaker, telegram_id=5004, unit_code="CQJT01", status="submitted",
                   name="钱交通", id_number="500103198801011237")  # fmt: skip
    batch = await registry.record_batch(
        uows, meeting_on=date(2022, 10, 28), reference="纪要3号", app_ids=apps, now=AT, **who
    )
    await registry.open_publicity(
        uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7),
        now=AT, **who,
    )  # fmt: skip
    await registry.appoint_batch(
        uows, batch_id=batch.id, term_start=date(2022, 11, 15), now=LATER, **who
    )
