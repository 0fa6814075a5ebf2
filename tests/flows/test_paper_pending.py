"""Applications entered from a district's paper Annex 2 (录入) reach the bureau's /pending at
once: the bureau entered them itself, so no district report is awaited."""

from __future__ import annotations

from bot.domain.review import RoleKind
from bot.offline import OfflineWorld
from bot.services import paper
from exports.rows import Annex2Row
from storage.uow import unit_of_work_factory
from tests.flows.qualification_steps import BUREAU_REVIEWER
from tests.flows.review_helpers import application, grant, standard_reviewers

ROW = Annex2Row(group="矿山", name="赵纸质", gender="男", id_number="500103199001019998",
                unit="重庆大学", position="总工程师", title="高级工程师（副高级）",
                contact="13900000011")  # fmt: skip


async def test_a_paper_application_waits_for_the_bureau_without_a_district_report(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await standard_reviewers(sessionmaker)
    await grant(sessionmaker, BUREAU_REVIEWER, "钱市局", RoleKind.BUREAU_REVIEWER, "")
    uows = unit_of_work_factory(sessionmaker)
    entered = await paper.import_annex2(
        uows, [ROW], district="沙坪坝区", now=clock.now()
    )
    assert entered.stored and len(entered.created) == 1
    async with uows() as uow:
        campaign = await uow.campaigns.current_campaign()
        assert campaign is not None
        facts = await uow.applications.batch_facts(campaign.id)
    assert not facts.approved, "the district is not asked to report what the bureau entered"

    bureau = world.user(BUREAU_REVIEWER, "市局")
    await bureau.send("/pending")
    assert "待您审核的申报：共 1 份" in bureau.last().text
    await bureau.press("赵纸质")
    assert "✅ 区县审核：纸质推荐汇总表由市局录入（沙坪坝区），2022-09-20 10:00 录入" in bureau.last().text
    await bureau.press("资格审核通过")
    assert (await application(sessionmaker)).status == "qualified"
