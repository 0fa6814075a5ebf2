"""Use cases of drawing experts: file a request, draw, answer, expire, cancel, remind.

Each opens one unit of work and commits it before anything is sent. What must
reach someone (an invitation, an answer, the next in line) is written to the
reminder outbox in the same transaction, so it goes out exactly once: a use
case that runs in a handler claims its notices for a holder and the handler
delivers them once the unit of work is closed (`bot.services.reminders.deliver`);
anything it could not deliver, and everything a timeout causes, the next
reminder pass sends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.clock import format_local, local
from bot.domain import draws as d
from bot.domain.errors import (
    AlreadyHandled,
    DeadlinePassed,
    DomainError,
    NotAllowed,
    NotFound,
)
from bot.domain.registry import SERVING
from bot.domain.reminders import DEFAULT_LEASE, Notice, NoticeKind
from bot.domain.review import Grant, RoleKind
from bot.services.draw_ports import (
    InvitationRow,
    NewRequest,
    RequestListRow,
    RequestRow,
    RoundRow,
    UsingUnitRow,
)
from bot.services.ports import DistrictRow
from bot.services.registry import is_bureau
from bot.services.registry_ports import ExpertFilter
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.services.roles import grants_of
from bot.texts import draws as t

log = logging.getLogger(__name__)

DRAW_ATTEMPTS = 5
"""Draws retried when another draw booked one of ours first; each retry forms the pool again."""
LIST_LIMIT = 20


# who may do what ------------------------------------------------------------------------------


def using_units_of(grants: Iterable[Grant]) -> list[int]:
    return [g.using_unit_id for g in grants if g.role is RoleKind.USER and g.using_unit_id]


async def request_for(
    uow: UnitOfWork, request_id: int, person_id: int, admin_ids: Iterable[int], *, act: bool
) -> RequestRow:
    """The request if this person's unit filed it (or, to look only, the bureau)."""
    request = await uow.draws.request(request_id)
    if request is None:
        raise NotFound(t.NOT_FOUND.format(request_id=request_id))
    grants = await grants_of(uow, person_id, admin_ids)
    if request.using_unit_id in using_units_of(grants):
        return request
    if not act and is_bureau(grants):
        return request
    log.warning("person %s refused on draw request %s", person_id, request_id)
    raise NotAllowed(t.NOT_YOURS)


def _begun(request: RequestRow, now: datetime) -> bool:
    """The work's first day has come (Asia/Shanghai): no more draws, acceptances or cancelling."""
    return local(now).date() >= request.days[0]


def _refuse_cancel_once_begun(request: RequestRow, now: datetime) -> None:
    if _begun(request, now):
        raise DeadlinePassed(t.CANCEL_TOO_LATE.format(day=request.days[0].isoformat()))


async def _locked(
    uow: UnitOfWork, request_id: int, person_id: int, admin_ids: Iterable[int]
) -> RequestRow:
    """The request, checked for this person's unit and then locked for the unit of work: two
    changes to one request (a draw, answers, a timeout, a cancellation) run one after the other,
    the second on what the first left."""
    await request_for(uow, request_id, person_id, admin_ids, act=True)
    return await _lock(uow, request_id)


async def _lock(uow: UnitOfWork, request_id: int) -> RequestRow:
    if not await uow.draws.lock_request(request_id):
        raise NotFound(t.NOT_FOUND.format(request_id=request_id))
    request = await uow.draws.request(request_id)
    assert request is not None
    return request


# the request's card -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestView:
    request: RequestRow
    unit: UsingUnitRow
    pool_size: int | None
    """Experts who could be drawn now (before a draw, or when a redraw is possible)."""
    rounds: Sequence[RoundRow]
    invitations: Sequence[InvitationRow]
    worked: frozenset[int] = frozenset()
    """Invitations whose work is recorded."""
    district_names: Sequence[str] = ()
    may_act: bool = False
    started: bool = False
    """The work's first day has come: no more draws, invitations or cancelling."""
    avoided: Sequence[str] = ()
    """The experts named for 回避, by certificate number."""

    @property
    def accepted(self) -> int:
        return sum(1 for i in self.invitations if i.status == d.IS.ACCEPTED)

    @property
    def open(self) -> int:
        return sum(1 for i in self.invitations if i.status == d.IS.INVITED)

    @property
    def missing(self) -> int:
        return max(0, self.request.wanted - self.accepted - self.open)

    @property
    def reserve_left(self) -> int:
        if not self.rounds:
            return 0
        invited = {i.expert_id for i in self.invitations}
        return sum(1 for e in self.rounds[-1].reserve if e not in invited)

    @property
    def may_draw(self) -> bool:
        """First draw, or a redraw once the reserve is used up and people are still missing."""
        if self.started:
            return False
        if self.request.status == d.RequestStatus.FILED:
            return True
        return (
            self.request.status == d.RequestStatus.DRAWN
            and self.missing > 0
            and self.reserve_left == 0
        )


