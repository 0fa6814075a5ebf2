"""Drawing experts through the real Dispatcher (issue #20's done-when): a using unit files a
request, draws, one expert declines and the next in the reserve is invited, the others accept,
the work is recorded and rated, the expert confirms, and `expertbot draw verify` matches.
A forged press on someone else's invitation is refused."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.clock import TZ
from bot.domain.review import RoleKind
from bot.offline import OfflineUser, OfflineWorld
from bot.services import draw_admin, draws, roles, stats
from bot.services.accounts import person_of_telegram
from bot.texts import draws as t
from handlers.callbacks import DrawAct, DrawDo
from storage.models import Booking, DrawEvent, Invitation
from storage.uow import unit_of_work_factory
from tests.flows.review_helpers import last_answer
from tests.flows.test_registry import sender_pass
from tests.storage.test_cli_review import run
from tests.support.experts import Spec, appointed

USER = 5001
EXPERTS = {
    6001: ("甲专家", "CQU001"),
    6002: ("乙专家", "CQJT01"),
    6003: ("丙专家", "CQU001"),
    6004: ("丁专家", "CQJT01"),
    6005: ("戊专家", "CQAJ01"),
}
"""矿山 experts; 戊 works at the requesting unit's own organisation, so is always avoided."""
OTHER_GROUP = 6006
FILED_AT = datetime(2022, 12, 1, 10, 0, tzinfo=TZ)


async def colleague(sessionmaker, clock, telegram_id: int = 5002) -> None:
    """A second person of the same using unit."""
    uows = unit_of_work_factory(sessionmaker)
    async with uows() as uow:
        [unit] = await uow.draws.using_units()
    target = await roles.find_target(uows, RoleKind.USER, unit.code)
    assert target is not None
    person_id = await person_of_telegram(uows, telegram_id, clock.now())
    await roles.grant(uows, person_id, target, granted_by=None, full_name="同事", now=clock.now())


async def using_unit(sessionmaker, clock) -> None:
    uows = unit_of_work_factory(sessionmaker)
    unit = await draw_admin.add_using_unit(
        uows, name="重庆市安全生产科学研究院项目部", kind="project", district_id=None,
        unit_code="CQAJ01", now=clock.now(),
    )  # fmt: skip
    target = await roles.find_target(uows, RoleKind.USER, unit.code)
    assert target is not None
    person_id = await person_of_telegram(uows, USER, clock.now())
    await roles.grant(uows, person_id, target, granted_by=None, full_name="项目负责人", now=clock.now())


async def start_request(unit: OfflineUser) -> None:
    """/draw up to the question of how many experts."""
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.press("下一步")
    await unit.send("2022-12-10")
    await unit.send("渝北区某矿井")
    await unit.send("某煤矿隐患排查治理验收")
    await unit.press("验收")


async def file_request(unit: OfflineUser, wanted: str = "2") -> None:
    await start_request(unit)
    await unit.send(wanted)
    await unit.press("下一步")
    await unit.press("无")
    assert "请核对抽取申请" in unit.last().text
    await unit.press("提交申请")


def invited(world: OfflineWorld) -> list[int]:
    """Experts whose newest message is an open invitation."""
    out = []
    for telegram_id in EXPERTS:
        inbox = world.session.inbox(telegram_id)
        if inbox and "【专家邀请】" in inbox[-1].text:
            out.append(telegram_id)
    return out


async def service_side(sessionmaker, wanted: int) -> tuple[object, int, draws.RequestForm]:
    """The use cases without the chat: units of work, the using unit's person, a request form."""
    uows = unit_of_work_factory(sessionmaker)
    async with uows() as uow:
        user = (await uow.accounts.attached("telegram", str(USER))).person_id
    form = draws.RequestForm(
        groups=("矿山",), days=(date(2022, 12, 10),), place="某地", project="某项目",
        work_kind="review", wanted=wanted,
    )  # fmt: skip
    return uows, user, form


async def one_drawn(world: OfflineWorld, unit: OfflineUser) -> OfflineUser:
    """Files a request for one expert and draws: the expert invited."""
    await file_request(unit, wanted="1")
    await unit.press("抽取专家")
    (first,) = invited(world)
    return world.user(first, EXPERTS[first][0])


@pytest.fixture
async def ready(world: OfflineWorld, sessionmaker, clock) -> OfflineUser:
    clock.at = FILED_AT
    await using_unit(sessionmaker, clock)
    await appointed(
        sessionmaker,
        *(Spec(tid, name, unit_code=code) for tid, (name, code) in EXPERTS.items()),
        Spec(OTHER_GROUP, "己专家", group="危化"),
        Spec(6007, "庚专家", ends_on=date(2022, 12, 5)),
        Spec(6008, "辛专家"),
    )
    await draw_admin.record_leave(
        unit_of_work_factory(sessionmaker), certificate_no="CQGSYF-2022-9008",
        starts_on=date(2022, 12, 9), ends_on=date(2022, 12, 12), reason="出国", by=None,
        now=clock.now(),
    )  # fmt: skip
    return world.user(USER, "项目负责人")


