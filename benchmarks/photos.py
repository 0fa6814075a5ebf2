"""A burst of large portraits at the photo step, and another chat's reply time meanwhile.

    python -m benchmarks.photos [--photos 20] [--width 2999] [--height 4000]

Decodes the same burst twice: on the event loop (`portrait_jpeg`, as the
photo step did) and through `portrait_jpeg_async` (worker threads, two at a
time). Meanwhile a probe stands for another user's /help: every 5 ms it
asks the loop for a turn and records how long the answer took. Prints the
probe's p50/p99/max and the burst's wall time for both. Also times the
refusal of a 40 MP (5000×7999) portrait, which is read from the header only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import math
import os
import statistics
import time

from PIL import Image

from bot.images import portrait_jpeg, portrait_jpeg_async
from bot.loop import run

LIMIT = 20 * 2**20
"""Telegram's download limit: the largest file the photo step could be handed."""


def noisy_jpeg(width: int, height: int) -> bytes:
    """Noise compresses badly and decodes slowly: the costly end of a legal portrait."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


async def probe(stop: asyncio.Event, lags: list[float]) -> None:
    while not stop.is_set():
        asked = time.perf_counter()
        await asyncio.sleep(0.005)
        lags.append(time.perf_counter() - asked - 0.005)


async def burst(photos: list[bytes], use_async: bool) -> tuple[float, list[float]]:
    async def one(data: bytes) -> None:
        if use_async:
            await portrait_jpeg_async(data, LIMIT)
        else:
            await asyncio.sleep(0)
            portrait_jpeg(data, LIMIT)

    lags: list[float] = []
    stop = asyncio.Event()
    prober = asyncio.create_task(probe(stop, lags))
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await asyncio.gather(*(one(p) for p in photos))
    wall = time.perf_counter() - started
    stop.set()
    await prober
    return wall, lags


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def main(count: int, width: int, height: int) -> None:
    photo = noisy_jpeg(width, height)
    print(f"{count} portraits of {width}×{height} ({len(photo) / 2**20:.1f} MB each), {os.cpu_count()} cores")
    for use_async in (False, True):
        wall, lags = await burst([photo] * count, use_async)
        p99 = sorted(lags)[math.ceil(0.99 * len(lags)) - 1]  # nearest rank: few samples on the loop
        label = "portrait_jpeg_async (2 at a time, off the loop)" if use_async else "on the event loop"
        print(
            f"{label:48} burst {wall:6.2f} s   other chat: p50 {ms(statistics.median(lags))},"
            f" p99 {ms(p99)}, max {ms(max(lags))}"
        )
    bomb = io.BytesIO()
    Image.new("L", (5000, 7999)).save(bomb, format="PNG")
    started = time.perf_counter()
    with contextlib.suppress(ValueError):
        portrait_jpeg(bomb.getvalue(), LIMIT)
    print(f"5000×7999 (40 MP) refused from its header in {ms(time.perf_counter() - started)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--width", type=int, default=2999)
    parser.add_argument("--height", type=int, default=4000)
    args = parser.parse_args()
    run(main(args.photos, args.width, args.height))
