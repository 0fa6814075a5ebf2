"""After qualification: the joint meeting's batch, its correction, publicity, objections and
appointment with certificate numbers that are never given twice."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.clock import TZ
from bot.domain.errors import AlreadyHandled, NotAllowed
from bot.domain.review import RoleKind
from bot.services import registry
from bot.services.roles import find_target, grant
from storage.models import Application, ApplicationEvent, ExpertTerm, Reminder
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.support.people import person

MEETING = date(2022, 10, 28)
AT = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)
AFTER_PUBLICITY = datetime(2022, 11, 8, 9, 0, tzinfo=TZ)
IN_PUBLICITY = datetime(2022, 11, 4, 16, 0, tzinfo=TZ)
REFERENCE = "联席会议纪要〔2022〕3号"


@pytest.fixture
async def setup(sessionmaker):
    uows = unit_of_work_factory(sessionmaker)
    admin = await person(uows, 900)
    district = await person(uows, 3001)
    target = await find_target(uows, RoleKind.DISTRICT, "500106")
    assert target is not None
    await grant(uows, district, target, granted_by=None, full_name="赵区县", now=AT)
    await grant(uows, await person(uows, 2001), (await find_target(uows, RoleKind.UNIT, "CQU001")), granted_by=None, full_name="王单位", now=AT)  # type: ignore[arg-type]  # fmt: skip
    apps = [
        await seed_app(
            sessionmaker,
            telegram_id=1001 + i,
            unit_code="CQU001",
            status="qualified",
            name=name,
            id_number=number,
        )  # fmt: skip
        for i, (name, number) in enumerate(
            [
                ("张三", "500103199001019998"),
                ("李四", "500106198501011234"),
                ("王五", "11010519491231002X"),
            ]
        )
    ]
    return uows, (admin,), admin, district, apps


async def statuses(sessionmaker) -> list[str]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Application.status).order_by(Application.id)))


async def test_a_batch_confirms_qualified_applications_and_only_the_bureau_records_it(
    setup, sessionmaker
) -> None:
    uows, admins, admin, district, apps = setup
    with pytest.raises(NotAllowed):
        await registry.record_batch(
            uows, meeting_on=MEETING, reference=REFERENCE, app_ids=apps, by=district,
            admin_ids=admins, now=AT,
        )  # fmt: skip
    recorded = await registry.record_batch(
        uows,
        meeting_on=MEETING,
        reference=REFERENCE,
        app_ids=apps,
        by=admin,
        admin_ids=admins,
        now=AT,
    )
    assert [a.id for a in recorded.confirmed] == apps
    assert await statuses(sessionmaker) == ["confirmed"] * 3
    async with sessionmaker() as session:
        notes = list(
            await session.scalars(
                select(ApplicationEvent.note).where(ApplicationEvent.action == "confirm")
            )
        )
    assert notes == [f"联席会议（2022-10-28）{REFERENCE}"] * 3
    with pytest.raises(NotAllowed, match="不能这样处理"):
        await registry.record_batch(
            uows,
            meeting_on=MEETING,
            reference="再一次",
            app_ids=apps[:1],
            by=admin,
            admin_ids=admins,
            now=AT,
        )


async def test_a_correction_is_a_new_batch_and_what_it_leaves_out_waits_again(
    setup, sessionmaker
) -> None:
    uows, admins, admin, _, apps = setup
    first = await registry.record_batch(
        uows,
        meeting_on=MEETING,
        reference=REFERENCE,
        app_ids=apps,
        by=admin,
        admin_ids=admins,
        now=AT,
    )
    second = await registry.record_batch(
        uows, meeting_on=MEETING, reference=REFERENCE + "（更正）", app_ids=apps[:2], corrects=first.id,
        by=admin, admin_ids=admins, now=AT,
    )  # fmt: skip
    assert [a.id for a in second.dropped] == [apps[2]] and not second.confirmed
    assert await statuses(sessionmaker) == ["confirmed", "confirmed", "qualified"]
    with pytest.raises(NotAllowed, match="已由第 2 批更正"):
        await registry.open_publicity(
            uows, batch_id=first.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), by=admin,
            admin_ids=admins, now=AT,
        )  # fmt: skip


async def test_publicity_objections_and_appointment(setup, sessionmaker) -> None:
    uows, admins, admin, _, apps = setup
    batch = await registry.record_batch(
        uows,
        meeting_on=MEETING,
        reference=REFERENCE,
        app_ids=apps,
        by=admin,
        admin_ids=admins,
        now=AT,
    )
    published = await registry.open_publicity(
        uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), by=admin,
        admin_ids=admins, now=AT,
    )  # fmt: skip
    assert [e.name for e in published.entries] == ["张三", "李四", "王五"]
    assert published.entries[0] == registry.PublicityEntry(
        "张三", "男", "重庆大学", "高级工程师", "矿山"
    )
    with pytest.raises(AlreadyHandled):
        await registry.open_publicity(
            uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), by=admin,
            admin_ids=admins, now=AT,
        )  # fmt: skip

    overruled = (await registry.record_objection(
        uows, app_id=apps[0], received_on=date(2022, 11, 3), summary="反映其职称材料不实", by=admin,
        admin_ids=admins, now=IN_PUBLICITY,
    )).id  # fmt: skip
    upheld = (await registry.record_objection(
        uows, app_id=apps[1], received_on=date(2022, 11, 4), summary="反映其已退休", by=admin,
        admin_ids=admins, now=IN_PUBLICITY,
    )).id  # fmt: skip
    with pytest.raises(NotAllowed, match="公示期到 2022-11-07 才结束"):
        await registry.appoint_batch(
            uows,
            batch_id=batch.id,
            term_start=date(2022, 11, 10),
            by=admin,
            admin_ids=admins,
            now=AT,
        )
    with pytest.raises(NotAllowed, match="还有未处理的异议"):
        await registry.appoint_batch(
            uows,
            batch_id=batch.id,
            term_start=date(2022, 11, 10),
            by=admin,
            admin_ids=admins,
            now=AFTER_PUBLICITY,
        )
    await registry.decide_objection(
        uows,
        objection_id=overruled,
        upheld=False,
        reason="经核实材料真实",
        by=admin,
        admin_ids=admins,
        now=AT,
    )
    taken_out = await registry.decide_objection(
        uows,
        objection_id=upheld,
        upheld=True,
        reason="经核实已退休",
        by=admin,
        admin_ids=admins,
        now=AT,
    )
    assert taken_out.app.status.value == "not_accepted"
    with pytest.raises(AlreadyHandled):
        await registry.decide_objection(
            uows,
            objection_id=upheld,
            upheld=False,
            reason="再议",
            by=admin,
            admin_ids=admins,
            now=AT,
        )

    appointed = await registry.appoint_batch(
        uows,
        batch_id=batch.id,
        term_start=date(2022, 11, 10),
        by=admin,
        admin_ids=admins,
        now=AFTER_PUBLICITY,
    )
    assert [(a.name, a.certificate_no, a.ends_on) for a in appointed] == [
        ("张三", "CQGSYF-2022-0001", date(2027, 11, 9)),
        ("王五", "CQGSYF-2022-0002", date(2027, 11, 9)),
    ]
    assert await statuses(sessionmaker) == ["accepted", "not_accepted", "accepted"]
    with pytest.raises(NotAllowed, match="没有待聘任的专家"):
        await registry.appoint_batch(
            uows,
            batch_id=batch.id,
            term_start=date(2022, 11, 10),
            by=admin,
            admin_ids=admins,
            now=AFTER_PUBLICITY,
        )

    async with sessionmaker() as session:
        notices = (
            await session.execute(
                select(Reminder.key, Reminder.payload)
                .where(Reminder.kind == "registry")
                .order_by(Reminder.id)
            )
        ).all()
        numbers = list(
            await session.scalars(select(ExpertTerm.certificate_no).order_by(ExpertTerm.id))
        )
    whats = [p["what"] for _, p in notices]
    assert whats.count("appointed") == 2 and whats.count("not_accepted") == 1
    lists = [p["names"] for _, p in notices if p["what"] == "appointed_list"]
    assert lists == [["张三", "王五"], ["张三", "王五"]], (
        "the district and the unit reviewer, once each"
    )
    assert numbers == ["CQGSYF-2022-0001", "CQGSYF-2022-0002"]


async def test_certificate_numbers_only_go_up(setup, sessionmaker) -> None:
    uows, admins, admin, _, apps = setup
    for app_id in apps[:2]:
        batch = await registry.record_batch(
            uows,
            meeting_on=MEETING,
            reference=REFERENCE,
            app_ids=[app_id],
            by=admin,
            admin_ids=admins,
            now=AT,
        )
        await registry.open_publicity(
            uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), by=admin,
            admin_ids=admins, now=AT,
        )  # fmt: skip
        [appointed] = await registry.appoint_batch(
            uows,
            batch_id=batch.id,
            term_start=date(2022, 11, 10),
            by=admin,
            admin_ids=admins,
            now=AFTER_PUBLICITY,
        )
    assert appointed.certificate_no == "CQGSYF-2022-0002"


async def _appoint(uows, who, app_id: int) -> str:
    batch = await registry.record_batch(
        uows, meeting_on=MEETING, reference=REFERENCE, app_ids=[app_id], now=AT, **who
    )
    await registry.open_publicity(
        uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), now=AT,
        **who,
    )  # fmt: skip
    [appointed] = await registry.appoint_batch(
        uows, batch_id=batch.id, term_start=date(2022, 11, 10), now=AFTER_PUBLICITY, **who
    )
    return appointed.certificate_no


async def test_a_certificate_format_is_refused_when_it_could_give_a_number_twice(setup) -> None:
    uows, admins, admin, district, apps = setup
    who = {"by": admin, "admin_ids": admins}
    assert await _appoint(uows, who, apps[0]) == "CQGSYF-2022-0001"
    with pytest.raises(NotAllowed, match="只有市局管理员"):
        await registry.set_certificate_format(
            uows, "CQRS-{year}-{number:04d}", by=district, admin_ids=admins, now=AT
        )
    with pytest.raises(NotAllowed, match="证书编号格式应形如"):
        await registry.set_certificate_format(uows, "cq-{number}", now=AT, **who)
    with pytest.raises(NotAllowed, match="会再次编出已发出的聘书编号 CQGSYF-2022-0001"):
        await registry.set_certificate_format(uows, "CQGSYF-{year}-0{number:03d}", now=AT, **who)

    changed = await registry.set_certificate_format(uows, " CQRS-{year}-{number:04d} ", now=AT, **who)
    assert (changed.template, changed.example) == ("CQRS-{year}-{number:04d}", "CQRS-2022-0001")
    assert await _appoint(uows, who, apps[1]) == "CQRS-2022-0001"
    back = await registry.set_certificate_format(uows, "CQGSYF-{year}-{number:04d}", now=AT, **who)
    assert back.example == "CQGSYF-2022-0001", "the example is the format's, not the next number"
    assert await _appoint(uows, who, apps[2]) == "CQGSYF-2022-0002", "its counter carries on"

    async with uows() as uow:
        top_up = await uow.campaigns.add_campaign(
            name="2023年补选",
            unit_deadline=datetime(2023, 9, 30, 18, 0, tzinfo=TZ),
            district_deadline=datetime(2023, 10, 15, 18, 0, tzinfo=TZ),
            now=AT,
        )
        await uow.commit()
    with pytest.raises(NotAllowed, match="第 1 个征集批次的聘书编号格式"):
        await registry.set_certificate_format(
            uows, "CQGSYF-{year}-9{number:03d}", campaign_id=top_up, now=AT, **who
        )
    await registry.set_certificate_format(
        uows, "CQGSYF-{year}-{number:04d}", campaign_id=top_up, now=AT, **who
    )


async def test_a_term_cannot_start_inside_the_publicity_window(setup, sessionmaker) -> None:
    """QA: batch 2's window ran 2021-10-22 to 2021-10-28, and a term from 2021-10-27 went
    through; the term starts after the window's last day, which is after the meeting too."""
    uows, admins, admin, _, apps = setup
    who = {"by": admin, "admin_ids": admins}
    at = datetime(2021, 10, 20, 15, 0, tzinfo=TZ)
    batch = await registry.record_batch(
        uows, meeting_on=date(2021, 10, 20), reference=REFERENCE, app_ids=apps[:1], now=at, **who
    )
    await registry.open_publicity(
        uows, batch_id=batch.id, starts_on=date(2021, 10, 22), ends_on=date(2021, 10, 28), now=at,
        **who,
    )  # fmt: skip
    after = datetime(2021, 11, 2, 9, 0, tzinfo=TZ)
    for start in (date(2021, 10, 19), date(2021, 10, 27), date(2021, 10, 28)):
        with pytest.raises(NotAllowed, match="聘期须在公示期结束（2021-10-28）之后开始"):
            await registry.check_term_start(uows, batch_id=batch.id, term_start=start, **who)
        with pytest.raises(NotAllowed, match="请输入 2021-10-29 或更晚的日期"):
            await registry.appoint_batch(
                uows, batch_id=batch.id, term_start=start, now=after, **who
            )
    assert await statuses(sessionmaker) == ["confirmed", "qualified", "qualified"]
    view = await registry.check_term_start(
        uows, batch_id=batch.id, term_start=date(2021, 10, 29), **who
    )
    assert [a.id for a in view.waiting()] == apps[:1]
    [appointed] = await registry.appoint_batch(
        uows, batch_id=batch.id, term_start=date(2021, 10, 29), now=after, **who
    )
    assert (appointed.starts_on, appointed.ends_on) == (date(2021, 10, 29), date(2026, 10, 28))


