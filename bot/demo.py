"""Demo data for the console and the tests: one campaign, a few units, reviewers later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import TZ
from bot.services.ports import Store

DEMO_UNITS = (
    ("CQU001", "重庆大学", "高等院校", "500106"),
    ("CQJT01", "重庆交通运输集团有限公司", "企业", "500103"),
    ("CQAJ01", "重庆市安全生产科学研究院", "科研机构", "500112"),
)


NOTICE_DEADLINES = (datetime(2022, 9, 30, 18, 0, tzinfo=TZ), datetime(2022, 10, 15, 18, 0, tzinfo=TZ))


async def seed_demo(
    store: Store,
    now: datetime,
    deadlines: tuple[datetime, datetime] = NOTICE_DEADLINES,
    name: str = "2022年重庆市工伤预防专家库征集",
) -> None:
    """Creates a campaign (by default the notice's) and three units, unless already there."""
    if await store.current_campaign() is None:
        await store.add_campaign(
            name=name, unit_deadline=deadlines[0], district_deadline=deadlines[1], now=now
        )
    for code, name, kind, district_code in DEMO_UNITS:
        if await store.unit_by_code(code) is None:
            district = await store.district_by_code(district_code)
            assert district is not None
            await store.add_unit(code=code, name=name, kind=kind, district_id=district.id, now=now)


DEMO_REVIEWERS = (
    (2001, "王老师", "unit", "CQU001"),
    (3001, "赵科长", "district", "500106"),
    (9001, "周处长", "bureau", ""),
)
"""Console users who review: 重庆大学's unit reviewer, 沙坪坝区's district reviewer, a bureau admin."""


async def seed_demo_reviewers(store: Any, now: datetime) -> None:
    """Grants the demo reviewers their roles (a `ReviewStore`); harmless when run again."""
    from bot.domain.review import Grant, RoleKind

    for person_id, name, role, code in DEMO_REVIEWERS:
        kind = RoleKind(role)
        if kind is RoleKind.UNIT:
            unit = await store.unit_by_code(code)
            grant = Grant(role=kind, unit_id=unit.id)
        elif kind is RoleKind.DISTRICT:
            district = await store.district_by_code(code)
            grant = Grant(role=kind, district_id=district.id)
        else:
            grant = Grant(role=kind)
        await store.ensure_person(person_id, name, now)
        await store.add_grant(person_id, grant, None, now)
