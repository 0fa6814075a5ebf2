"""Portraits are turned upright and re-encoded: only our own clean JPEG is kept."""

from __future__ import annotations

import io

from PIL import Image

from bot.images import portrait_jpeg

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