async def _pool(uow: UnitOfWork, request: RequestRow, unit: UsingUnitRow) -> list[d.PoolEntry]:
    """Who could be drawn for this request now; experts invited before by it are left out."""
    avoid = d.Avoid(
        unit_ids=frozenset({unit.unit_id} if unit.unit_id else ()),
        unit_names=frozenset({d.unit_key(unit.name), *(d.unit_key(n) for n in request.avoid_units)}),
        expert_ids=frozenset({*request.avoid_experts, *await uow.draws.invited_experts(request.id)}),
    )
    found = d.eligible(
        await uow.draws.candidates(request.groups, request.days),
        frozenset(request.groups),
        avoid,
    )
    preferred = set(request.preferred_districts)
    return [d.PoolEntry(c.expert_id, c.district_id in preferred) for c in found]


async def view_of(
    uow: UnitOfWork, request: RequestRow, *, may_act: bool, now: datetime, size_pool: bool = True
) -> RequestView:
    """The card; without `size_pool` its pool_size stays None (the caller forms the pool itself)."""
    unit = await uow.draws.using_unit(request.using_unit_id)
    assert unit is not None
    invitations = await uow.draws.invitations(request.id)
    worked = frozenset(await uow.draws.worked(request.id))
    names: list[str] = []
    if request.preferred_districts:
        district_names = {x.id: x.name for x in await uow.campaigns.districts()}
        names = [district_names.get(i, str(i)) for i in request.preferred_districts]
    certificates = await uow.registry.latest_certificates(request.avoid_experts)
    view = RequestView(
        request=request,
        unit=unit,
        pool_size=None,
        rounds=await uow.draws.rounds(request.id),
        invitations=invitations,
        worked=worked,
        district_names=names,
        may_act=may_act,
        started=_begun(request, now),
        avoided=[certificates.get(e, f"#{e}") for e in request.avoid_experts],
    )
    if size_pool and view.may_draw:
        view = RequestView(**{**view.__dict__, "pool_size": len(await _pool(uow, request, unit))})
    return view


async def request_view(
    uows: UnitOfWorkFactory, *, person_id: int, request_id: int, now: datetime,
    admin_ids: Iterable[int] = (),
) -> RequestView:  # fmt: skip
    """The card of a request its unit (or, to look only, the bureau) opens."""
    async with uows() as uow:
        request = await request_for(uow, request_id, person_id, admin_ids, act=False)
        grants = await grants_of(uow, person_id, admin_ids)
        may_act = request.using_unit_id in using_units_of(grants)
        return await view_of(uow, request, may_act=may_act, now=now)


# filing -----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RequestForm:
    """What the chat (or a test) collected; checked again here."""

    groups: tuple[str, ...]
    days: tuple[date, ...]
    place: str
    project: str
    work_kind: str
    wanted: int
    preferred_districts: tuple[int, ...] = ()
    avoid_units: tuple[str, ...] = ()
    avoid_certificates: tuple[str, ...] = ()


async def form_unit(
    uows: UnitOfWorkFactory, person_id: int, admin_ids: Iterable[int] = ()
) -> UsingUnitRow:
    """The using unit this person files for; refused for anyone without the role."""
    async with uows() as uow:
        units = using_units_of(await grants_of(uow, person_id, admin_ids))
        if not units:
            raise NotAllowed(t.NOT_USER)
        unit = await uow.draws.using_unit(units[0])
        assert unit is not None
        return unit


@dataclass(frozen=True)
class AvoidList:
    """The 回避 lines as understood: units by name, experts by certificate number (a full name
    gives every serving expert of that name); lines that look like a certificate number that
    no expert holds are in `unknown`, not guessed at."""

    entries: list[d.AvoidEntry]
    unknown: list[str]


