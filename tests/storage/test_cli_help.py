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
