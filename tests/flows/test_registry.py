"""/registry through the real Dispatcher: the bureau admin records the joint meeting, runs
publicity, decides an objection and appoints; the experts hear of it through the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.clock import TZ
from bot.offline import OfflineWorld
from bot.ratelimit import RateLimiter
from bot.services import reminders
from bot.services.accounts import configured_admins
from bot.services.repositories import UnitOfWorkFactory
from handlers.callbacks import RegistryAct, RegistryDo
from handlers.sending import TelegramSender
from storage.models import Application
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import (
    access_log,
    documents,
    docx_text,
    seed_app,
    sheet_rows,
    zip_entries,
)
from tests.flows.review_helpers import BUREAU_ADMIN, DISTRICT_REVIEWER, standard_reviewers


async def _instant(_: float) -> None:
    return None


async def sender_pass(world: OfflineWorld, sessionmaker, clock) -> None:
    """One pass of the outbox, as the running bot makes every minute (with the settings' admin)."""
    uows = unit_of_work_factory(sessionmaker)
    sender = TelegramSender(world.bot, RateLimiter(sleep=_instant), clock, uows)
    admins = await configured_admins(uows, (BUREAU_ADMIN,), clock.now())
    await reminders.send_due_reminders(uows, sender, clock, admin_ids=admins)


async def test_a_batch_from_the_meeting_through_publicity_to_appointment(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    await standard_reviewers(sessionmaker)
    apps = [
        await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                       name="王建筑", group="建筑", id_number="500106198501011234"),
        await seed_app(sessionmaker, telegram_id=5002, unit_code="CQU001", status="qualified",
                       name="李矿山", group="矿山", id_number="500106198601011235"),
    ]  # fmt: skip
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/registry")
    assert "只有市局管理员" in district.last().text

    admin = world.user(BUREAU_ADMIN, "局长")
    clock.at = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)  # the meeting has met
    await admin.send("/registry")
    assert "资格审核通过、待联席会议确认：2 份" in admin.last().text
    await admin.press("记录联席会议确认")
    await admin.press("下一步")
    assert admin.alert == "请至少选择一份申报。"
    assert "全选" in [label for label, _ in admin.last().buttons()]
    await admin.press("王建筑")
    await admin.press("李矿山")
    assert "已选 2 份" in admin.last().text
    assert "全选" not in [label for label, _ in admin.last().buttons()], "everything is ticked"
    await admin.press("李矿山")
    assert "全选" in [label for label, _ in admin.last().buttons()], "back when one is unticked"
    await admin.press("全选")
    assert "已选 2 份" in admin.last().text
    assert "全选" not in [label for label, _ in admin.last().buttons()]
    await admin.press("下一步")
    picked, asked = admin.texts()[-2:]
    assert picked.endswith("\n✅ 王建筑、李矿山"), "the choice stays readable above the questions"
    assert "会议召开的日期" in asked
    await admin.send("10月32日")
    assert "格式不正确" in admin.last().text
    await admin.send("2022-10-28")
    await admin.send("联席会议纪要〔2022〕3号")
    assert "确认入库 2 份" in admin.last().text and "王建筑、李矿山" in admin.last().text
    await admin.press("确认记录")
    assert "已记录第1批：联席会议纪要〔2022〕3号，确认入库 2 份" in admin.last().text

    await admin.send("/registry")
    await admin.press("第1批：开始公示")
    await admin.send("下周五")  # said on Friday 2022-10-28: the Friday of next week
    assert "2022-11-04（星期五）至 2022-11-10（星期四）" in admin.last().text
    await admin.send("2022-11-11")  # a holiday in the window: the admin types the last day
    assert "至 2022-11-11（星期五）" in admin.last().text
    await admin.press("确认公示")
    sent = documents(admin)
    assert [d.document[0] for d in sent][-2:] == [
        "重庆市工伤预防专家库拟入库专家名单公示_20221104.docx",
        "重庆市工伤预防专家库拟入库专家名单公示_20221104.xlsx",
    ]
    listed = sheet_rows(sent[-1].document[1])
    assert ("王建筑", "男", "重庆大学", "高级工程师", "建筑") in [
        tuple(map(str, r[1:6])) for r in listed
    ]
    assert not any("500106" in str(c) or "1390000" in str(c) for r in listed for c in r)
    published = [m.text for m in admin.inbox() if m.text and "已开始公示" in m.text][-1]
    assert "第1批已开始公示：2022-11-04 至 2022-11-11，共 2 人" in published
    assert "1. 王建筑 男 重庆大学 高级工程师 建筑" in published
    assert "500106" not in published and "139" not in published
    await admin.send("/registry")  # still 2022-10-28: the window has not begun
    assert "公示 2022-11-04 至 2022-11-11（未开始）" in admin.last().text, admin.last().text
    assert "第1批：记录异议" not in [text for text, _ in admin.last().buttons()], "nothing public yet"

    clock.at = datetime(2022, 11, 7, 16, 0, tzinfo=TZ)  # in the window
    await admin.send("/registry")
    assert "公示 2022-11-04 至 2022-11-11（公示中）" in admin.last().text
    await admin.press("第1批：记录异议")
    await admin.press("李矿山")
    assert admin.texts()[-2].endswith("\n✅ #2 李矿山"), "whom the objection is against stays shown"
    await admin.send("2022-11-07")
    await admin.send("反映其资历材料不实")
    assert "已记录异议 #1（李矿山）" in admin.last().text

    clock.at = datetime(2022, 11, 14, 9, 0, tzinfo=TZ)
    await admin.send("/registry")
    assert "待处理异议 1 件" in admin.last().text
    assert "第1批：聘任" not in [text for text, _ in admin.last().buttons()]
    await admin.press("第1批：处理异议")
    assert "#1 李矿山：反映其资历材料不实（2022-11-07 收到）" in admin.last().text
    await admin.press("#1 异议不成立")
    assert admin.texts()[-2].endswith("\n✅ #1 异议不成立")
    await admin.send("经核实材料属实")
    assert "异议 #1 已处理：不成立" in admin.last().text

    await admin.send("/registry")
    await admin.press("第1批：聘任")
    await admin.send("2022-11-15")
    assert "聘期 2022-11-15 至 2027-11-14" in admin.last().text
    confirm = admin.last()
    await admin.press("确认聘任")
    certificates = documents(admin)[-1]
    assert certificates.document[0] == "聘书_第1批.zip"
    assert sorted(zip_entries(certificates.document[1])) == [
        "聘书_CQGSYF-2022-0001.docx",
        "聘书_CQGSYF-2022-0002.docx",
    ]
    done = [m.text for m in admin.inbox() if m.text and "已聘任" in m.text][-1]
    assert "已聘任 2 人" in done and "CQGSYF-2022-0001 王建筑（建筑）" in done
    async with sessionmaker() as session:
        statuses = list(await session.scalars(select(Application.status).order_by(Application.id)))
    assert statuses == ["accepted", "accepted"]
    await admin.press_data(RegistryAct(do=RegistryDo.CONFIRM_APPOINT).pack(), confirm)
    assert admin.alert == "该操作已过期，请重新发送 /registry。", (
        "a second press appoints nobody twice"
    )

    uows = unit_of_work_factory(sessionmaker)
    sender = TelegramSender(world.bot, RateLimiter(sleep=_instant), clock, uows)
    await reminders.send_due_reminders(uows, sender, clock)
    expert = world.user(5001, "建筑")
    assert "您已被聘任为重庆市工伤预防专家库专家（建筑）" in expert.last().text
    assert "CQGSYF-2022-0001" in expert.last().text and "2027-11-14" in expert.last().text
    told = world.user(DISTRICT_REVIEWER, "区县").last().text
    assert "以下专家已聘任入库：王建筑、李矿山" in told
    assert apps

    await admin.send("/experts")
    listing = admin.last().text
    assert "入库专家名册：共 2 人（第 1/1 页）" in listing
    assert (
        "CQGSYF-2022-0001 王建筑（男）· 建筑 · 沙坪坝区 重庆大学 · 在聘 · 聘期至 2027-11-14"
        in listing
    )
    assert "13900000001" not in listing and "139****0001" in listing
    await admin.press("按专业组")
    await admin.press("矿山")
    assert "共 1 人" in admin.last().text and "李矿山" in admin.last().text
    assert "专业组：矿山 · 区县：全部 · 状态：全部 · 聘期：全部" in admin.last().text
    await admin.press("按状态")
    await admin.press("已退出")
    assert "没有符合条件的专家" in admin.last().text
    await admin.press("全部专家")
    assert "共 2 人" in admin.last().text
    await admin.send("/experts CQGSYF-2022-0002")
    assert "共 1 人" in admin.last().text and "李矿山" in admin.last().text
    await admin.send("/experts 赵")
    assert "没有符合条件的专家" in admin.last().text
    await district.send("/experts")
    assert "只有市局管理员" in district.last().text
    await expert.send("/me")
    assert (
        "聘书编号：CQGSYF-2022-0001" in expert.last().text and "专业组：建筑" in expert.last().text
    )
    await expert.press("下载聘书")
    mine = documents(expert)[-1]
    assert mine.document[0] == "聘书_CQGSYF-2022-0001.docx"
    text = docx_text(mine.document[1])
    assert "王建筑" in text and "2027年11月14日" in text
    await admin.send("/experts")
    await admin.press("导出名册")
    registry_file = documents(admin)[-1]
    assert registry_file.document[0].startswith("重庆市工伤预防专家库入库专家名册_")
    rows = sheet_rows(registry_file.document[1])
    assert any("13900000001" in map(str, r) for r in rows), "the bureau's own list has the phone"
    actions = [row[1] for row in await access_log(sessionmaker)]
    assert {"export_certificates", "download_certificate", "export_registry"} <= set(actions)
    await admin.send("/export")
    await admin.press("入库专家名册")
    from_export = documents(admin)[-1]
    assert from_export.document[0] == registry_file.document[0]
    await district.send("/me")
    assert "您目前不是专家库专家" in district.last().text

    # the term goes on: a yearly evaluation, a renewal, a withdrawal, a dismissal with its letter
    await admin.send("/expert CQGSYF-2022-0001")
    assert "专家 #1 · 王建筑（男）· 建筑" in admin.last().text and "评价：暂无" in admin.last().text
    await admin.press("2022年度评价")
    await admin.press("2022年：优秀")
    assert "请输入评价说明" in admin.last().text
    await admin.press("跳过")
    assert "已记录 王建筑 2022 年度评价：优秀" in admin.last().text
    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)  # renewal: within 90 days of the term's end
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("期满考核")
    await admin.send("健康")
    await admin.send("聘期内参加评审12次")
    await admin.press("合格")
    await admin.send("/expert CQGSYF-2022-0001")
    await admin.press("续聘")
    assert "现聘期至 2027-11-14 届满，请输入新聘期的第一天（如 2027-11-15）" in admin.last().text
    await admin.send("2027-11-15")
    assert "新聘期 2027-11-15 至 2032-11-14" in admin.last().text
    await admin.press("确认续聘")
    assert "已续聘 王建筑：CQGSYF-2027-0001" in admin.last().text

    await expert.send("/me")  # the term in force, and the renewal to come
    assert "聘书编号：CQGSYF-2022-0001" in expert.last().text
    assert "下一聘期 2027-11-15 至 2032-11-14，新聘书编号 CQGSYF-2027-0001" in expert.last().text
    await expert.press("申请退出专家库")
    await expert.send("工作调动")
    assert "退出申请已提交" in expert.last().text
    await admin.send("/expert CQGSYF-2027-0001")
    assert "退出申请：工作调动" in admin.last().text
    await admin.press("确认退出")
    assert "确认 王建筑（CQGSYF-2027-0001）退出专家库？\n退出原因：工作调动" in admin.last().text
    await admin.press("确认退出")
    assert "已确认 王建筑 退出专家库" in admin.last().text
    await admin.send("/expert #1")
    assert "状态：已退出" in admin.last().text and not admin.last().buttons()

    await admin.send("/expert CQGSYF-2022-0002")
    await admin.press("解聘")
    await admin.send("违反专家工作纪律")
    assert "确认解聘 李矿山（CQGSYF-2022-0002）？\n理由：违反专家工作纪律" in admin.last().text
    await admin.press("确认解聘")
    letter = documents(admin)[-1]
    assert letter.document[0] == "书面函告_解聘_CQGSYF-2022-0002.docx"
    assert "违反专家工作纪律" in docx_text(letter.document[1])
    await district.send("/expert #2")
    assert "只有市局管理员" in district.last().text
    await sender_pass(world, sessionmaker, clock)
    assert "您已被解聘" in world.user(5002, "矿山").last().text


