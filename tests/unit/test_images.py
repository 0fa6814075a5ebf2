"""Portraits are turned upright and re-encoded: only our own clean JPEG is kept."""

from __future__ import annotations

import asyncio
import io
import struct
import threading
import time
import zlib

import pytest
from PIL import Image, ImageOps

from bot import images
from bot.images import DECODES_AT_ONCE, MAX_PIXELS, portrait_jpeg, portrait_jpeg_async
from bot.texts import chat as ct

ORIENTATION, MAKE = 0x0112, 0x010F


def camera_jpeg(orientation: int) -> bytes:
    """A landscape sensor image that a camera marks to be shown rotated, with its maker in the EXIF."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "phone"
    out = io.BytesIO()
    Image.new("RGB", (579, 413), "white").save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_rotated_camera_photo_is_turned_upright_and_loses_its_exif() -> None:
    data, size = portrait_jpeg(camera_jpeg(orientation=6), max_bytes=2**20)
    image = Image.open(io.BytesIO(data))
    assert size == image.size == (413, 579)
    assert "exif" not in image.info
    assert not image.getexif()


def test_an_upright_photo_keeps_its_size_and_loses_its_exif() -> None:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[MAKE] = "phone"
    Image.new("RGB", (413, 579), "white").save(out, format="JPEG", exif=exif.tobytes())
    data, size = portrait_jpeg(out.getvalue(), max_bytes=2**20)
    assert size == (413, 579)
    assert not Image.open(io.BytesIO(data)).getexif()


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


@pytest.mark.parametrize(("w", "h"), [(5000, 7999), (3000, 4001)])
def test_a_portrait_over_12_megapixels_is_refused_from_its_header(
    w: int, h: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decoding(*_a: object, **_k: object) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageOps, "exif_transpose", no_decoding)
    with pytest.raises(ValueError) as problem:
        portrait_jpeg(_png_header(w, h), max_bytes=2**20)
    assert str(problem.value) == ct.PHOTO_TOO_MANY_PIXELS.format(w=w, h=h, limit=12)
    assert MAX_PIXELS == 12_000_000


async def test_the_async_entry_gives_the_same_jpeg() -> None:
    data = camera_jpeg(orientation=6)
    assert await portrait_jpeg_async(data, 2**20) == portrait_jpeg(data, 2**20)
    with pytest.raises(ValueError):
        await portrait_jpeg_async(_png_header(5000, 7999), 2**20)


async def test_large_decodes_run_off_the_loop_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def slow_decode(_image: object) -> tuple[bytes, tuple[int, int]]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return b"", (1, 2)

    monkeypatch.setattr(images, "_decode", slow_decode)
    monkeypatch.setattr(images, "DECODED_INLINE", 0)  # every photo counts as large here
    data = camera_jpeg(orientation=6)
    burst = asyncio.gather(*(portrait_jpeg_async(data, 2**20) for _ in range(8)))
    lags = []
    while not burst.done():
        before = time.perf_counter()
        await asyncio.sleep(0)
        lags.append(time.perf_counter() - before)
    await burst
    assert most == DECODES_AT_ONCE == 2
    assert max(lags) < 0.03, "another chat's update must not wait for a decode"


async def test_small_photos_are_decoded_on_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []

    def where(_image: object) -> tuple[bytes, tuple[int, int]]:
        threads.append(threading.current_thread().name)
        return b"", (1, 2)

    monkeypatch.setattr(images, "_decode", where)
    await portrait_jpeg_async(camera_jpeg(orientation=6), 2**20)
    assert threads == [threading.main_thread().name]


def test_a_square_photo_is_not_called_landscape() -> None:
    with pytest.raises(ValueError) as refused:
        out = io.BytesIO()
        Image.new("RGB", (400, 400), "white").save(out, format="JPEG")
        portrait_jpeg(out.getvalue(), max_bytes=2**20)
    assert "横版" not in str(refused.value) and "400×400" in str(refused.value)
