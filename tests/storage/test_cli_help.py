"""`expertbot --help` and every verb's help read in Chinese, as the bureau's operators do."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from bot.cli import build_parser, main

CJK = re.compile(r"[\u4e00-\u9fff]")


def _helps(parser: argparse.ArgumentParser, path: str = "expertbot") -> Iterator[tuple[str, str]]:
    """Every description and help string under `parser`, named by the command line that shows it."""
    if parser.description is not None:
        yield path, parser.description
    # argparse has no public walk over a parser's arguments and sub-commands.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield f"{path} {choice.dest}", str(choice.help)
            for name, sub in action.choices.items():
                yield from _helps(sub, f"{path} {name}")
        elif action.help not in (None, argparse.SUPPRESS):
            yield f"{path} {'/'.join(action.option_strings) or action.dest}", str(action.help)


def test_every_verb_and_option_help_is_in_chinese() -> None:
    helps = list(_helps(build_parser()))
    assert len(helps) > 150, "the walk found the verbs"
    english = [(where, text) for where, text in helps if not CJK.search(text)]
    assert english == []


@pytest.mark.parametrize("argv", [["--help"], ["export", "annex2", "--help"], ["registry", "-h"]])
def test_help_prints_the_chinese_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and "-h, --help" in out and "显示本帮助并退出" in out


LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def english_words(listing: str, *codes: str) -> list[str]:
    """Latin words a person would read in a tab-separated listing: everything but links, JSON
    details and the `codes` a script or an option takes back (a role, an audit action)."""
    text = re.sub(r"https?://\S+|/start \S+|\{.*\}", "", listing)
    return [w for w in LATIN_WORD.findall(text) if w not in codes]


CODES = ("district", "bureau_rv", "export_full", "all")
"""What a listing shows as recorded, for scripts: role codes (`--role`), an audit record's action
and target keys."""


async def _seed_listings(url: str) -> None:
    """The demo campaign and units, and a withdrawn application of 2022 for `purge` to list."""
    from datetime import datetime

    from bot.clock import TZ
    from storage.db import create_database
    from storage.migrate import upgrade
    from storage.uow import unit_of_work_factory
    from tests.flows.export_helpers import seed_app
    from tests.support.seed import seed_demo

    database = create_database(url)
    await upgrade(database)
    async with unit_of_work_factory(database)() as uow:
        await seed_demo(uow, now=datetime(2022, 9, 1, 9, 0, tzinfo=TZ))
        await uow.commit()
    await seed_app(database, telegram_id=5001, unit_code="CQU001", status="withdrawn", name="张三")
    await database.dispose()


def test_listings_keep_their_columns_and_say_their_words_in_chinese(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("BOT_USERNAME", raising=False)
    asyncio.run(_seed_listings(url))

    def listing(*argv: str) -> list[list[str]]:
        with pytest.raises(SystemExit) as exit_:
            main(list(argv))
        assert exit_.value.code in (0, None), argv
        rows = [line for line in capsys.readouterr().out.splitlines() if "\t" in line]
        assert english_words("\n".join(rows), *CODES) == [], argv
        return [row.split("\t") for row in rows]

    ISO = r"\d{4}-\d\d-\d\d \d\d:\d\d"
    [campaign] = listing("campaign", "list")
    assert len(campaign) == 5 and campaign[0].isdigit() and campaign[4] in ("征集中", "已关闭")
    assert re.fullmatch(ISO, campaign[2]) and re.fullmatch(ISO, campaign[3])

    listing("invite", "create", "--role", "district", "--district", "渝中区")
    listing("invite", "create", "--role", "bureau_rv")
    district, city = listing("invite", "list")
    assert district[:3] == ["1", "district", "渝中区"], "the place by name, as it is typed"
    assert city[:3] == ["2", "bureau_rv", "全市"]
    assert district[3] == "创建人 命令行" and re.fullmatch(f"有效至 {ISO}", district[4])

    [purged] = listing("purge", "--dry-run")
    assert purged[1:3] == ["张三", "已撤回"] and re.fullmatch(f"最后变动 {ISO}", purged[3])

    listing("export", "full", "-o", str(tmp_path / "full.xlsx"))
    [audit] = listing("audit", "list")
    assert audit[1:3] == ["命令行", "export_full"]
