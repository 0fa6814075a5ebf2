"""Export use cases on a real database: each reads, logs and commits in one unit of work, or does nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import TZ
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.exports import Annex2Request
from bot.services import audit, exports
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import access_log, seed_app
from tests.flows.review_helpers import DISTRICT_REVIEWER, UNIT_REVIEWER, standard_reviewers

NOW = datetime(2022, 10, 1, 9, 0, tzinfo=TZ)
ADMIN = 900


@pytest.fixture
async def ids(sessionmaker) -> dict[str, int]:
    await standard_reviewers(sessionmaker)
    return {
        "approved": await seed_app(sessionmaker, person_id=5001, unit_code="CQU001",
                                   status="district_approved", name="王建筑", group="建筑"),
        "other": await seed_app(sessionmaker, person_id=5003, unit_code="CQJT01",
                                status="district_approved", name="孙渝中", group="交通",
                                id_number="500103198901011238"),
    }  # fmt: skip


async def test_an_export_and_its_access_row_are_committed_together(sessionmaker, ids) -> None:
    uows = unit_of_work_factory(sessionmaker)
    export = await exports.annex2(uows, Annex2Request(), actor_id=ADMIN, now=NOW, admin_ids=(ADMIN,))
    assert [r.name for r in export.rows] == ["王建筑", "孙渝中"]
    assert [(a, action, target) for a, action, target, _ in await access_log(sessionmaker)] == [
        (ADMIN, "export_annex2", "all")
    ]


async def test_a_refused_export_reads_nothing_and_logs_nothing(sessionmaker, ids) -> None:
    uows = unit_of_work_factory(sessionmaker)
    with pytest.raises(NotAllowed):
        await exports.annex2(uows, Annex2Request(), actor_id=DISTRICT_REVIEWER, now=NOW)
    with pytest.raises(NotAllowed):
        await exports.full_export(uows, actor_id=UNIT_REVIEWER, now=NOW)
    with pytest.raises(NotAllowed):
        await audit.recent(uows, actor_id=UNIT_REVIEWER)
    assert await access_log(sessionmaker) == []


async def test_download_without_a_number_is_the_applicants_newest_submitted_form(
    sessionmaker, ids
) -> None:
    uows = unit_of_work_factory(sessionmaker)
    form = await exports.annex1(uows, None, actor_id=5001, now=NOW)
    assert form.app_id == ids["approved"] and form.form.name == "王建筑"
    with pytest.raises(NotFound):
        await exports.annex1(uows, None, actor_id=4242, now=NOW)
    with pytest.raises(NotAllowed):
        await exports.annex1(uows, ids["other"], actor_id=5001, now=NOW)
    entries = await audit.recent(uows, actor_id=ADMIN, admin_ids=(ADMIN,))
    assert [(r.actor_id, r.action) for r in entries.rows] == [(5001, "download_annex1")]
    assert entries.names == {5001: "王建筑"}


async def test_the_menus_follow_the_persons_roles(sessionmaker, ids) -> None:
    uows = unit_of_work_factory(sessionmaker)
    district = await exports.export_menus(uows, DISTRICT_REVIEWER)
    assert district.bureau is None and [d.approved for d in district.districts] == [1]
    bureau = await exports.export_menus(uows, ADMIN, (ADMIN,))
    assert bureau.bureau is not None and not bureau.districts and not bureau.units
    with pytest.raises(NotAllowed):
        await exports.bureau_menu(uows, DISTRICT_REVIEWER, (ADMIN,), None)
    [preview] = await exports.report_previews(uows, DISTRICT_REVIEWER, NOW)
    assert preview.district == "沙坪坝区"
    with pytest.raises(NotAllowed):
        await exports.report_previews(uows, UNIT_REVIEWER, NOW)
