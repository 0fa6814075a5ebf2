"""An applicant goes from /start to a submitted Annex 1 through the real Dispatcher."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.offline import OfflineWorld
from storage.models import Application, ApplicationEvent, Photo
from tests.flows.helpers import VALID_ID, choose_unit, consent, fill_form


@pytest.mark.production_loop
async def test_full_application_is_submitted_and_stored(world: OfflineWorld, sessionmaker) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await fill_form(user)
    card = user.last()
    assert "推荐表汇总" in card.text
    assert "500***********9998" in card.text
    assert VALID_ID not in card.text
    await user.press("签名提交")
    await user.send("张三")
    assert "申报已提交" in user.last().text

    async with sessionmaker() as session:
        app = (await session.execute(select(Application))).scalar_one()
        assert app.status == "submitted"
        assert app.id_number == VALID_ID
        assert app.gender == "男"
        assert app.mobile == "13800000000"
        assert app.main_specialties == ["矿山安全", "职业卫生"]
        assert app.resume[1]["end"] == "至今"
        assert app.filled_at.isoformat() == "2022-09-20"
        assert (await session.get(Photo, app.id)).jpeg.startswith(b"\xff\xd8")
        events = (await session.execute(select(ApplicationEvent))).scalars().all()
        assert [(e.from_status, e.to_status) for e in events] == [("draft", "submitted")]