@pytest.mark.production_loop
async def test_a_request_is_drawn_declined_redrawn_accepted_worked_rated_and_verified(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser, capsys, monkeypatch
) -> None:
    unit = ready
    await file_request(unit)
    card = unit.last().text
    assert "抽取申请 第 1 号（待抽取）" in card
    assert "当前可抽取专家：4 人。" in card, (
        "戊 (own unit), 己 (other group), 庚 (term over), 辛 (on leave) are not in the pool"
    )
    assert "密钥承诺值" in card

    await unit.press("抽取专家")
    assert "第 1 轮抽取完成：邀请 2 人，备选 2 人。" in unit.texts()[-2]
    first, second = invited(world)
    experts = {tid: world.user(tid, EXPERTS[tid][0]) for tid in EXPERTS}
    assert "请在 2022-12-02 10:00 前答复" in experts[first].last().text

    # someone else's invitation: a forged press is refused and changes nothing
    outsider = next(t for t in EXPERTS if t not in (first, second))
    forged = DrawAct(do=DrawDo.ACCEPT, id=1).pack()
    await experts[outsider].press_data(forged, sent=experts[first].last())
    assert last_answer(world) == "这份邀请不是发给您的。"
    async with unit_of_work_factory(sessionmaker)() as uow:
        assert (await uow.draws.invitation(1)).status == "invited"

    await experts[first].press("婉拒")
    await experts[first].press("不说明")
    assert "您已婉拒第 1 号邀请" in experts[first].last().text
    assert "已婉拒" in unit.last().text and "已依次邀请备选专家" in unit.last().text
    third = next(t for t in invited(world) if t not in (first, second))
    assert EXPERTS[third][0] in unit.last().text

    accept = dict(experts[second].last().buttons())["接受"]
    await experts[second].press("接受")
    assert "您已接受第 1 号邀请" in experts[second].last().text
    await experts[third].press("接受")
    assert f"{EXPERTS[third][0]} 已接受" in unit.last().text
    await experts[second].press_data(accept)
    assert "无需再答复" in last_answer(world), "a double press changes nothing"

    await unit.send("/draws")
    assert "第 1 号　某煤矿隐患排查治理验收　2022-12-10 周六　已抽取　已接受 2/2" in unit.last().text

    await unit.press("第 1 号")
    labels = [label for label, _ in unit.last().buttons()]
    assert "刷新" in labels and not [x for x in labels if x.startswith("登记工作")], "not before the day"

    clock.at = datetime(2022, 12, 10, 18, 0, tzinfo=TZ)
    await unit.send("/draws")
    await unit.press("第 1 号")
    await unit.press(f"登记工作：{EXPERTS[second][0]}")
    await unit.send("三小时")
    assert "小时数" in unit.last().text
    await unit.send("3.5")
    await unit.press("5 分")
    await unit.send("认真负责，意见具体")
    await unit.send("800")
    assert f"已登记：{EXPERTS[second][0]}，3.5 小时，5 分，费用 800 元" in unit.texts()[-2]
    assert "评分 5 分，费用 800 元" in experts[second].last().text
    await experts[second].press("确认")
    assert "对“某煤矿隐患排查治理验收”的工作登记已确认" in unit.last().text

    async with unit_of_work_factory(sessionmaker)() as uow:
        expert_id = (await uow.draws.invitation(DrawAct.unpack(accept).id)).expert_id
        [(year, summary)] = await uow.draws.work_years(expert_id)
    assert (year, summary.count, summary.hours_tenths, summary.rating_avg, summary.fee_fen) == (
        2022, 1, 35, 5.0, 80000,
    )  # fmt: skip
    admin = world.user(900, "局长")
    await admin.send(f"/expert #{expert_id}")
    assert "2022 年参加抽取工作 1 次，共 3.5 小时，平均评分 5.0，费用 800 元" in admin.last().text
    await experts[second].send("/me")  # the expert sees what the bureau will weigh
    card, held = experts[second].texts()[-2:]
    assert "\n2022 年参加抽取工作 1 次，共 3.5 小时，平均评分 5.0，费用 800 元" in card, card
    assert held.endswith("\n工作已开始。") and not experts[second].last().buttons()
    await admin.send("/draws")  # every unit's requests: each line says whose
    assert "第 1 号　重庆市安全生产科学研究院项目部　某煤矿隐患排查治理验收" in admin.last().text

    charts = await stats.statistics(unit_of_work_factory(sessionmaker), by=None, today=date(2022, 12, 31))
    december = [m for m in charts.draws if m.month == "2022-12"]
    assert [(m.invited, m.accepted) for m in december] == [(3, 2)], "declined, then two accepted"

    monkeypatch.setenv("DATABASE_URL", sessionmaker.url_string())
    code, out, _ = await asyncio.to_thread(run, capsys, "draw", "verify", "1")
    assert code == 0, out
    assert re.fullmatch(r"第 1 轮：候选池 4 人，抽中 \d+, \d+：一致\n", out)
    code, out, _ = await asyncio.to_thread(run, capsys, "draw", "show", "1")
    assert code == 0
    assert out.startswith("抽取申请 1（")
    actions = [line.split()[2] for line in out.splitlines()[1:]]
    assert actions == [
        "提交申请（filed）", "抽取（drawn）", "婉拒（decline）", "依次邀请备选（invited）", "接受（accept）",
        "接受（accept）", "登记工作（work）", "专家确认工作（work_confirmed）",
    ], "named in Chinese, with the record's name an audit looks for"  # fmt: skip


