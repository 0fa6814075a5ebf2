"""Small images made on the fly for upload tests."""

import io

from PIL import Image


def jpeg(width: int = 413, height: int = 579, color: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="JPEG")
    return out.getvalue()


def png(width: int = 413, height: int = 579) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(out, format="PNG")
    return out.getvalue()