async def appointed_wang(sessionmaker, clock) -> tuple[UnitOfWorkFactory, dict, int]:
    """王建筑 (Telegram 5001) appointed on 2022-11-02, certificate CQGSYF-2022-0001: the unit of
    work factory, the bureau admin's `by`/`admin_ids`, and the application's id."""
    from datetime import date

    from bot.services import registry
    from tests.support.people import person

    uows = unit_of_work_factory(sessionmaker)
    admin = await person(uows, BUREAU_ADMIN)
    who = {"by": admin, "admin_ids": (admin,)}
    app_id = await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                            name="王建筑", group="建筑", id_number="500106198501011234")  # fmt: skip
    clock.at = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)  # the meeting has met
    batch = await registry.record_batch(uows, meeting_on=date(2022, 10, 28), reference="纪要3号", app_ids=[app_id], now=clock.now(), **who)  # fmt: skip
    await registry.open_publicity(uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 1), now=clock.now(), **who)  # fmt: skip
    clock.at = datetime(2022, 11, 2, 9, 0, tzinfo=TZ)
    await registry.appoint_batch(uows, batch_id=batch.id, term_start=date(2022, 11, 2), now=clock.now(), **who)  # fmt: skip
    return uows, who, app_id


async def test_a_current_expert_is_not_asked_to_apply_again_in_a_top_up_call(
    world: OfflineWorld, sessionmaker, clock
) -> None:


    uows, who, app_id = await appointed_wang(sessionmaker, clock)
    async with uows() as uow:  # the yearly top-up call
        await uow.campaigns.add_campaign(
            name="2023年补选",
            unit_deadline=datetime(2023, 9, 30, 18, 0, tzinfo=TZ),
            district_deadline=datetime(2023, 10, 15, 18, 0, tzinfo=TZ),
            now=clock.now(),
        )
        await uow.commit()
    clock.at = datetime(2023, 9, 1, 9, 0, tzinfo=TZ)
    expert = world.user(5001, "建筑")
    await expert.send("/start")  # seeded without consent, as an applicant of 2022 might be
    told = expert.last().text
    assert "无需再次申报" in told and not expert.last().buttons()
    assert "聘书编号：CQGSYF-2022-0001" in told and "聘期：2022-11-02 至 2027-11-01" in told, told
    await expert.send("/start")  # still no form, however often asked
    assert "无需再次申报" in expert.last().text
    from aiogram.methods import SetMyCommands

    [*_, menu] = [r for r in world.session.requests if isinstance(r, SetMyCommands)]
    assert menu.scope.chat_id == 5001 and "me" in {c.command for c in menu.commands}, (
        "an expert's menu has /me, which the greeting points to"
    )
    # The term over, renewal not decided yet (聘期已满，待续聘): not called 在聘.
    from sqlalchemy import update

    from storage.models import Expert

    async with sessionmaker() as session:
        await session.execute(update(Expert).values(standing="due"))
        await session.commit()
    await expert.send("/start")
    told = expert.last().text
    assert "聘期已于 2027-11-01 届满，正等待市局续聘决定" in told and "在聘" not in told, told
    async with sessionmaker() as session:
        await session.execute(update(Expert).values(standing="appointed"))
        await session.commit()
    # A withdrawal waiting for the bureau: still in service, so still told so.
    from bot.services import experts

    async with uows() as uow:
        person_id = (await uow.applications.application(app_id)).person_id
    await experts.ask_withdrawal(uows, person_id=person_id, reason="工作调动", now=clock.now())
    await expert.send("/start")
    assert "无需再次申报" in expert.last().text and "退出申请正在等待市局确认" in expert.last().text
    # Once out of service, a former expert may apply again in the new call.
    async with uows() as uow:
        expert_id = (await uow.registry.expert_of(person_id)).id  # type: ignore[union-attr]
    await experts.confirm_withdrawal(uows, expert_id=expert_id, now=clock.now(), **who)
    await expert.send("/start")
    assert "不同意" in [label for label, _ in expert.last().buttons()]


