"""Each step of the applicant's conversation, its refusals, and resuming after a restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage
from aiogram.types import Location, Sticker, Voice
from sqlalchemy import func, select

from bot.main import create_dispatcher
from bot.offline import OfflineSession, OfflineUser, OfflineWorld
from bot.texts.chat import STALE_BUTTON
from storage.models import Account, Application, ConsentRecord, Person
from tests.flows.helpers import VALID_ID, choose_typed_unit, choose_unit, consent, fill_form
from tests.support.images import jpeg, png
from tests.support.people import met_person


async def _app(sessionmaker) -> Application:
    async with sessionmaker() as session:
        return (await session.execute(select(Application))).scalar_one()


async def _started(world: OfflineWorld, user_id: int = 1001) -> OfflineUser:
    user = world.user(user_id, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    return user


async def test_each_prompt_shows_progress_and_buttons(world: OfflineWorld) -> None:
    user = await _started(world)
    prompt = user.last()
    assert prompt.text.startswith("第 1/25 项 · 拟报专业组")
    labels = [text for text, _ in prompt.buttons()]
    assert "综合管理" in labels and "⬅ 上一项" in labels and "💾 保存并退出" in labels


async def test_back_returns_to_the_previous_field_with_its_answer(world: OfflineWorld) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    assert "身份证号" in user.last().text
    await user.press("上一项")
    assert "姓名" in user.last().text and "当前填写：张三" in user.last().text


async def test_optional_field_can_be_skipped_and_required_cannot(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _started(world)
    await user.press("矿山")
    labels = [text for text, _ in user.last().buttons()]
    assert "跳过" not in labels
    await user.send("张三")
    await user.send(VALID_ID)
    await user.press("确认无误")
    await user.press("汉族")
    await user.send_photo(jpeg())
    await user.send("总工程师")
    assert "社会兼职" in user.last().text
    await user.press("跳过")
    assert "健康状况" in user.last().text
    assert (await _app(sessionmaker)).part_time is None


async def test_save_and_exit_then_start_resumes_at_the_same_field(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    await user.press("保存并退出")
    assert "已保存" in user.last().text
    await user.send("随便说点什么")
    assert "/start" in user.last().text
    await user.send("/start")
    assert "欢迎回来" in user.texts()[-2]
    assert "身份证号" in user.last().text
    assert (await _app(sessionmaker)).name == "张三"


async def test_cancel_keeps_answers(world: OfflineWorld, sessionmaker) -> None:
    user = await _started(world)
    await user.press("危化")
    await user.send("/cancel")
    assert "已填写的内容都已保存" in user.last().text
    assert (await _app(sessionmaker)).group == "危化"


async def test_restart_mid_form_continues_at_the_same_field(
    world: OfflineWorld, sessionmaker, settings, clock
) -> None:
    user = await _started(world)
    await user.press("建筑")
    await user.send("张三")

    bot = Bot(token=settings.bot_token, session=OfflineSession())
    dp = create_dispatcher(settings=settings, database=sessionmaker, clock=clock)
    restarted = OfflineWorld(dp, bot, now=clock.now)
    same_user = restarted.user(1001, "三", last_name="张")
    await same_user.send(VALID_ID)
    await restarted.close()
    assert "出生年月为 1990年01月，性别为 男" in same_user.last().text
    app = await _app(sessionmaker)
    assert (app.group, app.name, app.id_number) == ("建筑", "张三", VALID_ID)


async def test_wrong_kinds_of_message_at_a_text_step_change_nothing(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _started(world)
    await user.press("矿山")
    before = await _app(sessionmaker)
    sticker = Sticker(
        file_id="s", file_unique_id="s", type="regular", width=1, height=1,
        is_animated=False, is_video=False,
    )
    for content, expected in (
        ({"text": "张" * 10_000}, "最多"),
        ({"sticker": sticker}, "输入文字"),
        ({"voice": Voice(file_id="v", file_unique_id="v", duration=1)}, "输入文字"),
        ({"location": Location(latitude=29.5, longitude=106.5)}, "输入文字"),
    ):
        replies = await user.send_message(**content)
        assert expected in replies[0].text, replies[0].text
        assert replies[-1].text.startswith("第 2/25 项 · 姓名")
    await user.send_file(b"%PDF-1.4", "resume.pdf", "application/pdf")
    assert "输入文字" in user.texts()[-2]
    after = await _app(sessionmaker)
    assert (after.name, after.cursor, after.version) == (None, "name", before.version)


async def test_bad_id_number_is_explained_and_asked_again(world: OfflineWorld) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    replies = await user.send("500103199001019997")
    assert "校验" in replies[0].text
    assert "身份证号" in replies[-1].text
    replies = await user.send("50010319900101999")
    assert "18" in replies[0].text and "17" in replies[0].text


async def test_id_number_message_is_deleted_and_shown_masked(world: OfflineWorld) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    replies = await user.send(VALID_ID)
    assert world.session.deleted
    assert "已从聊天中删除" in replies[0].text and "500***********9998" in replies[0].text


async def test_a_rejected_id_number_is_deleted_too_and_asked_again(world: OfflineWorld) -> None:
    """A refused number is usually a real one with one digit wrong: it leaves the chat as well."""
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    replies = await user.send("500103199001019997")
    assert world.session.deleted == [(user.id, world.session.deleted[0][1])]
    assert "校验" in replies[0].text and "已从聊天中删除" in replies[0].text
    assert "身份证号" in replies[-1].text


async def test_an_id_number_already_in_use_is_deleted_and_asked_again(world: OfflineWorld) -> None:
    first = await _started(world, 1001)
    await fill_form(first)
    second = await _started(world, 1002)
    await second.press("矿山")
    await second.send("李四")
    before = len(world.session.deleted)
    replies = await second.send(VALID_ID)
    assert [chat for chat, _ in world.session.deleted[before:]] == [second.id]
    assert "已有申报" in replies[0].text and "已从聊天中删除" in replies[0].text
    assert "身份证号" in replies[-1].text


async def test_rejecting_the_derived_birth_date_asks_for_the_id_number_again(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    await user.send(VALID_ID)
    await user.press("重新输入")
    assert "身份证号" in user.last().text
    assert (await _app(sessionmaker)).id_number is None


async def test_same_id_number_cannot_apply_twice_in_a_campaign(world: OfflineWorld) -> None:
    first = await _started(world, 1001)
    await fill_form(first)
    second = await _started(world, 1002)
    await second.press("矿山")
    await second.send("李四")
    replies = await second.send(VALID_ID)
    assert "已有申报" in replies[0].text


async def test_others_are_served_while_a_refusal_is_on_its_way_to_telegram(
    world: OfflineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram answers in 50–300 ms: a wrong answer's reply must not keep the database meanwhile."""
    first = await _started(world, 1001)
    await first.press("矿山")
    await first.send("张三")
    second = await _started(world, 1002)
    make_request = world.session.make_request
    served: list[str] = []

    async def slow_request(bot: Bot, method: Any, timeout: int | None = None) -> Any:
        if isinstance(method, SendMessage) and method.chat_id == 1001 and "校验" in method.text:
            async with asyncio.timeout(5):  # fails instead of waiting for the database for good
                served.extend(m.text for m in await second.press("矿山"))
        return await make_request(bot, method, timeout)

    monkeypatch.setattr(world.session, "make_request", slow_request)
    replies = await first.send("500103199001019997")
    assert "校验" in replies[0].text and "身份证号" in replies[-1].text
    assert any("姓名" in text for text in served)


