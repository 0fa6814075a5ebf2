"""`expertbot stats --png DIR`: the /stats charts as PNG files, for the whole city.

Registered through `bot.cli._EXTENSIONS`; no aiogram import. The operator at
the command line sees what the bureau sees.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli import CliError, open_uows, out
from bot.config import Settings
from bot.texts import cli as t


def register(verbs: Any) -> None:
    stats = verbs.add_parser("stats", help=t.H_STATS)
    stats.add_argument("--png", required=True, metavar="DIR", help=t.H_STATS_PNG)
    stats.set_defaults(handler=cmd_stats)


async def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, local
    from bot.services import stats as svc
    from exports.charts import chart_files

    folder = Path(args.png)
    if folder.exists() and not folder.is_dir():
        raise CliError(t.IS_A_FILE.format(path=folder))
    if not folder.parent.is_dir():
        raise CliError(t.NO_FOLDER.format(folder=folder.parent))
    async with open_uows(settings) as uows:
        stats = await svc.statistics(uows, by=None, today=local(SystemClock().now()).date())
    folder.mkdir(exist_ok=True)
    for chart in chart_files(stats):
        path = folder / chart.filename
        path.write_bytes(chart.png)
        out(f"{path}: {chart.caption.replace(chr(10), ' · ')}")
    return 0
