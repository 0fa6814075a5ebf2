"""`expertbot registry …`: the joint meeting's batch, publicity, objections and appointment.

The operator's command line is trusted (as `grant` is); every step is the same
use case the bureau admin's chat screens call, audited alike.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from bot.cli import CliError, open_uows, out
from bot.config import Settings
from bot.texts import cli as t
from bot.texts.ops import file_problem


def register(verbs: Any) -> None:
    registry = verbs.add_parser("registry", help=t.H_REGISTRY).add_subparsers(metavar="ACTION")

    batch = registry.add_parser("batch", help=t.H_BATCH)
    batch.add_argument("--meeting-date", type=_date, required=True, help=t.H_MEETING_DATE)
    batch.add_argument("--reference", required=True, help=t.H_REFERENCE)
    batch.add_argument("--applications", type=_ids, required=True, help=t.H_APPLICATIONS)
    batch.add_argument("--corrects", type=int, help=t.H_CORRECTS)
    batch.set_defaults(handler=cmd_batch)

    publicity = registry.add_parser("publicity", help=t.H_PUBLICITY)
    publicity.add_argument("--batch", type=int, required=True, help=t.H_BATCH_ID)
    publicity.add_argument("--start", type=_date, required=True, help=t.H_PUBLICITY_START)
    publicity.add_argument("--end", type=_date, help=t.H_PUBLICITY_END)
    publicity.set_defaults(handler=cmd_publicity)

    objection = registry.add_parser("objection", help=t.H_OBJECTION)
    objection.add_argument("--application", type=int, required=True, help=t.H_APPLICATION)
    objection.add_argument("--received", type=_date, required=True, help=t.H_RECEIVED)
    objection.add_argument("--summary", required=True, help=t.H_SUMMARY)
    objection.set_defaults(handler=cmd_objection)

    decide = registry.add_parser("decide", help=t.H_DECIDE)
    decide.add_argument("objection_id", type=int, help=t.H_OBJECTION_ID)
    outcome = decide.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--upheld", action="store_true", help=t.H_UPHELD)
    outcome.add_argument("--overruled", action="store_true", help=t.H_OVERRULED)
    decide.add_argument("--reason", required=True, help=t.H_REASON)
    decide.set_defaults(handler=cmd_decide)

    appoint = registry.add_parser("appoint", help=t.H_APPOINT)
    appoint.add_argument("--batch", type=int, required=True, help=t.H_BATCH_ID)
    appoint.add_argument("--start", type=_date, required=True, help=t.H_TERM_START)
    appoint.set_defaults(handler=cmd_appoint)


def register_import(verbs: Any) -> None:
    imports = verbs.add_parser("import", help=t.H_IMPORT).add_subparsers(metavar="WHAT")
    annex2 = imports.add_parser("annex2", help=t.H_IMPORT_ANNEX2)
    annex2.add_argument("file", help=t.H_IMPORT_FILE)
    annex2.add_argument("--district", required=True, help=t.H_DISTRICT)
    annex2.add_argument("--skip-bad", action="store_true", help=t.H_SKIP_BAD)
    annex2.set_defaults(handler=cmd_import_annex2)


async def cmd_import_annex2(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from bot.clock import SystemClock
    from bot.domain.errors import DomainError
    from bot.services import paper
    from exports.annex2_read import Annex2FormatError, read_annex2

    try:
        rows = read_annex2(Path(args.file).read_bytes())
    except OSError as problem:
        raise CliError(t.FILE_PROBLEM.format(path=args.file, problem=file_problem(problem))) from None
    except Annex2FormatError as problem:
        raise CliError(t.FILE_PROBLEM.format(path=args.file, problem=problem)) from None
    async with open_uows(settings) as uows:
        try:
            report = await paper.import_annex2(
                uows, rows, district=args.district, skip_bad=args.skip_bad, now=SystemClock().now()
            )
        except (DomainError, ValueError) as refused:
            raise CliError(str(refused)) from None
    for refused in report.refused:
        out(t.ROW_REFUSED.format(row=refused.row_no, reason=refused.reason))
    if not report.stored:
        raise CliError(t.NOTHING_IMPORTED.format(rows=len(rows), refused=len(report.refused)))
    out(t.IMPORTED.format(district=report.district, created=len(report.created),
                          refused=len(report.refused)))  # fmt: skip
    return 0


def _date(text: str) -> date:
    from bot.domain.parsers import parse_day

    try:
        return parse_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t.NOT_A_DATE.format(text=text)) from None


def _ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(t.NOT_IDS.format(text=text)) from None


async def _run(settings: Settings, use_case: Any, **kw: Any) -> Any:
    from bot.clock import SystemClock
    from bot.domain.errors import DomainError

    async with open_uows(settings) as uows:
        try:
            return await use_case(uows, by=None, now=SystemClock().now(), **kw)
        except DomainError as refused:
            raise CliError(str(refused)) from None


async def cmd_batch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import registry

    recorded = await _run(
        settings,
        registry.record_batch,
        meeting_on=args.meeting_date,
        reference=args.reference,
        app_ids=args.applications,
        corrects=args.corrects,
    )
    out(t.BATCH.format(id=recorded.id, reference=recorded.reference))
    for app in recorded.confirmed:
        out(t.BATCH_CONFIRMED.format(id=app.id, name=app.values.get("name") or ""))
    for app in recorded.dropped:
        out(t.BATCH_LEFT_OUT.format(id=app.id, name=app.values.get("name") or ""))
    for objection_id in recorded.carried:
        out(t.BATCH_CARRIED.format(id=objection_id))
    for objection_id in recorded.moot:
        out(t.BATCH_MOOT.format(id=objection_id))
    return 0


async def cmd_publicity(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.registry import weekday_of, working_days_after
    from bot.services import registry

    end = args.end or working_days_after(args.start)
    published = await _run(
        settings, registry.open_publicity, batch_id=args.batch, starts_on=args.start, ends_on=end
    )
    window = published.window
    out(
        t.PUBLICITY.format(
            batch=window.batch_id,
            start=window.starts_on,
            start_day=weekday_of(window.starts_on),
            end=window.ends_on,
            end_day=weekday_of(window.ends_on),
            count=len(published.entries),
        )
    )
    for i, e in enumerate(published.entries, start=1):
        out(f"  {i}\t{e.name}\t{e.gender}\t{e.unit}\t{e.title}\t{e.group}")
    return 0


async def cmd_objection(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import registry

    recorded = await _run(
        settings,
        registry.record_objection,
        app_id=args.application,
        received_on=args.received,
        summary=args.summary,
    )
    out(t.OBJECTION_RECORDED.format(id=recorded.id, app_id=args.application))
    return 0


async def cmd_decide(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import registry

    decided = await _run(
        settings,
        registry.decide_objection,
        objection_id=args.objection_id,
        upheld=args.upheld,
        reason=args.reason,
    )
    app = decided.app
    outcome = t.UPHELD if args.upheld else t.OVERRULED
    out(t.OBJECTION_DECIDED.format(id=args.objection_id, outcome=outcome, app_id=app.id,
                                   status=t.status(app.status.value)))  # fmt: skip
    for moot in decided.moot:
        out(t.OBJECTION_CLOSED_MOOT.format(id=moot))
    return 0


async def cmd_appoint(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import registry

    appointed = await _run(
        settings, registry.appoint_batch, batch_id=args.batch, term_start=args.start
    )
    for a in appointed:
        term = t.LISTING_TERM.format(starts_on=a.starts_on, ends_on=a.ends_on)
        out(f"{a.certificate_no}\t{a.name}\t{a.group}\t{term}")
    out(t.APPOINTED.format(count=len(appointed)))
    return 0
