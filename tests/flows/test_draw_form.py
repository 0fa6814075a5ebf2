"""The /draw request form as a using unit fills it in, mistakes included: buttons left behind on an
earlier form, 回避 sent over several messages, and what the unit is told when the reserve runs out."""

from __future__ import annotations

import pytest

from bot.offline import OfflineUser, OfflineWorld
from bot.texts import draws as t
from storage.uow import unit_of_work_factory
from tests.flows.review_helpers import last_answer
from tests.flows.test_draws import EXPERTS, FILED_AT, using_unit
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


async def to_avoid_step(unit: OfflineUser, project: str = "某煤矿隐患排查治理验收") -> None:
    await unit.send("/draw")
    await unit.press("矿山")
    await unit.press("下一步")
    await unit.send("2022-12-10")
    await unit.send("渝北区某矿井")
    await unit.send(project)
    await unit.press("验收")
    await unit.send("1")
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
    assert unit.last().text == t.ASK_PLACE, "the newer form goes on where it was"
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