async def test_an_expert_who_also_reviews_is_greeted_as_both_and_keeps_me_in_the_menu(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """A unit's safety officer may be an expert and its reviewer: /start greets them by the
    role, tells them they need not apply (no 本人申报), and their menu, whoever sets it, has /me."""
    from aiogram.methods import SetMyCommands

    from bot.domain.review import Grant, RoleKind

    uows, who, app_id = await appointed_wang(sessionmaker, clock)
    async with uows() as uow:
        person_id = (await uow.applications.application(app_id)).person_id
        unit = await uow.campaigns.unit_by_code("CQU001")
        grant = Grant(role=RoleKind.UNIT, unit_id=unit.id, unit_name=unit.name, unit_code=unit.code)
        await uow.people.add_grant(person_id, grant, who["by"], clock.now())
        await uow.commit()

    def menu() -> set[str]:
        [*_, last] = [r for r in world.session.requests if isinstance(r, SetMyCommands)]
        assert last.scope.chat_id == 5001
        return {c.command for c in last.commands}

    expert = world.user(5001, "建筑")
    await expert.send("/start")
    home, entry = expert.texts()[-2:]
    assert "您在本机器人中的角色" in home and "/pending" in home and "/me" in home, home
    assert "本人申报" not in home and "本人申报" not in [b for b, _ in expert.last().buttons()]
    assert "无需再次申报" in entry and "聘书编号：CQGSYF-2022-0001" in entry, entry
    assert {"pending", "me"} <= menu()
    await expert.send("/roles")  # refreshes the menu from the roles: /me stays
    assert {"pending", "me"} <= menu()


async def test_start_after_an_early_renewal_shows_the_term_in_force_and_the_next_one(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """续聘 decided before the term's end adds a term that starts later: /start (and /me) show
    the certificate and dates in force today, and the next term as confirmed; once it has
    started, that one."""
    from datetime import date

    from bot.domain.registry import Rating
    from bot.services import experts

    uows, who, app_id = await appointed_wang(sessionmaker, clock)
    clock.at = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)  # within 90 days of the term's end
    async with uows() as uow:
        expert_id = (await uow.registry.expert_by_certificate("CQGSYF-2022-0001"))
    assert expert_id is not None
    await experts.record_evaluation(uows, expert_id=expert_id, year=2027, rating=Rating.PASS, term=True, health="良好", now=clock.now(), **who)  # fmt: skip
    renewed = await experts.renew(uows, expert_id=expert_id, term_start=date(2027, 11, 2), now=clock.now(), **who)  # fmt: skip
    assert renewed.certificate_no != "CQGSYF-2022-0001"

    expert = world.user(5001, "建筑")
    await expert.send("/start")
    told = expert.last().text
    assert "聘书编号：CQGSYF-2022-0001" in told and "聘期：2022-11-02 至 2027-11-01" in told, told
    assert renewed.certificate_no not in told, told
    assert "续聘已确认：下一聘期 2027-11-02 至 2032-11-01" in told, told
    assert told.index("续聘已确认") < told.index("/me"), told
    await expert.send("/me")  # the same account there
    told = expert.last().text
    assert "聘书编号：CQGSYF-2022-0001" in told and "聘期：2022-11-02 至 2027-11-01" in told, told
    assert (
        f"续聘已确认：下一聘期 2027-11-02 至 2032-11-01，新聘书编号 {renewed.certificate_no}" in told
    ), told
    await expert.press("下载聘书")  # the certificate /me names: the one in force
    assert documents(expert)[-1].document[0] == "聘书_CQGSYF-2022-0001.docx"

    clock.at = datetime(2027, 11, 2, 9, 0, tzinfo=TZ)  # the new term has started
    for command in ("/start", "/me"):
        await expert.send(command)
        told = expert.last().text
        assert f"聘书编号：{renewed.certificate_no}" in told, told
        assert "聘期：2027-11-02 至 2032-11-01" in told and "续聘已确认" not in told, told
    await expert.press("下载聘书")
    assert documents(expert)[-1].document[0] == f"聘书_{renewed.certificate_no}.docx"


async def test_a_term_typed_inside_the_publicity_window_is_refused_and_asked_again(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    from datetime import date

    from bot.services import registry
    from tests.support.people import person

    uows = unit_of_work_factory(sessionmaker)
    admin_id = await person(uows, BUREAU_ADMIN)
    who = {"by": admin_id, "admin_ids": (admin_id,)}
    app_id = await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                            name="王建筑", group="建筑", id_number="500106198501011234")  # fmt: skip
    clock.at = datetime(2021, 10, 20, 15, 0, tzinfo=TZ)
    batch = await registry.record_batch(uows, meeting_on=date(2021, 10, 20), reference="纪要3号", app_ids=[app_id], now=clock.now(), **who)  # fmt: skip
    await registry.open_publicity(uows, batch_id=batch.id, starts_on=date(2021, 10, 22), ends_on=date(2021, 10, 28), now=clock.now(), **who)  # fmt: skip
    clock.at = datetime(2021, 11, 2, 9, 0, tzinfo=TZ)
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/registry")
    await admin.press("第1批：聘任")
    await admin.send("2021-10-27")
    assert admin.last().text == "聘期须在公示期结束（2021-10-28）之后开始，请输入 2021-10-29 或更晚的日期。"
    assert not admin.last().buttons()
    await admin.send("2021-10-29")
    assert "聘期 2021-10-29 至 2026-10-28" in admin.last().text
    await admin.press("确认聘任")
    assert any(m.text and "已聘任 1 人" in m.text for m in admin.inbox())
    async with sessionmaker() as session:
        [status] = await session.scalars(select(Application.status))
    assert status == "accepted"


async def test_a_meeting_day_after_today_and_an_objection_before_the_window_are_asked_again(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    from storage.models import Objection

    await standard_reviewers(sessionmaker)
    await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                   name="王建筑", group="建筑", id_number="500106198501011234")  # fmt: skip
    clock.at = datetime(2026, 10, 28, 15, 0, tzinfo=TZ)
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/registry")
    await admin.press("记录联席会议确认")
    await admin.press("王建筑")
    await admin.press("下一步")
    await admin.send("2027-01-01")
    assert admin.last().text == (
        "联席会议日期 2027-01-01 晚于今天（2026-10-28）：请在会议召开后记录，输入会议实际召开的日期。"
    )
    await admin.send("2026-10-28")
    await admin.send("联席会议纪要〔2026〕3号")
    assert "将记录：2026-10-28 联席会议纪要〔2026〕3号" in admin.last().text
    await admin.press("确认记录")
    await admin.send("/registry")
    await admin.press("第1批：开始公示")
    await admin.send("2026-11-02")
    await admin.press("确认公示")

    clock.at = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)
    await admin.send("/registry")
    await admin.press("第1批：记录异议")
    await admin.press("王建筑")
    await admin.send("2030-01-01")
    assert admin.last().text == "收到异议的日期 2030-01-01 晚于今天（2026-11-03），请输入实际收到的日期。"
    await admin.send("2026-10-30")
    assert admin.last().text == (
        "收到异议的日期 2026-10-30 早于公示开始（2026-11-02），请输入公示开始当天或之后的日期。"
    )
    async with sessionmaker() as session:
        assert not (await session.scalars(select(Objection))).all()
    await admin.send("11月3日")  # without the year: the latest 3 November, today
    assert admin.last().text == "请输入异议的主要内容："
    await admin.send("反映其资历材料不实")
    assert "已记录异议 #1（王建筑）" in admin.last().text