async def test_a_meeting_or_an_objection_cannot_be_dated_after_today_or_before_the_window(
    setup, sessionmaker
) -> None:
    """QA: a joint meeting on 2027-01-01 (chat) or 2030-01-01 (CLI) was recorded, and so was an
    objection received on 2030-01-01 or before the list was published."""
    from storage.models import Objection

    uows, admins, admin, _, apps = setup
    who = {"by": admin, "admin_ids": admins}
    for meeting_on in (date(2022, 10, 29), date(2027, 1, 1), date(2030, 1, 1)):
        with pytest.raises(NotAllowed, match=f"联席会议日期 {meeting_on} 晚于今天（2022-10-28）"):
            await registry.record_batch(
                uows, meeting_on=meeting_on, reference=REFERENCE, app_ids=apps, now=AT, **who
            )
    assert await statuses(sessionmaker) == ["qualified"] * 3
    batch = await registry.record_batch(
        uows, meeting_on=MEETING, reference=REFERENCE, app_ids=apps, now=AT, **who
    )
    await registry.open_publicity(
        uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), now=AT,
        **who,
    )  # fmt: skip
    refused = {
        date(2030, 1, 1): "收到异议的日期 2030-01-01 晚于今天（2022-11-04）",
        date(2022, 11, 5): "收到异议的日期 2022-11-05 晚于今天（2022-11-04）",
        date(2022, 10, 31): "收到异议的日期 2022-10-31 早于公示开始（2022-11-01）",
        date(2022, 10, 20): "早于公示开始（2022-11-01）",
    }
    for received_on, why in refused.items():
        with pytest.raises(NotAllowed, match=re.escape(why)):
            await registry.check_received_day(
                uows, app_id=apps[0], received_on=received_on, now=IN_PUBLICITY, **who
            )
        with pytest.raises(NotAllowed, match=re.escape(why)):
            await registry.record_objection(
                uows, app_id=apps[0], received_on=received_on, summary="反映其已退休",
                now=IN_PUBLICITY, **who,
            )  # fmt: skip
    async with sessionmaker() as session:
        assert not (await session.scalars(select(Objection))).all()
    for received_on in (date(2022, 11, 1), date(2022, 11, 4)):
        await registry.check_received_day(
            uows, app_id=apps[0], received_on=received_on, now=IN_PUBLICITY, **who
        )
        await registry.record_objection(
            uows, app_id=apps[0], received_on=received_on, summary="反映其已退休",
            now=IN_PUBLICITY, **who,
        )  # fmt: skip


