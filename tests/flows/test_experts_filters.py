"""/experts through the real Dispatcher: by district and by the end of the term, together with
the other filters and the search; and the pass that moves an expert whose term ran out to
聘期已满，待续聘."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.clock import TZ
from bot.offline import OfflineWorld
from bot.services import experts, registry
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.flows.review_helpers import BUREAU_ADMIN, standard_reviewers
from tests.flows.test_registry import sender_pass
from tests.support.people import person


async def appointed(sessionmaker, clock) -> None:
    """王建筑 (沙坪坝区, 建筑), 李矿山 (渝中区, 矿山) and 张危化 (沙坪坝区, 危化), appointed
    from 2022-11-15 (the term ends 2027-11-14); 张危化 is dismissed."""
    await standard_reviewers(sessionmaker)
    uows = unit_of_work_factory(sessionmaker)
    admin = await person(uows, BUREAU_ADMIN)
    who = {"by": admin, "admin_ids": (admin,)}
    apps = [
        await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                       name="王建筑", group="建筑", id_number="500106198501011234"),
        await seed_app(sessionmaker, telegram_id=5002, unit_code="CQJT01", status="qualified",
                       name="李矿山", group="矿山", id_number="500106198601011235"),
        await seed_app(sessionmaker, telegram_id=5003, unit_code="CQU001", status="qualified",
                       name="张危化", group="危化", id_number="11010519491231002X"),
    ]  # fmt: skip
    at = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)
    batch = await registry.record_batch(uows, meeting_on=date(2022, 10, 28), reference="纪要3号", app_ids=apps, now=at, **who)  # fmt: skip
    await registry.open_publicity(uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), now=at, **who)  # fmt: skip
    done = await registry.appoint_batch(uows, batch_id=batch.id, term_start=date(2022, 11, 15), now=datetime(2022, 11, 14, 9, 0, tzinfo=TZ), **who)  # fmt: skip
    await experts.dismiss(uows, expert_id=done[2].expert_id, reason="违反纪律", now=at, **who)


async def test_experts_by_district_and_term_end_with_the_other_filters_and_the_search(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
    await admin.send("/experts")
    page = admin.last().text
    assert "共 3 人" in page
    listed = [name for name in ("李矿山", "张危化", "王建筑") if name in page]
    assert sorted(listed, key=page.index) == ["李矿山", "张危化", "王建筑"], (
        "groups in the notice's order (矿山, 危化, 建筑), not their characters' codes"
    )
    await admin.press("按区县")
    assert {"沙坪坝区", "渝中区", "渝北区"} <= {label for label, _ in admin.last().buttons()}
    await admin.press("沙坪坝区")
    page = admin.last().text
    assert "共 2 人" in page and "王建筑" in page and "张危化" in page
    assert "专业组：全部 · 区县：沙坪坝区 · 状态：全部 · 聘期：全部" in page
    await admin.press("按聘期届满")
    await admin.press("任期90天内届满")
    page = admin.last().text
    assert "共 1 人" in page and "王建筑" in page, "a dismissed expert's term is not ending"
    assert "区县：沙坪坝区" in page and "聘期：任期90天内届满" in page
    await admin.press("按专业组")
    await admin.press("矿山")
    assert "没有符合条件的专家" in admin.last().text
    await admin.press("全部专家")
    await admin.press("按聘期届满")
    await admin.press("已届满待续聘")
    assert "没有符合条件的专家" in admin.last().text

    clock.at = datetime(2027, 11, 15, 0, 30, tzinfo=TZ)  # the terms' last day has just passed
    await admin.send("/experts 李")
    await admin.press("按聘期届满")
    await admin.press("已届满待续聘")
    page = admin.last().text
    assert "查找“李”" in page and "共 1 人" in page and "李矿山" in page
    assert "在聘" in page, "before the pass the standing still says appointed"
    await admin.press("按区县")
    await admin.press("沙坪坝区")
    assert "查找“李”" in admin.last().text and "没有符合条件的专家" in admin.last().text

    await sender_pass(world, sessionmaker, clock)
    await admin.send("/experts")
    await admin.press("按状态")
    await admin.press("聘期已满，待续聘")
    page = admin.last().text
    assert "共 2 人" in page and "王建筑" in page and "李矿山" in page
    await admin.send("/expert CQGSYF-2022-0001")
    assert "状态：聘期已满，待续聘" in admin.last().text
    assert "续聘" in [label for label, _ in admin.last().buttons()]


async def test_a_decided_non_renewal_reads_as_serving_out_the_term_in_the_list_and_the_export(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: after 不予续聘 decided during the term, /experts and 入库专家名册 said plain 在聘 while
    the card and /me said the term would not be renewed. They say 在聘（不予续聘）now; the
    standing filter keeps the expert under 在聘 until the term is over, and 已届满待续聘 leaves
    them out (nothing is waiting to be decided)."""
    from bot.domain.registry import Rating
    from tests.flows.export_helpers import documents, sheet_rows

    await appointed(sessionmaker, clock)
    uows = unit_of_work_factory(sessionmaker)
    admin_id = await person(uows, BUREAU_ADMIN)
    who = {"by": admin_id, "admin_ids": (admin_id,)}
    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
    await experts.record_evaluation(uows, expert_id=1, year=2027, rating=Rating.FAIL, term=True, health="健康", now=clock.now(), **who)  # fmt: skip
    await experts.not_renew(uows, expert_id=1, reason="期满考核不合格", now=clock.now(), **who)

    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/experts")
    lines = admin.last().text.splitlines()
    assert any(
        "王建筑" in line and "· 在聘（不予续聘） · 聘期至 2027-11-14 ·" in line for line in lines
    )
    assert any("李矿山" in line and "· 在聘 · 聘期至 2027-11-14 ·" in line for line in lines)
    await admin.press("按状态")
    await admin.press("在聘")
    page = admin.last().text
    assert "共 2 人" in page and "在聘（不予续聘）" in page, "in service to the term's last day"
    await admin.press("按状态")
    await admin.press("不再续聘")
    assert "没有符合条件的专家" in admin.last().text
    await admin.press("全部专家")
    await admin.press("导出名册")
    rows = sheet_rows(documents(admin)[-1].document[1])
    status = {r[2]: r[11] for r in rows if isinstance(r[0], int)}
    assert status == {"王建筑": "在聘（不予续聘）", "李矿山": "在聘", "张危化": "已解聘"}

    clock.at = datetime(2027, 11, 15, 0, 30, tzinfo=TZ)  # the last day has passed, no pass yet
    await admin.send("/experts")
    await admin.press("按聘期届满")
    await admin.press("已届满待续聘")
    page = admin.last().text
    assert "共 1 人" in page and "李矿山" in page and "王建筑" not in page

    await sender_pass(world, sessionmaker, clock)
    await admin.send("/experts")
    await admin.press("按状态")
    await admin.press("不再续聘")
    page = admin.last().text
    assert "共 1 人" in page and "王建筑" in page and "· 不再续聘 · 聘期至 2027-11-14 ·" in page
    await admin.press("全部专家")
    await admin.press("导出名册")
    rows = sheet_rows(documents(admin)[-1].document[1])
    assert {r[2]: r[11] for r in rows if isinstance(r[0], int)}["王建筑"] == "不予续聘"