async def resolve_avoid(uows: UnitOfWorkFactory, lines: Sequence[str]) -> AvoidList:
    """Each line is a certificate number, an expert's full name (every serving expert of that
    name), or else a unit's name."""
    found = AvoidList([], [])
    async with uows() as uow:
        for line in lines:
            value = line.strip()
            if not value:
                continue
            if await uow.registry.expert_by_certificate(value.upper()) is not None:
                found.entries.append(d.AvoidEntry(value.upper(), certificate=value.upper()))
                continue
            if value[:1].isascii() and any(ch.isdigit() for ch in value) and "-" in value:
                found.unknown.append(value)
                continue
            rows, _ = await uow.registry.experts(ExpertFilter(search=value), limit=50)
            named = [r for r in rows if r.name == value and r.standing in SERVING]
            found.entries.extend(
                d.AvoidEntry(f"{r.name}（{r.certificate_no}）", certificate=r.certificate_no)
                for r in named
            )
            if not named:
                found.entries.append(d.AvoidEntry(t.AVOID_UNIT.format(unit=value), unit=value))
    return found


async def file_request(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    form: RequestForm,
    now: datetime,
    admin_ids: Iterable[int] = (),
) -> RequestView:
    """Files the request and commits to its draw key before anyone knows the pool."""
    today = local(now).date()
    try:
        days = d.check_days(form.days, today)
    except ValueError as bad:
        raise DomainError(str(bad)) from None
    if not 1 <= form.wanted <= d.MAX_EXPERTS or not form.groups:
        raise DomainError(t.BAD_WANTED.format(max=d.MAX_EXPERTS))
    async with uows() as uow:
        units = using_units_of(await grants_of(uow, person_id, admin_ids))
        if not units:
            raise NotAllowed(t.NOT_USER)
        if await uow.draws.open_requests(units[0], today) >= d.MAX_OPEN_REQUESTS:
            raise NotAllowed(t.TOO_MANY_OPEN.format(max=d.MAX_OPEN_REQUESTS))
        avoid_experts = []
        for number in form.avoid_certificates:
            expert_id = await uow.registry.expert_by_certificate(number)
            if expert_id is None:
                raise NotFound(t.AVOID_UNKNOWN_CERT.format(certificate_no=number))
            avoid_experts.append(expert_id)
        key = d.new_key()
        new = NewRequest(
            using_unit_id=units[0],
            requested_by=person_id,
            groups=tuple(dict.fromkeys(form.groups)),
            days=days,
            place=form.place,
            project=form.project,
            work_kind=form.work_kind,
            wanted=form.wanted,
            preferred_districts=tuple(dict.fromkeys(form.preferred_districts)),
            avoid_units=tuple(dict.fromkeys(form.avoid_units)),
            avoid_experts=tuple(dict.fromkeys(avoid_experts)),
            reply_hours=d.reply_deadline_hours(days[0], today),
        )
        commitment = d.commitment(key)
        request_id = await uow.draws.add_request(
            new, key_hex=key.hex(), commitment=commitment, now=now
        )
        await uow.draws.add_event(
            request_id=request_id,
            action="filed",
            detail={"commitment": commitment, "groups": list(new.groups), "wanted": new.wanted,
                    "days": [x.isoformat() for x in days]},
            actor_id=person_id,
            now=now,
        )  # fmt: skip
        request = await uow.draws.request(request_id)
        assert request is not None
        view = await view_of(uow, request, may_act=True, now=now)
        await uow.commit()
    return view


# drawing --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """A use case's result: the card to show and the notices it claimed for the handler to send."""

    view: RequestView | None = None
    text: str = ""
    claimed: list[Notice] = field(default_factory=list)


def _invite_notice(request: RequestRow, unit_name: str, inv_id: int, person_id: int,
                   reply_by: datetime) -> Notice:  # fmt: skip
    return Notice(
        key=f"iv:{inv_id}",
        kind=NoticeKind.DRAW,
        recipient_id=person_id,
        payload={
            "what": "invite",
            "invitation_id": inv_id,
            "request_id": request.id,
            "unit": unit_name,
            "project": request.project,
            "kind": request.work_kind,
            "days": [x.isoformat() for x in request.days],
            "place": request.place,
            "reply_by": reply_by.isoformat(),
        },
        deadline_at=reply_by,
    )


