"""/stats: the charts the bureau looks at, sent as photos (several as one album).

The service reads the rows in its own unit of work and closes it; the charts
are drawn in a worker thread (matplotlib takes a few hundred milliseconds a
chart), then sent.
"""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, InputMediaPhoto, Message

from bot.clock import Clock, local
from bot.services import stats as svc
from bot.services.repositories import UnitOfWorkFactory
from exports.charts import ChartFile, chart_files


def build_router() -> Router:
    router = Router(name="stats")
    router.message.register(on_stats, Command("stats"))
    return router


async def on_stats(
    message: Message,
    uows: UnitOfWorkFactory,
    clock: Clock,
    person_id: int,
    admin_ids: tuple[int, ...],
) -> None:
    """Sends the charts the person may see; the service refuses anyone else."""
    stats = await svc.statistics(
        uows, by=person_id, admin_ids=admin_ids, today=local(clock.now()).date()
    )
    files = await asyncio.to_thread(chart_files, stats)
    if len(files) == 1:
        await message.answer_photo(_photo(files[0]), caption=files[0].caption)
        return
    await message.answer_media_group(
        [InputMediaPhoto(media=_photo(f), caption=f.caption) for f in files]
    )


def _photo(file: ChartFile) -> BufferedInputFile:
    return BufferedInputFile(file.png, filename=file.filename)
