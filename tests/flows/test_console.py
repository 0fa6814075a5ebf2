"""`expertbot console` reaches every screen of the expert database from its demo seeds: a
script typed into it walks qualification, the meeting, a correction, publicity, an objection,
appointment, a reminder pass, /experts, /expert with a yearly evaluation, and an expert's /me."""

from __future__ import annotations

import io
import sys

import pytest

from bot.config import Settings
from bot.console import run_console
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
    assert "无法执行" not in out and "格式不正确" not in out


async def test_every_demo_expert_can_be_switched_to_and_an_unknown_user_is_said_so(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(":user 1204\n:user 1205\n:user 1299\n:user 张三\n"))
    await run_console(Settings(), str(tmp_path / "demo.db"))
    out = capsys.readouterr().out
    assert "入库专家（矿山） 王矿山" in out and "入库专家（危化） 冯危化" in out
    assert "(没有用户 1299：:users 列出全部，:user new 新建一个)" in out
    assert "(没有用户 张三：" in out and "无法执行" not in out


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
