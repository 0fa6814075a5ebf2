"""/export, /download, /report and /audit through the real Dispatcher; every file opened and read."""

from __future__ import annotations

from sqlalchemy import select

from bot.clock import FixedClock
from bot.domain.review import RoleKind
from bot.offline import OfflineWorld
from handlers.callbacks import Annex1Get, ExportGo, ExportKind, ReportGo
from storage.models import BatchReport, District
from tests.flows.export_helpers import (
    access_log,
    annex2_body,
    documents,
    docx_text,
    last_document,
    seed_app,
    sheet_rows,
    zip_entries,
)
from tests.flows.review_helpers import (
    APPLICANT,
    BUREAU_ADMIN,
    DISTRICT_REVIEWER,
    OTHER_UNIT_REVIEWER,
    UNIT_REVIEWER,
    card_of,
    grant,
    standard_reviewers,
    submitted_application,
)
from tests.support.people import met_person

SHAPINGBA, YUZHONG = "500106", "500103"


async def district_id(sessionmaker, code: str) -> int:
    async with sessionmaker() as session:
        return (await session.execute(select(District.id).where(District.code == code))).scalar_one()


async def seed_batch(sessionmaker) -> dict[str, int]:
    """沙坪坝区: two approved (建筑 and 矿山), one waiting for the district, one at its unit;
    渝中区: one approved."""
    ids = {
        "王建筑": await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="district_approved",
                              name="王建筑", group="建筑", id_number="500106198501011234"),
        "李矿山": await seed_app(sessionmaker, telegram_id=5002, unit_code="CQU001", status="district_approved",
                              name="李矿山", group="矿山", id_number="500106198601011235", mobile="13900000002"),
        "赵待审": await seed_app(sessionmaker, telegram_id=5003, unit_code="CQU001", status="unit_approved",
                              name="赵待审", group="矿山", id_number="500106198701011236"),
        "钱单位": await seed_app(sessionmaker, telegram_id=5004, unit_code="CQU001", status="submitted",
                              name="钱单位", group="交通", id_number="500106198801011237"),
        "孙渝中": await seed_app(sessionmaker, telegram_id=5005, unit_code="CQJT01", status="district_approved",
                              name="孙渝中", group="交通", id_number="500103198901011238"),
    }  # fmt: skip
    return ids


