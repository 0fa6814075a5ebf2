"""The bureau's and the command line's side of draws: using units, experts' leave, and a
request's audit trail with the proof that recomputes its draws from it alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.clock import local
from bot.domain import draws as d
from bot.domain.errors import AlreadyHandled, DomainError, NotAllowed, NotFound
from bot.domain.registry import SERVING, Standing
from bot.domain.units import new_unit_code
from bot.services.draw_ports import RequestRow, UsingUnitRow
from bot.services.draws import excuse_for_leave
from bot.services.registry_ports import ExpertFilter
from bot.services.repositories import UnitOfWorkFactory
from bot.texts import draws as t
from bot.texts import registry as rt


async def add_using_unit(
    uows: UnitOfWorkFactory, *, name: str, kind: str, district_id: int | None,
    unit_code: str | None, now: datetime,
) -> UsingUnitRow:  # fmt: skip
    """Registers a using unit; its people get the `user` role by invite or grant."""
    if kind not in t.USING_UNIT_KINDS:
        raise DomainError(t.USING_UNIT_BAD_KIND.format(kind=kind, kinds=t.using_unit_kinds()))
    async with uows() as uow:
        if await uow.draws.using_unit_by(name=name) is not None:
            raise AlreadyHandled(t.USING_UNIT_EXISTS.format(name=name))
        unit_id = None
        if unit_code:
            unit = await uow.campaigns.unit_by_code(unit_code)
            if unit is None:
                raise NotFound(t.USING_UNIT_UNKNOWN_UNIT.format(code=unit_code))
            unit_id = unit.id
        using_unit_id = await uow.draws.add_using_unit(
            code=new_unit_code(), name=name, kind=kind, district_id=district_id, unit_id=unit_id,
            now=now,
        )  # fmt: skip
        row = await uow.draws.using_unit(using_unit_id)
        assert row is not None
        await uow.commit()
    return row


async def using_units(uows: UnitOfWorkFactory) -> Sequence[UsingUnitRow]:
    async with uows() as uow:
        return await uow.draws.using_units()


@dataclass(frozen=True)
class LeaveClash:
    """An invitation the expert already holds (invited or accepted) on days of their leave."""

    request_id: int
    project: str
    unit: str
    status: str
    days: tuple[date, ...]
    """The request's days that fall in the leave, today or later."""
    begun: bool
    """The work's first day has come: nothing more can be changed through the bot."""
    released: bool = False
    """Answered for the expert (`release`): the days are free, the next in the reserve invited."""


@dataclass(frozen=True)
class LeaveRecorded:
    expert_id: int
    name: str
    certificate_no: str
    clashes: tuple[LeaveClash, ...]
    already: bool = False
    """A leave recorded before holds these days: nothing new was stored."""


