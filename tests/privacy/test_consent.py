"""Consent: three separate items, a history per version, asked again when the notice changes."""

from __future__ import annotations

from sqlalchemy import select

from bot.offline import OfflineWorld
from bot.services import applicant as applicant_svc
from bot.services import privacy
from handlers import render
from storage.models import ConsentNotice, ConsentRecord, Person
from tests.flows.helpers import choose_unit, consent
from tests.support.people import met_person


async def test_each_item_is_agreed_separately_before_anything_is_stored(
    world: OfflineWorld, sessionmaker
) -> None:
    user = world.user(1001, "三", last_name="张")
    await user.send("/start")
    labels = [text for text, _ in user.last().buttons()]
    assert any("敏感个人信息" in label for label in labels)
    assert any("境外" in label for label in labels)
    await user.press("① 个人信息处理", message=user.last())
    await user.press("② 敏感个人信息", message=user.last())
    async with sessionmaker() as session:
        assert (await session.execute(select(ConsentRecord))).first() is None
    await user.press("③ 经境外服务传输", message=user.last())
    async with sessionmaker() as session:
        [record] = (await session.execute(select(ConsentRecord))).scalars().all()
        notice = await session.get(ConsentNotice, record.notice_sha256)
    assert record.items == ["general", "sensitive", "transfer"]
    assert (record.person_id, record.action) == (await met_person(sessionmaker, 1001), "agree")
    assert notice is not None and notice.text == render.consent_text(applicant_svc.CONSENT_VERSION)
    assert notice.text == privacy.consent_notice(applicant_svc.CONSENT_VERSION)


async def test_a_new_notice_version_asks_again_and_keeps_the_old_record(
    world: OfflineWorld, sessionmaker, monkeypatch
) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.send("/start")
    assert "个人信息处理告知" not in user.last().text
    monkeypatch.setattr(applicant_svc, "CONSENT_VERSION", "2027.1")
    await user.send("/start")
    assert "版本 2027.1" in user.last().text
    await user.press("全部同意")
    me = await met_person(sessionmaker, 1001)
    async with sessionmaker() as session:
        records = (await session.execute(select(ConsentRecord).order_by(ConsentRecord.id))).scalars()
        assert [r.version for r in records] == ["2026.1", "2027.1"]
        assert (await session.get(Person, me)).consent_version == "2027.1"
        assert len((await session.execute(select(ConsentNotice))).all()) == 2


async def test_privacy_says_what_why_who_how_long_and_how_to_delete(world: OfflineWorld) -> None:
    user = world.user(1001)
    await user.send("/privacy")
    text = user.last().text
    for needle in ("收集什么", "为什么", "谁能看到", "保存多久", "180 天", "/delete_my_data", "023-88152128"):
        assert needle in text