async def test_a_meeting_day_typed_without_the_year_is_the_latest_such_day_not_ahead(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """The meeting has met when it is recorded: 12月28日 typed in January is last December's,
    and 1月5日 typed on 5 January is today (as /draw reads 12月20日 as the next such day)."""
    await standard_reviewers(sessionmaker)
    await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                   name="王建筑", group="建筑", id_number="500106198501011234")  # fmt: skip
    clock.at = datetime(2027, 1, 5, 15, 0, tzinfo=TZ)
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/registry")
    await admin.press("记录联席会议确认")
    await admin.press("王建筑")
    await admin.press("下一步")
    assert "10月28日" in admin.last().text
    await admin.send("12月28日")
    assert admin.last().text.startswith("请输入会议纪要文号"), admin.last().text
    await admin.send("联席会议纪要〔2026〕9号")
    assert "将记录：2026-12-28 联席会议纪要〔2026〕9号" in admin.last().text
    await admin.send("/registry")
    await admin.press("记录联席会议确认")
    await admin.press("王建筑")
    await admin.press("下一步")
    await admin.send("1月5日")
    await admin.send("联席会议纪要〔2027〕1号")
    assert "将记录：2027-01-05 联席会议纪要〔2027〕1号" in admin.last().text
    await admin.send("/registry")
    await admin.press("记录联席会议确认")
    await admin.press("王建筑")
    await admin.press("下一步")
    await admin.send("2月30日")
    assert "格式不正确" in admin.last().text, admin.last().text


