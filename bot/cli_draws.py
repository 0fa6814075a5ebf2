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
from bot.texts import cli as t
from bot.texts.draws import USING_UNIT_KINDS


def register(verbs: Any) -> None:
    draw = verbs.add_parser("draw", help=t.H_DRAW).add_subparsers(metavar="ACTION")
    unit = draw.add_parser("unit", help=t.H_DRAW_UNIT)
    unit.add_argument("name", help=t.H_DRAW_UNIT_NAME)
    unit.add_argument("--kind", required=True, help=t.H_DRAW_UNIT_KIND)
    unit.add_argument("--district", help=t.H_DRAW_UNIT_DISTRICT)
    unit.add_argument("--unit", help=t.H_DRAW_UNIT_UNIT)
    unit.set_defaults(handler=cmd_unit)
    draw.add_parser("units", help=t.H_DRAW_UNITS).set_defaults(handler=cmd_units)

    leave = draw.add_parser("leave", help=t.H_LEAVE)
    leave.add_argument("certificate_no", help=t.H_CERTIFICATE_NO)
    leave.add_argument("--from", dest="starts_on", type=_day, required=True, help=t.H_LEAVE_FROM)
    leave.add_argument("--to", dest="ends_on", type=_day, required=True, help=t.H_LEAVE_TO)
    leave.add_argument("--reason", help=t.H_LEAVE_REASON)
    leave.add_argument("--release", action="store_true", help=t.H_LEAVE_RELEASE)
    leave.set_defaults(handler=cmd_leave)

    show = draw.add_parser("show", help=t.H_DRAW_SHOW)
    show.add_argument("request_id", type=int, help=t.H_REQUEST_ID)
    show.set_defaults(handler=cmd_show)

    verify = draw.add_parser("verify", help=t.H_DRAW_VERIFY)
    verify.add_argument("request_id", type=int, help=t.H_REQUEST_ID)
    verify.set_defaults(handler=cmd_verify)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(t.NOT_A_DATE.format(text=text)) from None


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
    # The code (project) or its name (项目单位); the use case refuses anything else in Chinese.
    kind = args.kind.strip()
    kind = next((code for code, name in USING_UNIT_KINDS.items() if name == kind), kind)
    row = await _call(
        settings, draw_admin.add_using_unit, name=args.name.strip(), kind=kind,
        district_id=district_id, unit_code=(args.unit or "").strip().upper() or None,
        now=SystemClock().now(),
    )  # fmt: skip
    out(t.USING_UNIT_ADDED.format(id=row.id, name=row.name, code=row.code))
    out(t.USING_UNIT_INVITE.format(code=row.code))
    return 0


async def cmd_units(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import draw_admin

    for row in await _call(settings, draw_admin.using_units):
        out(f"{row.id}\t{row.code}\t{USING_UNIT_KINDS.get(row.kind, row.kind)}\t{row.name}")
    return 0


async def cmd_leave(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from bot.services import draw_admin

    recorded = await _call(
        settings, draw_admin.record_leave, certificate_no=args.certificate_no,
        starts_on=args.starts_on, ends_on=args.ends_on, reason=args.reason, by=None,
        now=SystemClock().now(), release=args.release,
    )  # fmt: skip
    out(leave_text(recorded, starts_on=args.starts_on, ends_on=args.ends_on))
    return 0


def leave_text(recorded: Any, *, starts_on: date, ends_on: date) -> str:
    """Who is on leave, and each invitation they hold on those days: answered for them
    (`--release`), or with what the bureau can do about it (a leave alone changes none)."""
    from bot.texts import draws as dt

    lines = [
        (t.LEAVE_ALREADY if recorded.already else t.LEAVE_RECORDED).format(
            name=recorded.name, certificate_no=recorded.certificate_no,
            starts_on=starts_on, ends_on=ends_on,
        )  # fmt: skip
    ]
    if not recorded.clashes:
        lines.append(t.LEAVE_NO_CLASH)
    elif any(clash.released for clash in recorded.clashes):
        lines.append(t.LEAVE_RELEASED.format(count=len(recorded.clashes)))
    else:
        lines.append(t.LEAVE_CLASHES.format(count=len(recorded.clashes)))
    for clash in recorded.clashes:
        lines.append(
            t.LEAVE_CLASH.format(
                request_id=clash.request_id, unit=clash.unit, project=clash.project,
                status=dt.INVITATION_STATUS.get(clash.status, clash.status),
                days="、".join(x.isoformat() for x in clash.days),
            )  # fmt: skip
        )
        if clash.begun:
            lines.append(t.LEAVE_CLASH_BEGUN)
        elif clash.released:
            accepted = clash.status == "accepted"
            lines.append(t.LEAVE_CLASH_WITHDRAWN if accepted else t.LEAVE_CLASH_DECLINED)
        elif clash.status == "accepted":
            lines.append(t.LEAVE_CLASH_ACCEPTED)
        else:
            lines.append(t.LEAVE_CLASH_INVITED)
    return "\n".join(lines)


async def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import draw_admin

    checks = await _call(settings, draw_admin.verify, request_id=args.request_id)
    if not checks:
        raise CliError(t.NOT_DRAWN.format(request_id=args.request_id))
    for check in checks:
        verdict = (
            t.VERIFY_DIFFERS.format(problems="、".join(t.VERIFY_PROBLEMS.get(p, p) for p in check.problems))
            if check.problems
            else t.VERIFY_MATCHES
        )
        out(
            t.VERIFY_ROUND.format(
                round_no=check.round_no,
                pool=check.pool_size,
                drawn=", ".join(map(str, check.drawn)),
                verdict=verdict,
            )
        )
    return 0 if all(not c.problems for c in checks) else 1


async def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot.clock import format_local
    from bot.services import draw_admin
    from bot.texts import draws as dt

    request, events = await _call(settings, draw_admin.trail, request_id=args.request_id)
    out(
        t.REQUEST.format(
            id=request.id,
            unit=request.unit_name,
            status=t.request_status(request.status),
            project=request.project,
            days="、".join(x.isoformat() for x in request.days),
            groups="、".join(request.groups),
            wanted=request.wanted,
        )
    )
    for action, detail, actor, at in events:
        who = t.BY_PERSON.format(id=actor) if actor is not None else t.BY_BOT
        detail_text = json.dumps(detail, ensure_ascii=False)
        action_text = dt.event_action(action)
        out(t.REQUEST_EVENT.format(at=format_local(at), action=action_text, who=who, detail=detail_text))
    return 0