async def to_unit(
    uow: UnitOfWork, request: RequestRow, key: str, payload: dict[str, object]
) -> list[Notice]:
    """A notice to the using unit: everyone who holds its role now (or, if nobody does any
    more, whoever filed the request), each with a key of their own."""
    people = await uow.people.reviewer_ids(
        Grant(role=RoleKind.USER, using_unit_id=request.using_unit_id)
    )
    return [
        Notice(
            key=f"{key}:{person}", kind=NoticeKind.DRAW, recipient_id=person,
            payload={"request_id": request.id, "project": request.project, **payload},
        )  # fmt: skip
        for person in (people or [request.requested_by])
    ]


async def draw(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    request_id: int,
    now: datetime,
    holder: str,
    admin_ids: Iterable[int] = (),
    lease: timedelta = DEFAULT_LEASE,
) -> Outcome:
    """Draws the experts the request still needs, invites them and books their days.

    Two draws at once can pick the same expert: the second one's booking finds
    the day taken, rolls back and draws again from the pool as it is then.
    """
    for _ in range(DRAW_ATTEMPTS):
        async with uows() as uow:
            request = await _locked(uow, request_id, person_id, admin_ids)
            # the pool is formed once, below: forming it costs more than the rest of the card
            view = await view_of(uow, request, may_act=True, now=now, size_pool=False)
            if not view.may_draw:
                why = (
                    t.WHY_CANCELLED
                    if request.status == d.RequestStatus.CANCELLED
                    else t.WHY_STARTED
                    if view.started
                    else t.WHY_FILLED
                    if view.accepted >= request.wanted
                    else t.WHY_PENDING
                    if view.missing == 0
                    else t.WHY_OPEN
                )
                raise AlreadyHandled(t.NOTHING_TO_DRAW.format(why=why))
            pool = await _pool(uow, request, view.unit)
            if not pool:
                raise DomainError(t.POOL_EMPTY)
            if not await uow.draws.set_request_status(request.id, request.version, d.RequestStatus.DRAWN):
                raise AlreadyHandled(t.ALREADY_DRAWN)
            round_no = len(view.rounds) + 1
            result = d.draw(bytes.fromhex(request.key_hex), request.id, round_no, pool, view.missing)
            # the next round's key, committed now, before its pool can be known
            next_key = d.new_key()
            await uow.draws.set_key(request.id, next_key.hex())
            round_id = await uow.draws.add_round(
                request_id=request.id, round_no=round_no, wanted=view.missing, pool=result.pool,
                pool_hash=result.pool_hash, drawn=result.drawn, reserve=result.reserve,
                by=person_id, now=now,
            )  # fmt: skip
            reply_by = d.reply_deadline(now, request.days[0], request.reply_hours)
            invited: list[tuple[int, int]] = []
            for position, expert_id in enumerate(result.drawn, start=1):
                inv_id = await uow.draws.add_invitation(
                    request_id=request.id, round_id=round_id, expert_id=expert_id,
                    position=position, status=d.IS.INVITED, reply_by=reply_by, now=now,
                )  # fmt: skip
                invited.append((inv_id, expert_id))
            if not await _book_all(uow, invited, request.days):
                await uow.rollback()
                continue
            notices = []
            for inv_id, _ in invited:
                inv = await uow.draws.invitation(inv_id)
                assert inv is not None
                notices.append(_invite_notice(request, view.unit.name, inv_id, inv.person_id, reply_by))
            await uow.draws.add_event(
                request_id=request.id,
                action="drawn",
                detail={
                    "round": round_no, "key": request.key_hex, "seed": result.seed.hex(),
                    "pool_size": len(pool), "pool_hash": result.pool_hash,
                    "drawn": list(result.drawn), "reserve": list(result.reserve),
                    "next_commitment": d.commitment(next_key),
                },
                actor_id=person_id,
                now=now,
            )  # fmt: skip
            claimed = await uow.campaigns.claim(notices, now, lease, holder)
            refreshed = await uow.draws.request(request.id)
            assert refreshed is not None
            view = await view_of(uow, refreshed, may_act=True, now=now)
            await uow.commit()
        text = t.DRAWN.format(round_no=round_no, count=len(result.drawn), reserve=len(result.reserve))
        return Outcome(view=view, text=text, claimed=claimed)
    raise DomainError(t.DRAW_BUSY)


