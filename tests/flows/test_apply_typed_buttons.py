"""Answers typed where a button was meant, and list fields reopened from the card."""

from __future__ import annotations

from sqlalchemy import select

from bot.offline import OfflineUser, OfflineWorld
from storage.models import Application
from tests.flows.helpers import ANSWERS_TEXT, PORTRAIT, VALID_ID, choose_unit, consent, fill_form


async def _app(sessionmaker) -> Application:
    async with sessionmaker() as session:
        return (await session.execute(select(Application))).scalar_one()


async def _to_part_time(world: OfflineWorld) -> OfflineUser:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.press("矿山")
    await user.send("张三")
    await user.send(VALID_ID)
    await user.press("确认无误")
    await user.press("汉族")
    await user.send_photo(PORTRAIT)
    await user.send(ANSWERS_TEXT["position"])
    assert "社会兼职" in user.last().text
    return user


async def _to_main_specialties(world: OfflineWorld) -> OfflineUser:
    user = await _to_part_time(world)
    await user.press("跳过")
    await user.press("良好")
    await user.press("博士研究生")
    await user.send(ANSWERS_TEXT["title"])
    await user.press("正高级")
    await user.press("否")
    await user.send(ANSWERS_TEXT["school"])
    await user.send(ANSWERS_TEXT["major"])
    await user.press("安全科学与工程类")
    assert "主要从事专业" in user.last().text
    return user


async def test_typed_done_closes_the_list_instead_of_becoming_an_entry(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _to_main_specialties(world)
    await user.send("矿山安全")
    await user.send("完成")
    assert "熟悉专业" in user.last().text
    assert (await _app(sessionmaker)).main_specialties == ["矿山安全"]


async def test_typed_done_on_an_empty_list_asks_for_an_entry(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _to_main_specialties(world)
    await user.send("完成")
    assert "请至少填写一条" in "\n".join(user.texts()[-2:])
    assert not (await _app(sessionmaker)).main_specialties


async def test_typed_clear_empties_the_list(world: OfflineWorld, sessionmaker) -> None:
    user = await _to_main_specialties(world)
    await user.send("矿山安全")
    await user.send("清空重填")
    await user.send("职业卫生")
    assert (await _app(sessionmaker)).main_specialties == ["职业卫生"]


async def test_typed_skip_skips_an_optional_field(world: OfflineWorld, sessionmaker) -> None:
    user = await _to_part_time(world)
    await user.send("跳过")
    assert "健康状况" in user.last().text
    assert (await _app(sessionmaker)).part_time is None


async def test_a_full_list_reopened_from_the_card_takes_no_fifth_entry(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await fill_form(user)
    await user.press("修改 主要从事专业")
    for item in ("安全工程", "消防", "危化"):
        await user.send(item)
    # the fourth entry closes the list; reopen it full from the card
    await user.press("修改 主要从事专业")
    await user.send("建筑施工")
    assert "已填满 4 条" in "\n".join(user.texts()[-2:])
    stored = (await _app(sessionmaker)).main_specialties
    assert len(stored) == 4 and "建筑施工" not in stored


async def test_an_id_number_typed_at_the_confirmation_is_deleted_from_the_chat(
    world: OfflineWorld,
) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.press("矿山")
    await user.send("张三")
    await user.send(VALID_ID)
    assert "是否正确" in user.last().text
    before = len(world.session.deleted)
    await user.send("500106 19800102 998x")
    assert [chat for chat, _ in world.session.deleted[before:]] == [user.id]
    assert any("已从聊天中删除" in text for text in user.texts()[-3:])


async def test_several_specialties_in_one_message_are_stored_as_several_entries(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _to_main_specialties(world)
    await user.send("矿山安全、职业卫生；应急管理")
    assert "已添加（3/4）：矿山安全；职业卫生；应急管理" in user.last().text
    assert (await _app(sessionmaker)).main_specialties == ["矿山安全", "职业卫生", "应急管理"]
    await user.send("1. 消防\n2. 危化")
    assert "还能添加 1 条" in "\n".join(user.texts()[-2:])
    assert len((await _app(sessionmaker)).main_specialties) == 3
    await user.send("消防")
    assert "熟悉专业" in user.last().text


async def test_five_specialties_in_one_message_are_refused_and_none_is_kept(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _to_main_specialties(world)
    await user.send("矿山安全，职业卫生，应急管理，消防，危化")
    assert "最多印4条，您这次输入了5条" in "\n".join(user.texts()[-2:])
    assert not (await _app(sessionmaker)).main_specialties
    assert "主要从事专业" in user.last().text


async def test_a_photo_at_a_step_of_buttons_is_told_it_is_not_wanted_there(
    world: OfflineWorld, sessionmaker
) -> None:
    """QA: a photo sent where a button was expected got "请点击上方消息中的按钮。", which does not
    say the photo was not taken. It says so, and the step is asked again."""
    from bot.texts import chat as t

    user = await _to_part_time(world)
    await user.press("跳过")
    asked = user.last().text
    await user.send_photo(PORTRAIT)
    assert user.texts()[-2] == t.NO_PHOTO_HERE_CHOICE  # 健康状况: buttons, or an option's name
    assert user.last().text == asked, "the same step, asked again"
    assert (await _app(sessionmaker)).health is None
