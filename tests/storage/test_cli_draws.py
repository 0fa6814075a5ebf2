"""`expertbot draw unit` against a real SQLite file: its refusals read in Chinese, as the rest of
the command line's do."""

from __future__ import annotations

import re

import pytest

from bot.domain.errors import DomainError
from bot.services import draw_admin
from storage.uow import unit_of_work_factory
from tests.storage.test_cli_review import run

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_draw_unit_refuses_a_second_unit_of_a_name_and_an_unknown_unit_code_in_chinese(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "draw", "unit", "渝北区人社局", "--kind", "hr")
    assert code == 0 and out.startswith("使用单位 1：渝北区人社局（代码 ")
    code, _, err = run(capsys, "draw", "unit", "渝北区人社局", "--kind", "hr")
    assert code == 2 and err == "expertbot: 已有名为“渝北区人社局”的使用单位，没有重复登记。\n"
    code, _, err = run(capsys, "draw", "unit", "某项目部", "--kind", "project", "--unit", "nope")
    assert code == 2 and err == "expertbot: 找不到单位代码：NOPE（查看：expertbot unit list）\n"
    code, _, err = run(capsys, "draw", "unit", "某项目部", "--kind", "学校")
    assert code == 2 and err.startswith("expertbot: 使用单位类型“学校”不对，须为以下之一：")
    code, out, _ = run(capsys, "draw", "units")
    assert code == 0 and len(out.splitlines()) == 1, "nothing was added by the refusals"
    assert out.split("\t")[2] == "区县人社局", "the kind as the chat names it"
    code, out, _ = run(capsys, "draw", "unit", "某项目部", "--kind", "项目单位")
    assert code == 0
    assert run(capsys, "draw", "units")[1].splitlines()[1].split("\t")[2:] == ["项目单位", "某项目部"]


async def test_a_using_unit_of_no_known_kind_is_refused_in_chinese(sessionmaker, clock) -> None:
    with pytest.raises(DomainError) as refused:
        await draw_admin.add_using_unit(
            unit_of_work_factory(sessionmaker), name="某单位", kind="school", district_id=None,
            unit_code=None, now=clock.now(),
        )  # fmt: skip
    assert str(refused.value) == (
        "使用单位类型“school”不对，须为以下之一：hr 区县人社局、division 市局处室、project 项目单位。"
    )
    assert CJK.search(str(refused.value))