async def record_leave(
    uows: UnitOfWorkFactory, *, certificate_no: str, starts_on: date, ends_on: date,
    reason: str | None, by: int | None, now: datetime, release: bool = False,
) -> LeaveRecorded:  # fmt: skip
    """An expert's leave (请假): not drawn on those days, so it ends today or later, and only
    for an expert in service (a former one is never drawn). Returns who it is and the
    invitations they already hold on those days. By itself a leave keeps an expert out of
    draws to come and changes no invitation (README "Drawing experts"); with `release` the
    bureau answers each of those whose work has not begun for the expert (one who cannot
    press 婉拒 or 无法参加 themselves), and the unit and the expert are told."""
    if ends_on < starts_on:
        raise NotAllowed(t.LEAVE_BACKWARDS.format(starts_on=starts_on, ends_on=ends_on))
    if ends_on < (today := local(now).date()):
        raise NotAllowed(t.LEAVE_PAST.format(ends_on=ends_on, today=today))
    certificate_no = certificate_no.strip().upper()
    async with uows() as uow:
        expert_id = await uow.registry.expert_by_certificate(certificate_no)
        expert = await uow.registry.expert(expert_id) if expert_id is not None else None
        if expert is None:
            raise NotFound(t.LEAVE_UNKNOWN_CERT.format(certificate_no=certificate_no))
        if Standing(expert.standing) not in SERVING:
            raise NotAllowed(
                t.LEAVE_NOT_SERVING.format(
                    certificate_no=certificate_no,
                    standing=rt.STANDING.get(expert.standing, expert.standing),
                )
            )
        added = await uow.draws.add_leave(
            expert_id=expert.id, starts_on=starts_on, ends_on=ends_on, reason=reason, by=by, now=now
        )
        # The name as the registry lists it, without decrypting the expert's Annex 1.
        listed, _ = await uow.registry.experts(ExpertFilter(person_id=expert.person_id), limit=1)
        clashes = []
        first = max(starts_on, today)
        for inv in await uow.draws.holding(expert.id, first):
            request = await uow.draws.request(inv.request_id)
            assert request is not None
            days = tuple(x for x in request.days if first <= x <= ends_on)
            if days:
                begun = today >= request.days[0]
                clashes.append(
                    LeaveClash(
                        request_id=request.id, project=request.project, unit=request.unit_name,
                        status=inv.status, days=days, begun=begun, released=release and not begun,
                    )  # fmt: skip
                )
        if released := [c.request_id for c in clashes if c.released]:
            why = t.LEAVE_AS_REASON.format(reason=reason) if reason else t.LEAVE_AS_REASON_BARE
            notices = await excuse_for_leave(
                uow, expert.id, released, leave=(starts_on, ends_on), reason=why, actor_id=by,
                now=now,
            )  # fmt: skip
            await uow.campaigns.add_notices(notices, now)
        await uow.commit()
    return LeaveRecorded(
        expert_id=expert.id, name=listed[0].name if listed else "", certificate_no=certificate_no,
        clashes=tuple(clashes), already=not added,
    )  # fmt: skip


async def trail(
    uows: UnitOfWorkFactory, request_id: int
) -> tuple[RequestRow, Sequence[tuple[str, dict[str, Any], int | None, datetime]]]:
    """A request and its audit trail, oldest first (for the command line)."""
    async with uows() as uow:
        request = await uow.draws.request(request_id)
        if request is None:
            raise NotFound(t.NOT_FOUND.format(request_id=request_id))
        return request, await uow.draws.events(request_id)


@dataclass(frozen=True)
class RoundCheck:
    round_no: int
    problems: tuple[str, ...]
    pool_size: int
    drawn: tuple[int, ...]


async def verify(uows: UnitOfWorkFactory, request_id: int) -> list[RoundCheck]:
    """Recomputes every round of a request from the audit record alone.

    Round 1's key must match the commitment written when the request was filed, and each
    later round's the commitment written when the round before was drawn; the pool must match
    its hash, the order the scores; and the invitations must have followed that order: the
    drawn first, then the reserve one by one (invited or skipped), nobody else."""
    async with uows() as uow:
        if await uow.draws.request(request_id) is None:
            raise NotFound(t.NOT_FOUND.format(request_id=request_id))
        events = await uow.draws.events(request_id)
        rounds = {r.round_no: r for r in await uow.draws.rounds(request_id)}
        invitations = await uow.draws.invitations(request_id)
    committed = next((str(x.get("commitment", "")) for a, x, _, _ in events if a == "filed"), "")
    checks = []
    for action, detail, _, _ in events:
        if action != "drawn":
            continue
        stored = rounds.get(int(detail["round"]))
        record = d.Record(
            request_id=request_id,
            round_no=int(detail["round"]),
            commitment=committed,
            key_hex=str(detail["key"]),
            pool=stored.pool if stored else "",
            pool_hash=str(detail["pool_hash"]),
            wanted=stored.wanted if stored else 0,
            drawn=tuple(detail["drawn"]),
            reserve=tuple(detail["reserve"]),
        )
        problems = d.verify(record)
        if stored is not None and not d.followed_order(
            record.drawn + record.reserve,
            [(i.position, i.expert_id) for i in invitations if i.round_id == stored.id],
        ):
            problems.append("invitations")
        checks.append(
            RoundCheck(record.round_no, tuple(problems), int(detail["pool_size"]), record.drawn)
        )
        committed = str(detail.get("next_commitment", ""))
    return checks