async def _book_all(uow: UnitOfWork, invited: list[tuple[int, int]], days: Sequence[date]) -> bool:
    """Books every invited expert's days, or returns False at the first one already taken.

    Experts are booked in the order of their ids, whatever the draw's order: two draws
    at once that picked the same two experts in opposite orders would otherwise each
    hold one and wait for the other's (on PostgreSQL, a deadlock: one of them failed).
    In one order, the later draw waits for the earlier one's commit, finds the day
    taken and draws again.
    """
    for inv_id, expert_id in sorted(invited, key=lambda pair: pair[1]):
        if not await uow.draws.book(inv_id, expert_id, days):
            return False
    return True


async def _invite_next(
    uow: UnitOfWork, request: RequestRow, now: datetime
) -> tuple[list[Notice], dict[str, object]]:
    """Invites the next in the latest round's reserve who can still go; the notices and what the
    unit's notice of the answer adds: who was invited, or, with nobody left to invite, how many
    are still missing (`short`). Reserves who can no longer go are recorded as skipped, in order."""
    rounds = await uow.draws.rounds(request.id)
    if not rounds:
        return [], {}
    latest = rounds[-1]
    holding = sum(1 for i in await uow.draws.invitations(request.id) if i.status in d.HOLDS_DAY)
    if holding >= request.wanted:
        return [], {}
    missing = request.wanted - holding
    if _begun(request, now):
        return await to_unit(uow, request, f"rl:{request.id}:{missing}",
                             {"what": "too_late", "missing": missing}), {}  # fmt: skip
    unit = await uow.draws.using_unit(request.using_unit_id)
    assert unit is not None
    invited = await uow.draws.invited_experts(request.id)
    available = {e.expert_id for e in await _pool(uow, request, unit)}
    reply_by = d.reply_deadline(now, request.days[0], request.reply_hours)
    for offset, expert_id in enumerate(latest.reserve):
        if expert_id in invited:
            continue
        position = len(latest.drawn) + offset + 1
        usable = expert_id in available
        inv_id = await uow.draws.add_invitation(
            request_id=request.id, round_id=latest.id, expert_id=expert_id, position=position,
            status=d.IS.INVITED if usable else d.IS.SKIPPED, reply_by=reply_by if usable else None,
            now=now,
        )  # fmt: skip
        if usable and not await uow.draws.book(inv_id, expert_id, request.days):
            usable = False  # booked by a draw that committed after the pool was read
            await uow.draws.release(inv_id)  # the days it did get
            await uow.draws.move_invitation(inv_id, 1, d.IS.SKIPPED, reason="booked", now=now)
        await uow.draws.add_event(
            request_id=request.id, invitation_id=inv_id,
            action="invited" if usable else "skipped", detail={"position": position},
            actor_id=None, now=now,
        )  # fmt: skip
        if usable:
            inv = await uow.draws.invitation(inv_id)
            assert inv is not None
            notice = _invite_notice(request, unit.name, inv_id, inv.person_id, reply_by)
            return [notice], {"extra": t.NEXT_INVITED.format(name=inv.name)}
    pending = sum(1 for i in await uow.draws.invitations(request.id) if i.status == d.IS.INVITED)
    pool = len(await _pool(uow, request, unit))  # a redraw's, without those invited just now
    return [], {"short": {"pending": pending, "missing": missing, "pool": pool}}


async def _close_invitation(
    uow: UnitOfWork,
    inv: InvitationRow,
    request: RequestRow,
    action: d.InvitationAction,
    *,
    reason: str | None,
    actor_id: int | None,
    now: datetime,
) -> list[Notice]:
    """One move of an invitation with everything it causes: the days freed, the unit told, the
    next in line invited. Raises AlreadyHandled when someone else moved it first."""
    target = d.next_invitation(d.InvitationStatus(inv.status), action)
    if target is None or not await uow.draws.move_invitation(
        inv.id, inv.version, target, reason=reason, now=now
    ):
        raise AlreadyHandled(t.INVITATION_CLOSED.format(status=t.INVITATION_STATUS[inv.status]))
    if target not in d.HOLDS_DAY:
        await uow.draws.release(inv.id)
    await uow.draws.add_event(
        request_id=request.id, invitation_id=inv.id, action=action.value,
        detail={"reason": reason} if reason else {}, actor_id=actor_id, now=now,
    )  # fmt: skip
    notices: list[Notice] = []
    added: dict[str, object] = {}
    if action in d.OPENS_RESERVE and request.status == d.RequestStatus.DRAWN:
        notices, added = await _invite_next(uow, request, now)
    if action is not d.IA.CANCEL:  # the answer first, then what it caused
        notices[:0] = await to_unit(uow, request, f"ia:{inv.id}:{target.value}", {
            "what": "answer", "name": inv.name, "status": target.value,
            "reason": reason or "", "extra": "", "was": inv.status, **added,
        })  # fmt: skip
    return notices


