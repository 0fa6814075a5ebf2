"""Export use cases on a real database: each reads, logs and commits in one unit of work, or does nothing."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from bot.clock import TZ
from bot.domain.errors import AlreadyHandled, NotAllowed, NotFound
from bot.domain.exports import Annex2Request
from bot.services import audit, exports
from handlers import render_exports
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import access_log, seed_app
from tests.flows.review_helpers import DISTRICT_REVIEWER, UNIT_REVIEWER, standard_reviewers
from tests.support.people import met_person, person

NOW = datetime(2022, 10, 1, 9, 0, tzinfo=TZ)
ADMIN = 900
"""Telegram user ids, as the constants of review_helpers; `p` gives their person ids."""


@pytest.fixture
async def ids(sessionmaker) -> dict[str, int]:
    await standard_reviewers(sessionmaker)
    return {
        "approved": await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001",
                                   status="district_approved", name="王建筑", group="建筑"),
        "other": await seed_app(sessionmaker, telegram_id=5003, unit_code="CQJT01",
                                status="district_approved", name="孙渝中", group="交通",
                                id_number="500103198901011238"),
    }  # fmt: skip


@pytest.fixture
async def p(sessionmaker, ids) -> dict[int, int]:
    """Telegram user id -> person id of the reviewers, the applicant 5001 and the bureau admin."""
    return {
        ADMIN: await person(sessionmaker, ADMIN),
        **{tg: await met_person(sessionmaker, tg) for tg in (UNIT_REVIEWER, DISTRICT_REVIEWER, 5001)},
    }


async def test_an_export_and_its_access_row_are_committed_together(sessionmaker, ids, p) -> None:
    uows = unit_of_work_factory(sessionmaker)
    admin = p[ADMIN]
    export = await exports.annex2(uows, Annex2Request(), actor_id=admin, now=NOW, admin_ids=(admin,))
    assert [r.name for r in export.rows] == ["王建筑", "孙渝中"]
    assert [(a, action, target) for a, action, target, _ in await access_log(sessionmaker)] == [
        (admin, "export_annex2", "all")
    ]


async def test_a_refused_export_reads_nothing_and_logs_nothing(sessionmaker, ids, p) -> None:
    uows = unit_of_work_factory(sessionmaker)
    with pytest.raises(NotAllowed):
        await exports.annex2(uows, Annex2Request(), actor_id=p[DISTRICT_REVIEWER], now=NOW)
    with pytest.raises(NotAllowed):
        await exports.full_export(uows, actor_id=p[UNIT_REVIEWER], now=NOW)
    with pytest.raises(NotAllowed):
        await audit.recent(uows, actor_id=p[UNIT_REVIEWER])
    assert await access_log(sessionmaker) == []


async def test_download_without_a_number_is_the_applicants_newest_submitted_form(
    sessionmaker, ids, p
) -> None:
    uows = unit_of_work_factory(sessionmaker)
    applicant = p[5001]
    form = await exports.annex1(uows, None, actor_id=applicant, now=NOW)
    assert form.app_id == ids["approved"] and form.form.name == "王建筑"
    with pytest.raises(NotFound):
        await exports.annex1(uows, None, actor_id=await person(uows, 4242), now=NOW)
    with pytest.raises(NotAllowed):
        await exports.annex1(uows, ids["other"], actor_id=applicant, now=NOW)
    entries = await audit.recent(uows, actor_id=p[ADMIN], admin_ids=(p[ADMIN],))
    assert [(r.actor_id, r.action) for r in entries.rows] == [(applicant, "download_annex1")]
    assert entries.names == {applicant: "王建筑"}


async def test_the_menus_follow_the_persons_roles(sessionmaker, ids, p) -> None:
    uows = unit_of_work_factory(sessionmaker)
    district = await exports.export_menus(uows, p[DISTRICT_REVIEWER], now=NOW)
    assert district.bureau is None and [d.approved for d in district.districts] == [1]
    assert [d.report_closed for d in district.districts] == [False]
    late = await exports.export_menus(
        uows, p[DISTRICT_REVIEWER], now=datetime(2022, 10, 15, 18, 1, tzinfo=TZ)
    )
    [closed] = late.districts
    assert closed.report_closed and closed.report is None
    text, markup = render_exports.district_menu(closed)
    assert text.endswith("尚未上报市局。\n区县上报截止时间 2022-10-15 18:00 已过，无法上报。如需延期请联系市局。")
    assert "上报市局" not in [b.text for row in markup.inline_keyboard for b in row]
    bureau = await exports.export_menus(uows, p[ADMIN], (p[ADMIN],), now=NOW)
    assert bureau.bureau is not None and not bureau.districts and not bureau.units
    with pytest.raises(NotAllowed):
        await exports.bureau_menu(uows, p[DISTRICT_REVIEWER], (p[ADMIN],), None)
    [preview] = await exports.report_previews(uows, p[DISTRICT_REVIEWER], NOW)
    assert preview.district == "沙坪坝区"
    with pytest.raises(NotAllowed):
        await exports.report_previews(uows, p[UNIT_REVIEWER], NOW)


async def test_two_first_confirmations_at_once_report_once(sessionmaker, ids, p) -> None:
    """Two reviewers of a district confirm its first report at the same moment: one report is
    recorded and the other confirmation is refused as a second press is. On PostgreSQL (with
    TEST_DATABASE_URL) the two run on two connections at once; without the lock on the
    district both read "no report yet" and both were recorded."""
    uows = unit_of_work_factory(sessionmaker)
    district = await exports.district_id_of(uows, "500106")
    assert district is not None
    first, second = await asyncio.gather(
        *(
            exports.report_batch(uows, district, actor_id=p[DISTRICT_REVIEWER], now=NOW, replaces=0)
            for _ in range(2)
        ),
        return_exceptions=True,
    )
    outcomes = sorted([first, second], key=lambda o: isinstance(o, BaseException))
    assert isinstance(outcomes[0], exports.Report), outcomes
    assert isinstance(outcomes[1], AlreadyHandled), outcomes
    assert "这次确认不再重复上报" in str(outcomes[1])
    async with uows() as uow:
        reports = await uow.campaigns.reports(outcomes[0].row.campaign_id, district)
    assert [(r.replaced, r.row_count) for r in reports] == [(False, 1)]