async def test_an_objection_against_someone_already_out_of_the_batch_holds_nobody_up(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    """Two objections against 李矿山; the first upheld takes him out of the batch. The second
    no longer blocks 王建筑's appointment, and deciding it is refused as moot."""
    from datetime import date

    from bot.services import registry
    from tests.support.people import person

    uows = unit_of_work_factory(sessionmaker)
    admin_id = await person(uows, BUREAU_ADMIN)
    who = {"by": admin_id, "admin_ids": (admin_id,)}
    apps = [
        await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                       name="王建筑", group="建筑", id_number="500106198501011234"),
        await seed_app(sessionmaker, telegram_id=5002, unit_code="CQU001", status="qualified",
                       name="李矿山", group="矿山", id_number="500106198601011235"),
    ]  # fmt: skip
    clock.at = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)
    batch = await registry.record_batch(uows, meeting_on=date(2022, 10, 28), reference="纪要3号", app_ids=apps, now=clock.now(), **who)  # fmt: skip
    await registry.open_publicity(uows, batch_id=batch.id, starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 7), now=clock.now(), **who)  # fmt: skip
    clock.at = datetime(2022, 11, 3, 9, 0, tzinfo=TZ)
    for summary in ("反映其资历材料不实", "反映其曾受行政处罚"):
        await registry.record_objection(uows, app_id=apps[1], received_on=date(2022, 11, 3), summary=summary, now=clock.now(), **who)  # fmt: skip

    clock.at = datetime(2022, 11, 8, 9, 0, tzinfo=TZ)
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/registry")
    assert "待处理异议 2 件" in admin.last().text
    await admin.press("第1批：处理异议")
    both = admin.last()
    await admin.press("#1 异议成立")
    assert admin.last().text == "异议 #1 成立（此人不再入库），请输入理由："
    await admin.send("经核实材料不实")
    assert "异议 #1 已处理：成立" in admin.last().text
    assert "针对同一人的异议 #2 随之结案（无需处理）。" in admin.last().text

    await admin.send("/registry")
    overview = admin.last()
    assert "待处理异议" not in overview.text and "待聘任 1 人" in overview.text
    assert "第1批：聘任" in [label for label, _ in overview.buttons()]
    await admin.press_data(RegistryAct(do=RegistryDo.OVERRULE, id=2).pack(), both)  # as listed
    await admin.send("经核实未受处罚")
    assert admin.last().text == (
        "异议 #2 针对的李矿山已不在待聘任名单中（未入库），无需再处理，也不影响其他人聘任。"
    )
    await admin.send("/registry")
    await admin.press("第1批：聘任")
    await admin.send("2022-11-15")
    await admin.press("确认聘任")
    assert any(m.text and "已聘任 1 人" in m.text and "王建筑" in m.text for m in admin.inbox())
    async with sessionmaker() as session:
        statuses = list(await session.scalars(select(Application.status).order_by(Application.id)))
    assert statuses == ["accepted", "not_accepted"]


