"""`expertbot console` reaches every screen of the expert database from its demo seeds: a
script typed into it walks qualification, the meeting, a correction, publicity, an objection,
appointment, a reminder pass, /experts, /expert with a yearly evaluation, and an expert's /me."""

from __future__ import annotations

import io
import logging
import re
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot import console
from bot.clock import TZ, FixedClock
from bot.config import Settings
from bot.console import run_console
from bot.offline import OfflineUser
from bot.texts import console as t
from storage.db import create_database
from storage.uow import unit_of_work_factory

WALK = """\
:user 9002
/pending
#1
#1
:user 9001
/registry
#1
#1
#2
#6
2021-10-20
联席会议纪要〔2021〕1号
#1
/registry
#3
#3
#6
2021-10-21
联席会议纪要〔2021〕2号
#1
/registry
#2
2021-10-22
#1
/registry
#2
#3
2021-10-25
反映其资历材料不实
/registry
#3
#2
经核实材料属实
/registry
#3
2021-11-01
#1
:remind
/experts
#4
#2
/expert CQGSYF-2021-0001
#1
#1
全年参加评审3次
:user 1101
/me
:users
"""


async def test_the_console_walks_the_expert_database_from_its_demo_seeds(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(WALK))
    await run_console(Settings(), str(tmp_path / "demo.db"))
    out = capsys.readouterr().out
    for screen in (
        "✅ 区县审核：纸质推荐汇总表由市局录入（沙坪坝区）",  # the bureau reviewer's card
        "已记录第2批：联席会议纪要〔2021〕1号，确认入库 2 份",  # 第1批: the demo experts',
        "已记录第3批（更正第2批）：联席会议纪要〔2021〕2号，确认入库 3 份",
        "第3批已开始公示：2021-10-22 至 2021-10-28，共 3 人",
        "已记录异议 #1（杨建筑）",
        "异议 #1 已处理：不成立",
        "CQGSYF-2021-0001 刘安全（矿山）",
        "📎 聘书_第3批.zip",
        "入库专家名册：共 8 人",
        "入库专家名册：共 3 人",
        "聘期：已届满待续聘",
        "状态：聘期已满，待续聘",  # the reminder pass moved them
        "已记录 刘安全",
        "（全年参加评审3次）",
        "🎉 您已被聘任为重庆市工伤预防专家库专家（矿山）",
        "聘书编号：CQGSYF-2021-0001",
    ):
        assert screen in out, screen
    assert "（出错）" not in out and "格式不正确" not in out
    # QA: :users still called 1101–1103 "资格审核已通过 …（聘任后为专家）" once appointed
    users = out[out.rindex("> :users") :]
    for line in ("刘安全 · 申报人 · 专家状态：聘期已满，待续聘", "杨建筑 · 申报人 · 专家状态：聘期已满，待续聘",
                 "周矿山 · 入库专家（矿山） · 专家状态：在聘"):  # fmt: skip
        assert line in users, line
    assert "聘任后为专家" not in out


async def test_every_demo_expert_can_be_switched_to_and_an_unknown_user_is_said_so(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(":user 1204\n:user 1205\n:user 1299\n:user 张三\n"))
    await run_console(Settings(), str(tmp_path / "demo.db"))
    out = capsys.readouterr().out
    assert "王矿山 · 入库专家（矿山）" in out and "冯危化 · 入库专家（危化）" in out
    assert "（没有用户 1299：:users 列出全部，:user new 新建一个）" in out
    assert "（没有用户 张三：" in out and "（出错）" not in out