async def test_an_unanswered_invitation_times_out_and_the_reserve_is_invited(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    await colleague(sessionmaker, clock)
    expert = await one_drawn(world, ready)
    first = expert.id
    clock.at = datetime(2022, 12, 2, 10, 1, tzinfo=TZ)
    await sender_pass(world, sessionmaker, clock)
    assert "已过答复期限" in world.session.inbox(first)[-1].text
    for person in (USER, 5002):  # everyone of the using unit is told
        assert any("逾期未答复" in m.text for m in world.session.inbox(person)[-2:])
    (second,) = invited(world)
    assert second != first
    await expert.press_data(DrawAct(do=DrawDo.ACCEPT, id=1).pack(), sent=world.session.inbox(first)[-2])
    assert "无需再答复" in last_answer(world)
    await sender_pass(world, sessionmaker, clock)
    assert [m.text for m in world.session.inbox(second)].count(world.session.inbox(second)[-1].text) == 1, (
        "sent exactly once"
    )


@pytest.mark.production_loop
async def test_two_requests_for_the_same_day_never_book_one_expert_twice(
    sessionmaker, clock, ready: OfflineUser
) -> None:
    uows, user, form = await service_side(sessionmaker, wanted=3)
    ids = [
        (await draws.file_request(uows, person_id=user, form=form, now=clock.now())).request.id
        for _ in range(3)
    ]
    results = await asyncio.gather(
        *(
            draws.draw(uows, person_id=user, request_id=i, now=clock.now(), holder=f"h{i}")
            for i in ids
        ),
        return_exceptions=True,
    )
    async with uows() as uow:
        rows = (await uow.session.execute(select(Booking.expert_id, Booking.day))).all()
        invitations = (await uow.session.execute(select(Invitation.status))).all()
    assert len(rows) == len(set(rows)) == 4, "the four in the pool, each booked once"
    assert sum(1 for (s,) in invitations if s == "invited") == 4
    assert sum(1 for r in results if not isinstance(r, Exception)) >= 2
    for r in results:
        if isinstance(r, Exception):
            assert "没有符合条件的专家" in str(r)


async def test_a_draw_is_recorded_so_that_tampering_is_found(sessionmaker, clock, ready) -> None:
    uows, user, form = await service_side(sessionmaker, wanted=1)
    view = await draws.file_request(uows, person_id=user, form=form, now=clock.now())
    await draws.draw(uows, person_id=user, request_id=view.request.id, now=clock.now(), holder="h")
    assert [c.problems for c in await draw_admin.verify(uows, view.request.id)] == [()]
    async with uows() as uow:
        invitation = await uow.session.scalar(select(Invitation))
        invitation.position = 2  # as if the first in the order had been passed over
        await uow.commit()
    assert (await draw_admin.verify(uows, view.request.id))[0].problems == ("invitations",)
    async with uows() as uow:
        invitation = await uow.session.scalar(select(Invitation))
        invitation.position = 1
        await uow.commit()
    async with uows() as uow:
        event = await uow.session.scalar(select(DrawEvent).where(DrawEvent.action == "drawn"))
        event.detail = {**event.detail, "drawn": list(reversed(event.detail["reserve"]))[:1]}
        await uow.commit()
    assert "drawn" in (await draw_admin.verify(uows, view.request.id))[0].problems


async def test_wrong_answers_in_the_request_form_are_refused_and_change_nothing(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    await unit.send("/draw")
    await unit.press("下一步")
    assert last_answer(world) == "请至少选择一个专业组。"
    await unit.press("矿山")
    await unit.press("下一步")
    await unit.send("下个月中旬")
    assert "没有看懂日期" in unit.last().text
    await unit.send("2022-11-30")
    assert "日期须晚于今天（2022-12-01）" in unit.last().text
    await unit.send_photo(b"not really a photo")
    assert unit.last().text == "这一步需要文字回答。"
    await unit.send("2022-12-10，2022-12-11")
    await unit.send("地" * 101)
    assert "最多 100 字，您输入了 101 字" in unit.last().text
    await unit.send("渝北区")
    await unit.send("某项目")
    await unit.send("评审会")
    assert unit.last().text == t.BUTTON_EXPECTED, "typed where a button is asked: not 已失效"
    await unit.press("评审")
    await unit.send("21")
    assert "请输入 1–20 之间的整数" in unit.last().text
    await unit.send("1")
    await unit.send("渝北")  # a district by its full name would be ticked
    assert unit.last().text == t.BUTTON_EXPECTED
    await unit.press("下一步")
    await unit.send("CQGSYF-2099-0001")
    assert "找不到证书编号 CQGSYF-2099-0001" in unit.last().text
    await unit.send("重庆大学\nCQGSYF-2022-9002\n丙专家")
    await unit.press("完成")
    confirm = unit.last()
    file_press = dict(confirm.buttons())["提交申请"]
    assert "日期：2022-12-10 周六、2022-12-11 周日" in confirm.text
    assert "回避：本单位；单位：重庆大学、CQGSYF-2022-9002、丙专家（CQGSYF-2022-9003）" in confirm.text
    await unit.press("提交申请")
    assert "当前可抽取专家：1 人。" in unit.last().text, "重庆大学's two, 乙 by number, 戊 own unit"
    await unit.press_data(file_press, sent=confirm)
    assert last_answer(world) == t.FORM_NOT_CURRENT, "a second press files nothing"
    async with unit_of_work_factory(sessionmaker)() as uow:
        assert await uow.draws.request(2) is None


async def test_a_late_answer_is_refused_even_before_the_timeout_is_processed(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    expert = await one_drawn(world, unit)
    clock.at = datetime(2022, 12, 2, 10, 0, tzinfo=TZ)
    await expert.press("接受")
    assert last_answer(world) == "答复期限 2022-12-02 10:00 已过，这份邀请已失效。"
    async with unit_of_work_factory(sessionmaker)() as uow:
        assert (await uow.draws.invitation(1)).status == "invited", "left for the timeout pass"


async def test_only_a_using_unit_may_ask_and_only_its_own_requests(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    stranger = world.user(6001, "甲专家")
    await stranger.send("/draw")
    assert stranger.last().text == "只有使用单位可以申请抽取专家。请联系市人力社保局开通。"
    await file_request(ready)
    await stranger.press_data(DrawAct(do=DrawDo.DRAW, id=1).pack())
    assert last_answer(world) == "这不是您单位的抽取申请。"
    await stranger.press_data(DrawAct(do=DrawDo.GROUP, id=999).pack())
    assert "失效" in last_answer(world) or "过期" in last_answer(world)


async def test_an_expert_who_accepted_may_still_say_they_cannot_come_before_the_day(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    expert = await one_drawn(world, unit)
    first = expert.id
    await expert.press("接受")
    await expert.press("无法参加")
    assert expert.last().text == t.ASK_WITHDRAW_REASON, "not asked why they 婉拒 an accepted one"
    assert "返回（仍参加）" in dict(expert.last().buttons())
    await expert.send("临时出差。")
    assert expert.last().text.startswith("已告知使用单位您无法参加第 1 号邀请")
    assert "接受后告知无法参加。原因：临时出差。已依次邀请备选专家" in unit.last().text
    (second,) = invited(world)
    assert second != first
    late = world.user(second, EXPERTS[second][0])
    await late.press("接受")
    clock.at = datetime(2022, 12, 10, 8, 0, tzinfo=TZ)
    await late.press("无法参加")
    assert last_answer(world) == t.TOO_LATE_TO_WITHDRAW.format(day="2022-12-10")


async def test_the_expert_is_reminded_the_day_before_and_the_unit_to_record_the_work(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    expert = await one_drawn(world, unit)
    first = expert.id
    await expert.press("接受")
    clock.at = datetime(2022, 12, 9, 7, 0, tzinfo=TZ)
    await sender_pass(world, sessionmaker, clock)
    assert "明天" not in expert.last().text, "not before nine in the morning"
    clock.at = datetime(2022, 12, 9, 9, 30, tzinfo=TZ)
    await sender_pass(world, sessionmaker, clock)
    assert expert.last().text == "提醒：明天起您参加第 1 号邀请“某煤矿隐患排查治理验收”（2022-12-10 周六，渝北区某矿井）。"
    before = len(expert.inbox())
    await sender_pass(world, sessionmaker, clock)
    assert len(expert.inbox()) == before, "once"
    clock.at = datetime(2022, 12, 11, 10, 0, tzinfo=TZ)
    await sender_pass(world, sessionmaker, clock)
    assert f"尚未登记以下专家的工作：{EXPERTS[first][0]}" in unit.last().text


async def test_a_redraw_round_has_its_own_committed_key_and_both_rounds_verify(
    sessionmaker, clock, ready: OfflineUser
) -> None:
    uows, user, form = await service_side(sessionmaker, wanted=5)
    view = await draws.file_request(uows, person_id=user, form=form, now=clock.now())
    first = await draws.draw(uows, person_id=user, request_id=view.request.id, now=clock.now(), holder="h")
    assert len(first.view.invitations) == 4 and first.view.may_draw, "the pool had only four"
    await appointed(
        sessionmaker, Spec(6009, "壬专家", unit_code="CQJT01", certificate_no="CQGSYF-2022-9009")
    )
    second = await draws.draw(uows, person_id=user, request_id=view.request.id, now=clock.now(), holder="h")
    assert [r.round_no for r in second.view.rounds] == [1, 2]
    checks = await draw_admin.verify(uows, view.request.id)
    assert [(c.round_no, c.problems, c.pool_size) for c in checks] == [(1, (), 4), (2, (), 1)]
    async with uows() as uow:
        events = await uow.draws.events(view.request.id)
    keys = [detail["key"] for action, detail, _, _ in events if action == "drawn"]
    assert keys[0] != keys[1], "a fresh key for the redraw, committed when round 1 was drawn"


async def test_two_declines_at_once_on_one_request_invite_two_reserves(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    uows = unit_of_work_factory(sessionmaker)
    await file_request(ready)  # two of the four
    await ready.press("抽取专家")
    async with uows() as uow:
        invitations = await uow.draws.invitations(1)
    results = await asyncio.gather(
        *(
            draws.answer_invitation(
                uows, person_id=i.person_id, invitation_id=i.id, accept=False, reason=None,
                now=clock.now(), holder=f"h{i.id}",
            )  # fmt: skip
            for i in invitations
        ),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, BaseException)]
    async with uows() as uow:
        statuses = sorted(i.status for i in await uow.draws.invitations(1))
    assert statuses == ["declined", "declined", "invited", "invited"], "each decline its own reserve"


async def test_nothing_is_drawn_accepted_or_cancelled_once_the_work_has_begun(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    await file_request(unit, wanted="1")
    clock.at = datetime(2022, 12, 9, 22, 0, tzinfo=TZ)
    await unit.press("抽取专家")
    (first,) = invited(world)
    expert = world.user(first, EXPERTS[first][0])
    assert "请在 2022-12-10 00:00 前答复" in expert.last().text, "not after the work has begun"
    clock.at = datetime(2022, 12, 10, 8, 0, tzinfo=TZ)
    await expert.press("接受")
    assert last_answer(world) == "工作已于 2022-12-10 开始，不能再接受这份邀请。"
    await unit.send("/draws")
    await unit.press("第 1 号")
    assert "取消申请" not in [label for label, _ in unit.last().buttons()]
    await unit.press_data(DrawAct(do=DrawDo.CANCEL, id=1).pack())
    assert last_answer(world) == "工作已于 2022-12-10 开始，不能再取消；请登记专家的工作。"


async def test_the_unit_may_step_back_from_cancelling_and_the_expert_from_declining(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    expert = await one_drawn(world, unit)
    await unit.press("取消申请")
    await unit.press("不取消")
    await unit.send("随便说点什么")
    async with unit_of_work_factory(sessionmaker)() as uow:
        assert (await uow.draws.request(1)).status == "drawn", "typing after 不取消 cancels nothing"
    await expert.press("婉拒")
    await expert.press("返回")
    assert expert.last().text == "邀请仍待您答复："
    await expert.press("接受")
    assert "您已接受第 1 号邀请" in expert.last().text
    await start_request(unit)
    await unit.send("²")
    assert "请输入 1–20 之间的整数" in unit.last().text


async def expert_of_invitation(sessionmaker, invitation_id: int) -> int:
    async with unit_of_work_factory(sessionmaker)() as uow:
        return (await uow.draws.invitation(invitation_id)).expert_id


async def test_a_dismissed_experts_acceptance_ends_the_reserve_is_invited_and_a_stale_press_is_refused(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    expert = await one_drawn(world, unit)
    name, invitation = EXPERTS[expert.id][0], expert.last()
    await expert.press("接受")
    admin = world.user(900, "局长")
    await admin.send(f"/expert #{await expert_of_invitation(sessionmaker, 1)}")
    await admin.press("解聘")
    await admin.send("违反专家工作纪律")
    await admin.press("确认解聘")
    assert f"已解聘 {name}" in admin.texts()[-2]
    async with unit_of_work_factory(sessionmaker)() as uow:
        assert (await uow.draws.invitation(1)).status == "left", "in the dismissal's transaction"
        booked = (await uow.session.execute(select(Booking.invitation_id))).scalars().all()
    assert 1 not in booked, "the accepted day is free"

    await sender_pass(world, sessionmaker, clock)
    (reserve,) = invited(world)
    assert reserve != expert.id
    assert (
        f"第 1 号申请：{name} 已不再担任专家。已依次邀请备选专家 {EXPERTS[reserve][0]}。"
        in unit.texts()
    )
    await expert.press_data(DrawAct(do=DrawDo.ACCEPT, id=1).pack(), sent=invitation)
    assert last_answer(world) == t.NOT_SERVING
    async with unit_of_work_factory(sessionmaker)() as uow:
        assert (await uow.draws.invitation(1)).status == "left", "the press changed nothing"
        assert (await uow.draws.invitation(2)).status == "invited"
    await unit.send("/draws")
    await unit.press("第 1 号")
    assert f"{name}（" in unit.last().text and "已终止（专家已不在库）" in unit.last().text


async def test_a_confirmed_withdrawal_ends_a_pending_invitation_as_a_dismissal_does(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    expert = await one_drawn(world, unit)
    name = EXPERTS[expert.id][0]
    await expert.send("/me")
    await expert.press("申请退出专家库")
    await expert.send("工作调动")
    admin = world.user(900, "局长")
    await admin.send(f"/expert #{await expert_of_invitation(sessionmaker, 1)}")
    await admin.press("确认退出")
    await admin.press("确认退出")  # the confirmation's
    assert admin.last().text == f"已确认 {name} 退出专家库。"
    await sender_pass(world, sessionmaker, clock)
    (reserve,) = invited(world)
    assert reserve != expert.id
    assert f"第 1 号申请：{name} 已不再担任专家。已依次邀请备选专家" in unit.last().text
    await expert.press_data(DrawAct(do=DrawDo.DECLINE, id=1).pack())
    assert last_answer(world) == t.NOT_SERVING
    async with unit_of_work_factory(sessionmaker)() as uow:
        assert [i.status for i in await uow.draws.invitations(1)] == ["left", "invited"]


async def test_leave_that_is_over_already_is_refused(
    sessionmaker, clock, ready: OfflineUser, capsys, monkeypatch
) -> None:
    """A leave keeps an expert out of draws from now on: one whose last day has passed (at
    FILED_AT, 2022-12-01) is refused, here and from the command line; one ending today is not."""
    from bot.domain.errors import NotAllowed
    from storage.models import ExpertLeave

    uows = unit_of_work_factory(sessionmaker)

    async def leave(starts_on: date, ends_on: date) -> int:
        return await draw_admin.record_leave(
            uows, certificate_no="CQGSYF-2022-9001", starts_on=starts_on, ends_on=ends_on,
            reason=None, by=None, now=clock.now(),
        )  # fmt: skip

    with pytest.raises(NotAllowed) as past:
        await leave(date(2022, 11, 1), date(2022, 11, 30))
    assert str(past.value) == (
        "请假期间已经过去（最后一天 2022-11-30 早于今天 2022-12-01）：请假须到今天或以后才结束。"
    )
    with pytest.raises(NotAllowed, match="请假的最后一天 2022-12-05 早于第一天 2022-12-09"):
        await leave(date(2022, 12, 9), date(2022, 12, 5))
    await leave(date(2022, 11, 28), date(2022, 12, 1))
    monkeypatch.setenv("DATABASE_URL", sessionmaker.url_string())
    code, _, err = await asyncio.to_thread(
        run, capsys, "draw", "leave", "CQGSYF-2022-9001", "--from", "2022-01-03", "--to", "2022-01-07"
    )
    assert code == 2 and "请假期间已经过去（最后一天 2022-01-07" in err
    code, _, err = await asyncio.to_thread(
        run, capsys, "draw", "leave", "cqgsyf-2099-0001", "--from", "2099-12-03", "--to", "2099-12-07"
    )
    assert code == 2 and "找不到聘书编号 CQGSYF-2099-0001 的专家" in err, "not in English"
    async with sessionmaker() as session:
        kept = (await session.execute(select(ExpertLeave.starts_on, ExpertLeave.ends_on))).all()
    assert sorted(tuple(k) for k in kept) == [
        (date(2022, 11, 28), date(2022, 12, 1)),
        (date(2022, 12, 9), date(2022, 12, 12)),  # 辛专家's, from the fixture
    ]


def cert(telegram_id: int) -> str:
    """The certificate number of the fixture's expert with this Telegram id."""
    return f"CQGSYF-2022-{9000 + telegram_id - 6000:04d}"


async def drawn_with_one_accepted(
    world: OfflineWorld, unit: OfflineUser, sessionmaker, clock, monkeypatch
) -> tuple[int, int]:
    """A request filed and drawn; the first invited expert accepts, the second has not answered.
    The command line then runs on the test's database and clock."""
    await file_request(unit)
    await unit.press("抽取专家")
    first, second = sorted(invited(world))
    await world.user(first, EXPERTS[first][0]).press("接受")
    monkeypatch.setenv("DATABASE_URL", sessionmaker.url_string())
    monkeypatch.setattr("bot.clock.SystemClock.now", lambda self: clock.now())
    return first, second


async def test_me_lists_the_invitations_that_hold_the_experts_days_with_their_buttons(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser, monkeypatch
) -> None:
    """QA: an expert's invitations were only in the chat's history, where a busy chat buries
    them. /me lists those that hold their days, each with what can still be done about it:
    接受 / 婉拒 while it waits, 无法参加 once accepted."""
    unit = ready
    first, second = await drawn_with_one_accepted(world, unit, sessionmaker, clock, monkeypatch)
    accepted = world.user(first, EXPERTS[first][0])
    await accepted.send("/me")
    card, held = accepted.texts()[-2:]
    assert "邀请：1 份（已接受 1 份），见下。" in card, card
    assert held.startswith("第 1 号邀请：已接受\n"), held
    assert "某煤矿隐患排查治理验收（验收）" in held and "2022-12-10 周六" in held, held
    assert [label for label, _ in accepted.last().buttons()] == ["无法参加（告知使用单位）"]

    waiting = world.user(second, EXPERTS[second][0])
    await waiting.send("/me")
    card, held = waiting.texts()[-2:]
    assert "邀请：1 份（待答复 1 份），见下。" in card, card
    assert held.startswith("第 1 号邀请：待答复\n") and "前答复" in held, held
    drawn_at = clock.at
    clock.at = datetime(2022, 12, 2, 10, 1, tzinfo=TZ)  # past its reply time, before the pass
    await waiting.send("/me")
    assert waiting.last().text.startswith("第 1 号邀请：逾期未答复\n"), waiting.last().text
    assert not waiting.last().buttons()
    clock.at = drawn_at
    await waiting.send("/me")
    await waiting.press("接受")
    assert "您已接受第 1 号邀请（某煤矿隐患排查治理验收，2022-12-10 周六）" in waiting.last().text

    idle = world.user(next(x for x in EXPERTS if x not in (first, second, 6005)), "闲")
    await idle.send("/me")
    assert "邀请" not in idle.last().text, "nothing said of invitations they do not have"


async def test_leave_names_the_expert_and_the_invitations_they_already_hold(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser, capsys, monkeypatch
) -> None:
    """QA: `draw leave` said "专家 1" and nothing of the invitations the expert already held on
    those days. It names them by name and certificate, and lists each invitation (invited or
    accepted) with what the bureau can do; the leave itself changes none of them."""
    unit = ready
    first, second = await drawn_with_one_accepted(world, unit, sessionmaker, clock, monkeypatch)

    code, out, _ = await asyncio.to_thread(
        run, capsys, "draw", "leave", cert(first).lower(), "--from", "2022-12-09", "--to", "2022-12-11"
    )
    assert code == 0, out
    assert out.splitlines() == [
        f"已登记 {EXPERTS[first][0]}（{cert(first)}）2022-12-09 至 2022-12-11 请假：这些日期不参加抽取。",
        "  请假不改变已发出的邀请，以下邀请仍为其保留这些日期（1 份）：",
        "  第 1 号申请（重庆市安全生产科学研究院项目部，某煤矿隐患排查治理验收）：已接受，涉及 2022-12-10",
        "    处理：请专家在邀请上点“无法参加”，将依次邀请备选专家；或由使用单位在 /draws 取消该申请；"
        "专家无法自己操作时，加 --release 再登记一次，由市局代为答复。",
    ]
    code, out, _ = await asyncio.to_thread(
        run, capsys, "draw", "leave", cert(second), "--from", "2022-12-10", "--to", "2022-12-10"
    )
    assert code == 0, out
    assert "：待答复，涉及 2022-12-10" in out and "点“婉拒”" in out
    idle = next(x for x in EXPERTS if x not in (first, second, 6005))
    code, out, _ = await asyncio.to_thread(
        run, capsys, "draw", "leave", cert(idle), "--from", "2022-12-10", "--to", "2022-12-10"
    )
    assert out.splitlines() == [
        f"已登记 {EXPERTS[idle][0]}（{cert(idle)}）2022-12-10 至 2022-12-10 请假：这些日期不参加抽取。",
        "  这些日期没有已发出的邀请。",
    ]
    async with unit_of_work_factory(sessionmaker)() as uow:
        assert sorted(i.status for i in await uow.draws.invitations(1)) == ["accepted", "invited"], (
            "nothing cancelled by the leave"
        )


async def test_leave_with_release_declines_the_invitations_on_those_days_for_the_expert(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser, capsys, monkeypatch
) -> None:
    """QA: an expert taken ill could only be asked to press 婉拒 or 无法参加 on each invitation;
    the bureau that recorded the leave could not release them. `--release` does it for them:
    each invitation on those days ends as their answer would, the unit and the expert are told,
    and the next in the reserve is invited."""
    unit = ready
    first, second = await drawn_with_one_accepted(world, unit, sessionmaker, clock, monkeypatch)
    code, out, _ = await asyncio.to_thread(
        run, capsys, "draw", "leave", cert(first), "--from", "2022-12-09", "--to", "2022-12-11",
        "--reason", "住院治疗", "--release",
    )  # fmt: skip
    assert code == 0, out
    assert out.splitlines()[1:] == [
        "  以下邀请与请假日期冲突（1 份），工作尚未开始的已代专家答复：",
        "  第 1 号申请（重庆市安全生产科学研究院项目部，某煤矿隐患排查治理验收）：已接受，涉及 2022-12-10",
        "    已代专家告知无法参加：这些日期不再为其保留，将依次邀请备选专家，使用单位和专家都会收到通知。",
    ]
    await sender_pass(world, sessionmaker, clock)
    expert = world.user(first, EXPERTS[first][0])
    assert expert.last().text == (
        "市人力社保局已登记您 2022-12-09 至 2022-12-11 请假，并代您告知使用单位无法参加"
        "第 1 号邀请（某煤矿隐患排查治理验收，2022-12-10 周六）：这些日期不再为您保留。"
    )
    told = unit.last().text
    assert f"第 1 号申请：{EXPERTS[first][0]} 接受后告知无法参加。原因：请假（住院治疗）。" in told, told
    assert "已依次邀请备选专家" in told, told
    async with unit_of_work_factory(sessionmaker)() as uow:
        statuses = [(i.id, i.status) for i in await uow.draws.invitations(1)]
    assert sorted(s for _, s in statuses) == ["declined", "invited", "invited"], statuses
    [released] = [i for i, status in statuses if status == "declined"]
    await expert.press_data(DrawAct(do=DrawDo.DECLINE, id=released).pack())
    assert last_answer(world) == "这份邀请的状态为“已婉拒”，无需再答复。", "a late press changes nothing"


async def test_leave_registered_again_with_release_as_advised_is_not_recorded_twice(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser, capsys, monkeypatch
) -> None:
    """QA: `draw leave` advises "加 --release 再登记一次"; doing so stored a second leave for
    the same days. The days already held by a leave are not recorded again (the output says
    so), and the invitations are answered as with --release the first time."""
    from sqlalchemy import func, select

    from storage.models import ExpertLeave

    unit = ready
    first, _ = await drawn_with_one_accepted(world, unit, sessionmaker, clock, monkeypatch)
    leave = ("draw", "leave", cert(first), "--from", "2022-12-09", "--to", "2022-12-11")
    code, out, _ = await asyncio.to_thread(run, capsys, *leave)
    async with unit_of_work_factory(sessionmaker)() as uow:
        expert_id = await uow.registry.expert_by_certificate(cert(first))
    assert code == 0 and "加 --release 再登记一次" in out, out
    code, out, _ = await asyncio.to_thread(run, capsys, *leave, "--release")
    assert code == 0, out
    assert out.splitlines()[:2] == [
        f"{EXPERTS[first][0]}（{cert(first)}）2022-12-09 至 2022-12-11 的请假此前已登记，不重复登记。",
        "  以下邀请与请假日期冲突（1 份），工作尚未开始的已代专家答复：",
    ], out
    code, out, _ = await asyncio.to_thread(  # days within that leave: held already
        run, capsys, "draw", "leave", cert(first), "--from", "2022-12-10", "--to", "2022-12-10"
    )
    assert "此前已登记" in out.splitlines()[0], out
    async with sessionmaker() as session:
        held = select(func.count()).where(ExpertLeave.expert_id == expert_id)
        assert await session.scalar(held) == 1


async def test_leave_for_an_expert_out_of_service_is_refused(
    sessionmaker, clock, ready: OfflineUser, capsys, monkeypatch
) -> None:
    """QA: `draw leave` recorded leave for a dismissed expert. A former expert is never drawn,
    so their leave means nothing: refused in Chinese, here and from the command line."""
    from bot.domain.errors import NotAllowed
    from bot.services import experts
    from storage.models import ExpertLeave

    uows = unit_of_work_factory(sessionmaker)
    await experts.dismiss(uows, expert_id=1, reason="违反纪律", by=None, now=clock.now())
    with pytest.raises(NotAllowed) as refused:
        await draw_admin.record_leave(
            uows, certificate_no="cqgsyf-2022-9001", starts_on=date(2022, 12, 9),
            ends_on=date(2022, 12, 12), reason=None, by=None, now=clock.now(),
        )  # fmt: skip
    assert str(refused.value) == (
        "CQGSYF-2022-9001 的专家目前“已解聘”，已不在专家库中任职，不能登记请假。"
    )
    monkeypatch.setenv("DATABASE_URL", sessionmaker.url_string())
    code, _, err = await asyncio.to_thread(
        run, capsys, "draw", "leave", "CQGSYF-2022-9001", "--from", "2099-01-05", "--to", "2099-01-09"
    )  # the command line's clock is the machine's: days still to come
    assert code == 2 and "已解聘" in err and "不能登记请假" in err
    async with sessionmaker() as session:
        kept = list(await session.scalars(select(ExpertLeave.expert_id)))
    assert 1 not in kept


async def test_a_used_up_reserve_over_an_empty_pool_does_not_offer_a_redraw(
    world: OfflineWorld, sessionmaker, clock, ready: OfflineUser
) -> None:
    unit = ready
    await file_request(unit)
    await unit.press("抽取专家")
    while pending := invited(world):
        for telegram_id in pending:
            expert = world.user(telegram_id, EXPERTS[telegram_id][0])
            await expert.press("婉拒")
            await expert.press("不说明")
    await unit.press_data(DrawAct(do=DrawDo.OPEN, id=1).pack())
    card = unit.last()
    assert "重新抽取（补足人数）" not in card.text, "no such button: the pool is empty"
    assert t.SHORT.format(missing=2) + t.NO_REDRAW in card.text
    assert not any("重新抽取" in label for label, _ in card.buttons())
