"""Checks an uploaded portrait and re-encodes it: only our own clean JPEG is kept.

Re-encoding drops EXIF (GPS included) and anything appended to the file; the
pixel cap, read from the header, and warnings-as-errors stop decompression
bombs before decoding. Decoding a large photo takes a core for a fraction of
a second and tens of megabytes, so `portrait_jpeg_async` does it in a worker
thread, a few at a time for the whole process: a burst of uploads queues
there instead of stalling every other chat.
"""

from __future__ import annotations

import asyncio
import io
import warnings
import weakref

from PIL import Image, ImageOps

from bot.texts import chat as t

MIN_WIDTH, MIN_HEIGHT = 295, 413
MAX_PIXELS = 12_000_000
"""12 MP: a phone camera's full frame (4000×3000); a portrait needs a small part of it."""
DECODES_AT_ONCE = 2
"""Photos decoded at the same time across the process; the machine has few cores."""
DECODED_INLINE = 2_000_000
"""Up to 2 MP (Telegram's own photo sizes: 1280 or 2560 px on the long side) decoding takes a
few milliseconds, less than a worker thread waits for the interpreter when the loop is busy
(measured: 2.2 s p50 for 600×800 portraits handed to threads at 800 updates/s)."""
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")

_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def portrait_jpeg(data: bytes, max_bytes: int) -> tuple[bytes, tuple[int, int]]:
    """Returns (jpeg, (width, height)) or raises ValueError with the reason for the applicant."""
    return _decode(_open_header(data, max_bytes))


async def portrait_jpeg_async(data: bytes, max_bytes: int) -> tuple[bytes, tuple[int, int]]:
    """`portrait_jpeg` with large decodes off the event loop, at most DECODES_AT_ONCE at a time.

    The header checks run first, on the loop: they are cheap and refuse a
    bomb without making it wait in the queue. Small photos are decoded on the
    loop (DECODED_INLINE).
    """
    image = _open_header(data, max_bytes)
    if image.width * image.height <= DECODED_INLINE:
        return _decode(image)
    async with _gate():
        return await asyncio.to_thread(_decode, image)


def _gate() -> asyncio.Semaphore:
    """One semaphore per event loop, made when first needed (a semaphore is bound to its loop)."""
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(DECODES_AT_ONCE)
    return gate


def _open_header(data: bytes, max_bytes: int) -> Image.Image:
    """Reads only the header: size, type, frame count; no pixel is decoded here."""
    if len(data) > max_bytes:
        raise ValueError(t.PHOTO_TOO_BIG.format(size=len(data) / 2**20, limit=max_bytes // 2**20))
    if not data.startswith(_MAGIC):
        raise ValueError(t.PHOTO_NOT_IMAGE)
    try:
        # Only here, on the caller's thread: catch_warnings changes process-wide state.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1)
    except (OSError, Image.DecompressionBombError, Image.DecompressionBombWarning, SyntaxError):
        raise ValueError(t.PHOTO_BAD) from None
    w, h = image.size
    if w * h > MAX_PIXELS:
        raise ValueError(t.PHOTO_TOO_MANY_PIXELS.format(w=w, h=h, limit=MAX_PIXELS // 1_000_000))
    if frames > 1:
        raise ValueError(t.PHOTO_NOT_IMAGE)
    return image


def _decode(image: Image.Image) -> tuple[bytes, tuple[int, int]]:
    try:
        ImageOps.exif_transpose(image, in_place=True)  # decodes; no copy when upright
        w, h = image.size
        if w >= h:
            raise ValueError(t.PHOTO_NOT_PORTRAIT.format(w=w, h=h))
        if w < MIN_WIDTH or h < MIN_HEIGHT:
            raise ValueError(t.PHOTO_TOO_SMALL.format(w=w, h=h))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=85)
    except ValueError:
        raise
    except (OSError, SyntaxError):
        raise ValueError(t.PHOTO_BAD) from None
    return out.getvalue(), (w, h)
