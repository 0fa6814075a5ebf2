"""A correction of a joint-meeting batch in chat (/registry → 第N批：更正): a new batch that
names the one it corrects; only the latest of a chain can be corrected."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from bot.clock import TZ
from bot.offline import OfflineWorld
from bot.services import registry
from storage.models import Application, MeetingBatch
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.flows.review_helpers import BUREAU_ADMIN, standard_reviewers
from tests.support.people import person

AT = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)


async def test_a_batch_is_corrected_by_a_new_batch_from_the_registry_screen(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await standard_reviewers(sessionmaker)
    uows = unit_of_work_factory(sessionmaker)
    admin_id = await person(uows, BUREAU_ADMIN)
    who = {"by": admin_id, "admin_ids": (admin_id,)}
    apps = [
        await seed_app(sessionmaker, telegram_id=5000 + i, unit_code="CQU001", status="qualified",
                       name=name, id_number=number)
        for i, (name, number) in enumerate(
            [("张三", "500103199001019998"), ("李四", "500106198501011234"),
             ("王五", "11010519491231002X"), ("赵六", "500106198601011235")]
        )
    ]  # fmt: skip
    first = await registry.record_batch(uows, meeting_on=date(2022, 10, 28), reference="纪要3号", app_ids=apps[:3], now=AT, **who)  # fmt: skip
    await registry.open_publicity(uows, batch_id=first.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), now=AT, **who)  # fmt: skip
    objection = await registry.record_objection(uows, app_id=apps[2], received_on=date(2022, 11, 2), summary="已退休", now=datetime(2022, 11, 2, 9, 0, tzinfo=TZ), **who)  # fmt: skip
    await registry.decide_objection(uows, objection_id=objection.id, upheld=True, reason="经核实已退休", now=AT, **who)  # fmt: skip

    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2022, 11, 3, 9, 0, tzinfo=TZ)
    await admin.send("/registry")
    overview = admin.last()
    assert "第1批：更正" in [label for label, _ in overview.buttons()]
    await admin.press("第1批：更正")
    labels = [label for label, _ in admin.last().buttons()]
    assert "更正第1批" in admin.last().text and "已选 2 份" in admin.last().text
    assert labels[:3] == ["✅ #1 张三 · 重庆大学", "✅ #2 李四 · 重庆大学", "#4 赵六 · 重庆大学"]
    await admin.press("李四")
    await admin.press("赵六")
    await admin.press("下一步")
    await admin.send("2022-11-03")
    await admin.send("联席会议纪要〔2022〕4号")
    confirm = admin.last().text
    assert "2022-11-03 联席会议纪要〔2022〕4号（更正第1批）" in confirm
    assert "确认入库 2 份" in confirm and "张三、赵六" in confirm
    await admin.press("确认记录")
    done = admin.last().text
    assert "已记录第2批（更正第1批）：联席会议纪要〔2022〕4号，确认入库 2 份" in done
    assert "移出 1 份，回到待联席会议确认：李四" in done

    async with sessionmaker() as session:
        statuses = list(await session.scalars(select(Application.status).order_by(Application.id)))
        corrects = list(await session.scalars(select(MeetingBatch.corrects_id).order_by(MeetingBatch.id)))
    assert statuses == ["confirmed", "qualified", "not_accepted", "confirmed"]
    assert corrects == [None, 1]

    await admin.send("/registry")
    labels = [label for label, _ in admin.last().buttons()]
    assert "第2批：更正" in labels and "第1批：更正" not in labels
    assert "第2批：开始公示" in labels
    await admin.press_data(
        next(data for label, data in overview.buttons() if label == "第1批：更正"), overview
    )
    assert admin.alert == "第 1 批已由第 2 批更正，请对最新一批操作。"


async def test_a_correction_carries_open_objections_over_and_closes_those_it_leaves_out(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: an objection received in a batch's publicity did not carry over to its correction:
    the correction's /registry showed none, it could be decided only from the command line,
    and the correction was appointed over it. Now a correction keeps it open for the people
    it keeps (decided from its own screen, before anyone is appointed) and closes it as moot
    for the people it leaves out; until the correction's own publicity, an objection still
    arriving in the old window is recorded against it."""
    import pytest

    from bot.domain.errors import NotAllowed
    from storage.models import Objection

    await standard_reviewers(sessionmaker)
    uows = unit_of_work_factory(sessionmaker)
    admin_id = await person(uows, BUREAU_ADMIN)
    who = {"by": admin_id, "admin_ids": (admin_id,)}
    apps = [
        await seed_app(sessionmaker, telegram_id=5000 + i, unit_code="CQU001", status="qualified",
                       name=name, id_number=number)
        for i, (name, number) in enumerate(
            [("张三", "500103199001019998"), ("李四", "500106198501011234"),
             ("王五", "11010519491231002X")]
        )
    ]  # fmt: skip
    first = await registry.record_batch(uows, meeting_on=date(2022, 10, 28), reference="纪要3号", app_ids=apps, now=AT, **who)  # fmt: skip
    await registry.open_publicity(uows, batch_id=first.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), now=AT, **who)  # fmt: skip
    received = datetime(2022, 11, 2, 9, 0, tzinfo=TZ)
    for app_id, summary in ((apps[0], "反映其职称材料不实"), (apps[1], "反映其已退休")):
        await registry.record_objection(uows, app_id=app_id, received_on=date(2022, 11, 2), summary=summary, now=received, **who)  # fmt: skip

    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2022, 11, 3, 9, 0, tzinfo=TZ)
    await admin.send("/registry")
    await admin.press("第1批：更正")
    await admin.press("李四")
    await admin.press("下一步")
    await admin.send("2022-11-03")
    await admin.send("联席会议纪要〔2022〕4号")
    assert "第1批有待处理的异议 #1、#2：针对仍在本批的人的，转入本批" in admin.last().text
    await admin.press("确认记录")
    done = admin.last().text
    assert "第1批待处理的异议 #1 转入第2批，聘任前须处理" in done
    assert "针对移出者的异议 #2 随之结案（无需处理）。" in done

    late = await registry.record_objection(uows, app_id=apps[2], received_on=date(2022, 11, 3), summary="反映其兼职过多", now=clock.now(), **who)  # fmt: skip
    await admin.send("/registry")
    overview = admin.last()
    assert "第2批 · 联席会议纪要〔2022〕4号（2022-11-03）· 2 人 · 待处理异议 2 件" in overview.text
    labels = [label for label, _ in overview.buttons()]
    assert "第2批：开始公示" in labels and "第2批：处理异议" in labels
    await registry.open_publicity(uows, batch_id=2, starts_on=date(2022, 11, 4), ends_on=date(2022, 11, 10), now=clock.now(), **who)  # fmt: skip
    with pytest.raises(NotAllowed, match="还有未处理的异议：#1、#3"):
        await registry.appoint_batch(uows, batch_id=2, term_start=date(2022, 11, 15), now=datetime(2022, 11, 11, 9, 0, tzinfo=TZ), **who)  # fmt: skip

    await admin.press("第2批：处理异议", message=overview)
    listed = admin.last().text
    assert "#1 张三：反映其职称材料不实" in listed and f"#{late.id} 王五" in listed
    await admin.press("#1 异议不成立")
    await admin.send("经核实不属实")
    await admin.send("/registry")
    await admin.press("第2批：处理异议")
    await admin.press(f"#{late.id} 异议不成立")
    await admin.send("经核实不属实")
    clock.at = datetime(2022, 11, 11, 9, 0, tzinfo=TZ)
    await admin.send("/registry")
    await admin.press("第2批：聘任")
    await admin.send("2022-11-15")
    await admin.press("确认聘任")
    assert any(m.text and "已聘任 2 人" in m.text for m in admin.inbox())
    async with sessionmaker() as session:
        rows = (await session.execute(select(Objection.outcome, Objection.reason).order_by(Objection.id))).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("overruled", "经核实不属实"),
        ("moot", "第1批已由第2批更正，此人不在更正后的名单中，本异议无需处理。"),
        ("overruled", "经核实不属实"),
    ]
