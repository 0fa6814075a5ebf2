"""Texts longer than Telegram's 4,096 characters: it sends them split, one part straight after another."""

from __future__ import annotations

from sqlalchemy import select

from bot.clock import FixedClock
from bot.offline import OfflineUser, OfflineWorld
from storage.models import Application
from tests.flows.helpers import ANSWERS_TEXT, choose_unit, consent, fill_form

LINE = "2000.01-2000.12 重庆市沙坪坝区某某安全生产技术服务有限公司第一分公司 安全环保部副部长兼总工程师"
FIRST_PART = "\n".join([LINE] * 71)
"""What a phone sends first of a résumé pasted whole: 71 entries, just under 4,096 characters."""
REST = "2012.07-至今 重庆大学 教授\n2015.01-至今 重庆市安全生产协会 理事"
"""The rest it sends at once: two lines that would pass for a whole résumé."""


async def _app(sessionmaker) -> Application:
    async with sessionmaker() as session:
        return (await session.execute(select(Application))).scalar_one()


async def _at_resume(world: OfflineWorld) -> OfflineUser:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await fill_form(user)
    await user.press("修改 工作简历")
    assert "工作简历" in user.last().text
    return user


async def test_the_rest_of_a_split_resume_is_not_taken_as_the_resume(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _at_resume(world)
    assert len(FIRST_PART) > 4000
    await user.send(FIRST_PART)
    assert "工作简历最多15条，您填写了71条" in "\n".join(user.texts()[-2:])
    await user.send(REST)
    said = "\n".join(user.texts()[-2:])
    assert "Telegram 把超长内容自动拆开的后一部分" in said
    assert "工作简历" in user.last().text
    stored = (await _app(sessionmaker)).resume
    assert [entry["position"] for entry in stored] == ["讲师", "教授"]


async def test_a_resume_sent_after_reading_the_refusal_is_taken(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    user = await _at_resume(world)
    await user.send(FIRST_PART)
    clock.advance(seconds=40)
    await user.send(REST)
    assert "推荐表汇总" in "\n".join(user.texts()[-2:])
    stored = (await _app(sessionmaker)).resume
    assert [entry["unit"] for entry in stored] == ["重庆大学", "重庆市安全生产协会"]


async def test_quick_ordinary_answers_are_not_taken_for_the_rest_of_a_split(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _at_resume(world)
    await user.send(ANSWERS_TEXT["resume"])
    await user.press("修改 单位地址")
    await user.send("重庆市渝中区某某路1号")
    assert (await _app(sessionmaker)).unit_address == "重庆市渝中区某某路1号"


async def test_resume_lines_sent_one_by_one_are_added_at_the_card(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await fill_form(user)
    await user.press("修改 工作简历")
    await user.send("1998.07-2005.06 重庆钢铁集团 技术员")  # Enter on a computer sends the line
    await user.send("2005.07-2012.06 重庆大学 讲师")
    await user.send("2012.07-至今 重庆大学 教授")
    said = "\n".join(user.texts()[-3:])
    assert "添加到工作简历末尾（现共 3 段）" in said
    assert "推荐表汇总" in said
    stored = (await _app(sessionmaker)).resume
    assert [entry["start"] for entry in stored] == ["1998-07", "2005-07", "2012-07"]
    await user.send("2012.07-至今 重庆大学 教授")
    assert "未保存" in "\n".join(user.texts()[-3:])
    assert len((await _app(sessionmaker)).resume) == 3


async def test_resume_lines_past_fifteen_at_the_card_add_nothing_and_say_why(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _at_resume(world)
    await user.send("\n".join(f"{2000 + i}.01-{2000 + i}.12 重庆大学 讲师" for i in range(14)))
    await user.send("2015.01-2015.12 重庆大学 教授\n2016.01-至今 重庆大学 教授")
    assert "再加 2 段就超过了推荐表能填的 15 段" in "\n".join(user.texts()[-3:])
    assert len((await _app(sessionmaker)).resume) == 14


async def test_two_resume_entries_typed_on_one_line_are_stored_as_two(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _at_resume(world)
    await user.send("2005.07-2012.06 重庆大学 讲师 2012.07-至今 重庆大学 教授")
    assert "推荐表汇总" in "\n".join(user.texts()[-3:])
    stored = (await _app(sessionmaker)).resume
    assert [(e["unit"], e["position"]) for e in stored] == [("重庆大学", "讲师"), ("重庆大学", "教授")]


async def _at_resume_before_the_reason(world: OfflineWorld) -> OfflineUser:
    """A complete form whose 职称级别 is changed to one that needs a relaxation reason; 上一项 at
    the reason goes to the résumé, so answering it asks the reason next."""
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await fill_form(user)
    await user.press("修改 职称等级")
    await user.press("中级")
    assert "放宽条件" in user.last().text
    await user.press("上一项")
    assert "工作简历" in user.last().text
    return user


async def test_a_resume_line_sent_just_after_the_resume_is_added_to_it_not_taken_as_the_reason(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _at_resume_before_the_reason(world)
    await user.send("1998.07-2005.06 重庆钢铁集团 技术员")  # Enter on a computer sends the line
    assert "放宽条件" in user.last().text
    await user.send("2005.07-2012.06 重庆大学 讲师")
    said = "\n".join(user.texts()[-2:])
    assert "添加到工作简历末尾（现共 2 段），没有作为“放宽条件申请理由”的回答" in said
    assert "放宽条件" in user.last().text, "the reason is asked still"
    app = await _app(sessionmaker)
    assert [entry["start"] for entry in app.resume] == ["1998-07", "2005-07"]
    assert app.relaxation_reason is None
    await user.send("本人长期从事矿山安全工作，经验丰富")
    assert (await _app(sessionmaker)).relaxation_reason == "本人长期从事矿山安全工作，经验丰富"


async def test_a_resume_line_sent_long_after_the_resume_is_refused_as_the_reason_is_not(
    world: OfflineWorld, sessionmaker, clock: FixedClock
) -> None:
    """Past the window the line is an answer to the question asked, judged as such."""
    user = await _at_resume_before_the_reason(world)
    await user.send("1998.07-2005.06 重庆钢铁集团 技术员")
    clock.advance(minutes=3)
    await user.send("2005.07-2012.06 重庆大学 讲师")
    app = await _app(sessionmaker)
    assert [entry["start"] for entry in app.resume] == ["1998-07"]
    assert app.relaxation_reason == "2005.07-2012.06 重庆大学 讲师"


async def test_a_resume_shaped_reason_asked_again_from_the_card_is_the_reason(
    world: OfflineWorld, sessionmaker
) -> None:
    """Only the reason's first asking, right after the résumé, takes résumé lines as more of it:
    asked again from the card, the same text is the reason."""
    user = await _at_resume_before_the_reason(world)
    await user.send("1998.07-2005.06 重庆钢铁集团 技术员")
    await user.send("本人长期从事矿山安全工作，经验丰富")
    await user.press("修改 放宽条件申请理由")
    await user.send("2005.07-2012.06 重庆大学 讲师")
    app = await _app(sessionmaker)
    assert [entry["start"] for entry in app.resume] == ["1998-07"]
    assert app.relaxation_reason == "2005.07-2012.06 重庆大学 讲师"


async def test_resume_lines_that_would_overflow_the_resume_are_the_reason(
    world: OfflineWorld, sessionmaker
) -> None:
    """A résumé already at Annex 1's fifteen entries takes no more: a résumé-shaped text sent
    just after it is the answer to the reason asked, not refused (the applicant would be stuck)."""
    user = await _at_resume_before_the_reason(world)
    lines = [f"{1990 + i}.01-{1990 + i}.12 重庆大学 讲师" for i in range(15)]
    await user.send("\n".join(lines))
    assert "放宽条件" in user.last().text
    await user.send("2005.07-2012.06 重庆大学 讲师")
    app = await _app(sessionmaker)
    assert len(app.resume) == 15
    assert app.relaxation_reason == "2005.07-2012.06 重庆大学 讲师"
