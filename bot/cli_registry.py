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


def register(verbs: Any) -> None:
    registry = verbs.add_parser(
        "registry", help="the expert database: meeting batches, publicity, appointment"
    ).add_subparsers(metavar="ACTION")

    batch = registry.add_parser("batch", help="record the joint meeting's decision (入库确认)")
    batch.add_argument("--meeting-date", type=_date, required=True, help="YYYY-MM-DD")
    batch.add_argument("--reference", required=True, help="e.g. 联席会议纪要〔2022〕3号")
    batch.add_argument("--applications", type=_ids, required=True, help="application ids: 1,2,3")
    batch.add_argument("--corrects", type=int, help="the batch this one corrects")
    batch.set_defaults(handler=cmd_batch)

    publicity = registry.add_parser("publicity", help="open a batch's publicity window (公示)")
    publicity.add_argument("--batch", type=int, required=True)
    publicity.add_argument("--start", type=_date, required=True, help="first day, YYYY-MM-DD")
    publicity.add_argument(
        "--end", type=_date, help="last day (default: the 5th working day; no holidays known)"
    )
    publicity.set_defaults(handler=cmd_publicity)

    objection = registry.add_parser("objection", help="record an objection (异议) received")
    objection.add_argument("--application", type=int, required=True)
    objection.add_argument("--received", type=_date, required=True, help="YYYY-MM-DD")
    objection.add_argument("--summary", required=True)
    objection.set_defaults(handler=cmd_objection)

    decide = registry.add_parser("decide", help="decide an objection")
    decide.add_argument("objection_id", type=int)
    outcome = decide.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--upheld", action="store_true", help="异议成立: the person leaves")
    outcome.add_argument("--overruled", action="store_true", help="异议不成立")
    decide.add_argument("--reason", required=True)
    decide.set_defaults(handler=cmd_decide)

    appoint = registry.add_parser("appoint", help="appoint a batch after its publicity (聘任)")
    appoint.add_argument("--batch", type=int, required=True)
    appoint.add_argument("--start", type=_date, required=True, help="first day of the term")
    appoint.set_defaults(handler=cmd_appoint)


def register_import(verbs: Any) -> None:
    imports = verbs.add_parser("import", help="applications that arrived on paper").add_subparsers(
        metavar="WHAT"
    )
    annex2 = imports.add_parser("annex2", help="a district's 附件2 推荐汇总表 (.xlsx)")
    annex2.add_argument("file", help="the .xlsx in the official layout")
    annex2.add_argument("--district", required=True, help="district code or name")
    annex2.add_argument(
        "--skip-bad", action="store_true", help="enter the good rows even when some fail"
    )
    annex2.set_defaults(handler=cmd_import_annex2)


async def cmd_import_annex2(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from bot.clock import SystemClock
    from bot.domain.errors import DomainError
    from bot.services import paper
    from exports.annex2_read import Annex2FormatError, read_annex2

    try:
        rows = read_annex2(Path(args.file).read_bytes())
    except (OSError, Annex2FormatError) as problem:
        raise CliError(f"{args.file}: {problem}") from None
    async with open_uows(settings) as uows:
        try:
            report = await paper.import_annex2(
                uows, rows, district=args.district, skip_bad=args.skip_bad, now=SystemClock().now()
            )
        except (DomainError, ValueError) as refused:
            raise CliError(str(refused)) from None
    for refused in report.refused:
        out(f"row {refused.row_no}: refused: {refused.reason}")
    if not report.stored:
        raise CliError(
            f"{len(report.refused)} of {len(rows)} rows refused; nothing imported "
            "(fix them, or --skip-bad to enter the others)"
        )
    out(f"{report.district}: {len(report.created)} applications entered as district-approved, "
        f"{len(report.refused)} refused")  # fmt: skip
    return 0


def _date(text: str) -> date:
    from bot.domain.parsers import parse_day

    try:
        return parse_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def _ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of ids: {text}") from None


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
    out(f"batch {recorded.id}: {recorded.reference}")
    for app in recorded.confirmed:
        out(f"  confirmed #{app.id} {app.values.get('name') or ''}")
    for app in recorded.dropped:
        out(f"  left out #{app.id} {app.values.get('name') or ''} (qualified again)")
    for objection_id in recorded.carried:
        out(f"  objection {objection_id} still open: decide it before appointing this batch")
    for objection_id in recorded.moot:
        out(f"  objection {objection_id}: moot (against someone left out)")
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
        f"publicity of batch {window.batch_id}: {window.starts_on} ({weekday_of(window.starts_on)}) "
        f"to {window.ends_on} ({weekday_of(window.ends_on)}), {len(published.entries)} people"
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
    out(f"objection {recorded.id} recorded against #{args.application}; decide it with "
        f"'expertbot registry decide {recorded.id} --upheld|--overruled --reason …'")  # fmt: skip
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
    out(f"objection {args.objection_id}: {'upheld' if args.upheld else 'overruled'}; "
        f"#{app.id} is {app.status.value}")  # fmt: skip
    for moot in decided.moot:
        out(f"objection {moot}: moot (against the same person, closed with it)")
    return 0


async def cmd_appoint(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import registry

    appointed = await _run(
        settings, registry.appoint_batch, batch_id=args.batch, term_start=args.start
    )
    for a in appointed:
        out(f"{a.certificate_no}\t{a.name}\t{a.group}\t{a.starts_on} to {a.ends_on}")
    out(f"{len(appointed)} appointed; each is told in chat by the running bot")
    return 0
