"""`expertbot draw …`: using units, experts' leave, and the proof of a past draw.

`draw verify` needs nothing but the audit record: it recomputes each round
from the key committed when the request was filed (bot.domain.draws).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from bot.cli import CliError, open_uows, out
from bot.config import Settings


def register(verbs: Any) -> None:
    draw = verbs.add_parser("draw", help="expert draws: using units, leave, verification").add_subparsers(
        metavar="ACTION"
    )
    unit = draw.add_parser("unit", help="register a using unit (使用单位)")
    unit.add_argument("name")
    unit.add_argument("--kind", required=True, choices=["hr", "division", "project"],
                      help="hr 区县人社局, division 市局处室, project 项目单位")  # fmt: skip
    unit.add_argument("--district", help="district code or name, if it has one")
    unit.add_argument("--unit", help="the same organisation's employer unit code, so its experts are avoided")
    unit.set_defaults(handler=cmd_unit)
    draw.add_parser("units", help="list using units").set_defaults(handler=cmd_units)

    leave = draw.add_parser("leave", help="record an expert's leave (请假): not drawn on those days")
    leave.add_argument("certificate_no")
    leave.add_argument("--from", dest="starts_on", type=date.fromisoformat, required=True)
    leave.add_argument("--to", dest="ends_on", type=date.fromisoformat, required=True)
    leave.add_argument("--reason")
    leave.set_defaults(handler=cmd_leave)

    show = draw.add_parser("show", help="a request and its audit trail")
    show.add_argument("request_id", type=int)
    show.set_defaults(handler=cmd_show)

    verify = draw.add_parser("verify", help="recompute a past draw from its audit record")
    verify.add_argument("request_id", type=int)
    verify.set_defaults(handler=cmd_verify)


async def _call(settings: Settings, use_case: Any, **kw: Any) -> Any:
    from bot.domain.errors import DomainError

    async with open_uows(settings) as uows:
        try:
            return await use_case(uows, **kw)
        except DomainError as refused:
            raise CliError(str(refused)) from None


async def cmd_unit(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.domain.vocab import resolve_district
    from bot.services import draw_admin

    district_id = None
    if args.district:
        async with open_uows(settings) as uows, uows() as uow:
            row = await uow.campaigns.district_by_code(resolve_district(args.district).code)
            district_id = row.id if row else None
    row = await _call(
        settings, draw_admin.add_using_unit, name=args.name.strip(), kind=args.kind,
        district_id=district_id, unit_code=(args.unit or "").strip().upper() or None,
        now=SystemClock().now(),
    )  # fmt: skip
    out(f"using unit {row.id}: {row.name} (code {row.code})")
    out(f"  invite its people: expertbot invite create --role user --unit {row.code}")
    return 0


async def cmd_units(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import draw_admin

    for row in await _call(settings, draw_admin.using_units):
        out(f"{row.id}\t{row.code}\t{row.kind}\t{row.name}")
    return 0


async def cmd_leave(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import draw_admin

    expert_id = await _call(
        settings, draw_admin.record_leave, certificate_no=args.certificate_no,
        starts_on=args.starts_on, ends_on=args.ends_on, reason=args.reason, by=None,
        now=SystemClock().now(),
    )  # fmt: skip
    out(f"expert {expert_id}: on leave {args.starts_on} to {args.ends_on}")
    return 0


async def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import draw_admin

    checks = await _call(settings, draw_admin.verify, request_id=args.request_id)
    if not checks:
        raise CliError(f"request {args.request_id} has not been drawn")
    for check in checks:
        verdict = "matches" if not check.problems else "DOES NOT MATCH: " + ", ".join(check.problems)
        out(
            f"round {check.round_no}: pool of {check.pool_size}, drawn "
            f"{', '.join(map(str, check.drawn))}: {verdict}"
        )
    return 0 if all(not c.problems for c in checks) else 1


async def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot.clock import format_local
    from bot.services import draw_admin

    request, events = await _call(settings, draw_admin.trail, request_id=args.request_id)
    out(
        f"request {request.id} by {request.unit_name} ({request.status}): {request.project}, "
        f"{', '.join(x.isoformat() for x in request.days)}, {request.wanted} of "
        f"{', '.join(request.groups)}"
    )
    for action, detail, actor, at in events:
        who = f"person {actor}" if actor is not None else "bot"
        out(f"  {format_local(at)}  {action:<16} {who:<10} {json.dumps(detail, ensure_ascii=False)}")
    return 0
