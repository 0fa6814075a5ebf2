"""Every expertbot process runs on uvloop where it is installed, as aiogram's run_polling would."""

from __future__ import annotations

import asyncio

import pytest

from bot import cli

uvloop = pytest.importorskip("uvloop")


def test_a_command_runs_on_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    loops: list[type] = []

    async def upgrade(args: object, settings: object) -> int:
        loops.append(type(asyncio.get_running_loop()))
        return 0

    monkeypatch.setattr(cli, "cmd_db_upgrade", upgrade)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["db", "upgrade"])
    assert stopped.value.code == 0
    assert len(loops) == 1 and issubclass(loops[0], uvloop.Loop)


@pytest.mark.production_loop
async def test_production_loop_tests_run_on_it() -> None:
    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)


async def test_the_others_run_on_asyncios_own_loop() -> None:
    """Where the no-network guard sees every connection."""
    assert not isinstance(asyncio.get_running_loop(), uvloop.Loop)
