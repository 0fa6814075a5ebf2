"""What a draw notice (NoticeKind.DRAW) says: invitations, answers, timeouts, reminders, work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.clock import format_local
from bot.domain import draws as d
from bot.texts import draws as t


def _days_text(days: Sequence[str]) -> str:
    return d.days_text(days)


def shortfall_text(*, pending: int, missing: int, pool: int, on_card: bool) -> str:
    """What the unit is told once nobody is left in the reserve and experts are still missing:
    how many invitations still wait for an answer, how many are missing even if they all accept,
    and whether a redraw can help now (on the card, with its button; in a notice, in /draws)."""
    lines = [
        t.SHORT_PENDING.format(pending=pending, missing=missing)
        if pending
        else t.SHORT.format(missing=missing)
    ]
    if pool:
        redraw = t.REDRAW_ON_CARD if on_card else t.REDRAW_IN_DRAWS
        lines.append(redraw.format(pool=pool))
        if pool < missing:
            lines.append(t.REDRAW_FEWER.format(gap=missing - pool))
    else:
        lines.append(t.NO_REDRAW)
    return "".join(lines)


def draw_text(p: dict[str, Any]) -> str:
    """The message of a draw notice (NoticeKind.DRAW)."""
    match p["what"]:
        case "invite":
            return t.INVITE.format(
                unit=p["unit"], project=p["project"], kind=t.WORK_KINDS.get(p["kind"], p["kind"]),
                days=_days_text(p["days"]), place=p["place"],
                reply_by=format_local(datetime.fromisoformat(p["reply_by"])),
            )  # fmt: skip
        case "answer":
            answer = {
                "accepted": t.ANSWER_ACCEPTED, "declined": t.ANSWER_DECLINED,
                "expired": t.ANSWER_EXPIRED, "left": t.ANSWER_LEFT,
            }[p["status"]]  # fmt: skip
            if p["status"] == d.IS.DECLINED and p.get("was") == d.IS.ACCEPTED:
                answer = t.ANSWER_WITHDRAWN
            reason = p["reason"].rstrip("。.！!？?；;，, ")
            short = p.get("short")
            extra = "".join(
                x for x in (t.ANSWER_REASON.format(reason=reason) if reason else "",
                            p["extra"],
                            shortfall_text(**short, on_card=False) if short else "") if x
            )  # fmt: skip
            return t.ANSWER_TO_UNIT.format(
                request_id=p["request_id"], name=p["name"], answer=answer, extra=extra
            ).rstrip()
        case "tomorrow":
            return t.TOMORROW.format(
                request_id=p["request_id"], project=p["project"], place=p["place"],
                days=_days_text(p["days"]),
            )  # fmt: skip
        case "record_work":
            return t.RECORD_WORK.format(request_id=p["request_id"], project=p["project"],
                                        names="、".join(p["names"]))  # fmt: skip
        case "too_late":
            return t.RESERVE_TOO_LATE.format(request_id=p["request_id"], missing=p["missing"])
        case "reserve_empty":
            return t.RESERVE_EMPTY_NOTICE.format(request_id=p["request_id"], missing=p["missing"])
        case "expired":
            return t.EXPIRED_OWN.format(request_id=p["request_id"], project=p["project"])
        case "excused":
            return t.EXCUSED_OWN.format(
                starts_on=p["from"], ends_on=p["to"], request_id=p["request_id"],
                project=p["project"], days=_days_text(p["days"]),
            )  # fmt: skip
        case "cancelled":
            return t.REQUEST_CANCELLED_OWN.format(
                request_id=p["request_id"], project=p["project"], days=_days_text(p["days"]),
                reason=p["reason"],
            )  # fmt: skip
        case "work":
            comment = t.WORK_COMMENT.format(comment=p["comment"]) if p["comment"] else ""
            return t.WORK_TO_EXPERT.format(
                unit=p["unit"], project=p["project"], hours=p["hours"], rating=p["rating"],
                fee=p["fee"], comment=comment,
            )  # fmt: skip
        case "work_answer":
            answer = t.WORK_ANSWER_CONFIRMED if p["answer"] == "confirmed" else t.WORK_ANSWER_DISPUTED
            note = t.WORK_ANSWER_NOTE.format(note=p["note"]) if p["note"] else ""
            return t.WORK_ANSWER_TO_UNIT.format(
                name=p["name"], project=p["project"], answer=answer, note=note
            ).rstrip()
    raise ValueError(p["what"])
