"""Migration 0013 repairs what the code before 0012 wrote: experts made 不再续聘 the day 不予续聘
was decided during their term, and objections left open against people no longer in the batch.

The rows are written as that code left them into a database at 0012 (SQLite, or PostgreSQL with
TEST_DATABASE_URL), then the migration runs. It decides by today's date (Asia/Shanghai), so the
terms here are placed around today.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import TZ
from storage.db import Database, create_database
from storage.migrate import upgrade
from storage.models import (
    Application,
    Expert,
    ExpertEvent,
    MeetingBatch,
    MeetingBatchEntry,
    Objection,
    Publicity,
)
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.support import services
from tests.support.experts import Spec, appointed
from tests.support.seed import seed_demo

TODAY = datetime.now(TZ).date()
NOW = datetime.now(TZ)


@pytest.fixture
async def at_0012(tmp_path: Path) -> AsyncIterator[Database]:
    """A database of its own migrated to 0012 and seeded with the demo campaign."""
    server = services.database_url()
    url = await services.empty_database(server) if server else f"sqlite:///{tmp_path}/at_0012.db"
    database = create_database(url)
    try:
        await upgrade(database, "0012")
        async with unit_of_work_factory(database)() as uow:
            await seed_demo(uow, now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
            await uow.commit()
        yield database
    finally:
        await database.dispose()
        if server:
            await services.drop_database(url)


def term(ends_on: date) -> dict[str, date]:
    return {"starts_on": ends_on - timedelta(days=5 * 365), "ends_on": ends_on}


async def decided(database: Database, expert_id: int, at: datetime, *, early: bool) -> None:
    """不予续聘 as the code before 0012 recorded it: `ended` at once (`early`: from `appointed`,
    during the term), with not_renewed_on unset."""
    async with database() as session:
        expert = await session.get(Expert, expert_id)
        assert expert is not None
        expert.standing, expert.version = "ended", expert.version + 1
        session.add(
            ExpertEvent(
                expert_id=expert_id, action="not_renew",
                from_standing="appointed" if early else "due", to_standing="ended",
                reason="期满考核不合格", actor_id=None, actor_name="局长", at=at,
            )  # fmt: skip
        )
        await session.commit()


async def test_an_expert_ended_early_by_non_renewal_serves_out_the_term_again(at_0012) -> None:
    serving_on, over, after_term, new_code, applied_again = await appointed(
        at_0012,
        Spec(6001, "甲矿山", **term(TODAY + timedelta(days=60))),
        Spec(6002, "乙矿山", **term(TODAY - timedelta(days=30))),
        Spec(6003, "丙矿山", **term(TODAY - timedelta(days=100))),
        Spec(6004, "丁矿山", **term(TODAY + timedelta(days=60))),
        Spec(6005, "戊矿山", **term(TODAY + timedelta(days=60))),
    )
    ten_days_ago = NOW - timedelta(days=10)
    await decided(at_0012, serving_on, ten_days_ago, early=True)
    await decided(at_0012, over, NOW - timedelta(days=50), early=True)
    await decided(at_0012, after_term, NOW - timedelta(days=95), early=False)
    async with at_0012() as session:  # the code since 0012: decided, still in service
        (await session.get(Expert, new_code)).not_renewed_on = TODAY - timedelta(days=3)  # type: ignore[union-attr]
        await session.commit()
    await decided(at_0012, applied_again, ten_days_ago, early=True)
    async with at_0012() as session:  # then a draft in the yearly top-up call
        first = await session.get(Application, (await session.get(Expert, applied_again)).application_id)  # type: ignore[union-attr]  # fmt: skip
        assert first is not None
        session.add(
            Application(
                campaign_id=first.campaign_id, person_id=first.person_id,
                district_id=first.district_id, unit_id=first.unit_id, status="draft", version=1,
                flags=[], name="戊矿山", created_at=NOW - timedelta(days=2),
                updated_at=NOW - timedelta(days=2),
            )  # fmt: skip
        )
        await session.commit()

    await upgrade(at_0012)

    async with at_0012() as session:
        rows = {
            e.id: (e.standing, e.not_renewed_on, e.version)
            for e in await session.scalars(select(Expert))
        }
        events = (
            await session.execute(
                select(ExpertEvent.expert_id, ExpertEvent.action, ExpertEvent.from_standing,
                       ExpertEvent.to_standing, ExpertEvent.reason, ExpertEvent.actor_name)
                .where(ExpertEvent.action == "repair_not_renew")
            )  # fmt: skip
        ).all()
    assert rows[serving_on] == ("appointed", ten_days_ago.date(), 3), "in service to the last day"
    assert rows[over] == ("ended", (NOW - timedelta(days=50)).date(), 2), "the term is over"
    assert rows[after_term] == ("ended", (NOW - timedelta(days=95)).date(), 2)
    assert rows[new_code] == ("appointed", TODAY - timedelta(days=3), 1)
    assert rows[applied_again] == ("ended", None, 2), "left as the old code left them"
    ends_on = TODAY + timedelta(days=60)
    assert [tuple(e) for e in events] == [
        (
            serving_on, "repair_not_renew", "ended", "appointed",
            f"不予续聘于 {ten_days_ago.date()} 决定，聘期至 {ends_on} 届满：届满前仍在聘，届满后不再续聘。",
            "系统（数据修复）",
        )
    ]  # fmt: skip

    from bot.services import experts

    uows = unit_of_work_factory(at_0012)
    assert await experts.end_terms(uows, NOW) == 0, "nobody moves before the term is over"
    card = await experts.find_expert(uows, key=f"#{serving_on}", by=None)
    assert card.decision_refusal(TODAY) is not None, "not to be decided again"
    after = datetime.combine(ends_on + timedelta(days=1), datetime.min.time(), TZ)
    assert await experts.end_terms(uows, after + timedelta(hours=1)) == 2, "甲 and 丁 leave then"


async def test_objections_left_open_about_people_out_of_the_batch_are_closed_as_moot(
    at_0012,
) -> None:
    upheld_person = await seed_app(at_0012, telegram_id=7001, unit_code="CQU001", status="not_accepted", name="甲", id_number="500106198501011234")  # fmt: skip
    kept = await seed_app(at_0012, telegram_id=7002, unit_code="CQU001", status="confirmed", name="乙", id_number="500106198601011235")  # fmt: skip
    dropped = await seed_app(at_0012, telegram_id=7003, unit_code="CQU001", status="qualified", name="丙", id_number="11010519491231002X")  # fmt: skip
    recorded = datetime(2022, 11, 2, 10, 0, tzinfo=TZ)
    upheld_at = datetime(2022, 11, 5, 10, 0, tzinfo=TZ)
    corrected_at = datetime(2022, 11, 9, 10, 0, tzinfo=TZ)
    async with at_0012() as session:
        campaign_id = (await session.get(Application, kept)).campaign_id  # type: ignore[union-attr]
        first = MeetingBatch(campaign_id=campaign_id, meeting_on=date(2022, 10, 28), reference="纪要3号", recorded_by=11, recorded_at=datetime(2022, 10, 28, 15, 0, tzinfo=TZ))  # fmt: skip
        session.add(first)
        await session.flush()
        session.add_all(MeetingBatchEntry(batch_id=first.id, application_id=a) for a in (upheld_person, kept, dropped))  # fmt: skip
        window = Publicity(batch_id=first.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), opened_by=11, opened_at=recorded)  # fmt: skip
        session.add(window)
        await session.flush()
        correction = MeetingBatch(campaign_id=campaign_id, meeting_on=date(2022, 11, 8), reference="纪要4号", corrects_id=first.id, recorded_by=12, recorded_at=corrected_at)  # fmt: skip
        session.add(correction)
        await session.flush()
        session.add_all(MeetingBatchEntry(batch_id=correction.id, application_id=a) for a in (upheld_person, kept))  # fmt: skip

        def objection(app_id: int, **decided: object) -> Objection:
            return Objection(
                publicity_id=window.id, application_id=app_id, received_on=date(2022, 11, 2),
                summary="学历不实", recorded_by=11, recorded_at=recorded, **decided,
            )  # fmt: skip

        upheld = objection(upheld_person, outcome="upheld", reason="属实", decided_by=13, decided_at=upheld_at)  # fmt: skip
        after_upheld = objection(upheld_person, outcome="open")
        about_dropped = objection(dropped, outcome="open")
        about_kept = objection(kept, outcome="open")
        overruled = objection(kept, outcome="overruled", reason="不属实", decided_by=13, decided_at=upheld_at)  # fmt: skip
        session.add_all([upheld, after_upheld, about_dropped, about_kept, overruled])
        await session.commit()
        ids = [o.id for o in (upheld, after_upheld, about_dropped, about_kept, overruled)]
        batches = first.id, correction.id

    await upgrade(at_0012)

    async with at_0012() as session:
        found = {
            o.id: (o.outcome, o.reason, o.decided_by, o.decided_at)
            for o in await session.scalars(select(Objection))
        }
    assert found == {
        ids[0]: ("upheld", "属实", 13, upheld_at),
        ids[1]: ("moot", f"针对同一人的异议 #{ids[0]} 已成立，此人不再入库，本异议无需处理。", 13, upheld_at),
        ids[2]: (
            "moot",
            f"第{batches[0]}批已由第{batches[1]}批更正，此人不在更正后的名单中，本异议无需处理。",
            12, corrected_at,
        ),
        ids[3]: ("open", None, None, None),
        ids[4]: ("overruled", "不属实", 13, upheld_at),
    }  # fmt: skip


async def test_a_database_without_such_rows_is_left_as_it_was(at_0012) -> None:
    await appointed(at_0012, Spec(6001, "甲矿山"))
    async with at_0012() as session:
        before = [(e.standing, e.not_renewed_on, e.version) for e in await session.scalars(select(Expert))]  # fmt: skip
    await upgrade(at_0012)
    async with at_0012() as session:
        after = [(e.standing, e.not_renewed_on, e.version) for e in await session.scalars(select(Expert))]  # fmt: skip
        assert not list(await session.scalars(select(ExpertEvent.id)))
    assert before == after == [("appointed", None, 1)]