async def test_a_publicity_window_that_ends_before_it_starts_is_refused_as_typed(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    from datetime import date

    from bot.services import registry
    from storage.models import Publicity
    from tests.support.people import person

    uows = unit_of_work_factory(sessionmaker)
    admin_id = await person(uows, BUREAU_ADMIN)
    who = {"by": admin_id, "admin_ids": (admin_id,)}
    app_id = await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                            name="王建筑", group="建筑", id_number="500106198501011234")  # fmt: skip
    clock.at = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)
    await registry.record_batch(uows, meeting_on=date(2022, 10, 28), reference="纪要3号", app_ids=[app_id], now=clock.now(), **who)  # fmt: skip
    admin = world.user(BUREAU_ADMIN, "局长")
    await admin.send("/registry")
    await admin.press("第1批：开始公示")
    await admin.send("2022-10-27")
    assert admin.last().text == (
        "公示不能早于联席会议（2022-10-28）开始，请输入 2022-10-28 或之后的日期。"
    )
    await admin.send("2022-11-04")
    assert admin.last().text.startswith(
        "公示期：2022-11-04（星期五）至 2022-11-10（星期四），共 7 天，其中周一至周五 5 天（按 5 个工作日推算）。"
    )
    await admin.send("2022-11-01")  # typed as the last day, before the first
    assert admin.last().text == (
        "公示的最后一天 2022-11-01 早于第一天 2022-11-04：最后一天应为 2022-11-04 或之后的日期。"
    )
    assert not admin.last().buttons()
    await admin.press("确认公示")  # the window still waiting is the one last shown
    async with sessionmaker() as session:
        window = (await session.execute(select(Publicity.starts_on, Publicity.ends_on))).one()
    assert tuple(window) == (date(2022, 11, 4), date(2022, 11, 10))

    await admin.send("/registry")
    assert "公示 2022-11-04 至 2022-11-10" in admin.last().text