def names_exported(admin) -> set[str]:
    from tests.flows.export_helpers import documents, sheet_rows

    rows = sheet_rows(documents(admin)[-1].document[1])
    return {r[2] for r in rows if isinstance(r[0], int)}


async def test_the_registry_export_from_experts_keeps_every_filter_on_the_list(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: 导出名册 kept the group and district but not the standing or the term's end."""
    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
    await admin.send("/experts")
    await admin.press("按区县")
    await admin.press("沙坪坝区")
    await admin.press("按聘期届满")
    await admin.press("任期90天内届满")
    await admin.press("导出名册")
    assert names_exported(admin) == {"王建筑"}, "沙坪坝区 and the term ending: not 张危化"

    await admin.send("/experts")
    await admin.press("按状态")
    await admin.press("已解聘")
    await admin.press("导出名册")
    assert names_exported(admin) == {"张危化"}

    await admin.send("/export")  # /export's 名册 is the whole registry, as before
    await admin.press("入库专家名册")
    assert names_exported(admin) == {"王建筑", "李矿山", "张危化"}


async def test_the_registry_export_follows_the_listings_search_too(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """导出名册 under `/experts 李` exported every expert the filters let through, not the one
    the listing showed. The search is kept by listing, beside the conversation: /expert (which
    clears the conversation) and a later search leave each listing's own."""
    from tests.flows.export_helpers import access_log

    await appointed(sessionmaker, clock)
    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
    await admin.send("/experts 李")
    li = admin.last()
    assert "查找“李”" in li.text and "共 1 人" in li.text
    labels = [label for label, _ in li.buttons()]
    assert "清除筛选" in labels and "全部专家" not in labels, "it keeps the search: not everyone"
    await admin.press("导出名册", message=li)
    assert names_exported(admin) == {"李矿山"}
    *_, (_, _, _, detail) = await access_log(sessionmaker)
    assert detail["search"] == "李" and detail["rows"] == 1

    await admin.send("/expert CQGSYF-2022-0001")  # clears the conversation
    await admin.send("/experts 王")
    wang = admin.last()
    await admin.press("导出名册", message=li)  # the older listing: still its own search
    assert names_exported(admin) == {"李矿山"}
    await admin.press("按状态", message=li)
    li = world.session.messages[(li.chat_id, li.message_id)]  # edited in place
    await admin.press("在聘", message=li)
    li = world.session.messages[(li.chat_id, li.message_id)]
    assert "查找“李”" in li.text and "状态：在聘" in li.text and "李矿山" in li.text, li.text
    await admin.press("导出名册", message=wang)
    assert names_exported(admin) == {"王建筑"}

    await admin.send("/experts")  # no search: every expert the filters let through
    await admin.press("按区县")
    await admin.press("沙坪坝区")
    await admin.press("导出名册")
    assert names_exported(admin) == {"王建筑", "张危化"}


async def renewed_early(sessionmaker, clock) -> Any:
    """The three of `appointed`, with 王建筑 (expert 1) renewed on 2027-09-01, before his term
    ends on 2027-11-14, from 2027-11-15; the clock left on 2027-09-01."""
    from bot.domain.registry import Rating

    await appointed(sessionmaker, clock)
    uows = unit_of_work_factory(sessionmaker)
    admin_id = await person(uows, BUREAU_ADMIN)
    who = {"by": admin_id, "admin_ids": (admin_id,)}
    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
    await experts.record_evaluation(uows, expert_id=1, year=2027, rating=Rating.PASS, term=True, health="健康", now=clock.now(), **who)  # fmt: skip
    return await experts.renew(uows, expert_id=1, term_start=date(2027, 11, 15), now=clock.now(), **who)  # fmt: skip


async def test_the_certificate_in_force_finds_an_expert_renewed_early(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """After 续聘 decided before the term's end the list shows the term to come, and searching
    the number the expert holds today (on their paper certificate) found nobody."""
    renewed = await renewed_early(sessionmaker, clock)

    admin = world.user(BUREAU_ADMIN, "局长")
    for number in ("CQGSYF-2022-0001", "cqgsyf-2022-0001", renewed.certificate_no):
        await admin.send(f"/experts {number}")
        page = admin.last().text
        assert "共 1 人" in page and "王建筑" in page, (number, page)


async def test_an_expert_renewed_early_is_listed_with_the_term_in_force_and_the_renewal(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """QA: after 续聘 decided before the term's end, /experts and 入库专家名册 showed the term to
    come (its number and dates) while the expert's paper certificate, /me and /start give the
    term in force. They now show that term and note the renewal; once the new term has begun
    they show it. A renewed expert is not among those whose term ends within 90 days."""
    from tests.flows.export_helpers import documents, sheet_rows

    renewed = await renewed_early(sessionmaker, clock)

    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/experts 王建筑")
    page = admin.last().text
    assert "CQGSYF-2022-0001 王建筑" in page, page
    assert "聘期至 2027-11-14（已续聘至 2032-11-14）" in page, page
    await admin.press("导出名册")
    [row] = [r for r in sheet_rows(documents(admin)[-1].document[1]) if isinstance(r[0], int)]
    assert row[1] == "CQGSYF-2022-0001" and "在聘（已续聘）" in row, row
    await admin.send("/experts")
    await admin.press("按聘期届满")
    await admin.press("任期90天内届满")
    assert "共 1 人" in admin.last().text and "王建筑" not in admin.last().text, "renewed: not due"

    clock.at = datetime(2027, 11, 20, 9, 0, tzinfo=TZ)  # the new term has begun
    await admin.send("/experts 王建筑")
    page = admin.last().text
    assert f"{renewed.certificate_no} 王建筑" in page and "聘期至 2032-11-14 ·" in page, page
    assert "已续聘" not in page


async def test_the_terms_of_many_experts_are_read_in_chunks_the_drivers_accept(
    sessionmaker, clock
) -> None:
    """The registry export reads every listed expert's terms: asked for by the thousand, so a
    large registry stays under SQLite's and asyncpg's limits on bound parameters."""
    await renewed_early(sessionmaker, clock)
    async with unit_of_work_factory(sessionmaker)() as uow:
        terms = await uow.registry.terms_of_experts([*range(4, 2504), 1, 2, 3])
    assert sorted(terms) == [1, 2, 3]
    assert [t.certificate_no for t in terms[1]] == ["CQGSYF-2022-0001", "CQGSYF-2027-0001"]