async def objection_records(sessionmaker) -> list[tuple]:
    from storage.models import Objection

    async with sessionmaker() as session:
        rows = await session.execute(
            select(Objection.id, Objection.outcome, Objection.reason, Objection.decided_by)
            .order_by(Objection.id)
        )
        return [tuple(r) for r in rows]


async def test_upholding_an_objection_closes_the_others_against_that_person_as_moot(
    setup, sessionmaker
) -> None:
    """QA: with two objections against 李四 and the first upheld, the second was hidden and
    refused but stayed `open` in the records. It is now closed as moot with a reason in the
    same unit of work; an objection against someone still in the batch stays open."""
    uows, admins, admin, _, apps = setup
    who = {"by": admin, "admin_ids": admins}
    batch = await registry.record_batch(uows, meeting_on=MEETING, reference=REFERENCE, app_ids=apps, now=AT, **who)  # fmt: skip
    await registry.open_publicity(uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), now=AT, **who)  # fmt: skip
    for app_id, summary in ((apps[1], "反映其已退休"), (apps[1], "反映其曾受处罚"), (apps[0], "反映其职称材料不实")):
        await registry.record_objection(uows, app_id=app_id, received_on=date(2022, 11, 3), summary=summary, now=IN_PUBLICITY, **who)  # fmt: skip

    decided = await registry.decide_objection(
        uows, objection_id=1, upheld=True, reason="经核实已退休", now=IN_PUBLICITY, **who
    )
    assert decided.app.status.value == "not_accepted" and decided.moot == (2,)
    assert await objection_records(sessionmaker) == [
        (1, "upheld", "经核实已退休", admin),
        (2, "moot", "针对同一人的异议 #1 已成立，此人不再入库，本异议无需处理。", admin),
        (3, "open", None, None),
    ]
    with pytest.raises(NotAllowed, match="异议 #2 针对的李四已不在待聘任名单中"):
        await registry.decide_objection(uows, objection_id=2, upheld=False, reason="再议", now=IN_PUBLICITY, **who)  # fmt: skip
    overruled = await registry.decide_objection(
        uows, objection_id=3, upheld=False, reason="经核实材料真实", now=IN_PUBLICITY, **who
    )
    assert overruled.moot == () and overruled.app.status.value == "confirmed"


async def test_a_former_expert_appointed_again_serves_a_term_not_marked_not_renewed(
    setup, sessionmaker
) -> None:
    """不予续聘 of an earlier term (`not_renewed_on`) must not follow the person into the next:
    it would show 在聘（不予续聘）, refuse 续聘 and end the new term unasked."""
    from storage.models import Expert

    uows, admins, admin, _, apps = setup
    async with sessionmaker() as session:
        app = await session.get(Application, apps[0])
        session.add(
            Expert(
                person_id=app.person_id, application_id=app.id, professional_group="矿山",
                standing="ended", not_renewed_on=date(2017, 10, 1), version=3,
                created_at=AT, updated_at=AT, district_id=app.district_id, unit_id=app.unit_id,
                unit_name=app.unit_name,
            )  # fmt: skip
        )
        await session.commit()
    await _appoint(uows, {"by": admin, "admin_ids": admins}, apps[0])
    async with sessionmaker() as session:
        expert = (await session.scalars(select(Expert))).one()
    assert (expert.standing, expert.not_renewed_on) == ("appointed", None)