async def _at_photo(world: OfflineWorld) -> OfflineUser:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    await user.send(VALID_ID)
    await user.press("确认无误")
    await user.press("汉族")
    return user


async def test_others_are_served_while_a_photo_downloads(
    world: OfflineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram's download can take seconds: it must not keep the database from everyone else."""
    first = await _at_photo(world)
    second = await _started(world, 1002)
    download = world.session.stream_content

    async def slow_download(*args: Any, **kwargs: Any) -> AsyncIterator[bytes]:
        async with asyncio.timeout(5):  # fails instead of waiting for the database for good
            await second.press("矿山")
        async for chunk in download(*args, **kwargs):
            yield chunk

    monkeypatch.setattr(world.session, "stream_content", slow_download)
    await first.send_photo(jpeg())
    assert "姓名" in second.last().text
    assert "照片已保存" in first.texts()[-2]


async def test_photo_checks_give_a_clear_reason(world: OfflineWorld, sessionmaker) -> None:
    user = await _at_photo(world)
    for send, expected in (
        (user.send_photo(jpeg(200, 300)), "至少需要 295×413"),
        (user.send_photo(jpeg(800, 600)), "竖版"),
        (user.send_file(b"%PDF-1.4 not an image", "photo.jpg"), "JPEG 或 PNG"),
        (user.send_file(b"\xff\xd8\xff" + b"0" * (6 * 2**20), "big.jpg"), "过大"),
        (user.send("我没有照片"), "上传照片"),
    ):
        replies = await send
        assert expected in replies[0].text, replies[0].text
        assert "照片" in replies[-1].text
    assert (await _app(sessionmaker)).photo is None
    await user.send_file(png(), "photo.png", "image/png")
    assert "照片已保存" in user.texts()[-2]
    assert (await _app(sessionmaker)).photo is True


async def test_someone_elses_contact_is_refused(world: OfflineWorld, sessionmaker) -> None:
    user = await _started(world)
    await fill_form(user)
    await user.press("修改 移动电话")
    replies = await user.share_contact("+8613900000000", user_id=777)
    assert "本人" in replies[0].text
    assert (await _app(sessionmaker)).mobile == "13800000000"


async def test_forwarded_messages_are_not_answers(world: OfflineWorld) -> None:
    from datetime import UTC, datetime

    from aiogram.types import MessageOriginHiddenUser

    user = await _started(world)
    await user.press("矿山")
    origin = MessageOriginHiddenUser(date=datetime(2022, 9, 1, tzinfo=UTC), sender_user_name="x")
    replies = await user.send("王五", forward_origin=origin)
    assert "转发" in replies[0].text


async def test_editing_a_field_from_the_card_returns_to_the_card(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _started(world)
    await fill_form(user)
    await user.press("修改 职务")
    assert "当前填写：安全环保部部长" in user.last().text
    await user.send("副院长")
    assert "推荐表汇总" in user.last().text and "职务：副院长" in user.last().text


async def test_text_sent_at_the_summary_card_is_said_not_saved(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _started(world)
    await fill_form(user)
    before = (await _app(sessionmaker)).updated_at
    replies = await user.send("职务改成副院长")
    assert "未保存" in replies[0].text and "签名提交" in replies[0].text
    assert "推荐表汇总" in user.last().text or "推荐表汇总" in replies[1].text
    assert (await _app(sessionmaker)).updated_at == before


async def test_signature_must_match_the_name(world: OfflineWorld, sessionmaker) -> None:
    user = await _started(world)
    await fill_form(user)
    await user.press("签名提交")
    replies = await user.send("李四")
    assert "不一致" in replies[0].text
    assert (await _app(sessionmaker)).status == "draft"
    await user.send("张三")
    assert (await _app(sessionmaker)).status == "submitted"


async def test_submitting_after_the_unit_deadline_is_refused(
    world: OfflineWorld, sessionmaker, clock
) -> None:
    user = await _started(world)
    await fill_form(user)
    clock.advance(days=11)
    await user.press("签名提交")
    assert user.alert is not None and "2022-09-30 18:00" in user.alert
    assert (await _app(sessionmaker)).status == "draft"


async def test_unit_link_skips_the_choice_of_district_and_unit(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user, "/start u_CQU001")
    assert user.last().text.startswith("第 1/25 项")
    app = await _app(sessionmaker)
    assert (app.unit_name, app.unit_confirmed) == ("重庆大学", True)


async def test_made_up_unit_link_falls_back_to_the_district_choice(world: OfflineWorld) -> None:
    user = world.user(1001, "三")
    await consent(user, "/start u_NOPE")
    assert "链接无效" in user.texts()[-2]
    assert "区县" in user.last().text


async def test_unlisted_unit_is_typed_and_marked_for_the_district(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三")
    await consent(user)
    await choose_typed_unit(user, "重庆某设计院")
    app = await _app(sessionmaker)
    assert (app.unit_name, app.unit_confirmed, app.unit_id) == ("重庆某设计院", False, None)


async def test_in_a_district_without_units_the_typed_name_is_taken_at_once(
    world: OfflineWorld, sessionmaker
) -> None:
    """The prompt says to type the unit's full name: doing so must not show the prompt again."""
    user = world.user(1001, "三")
    await consent(user)
    await user.send("万州")
    await user.press("万州区")
    assert user.last().text == "万州区目前没有登记的单位。请直接输入您的工作单位全称（将由区县人力社保部门确认）："
    assert [label for label, _ in user.last().buttons()] == ["◀ 重新选择区县"], "no list to say a unit is missing from"
    await user.send("重庆三峡学院")
    assert user.last().text.startswith("第 1/25 项")
    app = await _app(sessionmaker)
    assert (app.unit_name, app.unit_confirmed, app.unit_id) == ("重庆三峡学院", False, None)


async def test_a_unit_search_that_finds_none_says_so_and_offers_typing_the_name(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三")
    await consent(user)
    await user.press("沙坪坝区")
    await user.send("设计院")
    assert user.last().text.startswith("沙坪坝区没有名称含“设计院”的单位。"), "it has 重庆大学"
    assert [label for label, _ in user.last().buttons()] == [
        "就用“设计院”作为单位名称", "我的单位不在列表中", "◀ 重新选择区县"
    ]  # fmt: skip
    await user.press("我的单位不在列表中")
    await user.send("重庆某设计院")
    assert (await _app(sessionmaker)).unit_name == "重庆某设计院"


async def test_a_district_chosen_by_mistake_is_changed_from_the_unit_step(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三")
    await consent(user)
    await user.press("万州区")
    await user.press("◀ 重新选择区县")
    assert user.last().text.startswith("请选择您的工作单位所在区县（第 1/")
    await user.send("沙坪坝")
    await user.press("沙坪坝区")
    await user.press("重庆大学")
    app = await _app(sessionmaker)
    assert (app.unit_name, app.unit_confirmed) == ("重庆大学", True)


async def test_refusing_consent_stores_nothing(world: OfflineWorld, sessionmaker) -> None:
    user = world.user(1001, "三", username="zhangsan")
    await user.send("/start")
    await user.press("不同意")
    assert "不会保存" in user.last().text
    # The bot keeps the ids it answers to (a person and an account row), nothing else:
    # no name, no username, no consent, no application.
    person_id = await met_person(sessionmaker, 1001)
    async with sessionmaker() as session:
        person = await session.get(Person, person_id)
        assert person is not None and person.full_name == ""
        account = (
            await session.scalars(select(Account).where(Account.person_id == person_id))
        ).one()
        assert (account.display_name, account.username) == ("", None)
        assert (person.consent_version, person.consent_at) == (None, None)
        assert (person.sensitive_consent_at, person.transfer_consent_at) == (None, None)
        assert await session.scalar(select(func.count()).select_from(ConsentRecord)) == 0
        assert await session.scalar(select(func.count()).select_from(Application)) == 0


async def test_consents_are_given_one_by_one(world: OfflineWorld, sessionmaker) -> None:
    user = world.user(1001, "三")
    await user.send("/start")
    await user.press("① 个人信息处理")
    await user.press("② 敏感个人信息")
    assert "所在区县" not in user.last().text
    await user.press("③ 经境外服务传输")
    assert "所在区县" in user.last().text
    person_id = await met_person(sessionmaker, 1001)
    async with sessionmaker() as session:
        person = await session.get(Person, person_id)
        assert person.sensitive_consent_at is not None and person.consent_version


async def test_too_old_applicant_is_told_and_must_give_a_reason(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    await user.send("500243195006159971")  # born 1950: 72 at the deadline
    replies = await user.press("确认无误")
    assert "65" in replies[-2].text
    assert "放宽" in user.last().text
    await user.send("中国工程院院士")
    assert "民族" in user.last().text
    assert (await _app(sessionmaker)).relaxation_reason == "中国工程院院士"


async def test_university_applicant_below_full_professor_is_flagged(world: OfflineWorld) -> None:
    user = await _started(world)  # 重庆大学 is a 高等院校
    await user.press("矿山")
    await user.send("张三")
    await user.send(VALID_ID)
    await user.press("确认无误")
    await user.press("汉族")
    await user.send_photo(jpeg())
    await user.send("教师")
    await user.press("跳过")
    await user.press("良好")
    await user.press("博士研究生")
    await user.send("副教授")
    assert "副高级" in user.last().text  # the level is suggested from the title
    await user.press("副高级")
    await user.press("否")
    assert any("正高级" in m.text for m in user.inbox()[-3:])
    assert "放宽" in user.last().text


async def test_forged_and_stale_buttons_change_nothing(world: OfflineWorld, sessionmaker) -> None:
    user = await _started(world)
    await user.press("矿山")
    before = await _app(sessionmaker)
    await user.press_data("fc:group:99")
    assert user.alert and "失效" in user.alert
    await user.press_data("fc:health:0")
    assert user.alert and "失效" in user.alert
    await user.press_data("ca:999:sign")
    assert user.alert and "失效" in user.alert
    await user.press_data("garbage")
    after = await _app(sessionmaker)
    assert (after.version, after.cursor) == (before.version, before.cursor)


async def test_group_chats_are_refused(world: OfflineWorld) -> None:
    from aiogram.types import Chat, Message

    user = world.user(1001, "三")
    message = Message(
        message_id=1, date=world.now(), chat=Chat(id=-100, type="group"),
        from_user=user.tg, text="/start",
    )
    await world.feed(user, message=message)
    assert "私聊" in world.session.inbox(-100)[0].text


async def test_edited_message_does_not_change_the_answer(world: OfflineWorld, sessionmaker) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    message = user._message(text="李四")
    await world.feed(user, edited_message=message)
    assert "修改已发送的消息不会改变" in user.last().text
    assert (await _app(sessionmaker)).name == "张三"


async def test_status_shows_the_state(world: OfflineWorld) -> None:
    user = await _started(world)
    await fill_form(user)
    await user.press("签名提交")
    await user.send("张三")
    await user.send("/status")
    assert "已提交，待单位审核" in user.last().text


async def test_list_fields_take_up_to_four_entries(world: OfflineWorld, sessionmaker) -> None:
    user = await _started(world)
    await fill_form(user)
    await user.press("修改 熟悉专业")
    await user.press("清空重填")
    for item in ("一", "二", "三"):
        await user.send(f"专业{item}")
    await user.send("专业四")
    assert "推荐表汇总" in user.last().text
    assert (await _app(sessionmaker)).familiar_specialties == ["专业一", "专业二", "专业三", "专业四"]


async def test_an_answer_starting_with_a_slash_is_an_answer_and_commands_still_work(
    world: OfflineWorld,
) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    await user.send(VALID_ID)
    await user.press("确认无误")
    await user.press("汉族")
    await user.send_photo(jpeg())
    assert "职务" in user.last().text
    await user.send("/help")
    assert "/start" in user.last().text and "职务" not in user.last().text
    await user.send("/")  # "none", as Chinese forms write it
    assert "社会兼职" in user.last().text


async def test_an_unknown_command_is_said_so_and_never_taken_as_an_answer(world) -> None:
    user = await _started(world)
    await user.press("矿山")
    await user.send("/stauts")  # a typo of /status
    assert "没有 /stauts 这个命令" in user.last().text
    await user.send("张三")  # the name is still the field asked
    assert "身份证" in user.last().text


async def _typed_unit_card(world: OfflineWorld) -> OfflineUser:
    """张三 at the summary card, of a unit he typed (重庆某设计院, which the district confirms)."""
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_typed_unit(user, "重庆某设计院")
    await fill_form(user)
    assert user.last().text.startswith("📋 推荐表汇总")
    return user


async def test_the_unit_is_changed_from_the_card_and_every_answer_is_kept(
    world: OfflineWorld, sessionmaker
) -> None:
    """工作单位 is on Annex 1 like any field: a unit chosen by mistake is not a reason to withdraw
    and type everything again."""
    user = await _typed_unit_card(world)
    before = await _app(sessionmaker)
    await user.press("修改 工作单位")
    assert user.last().text.startswith("修改工作单位（现为：重庆某设计院，沙坪坝区）。\n请选择您的工作单位所在区县")
    await user.press("沙坪坝区")
    await user.press("重庆大学")
    assert "工作单位已改为：重庆大学（沙坪坝区）。" in user.texts()
    card = user.last().text
    assert card.startswith("📋 推荐表汇总") and "工作单位：重庆大学（沙坪坝区）" in card
    after = await _app(sessionmaker)
    assert (after.unit_name, after.unit_confirmed, after.unit_id is not None) == ("重庆大学", True, True)
    assert (after.name, after.title_level, after.resume) == (before.name, before.title_level, before.resume)
    await user.press("签名提交")
    await user.send("张三")
    assert "申报已提交" in user.texts()[-1] or "申报已提交" in user.texts()[-2]


async def test_a_unit_that_asks_more_of_the_title_raises_the_flag_when_changed_to(
    world: OfflineWorld,
) -> None:
    """A university's applicants need 正高级: moving a 副高级 applicant there asks why, as
    answering 副高级 there would have."""
    user = await _typed_unit_card(world)
    await user.press("修改 职称等级")
    await user.press("副高级")
    assert user.last().text.startswith("📋 推荐表汇总"), "no flag at a unit of no known kind"
    await user.press("修改 工作单位")
    await user.press("沙坪坝区")
    await user.press("重庆大学")
    texts = user.texts()
    assert any(text.startswith("⚠️ 申报条件提示") for text in texts[-3:])
    assert "放宽条件申请理由" in user.last().text


async def test_after_submission_the_unit_cannot_be_changed_from_an_old_card(
    world: OfflineWorld, sessionmaker
) -> None:
    user = await _typed_unit_card(world)
    card = user.last()
    await user.press("签名提交")
    await user.send("张三")
    await user.press("修改 工作单位", message=card)
    assert user.alert is not None and "不能" in user.alert
    assert (await _app(sessionmaker)).unit_name == "重庆某设计院"


async def test_a_units_link_opened_with_a_draft_of_another_unit_offers_to_move_it_there(
    world: OfflineWorld, sessionmaker
) -> None:
    """A unit's HR sends its link to someone who already started under another unit: the draft
    resumes, and one press moves it there with every answer kept (mid-form, before any card)."""
    user = await _started(world)
    await user.press("矿山")
    await user.send("张三")
    await user.send("/start u_CQU001")
    assert not any("申报链接" in text for text in user.texts()), "the draft's own unit: nothing to offer"
    await user.send("/start u_CQJT01")
    offer = user.last()
    assert offer.text.startswith("您打开的是“重庆交通运输集团有限公司”的申报链接，而您的申报填写的工作单位是“重庆大学”。")
    assert user.texts()[-2].startswith("第 3/25 项"), "the question asked, as on any resume"
    switch = offer.buttons()[0][1]
    await user.press("改为 重庆交通运输集团有限公司")
    assert "工作单位已改为：重庆交通运输集团有限公司（渝中区）。" in user.texts()
    assert user.last().text.startswith("第 3/25 项"), "back to the field it was at"
    app = await _app(sessionmaker)
    assert (app.unit_name, app.unit_confirmed, app.name) == ("重庆交通运输集团有限公司", True, "张三")
    before = len(user.inbox())
    await user.press_data(switch, offer)
    assert user.alert == "您的申报填写的工作单位已是“重庆交通运输集团有限公司”，无需更改。"
    assert len(user.inbox()) == before, "a second press sends nothing"


async def test_a_unit_name_searched_for_in_vain_is_taken_with_one_press_not_typed_again(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三")
    await consent(user)
    await user.press("沙坪坝区")
    await user.send("重庆某某工程设计研究总院有限公司")
    first = user.last()
    await user.send("重庆某设计院")
    assert [label for label, _ in user.last().buttons()][0] == "就用“重庆某设计院”作为单位名称"
    await user.press("就用“重庆某某工程设计研究总院有限公司", message=first)
    assert user.alert == STALE_BUTTON, "an older search's button is stale"
    assert (await user_app_count(sessionmaker)) == 0
    await user.press("就用“重庆某设计院”作为单位名称")
    assert user.last().text.startswith("第 1/25 项")
    app = await _app(sessionmaker)
    assert (app.unit_name, app.unit_confirmed) == ("重庆某设计院", False)


async def user_app_count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return (await session.execute(select(func.count(Application.id)))).scalar_one()
