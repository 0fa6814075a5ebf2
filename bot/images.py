"""Checks an uploaded portrait and re-encodes it: only our own clean JPEG is kept.

Re-encoding drops EXIF (GPS included) and anything appended to the file; the
pixel cap and warnings-as-errors stop decompression bombs before decoding.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from bot.texts import chat as t

MIN_WIDTH, MIN_HEIGHT = 295, 413
MAX_PIXELS = 40_000_000
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def portrait_jpeg(data: bytes, max_bytes: int) -> tuple[bytes, tuple[int, int]]:
    """Returns (jpeg, (width, height)) or raises ValueError with the reason for the applicant."""
    if len(data) > max_bytes:
        raise ValueError(t.PHOTO_TOO_BIG.format(size=len(data) / 2**20, limit=max_bytes // 2**20))
    if not data.startswith(_MAGIC):
        raise ValueError(t.PHOTO_NOT_IMAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise ValueError(t.PHOTO_BAD)
            if getattr(image, "n_frames", 1) > 1:
                raise ValueError(t.PHOTO_NOT_IMAGE)
            ImageOps.exif_transpose(image, in_place=True)  # decodes; no copy when upright
    except ValueError:
        raise
    except (OSError, Image.DecompressionBombError, Image.DecompressionBombWarning, SyntaxError):
        raise ValueError(t.PHOTO_BAD) from None
    w, h = image.size
    if w >= h:
        raise ValueError(t.PHOTO_NOT_PORTRAIT.format(w=w, h=h))
    if w < MIN_WIDTH or h < MIN_HEIGHT:
        raise ValueError(t.PHOTO_TOO_SMALL.format(w=w, h=h))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue(), (w, h)
