"""The /draw request form as a using unit fills it in, mistakes included: buttons left behind on an
earlier form, 回避 sent over several messages, and what the unit is told when the reserve runs out."""

from __future__ import annotations

import asyncio

import pytest

from bot.offline import OfflineUser, OfflineWorld
from bot.texts import draws as t
from handlers.callbacks import DrawAct, DrawDo
from storage.uow import unit_of_work_factory
from tests.flows.review_helpers import last_answer
from tests.flows.test_draws import EXPERTS, FILED_AT, invited, using_unit
from tests.support.experts import Spec, appointed


@pytest.fixture
async def unit(world: OfflineWorld, sessionmaker, clock) -> OfflineUser:
    """The using unit's person, with the five 矿山 experts of tests.flows.test_draws appointed."""
    clock.at = FILED_AT
    await using_unit(sessionmaker, clock)
    await appointed(
        sessionmaker, *(Spec(tid, name, unit_code=code) for tid, (name, code) in EXPERTS.items())
    )
    return world.user(5001, "项目负责人")


async def to_avoid_step(
    unit: OfflineUser, project: str = "某煤矿隐患排查治理验收", wanted: str = "1"
) -> None:
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.press("下一步")
    await unit.send("2022-12-10")
    await unit.send("渝北区某矿井")
    await unit.send(project)
    await unit.press("验收")
    await unit.send(wanted)
    await unit.press("下一步")
    assert unit.last().text == t.ASK_AVOID


async def requests(sessionmaker) -> list[str]:
    async with unit_of_work_factory(sessionmaker)() as uow:
        rows = await uow.draws.requests_of([u.id for u in await uow.draws.using_units()], 20)
    return [r.project for r in rows]


