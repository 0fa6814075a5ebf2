"""`expertbot keys generate|rotate` and `expertbot purge`: the data key and the retention sweep.

Registered into bot/cli.py's parser; no aiogram import.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli import CliError, _open, out
from bot.config import Settings
from bot.texts import cli as t
from bot.texts.ops import file_problem


def register(verbs: Any) -> None:
    keys = verbs.add_parser("keys", help=t.H_KEYS).add_subparsers(metavar="ACTION")
    keys.add_parser("generate", help=t.H_KEYS_GENERATE).set_defaults(handler=cmd_keys_generate)
    rotate = keys.add_parser("rotate", help=t.H_KEYS_ROTATE)
    new = rotate.add_mutually_exclusive_group(required=True)
    new.add_argument("--new-key", help=t.H_NEW_KEY)
    new.add_argument("--new-key-file", help=t.H_NEW_KEY_FILE)
    rotate.add_argument("--new-index-key", help=t.H_NEW_INDEX_KEY)
    rotate.set_defaults(handler=cmd_keys_rotate)

    purge = verbs.add_parser("purge", help=t.H_PURGE)
    purge.add_argument("--dry-run", action="store_true", help=t.H_PURGE_DRY_RUN)
    purge.set_defaults(handler=cmd_purge)


async def cmd_keys_generate(args: argparse.Namespace, settings: Settings) -> int:
    from storage.crypto import generate_key

    out(generate_key())
    return 0


async def cmd_keys_rotate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.main import configure_keys
    from storage.crypto import Keyring, decode_key, key_id
    from storage.keystore import rotate_keys

    new_text = args.new_key or _read(args.new_key_file)
    new_key = decode_key(new_text, "--new-key")
    database = await _open(settings)
    try:
        old = configure_keys(settings)
        if old is None:
            raise CliError(t.ROTATE_NEEDS_OLD_KEY)
        index_text = args.new_index_key or (
            settings.index_key.get_secret_value() if settings.index_key else None
        )
        new = Keyring(
            current=new_key,
            index_key=decode_key(index_text, "--new-index-key") if index_text else None,
        )
        count = await rotate_keys(database, old, new, SystemClock().now())
    finally:
        await database.dispose()
    out(t.ROTATED.format(count=count, old=old.current_id, new=key_id(new_key)))
    out(t.ROTATED_NEXT)
    return 0


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except OSError as problem:
        raise CliError(t.FILE_PROBLEM.format(path=path, problem=file_problem(problem))) from None
    except UnicodeDecodeError:
        raise CliError(t.FILE_PROBLEM.format(path=path, problem=t.KEY_FILE_NOT_BASE64)) from None


async def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, format_local
    from bot.services.privacy import purge_expired
    from storage.uow import unit_of_work_factory

    database = await _open(settings)
    try:
        report = await purge_expired(
            unit_of_work_factory(database),
            SystemClock().now(),
            settings.retention_days,
            dry_run=args.dry_run,
        )
    finally:
        await database.dispose()
    for app in report.applications:
        changed = t.LISTING_LAST_CHANGE.format(at=format_local(app.updated_at))
        out(f"{app.id}\t{app.name}\t{t.status(app.status)}\t{changed}")
    summary = t.PURGE_PLANNED if report.dry_run else t.PURGED
    out(
        summary.format(
            count=len(report.applications),
            cutoff=format_local(report.cutoff),
            days=settings.retention_days,
        )
    )
    return 0
