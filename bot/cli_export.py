"""`expertbot export …` and `expertbot audit list`: the exports from the command line.

Registered into bot/cli.py's parser; no aiogram import, so these verbs start
fast. The operator at the command line may export everything; every export
is still written to the access log (actor: the command line).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli import CliError, open_uows, out
from bot.config import Settings
from bot.texts import cli as t


def register(verbs: Any) -> None:
    export = verbs.add_parser("export", help=t.H_EXPORT).add_subparsers(metavar="WHAT")
    annex2 = export.add_parser("annex2", help=t.H_EXPORT_ANNEX2)
    annex2.add_argument("--district", default="all", help=t.H_DISTRICT_OR_ALL)
    annex2.add_argument("--group", help=t.H_GROUP)
    annex2.add_argument("--include-pending", action="store_true", help=t.H_INCLUDE_PENDING)
    _common(annex2)
    annex2.set_defaults(handler=cmd_export_annex2)

    annex1 = export.add_parser("annex1", help=t.H_EXPORT_ANNEX1)
    annex1.add_argument("--application", type=int, required=True, help=t.H_APPLICATION)
    annex1.add_argument("-o", "--output", required=True, help=t.H_OUTPUT)
    annex1.set_defaults(handler=cmd_export_annex1)

    archive = export.add_parser("annex1-archive", help=t.H_EXPORT_ARCHIVE)
    archive.add_argument("--district", required=True, help=t.H_DISTRICT)
    archive.add_argument("--include-pending", action="store_true", help=t.H_INCLUDE_PENDING_FORMS)
    _common(archive)
    archive.set_defaults(handler=cmd_export_archive)

    full = export.add_parser("full", help=t.H_EXPORT_FULL)
    full.add_argument("--district", default="all", help=t.H_DISTRICT_OR_ALL)
    full.add_argument("--group", help=t.H_GROUP)
    _common(full)
    full.set_defaults(handler=cmd_export_full)

    from bot.domain.registry import Standing

    experts = export.add_parser("experts", help=t.H_EXPORT_EXPERTS)
    experts.add_argument("--group", help=t.H_GROUP)
    experts.add_argument("--standing", choices=[s.value for s in Standing], help=t.H_STANDING)
    experts.add_argument("-o", "--output", required=True, help=t.H_OUTPUT)
    experts.set_defaults(handler=cmd_export_experts)

    audit = verbs.add_parser("audit", help=t.H_AUDIT).add_subparsers(metavar="ACTION")
    listing = audit.add_parser("list", help=t.H_AUDIT_LIST)
    listing.add_argument("-n", "--limit", type=int, default=50, help=t.H_AUDIT_LIMIT)
    listing.set_defaults(handler=cmd_audit_list)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--campaign", type=int, help=t.H_CAMPAIGN_ID)
    p.add_argument("-o", "--output", required=True, help=t.H_OUTPUT)


def _target(path: str) -> Path:
    """The output file, checked before any data is read."""
    target = Path(path)
    if target.is_dir():
        raise CliError(t.IS_A_FOLDER.format(path=path))
    if not target.parent.is_dir():
        raise CliError(t.NO_FOLDER.format(folder=target.parent))
    return target


def _write(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target


async def _district_id(uows: Any, text: str | None) -> int | None:
    """None for all (or no --district), else the district's id; unknown names are an error."""
    from bot.domain.vocab import resolve_district
    from bot.services.exports import district_id_of

    if text is None or text.strip().lower() in ("all", "全市"):
        return None
    found = await district_id_of(uows, resolve_district(text).code)
    if found is None:
        raise CliError(t.UNKNOWN_DISTRICT.format(text=text))
    return found


def _group(text: str | None) -> str | None:
    from bot.domain.vocab import PROFESSIONAL_GROUPS

    if text is None:
        return None
    group = text.strip()
    if group not in PROFESSIONAL_GROUPS:
        raise CliError(t.UNKNOWN_GROUP.format(text=text, groups=" ".join(PROFESSIONAL_GROUPS)))
    return group


async def cmd_export_annex2(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.domain.exports import Annex2Request
    from bot.services import exports as svc
    from exports.annex2 import write_annex2

    group, target = _group(args.group), _target(args.output)
    async with open_uows(settings) as uows:
        request = Annex2Request(
            district_id=await _district_id(uows, args.district),
            group=group,
            include_pending=args.include_pending,
        )
        export = await svc.annex2(
            uows, request, actor_id=None, now=SystemClock().now(), campaign_id=args.campaign
        )
    path = _write(target, write_annex2(export.rows, export.district, export.filled_on, group=group))
    out(t.annex2_written(path, export.scope, len(export.rows), export.pending))
    return 0


async def cmd_export_annex1(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import exports as svc
    from exports.annex1 import render_annex1_docx

    target = _target(args.output)
    async with open_uows(settings) as uows:
        form = await svc.annex1(uows, args.application, actor_id=None, now=SystemClock().now())
    path = _write(target, render_annex1_docx(form.form))
    out(t.ANNEX1_WRITTEN.format(path=path, id=form.app_id))
    return 0


async def cmd_export_archive(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import exports as svc
    from exports.annex1 import render_annex1_docx
    from exports.archive import annex1_archive
    from exports.names import annex1_filename

    target = _target(args.output)
    async with open_uows(settings) as uows:
        district_id = await _district_id(uows, args.district)
        if district_id is None:
            raise CliError(t.ONE_DISTRICT)
        district, forms = await svc.annex1_archive(
            uows,
            district_id,
            actor_id=None,
            now=SystemClock().now(),
            campaign_id=args.campaign,
            include_pending=args.include_pending,
        )
    data = annex1_archive((annex1_filename(None, f.app_id), render_annex1_docx(f.form)) for f in forms)
    path = _write(target, data)
    out(t.ARCHIVE_WRITTEN.format(path=path, district=district, count=len(forms)))
    return 0


async def cmd_export_full(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import exports as svc
    from exports.full import write_full_export

    group, target = _group(args.group), _target(args.output)
    async with open_uows(settings) as uows:
        full = await svc.full_export(
            uows,
            actor_id=None,
            now=SystemClock().now(),
            campaign_id=args.campaign,
            district_id=await _district_id(uows, args.district),
            group=group,
        )
    path = _write(target, write_full_export(full.headers, full.rows))
    out(t.FULL_WRITTEN.format(path=path, rows=len(full.rows)))
    return 0


async def cmd_export_experts(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock, local
    from bot.services import registry
    from bot.services.registry_ports import ExpertFilter
    from handlers.registry_files import registry_file

    group, target = _group(args.group), _target(args.output)
    now = SystemClock().now()
    async with open_uows(settings) as uows:
        rows = await registry.registry_rows(
            uows, what=ExpertFilter(group=group, standing=args.standing), by=None, now=now
        )
    _, data = registry_file(rows, local(now).date())
    path = _write(target, data)
    out(t.EXPERTS_WRITTEN.format(path=path, count=len(rows)))
    return 0


async def cmd_audit_list(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot.clock import format_local
    from bot.services import audit

    if not 1 <= args.limit <= audit.MAX_ENTRIES:
        raise CliError(t.LIMIT_RANGE.format(max=audit.MAX_ENTRIES))
    async with open_uows(settings) as uows:
        entries = await audit.recent(uows, args.limit)
    for r in entries.rows:
        actor = t.COMMAND_LINE if r.actor_id is None else str(r.actor_id)
        detail = json.dumps(r.detail, ensure_ascii=False, sort_keys=True)
        out(f"{format_local(r.at)}\t{actor}\t{r.action}\t{r.target}\t{detail}")
    return 0