async def test_an_old_forms_cancel_button_leaves_the_newer_form_alone(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await unit.send("/draw")
    await unit.press("矿山")
    old = unit.last()
    await unit.send("/draw")
    await unit.press("危化")
    await unit.press("下一步")
    await unit.press("放弃", message=old)
    assert last_answer(world) == t.FORM_NOT_CURRENT
    await unit.send("2022-12-10")
    assert unit.last().text.endswith(t.ASK_PLACE), "the newer form goes on where it was"
    await unit.press("矿山", message=old)
    assert last_answer(world) == t.FORM_NOT_CURRENT, "nor does an old form's other button act"


async def test_an_old_confirmation_card_neither_files_nor_cancels_the_newer_form(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await to_avoid_step(unit, project="旧项目")
    await unit.press("无")
    old = unit.last()
    assert "项目：旧项目" in old.text
    await to_avoid_step(unit, project="新项目")
    await unit.press("无")
    await unit.press("提交申请", message=old)
    assert last_answer(world) == t.FORM_NOT_CURRENT
    assert await requests(sessionmaker) == [], "the old card does not file the newer form"
    await unit.press("放弃", message=old)
    assert last_answer(world) == t.FORM_NOT_CURRENT
    await unit.press("提交申请")
    assert await requests(sessionmaker) == ["新项目"]
    await unit.press("放弃", message=old)
    assert last_answer(world) == t.FORM_NOT_CURRENT, "after filing, an old card is still old"


async def test_an_old_cancel_button_does_not_end_another_step_in_progress(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await unit.send("/draw")
    old = unit.last()
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press("提交申请")
    await unit.press("取消申请")
    await unit.press("放弃", message=old)
    assert last_answer(world) == t.FORM_NOT_CURRENT
    await unit.send("不再需要")
    assert unit.texts()[-2] == t.CANCELLED.format(request_id=1), "the reason step was kept"


async def test_avoid_lines_sent_one_per_message_are_all_added(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await to_avoid_step(unit)
    question = unit.last()
    none = dict(question.buttons())["无"]
    await unit.send("重庆大学")
    assert unit.last().text.startswith("已加入回避：单位：重庆大学。\n目前回避：本单位；单位：重庆大学。")
    assert not question.buttons(), "answered by the line: its 无 goes"
    assert t.AVOID_MORE in unit.last().text
    assert [label for label, _ in unit.last().buttons()] == ["完成", "清空重填"]
    await unit.send("丙专家")
    assert "已加入回避：丙专家（CQGSYF-2022-9003）。" in unit.last().text
    await unit.send("CQGSYF-2022-9002\n\nCQGSYF-2099-0001\n重庆大学")
    reply = unit.last().text
    assert "已加入回避：CQGSYF-2022-9002。" in reply, "a blank line between two is no error"
    assert "已在回避名单中：单位：重庆大学。" in reply
    assert "找不到证书编号 CQGSYF-2099-0001，没有加入" in reply
    assert "目前回避：本单位；单位：重庆大学、丙专家（CQGSYF-2022-9003）、CQGSYF-2022-9002。" in reply
    await unit.press_data(none, question)  # a client that still showed the 无
    assert last_answer(world) == t.AVOID_NONE_BUT_LISTED.format(count=3), "无 does not drop them"
    await unit.send("无")
    assert unit.last().text == t.AVOID_NONE_BUT_LISTED.format(count=3), "typed, no more than pressed"
    await unit.send("完成")
    left = [m.text for m in unit.inbox() if "完成" in {label for label, _ in m.buttons()}]
    assert not left, "typed, the button's word takes the buttons away as a press would"
    confirm = unit.last().text
    assert "回避：本单位；单位：重庆大学、丙专家（CQGSYF-2022-9003）、CQGSYF-2022-9002" in confirm
    await unit.press("提交申请")
    assert "当前可抽取专家：1 人。" in unit.last().text, "重庆大学's two, 乙 by number, 戊 own unit"
    async with unit_of_work_factory(sessionmaker)() as uow:
        request = await uow.draws.request(1)
    assert request.avoid_units == ("重庆大学",) and len(request.avoid_experts) == 2


async def test_text_at_the_confirmation_is_said_unsaved_and_the_avoid_list_can_be_changed(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.send("重庆大学")
    assert unit.last().text == t.CONFIRM_TEXT_NOT_SAVED
    await unit.press("修改回避")
    assert unit.last().text.startswith(t.AVOID_ONLY_OWN)
    await unit.send("重庆大学")
    await unit.send("丁专家")
    await unit.press("清空重填")
    assert unit.last().text.startswith(t.AVOID_CLEARED + "\n" + t.AVOID_ONLY_OWN)
    await unit.send("重庆交通运输集团")
    await unit.press("完成")
    assert "回避：本单位；单位：重庆交通运输集团\n" in unit.last().text
    await unit.press("修改回避")
    assert "目前回避：本单位；单位：重庆交通运输集团。" in unit.last().text, "kept on the way back"
    await unit.send("甲专家\n" + "\n".join(f"单位{n}" for n in range(19)))
    assert unit.last().text == t.TOO_MANY_AVOID.format(max=20, have=1)
    await unit.send("某" * 101)
    assert "一行过长（最多 100 字）：这条消息的内容都没有加入" in unit.last().text
    await unit.press("完成")
    assert "回避：本单位；单位：重庆交通运输集团\n" in unit.last().text, "the refused ones are not in"



async def test_every_answer_can_be_changed_from_the_confirmation_card_keeping_the_others(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await to_avoid_step(unit, wanted="1")
    await unit.press("无")
    card = unit.last()
    labels = [label for label, _ in card.buttons()]
    assert labels == [
        "提交申请", "修改专业组", "修改日期", "修改地点", "修改项目", "修改类型", "修改人数",
        "修改区县", "修改回避", "放弃",
    ]  # fmt: skip
    edit_project = dict(card.buttons())["修改项目"]
    await unit.press("修改地点")
    assert unit.last().text.endswith("现为：渝北区某矿井。请发送新的内容；不改请点“不修改”，回到核对。")
    await unit.press_data(edit_project, sent=card)  # a double press, or a client slow to redraw
    assert last_answer(world) == t.FORM_NOT_CURRENT, "the card left behind is no longer the form's"
    await unit.send("2022-12-20")  # a place that reads as a day is the place, when it is changed
    await unit.press("修改日期")
    await unit.send("2022-11-30")
    assert unit.last().text == "日期须晚于今天（2022-12-01）。"
    await unit.send("2022-12-12, 2022-12-13")
    assert "日期：2022-12-12 周一、2022-12-13 周二\n地点：2022-12-20\n" in unit.last().text, "days replaced"
    await unit.press("修改人数")
    await unit.send("21")
    assert unit.last().text == t.BAD_WANTED.format(max=20)
    await unit.send("2")
    await unit.press("修改类型")
    await unit.press("评审")
    await unit.press("修改项目")
    question = unit.last()
    unchanged = dict(question.buttons())["不修改"]
    await unit.press_data(unchanged, sent=question)
    await unit.press_data(unchanged, sent=question)
    assert last_answer(world) == t.FORM_STEP_DONE, "a second press changes nothing"
    await unit.press("修改项目")
    question = unit.last()
    await unit.send("不修改")  # the button's label typed as it reads
    assert not question.buttons() and unit.last().text.startswith("请核对抽取申请")
    await unit.press("修改专业组")
    assert "✅ 矿山" in [label for label, _ in unit.last().buttons()], "ticked as they were"
    await unit.press("危化")
    await unit.press("下一步")
    await unit.press("修改区县")
    await unit.press("渝北区")
    await unit.press("下一步")
    await unit.press("修改回避")
    await unit.send("重庆大学")
    await unit.press("完成")
    confirm = unit.last().text
    assert confirm.startswith(
        "请核对抽取申请：\n使用单位：重庆市安全生产科学研究院项目部\n专业组：矿山、危化\n"
        "日期：2022-12-12 周一、2022-12-13 周二\n地点：2022-12-20\n项目：某煤矿隐患排查治理验收（评审）\n"
        "人数：2 人\n优先区县：渝北区\n回避：本单位；单位：重庆大学\n"
    ), confirm
    await unit.send("还有一个")
    assert unit.last().text == t.CONFIRM_TEXT_NOT_SAVED
    await unit.press("提交申请")
    async with unit_of_work_factory(sessionmaker)() as uow:
        request = await uow.draws.request(1)
    assert request is not None
    assert (request.place, request.wanted, request.work_kind, request.groups) == (
        "2022-12-20", 2, "review", ("矿山", "危化")
    )
    assert [x.isoformat() for x in request.days] == ["2022-12-12", "2022-12-13"]
    assert request.avoid_units == ("重庆大学",)


async def test_a_confirmation_card_sent_before_each_step_had_its_button_still_changes_avoid(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    """修改回避 kept its data (dr:e:0) on the cards in chats: pressed, it still goes back to 回避."""
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press_data(DrawAct(do=DrawDo.AVOID_EDIT).pack(), sent=unit.last())
    assert unit.last().text.startswith(t.AVOID_ONLY_OWN)
    await unit.send("重庆大学")
    await unit.press("完成")
    assert "回避：本单位；单位：重庆大学\n" in unit.last().text


async def test_a_buttons_label_typed_at_a_reason_step_is_the_button_not_the_reason(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    """QA: 不取消 typed when asked for a cancel reason cancelled the request, its reason 不取消;
    返回 typed when asked why not declined the invitation."""
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press("提交申请")
    await unit.press("抽取专家")
    await unit.press("取消申请")
    asked = unit.last()
    await unit.send("不取消")
    assert unit.last().text == t.KEPT and not asked.buttons()
    async with unit_of_work_factory(sessionmaker)() as uow:
        request = await uow.draws.request(1)
    assert request is not None and request.status == "drawn"

    (first,) = invited(world)
    expert = world.user(first, EXPERTS[first][0])
    await expert.press("婉拒")
    asked = expert.last()
    await expert.send("返回")
    assert expert.last().text == t.STILL_INVITED and not asked.buttons()
    assert [label for label, _ in expert.last().buttons()] == ["接受", "婉拒"]
    await expert.press("婉拒")
    await expert.send("不说明")
    assert expert.last().text == t.DECLINED_OWN.format(request_id=1)
    told = next(x for x in reversed(unit.texts()) if x.startswith("第 1 号申请："))
    assert told.startswith(f"第 1 号申请：{EXPERTS[first][0]} 已婉拒。") and "原因" not in told


async def test_the_bureau_looking_at_a_units_request_can_refresh_it(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press("提交申请")
    await unit.press("抽取专家")
    admin = world.user(900, "局长")
    await admin.send("/draws")
    await admin.press("第 1 号")
    assert [label for label, _ in admin.last().buttons()] == ["刷新"], "nothing it may not do"
    (first,) = invited(world)
    await world.user(first, EXPERTS[first][0]).press("接受")
    await admin.press("刷新")
    assert "已接受 1 / 1 人。" in admin.last().text


async def test_groups_and_districts_typed_as_their_buttons_read_are_ticked(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await unit.send("/draw")
    asked = unit.last()
    await unit.send("下一步")
    assert unit.last().text == t.PICK_AT_LEAST_ONE
    await unit.send("矿山石")
    assert unit.last().text == t.BUTTON_EXPECTED, "no group of that name: nothing taken"
    await unit.send("矿山")
    assert unit.last().text == t.PICKED.format(items="矿山") and not asked.buttons()
    assert "✅ 矿山" in [label for label, _ in unit.last().buttons()]
    await unit.send("建筑、危化")
    assert unit.last().text == t.PICKED.format(items="矿山、危化、建筑")
    await unit.send("下一步")
    assert unit.last().text.startswith("第 2 步")
    await unit.send("2022-12-10")
    await unit.send("渝北区某矿井")
    await unit.send("某煤矿隐患排查治理验收")
    await unit.send("验收")
    await unit.send("1")
    await unit.send("渝北区 江北区")
    assert unit.last().text == t.PICKED.format(items="江北区、渝北区"), "in the buttons' order"
    await unit.send("下一步")
    assert unit.last().text == t.ASK_AVOID
    await unit.press("无")
    confirm = unit.last().text
    assert "专业组：矿山、危化、建筑\n" in confirm and "优先区县：" in confirm
    assert "渝北区" in confirm and "江北区" in confirm


async def decline(world: OfflineWorld, telegram_id: int) -> None:
    expert = world.user(telegram_id, EXPERTS[telegram_id][0])
    await expert.press("婉拒")
    await expert.press("不说明")


async def filed_and_drawn(unit: OfflineUser, wanted: str) -> None:
    await to_avoid_step(unit, wanted=wanted)
    await unit.press("无")
    await unit.press("提交申请")
    await unit.press("抽取专家")


async def test_with_the_reserve_used_up_the_unit_hears_what_still_waits_and_what_is_missing(
    world: OfflineWorld, sessionmaker, clock, unit: OfflineUser
) -> None:
    """Four in the pool (戊 is the unit's own), three wanted, so one in reserve."""
    await filed_and_drawn(unit, wanted="3")
    assert "邀请 3 人，备选 1 人" in unit.texts()[-2]
    drawn = invited(world)
    await decline(world, drawn[0])
    assert "已依次邀请备选专家" in unit.last().text
    await decline(world, drawn[1])
    said = unit.last().text
    assert said == (
        f"第 1 号申请：{EXPERTS[drawn[1]][0]} 已婉拒。"
        + t.SHORT_PENDING.format(pending=2, missing=1)
        + t.NO_REDRAW
    ), "two still wait, and even if both accept one is missing; the pool is empty"
    assert not any("备选名单已用完" in x for x in unit.texts()), "said once, in the answer"
    await unit.send("/draws")
    await unit.press("第 1 号")
    assert t.SHORT_PENDING.format(pending=2, missing=1) + t.NO_REDRAW in unit.last().text
    assert not any("重新抽取" in label for label, _ in unit.last().buttons())

    await appointed(
        sessionmaker, Spec(6009, "壬专家", unit_code="CQJT01", certificate_no="CQGSYF-2022-9009")
    )
    await decline(world, drawn[2])
    assert unit.last().text.endswith(
        t.SHORT_PENDING.format(pending=1, missing=2)
        + t.REDRAW_IN_DRAWS.format(pool=1)
        + t.REDRAW_FEWER.format(gap=1)
    ), unit.last().text
    await unit.send("/draws")
    await unit.press("第 1 号")
    assert t.REDRAW_ON_CARD.format(pool=1) in unit.last().text
    await unit.press("重新抽取")
    assert "第 2 轮抽取完成：邀请 1 人，备选 0 人" in unit.texts()[-2]
    assert t.SHORT_PENDING.format(pending=2, missing=1) + t.NO_REDRAW in unit.last().text


async def test_a_draw_short_of_experts_says_its_invitations_wait_and_a_second_press_why_not(
    world: OfflineWorld, sessionmaker, clock, unit: OfflineUser
) -> None:
    await filed_and_drawn(unit, wanted="5")
    card = unit.last()
    assert "邀请 4 人，备选 0 人" in unit.texts()[-2]
    assert t.SHORT_PENDING.format(pending=4, missing=1) + t.NO_REDRAW in card.text
    assert t.CARD_POOL_EMPTY not in card.text, "said once"
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press("提交申请")
    assert t.CARD_POOL_EMPTY in unit.last().text, "before a draw: all four hold that day"


async def test_a_second_press_on_draw_says_the_invitations_are_waiting_not_that_all_accepted(
    world: OfflineWorld, sessionmaker, clock, unit: OfflineUser
) -> None:
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press("提交申请")
    card = unit.last()
    draw = dict(card.buttons())["抽取专家"]
    await unit.press_data(draw, sent=card)
    await unit.press_data(draw, sent=card)
    assert last_answer(world) == t.NOTHING_TO_DRAW.format(why=t.WHY_PENDING)


async def test_days_sent_one_per_message_are_all_kept_and_invisible_text_is_refused_plainly(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.press("下一步")
    await unit.send("2022-12-10")
    assert unit.last().text == t.DAYS_SAVED.format(days="2022-12-10 周六") + "\n" + t.ASK_PLACE
    await unit.send("2022-12-11")
    assert unit.last().text == (
        t.DAYS_ADDED.format(days="2022-12-10 周六、2022-12-11 周日") + "\n" + t.ASK_PLACE
    ), "a second day is a day, not the place"
    await unit.send("2022-11-30")
    assert unit.last().text == "日期须晚于今天（2022-12-01）。"
    await unit.send("\u200b")
    assert "只有空格或不可见字符" in unit.last().text, "not 处理时出现问题"
    await unit.send("渝北区某矿井")
    assert unit.last().text == t.ASK_PROJECT
    await unit.send("\u200b\u200b")
    assert "只有空格或不可见字符" in unit.last().text
    await unit.send("某煤矿隐患排查治理验收")
    await unit.press("验收")
    await unit.send("1")
    await unit.press("下一步")
    await unit.press("无")
    confirm = unit.last().text
    assert "日期：2022-12-10 周六、2022-12-11 周日\n地点：渝北区某矿井\n" in confirm


async def test_a_second_press_on_a_step_already_answered_says_so(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await unit.send("/draw")
    await unit.press("矿山")
    groups = unit.last()
    done = dict(groups.buttons())["下一步"]
    await unit.press_data(done, sent=groups)
    await unit.press_data(done, sent=groups)
    assert last_answer(world) == t.FORM_STEP_DONE, "not 该操作已失效，请重新打开"
    await unit.send("2022-12-10")
    assert unit.last().text.endswith(t.ASK_PLACE), "and the form is where it was"


async def test_an_old_cancel_button_on_a_cancelled_request_does_not_ask_for_a_reason_again(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press("提交申请")
    card = unit.last()
    await unit.press("取消申请", message=card)
    await unit.send("项目延期")
    assert unit.last().text.endswith("\n取消原因：项目延期")
    await unit.press("取消申请", message=card)
    assert last_answer(world) == t.ALREADY_CANCELLED
    await unit.send("再说一次")
    assert unit.last().text != t.ALREADY_CANCELLED, "no reason was asked, so none is refused"


async def test_an_expert_who_types_an_answer_gets_the_buttons_again(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press("提交申请")
    await unit.press("抽取专家")
    (first,) = invited(world)
    expert = world.user(first, EXPERTS[first][0])
    await expert.send("接受")
    assert expert.last().text == t.ANSWER_WITH_BUTTONS.format(request_id=1, reply_by="2022-12-02 10:00")
    await expert.press("接受")
    assert expert.last().text.startswith("您已接受第 1 号邀请")
    await expert.send("接受")
    assert expert.last().text != t.ANSWER_WITH_BUTTONS.format(request_id=1, reply_by="2022-12-02 10:00")
    outsider = world.user(6008, "路人")
    await outsider.send("接受")
    assert "没有理解" in outsider.last().text, "nobody else is told about invitations"


async def test_cancelling_a_request_mid_form_is_refused_so_the_form_is_not_lost(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await to_avoid_step(unit)
    await unit.press("无")
    await unit.press("提交申请")
    card = unit.last()
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.send_photo(b"not really a photo")
    assert unit.last().text == t.BUTTON_EXPECTED_NOT_SAVED, "a button step, not 这一步需要文字回答"
    await unit.press("取消申请", message=card)
    assert last_answer(world) == t.FINISH_FORM_FIRST
    await unit.press("下一步")
    assert unit.last().text.startswith("第 2 步"), "the form is where it was"


async def test_a_day_without_a_year_is_the_next_such_day_and_a_typed_work_type_is_its_button(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.press("下一步")
    await unit.send("12月10日")  # 2022-12-01 today: this December's
    assert unit.last().text.startswith(t.DAYS_SAVED.format(days="2022-12-10 周六"))
    await unit.send("1-5")  # gone this year: next January's, added to the first
    assert unit.last().text.startswith(t.DAYS_ADDED.format(days="2022-12-10 周六、2023-01-05 周四")), unit.last().text
    await unit.send("渝北区某矿井")
    await unit.send("某煤矿隐患排查治理验收")
    kinds = unit.last()
    assert "验收" in [label for label, _ in kinds.buttons()]
    await unit.send("验收")
    assert unit.last().text == t.ASK_WANTED.format(max=20)
    assert not kinds.buttons(), "the work types' keyboard goes, as after a press"
    await unit.send("1")
    await unit.press("下一步")
    await unit.press("无")
    assert "验收" in unit.last().text and "2023-01-05" in unit.last().text


async def test_a_typed_work_type_that_is_no_buttons_label_is_not_taken(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.press("下一步")
    await unit.send("2022-12-10")
    await unit.send("渝北区某矿井")
    await unit.send("某煤矿隐患排查治理验收")
    await unit.send("验收评审")
    assert unit.last().text == t.BUTTON_EXPECTED


async def test_a_double_press_of_file_files_one_request(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    """Two presses of 提交申请 handled at once (polling and webhooks handle updates as tasks):
    the chat's updates are taken one at a time, so the second finds the form filed."""
    await to_avoid_step(unit, project="只申请一次")
    await unit.press("无")
    card = unit.last()
    [file] = [data for text, data in card.buttons() if text == "提交申请"]
    await asyncio.gather(unit.press_data(file, card), unit.press_data(file, card))
    assert await requests(sessionmaker) == ["只申请一次"]


async def test_chinese_numerals_day_words_and_a_typed_no_preference_are_read(
    world: OfflineWorld, sessionmaker, unit: OfflineUser
) -> None:
    """QA: 两人, 明天 and 不限 typed were refused. Numbers of experts up to 二十 are read as written;
    明天 and 后天 are days (今天 is named but refused: the work is after today); at the districts,
    不限 or 无 typed is no preference, what was ticked unticked, as ticking none and 下一步."""
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.press("下一步")
    await unit.send("今天")
    assert unit.last().text == t.DAYS_PAST.format(today="2022-12-01")
    await unit.send("明天、后天")  # 2022-12-01 today
    assert unit.last().text.startswith(t.DAYS_SAVED.format(days="2022-12-02 周五、2022-12-03 周六"))
    await unit.send("渝北区某矿井")
    await unit.send("某煤矿隐患排查治理验收")
    await unit.send("验收")
    await unit.send("二十一人")
    assert unit.last().text == t.BAD_WANTED.format(max=20)
    await unit.send("两人")
    assert unit.last().text.startswith(t.ASK_DISTRICTS)
    await unit.send("渝北区")
    ticked = unit.last()
    assert ticked.text == t.PICKED.format(items="渝北区")
    await unit.send("不限")
    assert unit.texts()[-2] == t.ANY_DISTRICT_TAKEN and not ticked.buttons()
    assert unit.last().text == t.ASK_AVOID
    await unit.press("无")
    confirm = unit.last().text
    assert "日期：2022-12-02 周五、2022-12-03 周六\n" in confirm and "人数：2 人\n" in confirm
    assert "优先区县：不限\n" in confirm
    await unit.press("修改人数")
    await unit.send("三名")
    assert "人数：3 人\n" in unit.last().text
    await unit.press("修改区县")
    await unit.send("无")
    assert "优先区县：不限\n" in unit.last().text, "back to the card, nothing preferred"


async def test_a_step_answered_by_buttons_keeps_the_answer_on_its_question(unit: OfflineUser) -> None:
    """The question loses its buttons once answered; what was chosen stays on it, as on the
    applicant's form, so the chat reads as the request was made."""
    await unit.send("/draw")
    question = unit.last()
    await unit.press("矿山")
    await unit.press("建筑")
    await unit.press("下一步")
    assert question.text.endswith("\n✅ 矿山、建筑") and not question.buttons()
    await unit.send("2022-12-10")
    await unit.send("渝北区某矿井")
    await unit.send("某矿井验收")
    kinds = unit.last()
    await unit.press("验收")
    assert kinds.text.endswith("\n✅ 验收") and not kinds.buttons()
    await unit.send("2")
    districts = unit.last()
    await unit.press("渝北区")
    await unit.press("江北区")
    await unit.press("下一步")
    assert districts.text.endswith("\n✅ 江北区、渝北区") and not districts.buttons()
    avoid = unit.last()
    await unit.press("无")
    assert avoid.text.endswith("\n✅ 无") and not avoid.buttons()
    assert "请核对抽取申请" in unit.last().text


async def test_no_district_preferred_is_kept_on_the_question_as_no_preference(
    unit: OfflineUser,
) -> None:
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.press("下一步")
    for answer in ("2022-12-10", "渝北区某矿井", "某矿井验收"):
        await unit.send(answer)
    await unit.press("验收")
    await unit.send("1")
    districts = unit.last()
    await unit.press("下一步")
    assert districts.text.endswith("\n✅ 不限") and not districts.buttons()
