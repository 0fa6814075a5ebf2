"""Startup: import time of the package, and `expertbot run` until its first getUpdates.

    python -m benchmarks.startup [--runs 3]

A tiny Bot API stand-in on 127.0.0.1 answers the calls a starting bot makes;
`expertbot run` is started against it through TELEGRAM_API_BASE, on a fresh
SQLite file, and timed until its own log reports the first getUpdates call.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from storage.crypto import generate_key

FAKE_API = """
import asyncio, sys
from aiohttp import web
ME = {"id": 42, "is_bot": True, "first_name": "bench", "username": "cq_expert_bot"}
async def api(request):
    method = request.match_info["method"]
    if method == "getUpdates":
        await asyncio.sleep(0.5)
        return web.json_response({"ok": True, "result": []})
    return web.json_response({"ok": True, "result": ME if method == "getMe" else True})
app = web.Application()
app.router.add_route("*", "/bot{token}/{method}", api)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_get_updates(runs: int) -> list[float]:
    """Seconds from starting `expertbot run` until it logs its first getUpdates call."""
    port = free_port()
    fake = subprocess.Popen([sys.executable, "-c", FAKE_API, str(port)])
    time.sleep(2)
    timings = []
    try:
        for _ in range(runs):
            folder = tempfile.mkdtemp(prefix="startup-")
            env = {
                **os.environ,
                "BOT_TOKEN": "42:STARTUP",
                "DATA_KEY": generate_key(),
                "DATABASE_URL": f"sqlite:///{folder}/bot.db",
                "TELEGRAM_API_BASE": f"http://127.0.0.1:{port}",
            }
            start = time.perf_counter()
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=folder,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )
            assert bot.stderr is not None
            for line in bot.stderr:
                if '"method": "getUpdates"' in line:
                    timings.append(time.perf_counter() - start)
                    break
            bot.terminate()
            bot.communicate(timeout=60)
    finally:
        fake.terminate()
        fake.wait(timeout=10)
    return timings


def import_seconds(module: str) -> float:
    """Cumulative import time of `module` in a fresh interpreter, from -X importtime."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True, text=True, check=True,
    ).stderr
    last = [line for line in out.splitlines() if re.search(rf"\|\s*{re.escape(module)}$", line)]
    return int(last[-1].split("|")[1]) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| what | seconds (median) |")
    print("|---|---|")
    for module in ("bot.cli", "bot.main", "aiogram"):
        median = statistics.median(import_seconds(module) for _ in range(args.runs))
        print(f"| import {module} | {median:.2f} |")
    timings = first_get_updates(args.runs)
    print(f"| expertbot run → first getUpdates (fresh database, migrations included) | {statistics.median(timings):.2f} |")


if __name__ == "__main__":
    main()
