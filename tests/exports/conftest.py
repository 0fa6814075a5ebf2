import io

import pytest


@pytest.fixture
def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (70, 98), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()