async def _close_theirs(
    uow: UnitOfWork,
    expert_id: int,
    request_ids: Iterable[int],
    action: d.InvitationAction,
    *,
    reason: str | None,
    actor_id: int | None,
    now: datetime,
) -> tuple[list[Notice], list[tuple[InvitationRow, RequestRow]]]:
    """The expert's invitations to those requests still holding days, each moved by `action`
    with everything it causes; requests are locked in order of id, as answers lock them."""
    notices: list[Notice] = []
    closed: list[tuple[InvitationRow, RequestRow]] = []
    for request_id in sorted(set(request_ids)):
        request = await _lock(uow, request_id)
        for inv in await uow.draws.invitations(request_id):
            if inv.expert_id == expert_id and inv.status in d.HOLDS_DAY:
                notices += await _close_invitation(
                    uow, inv, request, action, reason=reason, actor_id=actor_id, now=now
                )
                closed.append((inv, request))
    return notices, closed


async def leave_draws(
    uow: UnitOfWork, expert_id: int, *, actor_id: int | None, now: datetime
) -> list[Notice]:
    """In the caller's unit of work, when an expert leaves service: each invitation of theirs
    still holding days not yet past ends as a decline would, their days freed, the unit told and
    the next in the reserve invited."""
    holding = await uow.draws.holding(expert_id, local(now).date())
    notices, _ = await _close_theirs(
        uow, expert_id, [i.request_id for i in holding], d.IA.LEAVE,
        reason=None, actor_id=actor_id, now=now,
    )  # fmt: skip
    return notices


async def excuse_for_leave(
    uow: UnitOfWork,
    expert_id: int,
    request_ids: Iterable[int],
    *,
    leave: tuple[date, date],
    reason: str,
    actor_id: int | None,
    now: datetime,
) -> list[Notice]:
    """In the caller's unit of work, for an expert on leave: their invitations to those
    requests still holding days end as their own 婉拒 or 无法参加 would (days freed, the unit
    told with `reason`, the next in the reserve invited), and the expert hears it."""
    notices, closed = await _close_theirs(
        uow, expert_id, request_ids, d.IA.EXCUSE, reason=reason, actor_id=actor_id, now=now
    )
    notices += [
        Notice(
            key=f"il:{inv.id}", kind=NoticeKind.DRAW, recipient_id=inv.person_id,
            payload={"what": "excused", "request_id": request.id, "project": request.project,
                     "days": [x.isoformat() for x in request.days],
                     "from": leave[0].isoformat(), "to": leave[1].isoformat()},
        )  # fmt: skip
        for inv, request in closed
    ]
    return notices


async def answer_invitation(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    invitation_id: int,
    accept: bool,
    reason: str | None,
    now: datetime,
    holder: str,
    lease: timedelta = DEFAULT_LEASE,
) -> Outcome:
    """接受 or 婉拒 by the invited expert only; the unit is told, a decline invites the next.
    An expert who accepted may still say they cannot come, until the day before the work."""
    async with uows() as uow:
        inv, request = await _answerable(
            uow, invitation_id, person_id, accept=accept, now=now, lock=True
        )
        action = d.IA.ACCEPT if accept else d.IA.DECLINE
        notices = await _close_invitation(
            uow, inv, request, action, reason=reason, actor_id=person_id, now=now
        )
        claimed = await uow.campaigns.claim(notices, now, lease, holder)
        await uow.commit()
    days = d.days_text(request.days)
    own = t.ACCEPTED_OWN if accept else t.DECLINED_OWN
    if not accept and inv.status == d.IS.ACCEPTED:
        own = t.WITHDRAWN_OWN  # 无法参加 after 接受: not a 婉拒 of the invitation
    text = own.format(
        request_id=request.id, project=request.project, days=days
    )
    return Outcome(text=text, claimed=claimed)


WORK_REMINDER_WINDOW = timedelta(days=30)
"""How long after the work a pass still asks the unit to record it (sent once; a pass that was
down for a while still catches up)."""
REMIND_HOURS = range(9, 21)
"""Local hours in which draw reminders are planned: nobody is told about tomorrow at midnight."""


