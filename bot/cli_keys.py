"""`expertbot keys generate|rotate` and `expertbot purge`: the data key and the retention sweep.

Registered into bot/cli.py's parser; no aiogram import.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli import CliError, _open, out
from bot.config import Settings


def register(verbs: Any) -> None:
    keys = verbs.add_parser("keys", help="the data key that encrypts personal data").add_subparsers(
        metavar="ACTION"
    )
    keys.add_parser("generate", help="print a fresh random key for DATA_KEY").set_defaults(
        handler=cmd_keys_generate
    )
    rotate = keys.add_parser(
        "rotate", help="re-encrypt everything under a new key (stop the bot first)"
    )
    new = rotate.add_mutually_exclusive_group(required=True)
    new.add_argument("--new-key", help="the new key, base64 (from: expertbot keys generate)")
    new.add_argument("--new-key-file", help="a file holding the new key")
    rotate.add_argument(
        "--new-index-key",
        help="a new INDEX_KEY for the ID-number hashes (default: derived from the new key, "
        "or INDEX_KEY if it is set)",
    )
    rotate.set_defaults(handler=cmd_keys_rotate)

    purge = verbs.add_parser(
        "purge",
        help="erase personal data of withdrawn, declined and not-accepted applications older than "
        "RETENTION_DAYS",
    )
    purge.add_argument("--dry-run", action="store_true", help="list what would be erased, change nothing")
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
            raise CliError("DATA_KEY (the current key) is not set: rotation needs both keys")
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
    out(f"re-encrypted {count} values from key {old.current_id} to key {key_id(new_key)}")
    out("now set DATA_KEY to the new key (and INDEX_KEY if you gave --new-index-key), then start the bot")
    return 0


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except OSError as problem:
        raise CliError(f"{path}: {problem.strerror or problem}") from None


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
    verb = "would erase" if report.dry_run else "erased"
    for app in report.applications:
        out(f"{app.id}\t{app.name}\t{app.status}\tlast change {format_local(app.updated_at)}")
    out(
        f"{verb} personal data of {len(report.applications)} application(s) "
        f"unchanged since {format_local(report.cutoff)} ({settings.retention_days} days)"
    )
    return 0
