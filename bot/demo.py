"""Demo data for the console and the tests: one campaign, a few units, reviewers later."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.clock import TZ, local
from bot.domain import keys
from bot.domain.review import Grant, RoleKind
from bot.domain.workflow import ENTERED, Status
from bot.services.accounts import telegram_person
from bot.services.ports import UnitRow
from bot.services.registry_ports import ExpertFilter
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.texts import registry as rt

DEMO_UNITS = (
    ("CQU001", "重庆大学", "高等院校", "500106"),
    ("CQJT01", "重庆交通运输集团有限公司", "企业", "500103"),
    ("CQAJ01", "重庆市安全生产科学研究院", "科研机构", "500112"),
)


NOTICE_DEADLINES = (datetime(2022, 9, 30, 18, 0, tzinfo=TZ), datetime(2022, 10, 15, 18, 0, tzinfo=TZ))


async def seed_demo(
    uow: UnitOfWork,
    now: datetime,
    deadlines: tuple[datetime, datetime] = NOTICE_DEADLINES,
    name: str = "2022年重庆市工伤预防专家库征集",
) -> None:
    """Creates a campaign (by default the notice's) and three units, unless already there.

    Writes in the caller's open unit of work; the caller commits.
    """
    campaigns = uow.campaigns
    if await campaigns.current_campaign() is None:
        await campaigns.add_campaign(
            name=name, unit_deadline=deadlines[0], district_deadline=deadlines[1], now=now
        )
    for code, unit_name, kind, district_code in DEMO_UNITS:
        if await campaigns.unit_by_code(code) is None:
            district = await campaigns.district_by_code(district_code)
            assert district is not None
            await campaigns.add_unit(
                code=code, name=unit_name, kind=kind, district_id=district.id, now=now
            )


DEMO_REVIEWERS = (
    (2001, "王老师", "unit", "CQU001"),
    (3001, "赵科长", "district", "500106"),
    (9001, "周处长", "bureau", ""),
    (9002, "钱科员", "bureau_rv", ""),
)
"""Console users who review, by Telegram account: 重庆大学's unit reviewer, 沙坪坝区's district
reviewer, a bureau admin, a bureau reviewer (资格审核)."""


async def seed_demo_reviewers(uow: UnitOfWork, now: datetime) -> None:
    """Grants the demo reviewers their roles in the caller's open unit of work; harmless when run again."""
    for telegram_id, name, role, code in DEMO_REVIEWERS:
        kind = RoleKind(role)
        if kind is RoleKind.UNIT:
            unit = await uow.campaigns.unit_by_code(code)
            assert unit is not None
            grant = Grant(role=kind, unit_id=unit.id)
        elif kind is RoleKind.DISTRICT:
            district = await uow.campaigns.district_by_code(code)
            assert district is not None
            grant = Grant(role=kind, district_id=district.id)
        else:
            grant = Grant(role=kind)
        person_id = await telegram_person(uow, telegram_id, now, name)
        await uow.people.ensure_person(person_id, name, now)
        await uow.people.add_grant(person_id, grant, None, now)


DEMO_QUALIFIED = (
    (1101, "刘安全", "矿山", "正高级工程师", "正高级", "男"),
    (1102, "陈卫生", "职业卫生", "主任医师", "正高级", "女"),
    (1103, "杨建筑", "建筑", "高级工程师", "副高级", "男"),
)
"""Console applicants whose forms the bureau has already qualified, so /registry has work; once
appointed they are experts, and `:user 1101` in the console sees their /me."""


async def seed_demo_qualified(uow: UnitOfWork, now: datetime) -> None:
    """Three qualified applications at 重庆大学 and one entered from paper, unless the campaign
    has qualified ones already; in the caller's open unit of work."""
    campaign = await uow.campaigns.current_campaign()
    assert campaign is not None
    if await uow.applications.applications_in(campaign.id, ["qualified", "confirmed", "accepted"]):
        return
    await _qualified(uow, DEMO_QUALIFIED, now)
    unit = await uow.campaigns.unit_by_code("CQU001")
    assert unit is not None
    await _seed_entered(uow, campaign.id, unit, now)


async def _qualified(
    uow: UnitOfWork, people: Sequence[tuple[int, str, str, str, str, str]], now: datetime,
    unit_code: str = "CQU001",
) -> list[int]:  # fmt: skip
    campaign = await uow.campaigns.current_campaign()
    unit = await uow.campaigns.unit_by_code(unit_code)
    assert campaign is not None and unit is not None
    app_ids = []
    for telegram_id, name, group, title, level, gender in people:
        person_id = await telegram_person(uow, telegram_id, now, name)
        app_id = await uow.applications.add_application(
            campaign_id=campaign.id,
            person_id=person_id,
            district_id=unit.district_id,
            unit_id=unit.id,
            unit_name=unit.name,
            unit_confirmed=True,
            cursor=None,
            now=now,
        )
        values = {
            "status": "qualified", "group": group, "name": name, "gender": gender,
            "title": title, "title_level": level, "position": "教授", "mobile": f"1390000{telegram_id}",
        }  # fmt: skip
        await uow.applications.update_application(app_id, 1, values, now)
        app_ids.append(app_id)
    return app_ids


DEMO_ENTERED = ("孙纸质", "危化", "正高级工程师", "正高级", "男")
DEMO_ENTERED_ID = "500243197006159970"
"""A paper application the bureau entered (录入), so the bureau reviewer's /pending has a card."""


async def _seed_entered(uow: UnitOfWork, campaign_id: int, unit: UnitRow, now: datetime) -> None:
    name, group, title, level, gender = DEMO_ENTERED
    app_id = await uow.applications.add_application(
        campaign_id=campaign_id,
        person_id=await uow.accounts.add_person(name, now),
        district_id=unit.district_id,
        unit_id=unit.id,
        unit_name=unit.name,
        unit_confirmed=True,
        cursor=None,
        now=now,
    )
    # A paper row always has an ID number (`bot.services.paper`): the card checks age with it.
    # This one is constructed (shared/reference/id_card_rules.md §1.6), for offline demos only.
    values = {
        "status": Status.DISTRICT_APPROVED.value, "group": group, "name": name, "gender": gender,
        "title": title, "title_level": level, "position": "总工程师", "submitted_at": now,
        keys.ID_NUMBER: DEMO_ENTERED_ID, keys.BIRTH_DATE: date(1970, 6, 15), keys.ID_CONFIRMED: True,
    }  # fmt: skip
    await uow.applications.update_application(app_id, 1, values, now)
    await uow.applications.add_event(
        app_id=app_id,
        actor_id=None,
        actor_name=rt.COMMAND_LINE,
        action=ENTERED,
        from_status=None,
        to_status=Status.DISTRICT_APPROVED.value,
        note=rt.PAPER_NOTE.format(district="沙坪坝区"),
        now=now,
    )


DEMO_EXPERTS = (
    (1201, "周矿山", "矿山", "正高级工程师", "正高级", "男"),
    (1202, "吴矿山", "矿山", "高级工程师", "副高级", "女"),
    (1203, "郑矿山", "矿山", "高级工程师", "副高级", "男"),
    (1204, "王矿山", "矿山", "正高级工程师", "正高级", "男"),
    (1205, "冯危化", "危化", "高级工程师", "副高级", "女"),
)
"""Console experts, appointed through the registry's own use cases, so /draw has a pool."""
DEMO_USER = 9003
"""The console's using unit (使用单位)."""


async def seed_demo_experts(uows: UnitOfWorkFactory, now: datetime) -> None:
    """Appoints the demo experts (meeting, publicity, appointment, all in the past) and gives
    the console's using unit its role, unless the database has experts already."""
    from bot.services import draw_admin, registry, roles

    async with uows() as uow:
        if (await uow.registry.experts(ExpertFilter(), limit=1))[1]:
            return
        app_ids = await _qualified(uow, DEMO_EXPERTS, now, unit_code="CQJT01")
        await uow.commit()
    today = local(now).date()
    batch = await registry.record_batch(
        uows, meeting_on=today - timedelta(days=30), reference="联席会议纪要（演示）",
        app_ids=app_ids, by=None, now=now,
    )  # fmt: skip
    await registry.open_publicity(
        uows, batch_id=batch.id, starts_on=today - timedelta(days=29),
        ends_on=today - timedelta(days=23), by=None, now=now,
    )  # fmt: skip
    await registry.appoint_batch(
        uows, batch_id=batch.id, term_start=today - timedelta(days=20), by=None, now=now
    )
    unit = await draw_admin.add_using_unit(
        uows, name="重庆市安全生产科学研究院项目部", kind="project", district_id=None,
        unit_code="CQAJ01", now=now,
    )  # fmt: skip
    target = await roles.find_target(uows, RoleKind.USER, unit.code)
    assert target is not None
    async with uows() as uow:
        person_id = await telegram_person(uow, DEMO_USER, now, "孙主任")
        await uow.commit()
    await roles.grant(uows, person_id, target, granted_by=None, full_name="孙主任", now=now)