async def draw_reminders(uow: UnitOfWork, now: datetime) -> list[Notice]:
    """In the caller's unit of work: the day before the work, each accepted expert is reminded;
    once the work's last day is over, the unit is asked to record whoever's work it has not.
    Each key goes out once; the pass's claim drops those sent already."""
    moment = local(now)
    if moment.hour not in REMIND_HOURS:
        return []
    today = moment.date()
    notices: list[Notice] = []
    unrecorded: dict[int, tuple[RequestRow, list[str]]] = {}
    recent = await uow.draws.accepted(
        starting=today + timedelta(days=1),
        ended_after=today - WORK_REMINDER_WINDOW,
        ended_before=today,
    )
    for inv, request, worked in recent:
        if request.days[0] == today + timedelta(days=1):
            notices.append(
                Notice(
                    key=f"i1:{inv.id}", kind=NoticeKind.DRAW, recipient_id=inv.person_id,
                    payload={"what": "tomorrow", "request_id": request.id,
                             "project": request.project, "place": request.place,
                             "days": [x.isoformat() for x in request.days]},
                )  # fmt: skip
            )
        if request.days[-1] < today and not worked:
            unrecorded.setdefault(request.id, (request, []))[1].append(inv.name)
    for request, names in unrecorded.values():
        notices += await to_unit(
            uow, request, f"rw:{request.id}", {"what": "record_work", "names": names}
        )
    settled = await uow.campaigns.settled_keys([n.key for n in notices])
    return [n for n in notices if n.key not in settled]


async def expire_overdue(uows: UnitOfWorkFactory, now: datetime) -> int:
    """Turns unanswered invitations past their deadline into timeouts, each in its own unit of
    work, and puts what that causes in the outbox for the pass to send; how many expired."""
    async with uows() as uow:
        overdue = await uow.draws.overdue(now)
    expired = 0
    for late in overdue:
        try:
            expired += await _expire(uows, late.id, late.request_id, now)
        except Exception:  # one failing must not stop the pass, nor the others
            log.exception("could not expire invitation %s", late.id)
    return expired


async def _expire(uows: UnitOfWorkFactory, invitation_id: int, request_id: int, now: datetime) -> int:
    async with uows() as uow:
        request = await _lock(uow, request_id)
        inv = await uow.draws.invitation(invitation_id)
        if inv is None or inv.status != d.IS.INVITED or inv.reply_by is None or inv.reply_by > now:
            return 0  # answered meanwhile
        notices = await _close_invitation(
            uow, inv, request, d.IA.EXPIRE, reason=None, actor_id=None, now=now
        )
        notices.append(
            Notice(
                key=f"ix:{inv.id}", kind=NoticeKind.DRAW, recipient_id=inv.person_id,
                payload={"what": "expired", "request_id": request.id, "project": request.project},
            )  # fmt: skip
        )
        await uow.campaigns.add_notices(notices, now)
        await uow.commit()
    return 1


async def check_cancellable(
    uows: UnitOfWorkFactory, *, person_id: int, request_id: int, now: datetime,
    admin_ids: Iterable[int] = (),
) -> None:
    """Before the cancel reason is asked: the request is this unit's, not cancelled already and
    its work has not begun (cancel_request checks all again, on the locked request)."""
    async with uows() as uow:
        request = await request_for(uow, request_id, person_id, admin_ids, act=True)
    if request.status == d.RequestStatus.CANCELLED:
        raise AlreadyHandled(t.ALREADY_CANCELLED)
    _refuse_cancel_once_begun(request, now)