async def test_district_reviewer_gets_its_district_sorted_by_group_unit_and_name(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await seed_batch(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/export")
    menu = district.last()
    assert "沙坪坝区" in menu.text and "区县已同意 2 人，审核中 2 人" in menu.text
    assert "尚未上报市局；区县截止时间 2022-10-15 18:00。" in menu.text
    assert "上报市局" in [label for label, _ in menu.buttons()]

    await district.press("下载汇总表（已同意）")
    sent = last_document(district)
    name, data = sent.document
    assert name == "附件2_工伤预防专家聘任推荐汇总表_沙坪坝区_20220920.xlsx"
    assert "共 2 行" in sent.text
    rows = sheet_rows(data)
    assert rows[1][0] == "填报区县（盖章）：沙坪坝区"
    body = annex2_body(data)
    assert [r[1] for r in body] == ["李矿山", "王建筑"]  # 矿山 before 建筑, as the notice lists them
    assert body[0] == (
        1, "李矿山", "男", "500106198601011235", "重庆大学", "总工程师",
        "高级工程师（副高级）", "矿山", "13900000002",
    )  # fmt: skip
    assert all(len(r) == 9 for r in body)


async def test_include_pending_marks_rows_still_in_review(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    await seed_batch(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/export")
    await district.press("含审核中")
    sent = last_document(district)
    assert "共 4 行" in sent.text and "2 行尚在审核中" in sent.text
    body = annex2_body(sent.document[1])
    assert [(r[1], r[9]) for r in body] == [
        ("李矿山", None), ("赵待审", "审核中"), ("王建筑", None), ("钱单位", "审核中"),
    ]  # fmt: skip
    assert sheet_rows(sent.document[1])[3][9] == "备注"


async def test_forged_buttons_never_give_a_district_reviewer_other_rows(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await seed_batch(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/export")
    yuzhong = await district_id(sessionmaker, YUZHONG)
    unit = (await seed_unit_id(sessionmaker, "CQJT01"))
    for forged in (
        ExportGo(kind=ExportKind.ANNEX2, district_id=yuzhong),
        ExportGo(kind=ExportKind.ANNEX2),
        ExportGo(kind=ExportKind.ANNEX2, unit_id=unit),
        ExportGo(kind=ExportKind.FULL),
        ExportGo(kind=ExportKind.ARCHIVE, district_id=yuzhong),
        ReportGo(district_id=yuzhong, confirm=True),
    ):
        await district.press_data(forged.pack())
        assert any(word in (district.alert or "") for word in ("无权", "只有"))
    assert documents(district) == []
    assert await access_log(sessionmaker) == []


async def seed_unit_id(sessionmaker, code: str) -> int:
    from storage.models import Unit

    async with sessionmaker() as session:
        return (await session.execute(select(Unit.id).where(Unit.code == code))).scalar_one()


async def test_unit_reviewer_gets_only_its_unit(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    await seed_batch(sessionmaker)
    other = world.user(OTHER_UNIT_REVIEWER, "交通")
    await other.send("/export")
    assert "重庆交通运输集团有限公司" in other.last().text
    await other.press("含审核中")
    body = annex2_body(last_document(other).document[1])
    assert [r[1] for r in body] == ["孙渝中"]

    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.send("/export")
    await unit.press("含审核中")
    body = annex2_body(last_document(unit).document[1])
    assert sorted(r[1] for r in body) == ["李矿山", "王建筑", "赵待审", "钱单位"]
    assert [r[9] for r in body if r[1] == "钱单位"] == ["审核中"]
    await unit.press_data(ExportGo(kind=ExportKind.ANNEX2, unit_id=await seed_unit_id(sessionmaker, "CQJT01")).pack())
    assert "无权" in (unit.alert or "")


async def test_an_empty_district_gets_a_valid_table_with_a_note(world: OfflineWorld, sessionmaker) -> None:
    await grant(sessionmaker, 3101, "钱渝北", RoleKind.DISTRICT, "500112")
    reviewer = world.user(3101, "渝北")
    await reviewer.send("/export")
    await reviewer.press("下载汇总表（已同意）")
    sent = last_document(reviewer)
    assert "共 0 行" in sent.text
    rows = sheet_rows(sent.document[1])
    assert rows[0][0] == "重庆市人力资源和社会保障局工伤预防专家聘任推荐汇总表"
    assert rows[3][:2] == ("序号", "姓名")
    assert rows[4][0] == "（本次无推荐人员）"
    assert annex2_body(sent.document[1]) == []


async def test_bureau_chooses_a_district_and_group_and_gets_the_full_export(
    world: OfflineWorld, sessionmaker
) -> None:
    ids = await seed_batch(sessionmaker)
    admin = world.user(BUREAU_ADMIN, "市局")
    await admin.send("/export")
    menu = admin.last()
    assert "范围：全市" in menu.text
    await admin.press("下载汇总表（已同意）")
    city = last_document(admin)
    assert city.document[0] == "附件2_工伤预防专家聘任推荐汇总表_全市_20220920.xlsx"
    assert [r[1] for r in annex2_body(city.document[1])] == ["李矿山", "王建筑", "孙渝中"]

    await admin.press("选择区县")
    await admin.press("沙坪坝区")
    await admin.press("选择专业组")
    await admin.press("矿山")
    assert "范围：沙坪坝区；专业组：矿山" in menu.text
    await admin.press("含审核中")
    sent = last_document(admin)
    assert "沙坪坝区 · 矿山" in sent.text
    assert sheet_rows(sent.document[1])[1][0] == "填报区县（盖章）：沙坪坝区　　拟报专业组：矿山"
    assert [r[1] for r in annex2_body(sent.document[1])] == ["李矿山", "赵待审"]

    await admin.press("选择专业组")
    await admin.press("全部专业组")
    await admin.press("全量导出")
    full = last_document(admin)
    assert full.document[0] == "工伤预防专家申报信息_全量导出_20220920.xlsx"
    rows = sheet_rows(full.document[1])
    header = rows[0]
    for column in ("申报编号", "状态", "区县", "身份证号", "移动电话", "放宽条件申请理由",
                   "单位审核通过时间", "区县审核通过时间", "申报条件提示"):  # fmt: skip
        assert column in header
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_id) == {ids["王建筑"], ids["李矿山"], ids["赵待审"], ids["钱单位"]}
    assert "共 4 行" in full.text
    li = by_id[ids["李矿山"]]
    assert (li["状态"], li["身份证号"], li["移动电话"]) == ("区县已同意", "500106198601011235", "13900000002")
    assert li["区县审核通过时间"] is not None and by_id[ids["钱单位"]]["单位审核通过时间"] is None
    assert li["工作简历"] == "2010-07—至今　重庆大学　总工程师"
    actions = [(a, t) for _, a, t, _ in await access_log(sessionmaker)]
    assert actions == [
        ("export_annex2", "all"),
        ("export_annex2", f"district:{SHAPINGBA}"),
        ("export_full", f"district_id:{await district_id(sessionmaker, SHAPINGBA)}"),
    ]


async def test_annex1_for_its_reviewers_and_its_own_applicant_only(world: OfflineWorld, sessionmaker) -> None:
    await standard_reviewers(sessionmaker)
    applicant = await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    card = card_of(unit)
    await unit.press("下载推荐表", message=card)
    name, data = last_document(unit).document
    assert name == "附件1_推荐表_1.docx"
    text = docx_text(data)
    for expected in ("张三", "500103199001019998", "13800000000", "教授（正高级）", "矿山"):
        assert expected in text

    await applicant.send("/download")
    assert last_document(applicant).document[0] == "附件1_推荐表_1.docx"
    stranger = world.user(1002, "李四")
    await stranger.send("/download 1")
    assert documents(stranger) == [] and "无权" in stranger.last().text
    await stranger.send("/download")
    assert "还没有已提交的申报" in stranger.last().text
    other = world.user(OTHER_UNIT_REVIEWER, "交通")
    await other.press_data(Annex1Get(app_id=1).pack(), card)
    assert documents(other) == [] and "无权" in (other.alert or "")
    log = await access_log(sessionmaker)
    assert [(a, act, t) for a, act, t, _ in log] == [
        (await met_person(sessionmaker, UNIT_REVIEWER), "download_annex1", "application:1"),
        (await met_person(sessionmaker, APPLICANT), "download_annex1", "application:1"),
    ]


async def test_district_downloads_every_form_of_its_batch_as_one_archive(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    ids = await seed_batch(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/export")
    await district.press("推荐表打包下载")
    sent = last_document(district)
    assert sent.document[0] == "附件1_推荐表汇总_沙坪坝区_20220920.zip"
    assert "共 2 份" in sent.text
    entries = zip_entries(sent.document[1])
    assert sorted(entries) == sorted(f"附件1_推荐表_{ids[n]}.docx" for n in ("李矿山", "王建筑"))
    assert "李矿山" in docx_text(entries[f"附件1_推荐表_{ids['李矿山']}.docx"])


async def test_report_reaches_the_bureau_is_replaced_and_is_refused_after_the_deadline(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await standard_reviewers(sessionmaker)
    await seed_batch(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    admin = world.user(BUREAU_ADMIN, "市局")
    await district.send("/report")
    assert "区县已同意 2 人" in district.last().text
    await district.press("确认上报")
    assert "已于 2022-09-20 10:00 向市局上报 沙坪坝区 的推荐汇总表，共 2 人" in district.last().text
    received = last_document(admin)
    assert "沙坪坝区 于 2022-09-20 10:00 上报" in received.text
    assert [r[1] for r in annex2_body(received.document[1])] == ["李矿山", "王建筑"]

    clock.advance(hours=2)
    await district.send("/export")
    assert "已于 2022-09-20 10:00 上报市局（2 人）" in district.last().text
    await district.press("上报市局")
    assert "再次上报将替换该次上报" in district.last().text
    await district.press("确认上报")
    assert "重新上报" in district.last().text and "替换了 2022-09-20 10:00 的上报" in district.last().text
    assert "重新上报" in last_document(admin).text
    reviewer = await met_person(sessionmaker, DISTRICT_REVIEWER)
    async with sessionmaker() as session:
        reports = (await session.execute(select(BatchReport).order_by(BatchReport.id))).scalars().all()
        assert [(r.row_count, r.replaced, r.reported_by) for r in reports] == [
            (2, True, reviewer),
            (2, False, reviewer),
        ]

    clock.advance(days=30)
    await district.send("/export")
    menu = district.last()
    assert "已于 2022-09-20 12:00 上报市局（2 人）" in menu.text
    assert "区县上报截止时间 2022-10-15 18:00 已过，无法上报。如需延期请联系市局。" in menu.text
    assert "上报市局" not in [label for label, _ in menu.buttons()], "a press could only be refused"
    assert "推荐表打包下载" in [label for label, _ in menu.buttons()]
    await district.send("/report")
    assert "区县上报截止时间 2022-10-15 18:00 已过" in district.last().text
    await district.press_data(ReportGo(district_id=await district_id(sessionmaker, SHAPINGBA), confirm=True).pack())
    assert "2022-10-15 18:00" in (district.alert or "")
    async with sessionmaker() as session:
        assert len((await session.execute(select(BatchReport))).scalars().all()) == 2

    admin_alone = world.user(BUREAU_ADMIN, "市局")
    before = len(documents(admin_alone))
    await admin_alone.press_data(ReportGo(district_id=1, confirm=True).pack())
    assert "只有本区县的审核人" in (admin_alone.alert or "") and len(documents(admin_alone)) == before


async def test_a_second_press_of_the_same_confirmation_reports_nothing_twice(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    await standard_reviewers(sessionmaker)
    await seed_batch(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    admin = world.user(BUREAU_ADMIN, "市局")
    [confirm] = await district.send("/report")
    data = dict(confirm.buttons())["确认上报"]
    await district.press_data(data, confirm)
    files = len(documents(admin))
    clock.advance(minutes=1)
    await district.press_data(data, confirm)  # a double tap: pressed before the button went
    assert district.alert == (
        "本区县的推荐汇总表已由 赵区县 于 2022-09-20 10:00 上报（2 人），这次确认不再重复上报。"
        "如需更新，请重新发送 /report。"
    )
    assert len(documents(admin)) == files
    async with sessionmaker() as session:
        assert len((await session.execute(select(BatchReport))).scalars().all()) == 1

    [again] = await district.send("/report")
    assert "此前已于 2022-09-20 10:00 上报（2 人），再次上报将替换该次上报" in again.text
    await district.press("确认上报", message=again)
    assert "重新上报" in district.last().text and len(documents(admin)) == files + 1


async def test_a_confirmation_called_off_reports_nothing_and_says_so(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """QA: 确认上报 stood alone under 确认上报吗？, with no way to say no but to leave it."""
    await standard_reviewers(sessionmaker)
    await seed_batch(sessionmaker)
    district = world.user(DISTRICT_REVIEWER, "区县")
    admin = world.user(BUREAU_ADMIN, "市局")
    [confirm] = await district.send("/report")
    await district.press("取消", message=confirm)
    called_off = world.session.messages[(confirm.chat_id, confirm.message_id)]
    assert called_off.text.startswith("将向市局上报 沙坪坝区 的推荐汇总表"), called_off.text
    assert "已取消，未上报。" in called_off.text and called_off.buttons() == []
    assert documents(admin) == []
    async with sessionmaker() as session:
        assert (await session.execute(select(BatchReport))).scalars().all() == []


async def test_every_export_and_full_view_is_logged_and_the_bureau_reads_the_log(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press("查看全部")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/export")
    await district.press("含审核中")
    log = await access_log(sessionmaker)
    unit_person, district_person = (
        await met_person(sessionmaker, UNIT_REVIEWER),
        await met_person(sessionmaker, DISTRICT_REVIEWER),
    )
    assert [(a, act, t) for a, act, t, _ in log] == [
        (unit_person, "view_full_record", "application:1"),
        (district_person, "export_annex2", f"district:{SHAPINGBA}"),
    ]
    assert log[1][3] == {"campaign": 1, "group": None, "include_pending": True, "rows": 1}

    await district.send("/audit")
    assert "只有市局管理员" in district.last().text
    admin = world.user(BUREAU_ADMIN, "市局")
    await admin.send("/audit 5")
    text = admin.last().text
    assert "访问日志（最近 2 条" in text
    assert text.index("导出汇总表") < text.index("查看全部")
    assert f"赵区县({district_person})" in text and "rows=1" in text
    assert "500103199001019998" not in text
