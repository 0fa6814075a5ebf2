"""A full application leaves no readable ID number, phone, address or photo in the database or the chat."""

from __future__ import annotations

from aiogram.methods import EditMessageText, SendMessage

from bot.offline import OfflineWorld
from storage.crypto import blind_index
from tests.flows.helpers import VALID_ID, choose_unit, consent
from tests.flows.review_helpers import (
    DISTRICT_REVIEWER,
    UNIT_REVIEWER,
    standard_reviewers,
    submitted_application,
)
from tests.privacy.helpers import MASKED_IN_CHAT, SECRETS, dump, raw_rows


async def test_personal_fields_are_ciphertext_in_the_database(
    world: OfflineWorld, sessionmaker, engine
) -> None:
    await submitted_application(world)
    stored = await dump(engine)
    for secret in SECRETS:
        assert secret not in stored
    assert "\xff\xd8\xff" not in stored
    [(id_number, id_hash, mobile)] = await raw_rows(
        engine, "SELECT id_number, id_hash, mobile FROM application"
    )
    assert id_number.count(":") == 1 and len(id_number) > 40
    assert id_hash == blind_index(VALID_ID)
    [(jpeg,)] = await raw_rows(engine, "SELECT jpeg FROM photo")
    assert not bytes(jpeg).startswith(b"\xff\xd8")
    assert "张三" in stored
    """The name stays readable: reviewers' lists and the audit trail need it."""


async def test_duplicate_id_numbers_are_found_through_the_hash(world: OfflineWorld) -> None:
    await submitted_application(world)
    other = world.user(1002, "四", last_name="李")
    await consent(other)
    await choose_unit(other)
    await other.press("矿山")
    await other.send("李四")
    await other.send(VALID_ID)
    assert any("该身份证号在本批次已有申报" in t for t in other.texts()[-3:])


async def test_no_full_id_number_or_phone_in_any_message_of_a_whole_review(
    world: OfflineWorld, sessionmaker
) -> None:
    await standard_reviewers(sessionmaker)
    await submitted_application(world)
    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.send("/pending")
    for label in ("查看全部", "审核记录"):
        if any(label in text for text, _ in unit.last().buttons()):
            await unit.press(label)
    await unit.press("通过")
    district = world.user(DISTRICT_REVIEWER, "区县")
    await district.send("/pending")
    await district.send("/applications")
    texts = [
        m.text
        for m in world.session.requests
        if isinstance(m, SendMessage | EditMessageText) and m.text
    ]
    assert len(texts) > 40
    for text in texts:
        for secret in MASKED_IN_CHAT:
            assert secret not in text, text
    assert any("500***********9998" in t for t in texts)
    assert any("138****0000" in t for t in texts)