async def cancel_request(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    request_id: int,
    reason: str,
    now: datetime,
    holder: str,
    admin_ids: Iterable[int] = (),
    lease: timedelta = DEFAULT_LEASE,
) -> Outcome:
    """The unit cancels: every held day is freed and every invited or accepted expert told."""
    async with uows() as uow:
        request = await _locked(uow, request_id, person_id, admin_ids)
        if request.status == d.RequestStatus.CANCELLED:
            raise AlreadyHandled(t.ALREADY_CANCELLED)
        _refuse_cancel_once_begun(request, now)
        if not await uow.draws.set_request_status(
            request.id, request.version, d.RequestStatus.CANCELLED, reason=reason, now=now
        ):
            raise AlreadyHandled(t.ALREADY_CANCELLED)
        notices = []
        for inv in await uow.draws.invitations(request.id):
            if inv.status in d.HOLDS_DAY:
                await _close_invitation(
                    uow, inv, request, d.IA.CANCEL, reason=reason, actor_id=person_id, now=now
                )
                notices.append(
                    Notice(
                        key=f"ic:{inv.id}", kind=NoticeKind.DRAW, recipient_id=inv.person_id,
                        payload={"what": "cancelled", "request_id": request.id,
                                 "project": request.project, "reason": reason,
                                 "days": [x.isoformat() for x in request.days]},
                    )
                )  # fmt: skip
        await uow.draws.add_event(
            request_id=request.id, action="cancelled", detail={"reason": reason},
            actor_id=person_id, now=now,
        )  # fmt: skip
        claimed = await uow.campaigns.claim(notices, now, lease, holder)
        refreshed = await uow.draws.request(request.id)
        assert refreshed is not None
        view = await view_of(uow, refreshed, may_act=True, now=now)
        await uow.commit()
    return Outcome(view=view, text=t.CANCELLED.format(request_id=request.id), claimed=claimed)


async def open_invitation(
    uows: UnitOfWorkFactory, *, person_id: int, invitation_id: int, now: datetime
) -> InvitationRow:
    """The person's own invitation, still open to a decline: checked before asking why."""
    async with uows() as uow:
        inv, _ = await _answerable(uow, invitation_id, person_id, accept=False, now=now)
    return inv


async def waiting_invitations(
    uows: UnitOfWorkFactory, *, person_id: int, now: datetime
) -> Sequence[InvitationRow]:
    """The invitations this person can still answer, oldest first."""
    async with uows() as uow:
        return await uow.draws.waiting_for(person_id, now)


async def _answerable(
    uow: UnitOfWork, invitation_id: int, person_id: int, *, accept: bool, now: datetime,
    lock: bool = False,
) -> tuple[InvitationRow, RequestRow]:
    """The invitation and its request if this person may answer it so now; refusals say why.
    With `lock`, the request is locked first and both are read as the last change left them."""
    inv = await uow.draws.invitation(invitation_id)
    if inv is None:
        raise NotFound(t.INVITATION_NOT_FOUND)
    if inv.person_id != person_id:
        log.warning("person %s pressed invitation %s of person %s", person_id, inv.id, inv.person_id)
        raise NotAllowed(t.NOT_YOUR_INVITATION)
    if lock:
        request = await _lock(uow, inv.request_id)
        inv = await uow.draws.invitation(invitation_id)
        assert inv is not None
    else:
        found = await uow.draws.request(inv.request_id)
        assert found is not None
        request = found
    expert = await uow.registry.expert(inv.expert_id)
    if expert is None or expert.standing not in SERVING:
        raise NotAllowed(t.NOT_SERVING)
    if accept and _begun(request, now):
        raise DeadlinePassed(t.WORK_STARTED.format(day=request.days[0].isoformat()))
    if inv.status == d.IS.ACCEPTED and not accept:
        if _begun(request, now):
            raise DeadlinePassed(t.TOO_LATE_TO_WITHDRAW.format(day=request.days[0].isoformat()))
        return inv, request
    if inv.status != d.IS.INVITED:
        raise AlreadyHandled(t.INVITATION_CLOSED.format(status=t.INVITATION_STATUS[inv.status]))
    if inv.reply_by is not None and now >= inv.reply_by:
        raise DeadlinePassed(t.INVITATION_LATE.format(reply_by=format_local(inv.reply_by)))
    return inv, request


async def districts(uows: UnitOfWorkFactory) -> Sequence[DistrictRow]:
    async with uows() as uow:
        return await uow.campaigns.districts()


# lists --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestList:
    rows: Sequence[RequestListRow]
    several_units: bool
    """The bureau's, or a person's who draws for more than one unit: each line names its unit."""


async def requests_list(
    uows: UnitOfWorkFactory, *, person_id: int, admin_ids: Iterable[int] = ()
) -> RequestList:
    """A using unit's requests, newest first (the bureau: every unit's), and whether they
    are several units' (then each line says whose it is)."""
    async with uows() as uow:
        grants = await grants_of(uow, person_id, admin_ids)
        units = using_units_of(grants)
        if is_bureau(grants):
            units = [u.id for u in await uow.draws.using_units()]
            several = True
        elif not units:
            raise NotAllowed(t.NOT_USER)
        else:
            several = len(set(units)) > 1
        return RequestList(await uow.draws.requests_of(units, LIST_LIMIT), several)
