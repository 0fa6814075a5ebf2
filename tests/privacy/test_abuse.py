"""Abuse limits: one user's flood does not slow others; oversized and bomb images are refused early."""

from __future__ import annotations

import struct
import zlib

import pytest
from aiogram import Bot
from aiogram.methods import GetFile

from bot.clock import FixedClock
from bot.config import Settings
from bot.images import portrait_jpeg
from bot.main import create_dispatcher
from bot.offline import OfflineSession, OfflineWorld
from bot.texts import chat as ct
from bot.texts import privacy as t
from tests.flows.helpers import choose_unit, consent
from tests.support.images import jpeg


@pytest.fixture
async def limited(settings: Settings, sessionmaker, clock: FixedClock):
    limited_settings = settings.model_copy(update={"rate_limit": 20, "rate_limit_window": 10.0})
    bot = Bot(token=settings.bot_token, session=OfflineSession())
    dp = create_dispatcher(settings=limited_settings, database=sessionmaker, clock=clock)
    world = OfflineWorld(dp, bot, now=clock.now)
    yield world
    await world.close()


async def test_a_flood_from_one_user_is_dropped_with_one_notice_and_others_are_served(
    limited: OfflineWorld, clock: FixedClock
) -> None:
    flooder, other = limited.user(1001), limited.user(1002)
    for _ in range(50):
        await flooder.send("/help")
    answered = [m for m in flooder.texts() if m.startswith("可用的命令")]
    assert len(answered) == 20
    assert flooder.texts().count(t.RATE_LIMITED) == 1
    await other.send("/help")
    assert other.last().text.startswith("可用的命令")

    clock.advance(seconds=1)
    await flooder.send("/help")
    assert flooder.texts().count(t.RATE_LIMITED) == 1
    clock.advance(seconds=10)
    for _ in range(25):
        await flooder.send("/help")
    assert flooder.texts().count(t.RATE_LIMITED) == 2


async def test_a_file_over_the_limit_is_refused_before_download(world: OfflineWorld) -> None:
    user = world.user(1001, "三", last_name="张")
    await consent(user)
    await choose_unit(user)
    await user.press("矿山")
    await user.send("张三")
    await user.send("500103199001019998")
    await user.press("确认无误")
    await user.press("汉族")
    big = jpeg() + b"\0" * (6 * 1024 * 1024)
    await user.send_file(big, "photo.jpg")
    assert "照片文件过大" in "\n".join(user.texts()[-3:])
    assert not any(isinstance(m, GetFile) for m in world.session.requests)


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def test_a_decompression_bomb_header_is_refused_without_decoding() -> None:
    with pytest.raises(ValueError) as problem:
        portrait_jpeg(_png_header(30000, 30000), 5 * 1024 * 1024)
    assert str(problem.value) == ct.PHOTO_BAD
