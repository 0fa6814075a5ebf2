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


def register(verbs: Any) -> None:
    export = verbs.add_parser("export", help="Annex 2, Annex 1 and the full export as files").add_subparsers(
        metavar="WHAT"
    )
    annex2 = export.add_parser("annex2", help="附件2 推荐汇总表 (.xlsx)")
    annex2.add_argument("--district", default="all", help="district code or name, or all (default)")
    annex2.add_argument("--group", help="one professional group (拟报专业组), e.g. 矿山")
    annex2.add_argument("--include-pending", action="store_true", help="add rows still in review (备注 审核中)")
    _common(annex2)
    annex2.set_defaults(handler=cmd_export_annex2)

    annex1 = export.add_parser("annex1", help="附件1 推荐表 of one application (.docx)")
    annex1.add_argument("--application", type=int, required=True, help="application number")
    annex1.add_argument("-o", "--output", required=True, help="file to write")
    annex1.set_defaults(handler=cmd_export_annex1)

    archive = export.add_parser("annex1-archive", help="every 附件1 of a district's batch (.zip)")
    archive.add_argument("--district", required=True, help="district code or name")
    archive.add_argument("--include-pending", action="store_true", help="add forms still in review")
    _common(archive)
    archive.set_defaults(handler=cmd_export_archive)

    full = export.add_parser("full", help="every field of every submitted application (.xlsx)")
    full.add_argument("--district", default="all", help="district code or name, or all (default)")
    full.add_argument("--group", help="one professional group")
    _common(full)
    full.set_defaults(handler=cmd_export_full)

    from bot.domain.registry import Standing

    experts = export.add_parser("experts", help="入库专家名册, the registry with contact data (.xlsx)")
    experts.add_argument("--group", help="one professional group")
    experts.add_argument(
        "--standing", choices=[s.value for s in Standing]
    )
    experts.add_argument("-o", "--output", required=True, help="file to write")
    experts.set_defaults(handler=cmd_export_experts)

    audit = verbs.add_parser("audit", help="the access log of exports and views").add_subparsers(
        metavar="ACTION"
    )
    listing = audit.add_parser("list", help="newest entries first")
    listing.add_argument("-n", "--limit", type=int, default=50, help="how many (50, at most 200)")
    listing.set_defaults(handler=cmd_audit_list)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--campaign", type=int, help="campaign id (default: the current one)")
    p.add_argument("-o", "--output", required=True, help="file to write")


def _target(path: str) -> Path:
    """The output file, checked before any data is read."""
    target = Path(path)
    if target.is_dir():
        raise CliError(f"{path} is a folder; give a file name")
    if not target.parent.is_dir():
        raise CliError(f"folder {target.parent} does not exist")
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
        raise CliError(f"unknown district: {text}")
    return found


def _group(text: str | None) -> str | None:
    from bot.domain.vocab import PROFESSIONAL_GROUPS

    if text is None:
        return None
    group = text.strip()
    if group not in PROFESSIONAL_GROUPS:
        raise CliError(f"unknown --group {text}; one of: {' '.join(PROFESSIONAL_GROUPS)}")
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
    pending = f", {export.pending} in review" if export.pending else ""
    out(f"{path}: Annex 2 of {export.scope}, {len(export.rows)} rows{pending}")
    return 0


async def cmd_export_annex1(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import exports as svc
    from exports.annex1 import render_annex1_docx

    target = _target(args.output)
    async with open_uows(settings) as uows:
        form = await svc.annex1(uows, args.application, actor_id=None, now=SystemClock().now())
    path = _write(target, render_annex1_docx(form.form))
    out(f"{path}: Annex 1 of application {form.app_id}")
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
            raise CliError("--district must name one district")
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
    out(f"{path}: {len(forms)} Annex 1 forms of {district}")
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
    out(f"{path}: full export, {len(full.rows)} rows")
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
    out(f"{path}: registry, {len(rows)} experts")
    return 0


async def cmd_audit_list(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot.clock import format_local
    from bot.services import audit

    if not 1 <= args.limit <= audit.MAX_ENTRIES:
        raise CliError(f"--limit must be between 1 and {audit.MAX_ENTRIES}")
    async with open_uows(settings) as uows:
        entries = await audit.recent(uows, args.limit)
    for r in entries.rows:
        actor = "cli" if r.actor_id is None else str(r.actor_id)
        detail = json.dumps(r.detail, ensure_ascii=False, sort_keys=True)
        out(f"{format_local(r.at)}\t{actor}\t{r.action}\t{r.target}\t{detail}")
    return 0