async def test_a_second_run_on_the_same_database_sends_messages_under_new_ids(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The database keeps the ids of the cards a run sent; the next run's messages must not
    reuse them (a card opened again was refused by the store, and a decision would rewrite
    whatever message of the new run had the old card's id)."""
    db = str(tmp_path / "demo.db")
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.StringIO(":user 9002\n/pending\n#1\n"))
        await run_console(Settings(), db)
        out = capsys.readouterr().out
        assert "📝 待资格审核" in out and "处理时出现问题" not in out
    database = create_database(f"sqlite:///{db}")
    async with unit_of_work_factory(database)() as uow:
        cards = await uow.applications.card_messages(4)  # 孙纸质, opened once in each run
    await database.dispose()
    assert len({message_id for _, message_id in cards}) == 2


async def test_the_banner_gives_the_demo_campaigns_deadline_at_six_in_the_evening_on_every_run(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first run seeds the campaign; a later run must print that campaign's deadline, not
    one computed again from its own start (it said a later day than the bot's welcome did)."""
    clock = FixedClock(datetime(2026, 12, 3, 3, 15, tzinfo=TZ))
    monkeypatch.setattr(console, "SystemClock", lambda: clock)
    db = str(tmp_path / "demo.db")
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n"))
        await run_console(Settings(), db)
        out = capsys.readouterr().out
        assert t.DEADLINE.format(deadline="2026-12-17 18:00") in out
        assert "个人及单位提交截止：2026-12-17 18:00" in out
        clock.advance(days=3)


async def test_a_line_that_cannot_run_is_answered_in_chinese_without_python_words(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [":user", ":photo", f":photo {tmp_path}/nope.jpg", f":file {tmp_path}", ":bogus", "#7",
             f":save {tmp_path}/x.db/y", ":users"]  # fmt: skip
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    (tmp_path / "x.db").write_text("")  # a file where :save wants a folder
    await run_console(Settings(), str(tmp_path / "demo.db"))
    out, err = capsys.readouterr()
    for said in (
        "（:user 后面要写账号 ID、new，如 :user 1002；:help 查看操作）",
        "（:photo 后面要写图片的路径，如 :photo 照片.jpg；:help 查看操作）",
        f"（找不到文件 {tmp_path}/nope.jpg）",
        f"（{tmp_path} 是文件夹，请给出文件）",
        "（没有控制台命令 :bogus：:help 查看操作；",
        "（现在没有按钮可按）",
        "（还没有收到文件）",
        "Telegram 1001 → 尚未使用本机器人 · 申报人 张三",
        "刘安全 · 申报人 · 申报状态：市局资格审核通过，待联席会议确认",  # as seeded, not yet appointed
    ):
        assert said in out, said
    assert "单位审核人（重庆大学） 王老师" not in out, "a known person's name is said once"
    assert not re.search(r"Error|Traceback|errno|list index", out) and err == ""
    assert "没有理解您的意思" not in out, ":bogus was not sent to the bot"


async def test_a_line_that_fails_inside_says_so_once_and_the_console_goes_on(
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug (here: sending a message blows up) costs the line, not the session; the person
    at the keyboard reads one Chinese line, stderr gets one labelled line without a traceback."""

    async def broken(self: OfflineUser, text: str, **extra: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(OfflineUser, "send", broken)
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n:help\n"))
    with caplog.at_level(logging.ERROR, logger="bot.console"):
        await run_console(Settings(), str(tmp_path / "demo.db"))
    out = capsys.readouterr().out
    assert t.FAILED in out and t.HELP in out and "boom" not in out
    [record] = caplog.records
    assert record.getMessage() == "console line failed: RuntimeError: boom"
    assert record.exc_info is None, "the traceback only with LOG_LEVEL=DEBUG"

    caplog.clear()
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n"))
    with caplog.at_level(logging.ERROR, logger="bot.console"):
        await run_console(Settings(log_level="DEBUG"), str(tmp_path / "demo.db"))
    [record] = caplog.records
    assert record.exc_info is not None


async def test_a_message_the_bot_edits_is_printed_again_marked_as_updated(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """全部同意 rewrites the consent message (its buttons go): printed again, said so."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n#4\n"))
    await run_console(Settings(), str(tmp_path / "demo.db"))
    pressed = capsys.readouterr().out.split("> #4", 1)[1]
    assert "─" * 40 + t.UPDATED + "\n个人信息处理告知" in pressed


def test_the_help_is_in_chinese_and_the_readme_lists_every_console_command() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The console", 1)[1].split("\n## ", 1)[0]
    commands = set(re.findall(r":[a-z]+", t.HELP))
    assert commands == {":photo", ":file", ":contact", ":user", ":users", ":save", ":remind",
                        ":help", ":quit"}  # fmt: skip
    assert [c for c in commands if f"`{c}" not in section] == []
    assert not re.search(r"\b(send|press|switch|leave|write)\b", t.HELP)


def test_log_lines_in_the_console_read_as_its_notes_not_json() -> None:
    """A handler's warning (a paper applicant has no chat to tell) shows among the console's own
    indented notes, labelled, not as a JSON object in the middle of the conversation."""
    from bot.cli import build_parser
    from bot.log_lines import formatter

    assert build_parser().parse_args(["console"]).log_format == "console"
    assert not hasattr(build_parser().parse_args(["campaign", "list"]), "log_format")
    record = logging.LogRecord(
        "handlers.notify", logging.WARNING, "", 0, "message to person %s not sent", (8,), None
    )
    line = formatter("console").format(record)
    assert line == "  （日志·警告）handlers.notify: message to person 8 not sent"


async def test_a_button_is_pressed_by_its_label_or_a_part_only_it_holds(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scripted walk reads as what a person presses: `#全部同意` instead of counting to #4.
    A part held by several labels, or by none, is one line naming what can be pressed."""
    lines = ["/start", "#同意", "#不存在", "#全部同意", "#沙坪坝区", "#重庆大学"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    await run_console(Settings(), str(tmp_path / "demo.db"))
    out = capsys.readouterr().out
    assert "（有几个按钮含“同意”：#1 同意：① 个人信息处理、#2 同意：② 敏感个人信息" in out
    assert "（没有文字为“不存在”的按钮：可按 #1–#5，或写按钮上的文字）" in out
    assert "请选择您的工作单位所在区县" in out.split("> #全部同意", 1)[1]
    assert "拟报专业组" in out.split("> #重庆大学", 1)[1]
